import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PLANE_STATUSES, STEP_NAMES } from '../check/result.js';
import { crcOf, deflatePart, deflatePartSync, gzipParts, type DeflatedPart } from './gzip-parts.js';
import { StepHistogram } from './step-histogram.js';
import type { PlaneState, StoredResult } from '../store/plane-state.js';

/**
 * Step latency buckets, in seconds. Few on purpose: this histogram has a series per plane and step, so
 * at 1,000 planes every bucket adds 5,000 lines to each scrape. These still separate fast, normal, slow
 * and near-timeout steps, which is what the dashboard's percentiles and the alerts need.
 */
const STEP_BUCKETS = [0.1, 0.25, 1, 2.5, 10];
const CYCLE_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120];

export const DISPATCH_OUTCOMES = [
  'dispatched',
  'cooldown',
  'in_progress',
  'threshold',
  'rate_capped',
  'dry_run',
  'rate_limited',
  'error',
] as const;
export type DispatchOutcome = (typeof DISPATCH_OUTCOMES)[number];

/** What the status gauges are computed from: the in-memory status board. */
export interface StatusSource {
  states(now?: number): readonly PlaneState[];
  /** Changes whenever a result arrives. */
  readonly version: number;
  /** When the next fresh result expires. */
  nextExpiry(now?: number): number | undefined;
}

/**
 * planecheck's Prometheus metrics, on registries of their own (never the global one).
 *
 * prom-client takes tens of milliseconds to render 1,000 planes, so nothing planecheck-specific is
 * rendered per scrape unless it changed:
 * - status gauges: rendered when a result arrives or the next result expires, whichever is first, so
 *   a plane turns NO_VALUE the moment its result expires even when no cycle runs;
 * - histograms and counters: rendered once per cycle (`refresh()`), and after self-heal events; the
 *   per-plane step histogram, the largest part by far, by `StepHistogram`;
 * - process and Node.js metrics: rendered live on every scrape (they are small).
 * Each cached part is also kept deflated, so a scrape that accepts gzip (Prometheus always does) costs a
 * few kilobytes of compression instead of megabytes.
 */
export class PlanecheckMetrics {
  readonly #live = new Registry();
  readonly #status = new Registry();
  readonly #cycle = new Registry();
  readonly #source: StatusSource;
  /** Rendered status gauges; `crc` covers the cycle part and this one, in that order. */
  #statusCache:
    { part: DeflatedPart; version: number; validUntil: number; cycle: DeflatedPart; crc: number } | undefined;
  #cyclePart: DeflatedPart | undefined;
  #dirty = true;

  readonly #checkDuration: StepHistogram;
  readonly #checksTotal: Counter<'workload_plane' | 'status'>;
  readonly #cycleDuration: Histogram;
  readonly #cyclesTotal: Counter;
  readonly #overrunsTotal: Counter;
  readonly #storageErrors: Counter<'operation'>;
  readonly #storageRecoveries: Counter;
  readonly #dispatches: Counter<'workload_plane' | 'reason' | 'outcome'>;
  readonly #runs: Counter<'workload_plane' | 'conclusion'>;
  readonly #healOutcomes: Counter<'workload_plane' | 'outcome'>;

  constructor(planes: readonly string[], source: StatusSource) {
    this.#source = source;
    const status = [this.#status];
    const cycle = [this.#cycle];
    const states = () => source.states();
    new Gauge({
      name: 'planecheck_status',
      help: 'Current status of each workload plane: 1 for the status it is in, 0 for the other four.',
      labelNames: ['workload_plane', 'status'] as const,
      registers: status,
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
      registers: status,
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

    this.#checkDuration = new StepHistogram({
      name: 'planecheck_check_duration_seconds',
      help: 'Duration of each step of a plane check, and of the whole check (step="total").',
      buckets: STEP_BUCKETS,
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

    this.#healOutcomes = new Counter({
      name: 'planecheck_self_heal_outcomes_total',
      help: 'Finished self-heal attempts: fixed, workflow_failed, still_broken or timed_out.',
      labelNames: ['workload_plane', 'outcome'] as const,
      registers: cycle,
    });

    // Zero every series up front so rate() and increase() work from the first scrape.
    for (const plane of planes) {
      for (const status of PLANE_STATUSES)
        if (status !== 'NO_VALUE') this.#checksTotal.inc({ workload_plane: plane, status }, 0);
      for (const step of [...STEP_NAMES, 'total']) this.#checkDuration.zero(plane, step);
    }
    this.#cyclesTotal.inc(0);
    this.#overrunsTotal.inc(0);
    this.#storageRecoveries.inc(0);
  }

  recordResult(result: StoredResult): void {
    const plane = result.plane;
    this.#checksTotal.inc({ workload_plane: plane, status: result.status });
    for (const step of result.steps) this.#checkDuration.observe(plane, step.step, step.durationMs / 1000);
    this.#checkDuration.observe(plane, 'total', result.durationMs / 1000);
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

  recordHealOutcome(
    plane: string,
    outcome: 'fixed' | 'workflow_failed' | 'still_broken' | 'timed_out',
  ): void {
    this.#healOutcomes.inc({ workload_plane: plane, outcome });
    this.#dirty = true;
  }

  /** Re-renders the histograms and counters; the daemon calls this once per cycle and after self-heal events. */
  async refresh(): Promise<void> {
    if (!this.#dirty && this.#cyclePart) return;
    this.#dirty = false;
    const text = Buffer.from(`${this.#checkDuration.render()}\n${await this.#cycle.metrics()}\n`);
    this.#cyclePart = await deflatePart(text);
  }

  get contentType(): string {
    return this.#live.contentType;
  }

  /**
   * The full exposition, as parts to write in order: histograms and counters, status gauges, then
   * process metrics. With `gzip`, one gzip stream built from the cached deflated parts.
   */
  async render(options: { gzip?: boolean; now?: number } = {}): Promise<Buffer[]> {
    const now = options.now ?? Date.now();
    if (!this.#cyclePart) await this.refresh();
    const cycle = this.#cyclePart ?? deflatePartSync(Buffer.alloc(0));
    let status = this.#statusCache;
    if (
      !status ||
      status.version !== this.#source.version ||
      now >= status.validUntil ||
      status.cycle !== cycle
    ) {
      const version = this.#source.version;
      const validUntil = this.#source.nextExpiry(now) ?? Infinity;
      const part = await deflatePart(Buffer.from(`${await this.#status.metrics()}\n`));
      status = { part, version, validUntil, cycle, crc: crcOf([cycle.plain, part.plain]) };
      this.#statusCache = status;
    }
    const live = Buffer.from(await this.#live.metrics());
    if (!options.gzip) return [cycle.plain, status.part.plain, live];
    return gzipParts([cycle, status.part, deflatePartSync(live)], status.crc);
  }
}
