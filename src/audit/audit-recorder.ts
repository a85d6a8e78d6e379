import type { AuditKind, AuditTrail } from './audit-trail.js';

/**
 * Records what the daemon itself does (dispatches, holds, outcomes) in the audit trail, in the background:
 * self-heal never waits on it. A failed write is reported, not retried: the log has the same event.
 */
export class AuditRecorder {
  readonly #trail: AuditTrail;
  readonly #actor: string;
  readonly #onError: (error: unknown) => void;
  readonly #pending = new Set<Promise<void>>();

  constructor(trail: AuditTrail, actor: string, onError: (error: unknown) => void) {
    this.#trail = trail;
    this.#actor = actor;
    this.#onError = onError;
  }

  record(kind: AuditKind, plane: string | null, reason: string, at = Date.now()): void {
    const write = this.#trail
      .record([{ at, plane, kind, actor: this.#actor, reason }])
      .catch((error: unknown) => this.#onError(error))
      .finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }

  /** Waits for the writes on their way (shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}
