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
import type { HealLog } from '../store/sqlite-heal-log.js';
import { Deadline, sleep } from '../util/deadline.js';
import { newCorrelationId, titleHasCorrelation, titleNamesPlane } from './correlation.js';
import type { HealAction, HealOutcome, HealReason } from './heal-action.js';
import {
  countConsecutiveHealable,
  decideHeal,
  findMassIncident,
  isHealable,
  type HealPolicy,
  type PlaneLatest,
} from './heal-policy.js';

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
  healLog: HealLog;
  /** Recent results of a plane, newest first (for the failure threshold). */
  history: (plane: string, limit: number) => Promise<StoredResult[]>;
  /** Checks one plane right now and publishes the result; gives up (undefined) once `signal` fires. */
  recheck: (plane: string, signal: AbortSignal) => Promise<StoredResult | undefined>;
  metrics: HealMetrics;
  log: Logger;
  /** Shutdown: once it fires no new work starts and running work stops where it can resume after a restart. */
  signal?: AbortSignal;
  now?: () => number;
}

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

/**
 * Self-healing: after each cycle, for each NO_USER or NO_ORACLE plane, dispatches the smoke-test workflow
 * (when the pure heal policy allows), follows the run to its conclusion and re-checks the plane. One plane
 * is handled by at most one task at a time; a plane still busy is left for the next cycle.
 */
export class SelfHealer {
  readonly #deps: SelfHealerDeps;
  readonly #busy = new Set<string>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  readonly #stopDeadline: Deadline;
  /** Attempts decided but not yet in the heal log: counted against the hourly cap meanwhile. */
  #reserved = 0;
  #refreshing: Promise<void> = Promise.resolve();
  #hold: HealHold;
  /** The planes of the mass incident under way (see `findMassIncident`); empty when none. */
  #incident: string[] = [];

