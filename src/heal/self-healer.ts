import { fillTextTemplate } from '../config/template.js';
import {
  dispatchWorkflow,
  getRun,
  GithubBackoffError,
  listDispatchRuns,
  toGithubError,
  type WorkflowRun,
  type WorkflowTarget,
} from '../github/workflow-api.js';
import type { GithubClient } from '../github/octokit-client.js';
import type { Logger } from '../log/logger.js';
import type { DispatchOutcome } from '../metrics/metrics.js';
import type { StoredResult } from '../check/stored-result.js';
import { Deadline, sleep } from '../util/deadline.js';
import { newCorrelationId, titleHasCorrelation, titleNamesPlane } from './correlation.js';
import type { HealAction, HealOutcome, HealReason } from './heal-action.js';
import type { HealActionPatch, HealLog } from './heal-log.js';
import {
  countConsecutiveHealable,
  decideHeal,
  findMassIncident,
  isHealable,
  type HealDecision,
  type HealPolicy,
  type PlaneLatest,
} from './heal-policy.js';
import { RecentHealActions } from './recent-heal-actions.js';

export interface SelfHealSettings {
  target: WorkflowTarget;
  /** Workflow inputs; `{plane}` and `{status}` are filled in. `correlation_id` is always added. */
  inputs: Record<string, string>;
  policy: HealPolicy;
  runPollIntervalMs: number;
}

export interface HealMetrics {
  recordDispatch(plane: string, reason: HealReason, outcome: DispatchOutcome): void;
  recordRun(plane: string, conclusion: string): void;
  recordHealOutcome(plane: string, outcome: HealOutcome): void;
  refresh(): Promise<void>;
}

export interface SelfHealerDeps {
  settings: SelfHealSettings;
  github: GithubClient;
  /** Shared by every replica of a fleet: each dispatch is decided and recorded there under one lock. */
  healLog: HealLog;
  /** This replica's name: it follows the runs it dispatched (or took over) under a lease in the heal log. */
  instance: string;
  /** Recent results of a plane, newest first (for the failure threshold). */
  history: (plane: string, limit: number) => Promise<readonly StoredResult[]>;
  /** Checks one plane right now and publishes the result; gives up (undefined) once `signal` fires. */
  recheck: (plane: string, signal: AbortSignal) => Promise<StoredResult | undefined>;
  metrics: HealMetrics;
  log: Logger;
  /** Shutdown: once it fires no new work starts and running work stops where it can resume after a restart. */
  signal?: AbortSignal;
  now?: () => number;
  /**
   * Until when (epoch ms) a plane is in maintenance as this replica knows it (configured windows and the
   * memory view of run-time maintenance); null when it is not. Absent: no plane ever is (the Action).
   */
  maintenanceUntil?: (plane: string, now: number) => number | null;
  /**
   * Whether self-heal may dispatch for a plane (its `selfHeal.enabled`, else the section's); every plane when
   * absent. A plane it is off for is left alone entirely: no dispatch, no hold, no count towards a mass incident.
   */
  enabledFor?: (plane: string) => boolean;
  /** Records a dispatch, hold or outcome in the audit trail (in the background; the daemon fills the actor). */
  audit?: (kind: HealAuditKind, plane: string | null, reason: string) => void;
}

export type HealAuditKind =
  'dispatch' | 'dry_run' | 'dispatch_failed' | 'outcome' | 'hold_start' | 'hold_end';

/** What self-heal is holding back right now, for the status page and API. */
export interface HealHold {
  held: boolean;
  /** Epoch milliseconds when the current mass incident was first seen; null when none. */
  since: number | null;
  /**
   * The planes that read NO_USER or NO_ORACLE after the last cycle (all of them, held or not); during a hold
   * also the incident's planes that are not HEALTHY yet.
   */
  planes: string[];
  maxPlanesAtOnce: number;
}

/** Why a task stopped early: shutdown. An `AbortError`, so octokit rethrows it without a retry. */
export function shutdownReason(): DOMException {
  return new DOMException('planecheck is shutting down', 'AbortError');
}

const CONCLUSIONS = new Set([
  'success',
  'failure',
  'cancelled',
  'timed_out',
  'neutral',
  'skipped',
  'action_required',
  'stale',
  'startup_failure',
]);

