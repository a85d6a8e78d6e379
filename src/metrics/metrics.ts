import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVENT_LOOP_DELAY_METRICS, registerEventLoopDelay } from './event-loop-delay.js';
import { PLANE_STATUSES, STEP_NAMES, type StepName } from '../check/result.js';
import {
  compressPartSync,
  CompressedPartWriter,
  gzipParts,
  inflatePart,
  storedPart,
  type CompressedPart,
} from './gzip-parts.js';
import { renderStatusGauges } from './status-gauges.js';
import { escapeLabel, formatValue, planeLabel } from './text-format.js';
import { PlaneCounter } from './plane-counter.js';
import { StepHistogram } from './step-histogram.js';
import type { StoredResult } from '../check/stored-result.js';
import type { PlaneState } from '../store/plane-state.js';
import { BUILD_INFO } from './build-info.js';

/**
 * Step latency buckets, in seconds. Few on purpose: this histogram has a series per plane and step, so
 * at 1,000 planes every bucket adds 5,000 lines to each scrape. These still separate fast, normal, slow
 * and near-timeout steps, which is what the dashboard's percentiles and the alerts need.
 */
const STEP_BUCKETS = [0.1, 0.25, 1, 2.5, 10];
/** The whole check, up to the plane deadline (45 s by default). */
const TOTAL_BUCKETS = [0.5, 1, 2.5, 10, 30];
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
  'held',
  'maintenance',
] as const;
export type DispatchOutcome = (typeof DISPATCH_OUTCOMES)[number];

export const HEAL_REASONS = ['NO_USER', 'NO_ORACLE'] as const;
export type HealReason = (typeof HEAL_REASONS)[number];

export const HEAL_OUTCOMES = ['fixed', 'workflow_failed', 'still_broken', 'timed_out'] as const;
export type HealOutcome = (typeof HEAL_OUTCOMES)[number];

/** GitHub's run conclusions; anything else is counted as `other`. */
export const RUN_CONCLUSIONS = [
  'success',
  'failure',
  'cancelled',
  'timed_out',
  'neutral',
  'skipped',
  'action_required',
  'stale',
  'startup_failure',
  'other',
] as const;

/** `share`: a fleet's heartbeat and claims; `poll`: reading what other replicas stored. */
export const STORAGE_OPERATIONS = ['write', 'read', 'prune', 'share', 'poll'] as const;
export type StorageOperation = (typeof STORAGE_OPERATIONS)[number];

export interface MetricsOptions {
  /**
   * More registries rendered with the histograms and counters, once per refresh: series another module
   * owns, in the same cached part.
   */
  registries?: readonly Registry[];
  /** A refresh failed to render; the previous render stays served and the next refresh tries again. */
  onRenderError?: (error: unknown) => void;
  /**
   * Whether self-heal is on: then every plane has all its self-heal series at 0 from the start
   * (32 per plane); without self-heal (the default) they would never move, so they are left out.
   */
  selfHeal?: boolean;
  /** `schedule.interval` and `schedule.cacheTtl`, exported so rules need not hard-code them. */
  intervalMs?: number;
  cacheTtlMs?: number;
  /** Each HTTPS plane's certificate expiry (epoch ms), for `planecheck_tls_cert_expiry_timestamp_seconds`. */
  tlsExpiry?: () => ReadonlyMap<string, number>;
  /** Whether a plane is in maintenance now, for `planecheck_maintenance` (1 or 0 for every plane). */
  inMaintenance?: (plane: string) => boolean;
  /** A plane's static `labels` (team, region), for `planecheck_plane_info`; none by default. */
  planeLabels?: (plane: string) => Readonly<Record<string, string>>;
}

const TLS_EXPIRY = 'planecheck_tls_cert_expiry_timestamp_seconds';
/**
 * How long one render of the process and Node.js metrics serves scrapes. Collecting them (CPU, memory,
 * open files, event-loop lag percentiles) costs ~1.5 ms: 50 scrapes at once paid it 50 times in a row.
 */
