import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform, type Scenario } from '../src/sandbox/sandbox-platform.js';
import { MIGRATIONS } from '../src/store/sqlite-store.js';
import { eventually, startDaemon } from './helpers/daemon.js';
import { startFaultProxy } from './helpers/fault-proxy.js';
import { promtoolCheckMetrics } from './helpers/promtool.js';
import { runNode } from './helpers/run.js';
import { writeSchemaV2Database } from './helpers/schema-v2.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'daemon-test-key';

describe('the daemon process', () => {
  const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: {}, slowDelayMs: 1_500 });
  before(() => sandbox.start());
  after(() => sandbox.close());

  /** Writes a config for the given planes (created in the sandbox with their scenarios). */
  function writeConfig(planes: Record<string, Scenario>, extra = ''): { path: string; dbPath: string } {
    for (const [plane, scenario] of Object.entries(planes)) sandbox.setScenario(plane, scenario);
    const dir = tempDir('planecheck-daemon-');
    const dbPath = join(dir, 'state', 'planecheck.db');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 2s, concurrency: 8, planeTimeout: 800ms }
platform:
  controlPlaneUrl: "${sandbox.url}"
  apiKey: \${PLATFORM_API_KEY}
  requestTimeout: 700ms
  asyncTimeout: 700ms
  pollInterval: 50ms
workloadPlanes:
${Object.keys(planes)
  .map((plane) => `  - { name: ${plane}, inferenceUrl: "${sandbox.inferenceUrl(plane)}" }`)
  .join('\n')}
