import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import { getErrorMessage, type Logger } from '../log/logger.js';
import { readClock, systemClock, type Clock, type ClockReading } from '../util/clock.js';
import { clockStep } from './clock-step.js';
import { intervalToCron } from './interval-to-cron.js';

/** How often both clocks are compared to catch a wall-clock step. */
export const CLOCK_CHECK_MS = 1_000;

export interface CycleSchedulerOptions {
  intervalMs: number;
  /** One cycle. Aborted through `signal` on stop. */
  runCycle: (signal: AbortSignal) => Promise<void>;
  /** A tick found the previous cycle still running and was skipped. */
  onOverrun: () => void;
  onError: (error: unknown) => void;
  /** Where node-cron's own messages go (as JSON lines, never its coloured console output). */
  log: Logger;
  /** The wall clock was stepped by `stepMs` (negative: back) and the schedule re-armed. */
  onClockStep?: (stepMs: number) => void;
  /** Ticks node-cron found it had missed (a forward step, a blocked event loop), once per burst. */
  onMissedTicks?: (count: number) => void;
  clock?: Clock;
}

/**
 * Runs a cycle at start and then on every tick of a UTC cron schedule, never two at once. The overlap
 * guard is our own, released in `finally`: node-cron's `noOverlap` has had bugs where one failed run
 * blocked every run after it.
 *
 * node-cron arms a timer for the next tick from the wall clock: stepped back an hour, it would wait
 * an hour. So the scheduler compares wall-clock and monotonic elapsed time every second and, when they
 * disagree, re-arms the task from the new wall-clock time.
 */
export class CycleScheduler {
  readonly #options: CycleSchedulerOptions;
  readonly #task: ScheduledTask;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  #current: Promise<void> | undefined;
  #currentIsScheduled = false;
  #started = false;
  #lastReading: ClockReading | undefined;
  #clockTimer: NodeJS.Timeout | undefined;
  #missed = 0;

  constructor(options: CycleSchedulerOptions) {
    const expression = intervalToCron(options.intervalMs);
    if (expression === undefined) throw new Error(`no cron schedule ticks every ${options.intervalMs}ms`);
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#task = cron.createTask(expression, () => this.trigger(), {
      timezone: 'UTC',
      name: 'planecheck-cycle',
      noOverlap: false,
      logger: cronLogger(options.log),
      // A tick delayed by a busy event loop still runs, up to one interval late (default: 1 s).
      missedExecutionTolerance: options.intervalMs,
    });
    // Listening makes node-cron skip its own warning, one coloured console line per missed tick: a
    // forward step of an hour at 1-second ticks would print 3,600.
    this.#task.on('execution:missed', () => this.#countMissed());
  }

  get running(): boolean {
    return this.#started && !this.#abort.signal.aborted;
  }

  get busy(): boolean {
    return this.#current !== undefined;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#task.start();
    this.#lastReading = readClock(this.#clock);
    this.#clockTimer = setInterval(() => this.checkClock(), CLOCK_CHECK_MS);
    this.#clockTimer.unref();
    this.#begin(false);
  }

  /** A scheduled tick: starts a cycle unless one is running. */
  trigger(): void {
    this.#begin(true);
  }

  /**
   * Compares both clocks with the last reading; on a wall-clock step, re-arms the cron task so that
   * the next tick is one interval away on the new wall clock. Returns the step, if any.
   */
  checkClock(): number | undefined {
    if (!this.running || this.#lastReading === undefined) return undefined;
    const reading = readClock(this.#clock);
    const stepMs = clockStep(this.#lastReading, reading);
    this.#lastReading = reading;
    if (stepMs === undefined) return undefined;
    void this.#task.stop();
    void this.#task.start();
    this.#options.onClockStep?.(stepMs);
    return stepMs;
  }

  #countMissed(): void {
    // node-cron reports a burst of missed ticks synchronously, one event each: report them once.
    if (this.#missed++ > 0) return;
    setImmediate(() => {
      const count = this.#missed;
      this.#missed = 0;
      this.#options.onMissedTicks?.(count);
    });
  }

  #begin(scheduled: boolean): void {
    if (this.#abort.signal.aborted) return;
    if (this.#current) {
      // A tick landing on the start-up cycle is no overrun: that cycle was not on the schedule.
      if (scheduled && this.#currentIsScheduled) this.#options.onOverrun();
      return;
    }
    this.#currentIsScheduled = scheduled;
    this.#current = this.#run().finally(() => {
      this.#current = undefined;
    });
  }

  async #run(): Promise<void> {
    try {
      await this.#options.runCycle(this.#abort.signal);
    } catch (error) {
      this.#options.onError(error);
    }
  }

  /** Stops ticking, aborts the running cycle and waits for it to wind down. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('shutting down'));
    clearInterval(this.#clockTimer);
    await this.#task.destroy();
    await this.#current;
  }
}

/** node-cron's logger interface, onto ours. */
function cronLogger(log: Logger): CronLogger {
  const fields = (error?: unknown) => (error === undefined ? {} : { error: getErrorMessage(error) });
  const text = (message: string | Error) => `node-cron: ${getErrorMessage(message)}`;
  return {
    info: (message) => log.debug(text(message)),
    debug: (message, error) => log.debug(text(message), fields(error)),
    warn: (message) => log.warn(text(message)),
    error: (message, error) => log.error(text(message), fields(error)),
  };
}
