import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { CycleScheduler } from '../src/scheduler/cycle-scheduler.js';
import { intervalToCron } from '../src/scheduler/interval-to-cron.js';

describe('intervalToCron', () => {
  const cases: [number, string | undefined][] = [
    [1_000, '*/1 * * * * *'],
    [10_000, '*/10 * * * * *'],
    [60_000, '0 */1 * * * *'],
    [300_000, '0 */5 * * * *'],
    [3_600_000, '0 0 */1 * * *'],
    [7_000, undefined],
    [90_000, undefined],
    [1_500, undefined],
  ];
  for (const [ms, expression] of cases) it(`${ms}ms`, () => assert.equal(intervalToCron(ms), expression));
});

/** Real node-cron, 1-second ticks; each test runs a few ticks. */
describe('CycleScheduler', () => {
  it('runs a cycle at start and then on every tick', async () => {
    let runs = 0;
    const scheduler = new CycleScheduler({
      intervalMs: 1_000,
      runCycle: () => {
        runs++;
        return Promise.resolve();
      },
      onOverrun: () => assert.fail('no overrun expected'),
      onError: (error) => assert.fail(String(error)),
    });
    scheduler.start();
    assert.equal(runs, 1, 'the first cycle starts at once');
    await sleep(2_600);
    await scheduler.stop();
    assert.ok(runs >= 3, `expected at least 3 runs, got ${runs}`);
  });

  it('never runs two cycles at once, and counts skipped ticks as overruns', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let overruns = 0;
    const scheduler = new CycleScheduler({
      intervalMs: 1_000,
      runCycle: async (signal) => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        try {
          await sleep(2_200, undefined, { signal }).catch(() => undefined);
        } finally {
          active--;
        }
      },
      onOverrun: () => overruns++,
      onError: (error) => assert.fail(String(error)),
    });
    scheduler.start();
    await sleep(5_000);
    await scheduler.stop();
    assert.equal(maxActive, 1);
    assert.ok(overruns >= 1, `expected overruns, got ${overruns}`);
    assert.ok(runs >= 2, `expected a second cycle after the first ended, got ${runs}`);
  });

  it('keeps running after a cycle throws (the lock is released)', async () => {
    let runs = 0;
    const errors: unknown[] = [];
    const scheduler = new CycleScheduler({
      intervalMs: 1_000,
      runCycle: () => {
        runs++;
        return Promise.reject(new Error(`cycle ${runs} failed`));
      },
      onOverrun: () => assert.fail('a failed cycle must release the lock'),
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    await sleep(2_600);
    await scheduler.stop();
    assert.ok(runs >= 3, `expected at least 3 runs, got ${runs}`);
    assert.equal(errors.length, runs);
  });

  it('aborts the running cycle on stop and runs nothing after', async () => {
    let aborted = false;
    let runs = 0;
    const scheduler = new CycleScheduler({
      intervalMs: 1_000,
      runCycle: async (signal) => {
        runs++;
        await sleep(60_000, undefined, { signal }).catch(() => {
          aborted = signal.aborted;
        });
      },
      onOverrun: () => undefined,
      onError: (error) => assert.fail(String(error)),
    });
    scheduler.start();
    await sleep(100);
    await scheduler.stop();
    assert.equal(aborted, true);
    assert.equal(scheduler.running, false);
    const runsAtStop = runs;
    await sleep(1_200);
    assert.equal(runs, runsAtStop);
  });
});
