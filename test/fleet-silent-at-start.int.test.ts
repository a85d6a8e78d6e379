// A PostgreSQL that accepts TCP and never answers at start-up is a clear error, exit 2, within the 5 s connect
// timeout, and the message does not quote the password.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { ROOT } from './helpers/run.js';
import { API_KEY, fleetConfig } from './helpers/fleet-process.js';
import { startSilentServer, type RunningServer } from './helpers/servers.js';

let silent: RunningServer;
const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: { 'st-1': 'healthy' } });
before(async () => {
  silent = await startSilentServer();
  await sandbox.start();
});
after(async () => {
  await sandbox.close();
  await silent.close();
});

test('a silent server at start: exit 2 within 10 s, naming the server, not the password', async () => {
  const port = new URL(silent.url).port;
  const config = fleetConfig(
    sandbox,
    ['st-1'],
    `postgres://planecheck:s3cret-pw@127.0.0.1:${port}/planecheck`,
  );
  const started = Date.now();
  const child = spawn(process.execPath, ['dist/daemon.js', '--config', config], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PLATFORM_API_KEY: API_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const ms = Date.now() - started;
  console.log(JSON.stringify({ code, ms, output: output.trim() }));
  assert.equal(code, 2);
  assert.ok(ms < 10_000, `took ${ms} ms`);
  assert.ok(!output.includes('s3cret-pw'));
});
