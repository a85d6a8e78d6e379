import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump, load } from 'js-yaml';
import type { PlaneReport } from '../src/check/report.js';
import { pushResults } from '../src/metrics/pushgateway.js';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { freePort, startPushgateway } from './helpers/pushgateway.js';
import { ROOT } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'alerting-test-key';
const GITHUB_TOKEN = 'ghp_alertingTestToken0000000000';

/** What Alertmanager's webhook receiver gets. */
interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }[];
}

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}

/**
 * The shipped rules, generated from the mixin with short durations (the test cannot wait minutes), run by a
 * real Prometheus that scrapes a real daemon and a real Pushgateway, and sends to a real Alertmanager loaded
 * with the shipped route and inhibit rules, whose receivers post to this test.
 */
describe('a real Prometheus and Alertmanager with the shipped rules and inhibitions', () => {
  const platform = new SandboxPlatform({
    apiKey: API_KEY,
    // p-heal loses its user only once Prometheus has scraped the daemon (see before()): its first failed
    // self-heal run then happens on a series Prometheus already holds at 0.
    planes: { 'p-ok': 'healthy', 'p-500': 'predict_500', 'p-heal': 'healthy' },
  });
  // Every smoke-test run fails: the first failed run must notify at once.
  const github = new SandboxGithub({
    token: GITHUB_TOKEN,
    workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
    queuedMs: 100,
    runMs: 200,
    conclusion: 'failure',
  });
  const notifications: Notification[] = [];
  const receiver: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      notifications.push(JSON.parse(body) as Notification);
      response.end();
    });
  });
  const children: ChildProcess[] = [];
  let daemon: DaemonProcess | undefined;
  let gateway: Awaited<ReturnType<typeof startPushgateway>> | undefined;
  let promUrl = '';
  let daemonConfig = '';
  let daemonStoppedAt = 0;
  let amUrl = '';

  /** Every alert notified so far, with the receiver it went to. */
  const notified = () =>
    notifications.flatMap((n) => n.alerts.map((alert) => ({ receiver: n.receiver, ...alert })));
  const findNotified = (predicate: (alert: ReturnType<typeof notified>[number]) => boolean) =>
    Promise.resolve(notified().find(predicate));
  /** The values of an instant query. */
  const values = async (promql: string): Promise<string[]> => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
    return body.data.result.map((sample) => sample.value[1]);
  };
  const promAlerts = async (): Promise<PromAlert[]> => {
    const body = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as {
      data: { alerts: PromAlert[] };
    };
    return body.data.alerts;
  };
  /** The time of Prometheus' latest rule evaluation (all groups run every second). */
  const lastEvaluation = async (): Promise<number> => {
    const body = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      data: { groups: { lastEvaluation: string }[] };
    };
    return Math.min(...body.data.groups.map((group) => Date.parse(group.lastEvaluation)));
  };
  /** Waits until every rule group has been evaluated `seconds` after now: an event, not a sleep. */
  const evaluationsFor = async (seconds: number) => {
    const from = Date.now();
    await eventually(
      async () => ((await lastEvaluation()) >= from + seconds * 1000 ? true : undefined),
      seconds * 1000 + 15_000,
      `rule evaluations for ${seconds}s`,
    );
  };
  const spawnTool = (command: string, args: string[], pkg: string) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', (error) => {
      throw new Error(`${command} could not start (${error.message}); install the Debian package "${pkg}"`);
    });
    children.push(child);
  };

  before(async () => {
    await Promise.all([platform.start(), github.start()]);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const dir = tempDir('planecheck-alerting-');

    // The rules: the shipped mixin config with short durations, generated by the shipped script.
    const mixin = load(readFileSync(join(ROOT, 'deploy/mixin/config.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const quick = {
      ...mixin,
      for: {
        failed: '2s',
        noUser: '1h',
        noOracle: '1h',
        noValue: '1h',
        down: '2s',
        replicaDown: '1h',
        storageDown: '1h',
        configReloadFailed: '1h',
        metricsAbsent: '6s',
        checksStopped: '1s',
        flapping: '1h',
        tlsCertExpiry: '1h',
      },
      actionStaleAfter: '1h',
    };
    writeFileSync(join(dir, 'mixin.yaml'), dump(quick));
    const generated = spawnSync(
      process.execPath,
      ['scripts/gen-mixin.js', '--config', join(dir, 'mixin.yaml'), '--out', join(dir, 'deploy')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(generated.status, 0, generated.stderr);

    // The shipped Alertmanager config: its route and inhibit rules as they are; receivers post here, and
    // groups are sent at once instead of after 30 s.
    const am = load(readFileSync(join(ROOT, 'deploy/alertmanager/alertmanager.yml'), 'utf8')) as {
      route: Record<string, unknown>;
      receivers: { name: string; webhook_configs: { url: string }[] }[];
    };
    for (const r of am.receivers) r.webhook_configs = [{ url: hook }];
    Object.assign(am.route, { group_wait: '0s', group_interval: '1s', repeat_interval: '1h' });
    writeFileSync(join(dir, 'alertmanager.yml'), dump(am));
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    spawnTool(
      'prometheus-alertmanager',
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      'prometheus-alertmanager',
    );

    // The daemon, with self-heal against the sandbox GitHub, on a fixed port so that a restart is the
    // same Prometheus target.
    const daemonPort = await freePort();
    daemonConfig = join(dir, 'planecheck.yaml');
    writeFileSync(
      daemonConfig,
      `schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }
platform: { controlPlaneUrl: "${platform.url}", apiKey: "${API_KEY}", requestTimeout: 700ms, pollInterval: 20ms }
workloadPlanes:
${['p-ok', 'p-500', 'p-heal'].map((p) => `  - { name: ${p}, inferenceUrl: "${platform.inferenceUrl(p)}"${p === 'p-500' ? ', labels: { team: payments }' : ''} }`).join('\n')}
server: { listen: "127.0.0.1:${daemonPort}" }
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 100ms }
github: { apiUrl: "${github.url}", token: "${GITHUB_TOKEN}" }
`,
    );
    daemon = await startDaemon(['--config', daemonConfig]);
    gateway = await startPushgateway();

    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: ["${join(dir, 'deploy/prometheus/alerts.yml')}"]
alerting:
  alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:${amPort}"] }] }]
scrape_configs:
  - job_name: planecheck
    static_configs: [{ targets: ["${daemon.url.replace('http://', '')}"] }]
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{ targets: ["${gateway.url.replace('http://', '')}"] }]
`,
    );
    spawnTool(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      'prometheus',
    );
    await eventually(
      async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined),
      20_000,
      'Alertmanager',
    );
    await eventually(
      async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined),
      20_000,
      'Prometheus',
    );
    // Only now does p-heal break: the failed run's counter is already a scraped series at 0.
    await eventually(
      async () =>
        (
          await values(
            'planecheck_self_heal_outcomes_total{workload_plane="p-heal",outcome="workflow_failed"} == 0',
          )
        )[0],
      20_000,
      "Prometheus' first scrape of the self-heal series",
    );
    assert.equal(github.runs.length, 0, 'no self-heal run before the first scrape');
    platform.setScenario('p-heal', 'no_user');
  });

  after(async () => {
    for (const child of children) child.kill('SIGTERM');
    await daemon?.stop();
    await gateway?.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await Promise.all([platform.close(), github.close()]);
  });

  it('notifies the first failed self-heal run at once, as a failed run (not a dispatch error)', async () => {
    const alert = await eventually(
      () =>
        findNotified(
          (a) =>
            a.labels.alertname === 'PlanecheckSelfHealFailing' &&
            a.labels.workload_plane === 'p-heal' &&
            a.status === 'firing',
        ),
      40_000,
      'the SelfHealFailing notification',
    );
    assert.equal(alert.labels.failure, 'run');
    assert.match(alert.annotations.summary ?? '', /the smoke-test run failed/);
    assert.equal(
      github.runs.length,
      1,
      'one run so far: the first failure is enough (cooldown blocks a second)',
    );
    // And the daemon exposes every self-heal and storage-error series from the start, at 0 where nothing
    // happened, so that a later first event is an increase.
    assert.deepEqual(
      await values('planecheck_self_heal_outcomes_total{workload_plane="p-ok",outcome="still_broken"}'),
      ['0'],
    );
    assert.deepEqual(
      await values('planecheck_self_heal_dispatches_total{workload_plane="p-500",outcome="error"}'),
      ['0', '0'],
    );
    assert.deepEqual(await values('planecheck_storage_errors_total{operation="write"}'), ['0']);
  });

  it("names the plane's failing step and reason in the description, with a link to its results", async () => {
    const alert = await eventually(
      () =>
        findNotified(
          (a) =>
            a.labels.alertname === 'PlanecheckPlaneFailed' &&
            a.labels.workload_plane === 'p-500' &&
            a.receiver === 'planecheck-pager',
        ),
      30_000,
      'the PlaneFailed notification',
    );
    const instance = daemon?.url.replace('http://', '') ?? '';
    assert.match(alert.annotations.description ?? '', /at step predict \(predict_http_500\)/);
    assert.ok(
      alert.annotations.description?.includes(`http://${instance}/api/v1/planes/p-500/history?limit=10`),
      alert.annotations.description,
    );
  });

  it("routes a plane's alert to its team too, by the label the rules copy from planecheck_plane_info", async () => {
    const toTeam = await eventually(
      () =>
        findNotified((a) => a.labels.alertname === 'PlanecheckPlaneFailed' && a.receiver === 'team-payments'),
      30_000,
      "the PlaneFailed notification to the plane's team",
    );
    assert.equal(toTeam.labels.workload_plane, 'p-500');
    assert.equal(toTeam.labels.team, 'payments');
    // The page carries the team as well, and planes without labels have none.
    assert.ok(
      notified().some(
        (a) =>
          a.labels.workload_plane === 'p-500' &&
          a.receiver === 'planecheck-pager' &&
          a.labels.team === 'payments',
      ),
    );
    assert.ok(!notified().some((a) => a.labels.workload_plane === 'p-heal' && a.labels.team !== undefined));
  });

  it("fires no alert from the Action's pushed series except the Action's own", async () => {
    assert.ok(gateway);
    // A FAILED result whose check is 10 minutes old: the old rules paged ChecksStopped for it.
    const report: PlaneReport = {
      name: 'p-ci',
      status: 'FAILED',
      reason: 'predict_timeout',
      checkedAt: new Date(Date.now() - 600_000).toISOString(),
      durationMs: 10,
      steps: [],
    };
    await pushResults(gateway.url, [report], 'acme/ops');
    const alert = await eventually(
      () =>
        findNotified(
          (a) =>
            a.labels.alertname === 'PlanecheckActionPlaneUnhealthy' &&
            a.labels.instance === 'acme/ops' &&
            a.status === 'firing',
        ),
      30_000,
      'the Action alert',
    );
    assert.equal(alert.labels.workload_plane, 'p-ci');
    assert.equal(alert.labels.job, 'planecheck_action');
    // Give every daemon rule time to see the pushed series past its "for" (1-2 s here).
    await evaluationsFor(4);
    const fromAction = (await promAlerts()).filter((a) => a.labels.job === 'planecheck_action');
    assert.deepEqual(
      [...new Set(fromAction.map((a) => a.labels.alertname))],
      ['PlanecheckActionPlaneUnhealthy'],
      JSON.stringify(fromAction.map((a) => a.labels)),
    );
    assert.ok(
      !notified().some(
        (a) => a.labels.job === 'planecheck_action' && !a.labels.alertname?.startsWith('PlanecheckAction'),
      ),
    );
  });

  it('stopping the daemon pages once (PlanecheckDown) and sends no "resolved" for planes still broken', async () => {
    assert.ok(daemon);
    // Broken planes that were notified before the outage.
    await eventually(
      async () =>
        (await promAlerts()).some(
          (a) => a.labels.alertname === 'PlanecheckPlaneFailed' && a.state === 'firing',
        ) || undefined,
      10_000,
      'PlaneFailed firing',
    );
    const before = notifications.length;
    await daemon.stop();
    daemonStoppedAt = Date.now();
    const down = await eventually(
      () => findNotified((a) => a.labels.alertname === 'PlanecheckDown' && a.status === 'firing'),
      30_000,
      'the PlanecheckDown page',
    );
    assert.equal(down.receiver, 'planecheck-pager');
    // MetricsAbsent fires too (for: 6s), and Alertmanager holds it back: inhibited by PlanecheckDown.
    await eventually(
      async () => {
        const response = await fetch(`${amUrl}/api/v2/alerts`);
        const alerts = (await response.json()) as {
          labels: Record<string, string>;
          status: { state: string; inhibitedBy: string[] };
        }[];
        const absent = alerts.find((a) => a.labels.alertname === 'PlanecheckMetricsAbsent');
        const failed = alerts.find((a) => a.labels.alertname === 'PlanecheckPlaneFailed');
        return absent?.status.state === 'suppressed' &&
          absent.status.inhibitedBy.length > 0 &&
          failed?.status.state === 'suppressed'
          ? true
          : undefined;
      },
      30_000,
      'MetricsAbsent and the plane alerts inhibited in Alertmanager',
    );
    // Several more evaluations and Alertmanager flushes (group_interval 1s) in which a notification could go.
    await evaluationsFor(4);
    // (The Action's results are not the daemon's: they keep their own alerts whatever the daemon does.)
    const after = notifications
      .slice(before)
      .flatMap((n) => n.alerts)
      .filter((a) => a.labels.job !== 'planecheck_action');
    assert.deepEqual(
      after.map((a) => `${a.labels.alertname}/${a.status}`),
      ['PlanecheckDown/firing'],
      'one page, nothing resolved',
    );
    // Prometheus still holds the plane alerts firing, with their last state.
    const firing = (await promAlerts()).filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
    assert.ok(firing.includes('PlanecheckPlaneFailed'));
    assert.ok(firing.includes('PlanecheckSelfHealFailing'));
    assert.ok(firing.includes('PlanecheckMetricsAbsent'));
  });

  it('a restart after an outage longer than cacheTtl sends no "resolved" for broken planes and no second page', async () => {
    // Restarted with a slower schedule: p-500 now hangs, so the first cycle takes the 4.5 s request
    // timeout and Prometheus (scraping every second) surely sees the NO_VALUE it reports meanwhile.
    const slower = readFileSync(daemonConfig, 'utf8')
      .replace(
        'schedule: { interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }',
        'schedule: { interval: 6s, cacheTtl: 7s, planeTimeout: 5s }',
      )
      .replace('requestTimeout: 700ms', 'requestTimeout: 4500ms');
    assert.match(slower, /cacheTtl: 7s[^]*requestTimeout: 4500ms/);
    writeFileSync(daemonConfig, slower);
    platform.setScenario('p-500', 'predict_hang');
    // The outage outlasts cacheTtl: the stored results are expired when the daemon starts again.
    const outageLeft = (daemonStoppedAt + 7_000 - Date.now()) / 1000;
    if (outageLeft > 0) await evaluationsFor(outageLeft + 1);
    const before = notifications.length;
    daemon = await startDaemon(['--config', daemonConfig]);
    await eventually(
      () => findNotified((a) => a.labels.alertname === 'PlanecheckDown' && a.status === 'resolved'),
      30_000,
      'PlanecheckDown resolved',
    );
    await eventually(
      async () =>
        (
          await values(
            'max_over_time(planecheck_status{job="planecheck",workload_plane="p-500",status="NO_VALUE"}[1m]) == 1',
          )
        )[0],
      20_000,
      "Prometheus saw the restarted daemon's NO_VALUE for p-500",
    );
    await eventually(
      async () =>
        (await values('planecheck_status{job="planecheck",workload_plane="p-500",status="FAILED"} == 1'))[0],
      20_000,
      'p-500 FAILED again after the first cycle',
    );
    // Past PlaneFailed's "for" (2s), with Alertmanager flushing every second.
    await evaluationsFor(4);
    const since = notifications
      .slice(before)
      .flatMap((n) => n.alerts)
      .map((a) => `${a.labels.alertname}/${a.labels.workload_plane ?? ''}/${a.status}`);
    for (const alert of ['PlanecheckPlaneFailed/p-500', 'PlanecheckSelfHealFailing/p-heal']) {
      assert.ok(!since.includes(`${alert}/resolved`), `${alert} resolved: ${since.join(', ')}`);
      assert.ok(!since.includes(`${alert}/firing`), `${alert} paged again: ${since.join(', ')}`);
    }
    const firing = (await promAlerts())
      .filter((a) => a.state === 'firing')
      .map((a) => `${a.labels.alertname}/${a.labels.workload_plane ?? ''}`);
    assert.ok(firing.includes('PlanecheckPlaneFailed/p-500'), firing.join(', '));
    assert.ok(firing.includes('PlanecheckSelfHealFailing/p-heal'), firing.join(', '));
  });

  // Alerts sent straight to the real Alertmanager with the shipped inhibit rules; jobs of their own, so the
  // daemon's alerts above are not involved.
  const post = async (labels: Record<string, string>) => {
    const response = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { labels: { severity: 'critical', ...labels }, startsAt: new Date().toISOString() },
      ]),
    });
    assert.ok(response.ok, await response.text());
  };
  // As the rules make it: replicas aggregated away, no instance label.
  const planeFailed = (job: string) => ({
    alertname: 'PlanecheckPlaneFailed',
    job,
    workload_plane: `p-${job}`,
  });
  const suppressed = (job: string, alertname: string) =>
    eventually(
      async () => {
        const response = await fetch(`${amUrl}/api/v2/alerts?filter=job%3D%22${job}%22`);
        const alerts = (await response.json()) as {
          labels: Record<string, string>;
          status: { state: string; inhibitedBy: string[] };
        }[];
        const alert = alerts.find((a) => a.labels.alertname === alertname);
        return alert?.status.state === 'suppressed' ? alert : undefined;
      },
      20_000,
      `${alertname} of ${job} suppressed`,
    );

  it('PlanecheckMetricsAbsent (no target at all, as in a Kubernetes rollout) mutes the per-plane alerts of its job', async () => {
    await post({ alertname: 'PlanecheckMetricsAbsent', job: 'planecheck-k8s' });
    await eventually(
      () =>
        findNotified(
          (a) => a.labels.alertname === 'PlanecheckMetricsAbsent' && a.labels.job === 'planecheck-k8s',
        ),
      20_000,
      'the MetricsAbsent page',
    );
    await post(planeFailed('planecheck-k8s'));
    const inhibited = await suppressed('planecheck-k8s', 'PlanecheckPlaneFailed');
    assert.equal(inhibited.status.inhibitedBy.length, 1);
    // The same alert of another job is not muted; once it is notified, the muted group has been flushed too.
    await post(planeFailed('planecheck-other'));
    await eventually(
      () => findNotified((a) => a.labels.workload_plane === 'p-planecheck-other'),
      20_000,
      "the other job's PlaneFailed page",
    );
    assert.ok(!notified().some((a) => a.labels.workload_plane === 'p-planecheck-k8s'));
  });

  it('PlanecheckFleetDown mutes the per-plane alerts and MetricsAbsent of its job; PlanecheckReplicaDown mutes nothing', async () => {
    await post({ alertname: 'PlanecheckFleetDown', job: 'planecheck-fleet' });
    await eventually(
      () =>
        findNotified(
          (a) => a.labels.alertname === 'PlanecheckFleetDown' && a.labels.job === 'planecheck-fleet',
        ),
      20_000,
      'the FleetDown page',
    );
    await post(planeFailed('planecheck-fleet'));
    await post({ alertname: 'PlanecheckMetricsAbsent', job: 'planecheck-fleet' });
    await suppressed('planecheck-fleet', 'PlanecheckPlaneFailed');
    await suppressed('planecheck-fleet', 'PlanecheckMetricsAbsent');
    // One replica of another fleet down: its planes still page.
    await post({
      alertname: 'PlanecheckReplicaDown',
      job: 'planecheck-half',
      instance: 'b:9464',
      severity: 'warning',
    });
    await post(planeFailed('planecheck-half'));
    await eventually(
      () => findNotified((a) => a.labels.workload_plane === 'p-planecheck-half'),
      20_000,
      "the half fleet's PlaneFailed page",
    );
    assert.ok(
      !notified().some(
        (a) => a.labels.job === 'planecheck-fleet' && a.labels.alertname !== 'PlanecheckFleetDown',
      ),
    );
  });
});