  constructor(deps: SelfHealerDeps) {
    this.#deps = deps;
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
   * Sees the latest fresh status of every plane once a cycle has finished. Returns at once; any work
   * happens in the background. More than `maxPlanesAtOnce` planes needing repair hold every dispatch.
   */
  afterCycle(latest: readonly PlaneLatest[]): void {
    if (this.#stop.signal.aborted) return;
    const held = this.#updateHold(latest);
    for (const entry of latest) {
      if (this.#busy.has(entry.plane) || !isHealable(entry.status)) continue;
      const status = entry.status;
      this.#run(entry.plane, () => this.#evaluate(entry.plane, status, held));
    }
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
      this.#deps.log.error(
        'self-heal held: too many planes need repair at once; dispatching for none of them',
        {
          planes: incident.planes.length,
          maxPlanesAtOnce: policy.maxPlanesAtOnce,
          planeNames: incident.planes.slice(0, 20),
        },
      );
    } else if (!incident.held && wasHeld) {
      this.#deps.log.info('self-heal hold over: few enough planes need repair', {
        planes: incident.planes.length,
        maxPlanesAtOnce: policy.maxPlanesAtOnce,
      });
    }
    return incident.held;
  }

  /** After a restart: follows every attempt that had not finished. */
  resume(): void {
    for (const action of this.#deps.healLog.unfinished()) {
      if (this.#busy.has(action.plane)) continue;
      this.#run(action.plane, () => this.#follow(action));
    }
  }

  /** Stops polling and waits for the tasks to wind down; unfinished attempts resume on the next start. */
  async stop(): Promise<void> {
    this.#stop.abort(shutdownReason());
    await Promise.allSettled([...this.#tasks]);
    this.#stopDeadline.dispose();
  }

  /** Waits until no task is running and the metrics show what they did (tests and the one-shot Action). */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
    await this.#refreshing;
  }

  recentActions(plane: string, limit = 5): HealAction[] {
    return this.#deps.healLog.forPlane(plane, limit);
  }

  #run(plane: string, work: () => Promise<void>): void {
    this.#busy.add(plane);
    const task = work()
      .catch((error: unknown) => {
        if (this.#stopping) return; // interrupted by shutdown: resumes on the next start
        this.#deps.log.error('self-heal task failed', { plane, error: toGithubError(error).summary });
      })
      .finally(() => {
        this.#busy.delete(plane);
        this.#tasks.delete(task);
        // Decisions show in /metrics once a burst of work is over, not only at the next cycle.
        if (this.#tasks.size === 0) this.#refreshing = this.#deps.metrics.refresh().catch(() => undefined);
      });
    this.#tasks.add(task);
  }

  get #stopping(): boolean {
    return this.#stop.signal.aborted;
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
    const consecutive = countConsecutiveHealable(
      (await this.#deps.history(plane, policy.failureThreshold)).map((stored) => stored.status),
    );
    const decision = decideHeal({
      status,
      consecutive,
      actions: healLog.forPlane(plane, 20),
      attemptsLastHour: healLog.attemptsSince(now - 3_600_000) + this.#reserved,
      held,
      now,
      policy,
    });
    if (decision.kind === 'ignore') return;
    const { reason } = decision;
    if (decision.kind === 'skip') {
      metrics.recordDispatch(plane, reason, decision.outcome);
      // A mass incident is logged once for all planes (#updateHold), not here per plane per cycle.
      if (decision.outcome !== 'held') {
        log.info('self-heal held back', {
          plane,
          reason,
          outcome: decision.outcome,
          detail: decision.detail,
        });
      }
      return;
    }

    const correlationId = newCorrelationId(now);
    const inputs = this.#inputs(plane, reason, correlationId);
    if (decision.dryRun) {
      healLog.insert(newAction(plane, reason, correlationId, now, 'dry_run'));
      metrics.recordDispatch(plane, reason, 'dry_run');
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
    // The intent is stored before the request: a crash right after it can never cause a second dispatch.
    // A failed write (SQLite busy, disk full) must not keep its hourly-cap slot until a restart.
    let action: HealAction;
    try {
      action = healLog.insert(newAction(plane, reason, correlationId, this.#now(), 'dispatching'));
    } finally {
      this.#reserved--;
    }
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
          healLog.update(action.id, {
            status: 'dispatch_failed',
            error: 'not sent: shutdown',
            updatedAt: this.#now(),
          });
          log.info('self-heal dispatch not sent: shutdown', { plane, correlationId });
          return;
        }
        // GitHub may or may not have started the run: the attempt stays `dispatching`, and the next start
        // looks for it by correlation id instead of dispatching again.
        log.info('self-heal dispatch interrupted by shutdown; its run is looked for on the next start', {
          plane,
          correlationId,
        });
        return;
      }
      const failure = toGithubError(error);
      if (failure.outcomeUnknown) {
        // A timeout or a 5xx (a proxy's, or GitHub's after it acted) may hide a started run: never POST
        // again blindly. The attempt stays 'dispatching' and its run is looked for by correlation id.
        healLog.update(action.id, { error: failure.summary, updatedAt: this.#now() });
        log.warn('self-heal dispatch got no clear answer; looking for its run before any new dispatch', {
          plane,
          reason,
          correlationId,
          error: failure.summary,
        });
        await this.#follow({ ...action, error: failure.summary }, reason);
        return;
      }
      healLog.update(action.id, {
        status: 'dispatch_failed',
        error: failure.summary,
        updatedAt: this.#now(),
      });
      metrics.recordDispatch(plane, reason, failure.kind === 'rate_limited' ? 'rate_limited' : 'error');
      await metrics.refresh();
      log.error('self-heal dispatch failed', { plane, reason, correlationId, error: failure.summary });
      return;
    }
    const patch = {
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null,
      updatedAt: this.#now(),
    };
    healLog.update(action.id, {
      ...patch,
      status: dispatched.runId === undefined ? 'dispatching' : 'queued',
    });
    metrics.recordDispatch(plane, reason, 'dispatched');
    await metrics.refresh();
    log.info('self-heal dispatched the smoke-test workflow', {
      plane,
      reason,
      correlationId,
      runId: dispatched.runId ?? null,
      runUrl: dispatched.runUrl ?? null,
    });
    await this.#follow({ ...action, ...patch });
  }

  /**
   * Polls the run (finding it by correlation id first when GitHub gave no id) until it completes.
   * `unconfirmed`: the dispatch got no clear answer, so it is counted once the run is found or lost.
   */
  async #follow(action: HealAction, unconfirmed?: HealReason): Promise<void> {
    const { settings, healLog, github, log } = this.#deps;
    const { target, policy } = settings;
    const deadline = action.dispatchedAt + policy.runTimeoutMs;
    let runId = action.runId;
    let run: WorkflowRun | undefined;
    // Polls at least once, so an attempt resumed after its deadline still learns how a finished run ended.
    for (;;) {
      if (this.#stopping) return; // the attempt resumes on the next start
      try {
        if (runId === null) {
          // Runs show up a few seconds after the dispatch; a minute of slack covers clock skew.
          const runs = await this.#unlessStopping(
            listDispatchRuns(github, target, new Date(action.dispatchedAt - 60_000)),
          );
          const found = runs.find((candidate) => titleHasCorrelation(candidate.title, action.correlationId));
          if (found) {
            runId = found.id;
            run = found;
            healLog.update(action.id, {
              runId,
              runUrl: found.htmlUrl,
              status: runStatus(found),
              updatedAt: this.#now(),
            });
            log.info('self-heal found its workflow run', {
              plane: action.plane,
              runId,
              runUrl: found.htmlUrl,
            });
            if (unconfirmed) this.#deps.metrics.recordDispatch(action.plane, unconfirmed, 'dispatched');
          }
        } else {
          run = await this.#unlessStopping(getRun(github, target, runId));
          healLog.update(action.id, {
            status: runStatus(run),
            runUrl: run.htmlUrl || null,
            updatedAt: this.#now(),
          });
        }
        if (run?.status === 'completed') break;
      } catch (error) {
        if (this.#stopping) return;
        // A request the rate-limit gate held back was never sent: the client logged the stop once.
        if (!(error instanceof GithubBackoffError)) {
          log.warn('self-heal could not read the workflow run; will retry', {
            plane: action.plane,
            correlationId: action.correlationId,
            error: toGithubError(error).summary,
          });
        }
      }
      if (this.#now() >= deadline) break;
      try {
        await sleep(settings.runPollIntervalMs, this.#stopDeadline);
      } catch {
        return; // shutting down: the attempt resumes on the next start
      }
    }
    if (run?.status !== 'completed') {
      if (unconfirmed && runId === null)
        this.#deps.metrics.recordDispatch(action.plane, unconfirmed, 'error');
      await this.#finish(action, runId === null ? 'lost' : undefined, 'timed_out', null);
      return;
    }
    const conclusion = run.conclusion ?? 'unknown';
    this.#deps.metrics.recordRun(action.plane, CONCLUSIONS.has(conclusion) ? conclusion : 'other');
    if (conclusion !== 'success') {
      await this.#finish(action, 'completed', 'workflow_failed', conclusion);
      return;
    }
    // The run's `completed` status is stored already; with no outcome yet, an interrupted re-check is
    // resumed on the next start (the heal log's `unfinished()` includes it).
    const recheck = await this.#deps.recheck(action.plane, this.#stop.signal);
    if (this.#stopping) return;
    await this.#finish(
      action,
      'completed',
      recheck?.status === 'HEALTHY' ? 'fixed' : 'still_broken',
      conclusion,
      recheck,
    );
  }

  async #finish(
    action: HealAction,
    status: HealAction['status'] | undefined,
    outcome: HealOutcome,
    conclusion: string | null,
    recheck?: StoredResult,
  ): Promise<void> {
    const { healLog, metrics, log } = this.#deps;
    healLog.update(action.id, {
      status,
      outcome,
      conclusion: conclusion ?? undefined,
      updatedAt: this.#now(),
    });
    metrics.recordHealOutcome(action.plane, outcome);
    await metrics.refresh();
    log.info('self-heal finished', {
      plane: action.plane,
      correlationId: action.correlationId,
      outcome,
      conclusion,
      statusAfter: recheck?.status ?? null,
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
  };
}

function runStatus(run: WorkflowRun): HealAction['status'] {
  if (run.status === 'completed') return 'completed';
  return run.status === 'in_progress' ? 'in_progress' : 'queued';
}
