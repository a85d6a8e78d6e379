import type { PlaneStatus } from '../check/result.js';
import { ACTIVE_STATUSES, type HealAction, type HealReason } from './heal-action.js';

export interface HealPolicy {
  cooldownMs: number;
  /** Consecutive NO_USER/NO_ORACLE results before acting. */
  failureThreshold: number;
  /** Across all planes: attempts in the last hour before self-heal holds back. */
  maxDispatchesPerHour: number;
  /** An attempt still unfinished after this long no longer counts as running. */
  runTimeoutMs: number;
  dryRun: boolean;
  /** More planes than this NO_USER/NO_ORACLE at once is a mass incident: dispatch for none of them. */
  maxPlanesAtOnce: number;
}

export interface HealInput {
  status: PlaneStatus;
  /** How many results in a row, this one included, were NO_USER or NO_ORACLE. */
  consecutive: number;
  /** This plane's attempts, newest first. */
  actions: readonly HealAction[];
  /** Attempts across all planes in the last hour. */
  attemptsLastHour: number;
  /** A mass incident is under way (see `findMassIncident`): every repair waits for a person. */
  held: boolean;
  /** Until when (epoch ms) the plane is in maintenance; absent or null when it is not. */
  maintenanceUntil?: number | null;
  now: number;
  policy: HealPolicy;
}

export type SkipOutcome = 'maintenance' | 'held' | 'in_progress' | 'cooldown' | 'threshold' | 'rate_capped';

export type HealDecision =
  | { kind: 'ignore' }
  | { kind: 'skip'; reason: HealReason; outcome: SkipOutcome; detail: string }
  | { kind: 'dispatch'; reason: HealReason; dryRun: boolean };

export function isHealable(status: PlaneStatus): status is HealReason {
  return status === 'NO_USER' || status === 'NO_ORACLE';
}

/**
 * Whether to dispatch the smoke-test workflow for a plane. Pure. Only a definitive NO_USER or NO_ORACLE
 * can start a repair, never FAILED or NO_VALUE; then, in order: the plane is not in maintenance (a plane
 * mid-migration must not get users and models recreated under it), no mass incident, enough results in a row,
 * nothing already running for the plane, no attempt inside the cooldown, and the global hourly cap not reached.
 * A dispatch GitHub refused (nothing started) does not hold the cooldown; every attempt counts for the cap.
 */
export function decideHeal(input: HealInput): HealDecision {
  const { status, policy, now } = input;
  if (!isHealable(status)) return { kind: 'ignore' };
  const reason = status;
  if (input.maintenanceUntil != null && input.maintenanceUntil > now) {
    return {
      kind: 'skip',
      reason,
      outcome: 'maintenance',
      detail: `in maintenance until ${new Date(input.maintenanceUntil).toISOString()}`,
    };
  }
  if (input.held) {
    return { kind: 'skip', reason, outcome: 'held', detail: 'mass incident: held for a person' };
  }
  if (input.consecutive < policy.failureThreshold) {
    return {
      kind: 'skip',
      reason,
      outcome: 'threshold',
      detail: `${input.consecutive} of ${policy.failureThreshold} results in a row`,
    };
  }
  const running = input.actions.find(
    (action) => ACTIVE_STATUSES.includes(action.status) && now - action.dispatchedAt < policy.runTimeoutMs,
  );
  if (running) {
    return {
      kind: 'skip',
      reason,
      outcome: 'in_progress',
      detail: `attempt ${running.correlationId} is ${running.status}`,
    };
  }
  const recent = input.actions.find(
    (action) => action.status !== 'dispatch_failed' && now - action.dispatchedAt < policy.cooldownMs,
  );
  if (recent) {
    const left = Math.ceil((recent.dispatchedAt + policy.cooldownMs - now) / 1000);
    return {
      kind: 'skip',
      reason,
      outcome: 'cooldown',
      detail: `cooldown: ${left}s left after ${recent.correlationId}`,
    };
  }
  if (input.attemptsLastHour >= policy.maxDispatchesPerHour) {
    return {
      kind: 'skip',
      reason,
      outcome: 'rate_capped',
      detail: `${input.attemptsLastHour} attempts in the last hour (cap ${policy.maxDispatchesPerHour})`,
    };
  }
  return { kind: 'dispatch', reason, dryRun: policy.dryRun };
}

/** Counts the leading NO_USER/NO_ORACLE statuses of a newest-first list. */
export function countConsecutiveHealable(statuses: readonly PlaneStatus[]): number {
  let count = 0;
  for (const status of statuses) {
    if (!isHealable(status)) break;
    count++;
  }
  return count;
}

/** A plane's latest status, as the decision after a cycle sees it. */
export interface PlaneLatest {
  plane: string;
  status: PlaneStatus;
}

export interface MassIncident {
  /** More than `maxPlanesAtOnce` planes count against the limit: no dispatch for any of them. */
  held: boolean;
  /**
   * The planes counted against the limit, sorted: those reading NO_USER or NO_ORACLE and, during a hold, the
   * incident's other planes that are not HEALTHY yet.
   */
  planes: string[];
  /** While held: every plane that has needed repair since the hold began, for the next cycle. Else empty. */
  incident: string[];
}

/**
 * Whether the planes that need repair are too many to repair automatically. Pure. "At the same time" is the
 * latest fresh status of every plane once a cycle has finished: many planes losing their user at once is far
 * more often a control-plane problem than many deleted users, and starting a production workflow for each
 * would make it worse.
 *
 * A hold starts when more than `maxPlanesAtOnce` planes read NO_USER or NO_ORACLE (FAILED and a stale
 * NO_VALUE do not count). Once held, a plane stays part of the incident until the hold ends, and the hold
 * lasts while more than `maxPlanesAtOnce` of the incident's planes are not HEALTHY (any status but HEALTHY
 * counts, so an incident that turns partly FAILED or stale is still held). `incident` is the previous
 * result's `incident` (empty when not held); planes no longer configured drop out of it.
 */
export function findMassIncident(
  latest: readonly PlaneLatest[],
  maxPlanesAtOnce: number,
  incident: readonly string[] = [],
): MassIncident {
  const members = new Set(incident);
  const planes = latest
    .filter((entry) => isHealable(entry.status) || (members.has(entry.plane) && entry.status !== 'HEALTHY'))
    .map((entry) => entry.plane)
    .sort();
  const held = planes.length > maxPlanesAtOnce;
  const next = held
    ? latest
        .filter((entry) => members.has(entry.plane) || isHealable(entry.status))
        .map((entry) => entry.plane)
        .sort()
    : [];
  return { held, planes, incident: next };
}
