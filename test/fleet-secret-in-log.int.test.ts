// A password given as a query parameter (`?password=`, which pg accepts, as libpq does) is redacted like the
// URL's own: the start log never prints it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { API_KEY, fleetConfig } from './helpers/fleet-process.js';

let server: TestPostgres;
const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: { 'sec-1': 'healthy' } });
const daemons: DaemonProcess[] = [];
before(async () => {
  server = await startPostgres();
  await sandbox.start();
});
after(async () => {
  await Promise.allSettled(daemons.map((daemon) => daemon.stop('SIGKILL')));
  await sandbox.close();
  await server.close();
});

test('a password in the URL query is never logged', async () => {
  const withUserInfo = await server.createDatabase('review_secret');
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
