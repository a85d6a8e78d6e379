import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { FLEET_SCHEMA, PostgresFleet } from '../src/fleet/pg-fleet.js';
import { slotOf } from '../src/fleet/fleet-share.js';
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

async function freshFleet(name: string, replicas = 1): Promise<PostgresFleet[]> {
  const url = await server.createDatabase(name);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(FLEET_SCHEMA);
  await setup.end();
  return Array.from({ length: replicas }, () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined); // an idle connection ended by the server's shutdown at the end
    pools.push(pool);
    return new PostgresFleet(pool);
  });
}

const planes = Array.from({ length: 50 }, (_, i) => `p${i}`);

test('replicas that claim the same planes for a slot at the same moment each get a disjoint part, together all', async () => {
  const fleet = await freshFleet('claims_race', 3);
  const got = await Promise.all(fleet.map((replica, i) => replica.claim(planes, `r${i}`, 100, 30_000)));
  const all = got.flat();
  assert.equal(all.length, planes.length, 'every plane claimed exactly once');
  assert.equal(new Set(all).size, planes.length);
});

test('a plane claimed for a slot is not claimed again in that slot, and is claimable again in the next', async () => {
  const [a, b] = await freshFleet('claims_slots', 2);
  assert.ok(a && b);
  assert.deepEqual(await a.claim(['x'], 'a', 7, 30_000), ['x']);
  assert.deepEqual(await b.claim(['x'], 'b', 7, 30_000), [], 'held by a live lease');
  await a.complete(['x'], 'a', 7);
  assert.deepEqual(await b.claim(['x'], 'b', 7, 30_000), [], 'done for this slot');
  assert.deepEqual(await b.claim(['x'], 'b', 8, 30_000), ['x'], 'the next slot');
  assert.deepEqual(await a.claim(['x'], 'a', 7, 30_000), [], 'an older slot never takes a newer claim');
});

test('a claim whose lease ran out before its check was done goes to another replica in the same slot', async () => {
  const [dead, alive] = await freshFleet('claims_lease', 2);
  assert.ok(dead && alive);
  assert.deepEqual(await dead.claim(['x', 'y'], 'dead', 5, 1), ['x', 'y']);
  await dead.complete(['y'], 'dead', 5);
  // A 1 ms lease: wait until the server's clock has passed it, by asking the server.
  for (let attempt = 1; ; attempt++) {
    assert.ok(attempt < 10_000, 'the lease never ran out');
    const taken = await alive.claim(['x', 'y'], 'alive', 5, 30_000);
    if (taken.length > 0) {
      assert.deepEqual(taken, ['x'], 'only the unfinished claim moves');
      break;
    }
  }
});

test('the heartbeat lists live replicas, itself included, on the server clock; leaving drops a replica and its unfinished claims', async () => {
  const [a, b] = await freshFleet('heartbeat', 2);
  assert.ok(a && b);
  const first = await a.heartbeat('a', 60_000);
  assert.deepEqual(first.instances, ['a']);
  assert.ok(Math.abs(first.nowMs - Date.now()) < 60_000);
  assert.deepEqual((await b.heartbeat('b', 60_000)).instances, ['a', 'b']);
  assert.deepEqual(await b.claim(['x'], 'b', 1, 60_000), ['x']);
  await b.leave('b');
  assert.deepEqual((await a.heartbeat('a', 60_000)).instances, ['a']);
  assert.deepEqual(await a.claim(['x'], 'a', 1, 60_000), ['x'], "the leaver's claim is free at once");
  // A replica whose last heartbeat is older than the window is not live.
  const stale = await freshFleet('heartbeat_stale', 1);
  const replica = stale[0];
  assert.ok(replica);
  await replica.heartbeat('old', 60_000);
  assert.deepEqual((await replica.heartbeat('new', 0)).instances, ['new']);
});

test('a live replica renews its leases; a dead one loses its unfinished claims to a rescuer within the slot', async () => {
  const [alive, dead, rescuer] = await freshFleet('renew_rescue', 3);
  if (!alive || !dead || !rescuer) throw new Error('three replicas');
  const interval = 3_600_000;
  const { nowMs } = await alive.heartbeat('alive', 60_000);
  const slot = slotOf(nowMs, interval);
  assert.deepEqual(await alive.claim(['a1', 'a2'], 'alive', slot, 300), ['a1', 'a2']);
  assert.deepEqual(await dead.claim(['d1', 'd2', 'd3'], 'dead', slot, 300), ['d1', 'd2', 'd3']);
  await dead.complete(['d3'], 'dead', slot);
  // Nothing to rescue while the leases run.
  assert.deepEqual((await rescuer.rescue('rescuer', interval, 30_000)).planes, []);
  // 'alive' renews through the wait; 'dead' does not.
  let rescued: { slot: number; planes: string[] } = { slot: -1, planes: [] };
  const deadline = Date.now() + 10_000;
  while (rescued.planes.length === 0 && Date.now() < deadline) {
    await alive.renew('alive', 300);
    rescued = await rescuer.rescue('rescuer', interval, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(
    rescued.planes.sort(),
    ['d1', 'd2'],
    'the dead replica’s unfinished claims, not its finished one',
  );
  assert.equal(rescued.slot, slot);
  assert.deepEqual((await rescuer.rescue('rescuer', interval, 30_000)).planes, [], 'rescued once');
  // The renewing replica kept its claims: a second rescue finds none of them.
  await alive.renew('alive', 300);
  assert.deepEqual(
    (await rescuer.rescue('rescuer', interval, 30_000)).planes.filter((plane) => plane.startsWith('a')),
    [],
  );
});

test('a claim of an earlier slot is never rescued', async () => {
  const [old, rescuer] = await freshFleet('rescue_old_slot', 2);
  if (!old || !rescuer) throw new Error('two replicas');
  const interval = 3_600_000;
  const { nowMs } = await old.heartbeat('old', 60_000);
  await old.claim(['p'], 'old', slotOf(nowMs, interval) - 1, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual((await rescuer.rescue('rescuer', interval, 30_000)).planes, []);
});

test('a claim is rescued in the second half of its slot too (the slot under way, not the nearest)', async () => {
  const [dead, rescuer] = await freshFleet('rescue_late_in_slot', 2);
  if (!dead || !rescuer) throw new Error('two replicas');
  const { nowMs } = await dead.heartbeat('dead', 60_000);
  // An interval that puts the server's now three quarters into slot 1000.
  const interval = Math.round(nowMs / 1000.75);
  const slot = Math.floor(nowMs / interval) * interval;
  assert.ok(nowMs - slot > interval / 2, 'the situation under test: past the middle of the slot');
  assert.equal(slotOf(nowMs, interval), slot);
  await dead.claim(['p'], 'dead', slot, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await rescuer.rescue('rescuer', interval, 30_000), { slot, planes: ['p'] });
});
