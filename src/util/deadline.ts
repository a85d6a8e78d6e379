import { EventEmitter } from 'node:events';
import { formatDuration } from '../config/duration.js';

/**
 * A cancellation that fires with a `TimeoutError` after `ms`, or with its parent's reason when the
 * parent is cancelled first. It is an EventEmitter emitting 'abort', which undici accepts as a request
 * `signal`: a plan checks every plane with 6-10 of these, and AbortController/AbortSignal.any cost
 * several times more CPU per request (EventTarget machinery, weak references, GC).
 */
export class Deadline extends EventEmitter {
  aborted = false;
  reason: Error | undefined = undefined;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #unlink: () => void;

  /** With `ms` undefined it never times out and only follows its parent (a cycle's root). */
  constructor(ms: number | undefined, what: string, parent?: Deadline | AbortSignal) {
    super();
    this.setMaxListeners(0);
    this.#timer =
      ms === undefined
        ? undefined
        : setTimeout(
            () => this.abort(new DOMException(`${what} of ${formatDuration(ms)} passed`, 'TimeoutError')),
            ms,
          );
    const onParentAbort = () => this.abort(asError(parent?.reason));
    if (parent === undefined) this.#unlink = () => undefined;
    else if (parent.aborted) {
      this.#unlink = () => undefined;
      onParentAbort();
    } else if (parent instanceof Deadline) {
      parent.once('abort', onParentAbort);
      this.#unlink = () => parent.removeListener('abort', onParentAbort);
    } else {
      parent.addEventListener('abort', onParentAbort, { once: true });
      this.#unlink = () => parent.removeEventListener('abort', onParentAbort);
    }
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    this.emit('abort');
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

/** Waits `ms`, or rejects with the deadline's reason as soon as it fires. */
export function sleep(ms: number, deadline: Deadline): Promise<void> {
  return new Promise((resolve, reject) => {
    if (deadline.aborted) return reject(deadline.reason ?? new Error('aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(deadline.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      deadline.removeListener('abort', onAbort);
      resolve();
    }, ms);
    deadline.once('abort', onAbort);
  });
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
