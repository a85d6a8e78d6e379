// A PostgreSQL that stops answering mid-run (packets dropped, no reset): nothing hangs, the daemon says the
// store is down, and a SIGTERM still ends it cleanly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { API_KEY, fleetConfig } from './helpers/fleet-process.js';
import { startSilenceableProxy, type SilenceableProxy } from './helpers/tcp-proxy.js';

let server: TestPostgres;
let proxy: SilenceableProxy;
const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: {} });
const daemons: DaemonProcess[] = [];

before(async () => {
  server = await startPostgres();
  proxy = await startSilenceableProxy(server.port);
  await sandbox.start();
});
after(async () => {
  await Promise.allSettled(daemons.map((daemon) => daemon.stop('SIGKILL')));
  await proxy.close();
  await sandbox.close();
  await server.close();
});

const timed = async (url: string) => {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const body = await response.text();
  return { ms: Math.round(performance.now() - started), status: response.status, body };
};

test('PostgreSQL goes silent mid-run: scrapes answer, storage_up turns 0 promptly, SIGTERM exits 0 within 10 s', async () => {
  const planes = ['silent-1', 'silent-2', 'silent-3'];
  for (const plane of planes) sandbox.setScenario(plane, 'healthy');
  const direct = await server.createDatabase('fleet_silent');
  const viaProxy = direct.replace(`:${server.port}/`, `:${proxy.port}/`);
  const config = fleetConfig(sandbox, planes, viaProxy);
  const daemon = await startDaemon(['--config', config, '--instance', 'silent-a'], {
    PLATFORM_API_KEY: API_KEY,
  });
  daemons.push(daemon);
  await daemon.waitForLog((line) => line.msg === 'cycle finished', 10_000);

  proxy.silence();
  const silencedAt = Date.now();
  // How long until the daemon says the store is down?
  let downAfterMs: number | undefined;
  const scrapes: number[] = [];
  let noValueSamples = 0;
  const cyclesBefore = daemon.logs.filter((line) => line.msg === 'cycle finished').length;
  // Watch 16 s of silence (8 intervals): the daemon should keep checking every plane itself meanwhile.
  while (Date.now() - silencedAt < 16_000) {
    const metrics = await timed(`${daemon.url}/metrics`);
    scrapes.push(metrics.ms);
    if (downAfterMs === undefined && /^planecheck_storage_up 0$/m.test(metrics.body))
      downAfterMs = Date.now() - silencedAt;
    noValueSamples += [
      ...metrics.body.matchAll(/^planecheck_status\{workload_plane="[^"]+",status="NO_VALUE"\} 1$/gm),
    ].length;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const cycles = daemon.logs.filter((line) => line.msg === 'cycle finished').length - cyclesBefore;
  const history = await timed(`${daemon.url}/api/v1/planes/silent-1/history`).catch((error: unknown) => ({
    ms: -1,
    status: -1,
    body: String(error),
  }));
  const stopAt = Date.now();
  const code = await daemon.stop('SIGTERM');
  const stopMs = Date.now() - stopAt;
  const tail = daemon.logs
    .slice(-6)
    .map((line) => `${String(line.level)} ${String(line.msg)} ${JSON.stringify(line.error ?? '')}`);
  console.log(
    JSON.stringify({
      downAfterMs,
      worstScrapeMs: Math.max(...scrapes),
      historyMs: history.ms,
      historyStatus: history.status,
      cyclesDuringSilence: cycles,
      noValueSamples,
      exit: code,
      stopMs,
      tail,
    }),
  );
  assert.ok(
    downAfterMs !== undefined && downAfterMs < 10_000,
    `storage_up stayed 1 for ${downAfterMs ?? '>15000'} ms of silence`,
  );
  assert.equal(
    noValueSamples,
    0,
    `planes read NO_VALUE ${noValueSamples} times while the platform was healthy`,
  );
  assert.equal(code, 0, `SIGTERM during the outage exited ${String(code)} after ${stopMs} ms`);
  assert.ok(stopMs < 10_000, `shutdown took ${stopMs} ms`);
});
