import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { ROOT, runNode } from './helpers/run.js';
import { startHttpsServer, TLS_FIXTURES } from './helpers/servers.js';

describe('planecheck CLI (dist/cli.js as a child process)', () => {
  const sandbox = new SandboxPlatform({
    apiKey: 'cli-secret-key',
    planes: { 'us-east-1': 'healthy', 'eu-west-1': 'no_user', 'ap-south-1': 'predict_500' },
  });
  let dir = '';
  const configFor = async (
    name: string,
    planes: string[],
    inferenceUrl = (plane: string) => sandbox.inferenceUrl(plane),
  ): Promise<string> => {
    const path = join(dir, `${name}.yaml`);
    await writeFile(
      path,
      `platform:
  controlPlaneUrl: "${sandbox.url}"
  apiKey: \${PLATFORM_API_KEY}
  requestTimeout: 2s
  pollInterval: 20ms
workloadPlanes:
${planes.map((plane) => `  - { name: ${plane}, inferenceUrl: "${inferenceUrl(plane)}" }`).join('\n')}
`,
    );
    return path;
  };
  const env = { PATH: process.env.PATH, PLATFORM_API_KEY: 'cli-secret-key' };

  before(async () => {
    await sandbox.start();
    dir = await mkdtemp(join(tmpdir(), 'planecheck-cli-'));
  });
  after(() => sandbox.close());

  it('exits 0 and prints a table when every plane is healthy', async () => {
    const config = await configFor('healthy', ['us-east-1']);
    const run = await runNode(['dist/cli.js', 'check', '--config', config], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^PLANE\s+STATUS\s+REASON/m);
    assert.match(run.stdout, /us-east-1\s+HEALTHY/);
    assert.match(run.stdout, /1 plane: 1 HEALTHY/);
  });

  it('exits 1 when any plane is unhealthy, and --json reports every plane', async () => {
    const config = await configFor('mixed', ['us-east-1', 'eu-west-1', 'ap-south-1']);
    const run = await runNode(['dist/cli.js', 'check', '--config', config, '--json'], { env });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as {
      planes: { name: string; status: string; reason: string | null; steps: unknown[] }[];
    };
    assert.deepEqual(
      report.planes.map((plane) => [plane.name, plane.status, plane.reason]),
      [
        ['us-east-1', 'HEALTHY', null],
        ['eu-west-1', 'NO_USER', 'user_not_found'],
        ['ap-south-1', 'FAILED', 'predict_http_500'],
      ],
    );
    assert.equal(report.planes[0]?.steps.length, 4);
    assert.ok(!run.stdout.includes('cli-secret-key'));
  });

  it('reaches an HTTPS plane whose certificate a private CA signed, once NODE_EXTRA_CA_CERTS names that CA', async () => {
    // The plane's inference endpoint over HTTPS: a proxy in front of the sandbox's.
    const proxy = await startHttpsServer((req, res) => {
      const upstream = httpRequest(new URL(req.url ?? '/', sandbox.url), {
        method: req.method,
        headers: req.headers,
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    try {
      const config = await configFor('tls', ['us-east-1'], (plane) => `${proxy.url}/planes/${plane}`);
      const untrusted = await runNode(['dist/cli.js', 'check', '--config', config, '--json'], { env });
      assert.equal(untrusted.code, 1, untrusted.stderr);
      const failed = JSON.parse(untrusted.stdout) as {
        planes: { status: string; reason: string; steps: { step: string; detail?: string }[] }[];
      };
      assert.equal(failed.planes[0]?.status, 'FAILED');
      assert.equal(failed.planes[0]?.reason, 'predict_tls_error');
      const predict = failed.planes[0]?.steps.find((step) => step.step === 'predict');
      assert.equal(predict?.detail, 'TLS error (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');

      const caFile = fileURLToPath(new URL('ca.pem', TLS_FIXTURES));
      const trusted = await runNode(['dist/cli.js', 'check', '--config', config], {
        env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
      });
      assert.equal(trusted.code, 0, trusted.stdout + trusted.stderr);
      assert.match(trusted.stdout, /us-east-1\s+HEALTHY/);
    } finally {
      await proxy.close();
    }
  });

  it('checks only the planes named with --plane, from PLANECHECK_CONFIG', async () => {
    const config = await configFor('subset', ['us-east-1', 'eu-west-1']);
    const run = await runNode(['dist/cli.js', 'check', '--plane', 'us-east-1', '--json'], {
      env: { ...env, PLANECHECK_CONFIG: config },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      (JSON.parse(run.stdout) as { planes: { name: string }[] }).planes.map((plane) => plane.name),
      ['us-east-1'],
    );
  });

  it('exits 2 on usage and config errors, naming the problem', async () => {
    const config = await configFor('usage', ['us-east-1']);
    const cases: [string[], RegExp][] = [
      [['dist/cli.js', 'check'], /no config: pass --config FILE or set PLANECHECK_CONFIG/],
      [['dist/cli.js', 'check', '--config', config, '--plane', 'mars-1'], /no plane named mars-1/],
      [['dist/cli.js', 'check', '--config', config, '--bogus'], /Unknown option '--bogus'/],
      [['dist/cli.js', 'frobnicate'], /unknown command "frobnicate"/],
      [['dist/cli.js', 'check', '--config', join(dir, 'missing.yaml')], /file not found/],
    ];
    for (const [args, message] of cases) {
      const run = await runNode(args, { env });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it('validate accepts a good config and names the field of a bad one', async () => {
    const good = await configFor('good', ['us-east-1']);
    const ok = await runNode(['dist/cli.js', 'validate', '--config', good], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /config is valid: 1 workload planes \(us-east-1\)/);

    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      // The secret lands in a field whose error quotes the value: only redaction keeps it out of the output.
      `schedule: { interval: "\${PLATFORM_API_KEY}" }
platform: { controlPlaneUrl: "${sandbox.url}", apiKey: "\${PLATFORM_API_KEY}" }
workloadPlanes:
  - { name: a, inferenceUrl: "http://a" }
  - { name: b, inferenceUrl: "http://b" }
  - { name: c, inferenceUrl: "not a url" }
`,
    );
    const run = await runNode(['dist/cli.js', 'validate', '--config', bad], { env });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /workloadPlanes\[2\]\.inferenceUrl: invalid URL/);
    assert.match(run.stderr, /schedule\.interval: invalid duration "\[redacted\]"/);
    assert.ok(!run.stderr.includes('cli-secret-key'), run.stderr);
  });

  it("ends quietly, with the checks' exit code, when its output's reader has gone (`| head`)", async () => {
    const config = await configFor('closed-pipe', ['us-east-1', 'ap-south-1']);
    const child = spawn(process.execPath, ['dist/cli.js', 'check', '--config', config], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // every line the CLI writes meets a closed pipe (EPIPE)
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 1, 'ap-south-1 is FAILED');
  });

  it('documents both commands in --help', async () => {
    const run = await runNode(['dist/cli.js', '--help'], { env });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /planecheck check --config FILE/);
    assert.match(run.stdout, /planecheck validate --config FILE/);
  });
});
