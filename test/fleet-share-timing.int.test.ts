// A replica that starts (or restarts) past the middle of an interval joins the slot under way: it does not take
// the next slot's every plane early, leaving the others nothing to check.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { FleetCoordinator } from '../src/fleet/fleet-coordinator.js';
import { FleetShareCycle } from '../src/fleet/fleet-share-cycle.js';
import { FLEET_SCHEMA, PostgresFleet } from '../src/fleet/pg-fleet.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

let server: TestPostgres;
const pools: pg.Pool[] = [];
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await Promise.allSettled(pools.map((pool) => pool.end()));
  await server.close();
});

const INTERVAL = 60_000;
const planes = Array.from({ length: 60 }, (_, i) => `plane-${i}`);

/** The real PostgreSQL coordinator, with the heartbeat's clock set to where in the schedule a tick lands. */
function at(real: PostgresFleet, slotPosition: () => number): FleetCoordinator {
  return {
    heartbeat: async (instance, live) => ({
      ...(await real.heartbeat(instance, live)),
      nowMs: slotPosition() * INTERVAL,
    }),
    claim: (...args) => real.claim(...args),
    complete: (...args) => real.complete(...args),
    renew: (...args) => real.renew(...args),
    rescue: (...args) => real.rescue(...args),
    leave: (instance) => real.leave(instance),
  };
}

async function fleet(name: string): Promise<PostgresFleet> {
  const url = await server.createDatabase(name);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(FLEET_SCHEMA);
  await setup.end();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  pools.push(pool);
  return new PostgresFleet(pool);
}

async function checkedBy(coordinator: FleetCoordinator, instance: string): Promise<number> {
  const share = new FleetShareCycle({
    coordinator,
    instance,
    planes,
    intervalMs: INTERVAL,
    leaseMs: INTERVAL,
    liveWindowMs: INTERVAL * 2.5,
    timeoutMs: 10_000,
    onStorageError: () => undefined,
  });
  let count = 0;
  for await (const batch of share.batches()) count += batch.length;
  return count;
}

test('a replica started 0.6 interval into slot s joins slot s: it does not check every plane of the next slot early', async () => {
  const real = await fleet('fleet_start_rounding');
  let position = 1000; // slot 1000 starts
  const clock = () => position;
  const coordinator = at(real, clock);
  for (const name of ['a', 'b', 'c']) await real.heartbeat(name, INTERVAL * 2.5);
  // Slot 1000: a and b check (c is starting up).
  await checkedBy(coordinator, 'a');
  await checkedBy(coordinator, 'b');
  // c's start-up cycle runs at once, 0.6 interval into the slot.
  position = 1000.6;
  const byC = await checkedBy(coordinator, 'c');
  assert.ok(byC < planes.length, `c's start-up cycle checked all ${byC} planes of the next slot, early`);
});
