import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the checkpoint thread answers to each request. */
export interface CheckpointOutcome {
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

// CommonJS, evaluated in the worker: its own connection, doing nothing but PASSIVE checkpoints, which
// never block the daemon's writes (a TRUNCATE would hold the write lock while it copies).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
parentPort.on('message', () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;

/**
 * Copies the write-ahead log back into the database file on a thread of its own. In the daemon's thread
 * that copy (SQLite's automatic checkpoint, inside whichever write crosses the threshold) held the event
 * loop 20 to 170 ms on a 350 MB history; here it holds nothing. Checkpoints run every `intervalMs` (only
 * after writes, see `tick`) and on request, one at a time. If the thread fails, `onFailed` is told once, so
 * the caller can go back to checkpointing in its own thread.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #timer: NodeJS.Timeout;
  readonly #onError: (error: Error) => void;
  readonly #written: () => boolean;
  /** Waiting for the next checkpoint to start, and for the one running to end. */
  #queued: ((outcome: CheckpointOutcome | undefined) => void)[] = [];
  #running: ((outcome: CheckpointOutcome | undefined) => void)[] | undefined;
  #closed = false;
  #last: CheckpointOutcome | undefined;
  #unfinished = false;

  constructor(
    path: string,
    options: {
      intervalMs?: number;
      /**
       * Whether anything was written since it was last asked: the periodic checkpoint is skipped when not,
       * so that an idle daemon wakes no thread for it. Always true when not given.
       */
      written?: () => boolean;
      onError?: (error: Error) => void;
      onFailed?: (error: Error) => void;
    } = {},
  ) {
    this.#onError = options.onError ?? (() => undefined);
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
      // A connection and a pragma: keep the thread's heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerAnswer) => {
      const outcome = message.ok ? { log: message.log, checkpointed: message.checkpointed } : undefined;
      if (outcome) this.#last = outcome;
      // A reader held frames back, or the checkpoint failed: the next tick tries again, written or not.
      this.#unfinished = outcome === undefined || outcome.checkpointed < outcome.log;
      if (!message.ok) this.#onError(new Error(`WAL checkpoint failed: ${message.message}`));
      for (const resolve of this.#running ?? []) resolve(outcome);
      this.#running = undefined;
      if (this.#queued.length > 0) this.#start();
    });
    const failed = (error: Error) => {
      if (this.#closed) return;
      this.close();
      options.onFailed?.(error);
    };
    this.#worker.on('error', failed);
    this.#worker.on('exit', (code) => failed(new Error(`the WAL checkpoint thread exited (${code})`)));
    this.#written = options.written ?? (() => true);
    this.#timer = setInterval(() => void this.tick(), options.intervalMs ?? 1_000).unref();
  }

  /**
   * The periodic checkpoint: requested when something was written since the last tick or the last checkpoint
   * left frames behind; else (and once closed) undefined.
   */
  tick(): Promise<CheckpointOutcome | undefined> | undefined {
    if (this.#closed) return undefined;
    let due = this.#unfinished;
    try {
      // Asked every time: it also marks what this tick has seen.
      due = this.#written() || due;
    } catch (error) {
      // Cannot tell: checkpoint anyway, which costs a wake-up at worst.
      this.#onError(error instanceof Error ? error : new Error(String(error)));
      due = true;
    }
    return due ? this.request() : undefined;
  }

  /**
   * Checkpoints as soon as the thread is free. Resolves when a checkpoint that started after this call
   * ends, with undefined when it failed or the checkpointer closed first.
   */
  request(): Promise<CheckpointOutcome | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const done = new Promise<CheckpointOutcome | undefined>((resolve) => this.#queued.push(resolve));
    if (this.#running === undefined) this.#start();
    return done;
  }

  /** What the last checkpoint that succeeded found and did. */
  get last(): CheckpointOutcome | undefined {
    return this.#last;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    for (const resolve of [...(this.#running ?? []), ...this.#queued]) resolve(undefined);
    void this.#worker.terminate();
  }

  #start(): void {
    this.#running = this.#queued;
    this.#queued = [];
    this.#worker.postMessage('checkpoint');
  }
}

type WorkerAnswer = { ok: true; log: number; checkpointed: number } | { ok: false; message: string };
