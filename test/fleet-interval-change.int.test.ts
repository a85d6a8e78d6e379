// A rolling config change that raises the interval (2 s to 4 s here; 30 s to 60 s in production): slots are
// named by their start time, so the new replicas still claim planes and no plane goes NO_VALUE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDaemon } from './helpers/daemon.js';
import { API_KEY, fleetConfig, planeStatuses, useFleetRig } from './helpers/fleet-process.js';

const { sandbox, daemons, postgres } = useFleetRig();

test('after a rolling change of schedule.interval from 2 s to 4 s, the new replica still checks the planes', async () => {
  const planes = ['iv-1', 'iv-2', 'iv-3'];
  for (const plane of planes) sandbox.setScenario(plane, 'healthy');
  const url = await postgres().createDatabase('fleet_interval_change');
  const env = { PLATFORM_API_KEY: API_KEY };
  const old = await startDaemon(
    ['--config', fleetConfig(sandbox, planes, url), '--instance', 'old-pod'],
    env,
  );
  daemons.push(old);
  await old.waitForLog((line) => line.msg === 'cycle finished' && line.planes === planes.length, 10_000);
  // The rollout: the new pod (interval 4 s) starts, then the old one stops cleanly.
  const newConfig = fleetConfig(
    sandbox,
    planes,
    url,
    '{ interval: 4s, cacheTtl: 8s, concurrency: 8, planeTimeout: 1500ms }',
  );
  const fresh = await startDaemon(['--config', newConfig, '--instance', 'new-pod'], env);
  daemons.push(fresh);
  assert.equal(await old.stop('SIGTERM'), 0);
  // Five of the new pod's intervals.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  const cycles = fresh.logs
    .filter((line) => line.msg === 'cycle finished')
    .map((line) => Number(line.planes));
  const statuses = (await planeStatuses(fresh.url)).map((plane) => `${plane.name}=${plane.status}`);
  console.log(JSON.stringify({ planesCheckedPerCycleByNewPod: cycles, statuses }));
  assert.ok(
    cycles.slice(-3).some((count) => count > 0),
    `the new pod checked nothing in its last cycles: ${JSON.stringify(cycles)}; ${statuses.join(' ')}`,
  );
});
