import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform, type PlaneRequest } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon } from './helpers/daemon.js';
import { runNode } from './helpers/run.js';
import { reloadConfigYaml, sighupReload, type ReloadConfigOptions } from './helpers/reload.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'reload-test-key';
const env = { PLATFORM_API_KEY: API_KEY };

interface WriteOptions extends ReloadConfigOptions {
  dbPath?: string;
}

interface PlaneView {
  name: string;
  status: string;
  reason: string | null;
  checkedAt: string | null;
  maintenance: { until: string; note: string } | null;
}

describe('reloading the config (SIGHUP)', () => {
  const requests: PlaneRequest[] = [];
  const sandbox = new SandboxPlatform({
    apiKey: API_KEY,
    planes: {},
    onRequest: (r) => void requests.push(r),
  });
  before(() => sandbox.start());
  after(() => sandbox.close());

  /** A config file for `planes` (created healthy in the sandbox); `write` rewrites it in place. */
  function configFile(): {
    path: string;
    dbPath: string;
    write: (planes: string[], options?: WriteOptions) => void;
  } {
    const dir = tempDir('planecheck-reload-');
    const path = join(dir, 'planecheck.yaml');
    const dbPath = join(dir, 'planecheck.db');
    const write = (planes: string[], options: WriteOptions = {}) => {
      // Written aside and renamed over the file, as a deploy tool or the kubelet does: a reload never reads
      // a half-written file.
      writeFileSync(`${path}.new`, reloadConfigYaml(sandbox, planes, options.dbPath ?? dbPath, options));
      renameSync(`${path}.new`, path);
    };
    return { path, dbPath, write };
  }

  const planesOf = async (url: string) =>
    ((await (await fetch(`${url}/api/v1/status`)).json()) as { planes: PlaneView[] }).planes;
  const planeOf = async (url: string, plane: string) => (await planesOf(url)).find((p) => p.name === plane);
  const metricsOf = async (url: string) => (await fetch(`${url}/metrics`)).text();
  const metric = (text: string, series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  /** A plane's status once it has a result checked after `since` (epoch ms). */
  const checkedSince = (url: string, plane: string, since: number) =>
    eventually(
      async () => {
        const view = await planeOf(url, plane);
        return view?.checkedAt && Date.parse(view.checkedAt) > since ? view : undefined;
      },
      10_000,
      `a check of ${plane} after the reload`,
    );

  it('checks an added plane and drops a removed one from /metrics, the API and the page', async () => {
    const file = configFile();
    file.write(['rl-keep', 'rl-gone']);
    const daemon = await startDaemon(['--config', file.path], env);
    try {
      await checkedSince(daemon.url, 'rl-gone', 0);
      assert.match(await metricsOf(daemon.url), /workload_plane="rl-gone"/);

      file.write(['rl-keep', 'rl-new']);
      const reloadedAt = Date.now();
      const line = await sighupReload(daemon);
      assert.equal(line.msg, 'config reloaded');
      assert.deepEqual(line.added, ['rl-new']);
      assert.deepEqual(line.removed, ['rl-gone']);

      assert.equal((await checkedSince(daemon.url, 'rl-new', reloadedAt)).status, 'HEALTHY');
      assert.ok(
        requests.some((r) => r.plane === 'rl-new'),
        'the sandbox saw the new plane checked',
      );
      const text = await eventually(async () => {
        const scraped = await metricsOf(daemon.url);
        return /^planecheck_checks_total\{workload_plane="rl-new",status="HEALTHY"\} [1-9]/m.test(scraped)
          ? scraped
          : undefined;
      });
      assert.equal(metric(text, 'planecheck_status{workload_plane="rl-new",status="HEALTHY"}'), 1);
      assert.equal(metric(text, 'planecheck_maintenance{workload_plane="rl-new"}'), 0);
      // Every series of the removed plane is gone, counters and histograms included.
      assert.doesNotMatch(text, /rl-gone/);
      assert.deepEqual(
        (await planesOf(daemon.url)).map((plane) => plane.name),
        ['rl-keep', 'rl-new'],
      );
      assert.doesNotMatch(await (await fetch(`${daemon.url}/`)).text(), /rl-gone/);
      assert.equal((await fetch(`${daemon.url}/api/v1/planes/rl-gone/history`)).status, 404);
      assert.equal((await fetch(`${daemon.url}/badge/rl-gone.svg`)).status, 404);
      assert.equal((await fetch(`${daemon.url}/api/v1/planes/rl-new/history`)).status, 200);
      assert.equal(metric(text, 'planecheck_config_reloads_total{result="success"}'), 1);
      assert.equal(metric(text, 'planecheck_config_last_reload_success'), 1);
      const successAt = metric(text, 'planecheck_config_last_reload_success_timestamp_seconds') ?? 0;
      assert.ok(successAt * 1000 >= reloadedAt - 1000, `success timestamp ${successAt} is the reload's`);

      // The removed plane is no longer checked: no request for it once the reload's cycle is over.
      const cyclesNow = metric(await metricsOf(daemon.url), 'planecheck_cycles_total') ?? 0;
      const seen = requests.filter((r) => r.plane === 'rl-gone').length;
      await eventually(async () =>
        (metric(await metricsOf(daemon.url), 'planecheck_cycles_total') ?? 0) >= cyclesNow + 2
          ? true
          : undefined,
      );
      assert.equal(requests.filter((r) => r.plane === 'rl-gone').length, seen);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('applies a changed plane URL and a changed platform setting from the next cycle, server.auth and runbookUrl at once', async () => {
    const file = configFile();
    file.write(['rl-platform', 'rl-url']);
    const daemon = await startDaemon(['--config', file.path], env);
    const auth = { authorization: 'Bearer a-token-of-sixteen-chars' };
    let headers: Record<string, string> = {};
    const checkedAfter = (plane: string, since: number, wanted: string) =>
      eventually(async () => {
        const body = (await (await fetch(`${daemon.url}/api/v1/status`, { headers })).json()) as {
          planes: PlaneView[];
        };
        const view = body.planes.find((candidate) => candidate.name === plane);
        const fresh = view?.checkedAt && Date.parse(view.checkedAt) > since;
        return fresh && view.status === wanted ? view : undefined;
      });
    try {
      await checkedAfter('rl-url', 0, 'HEALTHY');

      // rl-url pointed at a path where the sandbox has no model: its inference fails; rl-platform's does not.
      file.write(['rl-platform', 'rl-url'], { urls: { 'rl-url': `${sandbox.url}/planes/rl-elsewhere` } });
      let reloadedAt = Date.now();
      let line = await sighupReload(daemon);
      assert.deepEqual(line.changed, ['rl-url']);
      assert.deepEqual(line.fields, ['workloadPlanes']);
      await checkedAfter('rl-url', reloadedAt, 'FAILED');
      await checkedAfter('rl-platform', reloadedAt, 'HEALTHY');

      // Another oracle name (a platform setting: a new checker), and auth and a runbook URL for the server.
      file.write(['rl-platform', 'rl-url'], {
        urls: { 'rl-url': `${sandbox.url}/planes/rl-elsewhere` },
        platform: '  oracleName: renamed-model',
        server:
          'auth: { bearerToken: "a-token-of-sixteen-chars" }, runbookUrl: "https://runbooks.example.com/pc.md"',
      });
      reloadedAt = Date.now();
      line = await sighupReload(daemon);
      assert.deepEqual(line.changed, []);
      assert.deepEqual(line.fields, ['platform', 'server']);
      assert.equal((await fetch(`${daemon.url}/api/v1/status`)).status, 401, 'server.auth applies at once');
      headers = auth;
      assert.match(
        await (await fetch(`${daemon.url}/`, { headers })).text(),
        /runbooks\.example\.com\/pc\.md/,
      );
      const platform = await checkedAfter('rl-platform', reloadedAt, 'NO_ORACLE');
      assert.equal(platform.reason, 'oracle_not_found');
      assert.ok(
        requests.some((r) => r.plane === 'rl-platform' && r.path.includes('name=renamed-model')),
        'the sandbox saw the new oracle name',
      );
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('refuses an invalid config with the lines a start prints, runs on, and takes the fixed file', async () => {
    const file = configFile();
    file.write(['rl-valid']);
    const daemon = await startDaemon(['--config', file.path], env);
    try {
      await checkedSince(daemon.url, 'rl-valid', 0);
      file.write(['rl-valid', 'Not_A_Name'], { extra: 'log: { level: loud }' });
      // What a start with this file prints (and exit 2), for comparison.
      const start = await runNode(['dist/daemon.js', '--config', file.path], {
        env: { PATH: process.env.PATH, ...env },
      });
      assert.equal(start.code, 2);
      assert.match(start.stderr, /workloadPlanes\[1\]\.name/);

      const stderrBefore = daemon.stderr().length;
      const refusedAt = Date.now();
      const line = await sighupReload(daemon);
      assert.equal(line.msg, 'config reload refused: the new config is invalid; running on the previous one');
      // stderr and the log (stdout) are two pipes: the lines may be read after the log line.
      await eventually(() =>
        Promise.resolve(daemon.stderr().length >= stderrBefore + start.stderr.length ? true : undefined),
      );
      assert.equal(daemon.stderr().slice(stderrBefore), start.stderr);

      // Still checking the old planes, and the metrics say the last reload failed.
      assert.equal((await checkedSince(daemon.url, 'rl-valid', refusedAt)).status, 'HEALTHY');
      const text = await metricsOf(daemon.url);
      assert.equal(metric(text, 'planecheck_config_reloads_total{result="failure"}'), 1);
      assert.equal(metric(text, 'planecheck_config_reloads_total{result="success"}'), 0);
      assert.equal(metric(text, 'planecheck_config_last_reload_success'), 0);
      assert.doesNotMatch(text, /Not_A_Name/);

      file.write(['rl-valid', 'rl-fixed']);
      assert.equal((await sighupReload(daemon)).msg, 'config reloaded');
      const fixed = await metricsOf(daemon.url);
      assert.equal(metric(fixed, 'planecheck_config_reloads_total{result="success"}'), 1);
      assert.equal(metric(fixed, 'planecheck_config_last_reload_success'), 1);
      await checkedSince(daemon.url, 'rl-fixed', refusedAt);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('refuses a change only a restart applies, naming the field', async () => {
    const file = configFile();
    file.write(['rl-restart']);
    const daemon = await startDaemon(['--config', file.path], env);
    try {
      // The new file also adds a plane: nothing of it applies.
      file.write(['rl-restart', 'rl-never'], { dbPath: `${file.dbPath}-other` });
      const line = await sighupReload(daemon);
      assert.equal(line.msg, 'config reload refused; running on the previous one');
      assert.equal(line.error, 'storage.path changed: restart planecheck to apply it');
      // stderr and the log (stdout) are two pipes: the line may be read after the log line.
      await eventually(() =>
        Promise.resolve(
          /config reload refused: storage\.path changed: restart planecheck to apply it\n/.test(
            daemon.stderr(),
          )
            ? true
            : undefined,
        ),
      );
      assert.deepEqual(
        (await planesOf(daemon.url)).map((plane) => plane.name),
        ['rl-restart'],
      );
      assert.equal(metric(await metricsOf(daemon.url), 'planecheck_config_last_reload_success'), 0);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('keeps run-time maintenance and stored results through a reload', async () => {
    const file = configFile();
    file.write(['rl-maint', 'rl-other']);
    const daemon = await startDaemon(['--config', file.path], env);
    try {
      const first = await checkedSince(daemon.url, 'rl-maint', 0);
      const started = await fetch(`${daemon.url}/api/v1/planes/rl-maint/maintenance`, {
        method: 'POST',
        body: JSON.stringify({ for: '2h', note: 'migration' }),
      });
      assert.equal(started.status, 200);
      const historyBefore = await historyOf(daemon.url, 'rl-maint');
      assert.ok(historyBefore.length > 0);

      file.write(['rl-maint', 'rl-third']);
      assert.equal((await sighupReload(daemon)).msg, 'config reloaded');
      const view = await planeOf(daemon.url, 'rl-maint');
      assert.equal(view?.maintenance?.note, 'migration');
      assert.equal(view?.status, 'HEALTHY');
      assert.ok(Date.parse(view?.checkedAt ?? '') >= Date.parse(first.checkedAt ?? ''));
      assert.equal(
        metric(await metricsOf(daemon.url), 'planecheck_maintenance{workload_plane="rl-maint"}'),
        1,
      );
      const historyAfter = await historyOf(daemon.url, 'rl-maint');
      const oldest = historyBefore.at(-1)?.checkedAt;
      assert.ok(
        historyAfter.some((result) => result.checkedAt === oldest),
        'the stored history is kept',
      );
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('ends a storm of SIGHUPs on the last file, without crashing', async () => {
    const file = configFile();
    file.write(['rl-storm-0']);
    const daemon = await startDaemon(['--config', file.path], env);
    try {
      for (let i = 1; i <= 5; i++) {
        file.write([`rl-storm-${i}`, 'rl-storm-0']);
        daemon.child.kill('SIGHUP');
      }
      // Serialized: the last signal came during a reload, so one more reload reads the final file.
      await eventually(async () => {
        const names = (await planesOf(daemon.url)).map((plane) => plane.name);
        return names.join() === 'rl-storm-5,rl-storm-0' ? names : undefined;
      });
      await checkedSince(daemon.url, 'rl-storm-5', 0);
      const text = await metricsOf(daemon.url);
      for (let i = 1; i <= 4; i++) assert.doesNotMatch(text, new RegExp(`rl-storm-${i}"`));
      assert.equal(metric(text, 'planecheck_config_reloads_total{result="failure"}'), 0);
      assert.ok(daemon.child.exitCode === null, 'still running');
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it("turns self-heal off for a plane live: no new dispatch for it, while another plane's goes on", async () => {
    const token = 'ghp_reloadTestToken0000000000000';
    const github = new SandboxGithub({
      token,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 200,
    });
    await github.start();
    const file = configFile();
    const selfHeal = `selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 100ms, maxPlanesAtOnce: 5 }
github: { apiUrl: "${github.url}", token: "${token}" }`;
    file.write(['rl-heal-on', 'rl-heal-off'], { extra: selfHeal });
    const daemon = await startDaemon(['--config', file.path], env);
    try {
      await checkedSince(daemon.url, 'rl-heal-off', 0);
      file.write(['rl-heal-on', 'rl-heal-off'], {
        extra: selfHeal,
        planeFields: { 'rl-heal-off': 'selfHeal: { enabled: false }' },
      });
      const line = await sighupReload(daemon);
      assert.deepEqual(line.changed, ['rl-heal-off']);
      // Both planes lose their smoke-test user; only the one self-heal is still on for gets a dispatch.
      const brokenAt = Date.now();
      sandbox.setScenario('rl-heal-on', 'no_user');
      sandbox.setScenario('rl-heal-off', 'no_user');
      const dispatchedFor = () => github.runs.map((run) => run.inputs.workload_plane);
      await eventually(() => Promise.resolve(dispatchedFor().includes('rl-heal-on') ? true : undefined));
      await checkedSince(daemon.url, 'rl-heal-off', brokenAt);
      const cycles = metric(await metricsOf(daemon.url), 'planecheck_cycles_total') ?? 0;
      await eventually(async () =>
        (metric(await metricsOf(daemon.url), 'planecheck_cycles_total') ?? 0) >= cycles + 2
          ? true
          : undefined,
      );
      assert.equal((await planeOf(daemon.url, 'rl-heal-off'))?.status, 'NO_USER');
      assert.deepEqual(
        dispatchedFor().filter((plane) => plane === 'rl-heal-off'),
        [],
        'no dispatch for the plane self-heal was turned off for',
      );
    } finally {
      assert.equal(await daemon.stop(), 0);
      await github.close();
    }
  });

  it('in the demo, says there is nothing to reload', async () => {
    const daemon = await startDaemon(['--demo', '--listen', '127.0.0.1:0']);
    try {
      daemon.child.kill('SIGHUP');
      await daemon.waitForLog(
        (line) => line.msg === 'SIGHUP: the demo has no config file; nothing to reload',
      );
      assert.equal((await fetch(`${daemon.url}/healthz`)).status, 200);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });
});

async function historyOf(url: string, plane: string): Promise<{ checkedAt: string }[]> {
  const body = (await (await fetch(`${url}/api/v1/planes/${plane}/history?limit=1000`)).json()) as {
    results: { checkedAt: string }[];
  };
  return body.results;
}
