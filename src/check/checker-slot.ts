import type { Checker } from './checker.js';

interface Held {
  checker: Checker;
  uses: number;
  retired: boolean;
}

/**
 * The checker in use, which a config reload may replace: work started on the old one (a cycle, a re-check)
 * finishes on it, and its connection pool is closed once the last such work ends.
 */
export class CheckerSlot {
  #current: Held;
  readonly #onCloseError: (error: unknown) => void;

  constructor(checker: Checker, onCloseError: (error: unknown) => void = () => undefined) {
    this.#current = { checker, uses: 0, retired: false };
    this.#onCloseError = onCloseError;
  }

  /** Runs `work` with the current checker, which stays open until `work` settles. */
  async use<T>(work: (checker: Checker) => Promise<T>): Promise<T> {
    const held = this.#current;
    held.uses++;
    try {
      return await work(held.checker);
    } finally {
      held.uses--;
      if (held.retired && held.uses === 0) this.#close(held);
    }
  }

  /** Work started from now on uses `next`; the previous checker closes once its work has ended. */
  replace(next: Checker): void {
    const old = this.#current;
    this.#current = { checker: next, uses: 0, retired: false };
    old.retired = true;
    if (old.uses === 0) this.#close(old);
  }

  /** Closes the current checker (shutdown, once no work is left). */
  close(): Promise<void> {
    return this.#current.checker.close();
  }

  #close(held: Held): void {
    held.checker.close().catch(this.#onCloseError);
  }
}
