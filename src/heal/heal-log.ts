import type { GithubBackoffStore } from '../github/rate-limit-stop.js';
import type { HealAction } from './heal-action.js';

export type NewHealAction = Omit<HealAction, 'id'>;
export type HealActionPatch = Partial<Omit<HealAction, 'id' | 'plane' | 'correlationId' | 'dispatchedAt'>>;

/** What a dispatch decision reads; read, decided and recorded under one lock. */
export interface HealLogView {
  /** The plane's newest actions, newest first (at most 20). */
  actions: HealAction[];
  /** Attempts for any plane, by any replica, dispatched at or after `now - 1 h`. */
  attemptsLastHour: number;
  /**
   * Until when (epoch ms) the plane is in maintenance started at run time (API, CLI), as stored now; null
   * when it is not. Read under the same lock, so a fleet never dispatches into a maintenance already stored.
   */
  maintenanceUntil: number | null;
}

/**
 * Self-heal attempts, persisted so that neither a restart nor a second replica ever re-dispatches inside the
 * cooldown; and the time GitHub asked for no requests until, so that a restart never ends a rate-limit stop
 * early. The port lives here with the domain; SQLite (src/store/sqlite-heal-log.ts), PostgreSQL
 * (src/store/postgres/pg-heal-log.ts) and memory (memory-heal-log.ts, the one-shot Action) implement it.
 */
export interface HealLog extends GithubBackoffStore {
  /**
   * The one place a dispatch is recorded: `decide` sees the plane's actions and the attempts of the last hour
   * (`now` is the caller's clock) and returns the action to record, or undefined. Reading, deciding and
   * inserting are one transaction under a lock every replica takes, committed before the caller sends
   * anything to GitHub: so N replicas make one dispatch. Rejects when the store does not answer: no record,
   * so no dispatch.
   */
  insertIf(
    plane: string,
    now: number,
    decide: (view: HealLogView) => NewHealAction | undefined,
  ): Promise<HealAction | undefined>;
  update(id: number, patch: HealActionPatch): Promise<void>;
  /** Newest first. */
  forPlane(plane: string, limit: number): Promise<HealAction[]>;
  /** The newest `perPlane` actions of every plane that has any, newest first within a plane. */
  recent(perPlane: number): Promise<HealAction[]>;
  /** Attempts that may still be running or whose outcome was never recorded. */
  unfinished(): Promise<HealAction[]>;
  /**
   * Makes `instance` the follower of action `id` until `until` (epoch ms) when nobody else holds a follow
   * lease on it that is still running at `now`; true when `instance` now holds it (also a renewal).
   */
  takeOver(id: number, instance: string, now: number, until: number): Promise<boolean>;
  /** Re-reads the GitHub stop, which another replica may have recorded (`githubBackoffUntil` is a memory copy). */
  refreshGithubBackoff(): Promise<void>;
}
