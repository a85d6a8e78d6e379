import {
  formatDuration
} from "./chunk-ZU2X4UKQ.js";

// src/util/deadline.ts
var Deadline = class _Deadline {
  aborted = false;
  reason = void 0;
  #listeners;
  #timer;
  #unlink;
  /** With `ms` undefined it never times out and only follows its parent (a cycle's root). */
  constructor(ms, what, parent) {
    this.#timer = ms === void 0 ? void 0 : setTimeout(
      () => this.abort(new DOMException(`${what} of ${formatDuration(ms)} passed`, "TimeoutError")),
      ms
    );
    const onParentAbort = () => this.abort(asError(parent?.reason));
    if (parent === void 0) this.#unlink = noop;
    else if (parent.aborted) {
      this.#unlink = noop;
      onParentAbort();
    } else if (parent instanceof _Deadline) {
      this.#unlink = parent.onAbort(onParentAbort);
    } else {
      parent.addEventListener("abort", onParentAbort, { once: true });
      this.#unlink = () => parent.removeEventListener("abort", onParentAbort);
    }
  }
  /** Calls `listener` once when the deadline fires (not if it already has); returns what cancels that. */
  onAbort(listener) {
    if (this.aborted) return noop;
    const listeners = this.#listeners ??= /* @__PURE__ */ new Set();
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
  /** How many listeners wait for this deadline (tests check that none is left behind). */
  get listenerCount() {
    return this.#listeners?.size ?? 0;
  }
  abort(reason) {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    const listeners = this.#listeners;
    this.#listeners = void 0;
    if (listeners) for (const listener of listeners) listener();
  }
  throwIfAborted() {
    if (this.aborted) throw this.reason ?? new Error("aborted");
  }
  /** Clears the timer and unlinks from the parent; call when the guarded work is over. */
  dispose() {
    clearTimeout(this.#timer);
    this.#unlink();
  }
};
var noop = () => void 0;
function sleep(ms, deadline) {
  return new Promise((resolve, reject) => {
    if (deadline.aborted) return reject(deadline.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      cancel();
      resolve();
    }, ms);
    const cancel = deadline.onAbort(() => {
      clearTimeout(timer);
      reject(deadline.reason ?? new Error("aborted"));
    });
  });
}
function asError(reason) {
  return reason instanceof Error ? reason : new Error(typeof reason === "string" ? reason : "aborted");
}

export {
  Deadline,
  sleep
};
