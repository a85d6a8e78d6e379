import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FleetCoordinator } from '../src/fleet/fleet-coordinator.js';
import { FleetKeeper, fleetTimings } from '../src/fleet/fleet-keeper.js';
import { FleetShareCycle } from '../src/fleet/fleet-share-cycle.js';

const never = <T>() => new Promise<T>(() => undefined);

/** A coordinator whose every method records its call and answers from `answers` (missing: never answers). */
function coordinator(answers: Partial<FleetCoordinator>, calls: string[]): FleetCoordinator {
  const record =
    <K extends keyof FleetCoordinator>(name: K) =>
    (...args: Parameters<FleetCoordinator[K]>) => {
      calls.push(name);
      const answer = answers[name] as ((...a: typeof args) => ReturnType<FleetCoordinator[K]>) | undefined;
      return answer ? answer(...args) : never();
    };
  return {
    heartbeat: record('heartbeat'),
    claim: record('claim'),
    complete: record('complete'),
    renew: record('renew'),
    rescue: record('rescue'),
    leave: record('leave'),
  } as FleetCoordinator;
}

describe('fleet timings', () => {
  it('renew several times an interval; a lease lasts three renewals', () => {
    assert.deepEqual(fleetTimings(60_000), {
      periodMs: 5_000,
      leaseMs: 15_000,
      liveWindowMs: 150_000,
      timeoutMs: 5_000,
    });
    assert.deepEqual(fleetTimings(2_000), {
      periodMs: 250,
      leaseMs: 750,
      liveWindowMs: 5_000,
      timeoutMs: 1_000,
    });
  });
});

describe('FleetKeeper', () => {
  const base = { instance: 'r1', intervalMs: 60_000, leaseMs: 1_000, periodMs: 1_000, timeoutMs: 50 };

  it('checks what it rescued, then marks it done for the rescued slot', async () => {
    const calls: string[] = [];
    const checked: string[][] = [];
    const completed: [readonly string[], number][] = [];
    const keeper = new FleetKeeper({
      ...base,
      coordinator: coordinator(
        {
          renew: () => Promise.resolve(),
          rescue: () => Promise.resolve({ slot: 7, planes: ['a', 'b'] }),
          complete: (planes, _instance, slot) => {
            completed.push([planes, slot]);
            return Promise.resolve();
          },
        },
        calls,
      ),
      checkRescued: (planes) => {
        checked.push([...planes]);
        return Promise.resolve();
      },
      onStorageError: () => assert.fail('no storage error'),
      onStorageAnswered: () => undefined,
    });
    await keeper.round();
    assert.deepEqual(calls, ['renew', 'rescue', 'complete']);
    assert.deepEqual(checked, [['a', 'b']]);
    assert.deepEqual(completed, [[['a', 'b'], 7]]);
  });

  it('a store that never answers a renewal: reported as a timeout, nothing rescued', async () => {
    const calls: string[] = [];
    const errors: string[] = [];
    const keeper = new FleetKeeper({
      ...base,
      coordinator: coordinator({}, calls),
      checkRescued: () => assert.fail('nothing to check'),
      onStorageError: (error, during) => errors.push(`${during}: ${(error as Error).message}`),
      onStorageAnswered: () => assert.fail('the store did not answer'),
    });
    await keeper.round();
    assert.deepEqual(calls, ['renew']);
    assert.deepEqual(errors, ['renew: renew did not answer within 50 ms']);
  });
});

describe('FleetShareCycle against a store that never answers', () => {
  it('gives up on the heartbeat after its timeout and checks every plane', async () => {
    const errors: string[] = [];
    const cycle = new FleetShareCycle({
      coordinator: coordinator({}, []),
      instance: 'r1',
      planes: ['a', 'b', 'c'],
      intervalMs: 60_000,
      leaseMs: 1_000,
      liveWindowMs: 150_000,
      timeoutMs: 50,
      onStorageError: (error, during) => errors.push(`${during}: ${(error as Error).name}`),
    });
    const batches: (readonly string[])[] = [];
    for await (const batch of cycle.batches()) batches.push(batch);
    assert.deepEqual(batches, [['a', 'b', 'c']]);
    assert.deepEqual(errors, ['heartbeat: TimeoutError']);
  });
});