const PROCESS_METRICS_MS = 1_000;
/**
 * How often the event loop's delay is sampled for `nodejs_eventloop_lag_*`: each sample wakes the process, and
 * prom-client's 10 ms woke the idle daemon 100 times a second; 100 ms still sees every stall that matters.
 */
const EVENT_LOOP_SAMPLE_MS = 100;
const MAINTENANCE = 'planecheck_maintenance';
const PLANE_INFO = 'planecheck_plane_info';

/** What the status gauges are computed from: the in-memory status board. */
export interface StatusSource {
  states(): readonly PlaneState[];
  /** Changes whenever a result arrives. */
  readonly version: number;
  /** Milliseconds until the next fresh result expires. */
  msUntilNextExpiry(): number | undefined;
}

/**
 * planecheck's Prometheus metrics, on registries of their own (never the global one).
 *
 * At 1,000 planes the exposition is ~5 MB of text, which prom-client takes tens of milliseconds and
 * tens of megabytes of garbage to render; so nothing planecheck-specific is rendered per scrape unless
 * it changed, and the large parts are rendered by planecheck itself, a series at a time:
 * - status gauges: rendered when a result arrives or the next result expires, whichever is first, so
 *   a plane turns NO_VALUE the moment its result expires even when no cycle runs;
 * - histograms and counters: rendered once per cycle (`refresh()`), and after self-heal events;
 * - process and Node.js metrics: rendered at most once a second, shared by the scrapes of that second;
 * - planecheck's own live gauges (store up, fleet size, GitHub stop): rendered on every scrape.
 * Parts are kept gzip-compressed (~230 KB instead of ~5 MB): Prometheus always asks for gzip, so a
 * scrape costs the compression of the small live part. Text for scrapes without gzip is decompressed
 * on the first such scrape and kept until the part changes. Scrapes that arrive while a part renders
 * share that render: under 50 scrapes at once, the 0.5 MB of status gauges are rendered once, not 50 times.
 */
export class PlanecheckMetrics {
  /** planecheck's own gauges read at every scrape. */
  readonly #live = new Registry();
  /** prom-client's process and Node.js metrics (see PROCESS_METRICS_MS). */
  readonly #process = new Registry();
  readonly #cycle = new Registry();
  readonly #source: StatusSource;
  readonly #tlsExpiry: (() => ReadonlyMap<string, number>) | undefined;
  #planes: readonly string[];
  /** The planes of `#planes`: what a late result of a plane a reload removed is checked against. */
  #planeSet: ReadonlySet<string>;
  readonly #selfHeal: boolean;
  readonly #inMaintenance: (plane: string) => boolean;
  readonly #planeLabels: (plane: string) => Readonly<Record<string, string>>;
  /**
   * The status gauges as of `version`, chained after the cycle part `cycle`; `validUntil` is monotonic;
   * `rendering` until the part is done.
   */
  #status:
    | {
        part: Promise<CompressedPart>;
        version: number;
        validUntil: number;
        cycle: CompressedPart;
        rendering: boolean;
      }
    | undefined;
  /** The process metrics' text, and when (monotonic) it was asked for. */
  #processText: { text: Promise<string>; at: number } | undefined;
  /** That text compressed to follow the status part `after`. */
  #processPart: { text: string; after: CompressedPart; part: CompressedPart } | undefined;
  #cyclePart: CompressedPart | undefined;
  #refreshing: Promise<void> = Promise.resolve();
  /** Parts decompressed for plain-text scrapes; an entry goes when its part is replaced. */
  readonly #texts = new WeakMap<CompressedPart, Promise<Buffer[]>>();
  #dirty = true;
  #githubBackoff: { until: () => number; now: () => number } = { until: () => 0, now: Date.now };
  #store: { up: () => boolean; instances: () => number } = { up: () => true, instances: () => 1 };

