import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { freePort } from './helpers/pushgateway.js';
import { ROOT } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'prometheus-test-key';
const EXPECTED: Record<string, string> = {
  'p-ok': 'HEALTHY',
  'p-nouser': 'NO_USER',
  'p-nomodel': 'NO_ORACLE',
  'p-500': 'FAILED',
};

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('a real Prometheus scraping a real daemon', () => {
  const platform = new SandboxPlatform({
    apiKey: API_KEY,
    planes: { 'p-ok': 'healthy', 'p-nouser': 'no_user', 'p-nomodel': 'no_model', 'p-500': 'predict_500' },
  });
  let daemon: DaemonProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';

  const query = async (promql: string): Promise<Sample[]> => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: Sample[] } };
    assert.equal(body.status, 'success', promql);
    return body.data.result;
  };

  before(async () => {
    await platform.start();
    const dir = tempDir('planecheck-prometheus-');
    const config = join(dir, 'planecheck.yaml');
    writeFileSync(
      config,
      `schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 20ms }
workloadPlanes:
${Object.keys(EXPECTED)
  .map((plane) => `  - { name: ${plane}, inferenceUrl: "${platform.inferenceUrl(plane)}" }`)
  .join('\n')}
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    daemon = await startDaemon(['--config', config]);
    const target = daemon.url.replace('http://', '');
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: ["${join(ROOT, 'deploy/prometheus/alerts.yml')}"]
scrape_configs:
  - job_name: planecheck
    static_configs: [{ targets: ["${target}"] }]
`,
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    prometheus.once('error', (error) => {
      throw new Error(
        `prometheus could not start (${error.message}); install the Debian package "prometheus"`,
      );
    });
    await eventually(
      async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined),
      20_000,
      'Prometheus to be ready',
    );
  });

  after(async () => {
    prometheus?.kill('SIGTERM');
    await daemon?.stop();
    await platform.close();
  });

  it('scrapes the daemon: planecheck_status == 1 gives every plane its status', async () => {
    const statuses = await eventually(
      async () => {
        const samples = await query('planecheck_status == 1');
        const got: Record<string, string> = Object.fromEntries(
          samples.map((s): [string, string] => [s.metric.workload_plane ?? '', s.metric.status ?? '']),
        );
        return Object.entries(EXPECTED).every(([plane, status]) => got[plane] === status) ? got : undefined;
      },
      30_000,
      'every plane status in Prometheus',
    );
    assert.deepEqual(statuses, EXPECTED);
    const up = await query('up{job="planecheck"}');
    assert.equal(up[0]?.value[1], '1');
  });

  it('evaluates every recording and alerting rule without error', async () => {
    const counts = await eventually(
      async () => {
        const samples = await query('planecheck:planes:count_by_status');
        return samples.length === 5 ? samples : undefined;
      },
      20_000,
      'the recording rule',
    );
    const byStatus: Record<string, number> = Object.fromEntries(
      counts.map((s): [string, number] => [s.metric.status ?? '', Number(s.value[1])]),
    );
    assert.deepEqual(byStatus, { HEALTHY: 1, NO_USER: 1, NO_ORACLE: 1, FAILED: 1, NO_VALUE: 0 });

    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      data: {
        groups: { rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[] }[];
      };
    };
    const all = rules.data.groups.flatMap((group) => group.rules);
    assert.equal(all.length, 20);
    for (const rule of all) {
      assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError ?? ''}`);
      assert.ok(!rule.lastEvaluation.startsWith('0001'), `${rule.name} was evaluated`);
    }
  });

  it('puts the status alerts into pending for the broken planes (their for: has not passed yet)', async () => {
    const alerts = await eventually(
      async () => {
        const body = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as {
          data: { alerts: { labels: Record<string, string>; state: string }[] };
        };
        const names = new Set(
          body.data.alerts.map((a) => `${a.labels.alertname}/${a.labels.workload_plane}/${a.state}`),
        );
        const wanted = [
          'PlanecheckPlaneFailed/p-500/pending',
          'PlanecheckPlaneNoUser/p-nouser/pending',
          'PlanecheckPlaneNoOracle/p-nomodel/pending',
        ];
        return wanted.every((name) => names.has(name)) ? names : undefined;
      },
      20_000,
      'pending alerts',
    );
    assert.ok(![...alerts].some((name) => name.includes('/p-ok/')), 'nothing for the healthy plane');
  });

  it('the dashboard queries only metrics the daemon exports', async () => {
    assert.ok(daemon);
    const scrape = await (await fetch(`${daemon.url}/metrics`)).text();
    const exported = new Set<string>();
    for (const match of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const [, name = '', type] = match;
      exported.add(name);
      if (type === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name + suffix);
    }
    const dashboard = readFileSync(join(ROOT, 'deploy/grafana/planecheck.json'), 'utf8');
    const recorded = new Set(
      [...readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8').matchAll(/record: (\S+)/g)].map(
        (m) => m[1],
      ),
    );
    const exprs = [...dashboard.matchAll(/"(?:expr|query)": "((?:[^"\\]|\\.)*)"/g)].map(
      (m) => JSON.parse(`"${m[1] ?? ''}"`) as string,
    );
    const used = new Set(
      exprs.flatMap((expr) => [...expr.matchAll(/\b(planecheck[_:][a-z0-9_:]+)/g)].map((m) => m[1] ?? '')),
    );
    assert.ok(used.size >= 6, `the dashboard uses ${used.size} metrics`);
    for (const name of used) {
      assert.ok(
        exported.has(name) || recorded.has(name),
        `the dashboard queries ${name}, which the daemon does not export`,
      );
    }
    // And every dashboard query is valid PromQL to this Prometheus (variables filled in).
    for (const expr of exprs.filter((e) => !e.startsWith('label_values') && e !== 'prometheus')) {
      const promql = expr.replace(/\$__rate_interval/g, '1m').replace(/\$workload_plane|\$job/g, '.*');
      await query(promql);
    }
  });
});
