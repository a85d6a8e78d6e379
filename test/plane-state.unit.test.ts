import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredResult } from '../src/check/stored-result.js';
import { isFresh, planeState, storedResultAge } from '../src/store/plane-state.js';
import { loadStatusBoard, StatusBoard } from '../src/store/status-board.js';
import { FakeClock } from './helpers/clock.js';

const stored: StoredResult = {
  plane: 'a',
  status: 'FAILED',
  reason: 'predict_timeout',
  checkedAt: 10_000,
  durationMs: 5,
  steps: [],
  checkedBy: 'replica-a',
};

describe('isFresh and planeState', () => {
  it('says nobody known checked a result stored before instances were recorded', () => {
    assert.equal(planeState('a', { ...stored, checkedBy: '' }, 0, 120_000, 50_000).checkedBy, null);
  });

  const cases: [string, StoredResult | undefined, number, string, string | null][] = [
    ['no result yet', undefined, Infinity, 'NO_VALUE', 'no_result'],
    ['just checked', stored, 0, 'FAILED', 'predict_timeout'],
    ['a millisecond before the TTL', stored, 119_999, 'FAILED', 'predict_timeout'],
    ['exactly at the TTL', stored, 120_000, 'NO_VALUE', 'result_expired'],
    ['long after', stored, 3_600_000, 'NO_VALUE', 'result_expired'],
    ['of unknown age (stamped in the future)', stored, Infinity, 'NO_VALUE', 'result_expired'],
  ];
  for (const [name, result, age, status, reason] of cases) {
    it(name, () => {
      const wallNow = 50_000;
      const state = planeState('a', result, age, 120_000, wallNow);
      assert.equal(state.status, status);
      assert.equal(state.reason, reason);
      assert.equal(state.checkedBy, result ? 'replica-a' : null, 'who checked, fresh or expired');
      if (result) {
        assert.equal(state.expiresAt, Number.isFinite(age) ? wallNow - age + 120_000 : null);
        assert.equal(state.lastStatus, 'FAILED');
        assert.equal(isFresh(age, 120_000), status !== 'NO_VALUE');
      }
    });
  }
});

describe('storedResultAge', () => {
  const cases: [string, number, number][] = [
    ['a stamp in the past: now minus the stamp', 10_000, 5_000],
    ['a stamp of now', 15_000, 0],
    ['a stamp in the future (the clock stepped back): unknown, so expired', 15_001, Infinity],
  ];
  for (const [name, checkedAt, age] of cases)
    it(name, () => assert.equal(storedResultAge(checkedAt, 15_000), age));
});

describe('StatusBoard', () => {
  it('reports status changes and ignores planes that are not configured', () => {
    const clock = new FakeClock(10_000);
    const board = new StatusBoard(['a', 'b'], 120_000, [{ ...stored, plane: 'gone' }], undefined, clock);
    assert.deepEqual(
      board.states().map((s) => s.status),
      ['NO_VALUE', 'NO_VALUE'],
    );
    assert.deepEqual(board.update(stored), {
      plane: 'a',
      from: 'NO_VALUE',
      to: 'FAILED',
      reason: 'predict_timeout',
    });
    clock.advance(1_000);
    assert.equal(board.update({ ...stored, checkedAt: 11_000 }), undefined);
    clock.advance(120_000);
    assert.equal(board.state('a').status, 'NO_VALUE');
  });

  it('expires a result by monotonic age when the wall clock is stepped back', () => {
    const clock = new FakeClock();
    const board = new StatusBoard(['a'], 20_000, [], undefined, clock);
    board.update({ ...stored, checkedAt: clock.wall });
    clock.advance(5_000);
    clock.stepWall(-60_000);
    assert.equal(board.state('a').status, 'FAILED', 'still fresh 5 s after it arrived');
    assert.equal(board.msUntilNextExpiry(), 15_000);
    clock.advance(15_000);
    const state = board.state('a');
    assert.equal(state.status, 'NO_VALUE', 'expired 20 s after it arrived, though the wall clock says -40 s');
    assert.equal(state.expiresAt, clock.wall, 'expiresAt is put on the current wall clock');
    assert.equal(board.msUntilNextExpiry(), undefined);
  });

  it('keeps a result fresh when the wall clock jumps forward', () => {
    const clock = new FakeClock();
    const board = new StatusBoard(['a'], 20_000, [], undefined, clock);
    board.update({ ...stored, checkedAt: clock.wall });
    clock.stepWall(3_600_000);
    assert.equal(board.state('a').status, 'FAILED');
  });

  it('ages stored results by their stamp once, and treats one stamped in the future as expired', () => {
    const clock = new FakeClock();
    const board = new StatusBoard(
      ['past', 'future'],
      20_000,
      [
        { ...stored, plane: 'past', checkedAt: clock.wall - 5_000 },
        { ...stored, plane: 'future', checkedAt: clock.wall + 60_000 },
      ],
      undefined,
      clock,
    );
    assert.equal(board.state('past').status, 'FAILED');
    assert.equal(board.state('future').status, 'NO_VALUE');
    assert.equal(board.state('future').reason, 'result_expired');
    clock.advance(10_000);
    clock.stepWall(-60_000); // after start-up, a stored result ages on the monotonic clock too
    assert.equal(board.state('past').status, 'FAILED', '15 s old');
    clock.advance(5_000);
    assert.equal(board.state('past').status, 'NO_VALUE', '20 s old');
    assert.equal(board.state('future').status, 'NO_VALUE', 'stays expired');
  });
});

describe('loadStatusBoard', () => {
  it('builds the board from the stored latest results and the strip of each plane, then answers from memory', async () => {
    const clock = new FakeClock();
    const now = clock.wallNow();
    const asked: string[] = [];
    // As the store gives them: newest first.
    const history = (plane: string): StoredResult[] =>
      [1, 2, 3].map((n) => ({ ...stored, plane, checkedAt: now - n * 1_000, checkedBy: `replica-${n}` }));
    const board = await loadStatusBoard(
      {
        latestResults: () => Promise.resolve([{ ...stored, plane: 'a', checkedAt: now - 1_000 }]),
        history: (plane, limit) => {
          asked.push(`${plane}:${limit}`);
          return Promise.resolve(history(plane));
        },
      },
      ['a', 'b'],
      120_000,
      clock,
    );
    assert.deepEqual(asked, ['a:30', 'b:30']);
    assert.equal(board.state('a').status, 'FAILED');
    assert.equal(board.state('a').checkedBy, 'replica-a');
    assert.equal(board.state('b').status, 'NO_VALUE');
    assert.deepEqual(
      board.recent('b').map((r) => r.checkedAt),
      [now - 3_000, now - 2_000, now - 1_000],
      'oldest first',
    );
  });
});