  readonly #checkDuration: StepHistogram;
  readonly #checkTotalDuration: StepHistogram;
  readonly #checksTotal: PlaneCounter;
  readonly #cycleDuration: Histogram;
  readonly #cyclesTotal: Counter;
  readonly #overrunsTotal: Counter;
  readonly #storageErrors: Counter<'operation'>;
  readonly #storageRecoveries: Counter;
  readonly #dispatches: PlaneCounter;
  readonly #runs: PlaneCounter;
  readonly #healOutcomes: PlaneCounter;
  readonly #renderFailures: Counter;
  readonly #registries: readonly Registry[];
  readonly #onRenderError: (error: unknown) => void;
  readonly #internalErrors: Counter<'step'>;
  readonly #cacheTtl: Gauge | undefined;
  readonly #reloads: Counter<'result'>;
  readonly #lastReloadSuccess: Gauge;
  readonly #lastReloadSuccessAt: Gauge;

  constructor(planes: readonly string[], source: StatusSource, options: MetricsOptions = {}) {
    this.#source = source;
    this.#tlsExpiry = options.tlsExpiry;
    this.#planes = [...planes];
    this.#planeSet = new Set(planes);
    this.#selfHeal = options.selfHeal ?? false;
    this.#inMaintenance = options.inMaintenance ?? (() => false);
    this.#planeLabels = options.planeLabels ?? (() => ({}));
    this.#registries = options.registries ?? [];
    this.#onRenderError = options.onRenderError ?? (() => undefined);
    const cycle = [this.#cycle];
    // prom-client's event-loop delay gauges are replaced (event-loop-delay.ts); its own sampling timer, which
    // cannot be turned off, is set to fire once in 24 days.
    collectDefaultMetrics({ register: this.#process, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
    // Gauges named like counters fail `promtool check metrics`; the per-type gauges carry the same data.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
      ...Object.values(EVENT_LOOP_DELAY_METRICS),
    ]) {
      this.#process.removeSingleMetric(name);
    }
    registerEventLoopDelay(this.#process, EVENT_LOOP_SAMPLE_MS);

    // Read at every scrape (the live part): a stop shows the moment it starts and drops to 0 when it ends.
    const backoff = () => this.#githubBackoff;
    new Gauge({
      name: 'planecheck_github_backoff_until_seconds',
      help: 'Unix time until which GitHub asked for no requests (rate limit); 0 when there is no such stop.',
      registers: [this.#live],
      collect() {
        const { until, now } = backoff();
        const at = until();
        this.set(at > now() ? at / 1000 : 0);
      },
    });

    const store = () => this.#store;
    new Gauge({
      name: 'planecheck_storage_up',
      help: '1 while the store (SQLite file or PostgreSQL) answers, 0 while it does not: results are held in memory and self-heal makes no dispatch.',
      registers: [this.#live],
      collect() {
        this.set(store().up() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'planecheck_fleet_instances',
      help: 'Replicas alive in the fleet as this one last saw them (1 for a daemon on SQLite).',
      registers: [this.#live],
      collect() {
        this.set(store().instances());
      },
    });

    this.#checkDuration = new StepHistogram({
      name: 'planecheck_check_duration_seconds',
      help: 'Duration of each step of a plane check.',
      buckets: STEP_BUCKETS,
    });
    this.#checkTotalDuration = new StepHistogram({
      name: 'planecheck_check_total_duration_seconds',
      help: 'Duration of a whole plane check, all steps.',
      buckets: TOTAL_BUCKETS,
      stepLabel: false,
    });
    this.#checksTotal = new PlaneCounter({
      name: 'planecheck_checks_total',
      help: 'Completed plane checks by resulting status.',
      label: 'status',
      values: PLANE_STATUSES.filter((status) => status !== 'NO_VALUE'),
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
      help: 'Failed writes or reads of the store (SQLite or PostgreSQL).',
      labelNames: ['operation'] as const,
      registers: cycle,
    });
    this.#storageRecoveries = new Counter({
      name: 'planecheck_storage_recoveries_total',
      help: 'Times the database file was unusable, moved aside and replaced by a fresh one.',
      registers: cycle,
    });
    this.#dispatches = new PlaneCounter({
      name: 'planecheck_self_heal_dispatches_total',
      help: 'Self-heal decisions on NO_USER/NO_ORACLE planes, by outcome (dispatched, or why not).',
      label: ['reason', 'outcome'],
      values: HEAL_REASONS.flatMap((reason) => DISPATCH_OUTCOMES.map((outcome) => [reason, outcome])),
    });
    this.#runs = new PlaneCounter({
      name: 'planecheck_self_heal_runs_total',
      help: 'Completed smoke-test workflow runs started by self-heal, by conclusion.',
      label: 'conclusion',
      values: RUN_CONCLUSIONS,
    });
    this.#healOutcomes = new PlaneCounter({
      name: 'planecheck_self_heal_outcomes_total',
      help: 'Finished self-heal attempts: fixed, workflow_failed, still_broken or timed_out.',
      label: 'outcome',
      values: HEAL_OUTCOMES,
    });
    const info = new Gauge({
      name: 'planecheck_build_info',
      help: 'The running build: version, git revision (unknown when built outside git) and Node.js version.',
      labelNames: ['version', 'revision', 'nodejs'] as const,
      registers: cycle,
    });
    info.set({ version: BUILD_INFO.version, revision: BUILD_INFO.revision, nodejs: process.version }, 1);
    if (options.intervalMs !== undefined) {
      new Gauge({
        name: 'planecheck_schedule_interval_seconds',
        help: 'The configured schedule.interval: a cycle starts this often.',
        registers: cycle,
      }).set(options.intervalMs / 1000);
    }
    if (options.cacheTtlMs !== undefined) {
      this.#cacheTtl = new Gauge({
        name: 'planecheck_cache_ttl_seconds',
        help: 'The configured schedule.cacheTtl: a result older than this reads as NO_VALUE.',
        registers: cycle,
      });
      this.#cacheTtl.set(options.cacheTtlMs / 1000);
    }
    this.#reloads = new Counter({
      name: 'planecheck_config_reloads_total',
      help: 'Config reloads (SIGHUP) by result: success, or failure (the new config was refused; the old one runs on).',
      labelNames: ['result'] as const,
      registers: cycle,
    });
    this.#lastReloadSuccess = new Gauge({
      name: 'planecheck_config_last_reload_success',
      help: 'Whether the last config reload succeeded (1, and at start) or was refused (0): the running config is not the file.',
      registers: cycle,
    });
    this.#lastReloadSuccessAt = new Gauge({
      name: 'planecheck_config_last_reload_success_timestamp_seconds',
      help: 'Unix time of the last successful config reload, or of the start.',
      registers: cycle,
    });
    for (const result of ['success', 'failure']) this.#reloads.inc({ result }, 0);
    this.#lastReloadSuccess.set(1);
    this.#lastReloadSuccessAt.set(Date.now() / 1000);

    this.#renderFailures = new Counter({
      name: 'planecheck_metrics_render_errors_total',
      help: 'Refreshes of the cached histograms and counters that failed; the previous render was served.',
      registers: cycle,
    });
    this.#internalErrors = new Counter({
      name: 'planecheck_internal_errors_total',
      help: 'Exceptions thrown inside a check step: bugs in planecheck, reported as {step}_internal_error.',
      labelNames: ['step'] as const,
      registers: cycle,
    });
    for (const step of STEP_NAMES) this.#internalErrors.inc({ step }, 0);

    for (const plane of planes) this.#zeroPlane(plane);
    for (const operation of STORAGE_OPERATIONS) this.#storageErrors.inc({ operation }, 0);
    this.#cyclesTotal.inc(0);
    this.#overrunsTotal.inc(0);
    this.#storageRecoveries.inc(0);
    this.#renderFailures.inc(0);
  }

  /** Zeroes every series of a plane up front, so rate() and increase() work from the first scrape. */
  #zeroPlane(plane: string): void {
    this.#checksTotal.zero(plane);
    for (const step of STEP_NAMES) this.#checkDuration.zero(plane, step);
    this.#checkTotalDuration.zero(plane, '');
    if (this.#selfHeal) {
      this.#dispatches.zero(plane);
      this.#runs.zero(plane);
      this.#healOutcomes.zero(plane);
    }
  }

  /**
   * Follows a reloaded config: a new plane's series start at zero, a removed plane's go (counters and
   * histograms included), and `planecheck_maintenance` lists the new set. Rendered now.
   */
  setPlanes(planes: readonly string[]): Promise<void> {
    const keep = new Set(planes);
    for (const plane of this.#planes) {
      if (keep.has(plane)) continue;
      for (const series of [this.#checkDuration, this.#checkTotalDuration, this.#checksTotal])
        series.remove(plane);
      for (const counter of [this.#dispatches, this.#runs, this.#healOutcomes]) counter.remove(plane);
    }
    const known = new Set(this.#planes);
    for (const plane of planes) if (!known.has(plane)) this.#zeroPlane(plane);
    this.#planes = [...planes];
    this.#planeSet = keep;
    this.#dirty = true;
    return this.refresh();
  }

  /** A reloaded `schedule.cacheTtl`, for `planecheck_cache_ttl_seconds`. */
  setCacheTtl(cacheTtlMs: number): void {
    this.#cacheTtl?.set(cacheTtlMs / 1000);
    this.#dirty = true;
  }

  /** A config reload: applied (`at`, epoch ms) or refused. Rendered now, for the alert. */
  recordReload(success: boolean, at = Date.now()): Promise<void> {
    this.#reloads.inc({ result: success ? 'success' : 'failure' });
    this.#lastReloadSuccess.set(success ? 1 : 0);
    if (success) this.#lastReloadSuccessAt.set(at / 1000);
    this.#dirty = true;
    return this.refresh();
  }

  /** Where `planecheck_github_backoff_until_seconds` reads the stop (epoch ms) from: the heal log. */
  watchGithubBackoff(until: () => number, now: () => number = Date.now): void {
    this.#githubBackoff = { until, now };
  }

  /** Where `planecheck_storage_up` and `planecheck_fleet_instances` read from, at every scrape. */
  watchStore(up: () => boolean, instances: () => number): void {
    this.#store = { up, instances };
  }

  recordResult(result: StoredResult): void {
    const plane = result.plane;
    if (!this.#planeSet.has(plane)) return; // removed by a reload while its work was under way
    this.#checksTotal.inc(plane, result.status);
    for (const step of result.steps) this.#checkDuration.observe(plane, step.step, step.durationMs / 1000);
    this.#checkTotalDuration.observe(plane, '', result.durationMs / 1000);
    this.#dirty = true;
  }

  recordCycle(durationMs: number): void {
    this.#cycleDuration.observe(durationMs / 1000);
    this.#cyclesTotal.inc();
    this.#dirty = true;
  }

  recordInternalError(step: StepName): void {
    this.#internalErrors.inc({ step });
    this.#dirty = true;
  }

  /**
   * A tick was skipped. Rendered now, not at the end of the long cycle that caused it: an overrun is
   * what an alert wants to see while the cycle is still stuck.
   */
  recordOverrun(): void {
    this.#overrunsTotal.inc();
    this.#dirty = true;
    void this.refresh();
  }

  recordStorageError(operation: StorageOperation): void {
    this.#storageErrors.inc({ operation });
    this.#dirty = true;
  }

  recordStorageRecovery(): void {
    this.#storageRecoveries.inc();
    this.#dirty = true;
  }

  recordDispatch(plane: string, reason: HealReason, outcome: DispatchOutcome): void {
    if (!this.#planeSet.has(plane)) return; // removed by a reload while its work was under way
    this.#dispatches.inc(plane, [reason, outcome]);
    this.#dirty = true;
  }

  /** A conclusion outside GitHub's known ones is counted as `other`. */
  recordRun(plane: string, conclusion: string): void {
    if (!this.#planeSet.has(plane)) return; // removed by a reload while its work was under way
    const known = (RUN_CONCLUSIONS as readonly string[]).includes(conclusion);
    this.#runs.inc(plane, known ? conclusion : 'other');
    this.#dirty = true;
  }

  /**
   * A plane went into or out of maintenance (the API, or a refresh that found a change): rendered now.
   * Configured windows that start or end on their own show from the next cycle's refresh on.
   */
  maintenanceChanged(): Promise<void> {
    this.#dirty = true;
    return this.refresh();
  }

  recordHealOutcome(plane: string, outcome: HealOutcome): void {
    if (!this.#planeSet.has(plane)) return; // removed by a reload while its work was under way
    this.#healOutcomes.inc(plane, outcome);
    this.#dirty = true;
  }

  /**
   * Re-renders the histograms and counters; the daemon calls this once per cycle and after self-heal
   * events. Refreshes run one after another, so an older one never replaces a newer one. It never
   * rejects: a failed render is reported and counted, the last good render stays, and the next refresh
   * renders again (a rejection kept in the chain would fail every later refresh, and every cycle with it).
   */
  refresh(): Promise<void> {
    this.#refreshing = this.#refreshing
      .then(() => this.#renderCyclePart())
      .catch((error: unknown) => {
        this.#dirty = true;
        this.#renderFailures.inc();
        try {
          this.#onRenderError(error);
        } catch {
          // A failing report must not put the rejection back into the chain.
        }
      });
    return this.#refreshing;
  }

  async #renderCyclePart(): Promise<void> {
    if (!this.#dirty && this.#cyclePart) return;
    this.#dirty = false;
    const writer = new CompressedPartWriter();
    try {
      await writer.write(this.#checkDuration.render());
      await writer.write(['\n']);
      await writer.write(this.#checkTotalDuration.render());
      await writer.write(['\n']);
      await writer.write(this.#checksTotal.render());
      for (const counter of [this.#dispatches, this.#runs, this.#healOutcomes]) {
        await writer.write(['\n']);
        await writer.write(counter.render());
      }
      if (this.#tlsExpiry) await writer.write(renderTlsExpiry(this.#tlsExpiry()));
      await writer.write(renderMaintenance(this.#planes, this.#inMaintenance));
      await writer.write(renderPlaneInfo(this.#planes, this.#planeLabels));
      await writer.write([`\n${await this.#cycle.metrics()}\n`]);
      for (const registry of this.#registries) await writer.write([`${await registry.metrics()}\n`]);
    } catch (error) {
      await writer.end().catch(() => undefined); // closes the deflate stream; the part is incomplete
      throw error;
    }
    this.#cyclePart = await writer.end();
  }

  get contentType(): string {
    return this.#live.contentType;
  }

  /**
   * The full exposition as one gzip stream, in buffers to write in order: histograms and counters,
   * status gauges, process metrics, then planecheck's live gauges.
   */
  async render(): Promise<Buffer[]> {
    const { cycle, status, process, live } = await this.#parts();
    const processPart = this.#compressedProcess(process, status);
    return gzipParts([cycle, status, processPart, storedPart(live, processPart.crc)]);
  }

  /**
   * The same exposition as text, for a scraper without gzip (people, curl). The large parts are
   * decompressed once per change and kept while current, so repeated plain scrapes cost no more.
   */
  async renderText(): Promise<Buffer[]> {
    const { cycle, status, process, live } = await this.#parts();
    return [
      ...(await this.#textOf(cycle)),
      ...(await this.#textOf(status)),
      Buffer.from(process),
      Buffer.from(live),
    ];
  }

  async #parts(): Promise<{ cycle: CompressedPart; status: CompressedPart; process: string; live: string }> {
    // A scrape waits for a refresh in flight, so it shows what was recorded before it (an overrun).
    await (this.#cyclePart ? this.#refreshing : this.refresh());
    const cycle = this.#cyclePart ?? compressPartSync('');
    const [status, process, live] = await Promise.all([
      this.#statusFor(cycle),
      this.#processMetrics(),
      this.#live.metrics(),
    ]);
    return { cycle, status, process, live };
  }

  /** The process metrics' text: rendered again once PROCESS_METRICS_MS have passed since the last render began. */
  #processMetrics(): Promise<string> {
    const now = performance.now();
    const cached = this.#processText;
    if (cached && now - cached.at < PROCESS_METRICS_MS) return cached.text;
    const entry = { text: this.#process.metrics(), at: now };
    this.#processText = entry;
    entry.text.catch(() => {
      if (this.#processText === entry) this.#processText = undefined;
    });
    return entry.text;
  }

  /** The process metrics compressed after `status`: once per text and status part, not per scrape. */
  #compressedProcess(text: string, status: CompressedPart): CompressedPart {
    const cached = this.#processPart;
    if (cached && cached.text === text && cached.after === status) return cached.part;
    const part = compressPartSync(text, status.crc);
    this.#processPart = { text, after: status, part };
    return part;
  }

  #textOf(part: CompressedPart): Promise<Buffer[]> {
    let text = this.#texts.get(part);
    if (text === undefined) {
      text = inflatePart(part);
      this.#texts.set(part, text);
    }
    return text;
  }

  /**
   * The status gauges, rendered again only when a result arrived or expired, or the cycle part changed.
   * A scrape that arrives while they render shares that render even if results arrived since it began (it
   * shows the board as of a few milliseconds before): under a cycle's results and many scrapes at once,
   * each scrape would otherwise start a render of its own. Never past an expiry: NO_VALUE shows on time.
   */
  #statusFor(cycle: CompressedPart): Promise<CompressedPart> {
    const cached = this.#status;
    const version = this.#source.version;
    const now = performance.now(); // monotonic: a wall-clock step must not keep stale gauges
    if (
      cached &&
      (cached.version === version || cached.rendering) &&
      now < cached.validUntil &&
      cached.cycle === cycle
    ) {
      return cached.part;
    }
    const writer = new CompressedPartWriter(cycle.crc);
    const part = writer.write(renderStatusGauges(this.#source.states())).then(() => writer.end());
    const entry = {
      part,
      version,
      validUntil: now + (this.#source.msUntilNextExpiry() ?? Infinity),
      cycle,
      rendering: true,
    };
    this.#status = entry;
    part.then(
      () => (entry.rendering = false),
      () => {
        if (this.#status === entry) this.#status = undefined;
      },
    );
    return part;
  }
}

function* renderMaintenance(
  planes: readonly string[],
  inMaintenance: (plane: string) => boolean,
): Generator<string> {
  yield `\n# HELP ${MAINTENANCE} 1 while the plane is in maintenance (still checked, never self-healed, alerts quiet), else 0.\n`;
  yield `# TYPE ${MAINTENANCE} gauge\n`;
  for (const plane of planes) yield `${MAINTENANCE}{${planeLabel(plane)}} ${inMaintenance(plane) ? 1 : 0}\n`;
}

/** One series per plane, always 1, carrying its configured labels: alert rules join on it to route by owner. */
function* renderPlaneInfo(
  planes: readonly string[],
  labelsOf: (plane: string) => Readonly<Record<string, string>>,
): Generator<string> {
  yield `\n# HELP ${PLANE_INFO} Always 1; labels are the plane's configured labels (workloadPlanes[].labels), for routing alerts.\n`;
  yield `# TYPE ${PLANE_INFO} gauge\n`;
  for (const plane of planes) {
    let labels = planeLabel(plane);
    for (const [name, value] of Object.entries(labelsOf(plane))) labels += `,${name}="${escapeLabel(value)}"`;
    yield `${PLANE_INFO}{${labels}} 1\n`;
  }
}

function* renderTlsExpiry(expiries: ReadonlyMap<string, number>): Generator<string> {
  yield `\n# HELP ${TLS_EXPIRY} When the TLS certificate each HTTPS plane presented expires (Unix time).\n`;
  yield `# TYPE ${TLS_EXPIRY} gauge\n`;
  for (const [plane, expiresAt] of expiries) {
    yield `${TLS_EXPIRY}{${planeLabel(plane)}} ${formatValue(expiresAt / 1000)}\n`;
  }
}
