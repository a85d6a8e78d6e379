import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PLANE_STATUSES, STEP_NAMES } from '../check/result.js';
import type { PlaneState, StoredResult } from '../store/plane-state.js';

/** Step latency buckets, in seconds: 10 ms to 30 s covers a lookup on a warm connection to a slow async model. */
const STEP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CYCLE_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120];

export const DISPATCH_OUTCOMES = [
  'dispatched',
  'cooldown',
  'in_progress',
  'threshold',
  'rate_capped',
  'dry_run',
  'error',
] as const;
export type DispatchOutcome = (typeof DISPATCH_OUTCOMES)[number];

/**
 * planecheck's Prometheus metrics, on registries of their own (never the global one).
 *
 * Two parts: the status gauges are computed at scrape time from the in-memory status board, so a
 * plane turns NO_VALUE the moment its result expires even when no cycle runs; the histograms and
 * counters only change as results arrive, so their text is rendered once per cycle and cached (a full
 * render of 1,000 planes' histograms takes tens of milliseconds and would block every scrape).
 */
export class PlanecheckMetrics {
  readonly #live = new Registry();
  readonly #cycle = new Registry();
  #cachedCycleText = '';
  #dirty = true;

  readonly #checkDuration: Histogram<'workload_plane' | 'step'>;
  readonly #checksTotal: Counter<'workload_plane' | 'status'>;
  readonly #cycleDuration: Histogram;
  readonly #cyclesTotal: Counter;
  readonly #overrunsTotal: Counter;
  readonly #storageErrors: Counter<'operation'>;
  readonly #storageRecoveries: Counter;
  readonly #dispatches: Counter<'workload_plane' | 'reason' | 'outcome'>;
  readonly #runs: Counter<'workload_plane' | 'conclusion'>;

  constructor(planes: readonly string[], states: () => readonly PlaneState[]) {
    const live = [this.#live];
    const cycle = [this.#cycle];
    new Gauge({
      name: 'planecheck_status',
      help: 'Current status of each workload plane: 1 for the status it is in, 0 for the other four.',
      labelNames: ['workload_plane', 'status'] as const,
      registers: live,
      collect() {
        for (const state of states()) {
          for (const status of PLANE_STATUSES) {
            this.set({ workload_plane: state.plane, status }, state.status === status ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'planecheck_last_check_timestamp_seconds',
      help: 'Unix time of the last completed check of each workload plane.',
      labelNames: ['workload_plane'] as const,
      registers: live,
      collect() {
        for (const state of states()) {
          if (state.checkedAt !== null) this.set({ workload_plane: state.plane }, state.checkedAt / 1000);
        }
      },
    });
    collectDefaultMetrics({ register: this.#live });
    // Gauges named like counters fail `promtool check metrics`; the per-type gauges carry the same data.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.#live.removeSingleMetric(name);
    }

    this.#checkDuration = new Histogram({
      name: 'planecheck_check_duration_seconds',
      help: 'Duration of each step of a plane check, and of the whole check (step="total").',
      labelNames: ['workload_plane', 'step'] as const,
      buckets: STEP_BUCKETS,
      registers: cycle,
    });
    this.#checksTotal = new Counter({
      name: 'planecheck_checks_total',
      help: 'Completed plane checks by resulting status.',
      labelNames: ['workload_plane', 'status'] as const,
      registers: cycle,
    });
    this.#cycleDuration = new Histogram({
      name: 'planecheck_cycle_duration_seconds',
      help: 'Wall time of one check cycle over all planes.',
      buckets: CYCLE_BUCKETS,
      registers: cycle,
    });
    this.#cyclesTotal = new Counter({
      name: 'planecheck_cycles_total',
      help: 'Completed check cycles.',
      registers: cycle,
    });
    this.#overrunsTotal = new Counter({
      name: 'planecheck_cycle_overruns_total',
      help: 'Scheduled cycles skipped because the previous cycle was still running.',
      registers: cycle,
    });
    this.#storageErrors = new Counter({
      name: 'planecheck_storage_errors_total',
      help: 'Failed writes or reads of the SQLite store.',
      labelNames: ['operation'] as const,
      registers: cycle,
    });
    this.#storageRecoveries = new Counter({
      name: 'planecheck_storage_recoveries_total',
      help: 'Times the database file was unusable, moved aside and replaced by a fresh one.',
      registers: cycle,
    });
    this.#dispatches = new Counter({
      name: 'planecheck_self_heal_dispatches_total',
      help: 'Self-heal decisions on NO_USER/NO_ORACLE planes, by outcome (dispatched, or why not).',
      labelNames: ['workload_plane', 'reason', 'outcome'] as const,
      registers: cycle,
    });
    this.#runs = new Counter({
      name: 'planecheck_self_heal_runs_total',
      help: 'Completed smoke-test workflow runs started by self-heal, by conclusion.',
      labelNames: ['workload_plane', 'conclusion'] as const,
      registers: cycle,
    });

    // Zero every series up front so rate() and increase() work from the first scrape.
    for (const plane of planes) {
      for (const status of PLANE_STATUSES)
        if (status !== 'NO_VALUE') this.#checksTotal.inc({ workload_plane: plane, status }, 0);
      for (const step of [...STEP_NAMES, 'total']) this.#checkDuration.zero({ workload_plane: plane, step });
    }
    this.#cyclesTotal.inc(0);
    this.#overrunsTotal.inc(0);
    this.#storageRecoveries.inc(0);
  }

  recordResult(result: StoredResult): void {
    const plane = result.plane;
    this.#checksTotal.inc({ workload_plane: plane, status: result.status });
    for (const step of result.steps)
      this.#checkDuration.observe({ workload_plane: plane, step: step.step }, step.durationMs / 1000);
    this.#checkDuration.observe({ workload_plane: plane, step: 'total' }, result.durationMs / 1000);
    this.#dirty = true;
  }

  recordCycle(durationMs: number): void {
    this.#cycleDuration.observe(durationMs / 1000);
    this.#cyclesTotal.inc();
    this.#dirty = true;
  }

  recordOverrun(): void {
    this.#overrunsTotal.inc();
    this.#dirty = true;
  }

  recordStorageError(operation: 'write' | 'read' | 'prune'): void {
    this.#storageErrors.inc({ operation });
    this.#dirty = true;
  }

  recordStorageRecovery(): void {
    this.#storageRecoveries.inc();
    this.#dirty = true;
  }

  recordDispatch(plane: string, reason: 'NO_USER' | 'NO_ORACLE', outcome: DispatchOutcome): void {
    this.#dispatches.inc({ workload_plane: plane, reason, outcome });
    this.#dirty = true;
  }

  recordRun(plane: string, conclusion: string): void {
    this.#runs.inc({ workload_plane: plane, conclusion });
    this.#dirty = true;
  }

  /** Re-renders the cached part; the daemon calls this once per cycle and after self-heal events. */
  async refresh(): Promise<void> {
    if (!this.#dirty && this.#cachedCycleText) return;
    this.#dirty = false;
    this.#cachedCycleText = await this.#cycle.metrics();
  }

  get contentType(): string {
    return this.#live.contentType;
  }

  /** The full exposition: live gauges and process metrics, then the cached histograms and counters. */
  async render(): Promise<string> {
    if (!this.#cachedCycleText) await this.refresh();
    const live = await this.#live.metrics();
    return `${live}\n${this.#cachedCycleText}`;
  }
}
