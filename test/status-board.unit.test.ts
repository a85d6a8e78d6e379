import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredResult } from '../src/check/stored-result.js';
import { StatusBoard } from '../src/store/status-board.js';
import { FakeClock } from './helpers/clock.js';

const TTL = 120_000;

function result(
  plane: string,
  checkedAt: number,
  status: StoredResult['status'],
  checkedBy: string,
): StoredResult {
  return { plane, status, reason: null, checkedAt, durationMs: 10, steps: [], checkedBy };
}

describe('StatusBoard.merge (results other replicas stored)', () => {
  it('takes a newer result with its age, ignores an older or repeated one, and says when the status changed', () => {
    const clock = new FakeClock();
    const board = new StatusBoard(['a'], TTL, [], () => [], clock);
    board.update(result('a', clock.wall - 1_000, 'HEALTHY', 'me'));
    assert.equal(
      board.merge(result('a', clock.wall - 5_000, 'FAILED', 'other')),
      undefined,
      'older: ignored',
    );
    assert.equal(board.state('a').status, 'HEALTHY');
    const change = board.merge(result('a', clock.wall - 100_000, 'FAILED', 'other'));
    assert.equal(change, undefined);
    const newer = board.merge(result('a', clock.wall - 500, 'FAILED', 'other'));
    assert.deepEqual(newer, { plane: 'a', from: 'HEALTHY', to: 'FAILED', reason: null });
    assert.equal(board.state('a').checkedBy, 'other');
    assert.equal(board.merge(result('a', clock.wall - 500, 'FAILED', 'other')), undefined, 'seen already');
    assert.equal(board.recent('a').length, 2, 'a repeat is not added to the strip');
    // Aged by its stamp: it turns NO_VALUE TTL after it was checked, not TTL after it arrived here.
    clock.mono += TTL - 600;
    clock.wall += TTL - 600;
    assert.equal(board.state('a').status, 'FAILED');
    clock.mono += 200;
    clock.wall += 200;
    assert.equal(board.state('a').status, 'NO_VALUE');
  });

  it('a stamp a little in the future (a replica whose clock runs ahead) is fresh, not expired', () => {
    const clock = new FakeClock();
    const board = new StatusBoard(['a'], TTL, [], () => [], clock);
    board.merge(result('a', clock.wall + 3_000, 'HEALTHY', 'ahead'));
    assert.equal(board.state('a').status, 'HEALTHY');
    clock.mono += TTL - 1;
    clock.wall += TTL - 1;
    assert.equal(board.state('a').status, 'HEALTHY');
    clock.mono += 1;
    clock.wall += 1;
    assert.equal(board.state('a').status, 'NO_VALUE', 'fresh for at most the TTL from its arrival');
  });

  it('ignores planes it does not know', () => {
    const board = new StatusBoard(['a'], TTL, [], () => [], new FakeClock());
    assert.equal(board.merge(result('b', Date.now(), 'FAILED', 'other')), undefined);
    assert.deepEqual(
      board.states().map((state) => state.plane),
      ['a'],
    );
  });
});

describe('StatusBoard.setPlanes (a config reload)', () => {
  it('keeps what a remaining plane holds, forgets a removed one, and starts an added one from its stored history', () => {
    const clock = new FakeClock();
    const board = new StatusBoard(['a', 'b'], TTL, [], () => [], clock);
    board.update(result('a', clock.wall - 1_000, 'HEALTHY', 'me'));
    board.update(result('b', clock.wall - 1_000, 'FAILED', 'me'));
    const version = board.version;
    const stored = [
      result('c', clock.wall - 2_000, 'NO_USER', 'me'),
      result('c', clock.wall - 9_000, 'HEALTHY', 'me'),
    ];
    board.setPlanes(['c', 'a'], (plane) => (plane === 'c' ? stored : []), 60_000);

    assert.deepEqual(
      board.states().map((state) => [state.plane, state.status]),
      [
        ['c', 'NO_USER'],
        ['a', 'HEALTHY'],
      ],
    );
    assert.deepEqual(
      board.recent('c').map((entry) => entry.status),
      ['HEALTHY', 'NO_USER'],
      'oldest first',
    );
    assert.deepEqual(board.recent('b'), []);
    assert.equal(board.cacheTtlMs, 60_000);
    assert.ok(board.version > version, 'readers re-render');
    assert.equal(
      board.merge(result('b', clock.wall, 'HEALTHY', 'other')),
      undefined,
      'a removed plane is ignored',
    );
    // Added back later, it starts from the store again, not from what the board held before.
    board.setPlanes(['c', 'a', 'b']);
    assert.equal(board.state('b').status, 'NO_VALUE');
  });
});
