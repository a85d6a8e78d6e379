import { formatDuration } from '../config/duration.js';

/**
 * A cancellation that fires with a `TimeoutError` after `ms`, or with its parent's reason when the
 * parent is cancelled first. A check makes 6-10 of these per plane, so it is as small as can be: no
 * EventTarget (AbortController/AbortSignal.any cost several times more CPU: weak references, GC) and no
 * EventEmitter, just a set of listeners.
 */
export class Deadline {
  aborted = false;
  reason: Error | undefined = undefined;
  #listeners: Set<() => void> | undefined;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #unlink: () => void;

  /** With `ms` undefined it never times out and only follows its parent (a cycle's root). */
  constructor(ms: number | undefined, what: string, parent?: Deadline | AbortSignal) {
    this.#timer =
      ms === undefined
        ? undefined
        : setTimeout(
            () => this.abort(new DOMException(`${what} of ${formatDuration(ms)} passed`, 'TimeoutError')),
            ms,
          );
    const onParentAbort = () => this.abort(asError(parent?.reason));
    if (parent === undefined) this.#unlink = noop;
    else if (parent.aborted) {
      this.#unlink = noop;
      onParentAbort();
    } else if (parent instanceof Deadline) {
      this.#unlink = parent.onAbort(onParentAbort);
    } else {
      parent.addEventListener('abort', onParentAbort, { once: true });
      this.#unlink = () => parent.removeEventListener('abort', onParentAbort);
    }
  }

  /** Calls `listener` once when the deadline fires (not if it already has); returns what cancels that. */
  onAbort(listener: () => void): () => void {
    if (this.aborted) return noop;
    const listeners = (this.#listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** How many listeners wait for this deadline (tests check that none is left behind). */
  get listenerCount(): number {
    return this.#listeners?.size ?? 0;
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason ?? new Error('aborted');
  }

  /** Clears the timer and unlinks from the parent; call when the guarded work is over. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#unlink();
  }
}

const noop = (): void => undefined;

/** Waits `ms`, or rejects with the deadline's reason as soon as it fires. */
export function sleep(ms: number, deadline: Deadline): Promise<void> {
  return new Promise((resolve, reject) => {
    if (deadline.aborted) return reject(deadline.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      cancel();
      resolve();
    }, ms);
    const cancel = deadline.onAbort(() => {
      clearTimeout(timer);
      reject(deadline.reason ?? new Error('aborted'));
    });
  });
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
