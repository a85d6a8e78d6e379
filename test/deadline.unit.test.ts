import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadline, sleep } from '../src/util/deadline.js';

describe('Deadline', () => {
  it('fires with a TimeoutError naming what timed out', async () => {
    const deadline = new Deadline(20, 'request deadline');
    await new Promise((resolve) => deadline.onAbort(() => resolve(undefined)));
    assert.equal(deadline.aborted, true);
    assert.equal(deadline.reason?.name, 'TimeoutError');
    assert.equal(deadline.reason?.message, 'request deadline of 20ms passed');
  });

  it('follows its parent, a Deadline or an AbortSignal, with the parent reason', () => {
    const controller = new AbortController();
    const root = new Deadline(undefined, 'cycle', controller.signal);
    const child = new Deadline(10_000, 'plane deadline', root);
    controller.abort(new Error('shutting down'));
    assert.equal(child.aborted, true);
    assert.equal(child.reason?.message, 'shutting down');
    child.dispose();
  });

  it('is born aborted under an aborted parent', () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    const child = new Deadline(10_000, 'x', controller.signal);
    assert.equal(child.reason?.message, 'gone');
  });

  it('unlinks from its parent on dispose', () => {
    const parent = new Deadline(10_000, 'parent');
    const child = new Deadline(10_000, 'child', parent);
    assert.equal(parent.listenerCount, 1);
    child.dispose();
    assert.equal(parent.listenerCount, 0);
    parent.abort(new Error('late'));
    assert.equal(child.aborted, false);
    parent.dispose();
  });

  it('sleep resolves after the delay, or rejects the moment the deadline fires', async () => {
    const deadline = new Deadline(10_000, 'x');
    await sleep(5, deadline);
    assert.equal(deadline.listenerCount, 0, 'no listener left behind');
    const pending = sleep(10_000, deadline);
    deadline.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
  });
});
