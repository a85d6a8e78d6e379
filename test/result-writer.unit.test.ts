import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredResult } from '../src/check/stored-result.js';
import { ResultWriter } from '../src/store/result-writer.js';
import { FakeClock } from './helpers/clock.js';

const result = (checkedAt: number): StoredResult => ({
  plane: 'a',
  status: 'HEALTHY',
  reason: null,
  checkedAt,
  durationMs: 1,
  steps: [],
});

describe('ResultWriter', () => {
  it('keeps results while the store fails, retries after the backoff, and writes them all in order', () => {
    const saved: number[] = [];
    let busy = true;
    const errors: number[] = [];
    const writer = new ResultWriter({
      store: {
        saveResults: (results) => {
          if (busy) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
          saved.push(...results.map((r) => r.checkedAt));
        },
      },
      onError: (_error, pending) => errors.push(pending),
      backoffMs: 1_000,
    });
    writer.write(result(1), 0);
    writer.write(result(2), 500); // inside the backoff: not even tried
    assert.deepEqual(errors, [1]);
    assert.equal(writer.pending, 2);
    writer.write(result(3), 1_000); // tried again, still busy
    assert.deepEqual(errors, [1, 3]);
    busy = false;
    assert.equal(writer.flush(1_500), false, 'still backing off');
    assert.equal(writer.flush(2_000), true);
    assert.deepEqual(saved, [1, 2, 3]);
    assert.equal(writer.pending, 0);
    writer.write(result(4), 2_001);
    assert.deepEqual(saved, [1, 2, 3, 4]);
  });

  it('drops the oldest results past its bound, and says how many', () => {
    const dropped: number[] = [];
    const writer = new ResultWriter({
      store: {
        saveResults: () => {
          throw new Error('disk full');
        },
      },
      onError: () => undefined,
      onDropped: (count) => dropped.push(count),
      maxPending: 3,
    });
    for (let i = 0; i < 5; i++) writer.write(result(i), i);
    assert.equal(writer.pending, 3);
    assert.deepEqual(dropped, [1, 1]);
  });

  it('backs off on the monotonic clock: a wall clock stepped back does not hold writes', () => {
    const clock = new FakeClock();
    let busy = true;
    const saved: number[] = [];
    const writer = new ResultWriter({
      store: {
        saveResults: (results) => {
          if (busy) throw new Error('database is locked');
          saved.push(...results.map((r) => r.checkedAt));
        },
      },
      onError: () => undefined,
      backoffMs: 1_000,
      clock,
    });
    writer.write(result(1));
    busy = false;
    clock.stepWall(-3_600_000);
    clock.advance(999);
    assert.equal(writer.flush(), false, 'still backing off');
    clock.advance(1);
    assert.equal(writer.flush(), true, 'one second later, not one hour');
    assert.deepEqual(saved, [1]);
  });
});
