import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { parseCopy, parsePairs, parseStages, type Stage } from './helpers/dockerfile.js';
import { freePort } from './helpers/pushgateway.js';
import { ROOT } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = parseStages(dockerfile);
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** What a stage leaves behind: its file system (a directory here), environment, user, command. */
interface BuiltStage {
  root: string;
  workdir: string;
  env: Map<string, string>;
  user?: string;
  exposed: string[];
  cmd?: string[];
}

/** A path in a stage's file system, as a path on this machine. */
const onHost = (stage: BuiltStage, path: string) => join(stage.root, posix.resolve(stage.workdir, path));

// RUN steps that change the system rather than the build: a Docker engine runs them as root in the image;
// here each is checked or done by hand instead, and any other RUN step runs as it is.
const TOOLCHAIN =
  /^apt-get update && apt-get install -y --no-install-recommends ([\w+ -]+?) && rm -rf \/var\/lib\/apt\/lists\/\*$/;
const STATE_DIR = /^mkdir -p (\/\S+) && chown node:node \1$/;
const TOOL_OF_PACKAGE: Record<string, string> = { python3: 'python3', make: 'make', 'g++': 'g++' };

/**
 * Runs one stage of the Dockerfile in a directory: WORKDIR, ENV and COPY as Docker would (COPY from the
 * build context, minus .dockerignore, or from an earlier stage), RUN steps with sh in the working directory.
 */
function buildStage(stage: Stage, root: string, built: Map<string, BuiltStage>): BuiltStage {
  const result: BuiltStage = { root, workdir: '/', env: new Map(), exposed: [] };
  mkdirSync(root, { recursive: true });
  for (const { keyword, args } of stage.steps) {
    switch (keyword) {
      case 'WORKDIR':
        result.workdir = posix.resolve(result.workdir, args);
        mkdirSync(onHost(result, '.'), { recursive: true });
        break;
      case 'ENV':
        for (const [key, value] of parsePairs(args)) result.env.set(key, value);
        break;
      case 'COPY': {
        const { from, sources, dest } = parseCopy(args);
        const source = from === undefined ? undefined : built.get(from);
        if (from !== undefined && !source) throw new Error(`COPY --from=${from}: no such stage`);
        for (const path of sources) {
          if (!source)
            assert.ok(!ignored.includes(path.replace(/\/$/, '')), `.dockerignore leaves out ${path}`);
          const input = source ? join(source.root, path) : join(ROOT, path);
          assert.ok(existsSync(input), `COPY ${path}: not found`);
          const into = dest.endsWith('/') || sources.length > 1;
          const target = into ? join(onHost(result, dest), posix.basename(path)) : onHost(result, dest);
          mkdirSync(dirname(target), { recursive: true });
          cpSync(input, target, { recursive: true });
        }
        break;
      }
      case 'RUN': {
        const toolchain = TOOLCHAIN.exec(args);
        const stateDir = STATE_DIR.exec(args);
        if (toolchain?.[1]) {
          for (const pkg of toolchain[1].split(' ')) {
            const tool = TOOL_OF_PACKAGE[pkg];
            assert.ok(tool, `the test knows which tool the package ${pkg} brings`);
            const found = spawnSync('sh', ['-c', `command -v ${tool}`]);
            assert.equal(found.status, 0, `${tool} (from ${pkg}) is installed here`);
          }
        } else if (stateDir?.[1]) {
          mkdirSync(join(root, stateDir[1]), { recursive: true });
        } else {
          const run = spawnSync('sh', ['-c', args], {
            cwd: onHost(result, '.'),
            // Like a fresh image: only PATH and HOME from outside, and npm may use its local cache.
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              npm_config_prefer_offline: 'true',
              ...Object.fromEntries(result.env),
            },
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          });
          assert.equal(run.status, 0, `RUN ${args} failed:\n${run.stdout}\n${run.stderr}`);
        }
        break;
      }
      case 'USER':
        result.user = args;
        break;
      case 'EXPOSE':
        result.exposed.push(...args.split(/\s+/));
        break;
      case 'CMD':
        result.cmd = JSON.parse(args) as string[];
        break;
      case 'LABEL':
      case 'HEALTHCHECK':
      case 'ARG':
        break;
      default:
        throw new Error(`the test does not know how to run ${keyword}`);
    }
  }
  return result;
}

