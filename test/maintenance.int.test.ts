import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform, type Scenario } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { runNode } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'maintenance-test-key';
const GITHUB_TOKEN = 'ghp_maintenanceTestToken0000000';

interface PlaneView {
  name: string;
  status: string;
  maintenance: { since: string; until: string; note: string; actor: string; source: string } | null;
}
interface AuditPage {
  events: { id: number; at: string; plane: string | null; kind: string; actor: string; reason: string }[];
  next: string | null;
}

const planeOf = async (daemon: DaemonProcess, plane: string, headers: Record<string, string> = {}) => {
  const body = (await (await fetch(`${daemon.url}/api/v1/status`, { headers })).json()) as {
    planes: PlaneView[];
  };
  return body.planes.find((p) => p.name === plane);
};
const maintenanceGauge = async (daemon: DaemonProcess, plane: string, headers: Record<string, string> = {}) =>
  new RegExp(`^planecheck_maintenance\\{workload_plane="${plane}"\\} (\\d)$`, 'm').exec(
    await (await fetch(`${daemon.url}/metrics`, { headers })).text(),
  )?.[1];
const post = (daemon: DaemonProcess, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${daemon.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const cli = (args: string[], env: Record<string, string> = {}) =>
  runNode(['dist/cli.js', 'maintenance', ...args], { env: { PATH: process.env.PATH, ...env } });

describe('maintenance through the API and the CLI, on a real daemon and SQLite file', () => {
  const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: {} });
  before(() => sandbox.start());
  after(() => sandbox.close());

  function writeConfig(
    planes: Record<string, Scenario>,
    planeExtra: Record<string, string> = {},
    server = '{ listen: "127.0.0.1:0" }',
  ) {
    for (const [plane, scenario] of Object.entries(planes)) sandbox.setScenario(plane, scenario);
    const dir = tempDir('planecheck-maintenance-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${sandbox.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 50ms }
workloadPlanes:
${Object.keys(planes)
  .map(
    (plane) =>
      `  - { name: ${plane}, inferenceUrl: "${sandbox.inferenceUrl(plane)}"${planeExtra[plane] ?? ''} }`,
  )
  .join('\n')}
server: ${server}
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    return path;
  }

  it('starts with a note and end time, shows it in /metrics, the API and the page, keeps it across a restart, ends it; all in the audit trail', async () => {
    const path = writeConfig({ 'mt-a': 'predict_500', 'mt-b': 'healthy' });
    let daemon = await startDaemon(['--config', path]);
    try {
      assert.equal(await maintenanceGauge(daemon, 'mt-a'), '0');
      const bad = async (body: unknown, field: RegExp, status = 400) => {
        const res = await post(daemon, '/api/v1/planes/mt-a/maintenance', body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.match(((await res.json()) as { error: string }).error, field);
      };
      await bad({ for: '2 hours' }, /^for: /);
      await bad({ for: '2h', until: '2030-01-01T00:00:00Z' }, /^for, until: give exactly one/);
      await bad({ until: '2000-01-01T00:00:00Z' }, /^until: must be in the future/);
      await bad({ until: 'tomorrow' }, /^until: expected an RFC 3339 time/);
      await bad({ for: '2h', note: 7 }, /^note: expected a string/);
      await bad({ for: '2h', reason: 'x' }, /^reason: unknown field/);
      await bad('{not json', /^body: not valid JSON/);
      const unknown = await post(daemon, '/api/v1/planes/nope/maintenance', { for: '2h' });
      assert.equal(unknown.status, 404);
      assert.match(((await unknown.json()) as { error: string }).error, /no plane named nope/);
      assert.equal(await maintenanceGauge(daemon, 'mt-a'), '0', 'bad requests changed nothing');

      const before = Date.now();
      const started = await post(daemon, '/api/v1/planes/mt-a/maintenance', {
        for: '2h',
        note: 'kernel upgrade',
      });
      assert.equal(started.status, 200);
      const { maintenance } = (await started.json()) as { maintenance: PlaneView['maintenance'] };
      assert.equal(maintenance?.note, 'kernel upgrade');
      assert.equal(maintenance?.actor, 'api:loopback');
      const until = Date.parse(maintenance?.until ?? '');
      assert.ok(until >= before + 7_200_000 && until <= Date.now() + 7_200_000, maintenance?.until);
      assert.equal(await maintenanceGauge(daemon, 'mt-a'), '1', 'at once, not at the next cycle');
      assert.equal(await maintenanceGauge(daemon, 'mt-b'), '0');
      assert.deepEqual((await planeOf(daemon, 'mt-a'))?.maintenance, maintenance);
      assert.equal((await planeOf(daemon, 'mt-b'))?.maintenance, null);
      const page = await (await fetch(`${daemon.url}/`)).text();
      assert.match(page, /href="api\/v1\/audit"/, 'the page links the audit trail');
      assert.ok(page.includes('kernel upgrade'), 'the page carries the note');

      // Still checked and stored while in maintenance.
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      assert.equal((await planeOf(daemon, 'mt-a'))?.status, 'FAILED');

      assert.equal(await daemon.stop(), 0);
      daemon = await startDaemon(['--config', path]);
      assert.deepEqual((await planeOf(daemon, 'mt-a'))?.maintenance, maintenance, 'kept across a restart');
      assert.equal(await maintenanceGauge(daemon, 'mt-a'), '1');

      const ended = await cli(['end', '--plane', 'mt-a', '--url', daemon.url]);
      assert.equal(ended.code, 0, ended.stderr);
      assert.match(ended.stdout, /mt-a: maintenance ended/);
      assert.equal((await planeOf(daemon, 'mt-a'))?.maintenance, null);
      assert.equal(await maintenanceGauge(daemon, 'mt-a'), '0');
      const again = await cli(['end', '--plane', 'mt-a', '--url', daemon.url]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /had no maintenance started through the API/);

      const viaCli = await cli([
        'start',
        '--plane',
        'mt-b',
        '--for',
        '30m',
        '--note',
        'rebuild',
        '--url',
        daemon.url,
      ]);
      assert.equal(viaCli.code, 0, viaCli.stderr);
      assert.match(viaCli.stdout, /^mt-b is in maintenance until \d{4}-.*Z \(rebuild\)$/m);
      const refused = await cli(['start', '--plane', 'nope', '--for', '30m', '--url', daemon.url]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /HTTP 404.*no plane named nope/);
      const usage = await cli(['start', '--plane', 'mt-b', '--url', daemon.url]);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /give --for DURATION or --until TIME/);

      // Newest first, a page at a time through the `next` cursor.
      const first = (await (await fetch(`${daemon.url}/api/v1/audit?limit=2`)).json()) as AuditPage;
      assert.deepEqual(
        first.events.map((e) => [e.kind, e.plane, e.actor]),
        [
          ['maintenance_start', 'mt-b', 'api:loopback'],
          ['maintenance_end', 'mt-a', 'api:loopback'],
        ],
      );
      assert.match(first.events[0]?.reason ?? '', /rebuild/);
      assert.ok(first.next);
      const second = (await (await fetch(`${daemon.url}${first.next}`)).json()) as AuditPage;
      assert.deepEqual(
        second.events.map((e) => [e.kind, e.plane]),
        [['maintenance_start', 'mt-a']],
      );
      assert.match(second.events[0]?.reason ?? '', /kernel upgrade/);
      assert.equal((await fetch(`${daemon.url}/api/v1/audit?before=x`)).status, 400);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('takes changes only with credentials when auth is configured, and records the user as the actor', async () => {
    const path = writeConfig(
      { 'mt-auth': 'healthy' },
      {},
      '{ listen: "127.0.0.1:0", auth: { username: ops, password: "correct horse battery" } }',
    );
    const daemon = await startDaemon(['--config', path]);
    const auth = { authorization: `Basic ${Buffer.from('ops:correct horse battery').toString('base64')}` };
    try {
      const anonymous = await post(daemon, '/api/v1/planes/mt-auth/maintenance', { for: '1h' });
      assert.equal(anonymous.status, 401);
      const denied = await cli(['start', '--plane', 'mt-auth', '--for', '1h', '--url', daemon.url]);
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /HTTP 401/);
      const done = await cli(
        ['start', '--plane', 'mt-auth', '--for', '1h', '--note', 'by ops', '--url', daemon.url],
        {
          PLANECHECK_API_USERNAME: 'ops',
          PLANECHECK_API_PASSWORD: 'correct horse battery',
        },
      );
      assert.equal(done.code, 0, done.stderr);
      assert.equal((await planeOf(daemon, 'mt-auth', auth))?.maintenance?.actor, 'api:ops');
      const events = (
        (await (await fetch(`${daemon.url}/api/v1/audit`, { headers: auth })).json()) as AuditPage
      ).events;
      assert.deepEqual(
        events.map((e) => [e.kind, e.actor]),
        [['maintenance_start', 'api:ops']],
      );
      assert.equal((await fetch(`${daemon.url}/api/v1/audit`)).status, 401);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('honours a configured window from the start, and records its start once across a restart', async () => {
    const path = writeConfig(
      { 'mt-cfg': 'predict_500' },
      {
        'mt-cfg':
          ', maintenance: [{ from: 2020-01-01T00:00:00Z, until: 2099-01-01T00:00:00Z, note: "long migration" }]',
      },
    );
    let daemon = await startDaemon(['--config', path]);
    try {
      const plane = await planeOf(daemon, 'mt-cfg');
      assert.deepEqual(plane?.maintenance, {
        since: '2020-01-01T00:00:00.000Z',
        until: '2099-01-01T00:00:00.000Z',
        note: 'long migration',
        actor: 'config',
        source: 'config',
      });
      assert.equal(await maintenanceGauge(daemon, 'mt-cfg'), '1');
      // A DELETE cannot end a configured window: it says the plane is still in maintenance.
      const res = await fetch(`${daemon.url}/api/v1/planes/mt-cfg/maintenance`, { method: 'DELETE' });
      assert.deepEqual(((await res.json()) as { ended: boolean }).ended, false);
      assert.equal(await daemon.stop(), 0);
      daemon = await startDaemon(['--config', path]);
      const events = ((await (await fetch(`${daemon.url}/api/v1/audit`)).json()) as AuditPage).events;
      assert.deepEqual(
        events.map((e) => [e.kind, e.actor, e.plane, e.at]),
        [['maintenance_start', 'config', 'mt-cfg', '2020-01-01T00:00:00.000Z']],
      );
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });
});

describe('self-heal and maintenance, on a real daemon', () => {
  it('never dispatches for a plane in maintenance (outcome maintenance), and repairs it once maintenance ends; the audit trail has both', async () => {
    const platform = new SandboxPlatform({ apiKey: API_KEY, planes: { 'mt-heal': 'healthy' } });
    await platform.start();
    const github = new SandboxGithub({
      token: GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 300,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
    });
    await github.start();
    const dir = tempDir('planecheck-maintenance-heal-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 50ms }
workloadPlanes: [{ name: mt-heal, inferenceUrl: "${platform.inferenceUrl('mt-heal')}" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 200ms }
github: { apiUrl: "${github.url}", token: "${GITHUB_TOKEN}" }
`,
    );
    // Healthy until it is in maintenance; then its user goes missing, as in a migration.
    const daemon = await startDaemon(['--config', path]);
    try {
      const res = await post(daemon, '/api/v1/planes/mt-heal/maintenance', {
        for: '1h',
        note: 'migrating users',
      });
      assert.equal(res.status, 200);
      platform.setScenario('mt-heal', 'no_user');
      const skipped = new RegExp(
        '^planecheck_self_heal_dispatches_total\\{workload_plane="mt-heal",reason="NO_USER",outcome="maintenance"\\} ([1-9]\\d*)$',
        'm',
      );
      await eventually(
        async () => skipped.exec(await (await fetch(`${daemon.url}/metrics`)).text()) ?? undefined,
        10_000,
        'a dispatch skipped for maintenance',
      );
      // Two more cycles, still nothing dispatched.
      const cycles = daemon.logs.filter((line) => line.msg === 'cycle finished').length;
      await daemon.waitForLog(
        () => daemon.logs.filter((line) => line.msg === 'cycle finished').length >= cycles + 2,
      );
      assert.equal(github.runs.length, 0, 'no dispatch in maintenance');
      assert.equal((await planeOf(daemon, 'mt-heal'))?.status, 'NO_USER');

      const ended = await fetch(`${daemon.url}/api/v1/planes/mt-heal/maintenance`, { method: 'DELETE' });
      assert.equal(ended.status, 200);
      await eventually(
        async () => ((await planeOf(daemon, 'mt-heal'))?.status === 'HEALTHY' ? true : undefined),
        15_000,
        'the repair once maintenance ended',
      );
      assert.equal(github.runs.length, 1);
      const kinds = await eventually(
        async () => {
          const page = (await (await fetch(`${daemon.url}/api/v1/audit`)).json()) as AuditPage;
          const found = page.events.map((e) => e.kind);
          return found.includes('outcome') ? page.events : undefined;
        },
        10_000,
        'the outcome in the audit trail',
      );
      assert.deepEqual(
        kinds.map((e) => e.kind),
        ['outcome', 'dispatch', 'maintenance_end', 'maintenance_start'],
      );
      assert.match(kinds[0]?.actor ?? '', /^daemon:/);
      assert.match(kinds[0]?.reason ?? '', /^fixed \(run success\), re-check HEALTHY; correlation /);
      assert.match(kinds[1]?.reason ?? '', /^NO_USER, 1 result in a row: dispatched/);
    } finally {
      assert.equal(await daemon.stop(), 0);
      await platform.close();
      await github.close();
    }
  });
});
