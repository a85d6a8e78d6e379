// A password given as a query parameter (`?password=`, which pg accepts, as libpq does) is redacted like the
// URL's own: the start log never prints it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDaemon } from './helpers/daemon.js';
import { API_KEY, fleetConfig, useFleetRig } from './helpers/fleet-process.js';

const { sandbox, daemons, postgres } = useFleetRig({ planes: { 'sec-1': 'healthy' } });

test('a password in the URL query is never logged', async () => {
  const withUserInfo = await postgres().createDatabase('fleet_secret');
  const parsed = new URL(withUserInfo);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  parsed.searchParams.set('password', password);
  const config = fleetConfig(sandbox, ['sec-1'], parsed.href);
  const daemon = await startDaemon(['--config', config, '--instance', 'sec-a'], {
    PLATFORM_API_KEY: API_KEY,
  });
  daemons.push(daemon);
  await daemon.waitForLog((line) => line.msg === 'cycle finished', 10_000);
  const leaked = daemon.logs.filter((line) => JSON.stringify(line).includes(password));
  console.log(JSON.stringify({ leaked }));
  assert.deepEqual(leaked, [], 'the PostgreSQL password is in the log');
});
