import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_PLANES } from '../src/sandbox/demo.js';
import { eventually, startDaemon } from './helpers/daemon.js';
import { ROOT, runNode } from './helpers/run.js';
import { startSilentServer } from './helpers/servers.js';

interface PlaneView {
  name: string;
  status: string;
  reason: string | null;
}

/** What each demo plane shows after its first check, before self-heal repairs anything. */
const FIRST_STATUS: Record<string, [status: string, reason: string | null]> = {
  'us-east-1': ['HEALTHY', null],
  'us-west-2': ['HEALTHY', null],
  'eu-west-1': ['NO_USER', 'user_not_found'],
  'eu-central-1': ['NO_ORACLE', 'oracle_not_found'],
  'ap-south-1': ['FAILED', 'predict_http_500'],
  'ap-northeast-1': ['FAILED', 'async_predict_failed'],
  'sa-east-1': ['FAILED', 'predict_timeout'],
};

// `npm start` is `npm run build && node dist/daemon.js --demo`: this runs the built daemon the same way,
// on a free port so that it never meets a demo a developer has running on 9464.
describe('the demo (npm start)', () => {
  it('shows a plane in every state, says where to look, and self-heals the NO_USER and NO_ORACLE planes', async () => {
    assert.deepEqual(Object.keys(FIRST_STATUS).sort(), Object.keys(DEMO_PLANES).sort());
    const daemon = await startDaemon(['--demo', '--listen', '127.0.0.1:0']);
    try {
      // Printed to stderr right after the "planecheck started" line on stdout.
      const banner = await eventually(
        () => Promise.resolve(daemon.stderr().includes('Ctrl-C stops it') ? daemon.stderr() : undefined),
        5_000,
        'the demo banner',
      );
      for (const where of [`${daemon.url}/`, `${daemon.url}/api/v1/status`, `${daemon.url}/metrics`]) {
        assert.ok(banner.includes(where), `the banner names ${where}:\n${banner}`);
      }
      assert.match(banner, /sandbox admin http:\/\/127\.0\.0\.1:\d+\/admin\/planes/);

      const planes = async () =>
        ((await (await fetch(`${daemon.url}/api/v1/status`)).json()) as { planes: PlaneView[] }).planes;
      const first = new Map<string, [string, string | null]>();
      await eventually(
        async () => {
          for (const plane of await planes()) {
            if (plane.status !== 'NO_VALUE' && !first.has(plane.name)) {
              first.set(plane.name, [plane.status, plane.reason]);
            }
          }
          return first.size === Object.keys(FIRST_STATUS).length ? true : undefined;
        },
        15_000,
        'a first result for every demo plane',
      );
      assert.deepEqual(Object.fromEntries(first), FIRST_STATUS);

      const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
      assert.match(metrics, /^planecheck_status\{workload_plane="sa-east-1",status="FAILED"\} 1$/m);
      const page = await fetch(`${daemon.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /eu-central-1/);

      // Self-heal against the sandbox GitHub: dispatch, a 2 s queue and a 4 s run, then a re-check.
      await eventually(
        async () => {
          const now = await planes();
          const healed = ['eu-west-1', 'eu-central-1'].every(
            (name) => now.find((plane) => plane.name === name)?.status === 'HEALTHY',
          );
          return healed ? true : undefined;
        },
        30_000,
        'eu-west-1 and eu-central-1 to be repaired by self-heal',
      );
    } finally {
      assert.equal(await daemon.stop('SIGTERM'), 0);
    }
  });

  it('on a taken default port serves on a free one, says so, and removes its temp directory on SIGINT', async () => {
    // Hold 9464 (the demo's default) ourselves; if something else already holds it, it is taken all the same.
    const holder = createServer();
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false));
      holder.listen(9464, '127.0.0.1', () => resolve(true));
    });
    try {
      const daemon = await startDaemon(['--demo']);
      const started = daemon.logs.find((line) => line.msg === 'planecheck started') ?? {};
      const directory = dirname(String(started.storage));
      try {
        assert.doesNotMatch(daemon.url, /:9464$/);
        const banner = await eventually(
          () => Promise.resolve(daemon.stderr().includes('Ctrl-C stops it') ? daemon.stderr() : undefined),
          5_000,
          'the demo banner',
        );
        assert.match(
          banner,
          /planecheck demo: 127\.0\.0\.1:9464 is in use; serving on http:\/\/127\.0\.0\.1:\d+ instead/,
        );
        assert.ok(banner.includes(`${daemon.url}/api/v1/status`), 'the banner names the port it serves on');
        assert.equal((await fetch(`${daemon.url}/healthz`)).status, 200);
        assert.match(directory, /planecheck-demo-/);
        assert.ok(existsSync(directory), `the demo's directory ${directory} exists while it runs`);
      } finally {
        assert.equal(await daemon.stop('SIGINT'), 0);
      }
      assert.ok(!existsSync(directory), `the demo removed ${directory} on SIGINT`);
    } finally {
      if (held) await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('npm start: SIGTERM to npm stops the daemon too (npm execs it), leaving nothing listening', async () => {
    const npm = spawn('npm', ['start', '--', '--listen', '127.0.0.1:0'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const closed = once(npm, 'close');
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no 'planecheck started' line: ${output}`)), 60_000);
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /"msg":"planecheck started","url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
    });
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      npm.kill('SIGTERM');
      await closed;
    }
    await assert.rejects(fetch(`${url}/healthz`), 'the daemon ended with npm: nothing answers on its port');
  });

  it('exits at once, naming the option, on a bad --listen', async () => {
    const run = await runNode(['dist/daemon.js', '--demo', '--listen', 'localhost'], { timeoutMs: 10_000 });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--listen is invalid:\n {2}expected host:port, e\.g\. 127\.0\.0\.1:9464\n/);
  });

  it('exits 1 with "cannot listen" when an explicit --listen port is taken, leaving no sandbox or temp directory behind', async () => {
    const taken = await startSilentServer();
    const before = new Set(readdirSync(tmpdir()));
    try {
      // A hang here (the demo's sandbox servers holding the process) ends at the timeout, as code -1.
      const run = await runNode(['dist/daemon.js', '--demo', '--listen', `127.0.0.1:${taken.port}`], {
        timeoutMs: 10_000,
      });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^planecheck: cannot listen: listen EADDRINUSE/m);
      const directories = readdirSync(tmpdir()).filter((name) => name.startsWith('planecheck-demo-'));
      assert.deepEqual(
        directories.filter((name) => !before.has(name)),
        [],
        'a demo that could not start leaves no temp directory',
      );
    } finally {
      await taken.close();
    }
  });
});
