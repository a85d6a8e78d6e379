import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { FleetShareCycle } from '../src/fleet/fleet-share-cycle.js';
import { FLEET_SCHEMA, PostgresFleet } from '../src/fleet/pg-fleet.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { freePort } from './helpers/pushgateway.js';

let server: TestPostgres;
const pools: pg.Pool[] = [];

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await Promise.allSettled(pools.map((pool) => pool.end()));
  await server.close();
});

async function coordinators(name: string, count: number): Promise<PostgresFleet[]> {
  const url = await server.createDatabase(name);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(FLEET_SCHEMA);
  await setup.end();
  return Array.from({ length: count }, () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined); // an idle connection ended by the server's shutdown at the end
    pools.push(pool);
    return new PostgresFleet(pool);
  });
}

const planes = Array.from({ length: 60 }, (_, i) => `plane-${i}`);
const INTERVAL = 3_600_000; // one slot for the whole test

function cycle(coordinator: PostgresFleet, instance: string, errors: string[] = []): FleetShareCycle {
  return new FleetShareCycle({
    coordinator,
    instance,
    planes,
    intervalMs: INTERVAL,
    leaseMs: 30_000,
    liveWindowMs: 60_000,
    timeoutMs: 10_000,
    onStorageError: (_error, during) => errors.push(during),
  });
}

/** Checks each batch; `checking` stands for the time a real check takes (the others claim meanwhile). */
async function drain(
  share: FleetShareCycle,
  checked: string[][],
  checking: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  for await (const batch of share.batches()) {
    checked.push([...batch]);
    await checking();
  }
}

test('three replicas in one slot check every plane exactly once between them, each its own share', async () => {
  const fleet = await coordinators('share_three', 3);
  // Every replica's heartbeat first, as after a minute of running, so each sees all three.
  for (const [i, coordinator] of fleet.entries()) await coordinator.heartbeat(`r${i}`, 60_000);
  const checked = fleet.map(() => [] as string[][]);
  // Checks take time: no replica finishes its share before every replica has claimed its own.
  let claimed = 0;
  let allClaimed: () => void = () => undefined;
  const everyShareClaimed = new Promise<void>((resolve) => (allClaimed = resolve));
  const checking = async () => {
    if (++claimed === fleet.length) allClaimed();
    await everyShareClaimed;
  };
  await Promise.all(
    fleet.map((coordinator, i) => drain(cycle(coordinator, `r${i}`), checked[i] ?? [], checking)),
  );
  const all = checked.flat(2);
  assert.equal(all.length, planes.length);
  assert.equal(new Set(all).size, planes.length);
  for (const [i, batches] of checked.entries()) {
    assert.ok(batches.flat().length >= 10, `replica r${i} checked ${batches.flat().length} planes`);
  }
});

test('the planes of a replica that never claimed its share (dead, still in the live list) are swept up by the others', async () => {
  const fleet = await coordinators('share_dead', 2);
  const [alive, other] = fleet;
  assert.ok(alive && other);
  await other.heartbeat('dead', 60_000);
  const checked: string[][] = [];
  await drain(cycle(alive, 'alive'), checked);
  assert.ok(checked.length >= 2, 'its own share, then the sweep');
  assert.equal(new Set(checked.flat()).size, planes.length);
});

test('a replica that cannot reach the store checks every plane itself, and says why', async () => {
  const port = await freePort();
  const pool = new pg.Pool({
    connectionString: `postgres://x:y@127.0.0.1:${port}/none`,
    connectionTimeoutMillis: 2_000,
  });
  pools.push(pool);
  const errors: string[] = [];
  const checked: string[][] = [];
  await drain(cycle(new PostgresFleet(pool), 'alone', errors), checked);
  assert.deepEqual(checked, [planes]);
  assert.deepEqual(errors, ['heartbeat']);
});

test('a replica whose writes fail claims nothing and checks every plane; the others claim and store its share', async () => {
  const [failing, healthy] = await coordinators('hold_claims', 2);
  if (!failing || !healthy) throw new Error('two replicas');
  await failing.heartbeat('failing', 60_000);
  await healthy.heartbeat('healthy', 60_000);
  const held = new FleetShareCycle({
    coordinator: failing,
    instance: 'failing',
    planes,
    intervalMs: INTERVAL,
    leaseMs: 30_000,
    liveWindowMs: 60_000,
    timeoutMs: 10_000,
    holdClaims: () => true,
    onStorageError: () => assert.fail('the store answers'),
  });
  const heldChecks: string[][] = [];
  await drain(held, heldChecks);
  assert.deepEqual(heldChecks, [planes], 'every plane, in one batch');
  const healthyChecks: string[][] = [];
  await drain(cycle(healthy, 'healthy'), healthyChecks);
  assert.equal(new Set(healthyChecks.flat()).size, planes.length, 'the healthy replica claims every plane');
});