describe('the container image (Dockerfile), built without a Docker engine', () => {
  const platform = new SandboxPlatform({ apiKey: 'image-key', planes: { 'us-east-1': 'healthy' } });
  const dir = tempDir('planecheck-image-');
  before(() => platform.start());
  after(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is multi-stage: a build stage with the toolchain, a runtime stage on the same Node image as user node', () => {
    assert.deepEqual(
      stages.map((stage) => stage.name),
      ['build', 'runtime'],
    );
    const [build, runtime] = stages;
    assert.equal(build?.image, runtime?.image);
    const major = /^node:(\d+)[.-]/.exec(build?.image ?? '');
    assert.ok(major?.[1] && Number(major[1]) >= 22, `${build?.image}: a Node that meets engines (>=20.19)`);
    assert.ok(build?.steps.some((step) => step.keyword === 'RUN' && TOOLCHAIN.test(step.args)));
    assert.ok(!runtime?.steps.some((step) => step.keyword === 'RUN' && TOOLCHAIN.test(step.args)));
    assert.ok(runtime?.steps.some((step) => step.keyword === 'USER' && step.args === 'node'));
  });

  it(
    'builds and installs as its steps say, and the runtime stage starts the daemon that answers /healthz',
    { timeout: 25 * 60_000 },
    async () => {
      const built = new Map<string, BuiltStage>();
      for (const stage of stages) built.set(stage.name, buildStage(stage, join(dir, stage.name), built));
      const runtime = built.get('runtime');
      assert.ok(runtime?.cmd, 'the runtime stage has a CMD');
      assert.equal(runtime.user, 'node');
      assert.deepEqual(runtime.exposed, ['9464']);

      // Production dependencies only, with the native addon built.
      const modules = join(runtime.root, 'app/node_modules');
      assert.ok(
        existsSync(join(modules, 'better-sqlite3/build/Release/better_sqlite3.node')),
        'the addon is built',
      );
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        devDependencies: Record<string, string>;
      };
      const present = new Set(
        readdirSync(modules).flatMap((name) =>
          name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name],
        ),
      );
      for (const dev of Object.keys(pkg.devDependencies))
        assert.ok(!present.has(dev), `the devDependency ${dev} is pruned`);

      // The config where a Kubernetes ConfigMap or a bind mount puts it.
      const configPath = runtime.env.get('PLANECHECK_CONFIG');
      assert.equal(configPath, '/etc/planecheck/planecheck.yaml');
      mkdirSync(join(runtime.root, dirname(configPath)), { recursive: true });
      writeFileSync(
        join(runtime.root, configPath),
        `platform: { controlPlaneUrl: "${platform.url}", apiKey: image-key }\nworkloadPlanes:\n  - { name: us-east-1, inferenceUrl: "${platform.inferenceUrl('us-east-1')}" }\n`,
      );

      // The CMD as the image runs it, on a free loopback port instead of 0.0.0.0:9464 (shared machine).
      const [command, ...args] = runtime.cmd;
      assert.equal(command, 'node');
      const listen = args.indexOf('--listen');
      assert.equal(args[listen + 1], '0.0.0.0:9464', 'listens on every interface in a container');
      const port = await freePort();
      args[listen + 1] = `127.0.0.1:${port}`;
      const hostArgs = args.map((arg) => (arg.startsWith('/') ? join(runtime.root, arg) : arg));
      const child = spawn(process.execPath, hostArgs, {
        cwd: onHost(runtime, '.'),
        env: {
          PATH: process.env.PATH,
          ...Object.fromEntries(runtime.env),
          PLANECHECK_CONFIG: join(runtime.root, configPath),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        const checked = new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            if (/"msg":"check finished"|"msg":"cycle finished"/.test(output)) resolve();
          });
          child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
          void exited.then((code) => reject(new Error(`the daemon exited (${code}):\n${output}`)));
        });
        await checked;
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        assert.equal(health.status, 200);
        assert.equal(await health.text(), 'ok\n');
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        assert.match(metrics, /planecheck_status\{workload_plane="us-east-1",status="HEALTHY"\} 1/);
        // The default storage.path is relative: the database lands in the state directory (the WORKDIR).
        assert.equal(runtime.workdir, '/var/lib/planecheck');
        assert.ok(
          existsSync(join(runtime.root, 'var/lib/planecheck/planecheck.db')),
          'SQLite database created',
        );
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, output);
    },
  );
});
