import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFresh, planeState, type StoredResult } from '../src/store/plane-state.js';
import { StatusBoard } from '../src/store/status-board.js';

const stored: StoredResult = {
  plane: 'a',
  status: 'FAILED',
  reason: 'predict_timeout',
  checkedAt: 10_000,
  durationMs: 5,
  steps: [],
};

describe('isFresh and planeState', () => {
  const cases: [string, StoredResult | undefined, number, string, string | null][] = [
    ['no result yet', undefined, 0, 'NO_VALUE', 'no_result'],
    ['just checked', stored, 10_000, 'FAILED', 'predict_timeout'],
    ['a millisecond before the TTL', stored, 10_000 + 119_999, 'FAILED', 'predict_timeout'],
    ['exactly at the TTL', stored, 10_000 + 120_000, 'NO_VALUE', 'result_expired'],
    ['long after', stored, 10_000 + 3_600_000, 'NO_VALUE', 'result_expired'],
  ];
  for (const [name, result, now, status, reason] of cases) {
    it(name, () => {
      const state = planeState('a', result, now, 120_000);
      assert.equal(state.status, status);
      assert.equal(state.reason, reason);
      if (result) {
        assert.equal(state.expiresAt, 130_000);
        assert.equal(state.lastStatus, 'FAILED');
        assert.equal(isFresh(result, now, 120_000), status !== 'NO_VALUE');
      }
    });
  }
});

describe('StatusBoard', () => {
  it('reports status changes and ignores planes that are not configured', () => {
    const board = new StatusBoard(['a', 'b'], 120_000, [{ ...stored, plane: 'gone' }]);
    assert.deepEqual(
      board.states(10_000).map((s) => s.status),
      ['NO_VALUE', 'NO_VALUE'],
    );
    assert.deepEqual(board.update(stored, 10_000), {
      plane: 'a',
      from: 'NO_VALUE',
      to: 'FAILED',
      reason: 'predict_timeout',
    });
    assert.equal(board.update({ ...stored, checkedAt: 11_000 }, 11_000), undefined);
    assert.equal(board.state('a', 11_000 + 120_000).status, 'NO_VALUE');
  });
});