const HOUR_MS = 3_600_000;
/** Actions per plane kept in memory for the status API and page. */
const RECENT_PER_PLANE = 5;

/**
 * How long a replica's claim to follow a run lasts without renewal: three polls, so one slow poll does not
 * lose it, and at least 30 s, so a re-check after the run fits. A replica that dies stops renewing; another
 * takes the run over once the lease has passed. Pure.
 */
export function followLeaseMs(runPollIntervalMs: number): number {
  return Math.max(3 * runPollIntervalMs, 30_000);
}

/**
 * Self-healing: after each cycle, for each NO_USER or NO_ORACLE plane, dispatches the smoke-test workflow
 * (when the pure heal policy allows), follows the run to its conclusion and re-checks the plane. One plane
 * is handled by at most one task at a time; a plane still busy is left for the next cycle.
 *
 * In a fleet every replica sees the same planes: the heal log decides. A dispatch is recorded through
 * `insertIf`, which re-runs the policy on what every replica recorded, under a lock, before anything is sent;
 * the replica that loses records and sends nothing. The recording replica follows the run under a lease that
 * it renews each poll; another replica takes the run over (`resume`, after each cycle) once the lease has
 * passed, or at once when the follower stopped cleanly and handed the lease back.
 */
export class SelfHealer {
  #deps: SelfHealerDeps;
  #leaseMs: number;
  /** The task of each plane being handled; one at a time per plane. */
  readonly #busy = new Map<string, Promise<void>>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  readonly #stopDeadline: Deadline;
  /** Attempts decided but not yet in the heal log: counted against the hourly cap meanwhile (pre-check only). */
  #reserved = 0;
  #refreshing: Promise<void> = Promise.resolve();
  #hold: HealHold;
  /** The planes of the mass incident under way (see `findMassIncident`); empty when none. */
  #incident: string[] = [];
  /** Every replica's newest actions, for the status API and the pre-check of the hourly cap. */
  readonly #view = new RecentHealActions(RECENT_PER_PLANE);
  /** Ids of the actions this replica is following right now. */
  readonly #following = new Set<number>();
  /** Actions whose following shutdown interrupted: their leases are handed back once the tasks are done. */
  readonly #handBack = new Set<number>();
  #syncing = false;
  /** The heal log failed to answer and has not answered since: logged once, not per plane per cycle. */
  #storeFailing = false;

  constructor(deps: SelfHealerDeps) {
    this.#deps = deps;
    this.#leaseMs = followLeaseMs(deps.settings.runPollIntervalMs);
    this.#stopDeadline = new Deadline(undefined, 'self-heal', this.#stop.signal);
    this.#hold = {
      held: false,
      since: null,
      planes: [],
      maxPlanesAtOnce: deps.settings.policy.maxPlanesAtOnce,
    };
    const { signal } = deps;
    if (signal?.aborted) this.#stop.abort(shutdownReason());
    else signal?.addEventListener('abort', () => this.#stop.abort(shutdownReason()), { once: true });
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /**
   * Settings from a reloaded config (policy, workflow, inputs, poll interval): decisions from now on use
   * them. Runs already followed keep their lease until it is next renewed.
   */
  reconfigure(settings: SelfHealSettings): void {
    this.#deps = { ...this.#deps, settings };
    this.#leaseMs = followLeaseMs(settings.runPollIntervalMs);
  }

  #maintenanceUntil(plane: string, now: number): number | null {
    return this.#deps.maintenanceUntil?.(plane, now) ?? null;
  }

