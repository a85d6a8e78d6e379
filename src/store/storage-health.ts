/** Whether the store answers, as the daemon last found it: `planecheck_storage_up`, the page and the API. */
export interface StorageHealthView {
  up: boolean;
  /** Epoch ms of the last change (or of start-up). */
  since: number;
  /** What failed last, while down: e.g. `write: connect ECONNREFUSED 127.0.0.1:5432`. */
  error: string | null;
}

/**
 * Tracks the store's health from the outcome of every operation the daemon makes on it (writes, polls,
 * claims, heal records): a failure marks it down, the next success marks it up again. `onChange` fires once
 * per change, so a long outage logs two lines, not one per operation.
 */
export class StorageHealth {
  #view: StorageHealthView;
  readonly #onChange: (view: StorageHealthView) => void;
  readonly #now: () => number;

  constructor(onChange: (view: StorageHealthView) => void = () => undefined, now: () => number = Date.now) {
    this.#onChange = onChange;
    this.#now = now;
    this.#view = { up: true, since: now(), error: null };
  }

  get view(): StorageHealthView {
    return { ...this.#view };
  }

  get up(): boolean {
    return this.#view.up;
  }

  succeeded(): void {
    if (this.#view.up) return;
    this.#view = { up: true, since: this.#now(), error: null };
    this.#onChange(this.view);
  }

  failed(operation: string, error: unknown): void {
    const message = `${operation}: ${error instanceof Error ? error.message : String(error)}`;
    if (!this.#view.up) {
      this.#view.error = message;
      return;
    }
    this.#view = { up: false, since: this.#now(), error: message };
    this.#onChange(this.view);
  }
}
