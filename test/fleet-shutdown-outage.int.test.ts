// SIGTERM while PostgreSQL is stopped (connections refused): the daemon exits 0 well within its 10 s safety
// net. (fleet-silent-pg.int.test.ts covers a server that hangs instead.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, startDaemon } from './helpers/daemon.js';
import { API_KEY, fleetConfig, useFleetRig } from './helpers/fleet-process.js';

const { sandbox, daemons, postgres } = useFleetRig({ planes: { 'out-1': 'healthy', 'out-2': 'healthy' } });

test('SIGTERM during a refused outage exits 0 within the safety net', async () => {
  const url = await postgres().createDatabase('fleet_outage_stop');
  const config = fleetConfig(sandbox, ['out-1', 'out-2'], url);
  const daemon = await startDaemon(['--config', config, '--instance', 'out-a'], {
    PLATFORM_API_KEY: API_KEY,
  });
  daemons.push(daemon);
  await daemon.waitForLog((line) => line.msg === 'cycle finished', 10_000);
  await postgres().stopServer();
  await eventually(async () =>
    /^planecheck_storage_up 0$/m.test(await (await fetch(`${daemon.url}/metrics`)).text()) ? true : undefined,
  );
  await daemon.waitForLog((line) => line.msg === 'cycle finished' && daemon.logs.indexOf(line) > 5, 10_000);
  const started = Date.now();
  const code = await daemon.stop('SIGTERM');
  const ms = Date.now() - started;
  console.log(JSON.stringify({ code, ms, tail: daemon.logs.slice(-4).map((line) => line.msg) }));
  await postgres().start();
  assert.equal(code, 0);
  assert.ok(ms < 10_000, `took ${ms} ms`);
});
