import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PodMonitor, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { load as parse, loadAll } from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { parseConfig } from '../src/config/parse.js';
import { parsePairs, parseStages } from './helpers/dockerfile.js';
import { ROOT } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

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
    assert.match(output, /SUCCESS: 20 rules found/);
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

/**
 * `systemd-analyze verify` on a copy of `unit`: systemd's own parser and checks. It exits 0 on unknown keys
 * and bad values, warning on stderr, so any output counts as a finding.
 */
function verifyUnit(unit: string): { code: number | null; output: string } {
  const dir = tempDir('planecheck-unit-');
  const path = join(dir, 'planecheck.service');
  // verify checks that ExecStart's program exists: point it at this machine's Node, wherever it is.
  writeFileSync(path, unit.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `));
  const run = spawnSync('systemd-analyze', ['verify', '--man=no', path], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (run.error)
    throw new Error(
      `systemd-analyze could not run (${run.error.message}); install the Debian package "systemd"`,
    );
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>;

/** The schema model for each apiVersion/kind the manifests use (kubernetes-models, generated from the OpenAPI specs). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
};

/** Schema errors of one manifest, or undefined when it is valid. */
function schemaErrors(doc: Manifest): string | undefined {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) return `no schema for ${doc.apiVersion}/${doc.kind}: add its kubernetes-models class`;
  try {
    new Model(doc as never).validate();
    return undefined;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('deploy/systemd/planecheck.service', () => {
  const unit = read('deploy/systemd/planecheck.service');

  it('systemd-analyze verify accepts it without a warning', () => {
    const { code, output } = verifyUnit(unit);
    assert.equal(code, 0, output);
    assert.equal(output, '');
  });

  it('systemd-analyze verify reports a misspelt setting and a bad value (so the check above can fail)', () => {
    const { output } = verifyUnit(
      unit
        .replace('NoNewPrivileges=yes', 'NoNewPrivilegs=yes')
        .replace('ProtectSystem=strict', 'ProtectSystem=strickt'),
    );
    assert.match(output, /Unknown key( name)? 'NoNewPrivilegs'/);
    assert.match(output, /strickt/);
  });

  it('runs the daemon hardened, reloads it with SIGHUP, and leaves it stopped on a configuration error (exit 2)', () => {
    // What systemd accepts is checked above; this is what planecheck needs of it.
    const settings = new Map<string, string[]>();
    for (const line of unit.split('\n')) {
      const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (match?.[1]) settings.set(match[1], [...(settings.get(match[1]) ?? []), match[2] ?? '']);
    }
    const one = (key: string) => settings.get(key)?.[0];
    assert.match(one('ExecStart') ?? '', /dist\/daemon\.js --config \//);
    assert.equal(one('DynamicUser'), 'yes');
    assert.equal(one('ProtectSystem'), 'strict');
    assert.equal(one('StateDirectory'), 'planecheck');
    assert.equal(one('NoNewPrivileges'), 'yes');
    assert.equal(one('RestartPreventExitStatus'), '2');
    assert.equal(one('ExecReload'), '/bin/kill -HUP $MAINPID', 'systemctl reload re-reads the config');
  });
});

describe('deploy/kubernetes/planecheck.yaml', () => {
  const docs = loadAll(read('deploy/kubernetes/planecheck.yaml')) as Manifest[];
  const byKind = new Map(docs.map((doc) => [doc.kind, doc]));

  it('every manifest validates against its Kubernetes (or Prometheus Operator) schema', () => {
    assert.deepEqual(docs.map((doc) => doc.kind).sort(), [
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'Service',
      'ServiceMonitor',
    ]);
    for (const doc of docs) assert.equal(schemaErrors(doc), undefined, `${doc.kind} ${doc.metadata.name}`);
  });

  it('the schema check finds a wrongly typed field (so the check above can fail)', () => {
    const deployment = structuredClone(byKind.get('Deployment')) as unknown as DeploymentSpec;
    const container = deployment.spec.template.spec.containers[0];
    assert.ok(container);
    container.ports = [{ name: 'http', containerPort: '9464' as unknown as number }];
    assert.match(schemaErrors(deployment as unknown as Manifest) ?? '', /containerPort must be integer/);
    const monitor = structuredClone(byKind.get('ServiceMonitor')) as Manifest & {
      spec: { endpoints: unknown };
    };
    monitor.spec.endpoints = 'http';
    assert.match(schemaErrors(monitor) ?? '', /endpoints must be array/);
  });

  interface Container {
    image: string;
    command?: string[];
    args?: string[];
    ports: { name: string; containerPort: number }[];
    startupProbe: { httpGet: { path: string; port: string } };
    livenessProbe: { httpGet: { path: string; port: string } };
    readinessProbe: { httpGet: { path: string; port: string } };
    volumeMounts: { name: string; mountPath: string }[];
  }
  interface DeploymentSpec {
    spec: {
      template: {
        metadata: { labels: Record<string, string> };
        spec: {
          automountServiceAccountToken?: boolean;
          securityContext: { runAsUser: number; runAsNonRoot: boolean };
          containers: Container[];
        };
      };
    };
  }
  const deployment = byKind.get('Deployment') as unknown as DeploymentSpec;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0] as Container;

  it('probes /healthz (startup, liveness) and /readyz (readiness) on the daemon port; no API token in the pod', () => {
    assert.equal(container.startupProbe.httpGet.path, '/healthz');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe])
      assert.ok(container.ports.some((port) => port.name === probe.httpGet.port));
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.securityContext.runAsNonRoot, true);
  });

  it('runs the image the Dockerfile builds, as it is built to run', () => {
    const stages = parseStages(read('Dockerfile'));
    const runtime = stages.at(-1);
    assert.ok(runtime);
    const labels = new Map(
      runtime.steps.filter((step) => step.keyword === 'LABEL').flatMap((step) => [...parsePairs(step.args)]),
    );
    const source = labels.get('org.opencontainers.image.source') ?? '';
    const repository = /^https:\/\/github\.com\/(.+)$/.exec(source)?.[1];
    assert.ok(repository, 'the Dockerfile labels its source repository');
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    // .github/workflows/container-image.yml pushes ghcr.io/<repository>:<version> for tag v<version>.
    assert.equal(container.image, `ghcr.io/${repository}:${version}`);
    assert.equal(container.command, undefined, "the image's own command");
    assert.equal(container.args, undefined, "the image's own arguments");
    const env = new Map(
      runtime.steps.filter((step) => step.keyword === 'ENV').flatMap((step) => [...parsePairs(step.args)]),
    );
    const mounts = new Map(container.volumeMounts.map((mount) => [mount.name, mount.mountPath]));
    assert.equal(`${mounts.get('config')}/planecheck.yaml`, env.get('PLANECHECK_CONFIG'));
    const workdir = runtime.steps.filter((step) => step.keyword === 'WORKDIR').at(-1)?.args;
    assert.equal(mounts.get('state'), workdir, 'the state volume is where the image keeps the database');
    const exposed = runtime.steps.find((step) => step.keyword === 'EXPOSE')?.args;
    assert.deepEqual(
      container.ports.map((port) => String(port.containerPort)),
      [exposed],
    );
    // The "node" user of the official Node images.
    assert.equal(pod.securityContext.runAsUser, 1000);
  });

  it('the Service and ServiceMonitor find the pod, and kube-prometheus-stack finds the ServiceMonitor', () => {
    const service = byKind.get('Service') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: { selector: Record<string, string>; ports: { name: string }[] };
    };
    const monitor = byKind.get('ServiceMonitor') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: {
          path: string;
          port: string;
          relabelings?: { targetLabel?: string; replacement?: string; action?: string }[];
        }[];
      };
    };
    const podLabels = deployment.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(service.spec.selector)) assert.equal(podLabels[key], value);
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels))
      assert.equal(service.metadata.labels[key], value);
    assert.equal(monitor.spec.endpoints[0]?.path, '/metrics');
    assert.ok(service.spec.ports.some((port) => port.name === monitor.spec.endpoints[0]?.port));
    assert.equal(monitor.metadata.labels.release, 'kube-prometheus-stack');
    // One instance across rollouts (Recreate makes a new pod IP each time), so alerts keep their labels.
    assert.deepEqual(
      monitor.spec.endpoints[0]?.relabelings?.filter((r) => r.targetLabel === 'instance'),
      [{ targetLabel: 'instance', replacement: 'planecheck' }],
    );
  });

  it('the ConfigMap holds a valid planecheck config listening on every interface', () => {
    const configMap = byKind.get('ConfigMap') as unknown as { data: Record<string, string> };
    const config = parseConfig(configMap.data['planecheck.yaml'] ?? '', {
      PLATFORM_API_KEY: 'k',
      GITHUB_TOKEN: 't',
    });
    assert.equal(config.server.listen, '0.0.0.0:9464');
    assert.equal(config.storage.path, '/var/lib/planecheck/planecheck.db');
  });
});

describe('deploy/kubernetes/planecheck-fleet.yaml', () => {
  const docs = loadAll(read('deploy/kubernetes/planecheck-fleet.yaml')) as Manifest[];
  const byKind = new Map(docs.map((doc) => [doc.kind, doc]));
  const single = new Map(
    (loadAll(read('deploy/kubernetes/planecheck.yaml')) as Manifest[]).map((doc) => [doc.kind, doc]),
  );

  interface Probe {
    httpGet: { path: string; port: string };
  }
  interface FleetContainer {
    image: string;
    ports: { name: string; containerPort: number }[];
    env: {
      name: string;
      valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string } };
    }[];
    startupProbe: Probe;
    livenessProbe: Probe;
    readinessProbe: Probe;
  }
  interface FleetDeployment {
    spec: {
      replicas: number;
      selector: { matchLabels: Record<string, string> };
      template: {
        metadata: { labels: Record<string, string> };
        spec: {
          automountServiceAccountToken?: boolean;
          securityContext: { runAsNonRoot: boolean };
          containers: FleetContainer[];
          volumes: Record<string, unknown>[];
          topologySpreadConstraints: {
            topologyKey: string;
            labelSelector: { matchLabels: Record<string, string> };
          }[];
        };
      };
    };
  }
  const deployment = byKind.get('Deployment') as unknown as FleetDeployment;
  const pod = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata.labels;
  const container = pod.containers[0] as FleetContainer;
  const selects = (selector: Record<string, string>) =>
    Object.entries(selector).every(([key, value]) => podLabels[key] === value);

  it('every manifest validates against its Kubernetes (or Prometheus Operator) schema', () => {
    assert.deepEqual(docs.map((doc) => doc.kind).sort(), [
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'PodMonitor',
      'Service',
    ]);
    for (const doc of docs) assert.equal(schemaErrors(doc), undefined, `${doc.kind} ${doc.metadata.name}`);
    const broken = structuredClone(byKind.get('PodMonitor')) as Manifest & {
      spec: { podMetricsEndpoints: unknown };
    };
    broken.spec.podMetricsEndpoints = 'http';
    assert.match(schemaErrors(broken) ?? '', /podMetricsEndpoints must be array/);
  });

  it('runs several replicas, spread over nodes, with no volume for state and no API token', () => {
    assert.ok(deployment.spec.replicas >= 2);
    assert.ok(selects(deployment.spec.selector.matchLabels));
    assert.ok(
      pod.topologySpreadConstraints.some(
        (c) => c.topologyKey === 'kubernetes.io/hostname' && selects(c.labelSelector.matchLabels),
      ),
      'spread over nodes',
    );
    assert.ok(!pod.volumes.some((volume) => 'persistentVolumeClaim' in volume), 'no volume claim');
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    const budget = byKind.get('PodDisruptionBudget') as unknown as {
      spec: {
        maxUnavailable?: number;
        minAvailable?: number;
        selector: { matchLabels: Record<string, string> };
      };
    };
    assert.ok(selects(budget.spec.selector.matchLabels));
    const left = budget.spec.minAvailable ?? deployment.spec.replicas - (budget.spec.maxUnavailable ?? 0);
    assert.ok(left >= 1 && left < deployment.spec.replicas, 'a drain can take one replica, never all');
  });

  it('the same image and probes as planecheck.yaml; the instance name is the pod name; the password from a Secret', () => {
    const one = (single.get('Deployment') as unknown as FleetDeployment).spec.template.spec.containers[0];
    assert.ok(one);
    assert.equal(container.image, one.image);
    assert.deepEqual(container.ports, one.ports);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const)
      assert.deepEqual(container[probe], one[probe], probe);
    const env = new Map(container.env.map((variable) => [variable.name, variable.valueFrom]));
    assert.equal(env.get('PLANECHECK_INSTANCE')?.fieldRef?.fieldPath, 'metadata.name');
    assert.equal(env.get('PLANECHECK_PG_PASSWORD')?.secretKeyRef?.name, 'planecheck-postgres');
  });

  it('the PodMonitor scrapes every pod as its own target, under the job the rules select', () => {
    const monitor = byKind.get('PodMonitor') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: {
        jobLabel: string;
        selector: { matchLabels: Record<string, string> };
        podMetricsEndpoints: { port: string; path: string; relabelings?: { targetLabel?: string }[] }[];
      };
    };
    assert.ok(selects(monitor.spec.selector.matchLabels));
    const endpoint = monitor.spec.podMetricsEndpoints[0];
    assert.equal(endpoint?.path, '/metrics');
    assert.ok(container.ports.some((port) => port.name === endpoint?.port));
    // A fixed instance (as planecheck.yaml's ServiceMonitor sets) would merge the replicas' series.
    assert.ok(!endpoint?.relabelings?.some((r) => r.targetLabel === 'instance'));
    const jobSelector = (parse(read('deploy/mixin/config.yaml')) as { jobSelector: string }).jobSelector;
    assert.equal(`job="${podLabels[monitor.spec.jobLabel]}"`, jobSelector);
    assert.equal(monitor.metadata.labels.release, 'kube-prometheus-stack');
    const service = byKind.get('Service') as unknown as { spec: { selector: Record<string, string> } };
    assert.ok(selects(service.spec.selector));
  });

  it('the ConfigMap holds the single-replica config with PostgreSQL storage', () => {
    const text =
      (byKind.get('ConfigMap') as unknown as { data: Record<string, string> }).data['planecheck.yaml'] ?? '';
    const singleText =
      (single.get('ConfigMap') as unknown as { data: Record<string, string> }).data['planecheck.yaml'] ?? '';
    const withoutStorage = (config: string) => config.replace(/^storage: .*$/m, '');
    assert.equal(withoutStorage(text), withoutStorage(singleText));
    const config = parseConfig(text, {
      PLATFORM_API_KEY: 'k',
      GITHUB_TOKEN: 't',
      PLANECHECK_PG_PASSWORD: 'pw',
    });
    assert.equal(
      (config.storage as { url?: string }).url,
      'postgres://planecheck:pw@postgres:5432/planecheck',
    );
  });
});

describe('deployment files', () => {
  it('the README links every file under deploy/ and the runbook', () => {
    const readme = read('README.md');
    const files = ['docs/runbook.md'];
    for (const dir of readdirSync(join(ROOT, 'deploy'))) {
      for (const file of readdirSync(join(ROOT, 'deploy', dir))) files.push(`deploy/${dir}/${file}`);
    }
    for (const file of files) assert.ok(readme.includes(`](${file})`), `README links ${file}`);
  });
});
