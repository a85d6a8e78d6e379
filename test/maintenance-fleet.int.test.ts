import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'maintenance-fleet-key';

interface AuditPage {
  events: { plane: string | null; kind: string; actor: string }[];
}

const maintenanceOf = async (daemon: DaemonProcess, plane: string) => {
  const body = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
    planes: { name: string; maintenance: { note: string; actor: string } | null }[];
  };
  return body.planes.find((p) => p.name === plane)?.maintenance;
};
const gauge = async (daemon: DaemonProcess, plane: string) =>
  new RegExp(`^planecheck_maintenance\\{workload_plane="${plane}"\\} (\\d)$`, 'm').exec(
    await (await fetch(`${daemon.url}/metrics`)).text(),
  )?.[1];

describe('maintenance in a fleet: two daemons on one PostgreSQL', () => {
  let server: TestPostgres | undefined;
  const sandbox = new SandboxPlatform({
    apiKey: API_KEY,
    planes: { 'fl-a': 'predict_500', 'fl-b': 'healthy' },
  });
  before(async () => {
    server = await startPostgres();
    await sandbox.start();
  });
  after(async () => {
    await sandbox.close();
    await server?.close();
  });

  it('a maintenance started on one replica holds on the other after its next cycle, and so does its end; a configured window is audited once', async () => {
    const url = await server!.createDatabase('maintenance_fleet');
    const path = join(tempDir('planecheck-maintenance-fleet-'), 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${sandbox.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 50ms }
workloadPlanes:
  - { name: fl-a, inferenceUrl: "${sandbox.inferenceUrl('fl-a')}" }
  - name: fl-b
    inferenceUrl: "${sandbox.inferenceUrl('fl-b')}"
    maintenance: [{ cron: "0 0 * * *", duration: 1d, note: "always" }]
server: { listen: "127.0.0.1:0" }
storage: { url: "${url}" }
`,
    );
    const a = await startDaemon(['--config', path, '--instance', 'replica-a']);
    const b = await startDaemon(['--config', path, '--instance', 'replica-b']);
    try {
      const res = await fetch(`${a.url}/api/v1/planes/fl-a/maintenance`, {
        method: 'POST',
        body: JSON.stringify({ for: '1h', note: 'fleet-wide' }),
      });
      assert.equal(res.status, 200);
      const seen = await eventually(
        async () => maintenanceOf(b, 'fl-a').then((m) => m ?? undefined),
        10_000,
        'replica b to see it',
      );
      assert.deepEqual(seen, { ...seen, note: 'fleet-wide', actor: 'api:loopback' });
      await eventually(
        async () => ((await gauge(b, 'fl-a')) === '1' ? true : undefined),
        10_000,
        'b to export it',
      );

      const ended = await fetch(`${b.url}/api/v1/planes/fl-a/maintenance`, { method: 'DELETE' });
      assert.equal(((await ended.json()) as { ended: boolean }).ended, true);
      await eventually(
        async () => ((await maintenanceOf(a, 'fl-a')) === null ? true : undefined),
        10_000,
        'a to see the end',
      );
      await eventually(
        async () => ((await gauge(a, 'fl-a')) === '0' ? true : undefined),
        10_000,
        'a to export the end',
      );

      // Both replicas have refreshed past the window's start by now (each did a cycle since).
      const events = ((await (await fetch(`${a.url}/api/v1/audit`)).json()) as AuditPage).events;
      assert.deepEqual(
        events.map((e) => [e.kind, e.plane, e.actor]),
        [
          ['maintenance_end', 'fl-a', 'api:loopback'],
          ['maintenance_start', 'fl-a', 'api:loopback'],
          ['maintenance_start', 'fl-b', 'config'],
        ],
        'the configured window once, though two replicas saw it',
      );
      assert.equal(await gauge(a, 'fl-b'), '1');
      assert.equal(await gauge(b, 'fl-b'), '1');
    } finally {
      assert.equal(await b.stop(), 0);
      assert.equal(await a.stop(), 0);
    }
  });
});
