// Two replicas on one PostgreSQL reload a config that adds a plane and removes another: the added plane is
// checked once per interval by the fleet (not once per replica), the removed one by nobody.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PlaneRequest } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { API_KEY, fleetConfig, planeStatuses, useFleetRig } from './helpers/fleet-process.js';

const requests: (PlaneRequest & { at: number })[] = [];
const { sandbox, daemons, postgres } = useFleetRig({
  onRequest: (request) => void requests.push({ ...request, at: Date.now() }),
});
const INTERVAL_MS = 2_000;

/** Resolves once `daemon` has finished `count` more cycles than it had when called. */
function cyclesLater(daemon: DaemonProcess, count: number): Promise<unknown> {
  const cycles = () => daemon.logs.filter((line) => line.msg === 'cycle finished').length;
  const target = cycles() + count;
  return daemon.waitForLog(() => cycles() >= target, 20_000);
}

test('a plane added on both replicas is checked once per interval; a removed one is no longer checked', async () => {
  const before = ['fr-a', 'fr-b', 'fr-gone'];
  const after = ['fr-a', 'fr-b', 'fr-new'];
  for (const plane of [...before, ...after]) sandbox.setScenario(plane, 'healthy');
  const url = await postgres().createDatabase('fleet_reload');
  const env = { PLATFORM_API_KEY: API_KEY };
  const files = ['one', 'two'].map(() => fleetConfig(sandbox, before, url));
  const replicas = await Promise.all(
    ['one', 'two'].map((name, i) => startDaemon(['--config', files[i] ?? '', '--instance', name], env)),
  );
  daemons.push(...replicas);
  await Promise.all(replicas.map((replica) => cyclesLater(replica, 1)));

  const next = fleetConfig(sandbox, after, url);
  for (const [i, replica] of replicas.entries()) {
    copyFileSync(next, files[i] ?? '');
    replica.child.kill('SIGHUP');
    const line = await replica.waitForLog((entry) => entry.msg === 'config reloaded');
    assert.deepEqual(line.added, ['fr-new']);
    assert.deepEqual(line.removed, ['fr-gone']);
  }
  // The cycles under way at the reload finish with the old config; from the next ones on, the new one.
  await Promise.all(replicas.map((replica) => cyclesLater(replica, 2)));
  const since = Date.now();
  const goneChecks = sandbox.requestCount('fr-gone');
  await Promise.all(replicas.map((replica) => cyclesLater(replica, 4)));
  const until = Date.now();

  assert.equal(sandbox.requestCount('fr-gone'), goneChecks, 'nobody checks the removed plane');
  // Each check starts with a user lookup: one per interval for the whole fleet, whichever replica made it.
  const newChecks = requests.filter(
    (r) => r.plane === 'fr-new' && r.step === 'user_lookup' && r.at >= since && r.at < until,
  );
  const slots = new Set(newChecks.map((r) => Math.floor(r.at / INTERVAL_MS)));
  assert.ok(newChecks.length >= 3, `fr-new was checked ${newChecks.length} times in 4 cycles`);
  assert.equal(newChecks.length, slots.size, 'fr-new was checked more than once in an interval');
  for (const replica of replicas) {
    const statuses = await eventually(async () => {
      const planes = await planeStatuses(replica.url);
      return planes.find((plane) => plane.name === 'fr-new')?.status === 'HEALTHY' ? planes : undefined;
    });
    assert.deepEqual(
      statuses.map((plane) => plane.name),
      after,
    );
    const metrics = await (await fetch(`${replica.url}/metrics`)).text();
    assert.doesNotMatch(metrics, /fr-gone/);
    assert.match(metrics, /planecheck_status\{workload_plane="fr-new",status="HEALTHY"\} 1/);
  }
});
