import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import { ROOT } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const config = read('deploy/mixin/config.yaml');

function generate(args: string[]): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, ['scripts/gen-mixin.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

function generateWith(configText: string): { code: number | null; output: string; dir: string } {
  const dir = tempDir('planecheck-mixin-');
  writeFileSync(join(dir, 'config.yaml'), configText);
  return { ...generate(['--config', join(dir, 'config.yaml'), '--out', dir]), dir };
}

describe('the monitoring mixin', () => {
  it('the committed alerts.yml and dashboard are what deploy/mixin/config.yaml generates', () => {
    const { code, output } = generate(['--check']);
    assert.equal(output, '');
    assert.equal(code, 0);
  });

  it('scopes every daemon rule to jobSelector and the Action rules to actionJobSelector', () => {
    const custom = config
      .replace(`jobSelector: 'job="planecheck"'`, `jobSelector: 'job="pc-prod", cluster="eu"'`)
      .replace(`actionJobSelector: 'job="planecheck_action"'`, `actionJobSelector: 'job="ci-push"'`)
      .replace(`externalUrl: ''`, `externalUrl: 'https://planecheck.example.com/'`);
    const { code, output, dir } = generateWith(custom);
    assert.equal(output, '');
    assert.equal(code, 0);
    const alerts = readFileSync(join(dir, 'prometheus/alerts.yml'), 'utf8');
    const rules = (load(alerts) as { groups: { name: string; rules: Rule[] }[] }).groups;
    for (const group of rules) {
      for (const rule of group.rules) {
        const selectors = [...rule.expr.matchAll(/\b([a-z_:]+)\{([^}]*)\}/g)];
        assert.ok(selectors.length > 0, `${rule.alert ?? rule.record} selects something`);
        for (const [, metric = '', matchers = ''] of selectors) {
          const wanted = group.name === 'planecheck-action' ? 'job="ci-push"' : 'job="pc-prod", cluster="eu"';
          assert.ok(matchers.startsWith(wanted), `${rule.alert ?? rule.record}: ${metric}{${matchers}}`);
        }
      }
    }
    assert.doesNotMatch(alerts, /job="planecheck"/);
    assert.match(alerts, /https:\/\/planecheck\.example\.com\/api\/v1\/planes\//, 'links use externalUrl');
    assert.doesNotMatch(alerts, /http:\/\/\{\{ \$labels\.instance \}\}/);
    const dashboard = readFileSync(join(dir, 'grafana/planecheck.json'), 'utf8');
    assert.match(
      dashboard,
      /"query": "label_values\(planecheck_status\{job=\\"pc-prod\\", cluster=\\"eu\\"\}, job\)"/,
    );
    assert.ok(JSON.parse(dashboard), 'still JSON');
  });

  it('carries thresholds from the config into the rules', () => {
    const custom = config
      .replace('  failed: 3m', '  failed: 7m')
      .replace('actionStaleAfter: 2h', 'actionStaleAfter: 26h')
      .replace('replicaLabels: [instance, pod]', 'replicaLabels: [instance, pod, zone]');
    const { dir } = generateWith(custom);
    const alerts = readFileSync(join(dir, 'prometheus/alerts.yml'), 'utf8');
    assert.match(alerts, /without \(instance, pod, zone\)/);
    assert.doesNotMatch(alerts, /without \(instance, pod\)/);
    assert.match(alerts, /alert: PlanecheckPlaneFailed\n\s+expr: [^]*?\n\s+for: 7m/);
    assert.match(alerts, /time\(\) - push_time_seconds\{job="planecheck_action"\} > 93600/);
  });

  it('rejects a bad config with an error naming the field', () => {
    const cases: [string, RegExp][] = [
      [config.replace('  noUser: 10m', '  noUser: ten'), /for\.noUser must be a Prometheus duration/],
      [
        config.replace(`jobSelector: 'job="planecheck"'`, `jobSelector: 'planecheck'`),
        /jobSelector must be label matchers/,
      ],
      [config.replace('runbook.md#%s', 'runbook.md'), /runbookUrlPattern must contain %s/],
      [`${config}\njobselector: x\n`, /unknown key jobselector/],
      [
        config.replace('replicaLabels: [instance, pod]', 'replicaLabels: [instance, job]'),
        /replicaLabels cannot/,
      ],
      [
        config.replace('replicaLabels: [instance, pod]', 'replicaLabels: instance'),
        /replicaLabels must be a list/,
      ],
      [
        config.replace('  metricsAbsent: 5m', '  metricsAbsent: 1m'),
        /for\.metricsAbsent must be longer than for\.down/,
      ],
    ];
    for (const [text, error] of cases) {
      const { code, output } = generateWith(text);
      assert.equal(code, 1, String(error));
      assert.match(output, error);
    }
  });
});

describe('deploy/alertmanager/alertmanager.yml', () => {
  const amtool = (...args: string[]) => {
    const run = spawnSync('amtool', args, { cwd: join(ROOT, 'deploy/alertmanager'), encoding: 'utf8' });
    if (run.error) {
      throw new Error(
        `amtool could not run (${run.error.message}); install the Debian package "prometheus-alertmanager"`,
      );
    }
    return { code: run.status, output: `${run.stdout}${run.stderr}`.trim(), stdout: run.stdout.trim() };
  };

  it('amtool check-config accepts it', () => {
    const { code, output } = amtool('check-config', 'alertmanager.yml');
    assert.equal(code, 0, output);
    assert.match(output, /3 inhibit rules/);
  });

  it('routes critical alerts to the pager and the rest to tickets', () => {
    const route = (...labels: string[]) =>
      amtool('config', 'routes', 'test', '--config.file=alertmanager.yml', ...labels).stdout;
    assert.equal(route('alertname=PlanecheckDown', 'severity=critical'), 'planecheck-pager');
    assert.equal(route('alertname=PlanecheckPlaneNoUser', 'severity=warning'), 'planecheck-tickets');
  });

  it("also routes a plane's alerts to its owning team, by the team label the rules copy", () => {
    const route = (...labels: string[]) =>
      amtool('config', 'routes', 'test', '--config.file=alertmanager.yml', ...labels).stdout;
    assert.equal(
      route('alertname=PlanecheckPlaneFailed', 'severity=critical', 'team=payments'),
      'team-payments,planecheck-pager',
    );
    assert.equal(
      route('alertname=PlanecheckPlaneNoUser', 'severity=warning', 'team=search'),
      'planecheck-tickets',
    );
  });
});
