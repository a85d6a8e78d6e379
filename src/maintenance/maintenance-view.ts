import type { AuditTrail, NewAuditEvent } from '../audit/audit-trail.js';
import type { MaintenanceStore } from './maintenance-store.js';
import {
  maintenanceAt,
  windowAt,
  type MaintenanceState,
  type MaintenanceWindow,
  type PlaneMaintenance,
} from './maintenance-window.js';

export interface MaintenanceViewDeps {
  /** Each plane's configured windows (replaced by `setWindows` on a reload). */
  windows: ReadonlyMap<string, readonly MaintenanceWindow[]>;
  store: MaintenanceStore;
  audit: AuditTrail;
  /** This replica's name: the actor of what the daemon itself records (a run-time maintenance running out). */
  instance: string;
  now?: () => number;
}

/**
 * Which planes are in maintenance, in memory: what scrapes, the status API and self-heal read, never
 * waiting on a store. Configured windows come from the config; run-time maintenance (API, CLI) from the
 * store, re-read after each cycle (`refresh`), so every replica of a fleet sees what any of them started.
 * This replica's own starts and ends show at once. Every start and end goes to the audit trail: a
 * configured window's under a key, so a fleet (or a restart inside the window) records it once.
 */
export class MaintenanceView {
  #deps: MaintenanceViewDeps;
  #runtime = new Map<string, PlaneMaintenance>();
  /** Bumped by every own start or end: a refresh that read the store before it does not undo it. */
  #writes = 0;
  /** Configured spans seen running, by audit key of their start: their end is recorded once they are over. */
  readonly #running = new Map<string, { plane: string; window: number; from: number; until: number }>();

  constructor(deps: MaintenanceViewDeps) {
    this.#deps = deps;
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /**
   * Follows a reloaded config: each plane's configured windows. Run-time maintenance (the store's) is kept,
   * whatever the plane list says: it ends when it runs out or is ended. A configured window that is no longer
   * listed is recorded as over at the next refresh.
   */
  setWindows(windows: ReadonlyMap<string, readonly MaintenanceWindow[]>): void {
    this.#deps = { ...this.#deps, windows };
  }

  /** Whether `plane` is in maintenance at `at`, until when and why. */
  state(plane: string, at = this.#now()): MaintenanceState | undefined {
    return maintenanceAt(this.#deps.windows.get(plane) ?? [], this.#runtime.get(plane), at);
  }

  /** Until when `plane` is in maintenance at `at`; null when it is not. */
  until(plane: string, at = this.#now()): number | null {
    return this.state(plane, at)?.until ?? null;
  }

  /** Starts (or replaces) a plane's run-time maintenance: stored first, then shown and audited. */
  async start(maintenance: PlaneMaintenance): Promise<MaintenanceState> {
    await this.#deps.store.start(maintenance);
    this.#writes++;
    this.#runtime.set(maintenance.plane, { ...maintenance });
    await this.#deps.audit.record([
      {
        at: maintenance.startedAt,
        plane: maintenance.plane,
        kind: 'maintenance_start',
        actor: maintenance.actor,
        reason: `until ${new Date(maintenance.until).toISOString()}${maintenance.note ? `: ${maintenance.note}` : ''}`,
      },
    ]);
    return this.state(maintenance.plane, maintenance.startedAt) ?? fromRuntime(maintenance);
  }

  /**
   * Ends a plane's run-time maintenance; returns it when one was running (else undefined: nothing to end,
   * and nothing audited). A configured window cannot be ended here: it is in the config.
   */
  async end(plane: string, actor: string, at = this.#now()): Promise<PlaneMaintenance | undefined> {
    const ended = await this.#deps.store.end(plane, at);
    this.#writes++;
    this.#runtime.delete(plane);
    if (ended) {
      await this.#deps.audit.record([
        {
          at,
          plane,
          kind: 'maintenance_end',
          actor,
          reason: `ended early (was until ${new Date(ended.until).toISOString()}${ended.note ? `: ${ended.note}` : ''})`,
        },
      ]);
    }
    return ended;
  }

  /**
   * Re-reads run-time maintenance from the store, deletes and audits what ran out, and audits configured
   * windows that started or ended since the last refresh. Rejects when the store does not answer (the view
   * stays as it was).
   */
  async refresh(): Promise<void> {
    const now = this.#now();
    const writes = this.#writes;
    const { store, audit, instance } = this.#deps;
    const expired = await store.expire(now);
    const active = await store.active(now);
    if (this.#writes === writes) this.#runtime = new Map(active.map((entry) => [entry.plane, entry]));
    const events: NewAuditEvent[] = expired.map((entry) => ({
      at: entry.until,
      plane: entry.plane,
      kind: 'maintenance_end',
      actor: `daemon:${instance}`,
      reason: `ran out (started by ${entry.actor}${entry.note ? `: ${entry.note}` : ''})`,
    }));
    events.push(...this.#configChanges(now));
    await audit.record(events);
  }

  /** Configured windows that started since the last look, and those seen running that are over now. */
  #configChanges(now: number): NewAuditEvent[] {
    const events: NewAuditEvent[] = [];
    const runningNow = new Set<string>();
    for (const [plane, windows] of this.#deps.windows) {
      windows.forEach((window, index) => {
        const span = windowAt(window, now);
        if (span === undefined) return;
        const key = `config:${plane}:${index}:${span.from}`;
        runningNow.add(key);
        if (this.#running.has(key)) return;
        this.#running.set(key, { plane, window: index, from: span.from, until: span.until });
        events.push({
          at: span.from,
          plane,
          kind: 'maintenance_start',
          actor: 'config',
          reason: `window ${index} until ${new Date(span.until).toISOString()}${window.note ? `: ${window.note}` : ''}`,
          key: `${key}:start`,
        });
      });
    }
    for (const [key, span] of this.#running) {
      if (runningNow.has(key)) continue;
      this.#running.delete(key);
      const note = this.#deps.windows.get(span.plane)?.[span.window]?.note ?? '';
      events.push({
        at: span.until,
        plane: span.plane,
        kind: 'maintenance_end',
        actor: 'config',
        reason: `window ${span.window} over${note ? `: ${note}` : ''}`,
        key: `${key}:end`,
      });
    }
    return events;
  }
}

function fromRuntime(maintenance: PlaneMaintenance): MaintenanceState {
  return {
    startedAt: maintenance.startedAt,
    until: maintenance.until,
    note: maintenance.note,
    actor: maintenance.actor,
    source: 'api',
  };
}
