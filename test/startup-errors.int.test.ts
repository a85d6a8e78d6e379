import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NODE_FLOOR, unsupportedNode } from '../src/util/node-floor.js';
import { ROOT, runNode } from './helpers/run.js';
import { tempDir } from './helpers/tmp.js';

// Preloaded before the entry: this process then reports itself as Node 20.14.0, the last release without
// zlib.crc32. A test-side preload, not a switch in planecheck.
const AS_NODE_20_14 = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.14.0"})`;

describe('start-up problems: one line, exit 2, nothing created', () => {
  it('is the same in package.json engines and in the start-up check', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${NODE_FLOOR}`);
  });

  for (const [version, ok] of [
    ['20.14.0', false],
    ['20.18.1', false],
    ['20.19.0', true],
    ['20.20.2', true],
    ['18.20.4', false],
    ['22.0.0', true],
    ['24.21.0', true],
    ['v20.9.1', false],
  ] as const) {
    it(`${version} is ${ok ? 'supported' : 'refused'}`, () => {
      assert.equal(unsupportedNode(version) === undefined, ok);
    });
  }

  it('an older Node gets one line and exit 2 from the daemon, before anything is created', async () => {
    const dir = tempDir();
    const config = join(dir, 'planecheck.yaml');
    const database = join(dir, 'planecheck.db');
    writeFileSync(
      config,
      `platform: { controlPlaneUrl: "http://127.0.0.1:9", apiKey: k }\nworkloadPlanes: [{ name: a, inferenceUrl: "http://127.0.0.1:9" }]\nstorage: { path: "${database}" }\n`,
    );
    const run = await runNode(['--import', AS_NODE_20_14, 'dist/daemon.js', '--config', config], {
      timeoutMs: 10_000,
    });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stderr,
      `planecheck: planecheck needs Node.js ${NODE_FLOOR} or newer; this is 20.14.0\n`,
    );
    assert.ok(!existsSync(database), 'no database was created');
  });

  it('an unreadable GitHub App key names the field and the file, before the database is created', async () => {
    const dir = tempDir();
    const config = join(dir, 'planecheck.yaml');
    const database = join(dir, 'planecheck.db');
    const key = join(dir, 'missing.pem');
    writeFileSync(
      config,
      `platform: { controlPlaneUrl: "http://127.0.0.1:9", apiKey: k }
workloadPlanes: [{ name: a, inferenceUrl: "http://127.0.0.1:9" }]
storage: { path: "${database}" }
selfHeal: { enabled: true, repository: acme/platform }
github: { app: { appId: 1, installationId: 2, privateKeyPath: "${key}" } }
`,
    );
    const run = await runNode(['dist/daemon.js', '--config', config], { timeoutMs: 10_000 });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stderr,
      `${config} is invalid:\n  github.app.privateKeyPath: cannot read ${key}: file not found\n`,
    );
    assert.ok(!existsSync(database), 'no database was created');
  });

  it('and from the CLI', async () => {
    const run = await runNode(['--import', AS_NODE_20_14, 'dist/cli.js', '--help'], { timeoutMs: 10_000 });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stderr,
      `planecheck: planecheck needs Node.js ${NODE_FLOOR} or newer; this is 20.14.0\n`,
    );
  });
});
