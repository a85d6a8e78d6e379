/** Why a plane needs healing: the two statuses that the smoke-test workflow repairs. */
export type HealReason = 'NO_USER' | 'NO_ORACLE';

export type HealActionStatus =
  /**
   * The intent is stored and the dispatch request is (or was, before a crash) on its way, or got no clear
   * answer (timeout, 5xx; `error` says which): its run is looked for by correlation id, never re-sent.
   */
  | 'dispatching'
  | 'queued'
  | 'in_progress'
  | 'completed'
  /** GitHub answered the dispatch with an error: nothing started. */
  | 'dispatch_failed'
  /** Dispatched, but no run with our correlation id turned up before the run timeout. */
  | 'lost'
  /** `selfHeal.dryRun`: what would have been dispatched. */
  | 'dry_run';

export type HealOutcome = 'fixed' | 'workflow_failed' | 'still_broken' | 'timed_out';

/** One self-heal attempt for one plane, as stored. */
export interface HealAction {
  id: number;
  plane: string;
  reason: HealReason;
  correlationId: string;
  /** Epoch milliseconds when the intent was stored. */
  dispatchedAt: number;
  status: HealActionStatus;
  runId: number | null;
  /** The run's page on GitHub. */
  runUrl: string | null;
  conclusion: string | null;
  outcome: HealOutcome | null;
  /** A fixed-vocabulary error kind with the HTTP status, e.g. `unauthorized (401)`. */
  error: string | null;
  updatedAt: number;
  /** The replica following the run to its outcome (the dispatching one first); another takes over once `followUntil` has passed. */
  follower: string | null;
  /** Epoch ms until which `follower` holds the follow lease. */
  followUntil: number | null;
}

/** Statuses of an attempt that may still start or be running a repair. */
export const ACTIVE_STATUSES: readonly HealActionStatus[] = ['dispatching', 'queued', 'in_progress'];

/**
 * Statuses of an attempt that is not over while it has no outcome: a run still going, or a run that
 * completed but whose re-check was interrupted (shutdown); both are followed again after a restart.
 */
export const RESUMABLE_STATUSES: readonly HealActionStatus[] = [...ACTIVE_STATUSES, 'completed'];
