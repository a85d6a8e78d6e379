import { PLANE_STATUSES, type PlaneStatus } from '../check/result.js';
import type { HealAction } from '../heal/heal-action.js';
import type { HealHold } from '../heal/self-healer.js';
import type { Availability } from '../store/availability.js';
import type { PlaneState } from '../store/plane-state.js';
import type { RecentResult } from '../store/status-board.js';
import type { MaintenanceState } from '../maintenance/maintenance-window.js';
import { maintenanceStateView } from './maintenance-api.js';

export interface SchedulerInfo {
  intervalMs: number;
  cacheTtlMs: number;
  running: boolean;
  lastCycleFinishedAt: number | null;
}

/** A self-heal attempt as the API shows it. */
export interface HealActionView {
  reason: string;
  correlationId: string;
  dispatchedAt: string;
  status: string;
  runId: number | null;
  runUrl: string | null;
  conclusion: string | null;
  outcome: string | null;
  error: string | null;
}

export function healActionView(action: HealAction): HealActionView {
  return {
    reason: action.reason,
    correlationId: action.correlationId,
    dispatchedAt: new Date(action.dispatchedAt).toISOString(),
    status: action.status,
    runId: action.runId,
    runUrl: action.runUrl,
    conclusion: action.conclusion,
    outcome: action.outcome,
    error: action.error,
  };
}

/** Whether the daemon's store answers (`planecheck_storage_up`). */
export interface StorageInfo {
  kind: 'sqlite' | 'postgresql';
  up: boolean;
  /** Epoch ms of the last change. */
  since: number;
  error: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Extras beyond the status: self-heal attempts and hold, the recent strip, availability. */
export interface PlaneExtras {
  healActions(plane: string): HealActionView[];
  /** Whether a mass incident holds self-heal back; absent when self-heal is off. */
  healHold?(): HealHold;
  recent?(plane: string): readonly RecentResult[];
  availability?(plane: string): Availability;
  /** Whether the plane is in maintenance now, until when and why. */
  maintenance?(plane: string): MaintenanceState | undefined;
  /** The plane's configured labels (team, region). */
  labels?(plane: string): Readonly<Record<string, string>>;
  /** Whether self-heal may dispatch for the plane (its own setting, else the section's). */
  selfHealEnabled?(plane: string): boolean;
}

/**
 * The body of `GET /api/v1/status`. Pure: states and extras in, JSON-ready data out. `instance` is the
 * daemon that answers; each plane's `checkedBy` the one that checked it (in a fleet, often another).
 */
export function statusResponse(
  instance: string,
  states: readonly PlaneState[],
  scheduler: SchedulerInfo,
  extras: PlaneExtras,
  now: number,
  storage?: StorageInfo,
  /** The live replicas of the fleet (this one alone on SQLite). */
  fleet: readonly string[] = [instance],
) {
  const summary = Object.fromEntries(PLANE_STATUSES.map((status) => [status, 0])) as Record<
    PlaneStatus,
    number
  >;
  for (const state of states) summary[state.status]++;
  const hold = extras.healHold?.();
  const heldPlanes = new Set(hold?.held ? hold.planes : []);
  return {
    instance,
    generatedAt: iso(now),
    summary,
    scheduler: {
      running: scheduler.running,
      intervalSeconds: scheduler.intervalMs / 1000,
      cacheTtlSeconds: scheduler.cacheTtlMs / 1000,
      lastCycleFinishedAt: iso(scheduler.lastCycleFinishedAt),
    },
    /** While the store does not answer, results are held in memory and self-heal makes no dispatch. */
    storage:
      storage === undefined
        ? null
        : { kind: storage.kind, up: storage.up, since: iso(storage.since), error: storage.error },
    fleet: { instances: [...fleet] },
    selfHeal: {
      enabled: hold !== undefined,
      /** More than `maxPlanesAtOnce` planes need repair at once: nothing is dispatched until fewer do. */
      held: hold?.held ?? false,
      heldSince: iso(hold?.since ?? null),
      planes: hold?.held ? hold.planes : [],
      maxPlanesAtOnce: hold?.maxPlanesAtOnce ?? null,
    },
    planes: states.map((state) => ({
      name: state.plane,
      labels: extras.labels?.(state.plane) ?? {},
      status: state.status,
      reason: state.reason,
      lastStatus: state.lastStatus,
      checkedAt: iso(state.checkedAt),
      checkedBy: state.checkedBy,
      expiresAt: iso(state.expiresAt),
      durationMs: state.durationMs,
      steps: state.steps,
      recent: (extras.recent?.(state.plane) ?? []).map((result) => ({
        checkedAt: new Date(result.checkedAt).toISOString(),
        status: result.status,
        reason: result.reason,
      })),
      availability: extras.availability?.(state.plane) ?? { h1: null, h24: null },
      /** Whether self-heal may dispatch for this plane (workloadPlanes[].selfHeal.enabled, else selfHeal.enabled). */
      selfHealEnabled: (hold !== undefined && extras.selfHealEnabled?.(state.plane)) ?? false,
      selfHeal: extras.healActions(state.plane),
      /** This plane needs repair, and the mass-incident hold keeps self-heal from starting it. */
      selfHealHeld: heldPlanes.has(state.plane),
      /** In maintenance: still checked, never self-healed, its alerts quiet; null when not. */
      maintenance: maintenanceStateView(extras.maintenance?.(state.plane)),
    })),
  };
}
export type StatusResponse = ReturnType<typeof statusResponse>;
