/** Whether the store answers, as the daemon last found it: `planecheck_storage_up`, the page and the API. */
export interface StorageHealthView {
  up: boolean;
  /** Epoch ms of the last change (or of start-up). */
  since: number;
  /** What failed last, while down: e.g. `write: connect ECONNREFUSED 127.0.0.1:5432`. */
  error: string | null;
}

/**
 * Tracks the store's health from the outcome of every kind of operation the daemon makes on it (writes,
 * polls, claims): the store is up only while the last attempt of every kind succeeded, so claims that go
 * through cannot hide writes that fail. `onChange` fires once per change, so a long outage logs two lines,
 * not one per operation.
 */
export class StorageHealth {
  #view: StorageHealthView;
  readonly #failing = new Map<string, string>();
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

  /** Whether the last attempt of `kind` failed. */
  failing(kind: string): boolean {
    return this.#failing.has(kind);
  }

  succeeded(kind: string): void {
    if (!this.#failing.delete(kind) || this.#failing.size > 0) return;
    this.#view = { up: true, since: this.#now(), error: null };
    this.#onChange(this.view);
  }

  failed(kind: string, error: unknown, during: string = kind): void {
    const message = `${during}: ${error instanceof Error ? error.message : String(error)}`;
    this.#failing.set(kind, message);
    if (!this.#view.up) {
      this.#view.error = message;
      return;
    }
    this.#view = { up: false, since: this.#now(), error: message };
    this.#onChange(this.view);
  }
}