server: { listen: "127.0.0.1:0" }
storage: { path: "${dbPath}" }
${extra}`,
    );
    return { path, dbPath };
  }
  const env = { PLATFORM_API_KEY: API_KEY };

  const statusOf = async (url: string, plane: string, headers: Record<string, string> = {}) => {
    const body = (await (await fetch(`${url}/api/v1/status`, { headers })).json()) as {
      planes: { name: string; status: string; reason: string | null; lastStatus: string | null }[];
    };
    return body.planes.find((p) => p.name === plane);
  };
  const cyclesTotal = async (url: string) =>
    Number(/^planecheck_cycles_total (\d+)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? NaN);
  const metricValue = (text: string, plane: string, status: string) =>
    new RegExp(`^planecheck_status\\{workload_plane="${plane}",status="${status}"\\} (\\d)$`, 'm').exec(
      text,
    )?.[1];

  it('serves NO_VALUE while the first check of a plane is still in flight', async () => {
    // The platform holds the check's first request open, and the timeouts are far longer than the
    // test: the plane has no result for as long as the test looks, however slow the machine.
    const proxy = await startFaultProxy(sandbox.url, 'hold');
    sandbox.setScenario('d-first', 'healthy');
    const dir = tempDir('planecheck-daemon-first-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1m, cacheTtl: 2m, planeTimeout: 50s }
platform: { controlPlaneUrl: "${proxy.url}", apiKey: "\${PLATFORM_API_KEY}", requestTimeout: 50s }
workloadPlanes: [{ name: d-first, inferenceUrl: "${proxy.url}/planes/d-first" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    const held = proxy.nextHeld();
    const daemon = await startDaemon(['--config', path], env);
    try {
      await held; // the first check is waiting on the platform
      const text = await (await fetch(`${daemon.url}/metrics`)).text();
      assert.equal(metricValue(text, 'd-first', 'NO_VALUE'), '1');
      for (const status of ['HEALTHY', 'NO_USER', 'NO_ORACLE', 'FAILED']) {
        assert.equal(metricValue(text, 'd-first', status), '0');
      }
      const api = await statusOf(daemon.url, 'd-first');
      assert.equal(api?.status, 'NO_VALUE');
      assert.equal(api?.reason, 'no_result');
      assert.equal(proxy.heldCount, 1, 'the check was still in flight');
    } finally {
      assert.equal(await daemon.stop(), 0);
      await proxy.close();
    }
  });

  it('serves each plane status in /metrics and /api/v1/status', async () => {
    const { path } = writeConfig({
      'd-ok': 'healthy',
      'd-nouser': 'no_user',
      'd-500': 'predict_500',
      'd-slow': 'slow',
    });
    const daemon = await startDaemon(['--config', path, '--instance', 'replica-7'], env);
    try {
      const expected = { 'd-ok': 'HEALTHY', 'd-nouser': 'NO_USER', 'd-500': 'FAILED', 'd-slow': 'FAILED' };
      const text = await eventually(
        async () => {
          const scraped = await (await fetch(`${daemon.url}/metrics`)).text();
          // Statuses are live; counters show once the cycle that produced them has finished.
          const statusesShown = Object.entries(expected).every(
            ([plane, status]) => metricValue(scraped, plane, status) === '1',
          );
          return statusesShown && /^planecheck_cycles_total [1-9]/m.test(scraped) ? scraped : undefined;
        },
        10_000,
        'every plane to get its status, and a finished cycle',
      );
      assert.match(text, /^planecheck_checks_total\{workload_plane="d-500",status="FAILED"\} [1-9]/m);

      const api = await statusOf(daemon.url, 'd-500');
      assert.equal(api?.status, 'FAILED');
      assert.equal(api?.reason, 'predict_http_500');
      const slow = await statusOf(daemon.url, 'd-slow');
      assert.equal(slow?.reason, 'user_lookup_timeout');

      // Who answers, and who checked each plane (this daemon: it is alone).
      const status = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
        instance: string;
        planes: { name: string; checkedBy: string | null }[];
      };
      assert.equal(status.instance, 'replica-7');
      assert.deepEqual(
        status.planes.map((plane) => plane.checkedBy),
        status.planes.map(() => 'replica-7'),
      );
      const history = (await (await fetch(`${daemon.url}/api/v1/planes/d-500/history?limit=5`)).json()) as {
        results: { checkedBy: string | null; status: string }[];
      };
      assert.ok(history.results.length > 0);
      assert.ok(
        history.results.every((result) => result.checkedBy === 'replica-7' && result.status === 'FAILED'),
      );

      const ready = await fetch(`${daemon.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal((await fetch(`${daemon.url}/healthz`)).status, 200);

      const promtool = await promtoolCheckMetrics(text);
      assert.equal(promtool.output, '', 'promtool check metrics reports nothing');

      await daemon.waitForLog(
        (line) => line.msg === 'status changed' && line.plane === 'd-nouser' && line.to === 'NO_USER',
      );
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      assert.ok(!JSON.stringify(daemon.logs).includes(API_KEY), 'the API key never appears in logs');
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('reads a stored result as NO_VALUE once it is older than the cache TTL', async () => {
    const { path } = writeConfig({ 'ttl-plane': 'healthy' });
    const daemon = await startDaemon(['--config', path], env);
    await eventually(async () =>
      (await statusOf(daemon.url, 'ttl-plane'))?.status === 'HEALTHY' ? true : undefined,
    );
    assert.equal(await daemon.stop(), 0);

    await sleep(2_200); // past the 2s TTL, with no daemon running
    sandbox.setScenario('ttl-plane', 'slow'); // the next result takes a while to come
    const restarted = await startDaemon(['--config', path], env);
    try {
      const state = await statusOf(restarted.url, 'ttl-plane');
      assert.equal(state?.status, 'NO_VALUE');
      assert.equal(state?.reason, 'result_expired');
      assert.equal(state?.lastStatus, 'HEALTHY');
      const text = await (await fetch(`${restarted.url}/metrics`)).text();
      assert.equal(metricValue(text, 'ttl-plane', 'NO_VALUE'), '1');
      assert.equal(metricValue(text, 'ttl-plane', 'HEALTHY'), '0');
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal} with a cycle in flight: exit 0, quickly, the database closed, and logs it`, async () => {
      const { path, dbPath } = writeConfig({ 'hang-a': 'predict_hang', 'hang-b': 'predict_hang' });
      const daemon = await startDaemon(['--config', path], env);
      await sleep(300); // the first cycle is now waiting on /predict
      const started = Date.now();
      assert.equal(await daemon.stop(signal), 0);
      assert.ok(Date.now() - started < 5_000, 'stopped within a few seconds');
      assert.ok(daemon.logs.some((line) => line.msg === 'shutting down' && line.signal === signal));
      assert.ok(daemon.logs.some((line) => line.msg === 'stopped'));
      // Closing the last connection folds the WAL into the database and removes it.
      assert.ok(existsSync(dbPath), 'the database is there');
      assert.ok(!existsSync(`${dbPath}-wal`), 'the database was closed cleanly');
    });
  }

  it('carries on checking and serving when its stdout reader goes away', async () => {
    const { path } = writeConfig({ 'pipe-ok': 'healthy' });
    const daemon = await startDaemon(['--config', path], env);
    try {
      daemon.child.stdout?.destroy(); // the next log line meets a closed pipe (EPIPE)
      await eventually(
        () => Promise.resolve(daemon.stderr().includes('planecheck: stdout closed (EPIPE)') || undefined),
        5_000,
        'the daemon to notice its closed stdout',
      );
      const checksBefore = await cyclesTotal(daemon.url);
      await eventually(
        async () => ((await cyclesTotal(daemon.url)) > checksBefore ? true : undefined),
        5_000,
        'another cycle after stdout closed',
      );
      assert.equal(daemon.child.exitCode, null, 'still running');
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('survives SIGKILL mid-cycle: the database passes integrity_check and the daemon restarts on it', async () => {
    const planes: Record<string, Scenario> = {};
    for (let i = 0; i < 12; i++) planes[`kill-${i}`] = 'healthy';
    const { path, dbPath } = writeConfig(planes);
    // Slower ticks, longer timeouts: a held request stays in flight long after the test sees it.
    // kill-11's inference endpoint is behind a proxy that holds requests once told to.
    const proxy = await startFaultProxy(sandbox.url);
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replace(
          /^schedule: .*$/m,
          'schedule: { interval: 5s, cacheTtl: 20s, concurrency: 8, planeTimeout: 4s }',
        )
        .replace('requestTimeout: 700ms', 'requestTimeout: 4s')
        .replace(sandbox.inferenceUrl('kill-11'), `${proxy.url}/planes/kill-11`),
    );
    const daemon = await startDaemon(['--config', path], env);
    await daemon.waitForLog((line) => line.msg === 'cycle finished');
    proxy.mode = 'hold';
    const held = proxy.nextHeld();
    await held; // a later cycle is waiting on kill-11's inference endpoint
    const cyclesBeforeKill = daemon.logs.filter((line) => line.msg === 'cycle finished').length;
    assert.equal(await daemon.stop('SIGKILL'), 'SIGKILL');
    await proxy.close();
    assert.equal(
      daemon.logs.filter((line) => line.msg === 'cycle finished').length,
      cyclesBeforeKill,
      'the kill landed while the cycle was in flight',
    );

    const db = new Database(dbPath);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const stored = (db.prepare('SELECT count(*) AS n FROM latest_results').get() as { n: number }).n;
    db.close();
    assert.equal(stored, 12);

    const restarted = await startDaemon(['--config', path], env);
    try {
      assert.equal(
        (await statusOf(restarted.url, 'kill-0'))?.status,
        'HEALTHY',
        'the stored result is served at once',
      );
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  });

  it('moves a corrupt database aside (untouched), says so loudly, counts it and carries on', async () => {
    const { path, dbPath } = writeConfig({ 'corrupt-plane': 'healthy' });
    const garbage = Buffer.from('definitely not sqlite\n'.repeat(512));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dbPath, '..'), { recursive: true });
    writeFileSync(dbPath, garbage);
    const daemon = await startDaemon(['--config', path], env);
    try {
      const line = daemon.logs.find((l) => l.level === 'error' && String(l.msg).includes('moved it aside'));
      assert.ok(line, 'an error log line says what happened');
      const movedTo = String(line.movedTo);
      assert.ok(movedTo.startsWith(`${dbPath}.corrupt-`));
      assert.deepEqual(readFileSync(movedTo), garbage, 'the old file is kept byte for byte');
      const text = await (await fetch(`${daemon.url}/metrics`)).text();
      assert.match(text, /^planecheck_storage_recoveries_total 1$/m);
      await eventually(async () =>
        (await statusOf(daemon.url, 'corrupt-plane'))?.status === 'HEALTHY' ? true : undefined,
      );
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('refuses a database from a newer planecheck, with a clear message, leaving it untouched', async () => {
    const { path, dbPath } = writeConfig({ 'future-plane': 'healthy' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dbPath, '..'), { recursive: true });
    const db = new Database(dbPath);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    const before = readFileSync(dbPath);
    const run = await runNode(['dist/daemon.js', '--config', path], {
      env: { PATH: process.env.PATH, ...env },
    });
    assert.equal(run.code, 2, 'a start-up problem a restart cannot mend: systemd must not restart it');
    assert.match(run.stderr, /newer than this planecheck supports/);
    assert.deepEqual(readFileSync(dbPath), before);
  });

  it('rejects a bad --instance or PLANECHECK_INSTANCE with exit 2, naming it, and creates no database', async () => {
    const { path, dbPath } = writeConfig({ 'instance-plane': 'healthy' });
    const flag = await runNode(['dist/daemon.js', '--config', path, '--instance', 'two words'], {
      env: { PATH: process.env.PATH, ...env },
    });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^--instance is invalid:\n {2}instance name "two words" contains whitespace/);
    const variable = await runNode(['dist/daemon.js', '--config', path], {
      env: { PATH: process.env.PATH, ...env, PLANECHECK_INSTANCE: 'x'.repeat(101) },
    });
    assert.equal(variable.code, 2);
    assert.match(variable.stderr, /^PLANECHECK_INSTANCE is invalid:\n.*101 characters long, more than 100/);
    assert.equal(existsSync(join(dbPath, '..')), false);
  });

  it('rejects a bad config with exit 2, naming the field, and creates no database', async () => {
    const { path, dbPath } = writeConfig({ 'bad-plane': 'healthy' });
    writeFileSync(path, readFileSync(path, 'utf8').replace('interval: 1s', 'interval: 7s'));
    const run = await runNode(['dist/daemon.js', '--config', path], {
      env: { PATH: process.env.PATH, ...env },
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /schedule\.interval: must divide a minute/);
    assert.equal(existsSync(join(dbPath, '..')), false);
  });

  for (const [kind, authYaml, good, bad] of [
    [
      'bearer',
      'server: { listen: "127.0.0.1:0", auth: { bearerToken: "scrape-token-0123456789" } }',
      'Bearer scrape-token-0123456789',
      'Bearer scrape-token-wrong',
    ],
    [
      'basic',
      'server: { listen: "127.0.0.1:0", auth: { username: prom, password: "long-password-1234" } }',
      `Basic ${Buffer.from('prom:long-password-1234').toString('base64')}`,
      `Basic ${Buffer.from('prom:nope').toString('base64')}`,
    ],
  ] as const) {
    it(`protects /metrics, /api and the page with ${kind} auth, leaving the probes open`, async () => {
      const { path } = writeConfig({ [`auth-${kind}`]: 'healthy' });
      writeFileSync(path, readFileSync(path, 'utf8').replace('server: { listen: "127.0.0.1:0" }', authYaml));
      const daemon = await startDaemon(['--config', path], env);
      try {
        for (const route of ['/metrics', '/api/v1/status', '/']) {
          const none = await fetch(`${daemon.url}${route}`);
          assert.equal(none.status, 401, route);
          assert.ok(none.headers.get('www-authenticate'), route);
          assert.equal(
            (await fetch(`${daemon.url}${route}`, { headers: { authorization: bad } })).status,
            401,
            route,
          );
          assert.equal(
            (await fetch(`${daemon.url}${route}`, { headers: { authorization: good } })).status,
            200,
            route,
          );
        }
        assert.equal((await fetch(`${daemon.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${daemon.url}/readyz`)).status, 200);
        assert.ok(!JSON.stringify(daemon.logs).includes('scrape-token-0123456789'));
      } finally {
        assert.equal(await daemon.stop(), 0);
      }
    });
  }

  it('serves /metrics, /api and the page without auth when none is configured', async () => {
    const { path } = writeConfig({ 'open-plane': 'healthy' });
    const daemon = await startDaemon(['--config', path], env);
    try {
      for (const route of ['/metrics', '/api/v1/status', '/']) {
        assert.equal((await fetch(`${daemon.url}${route}`)).status, 200, route);
      }
      assert.equal((await fetch(`${daemon.url}/nope`)).status, 404);
      assert.equal((await fetch(`${daemon.url}/metrics`, { method: 'POST' })).status, 405);

      // As Prometheus scrapes (gzip), and as a person with curl does (no gzip): the same exposition. Compared
      // once the plane has its result, so the first check cannot land between the two scrapes.
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      const scrape = async (encoding: string) => {
        const res = await request(`${daemon.url}/metrics`, { headers: { 'accept-encoding': encoding } });
        const body = Buffer.from(await res.body.arrayBuffer());
        return { headers: res.headers, body };
      };
      const zipped = await scrape('gzip');
      const plain = await scrape('identity');
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(Number(plain.headers['content-length']), plain.body.length);
      const statusLines = (text: string) =>
        text.split('\n').filter((line) => line.startsWith('planecheck_status'));
      assert.equal(statusLines(plain.body.toString()).length, 5);
      assert.deepEqual(statusLines(plain.body.toString()), statusLines(gunzipSync(zipped.body).toString()));
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('keeps the history bounded: old rows are pruned after a cycle', async () => {
    const { path, dbPath } = writeConfig({ 'prune-plane': 'healthy' }, '');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        /storage: \{ path: "([^"]+)" \}/,
        'storage: { path: "$1", historyRetention: 1h }',
      ),
    );
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dbPath, '..'), { recursive: true });
    // Seed a database of the previous schema with history from two hours ago: migrated, then pruned.
    const old = Date.now() - 2 * 3_600_000;
    writeSchemaV2Database(
      dbPath,
      Array.from({ length: 1_200 }, (_, i) => ({
        plane: 'prune-plane',
        status: 'HEALTHY' as const,
        reason: null,
        checkedAt: old + i,
        durationMs: 1,
        steps: [],
        checkedBy: '',
      })),
    );

    const daemon = await startDaemon(['--config', path], env);
    try {
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      await sleep(200);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
    const db = new Database(dbPath);
    const remaining = (
      db
        .prepare('SELECT count(*) AS n FROM check_history WHERE checked_at < ?')
        .get(Date.now() - 3_600_000) as { n: number }
    ).n;
    db.close();
    assert.equal(remaining, 0);
    assert.ok(readdirSync(join(dbPath, '..')).includes('planecheck.db'));
  });
});

describe('the daemon process with self-heal', () => {
  it('heals a NO_USER plane and shows the attempt with its run link in /api/v1/status', async () => {
    const platform = new SandboxPlatform({ apiKey: API_KEY, planes: { 'heal-d': 'no_user' } });
    await platform.start();
    const github = new SandboxGithub({
      token: 'ghp_daemonTestToken000000000000',
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 300,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
    });
    await github.start();
    const dir = tempDir('planecheck-daemon-heal-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 2s, cacheTtl: 5s, planeTimeout: 1500ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "\${PLATFORM_API_KEY}", requestTimeout: 1s, pollInterval: 50ms }
workloadPlanes: [{ name: heal-d, inferenceUrl: "${platform.inferenceUrl('heal-d')}" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 200ms }
github: { apiUrl: "${github.url}", token: "\${GITHUB_TOKEN}" }
`,
    );
    const daemon = await startDaemon(['--config', path], {
      PLATFORM_API_KEY: API_KEY,
      GITHUB_TOKEN: 'ghp_daemonTestToken000000000000',
    });
    try {
      const plane = await eventually(
        async () => {
          const body = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
            planes: {
              status: string;
              selfHeal: { outcome: string | null; runUrl: string | null; status: string }[];
            }[];
          };
          const found = body.planes[0];
          return found?.selfHeal[0]?.outcome === 'fixed' ? found : undefined;
        },
        15_000,
        'the heal to finish',
      );
      assert.equal(plane.status, 'HEALTHY');
      assert.match(plane.selfHeal[0]?.runUrl ?? '', /\/acme\/platform\/actions\/runs\/\d+$/);
      assert.equal(github.runs.length, 1);
      // The heal log is updated before the log line is written, so the line may still be in flight.
      await daemon.waitForLog((line) => line.msg === 'self-heal finished' && line.outcome === 'fixed');
      assert.ok(!JSON.stringify(daemon.logs).includes('ghp_daemonTestToken'));
    } finally {
      assert.equal(await daemon.stop(), 0);
      await platform.close();
      await github.close();
    }
  });
});

