import cron, { type ScheduledTask } from 'node-cron';
import { intervalToCron } from './interval-to-cron.js';

export interface CycleSchedulerOptions {
  intervalMs: number;
  /** One cycle. Aborted through `signal` on stop. */
  runCycle: (signal: AbortSignal) => Promise<void>;
  /** A tick found the previous cycle still running and was skipped. */
  onOverrun: () => void;
  onError: (error: unknown) => void;
}

/**
 * Runs a cycle at start and then on every tick of a UTC cron schedule, never two at once. The overlap
 * guard is our own, released in `finally`: node-cron's `noOverlap` has had bugs where one failed run
 * blocked every run after it.
 */
export class CycleScheduler {
  readonly #options: CycleSchedulerOptions;
  readonly #task: ScheduledTask;
  readonly #abort = new AbortController();
  #current: Promise<void> | undefined;
  #currentIsScheduled = false;
  #started = false;

  constructor(options: CycleSchedulerOptions) {
    const expression = intervalToCron(options.intervalMs);
    if (expression === undefined) throw new Error(`no cron schedule ticks every ${options.intervalMs}ms`);
    this.#options = options;
    this.#task = cron.createTask(expression, () => this.trigger(), {
      timezone: 'UTC',
      name: 'planecheck-cycle',
      noOverlap: false,
    });
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
    this.#begin(false);
  }

  /** A scheduled tick: starts a cycle unless one is running. */
  trigger(): void {
    this.#begin(true);
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
    await this.#task.destroy();
    await this.#current;
  }
}
