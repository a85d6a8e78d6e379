import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleScheduler } from '../src/scheduler/cycle-scheduler.js';
import { intervalToCron } from '../src/scheduler/interval-to-cron.js';
import { createLogger } from '../src/log/logger.js';
import { FakeClock } from './helpers/clock.js';

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

const quiet = createLogger('error', () => undefined);

/** A promise and the function that settles it: lets a test hold a cycle open, or wait for an event. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('CycleScheduler', () => {
  it('runs a cycle at start and then on the ticks of a real cron schedule', async () => {
    let runs = 0;
    // Recorded, not asserted in the callbacks: node-cron runs its tick inside its own try/catch, so a
    // throw there would be swallowed and could never fail this test.
    let overruns = 0;
    const errors: unknown[] = [];
    const thirdRun = signal();
    const scheduler = new CycleScheduler({
      intervalMs: 1_000,
      runCycle: () => {
        if (++runs === 3) thirdRun.resolve();
        return Promise.resolve();
      },
      onOverrun: () => overruns++,
      onError: (error) => errors.push(error),
      log: quiet,
    });
    scheduler.start();
    assert.equal(runs, 1, 'the first cycle starts at once');
    await thirdRun.promise; // two ticks of node-cron itself, however long the machine takes
    await scheduler.stop();
    assert.equal(overruns, 0, 'no tick found a cycle still running');
    assert.deepEqual(errors, []);
  });

  it('never runs two cycles at once, and counts a skipped tick when it is skipped', async () => {
    let active = 0;
    let runs = 0;
    let overruns = 0;
    const first = signal();
    const scheduler = new CycleScheduler({
      intervalMs: 3_600_000,
      runCycle: async () => {
        active++;
        runs++;
        assert.equal(active, 1, 'two cycles at once');
        if (runs === 1) await first.promise;
        active--;
      },
      onOverrun: () => overruns++,
      onError: (error) => assert.fail(String(error)),
      log: quiet,
    });
    scheduler.trigger();
    scheduler.trigger();
    scheduler.trigger();
    assert.equal(runs, 1);
    assert.equal(overruns, 2, 'counted at each skipped tick, while the cycle still runs');
    first.resolve();
    await new Promise((resolve) => setImmediate(resolve)); // the lock is released in a finally
    scheduler.trigger();
    assert.equal(runs, 2, 'the next tick after the cycle ended runs');
    assert.equal(overruns, 2);
    await scheduler.stop();
  });

  it('does not count a tick that lands on the start-up cycle as an overrun', async () => {
    const startup = signal();
    let overruns = 0;
    const scheduler = new CycleScheduler({
      intervalMs: 3_600_000,
      runCycle: () => startup.promise,
      onOverrun: () => overruns++,
      onError: (error) => assert.fail(String(error)),
      log: quiet,
    });
    scheduler.start();
    scheduler.trigger();
    assert.equal(overruns, 0);
    startup.resolve();
    await scheduler.stop();
  });

  it('keeps running after a cycle throws (the lock is released)', async () => {
    let runs = 0;
    const errors: unknown[] = [];
    let failed = signal();
    const scheduler = new CycleScheduler({
      intervalMs: 3_600_000,
      runCycle: () => {
        runs++;
        return Promise.reject(new Error(`cycle ${runs} failed`));
      },
      onOverrun: () => assert.fail('a failed cycle must release the lock'),
      onError: (error) => {
        errors.push(error);
        failed.resolve();
      },
      log: quiet,
    });
    scheduler.start();
    for (let run = 2; run <= 3; run++) {
      await failed.promise;
      await new Promise((resolve) => setImmediate(resolve)); // the lock is released in a finally
      failed = signal();
      scheduler.trigger();
      assert.equal(runs, run);
    }
    await failed.promise;
    await scheduler.stop();
    assert.deepEqual(
      errors.map((error) => (error as Error).message),
      ['cycle 1 failed', 'cycle 2 failed', 'cycle 3 failed'],
    );
  });

  it('aborts the running cycle on stop and runs nothing after', async () => {
    let aborted = false;
    let runs = 0;
    const scheduler = new CycleScheduler({
      intervalMs: 1_000,
      runCycle: async (signal) => {
        runs++;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        aborted = signal.aborted;
      },
      onOverrun: () => undefined,
      onError: (error) => assert.fail(String(error)),
      log: quiet,
    });
    scheduler.start();
    await scheduler.stop();
    assert.equal(aborted, true);
    assert.equal(scheduler.running, false);
    scheduler.trigger();
    assert.equal(runs, 1, 'no cycle after stop');
  });
});

describe('CycleScheduler and wall-clock steps', () => {
  const schedulerOn = (clock: FakeClock, steps: number[]) =>
    new CycleScheduler({
      intervalMs: 3_600_000,
      runCycle: () => Promise.resolve(),
      onOverrun: () => undefined,
      onError: (error) => assert.fail(String(error)),
      log: quiet,
      onClockStep: (stepMs) => steps.push(stepMs),
      clock,
    });

  it('reports a step back or forward, and nothing when both clocks move alike', async () => {
    const clock = new FakeClock();
    const steps: number[] = [];
    const scheduler = schedulerOn(clock, steps);
    scheduler.start();
    clock.advance(30_000); // an event loop blocked for 30 s: both clocks moved
    assert.equal(scheduler.checkClock(), undefined);
    clock.advance(1_000);
    clock.stepWall(-60_000);
    assert.equal(scheduler.checkClock(), -60_000);
    clock.advance(1_000);
    assert.equal(scheduler.checkClock(), undefined, 'a step is reported once');
    clock.stepWall(3_600_000);
    assert.equal(scheduler.checkClock(), 3_600_000);
    assert.deepEqual(steps, [-60_000, 3_600_000]);
    await scheduler.stop();
  });
});
