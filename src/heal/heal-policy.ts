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
  now: number;
  policy: HealPolicy;
}

export type SkipOutcome = 'held' | 'in_progress' | 'cooldown' | 'threshold' | 'rate_capped';

export type HealDecision =
  | { kind: 'ignore' }
  | { kind: 'skip'; reason: HealReason; outcome: SkipOutcome; detail: string }
  | { kind: 'dispatch'; reason: HealReason; dryRun: boolean };

export function isHealable(status: PlaneStatus): status is HealReason {
  return status === 'NO_USER' || status === 'NO_ORACLE';
}

/**
 * Whether to dispatch the smoke-test workflow for a plane. Pure. Only a definitive NO_USER or NO_ORACLE
 * can start a repair, never FAILED or NO_VALUE; then, in order: no mass incident, enough results in a row,
 * nothing already running for the plane, no attempt inside the cooldown, and the global hourly cap not reached.
 * A dispatch GitHub refused (nothing started) does not hold the cooldown; every attempt counts for the cap.
 */
export function decideHeal(input: HealInput): HealDecision {
  const { status, policy, now } = input;
  if (!isHealable(status)) return { kind: 'ignore' };
  const reason = status;
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
  /** More than `maxPlanesAtOnce` planes need repair: no dispatch for any of them. */
  held: boolean;
  /** The planes that read NO_USER or NO_ORACLE, sorted. */
  planes: string[];
}

/**
 * Whether the planes that need repair are too many to repair automatically. Pure. "At the same time" is the
 * latest fresh status of every plane once a cycle has finished (a stale result reads NO_VALUE and does not
 * count): many planes losing their user at once is far more often a control-plane problem than many deleted
 * users, and starting a production workflow for each would make it worse.
 */
export function findMassIncident(latest: readonly PlaneLatest[], maxPlanesAtOnce: number): MassIncident {
  const planes = latest
    .filter((entry) => isHealable(entry.status))
    .map((entry) => entry.plane)
    .sort();
  return { held: planes.length > maxPlanesAtOnce, planes };
}
