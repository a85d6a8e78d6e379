import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResultFeed } from '../src/check/result-store.js';
import type { StoredResult } from '../src/check/stored-result.js';
import { nextPollDelay, SharedResultsSync } from '../src/fleet/shared-results-sync.js';
import { StorageHealth } from '../src/store/storage-health.js';

const result = (plane: string, checkedAt: number): StoredResult => ({
  plane,
  status: 'HEALTHY',
  reason: null,
  checkedAt,
  durationMs: 5,
  steps: [],
  checkedBy: 'r1',
});

/** A feed that answers from a script: each call takes the next answer (an error is thrown). */
function scriptedFeed(answers: ({ results: StoredResult[]; cursor: string } | Error)[]) {
  const cursors: (string | null)[] = [];
  const feed: ResultFeed = {
    latestChangedSince(cursor) {
      cursors.push(cursor);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no more answers');
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return { feed, cursors };
}

describe('SharedResultsSync', () => {
  it('backs off exponentially while the store fails, up to the cap, and polls at the normal pace otherwise', () => {
    assert.equal(nextPollDelay(0, 2_000, 30_000), 2_000);
    assert.equal(nextPollDelay(1, 2_000, 30_000), 4_000);
    assert.equal(nextPollDelay(3, 2_000, 30_000), 16_000);
    assert.equal(nextPollDelay(4, 2_000, 30_000), 30_000);
    assert.equal(nextPollDelay(1_000, 2_000, 30_000), 30_000);
  });

  it('hands the feed the cursor it returned last, and keeps it across a failed poll', async () => {
    const { feed, cursors } = scriptedFeed([
      { results: [result('a', 1)], cursor: 'c1' },
      new Error('connect ECONNREFUSED'),
      { results: [result('b', 2)], cursor: 'c2' },
      { results: [], cursor: 'c3' },
    ]);
    const seen: string[][] = [];
    const errors: number[] = [];
    let recovered = 0;
    const sync = new SharedResultsSync({
      feed,
      onResults: (results) => seen.push(results.map((r) => r.plane)),
      onError: (_error, failures) => errors.push(failures),
      onRecovered: () => recovered++,
    });
    assert.equal(await sync.pollNow(), true);
    assert.equal(await sync.pollNow(), false);
    assert.equal(await sync.pollNow(), true);
    assert.equal(await sync.pollNow(), true);
    assert.deepEqual(cursors, [null, 'c1', 'c1', 'c2']);
    assert.deepEqual(seen, [['a'], ['b']], 'an empty poll calls nobody');
    assert.deepEqual(errors, [1]);
    assert.equal(recovered, 1);
  });

  it('runs one poll at a time: a second call waits for the first', async () => {
    let inFlight = 0;
    let most = 0;
    const feed: ResultFeed = {
      async latestChangedSince() {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return { results: [], cursor: 'c' };
      },
    };
    const sync = new SharedResultsSync({ feed, onResults: () => undefined, onError: () => undefined });
    await Promise.all([sync.pollNow(), sync.pollNow(), sync.pollNow()]);
    assert.equal(most, 1);
  });
});

describe('StorageHealth', () => {
  it('reports each change once, with the first error of an outage and the time it began', () => {
    let now = 1_000;
    const changes: { up: boolean; since: number; error: string | null }[] = [];
    const health = new StorageHealth(
      (view) => changes.push(view),
      () => now,
    );
    health.succeeded('write');
    now = 2_000;
    health.failed('write', new Error('connect ECONNREFUSED'));
    now = 3_000;
    health.failed('poll', new Error('timeout'));
    assert.equal(health.up, false);
    assert.deepEqual(health.view, { up: false, since: 2_000, error: 'poll: timeout' });
    now = 4_000;
    health.succeeded('write');
    health.succeeded('poll');
    health.succeeded('poll');
    assert.deepEqual(changes, [
      { up: false, since: 2_000, error: 'write: connect ECONNREFUSED' },
      { up: true, since: 4_000, error: null },
    ]);
  });

  it('stays down while writes fail, however many claims go through', () => {
    const health = new StorageHealth();
    health.failed('write', new Error('statement timeout'));
    health.succeeded('share');
    health.succeeded('poll');
    assert.equal(health.up, false);
    assert.equal(health.failing('write'), true);
    assert.equal(health.failing('share'), false);
    health.succeeded('write');
    assert.equal(health.up, true);
  });
});
