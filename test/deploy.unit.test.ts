import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load as parse, loadAll } from 'js-yaml';
import { parseConfig } from '../src/config/parse.js';
import { ROOT } from './helpers/run.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function promtool(...args: string[]): { code: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: join(ROOT, 'deploy/prometheus'), encoding: 'utf8' });
  if (run.error)
    throw new Error(`promtool could not run (${run.error.message}); install the Debian package "prometheus"`);
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, '')
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      ),
  );
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('deploy/prometheus', () => {
  it('promtool check rules accepts the rules', () => {
    const { code, output } = promtool('check', 'rules', 'alerts.yml');
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS: 16 rules found/);
  });

  it('promtool test rules: every alert fires when it should and stays quiet when it should', () => {
    const { code, output } = promtool('test', 'rules', 'alerts.test.yml');
    assert.equal(code, 0, output);
    const tests = read('deploy/prometheus/alerts.test.yml');
    const rules = (
      parse(read('deploy/prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }
    ).groups.flatMap((g) => g.rules);
    for (const rule of rules.filter((r) => r.alert)) {
      const alert = rule.alert ?? '';
      assert.match(
        tests,
        new RegExp(`alertname: ${alert}\\n\\s+exp_alerts: \\[\\]`),
        `${alert} has a not-firing case`,
      );
      assert.match(
        tests,
        new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n`),
        `${alert} has a firing case`,
      );
    }
  });

  it('promtool check config accepts the example scrape config', () => {
    const { code, output } = promtool('check', 'config', 'prometheus.yml');
    assert.equal(code, 0, output);
  });

  it('every alert has a severity, a summary, a description and a runbook link to an existing section', () => {
    const rules = (
      parse(read('deploy/prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }
    ).groups.flatMap((g) => g.rules);
    const sections = anchors(read('docs/runbook.md'));
    const alerts = rules.filter((rule) => rule.alert);
    for (const status of ['FAILED', 'NO_USER', 'NO_ORACLE', 'NO_VALUE']) {
      assert.ok(
        alerts.some((rule) => rule.expr.includes(`status="${status}"`)),
        `an alert for ${status}`,
      );
    }
    for (const rule of alerts) {
      assert.match(rule.labels?.severity ?? '', /^(critical|warning)$/, `${rule.alert} severity`);
      assert.ok(rule.annotations?.summary && rule.annotations.description, `${rule.alert} text`);
      const url = rule.annotations.runbook_url ?? '';
      assert.match(url, /docs\/runbook\.md#[\w-]+$/, `${rule.alert} runbook_url`);
      const anchor = url.split('#')[1] ?? '';
      assert.ok(sections.has(anchor), `${rule.alert}: docs/runbook.md has no section #${anchor}`);
    }
  });
});

describe('deploy/grafana/planecheck.json', () => {
  const dashboard = JSON.parse(read('deploy/grafana/planecheck.json')) as {
    panels: {
      type: string;
      title: string;
      datasource: { uid: string };
      targets: { expr: string; datasource: { uid: string } }[];
    }[];
    templating: { list: { name: string; type: string; query: unknown }[] };
    annotations: { list: { datasource: { uid: string; type: string }; expr?: string }[] };
  };
  // Panels that ship with Grafana itself: no plugin needed.
  const BUILT_IN = new Set([
    'stat',
    'state-timeline',
    'status-history',
    'timeseries',
    'barchart',
    'bargauge',
    'gauge',
    'table',
    'text',
    'row',
    'heatmap',
    'piechart',
    'logs',
  ]);

  it('uses only built-in panel types', () => {
    for (const panel of dashboard.panels)
      assert.ok(BUILT_IN.has(panel.type), `${panel.title}: ${panel.type} is not built in`);
    const types = new Set(dashboard.panels.map((panel) => panel.type));
    for (const needed of ['state-timeline', 'stat', 'timeseries'])
      assert.ok(types.has(needed), `a ${needed} panel`);
  });

  it('takes its data source from a variable and filters by workload_plane', () => {
    const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    assert.equal(variables.get('datasource')?.type, 'datasource');
    assert.equal(variables.get('datasource')?.query, 'prometheus');
    assert.equal(variables.get('workload_plane')?.type, 'query');
    for (const panel of dashboard.panels) {
      assert.equal(panel.datasource.uid, '${datasource}', panel.title);
      for (const target of panel.targets) {
        assert.equal(target.datasource.uid, '${datasource}', panel.title);
        if (target.expr.includes('workload_plane') || target.expr.includes('planecheck_status')) {
          assert.match(
            target.expr,
            /workload_plane=~"\$workload_plane"/,
            `${panel.title} honours the plane variable`,
          );
        }
      }
    }
    for (const annotation of dashboard.annotations.list.filter((a) => a.expr)) {
      assert.equal(annotation.datasource.uid, '${datasource}');
    }
  });
});

describe('deployment files', () => {
  it('the systemd unit is hardened and runs the daemon', () => {
    const unit = read('deploy/systemd/planecheck.service');
    const settings = new Map<string, string[]>();
    for (const line of unit.split('\n')) {
      const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (match?.[1]) settings.set(match[1], [...(settings.get(match[1]) ?? []), match[2] ?? '']);
    }
    const one = (key: string) => settings.get(key)?.[0];
    assert.match(one('ExecStart') ?? '', /dist\/daemon\.js --config \//);
    assert.equal(one('DynamicUser'), 'yes');
    assert.equal(one('User'), 'planecheck');
    assert.equal(one('ProtectSystem'), 'strict');
    assert.equal(one('StateDirectory'), 'planecheck');
    assert.equal(one('NoNewPrivileges'), 'yes');
    assert.equal(one('RestartPreventExitStatus'), '2');
    for (const section of ['[Unit]', '[Service]', '[Install]']) assert.ok(unit.includes(section));
  });

  it('the Kubernetes example has a Deployment with probes, a Service, a ServiceMonitor and a valid planecheck config', () => {
    const docs = loadAll(read('deploy/kubernetes/planecheck.yaml')) as Record<string, unknown>[];
    const byKind = new Map(docs.map((doc) => [doc.kind as string, doc]));
    for (const kind of ['ConfigMap', 'Deployment', 'Service', 'ServiceMonitor', 'PersistentVolumeClaim'])
      assert.ok(byKind.has(kind), kind);
    const container = (
      byKind.get('Deployment') as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }
    ).spec.template.spec.containers[0] as {
      livenessProbe: { httpGet: { path: string } };
      readinessProbe: { httpGet: { path: string } };
      args: string[];
    };
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.ok(container.args.includes('dist/daemon.js'));
    const monitor = byKind.get('ServiceMonitor') as { spec: { endpoints: { path: string; port: string }[] } };
    assert.equal(monitor.spec.endpoints[0]?.path, '/metrics');
    const configMap = byKind.get('ConfigMap') as { data: Record<string, string> };
    const config = parseConfig(configMap.data['planecheck.yaml'] ?? '', {
      PLATFORM_API_KEY: 'k',
      GITHUB_TOKEN: 't',
    });
    assert.equal(config.server.listen, '0.0.0.0:9464');
  });

  it('the README links every file under deploy/ and the runbook', () => {
    const readme = read('README.md');
    const files = ['docs/runbook.md'];
    for (const dir of readdirSync(join(ROOT, 'deploy'))) {
      for (const file of readdirSync(join(ROOT, 'deploy', dir))) files.push(`deploy/${dir}/${file}`);
    }
    for (const file of files) assert.ok(readme.includes(`](${file})`), `README links ${file}`);
  });
});
