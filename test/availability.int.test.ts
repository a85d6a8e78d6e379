import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AvailabilityCache } from '../src/store/availability.js';
import type { StoredResult } from '../src/check/stored-result.js';
import type { ResultStore } from '../src/check/result-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { tempDir } from './helpers/tmp.js';

const NOW = Date.UTC(2026, 0, 2, 12, 0);
const planes = Array.from({ length: 250 }, (_, i) => `plane-${i}`);

const result = (plane: string, checkedAt: number, status: StoredResult['status']): StoredResult => ({
  plane,
  status,
  reason: status === 'HEALTHY' ? null : 'predict_http_500',
  checkedAt,
  durationMs: 10,
  steps: [],
  checkedBy: 'replica-a',
});

/** A real store with four results per plane: one older than a day, two in the day, one in the last hour. */
async function seededStore() {
  const store = openSqliteStore(join(tempDir(), 'availability.db'));
  const results: StoredResult[] = [];
  for (const [i, plane] of planes.entries()) {
    results.push(result(plane, NOW - 30 * 3_600_000, 'FAILED')); // outside both windows
    results.push(result(plane, NOW - 10 * 3_600_000, 'HEALTHY')); // the day only
    results.push(result(plane, NOW - 10 * 3_600_000 + 1, i % 2 === 0 ? 'FAILED' : 'HEALTHY')); // the day only
    results.push(result(plane, NOW - 20 * 60_000, 'HEALTHY')); // the hour and the day
  }
  await store.saveResults(results);
  return store;
}

/** The store, recording which planes each call asked for and whether the event loop ran in between. */
function recording(store: Pick<ResultStore, 'availability'>) {
  const calls: { planes: readonly string[] | undefined; turn: number }[] = [];
  let turn = 0;
  const tick = () => {
    turn++;
    if (ticking) setImmediate(tick);
  };
  let ticking = true;
  setImmediate(tick);
  return {
    calls,
    stop: () => {
      ticking = false;
    },
    store: {
      availability: (since: number, only?: readonly string[]) => {
        calls.push({ planes: only, turn });
        return store.availability(since, only);
      },
    },
  };
}

describe('AvailabilityCache', () => {
  it('computes every plane, some planes per turn of the event loop, from the hourly counts', async () => {
    const store = await seededStore();
    const recorder = recording(store);
    const cache = new AvailabilityCache(recorder.store, planes, { chunkSize: 100 });
    try {
      await cache.refresh(NOW);
    } finally {
      recorder.stop();
    }
    assert.deepEqual(cache.get('plane-0', NOW), { h1: 1, h24: 2 / 3 });
    assert.deepEqual(cache.get('plane-1', NOW), { h1: 1, h24: 1 });
    assert.deepEqual(cache.get('plane-249', NOW), { h1: 1, h24: 1 });
    assert.deepEqual(cache.get('no-such-plane', NOW), { h1: null, h24: null });
    // 3 chunks (100, 100, 50 planes), an hour and a day each; never every plane in one call.
    assert.deepEqual(
      recorder.calls.map((call) => call.planes?.length),
      [100, 100, 100, 100, 50, 50],
    );
    const turns = recorder.calls.map((call) => call.turn);
    assert.ok(
      turns[0]! < turns[2]! && turns[2]! < turns[4]!,
      `the loop ran between chunks: ${turns.join(',')}`,
    );
    await store.close();
  });

  it('serves the figures it has while it recomputes, and replaces them all at once', async () => {
    const store = await seededStore();
    const cache = new AvailabilityCache(store, planes, { chunkSize: 100, maxAgeMs: 30_000 });
    assert.deepEqual(cache.get('plane-0', NOW), { h1: null, h24: null }, 'nothing computed yet');
    await cache.refresh(NOW);
    assert.deepEqual(cache.get('plane-0', NOW + 1_000), { h1: 1, h24: 2 / 3 });

    // Two hours on, plane-0's last hour turns unhealthy: the old figures until the new ones are complete.
    const later = NOW + 2 * 3_600_000;
    await store.saveResults(planes.map((plane) => result(plane, later - 60_000, 'FAILED')));
    assert.deepEqual(cache.get('plane-0', later), { h1: 1, h24: 2 / 3 }, 'stale: served, and recomputed');
    const refreshing = cache.refresh(later);
    assert.deepEqual(cache.get('plane-249', later), { h1: 1, h24: 1 }, 'mid-way: still the old figures');
    await refreshing;
    assert.deepEqual(cache.get('plane-0', later), { h1: 0, h24: 2 / 4 });
    assert.deepEqual(cache.get('plane-249', later), { h1: 0, h24: 3 / 4 });
    await store.close();
  });

  it('keeps the old figures when recomputing fails, says so, and tries again later', async () => {
    const store = await seededStore();
    const errors: unknown[] = [];
    const cache = new AvailabilityCache(store, planes, { maxAgeMs: 30_000, onError: (e) => errors.push(e) });
    await cache.refresh(NOW);
    await store.close();
    await cache.refresh(NOW + 60_000);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /database connection is not open/);
    assert.deepEqual(cache.get('plane-0', NOW + 60_001), { h1: 1, h24: 2 / 3 });
    assert.equal(errors.length, 1, 'not retried on every read');
  });
});
