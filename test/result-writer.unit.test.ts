import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredResult } from '../src/check/stored-result.js';
import { ResultWriter, WRITE_BATCH } from '../src/store/result-writer.js';
import { FakeClock } from './helpers/clock.js';

const result = (checkedAt: number): StoredResult => ({
  plane: 'a',
  status: 'HEALTHY',
  reason: null,
  checkedAt,
  durationMs: 1,
  steps: [],
  checkedBy: 'replica-a',
});

/** A store whose writes the test settles one by one, recording what each was given and how many ran at once. */
class ManualStore {
  readonly calls: { results: number[]; settle: (error?: Error) => void }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly saved: number[] = [];

  saveResults = (results: readonly StoredResult[]): Promise<void> => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const batch = results.map((r) => r.checkedAt);
    return new Promise((resolve, reject) => {
      this.calls.push({
        results: batch,
        settle: (error) => {
          this.inFlight--;
          if (error) reject(error);
          else {
            this.saved.push(...batch);
            resolve();
          }
        },
      });
    });
  };

  /** Settles the newest write and lets the writer react. */
  async settleLast(error?: Error): Promise<void> {
    const call = this.calls.at(-1);
    assert.ok(call, 'a write was started');
    call.settle(error);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

describe('ResultWriter', () => {
  it('keeps results while the store fails, retries after the backoff, and writes them all in order', async () => {
    const saved: number[] = [];
    let busy = true;
    const errors: number[] = [];
    const writer = new ResultWriter({
      store: {
        saveResults: (results) => {
          if (busy)
            return Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
          saved.push(...results.map((r) => r.checkedAt));
          return Promise.resolve();
        },
      },
      onError: (_error, pending) => errors.push(pending),
      backoffMs: 1_000,
    });
    writer.write(result(1), 0);
    assert.equal(await writer.flush(0), false, 'the first write failed');
    writer.write(result(2), 500); // inside the backoff: not even tried
    assert.equal(await writer.flush(500), false);
    assert.deepEqual(errors, [1]);
    assert.equal(writer.pending, 2);
    writer.write(result(3), 1_000); // tried again, still busy
    assert.equal(await writer.flush(1_000), false);
    assert.deepEqual(errors, [1, 3]);
    busy = false;
    assert.equal(await writer.flush(1_500), false, 'still backing off');
    assert.equal(await writer.flush(2_000), true);
    assert.deepEqual(saved, [1, 2, 3]);
    assert.equal(writer.pending, 0);
    writer.write(result(4), 2_001);
    assert.equal(await writer.flush(2_001), true);
    assert.deepEqual(saved, [1, 2, 3, 4]);
  });

  it('gathers the results of a batch into one write, made when the batch ends or at a flush', async () => {
    const store = new ManualStore();
    const written = () =>
      new Promise<void>((resolve) => {
        const started = store.calls.length;
        const poll = () => (store.calls.length > started ? resolve() : setImmediate(poll));
        poll();
      });
    const writer = new ResultWriter({
      store,
      onError: () => assert.fail('no write fails here'),
      batchMs: 20,
    });
    const first = written();
    writer.write(result(1), 0);
    writer.write(result(2), 0);
    writer.write(result(3), 0);
    assert.equal(store.calls.length, 0, 'nothing written before the batch ends');
    assert.equal(writer.pending, 3);
    await first;
    assert.deepEqual(
      store.calls.map((call) => call.results),
      [[1, 2, 3]],
      'one write for the batch',
    );
    await store.settleLast();
    writer.write(result(4), 0);
    writer.write(result(5), 0);
    assert.equal(store.calls.length, 1, 'a new batch waits too');
    const flushing = writer.flush(0);
    assert.deepEqual(store.calls.at(-1)?.results, [4, 5], 'a flush writes the batch at once');
    await store.settleLast();
    assert.equal(await flushing, true);
    assert.deepEqual(store.saved, [1, 2, 3, 4, 5]);
  });

  it('never has two writes in flight: results arriving meanwhile go in the next write, in order', async () => {
    const store = new ManualStore();
    const writer = new ResultWriter({ store, onError: () => assert.fail('no write fails here'), batchMs: 0 });
    writer.write(result(1), 0);
    writer.write(result(2), 0);
    writer.write(result(3), 0);
    assert.deepEqual(
      store.calls.map((call) => call.results),
      [[1]],
      'one write started; the others wait for it',
    );
    assert.equal(writer.pending, 3);
    let flushed: boolean | undefined;
    const flushing = writer.flush(0).then((done) => (flushed = done));
    await store.settleLast();
    assert.deepEqual(
      store.calls.map((call) => call.results),
      [[1], [2, 3]],
      'the queued results went in one write, as soon as the first ended',
    );
    writer.write(result(4), 0);
    assert.equal(store.calls.length, 2, 'still one in flight');
    await store.settleLast();
    await store.settleLast();
    await flushing;
    assert.equal(flushed, true);
    assert.equal(store.maxInFlight, 1);
    assert.deepEqual(store.saved, [1, 2, 3, 4]);
    assert.equal(writer.pending, 0);
  });

  it('after a failed write, keeps its results ahead of those that arrived during it', async () => {
    const store = new ManualStore();
    const errors: number[] = [];
    const writer = new ResultWriter({
      store,
      onError: (_e, pending) => errors.push(pending),
      backoffMs: 1_000,
      batchMs: 0,
    });
    writer.write(result(1), 0);
    writer.write(result(2), 0);
    writer.write(result(3), 0);
    await store.settleLast(); // [1] stored
    writer.write(result(4), 10);
    assert.deepEqual(store.calls.at(-1)?.results, [2, 3]);
    await store.settleLast(new Error('connection reset'));
    assert.deepEqual(errors, [3], 'reported with everything pending: 2, 3 and 4');
    assert.equal(store.calls.length, 2, 'no write during the backoff, not even for result 4');
    writer.write(result(5), 500);
    assert.equal(store.calls.length, 2);
    const done = writer.flush(1_001);
    assert.deepEqual(store.calls.at(-1)?.results, [2, 3, 4, 5], 'one retry, in order');
    await store.settleLast();
    assert.equal(await done, true);
    assert.deepEqual(store.saved, [1, 2, 3, 4, 5]);
    assert.equal(store.maxInFlight, 1);
  });

  it('a forced flush at shutdown waits for the write in flight, then writes the rest, backoff or not', async () => {
    const store = new ManualStore();
    const writer = new ResultWriter({ store, onError: () => undefined, backoffMs: 60_000, batchMs: 0 });
    writer.write(result(1), 0);
    await store.settleLast(new Error('busy'));
    writer.write(result(2), 1); // backing off: queued, not written
    assert.equal(store.calls.length, 1);
    let done = false;
    const flushing = writer.flush(Number.POSITIVE_INFINITY).then((ok) => (done = ok));
    assert.deepEqual(store.calls.at(-1)?.results, [1, 2], 'the backoff does not hold a forced flush');
    writer.write(result(3), 2);
    await store.settleLast();
    assert.equal(done, false, 'result 3 is still pending');
    assert.deepEqual(store.calls.at(-1)?.results, [3]);
    await store.settleLast();
    await flushing;
    assert.equal(done, true);
    assert.deepEqual(store.saved, [1, 2, 3]);
    assert.equal(store.maxInFlight, 1);
  });

  it('writes a backlog held through an outage in bounded batches, in order', async () => {
    const store = new ManualStore();
    const writer = new ResultWriter({ store, onError: () => undefined, backoffMs: 1_000, batchMs: 0 });
    writer.write(result(0), 0);
    await store.settleLast(new Error('connect ECONNREFUSED'));
    const backlog = WRITE_BATCH * 2 + 5;
    for (let i = 1; i < backlog; i++) writer.write(result(i), 10);
    const flushing = writer.flush(2_000);
    for (let batch = 0; batch < 3; batch++) {
      const sizes = store.calls.at(-1)?.results.length ?? 0;
      assert.ok(sizes <= WRITE_BATCH, `a write of ${sizes} results`);
      await store.settleLast();
    }
    assert.equal(await flushing, true);
    assert.deepEqual(
      store.saved,
      Array.from({ length: backlog }, (_, i) => i),
    );
    assert.deepEqual(
      store.calls.slice(1).map((call) => call.results.length),
      [WRITE_BATCH, WRITE_BATCH, 5],
    );
  });

  it('drops the oldest results past its bound, and says how many', async () => {
    const dropped: number[] = [];
    const writer = new ResultWriter({
      store: {
        saveResults: () => Promise.reject(new Error('disk full')),
      },
      onError: () => undefined,
      onDropped: (count) => dropped.push(count),
      maxPending: 3,
      backoffMs: 0,
    });
    for (let i = 0; i < 5; i++) {
      writer.write(result(i), i);
      await writer.flush(i);
    }
    assert.equal(writer.pending, 3);
    assert.deepEqual(dropped, [1, 1]);
  });

  it('backs off on the monotonic clock: a wall clock stepped back does not hold writes', async () => {
    const clock = new FakeClock();
    let busy = true;
    const saved: number[] = [];
    const writer = new ResultWriter({
      store: {
        saveResults: (results) => {
          if (busy) return Promise.reject(new Error('database is locked'));
          saved.push(...results.map((r) => r.checkedAt));
          return Promise.resolve();
        },
      },
      onError: () => undefined,
      backoffMs: 1_000,
      clock,
    });
    writer.write(result(1));
    assert.equal(await writer.flush(), false);
    busy = false;
    clock.stepWall(-3_600_000);
    clock.advance(999);
    assert.equal(await writer.flush(), false, 'still backing off');
    clock.advance(1);
    assert.equal(await writer.flush(), true, 'one second later, not one hour');
    assert.deepEqual(saved, [1]);
  });
});