  /**
   * Sees the latest fresh status of every plane once a cycle has finished. Returns at once; any work
   * happens in the background. More than `maxPlanesAtOnce` planes needing repair hold every dispatch.
   * Then `resume`: re-reads what other replicas recorded and takes over the runs whose follower is gone.
   */
  afterCycle(all: readonly PlaneLatest[]): void {
    if (this.#stop.signal.aborted) return;
    const { enabledFor } = this.#deps;
    const latest = enabledFor ? all.filter((entry) => enabledFor(entry.plane)) : all;
    const now = this.#now();
    // A plane in maintenance is expected to read NO_USER mid-migration: it never counts towards a mass incident.
    const held = this.#updateHold(
      latest.filter((entry) => this.#maintenanceUntil(entry.plane, now) === null),
    );
    for (const entry of latest) {
      if (this.#busy.has(entry.plane) || !isHealable(entry.status)) continue;
      const status = entry.status;
      this.#run(entry.plane, () => this.#evaluate(entry.plane, status, held));
    }
    this.resume();
  }

  /** Whether a mass incident holds self-heal back, and which planes need repair. */
  hold(): HealHold {
    return { ...this.#hold, planes: [...this.#hold.planes] };
  }

  /** Logs a mass incident once when it starts and once when it is over, not once per plane per cycle. */
  #updateHold(latest: readonly PlaneLatest[]): boolean {
    const { policy } = this.#deps.settings;
    const incident = findMassIncident(latest, policy.maxPlanesAtOnce, this.#incident);
    this.#incident = incident.incident;
    const wasHeld = this.#hold.held;
    const since = incident.held ? (this.#hold.since ?? this.#now()) : null;
    this.#hold = {
      held: incident.held,
      since,
      planes: incident.planes,
      maxPlanesAtOnce: policy.maxPlanesAtOnce,
    };
    if (incident.held && !wasHeld) {
      this.#deps.audit?.(
        'hold_start',
        null,
        `${incident.planes.length} planes need repair at once (selfHeal.maxPlanesAtOnce ${policy.maxPlanesAtOnce}): ` +
          `dispatching for none of them: ${incident.planes.slice(0, 20).join(', ')}`,
      );
      this.#deps.log.error(
        'self-heal held: too many planes need repair at once; dispatching for none of them',
        {
          planes: incident.planes.length,
          maxPlanesAtOnce: policy.maxPlanesAtOnce,
          planeNames: incident.planes.slice(0, 20),
        },
      );
    } else if (!incident.held && wasHeld) {
      this.#deps.audit?.(
        'hold_end',
        null,
        `${incident.planes.length} planes need repair (selfHeal.maxPlanesAtOnce ${policy.maxPlanesAtOnce}): dispatching again`,
      );
      this.#deps.log.info('self-heal hold over: few enough planes need repair', {
        planes: incident.planes.length,
        maxPlanesAtOnce: policy.maxPlanesAtOnce,
      });
    }
    return incident.held;
  }

  async #resumeUnfinished(): Promise<void> {
    const unfinished = await this.#deps.healLog.unfinished();
    for (const action of unfinished) {
      if (this.#stopping) return;
      // Cheap first look: another replica's lease still running is not taken. This replica's own (a task
      // between recording a dispatch and following it, or a start under the same name) is checked below.
      const elsewhere = action.follower !== null && action.follower !== this.#deps.instance;
      if (this.#following.has(action.id) || (elsewhere && (action.followUntil ?? 0) >= this.#now())) continue;
      // A plane busy with its evaluation (which skips it as in progress) is taken over right after.
      const busy = this.#busy.get(action.plane);
      if (busy) this.#track(busy.then(() => this.#takeOver(action)));
      else this.#takeOver(action);
    }
  }

  /** Takes over an unfinished attempt nobody follows, and follows it; nothing when another replica won it. */
  #takeOver(action: HealAction): void {
    if (this.#stopping || this.#following.has(action.id) || this.#busy.has(action.plane)) return;
    const { healLog, instance, log } = this.#deps;
    this.#run(action.plane, async () => {
      const at = this.#now();
      const until = at + this.#leaseMs;
      let taken: boolean;
      try {
        taken = await healLog.takeOver(action.id, instance, at, until);
      } catch (error) {
        if (!this.#stopping) this.#storeFailed(error, action.plane);
        return;
      }
      if (!taken) return; // another replica got there first, or it is over
      const mine = { ...action, follower: instance, followUntil: until };
      this.#view.put(mine);
      log.info('self-heal follows an unfinished attempt', {
        plane: action.plane,
        correlationId: action.correlationId,
        status: action.status,
        previousFollower: action.follower,
      });
      await this.#followLeased(mine);
    });
  }

  /**
   * Stops polling, waits for the tasks to wind down, and hands back the leases of the runs it was
   * following, so another replica (or the next start) takes them over at once.
   */
  async stop(): Promise<void> {
    this.#stop.abort(shutdownReason());
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
    this.#stopDeadline.dispose();
    const { healLog, instance, log } = this.#deps;
    for (const id of this.#handBack) {
      try {
        // A lease ending at 0 has passed for everyone; only taken back when this replica still holds it.
        await healLog.takeOver(id, instance, this.#now(), 0);
      } catch (error) {
        log.warn(
          'self-heal could not hand back a run it was following; it is taken over once the lease ends',
          {
            actionId: id,
            error: errorText(error),
          },
        );
      }
    }
    this.#handBack.clear();
  }

  /** Waits until no task is running and the metrics show what they did (tests and the one-shot Action). */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
    await this.#refreshing;
  }

  /** A plane's newest actions, by any replica, from memory: the status API never waits on the store. */
  recentActions(plane: string, limit = RECENT_PER_PLANE): HealAction[] {
    return this.#view.forPlane(plane, limit);
  }

  /**
   * Re-reads what every replica recorded (recent actions for the status API, the GitHub stop), then follows
   * each unfinished attempt that nobody follows: after a restart, and after each cycle for the runs of
   * replicas that stopped or died. Returns at once. The heal log's `takeOver` makes sure one replica wins.
   */
  resume(): void {
    if (this.#stopping || this.#syncing) return;
    this.#syncing = true;
    const { healLog } = this.#deps;
    const install = this.#view.beginRefresh();
    this.#track(
      (async () => {
        try {
          install(await healLog.recent(RECENT_PER_PLANE));
          await healLog.refreshGithubBackoff();
          await this.#resumeUnfinished();
        } catch (error) {
          this.#view.abandonRefresh();
          if (!this.#stopping) this.#storeFailed(error);
        } finally {
          this.#syncing = false;
        }
      })(),
    );
  }

  #run(plane: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => {
        if (this.#stopping) return; // interrupted by shutdown: resumes on the next start
        this.#deps.log.error('self-heal task failed', { plane, error: toGithubError(error).summary });
      })
      .finally(() => this.#busy.delete(plane));
    this.#busy.set(plane, task);
    this.#track(task);
  }

  #track(work: Promise<void>): void {
    const task = work.finally(() => {
      this.#tasks.delete(task);
      // Decisions show in /metrics once a burst of work is over, not only at the next cycle.
      if (this.#tasks.size === 0) this.#refreshing = this.#deps.metrics.refresh().catch(() => undefined);
    });
    this.#tasks.add(task);
  }

  get #stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  /** The heal log did not answer: nothing can be recorded, so nothing is dispatched. Logged once per outage. */
  #storeFailed(error: unknown, plane?: string): void {
    if (this.#storeFailing) return;
    this.#storeFailing = true;
    this.#deps.log.error('self-heal cannot use the heal log: no dispatch until it answers again', {
      plane: plane ?? null,
      error: errorText(error),
    });
  }

  #storeAnswered(): void {
    if (!this.#storeFailing) return;
    this.#storeFailing = false;
    this.#deps.log.info('self-heal: the heal log answers again');
  }

  /** Waits for `work`, or rejects with the shutdown reason as soon as shutdown begins. */
  #unlessStopping<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const signal = this.#stop.signal;
      if (signal.aborted) {
        work.catch(() => undefined);
        reject(shutdownReason());
        return;
      }
      const onAbort = () => reject(shutdownReason());
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #evaluate(plane: string, status: HealReason, held: boolean): Promise<void> {
    const { settings, healLog, metrics, log, github } = this.#deps;
    const { policy, target } = settings;
    const now = this.#now();
    // A cheap first look, so that a plane in its cooldown costs GitHub nothing; the heal log decides again
    // under its lock before anything is recorded (`#record`).
    let consecutive: number;
    let actions: HealAction[];
    try {
      const [history, planeActions] = await Promise.all([
        this.#deps.history(plane, policy.failureThreshold),
        healLog.forPlane(plane, 20),
      ]);
      consecutive = countConsecutiveHealable(history.map((stored) => stored.status));
      actions = planeActions;
    } catch (error) {
      if (this.#stopping) return;
      metrics.recordDispatch(plane, status, 'error');
      this.#storeFailed(error, plane);
      return;
    }
    const decision = decideHeal({
      status,
      consecutive,
      actions,
      // The view may hold fewer than the store: only the locked decision is exact.
      attemptsLastHour: this.#view.countSince(now - HOUR_MS) + this.#reserved,
      held,
      maintenanceUntil: this.#maintenanceUntil(plane, now),
      now,
      policy,
    });
    if (decision.kind === 'ignore') return;
    const { reason } = decision;
    if (decision.kind === 'skip') {
      this.#skipped(plane, decision);
      return;
    }

    const correlationId = newCorrelationId(now);
    const inputs = this.#inputs(plane, reason, correlationId);
    if (decision.dryRun) {
      if (this.#turnedOff(plane)) return;
      const recorded = await this.#record(plane, reason, consecutive, correlationId, 'dry_run');
      if (!recorded) return;
      metrics.recordDispatch(plane, reason, 'dry_run');
      this.#deps.audit?.(
        'dry_run',
        plane,
        `${reason}, ${inARow(consecutive)}: would dispatch (selfHeal.dryRun); correlation ${correlationId}`,
      );
      log.info('self-heal dry run: would dispatch the smoke-test workflow', {
        plane,
        reason,
        correlationId,
        inputs,
      });
      return;
    }

    // Another daemon or a CI job may already be repairing this plane: never start the same repair twice.
    let running: WorkflowRun | undefined;
    this.#reserved++;
    try {
      const runs = await this.#unlessStopping(
        listDispatchRuns(github, target, new Date(now - policy.runTimeoutMs)),
      );
      running = runs.find((run) => run.status !== 'completed' && titleNamesPlane(run.title, plane));
    } catch (error) {
      this.#reserved--;
      if (this.#stopping) return; // nothing was sent: the next start decides afresh
      const failure = toGithubError(error);
      metrics.recordDispatch(plane, reason, failure.kind === 'rate_limited' ? 'rate_limited' : 'error');
      if (failure instanceof GithubBackoffError) {
        log.info('self-heal held back: GitHub rate limit', {
          plane,
          reason,
          until: new Date(failure.until).toISOString(),
        });
      } else log.error('self-heal could not list workflow runs', { plane, error: failure.summary });
      return;
    }
    if (running) {
      this.#reserved--;
      metrics.recordDispatch(plane, reason, 'in_progress');
      log.info('self-heal held back: a smoke-test run for this plane is already going', {
        plane,
        runId: running.id,
        runUrl: running.htmlUrl,
      });
      return;
    }

    // Listing the runs can take seconds: a mass incident seen meanwhile, or shutdown, still stops the POST.
    if (this.#hold.held || this.#stopping) {
      this.#reserved--;
      if (!this.#stopping) metrics.recordDispatch(plane, reason, 'held');
      return;
    }
    if (this.#turnedOff(plane)) {
      this.#reserved--;
      return;
    }
    // The intent is stored before the request: a crash right after it can never cause a second dispatch,
    // and a replica that decided the same a moment later finds it under the lock and sends nothing.
    let action: HealAction | undefined;
    try {
      action = await this.#record(plane, reason, consecutive, correlationId, 'dispatching');
    } finally {
      this.#reserved--;
    }
    if (!action) return;
    let dispatched: { runId?: number; runUrl?: string };
    let sent = false;
    const dispatching = dispatchWorkflow(github, target, inputs, () => (sent = true));
    try {
      dispatched = await this.#unlessStopping(dispatching);
    } catch (error) {
      if (this.#stopping) {
        // Still in octokit's queue at shutdown: it fails there without being sent (soon: the queue only
        // spaces writes a second apart), and nothing can have started.
        await dispatching.catch(() => undefined);
        if (!sent) {
          await this.#write(action, {
            status: 'dispatch_failed',
            error: 'not sent: shutdown',
            updatedAt: this.#now(),
          });
          log.info('self-heal dispatch not sent: shutdown', { plane, correlationId });
          return;
        }
        // GitHub may or may not have started the run: the attempt stays `dispatching`, and whoever follows
        // it next (another replica at once: the lease is handed back) looks for it by correlation id.
        this.#handBack.add(action.id);
        log.info('self-heal dispatch interrupted by shutdown; its run is looked for by correlation id', {
          plane,
          correlationId,
        });
        return;
      }
      const failure = toGithubError(error);
      if (failure.outcomeUnknown) {
        // A timeout or a 5xx (a proxy's, or GitHub's after it acted) may hide a started run: never POST
        // again blindly. The attempt stays 'dispatching' and its run is looked for by correlation id.
        action = await this.#write(action, { error: failure.summary, updatedAt: this.#now() });
        log.warn('self-heal dispatch got no clear answer; looking for its run before any new dispatch', {
          plane,
          reason,
          correlationId,
          error: failure.summary,
        });
        await this.#followLeased(action, reason);
        return;
      }
      await this.#write(action, {
        status: 'dispatch_failed',
        error: failure.summary,
        updatedAt: this.#now(),
      });
      metrics.recordDispatch(plane, reason, failure.kind === 'rate_limited' ? 'rate_limited' : 'error');
      this.#deps.audit?.(
        'dispatch_failed',
        plane,
        `${reason}: GitHub refused the dispatch (${failure.summary}); correlation ${correlationId}`,
      );
      await metrics.refresh();
      log.error('self-heal dispatch failed', { plane, reason, correlationId, error: failure.summary });
      return;
    }
    action = await this.#write(action, {
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null,
      updatedAt: this.#now(),
      status: dispatched.runId === undefined ? 'dispatching' : 'queued',
    });
    metrics.recordDispatch(plane, reason, 'dispatched');
    this.#deps.audit?.(
      'dispatch',
      plane,
      `${reason}, ${inARow(consecutive)}: dispatched the smoke-test workflow; correlation ${correlationId}` +
        (dispatched.runUrl ? `; run ${dispatched.runUrl}` : ''),
    );
    await metrics.refresh();
    log.info('self-heal dispatched the smoke-test workflow', {
      plane,
      reason,
      correlationId,
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null,
    });
    await this.#followLeased(action);
  }

  /**
   * Whether a config reload turned self-heal off for the plane (or removed the plane) since the cycle that
   * chose it: checked again once the slow part of a decision (GitHub's runs listing) is over, so that no
   * dispatch goes out for a plane the operator has just taken away from self-heal.
   */
  #turnedOff(plane: string): boolean {
    if (this.#deps.enabledFor?.(plane) !== false) return false;
    this.#deps.log.info('self-heal held back: it is off for this plane now', { plane });
    return true;
  }

  #skipped(plane: string, decision: Extract<HealDecision, { kind: 'skip' }>): void {
    this.#deps.metrics.recordDispatch(plane, decision.reason, decision.outcome);
    // A mass incident is logged once for all planes (#updateHold), not here per plane per cycle.
    if (decision.outcome !== 'held') {
      this.#deps.log.info('self-heal held back', {
        plane,
        reason: decision.reason,
        outcome: decision.outcome,
        detail: decision.detail,
      });
    }
  }

  /**
   * Records an attempt through the heal log's `insertIf`: the policy decides again on what every replica
   * recorded, under the log's lock. Undefined when it said no (counted and logged as that skip) or when the
   * heal log did not answer (counted as an error: an attempt that cannot be recorded is not made).
   */
  async #record(
    plane: string,
    reason: HealReason,
    consecutive: number,
    correlationId: string,
    status: 'dispatching' | 'dry_run',
  ): Promise<HealAction | undefined> {
    const { healLog, instance, metrics, settings } = this.#deps;
    const at = this.#now();
    let refused: HealDecision | undefined;
    let action: HealAction | undefined;
    try {
      action = await healLog.insertIf(plane, at, (view) => {
        const decision = decideHeal({
          status: reason,
          consecutive,
          actions: view.actions,
          attemptsLastHour: view.attemptsLastHour,
          held: this.#hold.held,
          // The stored run-time maintenance (another replica may have started it) or a configured window.
          maintenanceUntil:
            Math.max(view.maintenanceUntil ?? 0, this.#maintenanceUntil(plane, at) ?? 0) || null,
          now: at,
          policy: settings.policy,
        });
        if (decision.kind !== 'dispatch') {
          refused = decision;
          return undefined;
        }
        const following = status === 'dispatching';
        return {
          ...newAction(plane, reason, correlationId, at, status),
          follower: following ? instance : null,
          followUntil: following ? at + this.#leaseMs : null,
        };
      });
    } catch (error) {
      if (this.#stopping) return undefined;
      metrics.recordDispatch(plane, reason, 'error');
      this.#storeFailed(error, plane);
      return undefined;
    }
    this.#storeAnswered();
    if (action) {
      this.#view.put(action);
      return action;
    }
    if (refused?.kind === 'skip') this.#skipped(plane, refused);
    return undefined;
  }

  /** Stores a change to an action, and shows it in the view. */
  async #write(action: HealAction, patch: HealActionPatch): Promise<HealAction> {
    await this.#deps.healLog.update(action.id, patch);
    const next = { ...action };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) Object.assign(next, { [key]: value });
    }
    this.#view.put(next);
    return next;
  }

  /** Follows an action this replica holds the lease of; remembers it for the hand-back if shutdown interrupts. */
  async #followLeased(action: HealAction, unconfirmed?: HealReason): Promise<void> {
    this.#following.add(action.id);
    let over = false;
    try {
      over = await this.#follow(action, unconfirmed);
    } finally {
      this.#following.delete(action.id);
      if (!over && this.#stopping) this.#handBack.add(action.id);
    }
  }

  /**
   * Renews this replica's lease on the action. False when another replica holds it now (this one was too
   * slow, or presumed gone): it follows the run from here. A heal log that does not answer keeps the run
   * followed here: no other replica can take it over through that log either.
   */
  async #renew(action: HealAction): Promise<boolean> {
    const now = this.#now();
    try {
      return await this.#deps.healLog.takeOver(action.id, this.#deps.instance, now, now + this.#leaseMs);
    } catch (error) {
      this.#storeFailed(error, action.plane);
      return true;
    }
  }

  /**
   * Polls the run (finding it by correlation id first when GitHub gave no id) until it completes, renewing
   * the follow lease each time. `unconfirmed`: the dispatch got no clear answer, so it is counted once the
   * run is found or lost. True once the attempt is over for this replica (an outcome is recorded, or another
   * replica follows it now); false when shutdown interrupted it.
   */
  async #follow(start: HealAction, unconfirmed?: HealReason): Promise<boolean> {
    const { settings, github, log } = this.#deps;
    const { target, policy } = settings;
    let action = start;
    const deadline = action.dispatchedAt + policy.runTimeoutMs;
    let runId = action.runId;
    let run: WorkflowRun | undefined;
    const lostLease = () => {
      log.info('self-heal: another replica follows this run now', {
        plane: action.plane,
        correlationId: action.correlationId,
      });
      return true;
    };
    // Polls at least once, so an attempt resumed after its deadline still learns how a finished run ended.
    for (;;) {
      if (this.#stopping) return false;
      if (!(await this.#renew(action))) return lostLease();
      if (this.#stopping) return false;
      // GitHub's answer first; a heal log that then refuses the write ends the task (`#write` rejects): the
      // lease runs out and a replica that can record takes the run over.
      let seen: { run: WorkflowRun; found: boolean } | undefined;
      try {
        if (runId === null) {
          // Runs show up a few seconds after the dispatch; a minute of slack covers clock skew.
          const runs = await this.#unlessStopping(
            listDispatchRuns(github, target, new Date(action.dispatchedAt - 60_000)),
          );
          const found = runs.find((candidate) => titleHasCorrelation(candidate.title, action.correlationId));
          if (found) seen = { run: found, found: true };
        } else {
          seen = { run: await this.#unlessStopping(getRun(github, target, runId)), found: false };
        }
      } catch (error) {
        if (this.#stopping) return false;
        // A request the rate-limit gate held back was never sent: the client logged the stop once.
        if (!(error instanceof GithubBackoffError)) {
          log.warn('self-heal could not read the workflow run; will retry', {
            plane: action.plane,
            correlationId: action.correlationId,
            error: toGithubError(error).summary,
          });
        }
      }
      if (seen) {
        run = seen.run;
        runId = run.id;
        action = await this.#write(action, {
          ...(seen.found ? { runId } : {}),
          status: runStatus(run),
          runUrl: run.htmlUrl || null,
          updatedAt: this.#now(),
        });
        if (seen.found) {
          log.info('self-heal found its workflow run', { plane: action.plane, runId, runUrl: run.htmlUrl });
          if (unconfirmed) this.#deps.metrics.recordDispatch(action.plane, unconfirmed, 'dispatched');
        }
        if (run.status === 'completed') break;
      }
      if (this.#now() >= deadline) break;
      try {
        await sleep(settings.runPollIntervalMs, this.#stopDeadline);
      } catch {
        return false; // shutting down: the attempt is handed back and resumed elsewhere or on the next start
      }
    }
    if (run?.status !== 'completed') {
      if (unconfirmed && runId === null)
        this.#deps.metrics.recordDispatch(action.plane, unconfirmed, 'error');
      await this.#finish(action, runId === null ? 'lost' : undefined, 'timed_out', null);
      return true;
    }
    const conclusion = run.conclusion ?? 'unknown';
    this.#deps.metrics.recordRun(action.plane, CONCLUSIONS.has(conclusion) ? conclusion : 'other');
    if (conclusion !== 'success') {
      await this.#finish(action, 'completed', 'workflow_failed', conclusion);
      return true;
    }
    // The run's `completed` status is stored already; with no outcome yet, an interrupted re-check is
    // resumed later (the heal log's `unfinished()` includes it). The lease must outlast the re-check.
    if (!(await this.#renew(action))) return lostLease();
    const recheck = await this.#deps.recheck(action.plane, this.#stop.signal);
    if (this.#stopping) return false;
    await this.#finish(
      action,
      'completed',
      recheck?.status === 'HEALTHY' ? 'fixed' : 'still_broken',
      conclusion,
      recheck,
    );
    return true;
  }

  async #finish(
    action: HealAction,
    status: HealAction['status'] | undefined,
    outcome: HealOutcome,
    conclusion: string | null,
    recheck?: StoredResult,
  ): Promise<void> {
    const { metrics, log } = this.#deps;
    await this.#write(action, {
      status,
      outcome,
      conclusion: conclusion ?? undefined,
      updatedAt: this.#now(),
    });
    metrics.recordHealOutcome(action.plane, outcome);
    this.#deps.audit?.(
      'outcome',
      action.plane,
      `${outcome}` +
        (conclusion === null ? '' : ` (run ${conclusion})`) +
        (recheck
          ? `, re-check ${recheck.status}`
          : // A re-check gives nothing only for a plane no longer configured (a reload removed it).
            outcome === 'still_broken'
            ? ', not re-checked: the plane is no longer configured'
            : '') +
        `; correlation ${action.correlationId}`,
    );
    await metrics.refresh();
    log.info('self-heal finished', {
      plane: action.plane,
      correlationId: action.correlationId,
      outcome,
      conclusion,
      statusAfter: recheck?.status ?? null,
      follower: this.#deps.instance,
    });
  }

  #inputs(plane: string, reason: HealReason, correlationId: string): Record<string, string> {
    const inputs: Record<string, string> = {};
    for (const [name, template] of Object.entries(this.#deps.settings.inputs)) {
      inputs[name] = fillTextTemplate(template, { plane, status: reason });
    }
    inputs.correlation_id = correlationId;
    return inputs;
  }
}

function newAction(
  plane: string,
  reason: HealReason,
  correlationId: string,
  now: number,
  status: HealAction['status'],
): Omit<HealAction, 'id'> {
  return {
    plane,
    reason,
    correlationId,
    dispatchedAt: now,
    status,
    runId: null,
    runUrl: null,
    conclusion: null,
    outcome: null,
    error: null,
    updatedAt: now,
    follower: null,
    followUntil: null,
  };
}

function runStatus(run: WorkflowRun): HealAction['status'] {
  if (run.status === 'completed') return 'completed';
  return run.status === 'in_progress' ? 'in_progress' : 'queued';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function inARow(count: number): string {
  return `${count} result${count === 1 ? '' : 's'} in a row`;
}
