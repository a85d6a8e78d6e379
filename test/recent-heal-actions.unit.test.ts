import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealAction } from '../src/heal/heal-action.js';
import { RecentHealActions } from '../src/heal/recent-heal-actions.js';

const action = (
  id: number,
  plane: string,
  dispatchedAt: number,
  patch: Partial<HealAction> = {},
): HealAction => ({
  id,
  plane,
  reason: 'NO_USER',
  correlationId: `pc-${id}`,
  dispatchedAt,
  status: 'dispatching',
  runId: null,
  runUrl: null,
  conclusion: null,
  outcome: null,
  error: null,
  updatedAt: dispatchedAt,
  follower: null,
  followUntil: null,
  ...patch,
});

describe('the in-memory view of recent heal actions', () => {
  it('keeps the newest N per plane, newest first, and replaces an action by id', () => {
    const view = new RecentHealActions(2);
    view.put(action(1, 'a', 10));
    view.put(action(2, 'a', 30));
    view.put(action(3, 'a', 20));
    view.put(action(4, 'b', 5));
    assert.deepEqual(
      view.forPlane('a', 5).map((a) => a.id),
      [2, 3],
    );
    view.put(action(2, 'a', 30, { outcome: 'fixed' }));
    assert.equal(view.forPlane('a', 1)[0]?.outcome, 'fixed');
    assert.equal(view.forPlane('a', 5).length, 2, 'replaced, not added');
    assert.deepEqual(view.forPlane('missing', 5), []);
    assert.equal(view.countSince(10), 2, 'a: 30 and 20 (10 fell out of the view), b: 5 is older');
  });

  it('a refresh replaces the view with what the store holds, keeping own writes made while it was on its way', () => {
    const view = new RecentHealActions(5);
    view.put(action(1, 'a', 10));
    const install = view.beginRefresh();
    view.put(action(1, 'a', 10, { status: 'queued', runId: 7 })); // own write after the store was read
    view.put(action(3, 'c', 40)); // own insert after the store was read
    install([action(1, 'a', 10), action(2, 'b', 20, { follower: 'replica-b' })]);
    assert.equal(view.forPlane('a', 1)[0]?.runId, 7, 'the refresh did not move the view back');
    assert.equal(view.forPlane('b', 1)[0]?.follower, 'replica-b', "another replica's action shows");
    assert.equal(view.forPlane('c', 1)[0]?.id, 3);

    const next = view.beginRefresh();
    next([action(2, 'b', 20)]);
    assert.deepEqual(view.forPlane('a', 5), [], 'what the store no longer returns goes');
  });

  it('an older refresh answering after a newer one began is ignored; an abandoned one keeps the view', () => {
    const view = new RecentHealActions(5);
    const older = view.beginRefresh();
    const newer = view.beginRefresh();
    newer([action(1, 'a', 10)]);
    older([]);
    assert.equal(view.forPlane('a', 1)[0]?.id, 1);
    view.beginRefresh();
    view.abandonRefresh();
    view.put(action(2, 'a', 20));
    assert.deepEqual(
      view.forPlane('a', 5).map((a) => a.id),
      [2, 1],
    );
  });
});
