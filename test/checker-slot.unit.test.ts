import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Checker } from '../src/check/checker.js';
import { CheckerSlot } from '../src/check/checker-slot.js';

function fakeChecker(name: string, closed: string[]): Checker {
  return {
    check: () => Promise.resolve([]),
    close: () => {
      closed.push(name);
      return Promise.resolve();
    },
  };
}

describe('CheckerSlot', () => {
  it('closes a replaced checker once the work that started on it has ended', async () => {
    const closed: string[] = [];
    const slot = new CheckerSlot(fakeChecker('old', closed));
    let finish = () => undefined as void;
    const cycle = slot.use(
      (checker) =>
        new Promise<Checker>((resolve) => {
          finish = () => resolve(checker);
        }),
    );
    slot.replace(fakeChecker('new', closed));
    assert.deepEqual(closed, [], 'still in use by the cycle');
    const used = await slot.use((checker) => Promise.resolve(checker));
    await used.close();
    assert.deepEqual(closed, ['new'], 'work started after the replace uses the new checker');
    closed.length = 0;
    finish();
    const first = await cycle;
    assert.notEqual(first, used, 'the cycle kept the checker it started with');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, ['old']);
  });

  it('closes an idle replaced checker at once, and also when the work failed', async () => {
    const closed: string[] = [];
    const slot = new CheckerSlot(fakeChecker('first', closed));
    slot.replace(fakeChecker('second', closed));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, ['first']);
    const failing = slot.use(() => Promise.reject(new Error('boom')));
    slot.replace(fakeChecker('third', closed));
    await assert.rejects(failing, /boom/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, ['first', 'second']);
    await slot.close();
    assert.deepEqual(closed, ['first', 'second', 'third']);
  });
});