describe('the daemon with its database locked by another process', () => {
  it('keeps serving fast scrapes, keeps the results in memory, and stores them once the lock is gone', async () => {
    const platform = new SandboxPlatform({
      apiKey: API_KEY,
      planes: { 'locked-a': 'healthy', 'locked-b': 'no_user' },
    });
    await platform.start();
    const dir = tempDir('planecheck-locked-');
    const dbPath = join(dir, 'planecheck.db');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 20ms }
workloadPlanes:
  - { name: locked-a, inferenceUrl: "${platform.inferenceUrl('locked-a')}" }
  - { name: locked-b, inferenceUrl: "${platform.inferenceUrl('locked-b')}" }
server: { listen: "127.0.0.1:0" }
storage: { path: "${dbPath}" }
`,
    );
    const daemon = await startDaemon(['--config', path]);
    const other = new Database(dbPath);
    try {
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      other.pragma('busy_timeout = 5000');
      other.exec('BEGIN IMMEDIATE'); // holds the write lock, as another process might
      const lockedAt = Date.now();
      const scrapeTimes: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        const response = await fetch(`${daemon.url}/metrics`);
        assert.equal(response.status, 200);
        await response.text();
        scrapeTimes.push(Date.now() - started);
        await sleep(250);
      }
      // Writes give up after 100 ms and retry later; nothing waits on the lock for seconds.
      assert.ok(Math.max(...scrapeTimes) < 1_000, `scrapes took ${scrapeTimes.join(', ')} ms`);
      const api = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
        planes: { name: string; status: string }[];
      };
      assert.equal(
        api.planes.find((p) => p.name === 'locked-b')?.status,
        'NO_USER',
        'the status stays current',
      );
      await daemon.waitForLog((line) => String(line.msg).startsWith('could not store results'));
      const unlockedAt = Date.now();
      other.exec('COMMIT');

      // After the lock: the results checked while it was held are stored too.
      await eventually(
        () => {
          const count = (
            other
              .prepare('SELECT count(*) AS n FROM check_history WHERE checked_at > ? AND checked_at < ?')
              .get(lockedAt + 200, unlockedAt - 200) as { n: number }
          ).n;
          return Promise.resolve(count >= 4 ? count : undefined);
        },
        10_000,
        'the held-back results to be written',
      );
      const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
      assert.match(metrics, /^planecheck_storage_errors_total\{operation="write"\} [1-9]/m);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      assert.equal(await daemon.stop(), 0);
      await platform.close();
    }
  });
});
