import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteHealLog } from '../../src/store/sqlite-heal-log.js';

/**
 * One "replica" deciding a dispatch on its own SQLite connection, in its own thread: it waits at the start
 * line (a shared flag), then calls insertIf. Its decide holds the lock a while, so that the other thread's
 * call arrives while the first is still deciding.
 */
export interface WorkerInput {
  path: string;
  plane: string;
  instance: string;
  /** Int32Array over a SharedArrayBuffer: [0] is the start flag, [1] counts threads at the start line. */
  start: SharedArrayBuffer;
  holdMs: number;
}

export interface WorkerAnswer {
  instance: string;
  /** Date.now() just before insertIf. */
  calledAt: number;
  /** Date.now() when decide ran, and how many actions of the plane it saw. */
  decidedAt: number;
  sawActions: number;
  /** Date.now() once insertIf answered (committed). */
  answeredAt: number;
  recorded: boolean;
  error?: string;
}

const input = workerData as WorkerInput;
const db = new Database(input.path);
db.pragma('busy_timeout = 2000');
const log = new SqliteHealLog(db);
const flags = new Int32Array(input.start);
Atomics.add(flags, 1, 1);
Atomics.wait(flags, 0, 0);
const answer: WorkerAnswer = {
  instance: input.instance,
  calledAt: Date.now(),
  decidedAt: 0,
  sawActions: -1,
  answeredAt: 0,
  recorded: false,
};
try {
  const now = Date.now();
  const action = await log.insertIf(input.plane, now, (view) => {
    answer.decidedAt = Date.now();
    answer.sawActions = view.actions.length;
    const until = Date.now() + input.holdMs;
    while (Date.now() < until) {
      // holds the write lock, as a slow decision would
    }
    if (view.actions.length > 0) return undefined;
    return {
      plane: input.plane,
      reason: 'NO_USER',
      correlationId: `pc-${input.instance}`,
      dispatchedAt: now,
      status: 'dispatching',
      runId: null,
      runUrl: null,
      conclusion: null,
      outcome: null,
      error: null,
      updatedAt: now,
      follower: input.instance,
      followUntil: now + 30_000,
    };
  });
  answer.recorded = action !== undefined;
} catch (error) {
  answer.error = error instanceof Error ? error.message : String(error);
}
answer.answeredAt = Date.now();
db.close();
parentPort?.postMessage(answer);
