// A config reload (SIGHUP) that lands while other work is under way: self-heal deciding on a plane, the
// daemon starting. Real daemon processes, real HTTP, real SQLite.
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxGithub } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon } from './helpers/daemon.js';
import { reloadConfigYaml, sighupReload, type ReloadConfigOptions } from './helpers/reload.js';
import { tempDir } from './helpers/tmp.js';

const API_KEY = 'reload-race-key';
const TOKEN = 'ghp_reloadRaceToken00000000000000';
const env = { PLATFORM_API_KEY: API_KEY };

describe('a reload racing other work', () => {
  const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: {} });
  before(() => sandbox.start());
  after(() => sandbox.close());

  const configYaml = (planes: string[], dbPath: string, options: ReloadConfigOptions = {}) =>
    reloadConfigYaml(sandbox, planes, dbPath, options);

  /**
   * A daemon with self-heal on, whose GitHub holds the first workflow-runs listing (the look for a run
   * already going, just before a dispatch) until the test lets it through.
   */
  async function healRig(planes: string[]) {
    const github = new SandboxGithub({
      token: TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 200,
    });
    let letThrough = () => {};
    const released = new Promise<void>((resolve) => (letThrough = resolve));
    let markHeld = () => {};
    const held = new Promise<void>((resolve) => (markHeld = resolve));
    github.onRequest = async (request) => {
      if (request.method !== 'GET' || !/\/actions\/workflows\/[^/]+\/runs/.test(request.path)) return;
      markHeld();
      await released;
    };
    await github.start();
    const dir = tempDir('planecheck-reload-race-');
    const path = join(dir, 'planecheck.yaml');
    const dbPath = join(dir, 'planecheck.db');
    const extra = `selfHeal: { enabled: true, repository: acme/platform, runPollInterval: 100ms, maxPlanesAtOnce: 5 }
github: { apiUrl: "${github.url}", token: "${TOKEN}" }`;
    const write = (names: string[], planeFields?: Record<string, string>) =>
      writeFileSync(path, configYaml(names, dbPath, { extra, planeFields }));
    write(planes);
    const daemon = await startDaemon(['--config', path], env);
    /** Resolves once self-heal has decided on `plane` after the listing: dispatched, or held back. */
    const decided = (plane: string) =>
      daemon.waitForLog(
        (line) =>
          line.plane === plane &&
          (line.msg === 'self-heal dispatched the smoke-test workflow' ||
            line.msg === 'self-heal held back: it is off for this plane now'),
      );
    const dispatchedFor = (plane: string) => github.runs.filter((run) => run.inputs.workload_plane === plane);
    return { github, daemon, write, held, letThrough, decided, dispatchedFor };
  }

  it('turning self-heal off for a plane while its dispatch waits on GitHub stops that dispatch', async () => {
    const rig = await healRig(['rr-off', 'rr-other']);
    try {
      sandbox.setScenario('rr-off', 'no_user');
      // Self-heal decided to repair rr-off and is looking for a run already going before it dispatches.
      await rig.held;
      rig.write(['rr-off', 'rr-other'], { 'rr-off': 'selfHeal: { enabled: false }' });
      const line = await sighupReload(rig.daemon);
      assert.deepEqual(line.changed, ['rr-off']);
      rig.letThrough();
      await rig.decided('rr-off');
      assert.deepEqual(rig.dispatchedFor('rr-off'), [], 'no dispatch for a plane self-heal is off for');
    } finally {
      assert.equal(await rig.daemon.stop(), 0);
      await rig.github.close();
    }
  });

  it('removing a plane while its dispatch waits on GitHub stops that dispatch', async () => {
    const rig = await healRig(['rr-removed', 'rr-kept']);
    try {
      sandbox.setScenario('rr-removed', 'no_user');
      await rig.held;
      rig.write(['rr-kept']);
      const line = await sighupReload(rig.daemon);
      assert.deepEqual(line.removed, ['rr-removed']);
      rig.letThrough();
      await rig.decided('rr-removed');
      assert.deepEqual(rig.dispatchedFor('rr-removed'), [], 'no dispatch for a plane no longer configured');
      assert.doesNotMatch(await (await fetch(`${rig.daemon.url}/metrics`)).text(), /rr-removed/);
    } finally {
      assert.equal(await rig.daemon.stop(), 0);
      await rig.github.close();
    }
  });

  it('a SIGHUP during start-up neither ends the daemon nor is lost: the file is read again once it has started', async () => {
    const dir = tempDir('planecheck-reload-start-');
    const dbPath = join(dir, 'planecheck.db');
    // A named pipe as the config file holds start-up at its first step, reading the config, for as long as
    // the test likes: a slow start (a store that takes long to open) or a signal sent right after the spawn.
    const path = join(dir, 'planecheck.yaml');
    execFileSync('mkfifo', [path]);
    let child: ChildProcess | undefined;
    const starting = startDaemon(['--config', path], env, { onSpawn: (spawned) => (child = spawned) });
    starting.catch(() => undefined); // awaited below; a daemon that died is reported there
    /** Opens the pipe for writing: resolves once the daemon opens it to read the config. */
    const nextRead = () =>
      Promise.race([
        open(path, 'w'),
        starting.then(
          () => new Promise<never>(() => undefined),
          (error: unknown) => Promise.reject(error as Error),
        ),
      ]);
    const first = await nextRead();
    child?.kill('SIGHUP');
    await first.writeFile(configYaml(['rr-start'], dbPath));
    await first.close();
    const daemon = await starting;
    try {
      // The signal may have come after the file changed: it is read again now that the daemon runs.
      const again = await open(path, 'w');
      await again.writeFile(configYaml(['rr-start', 'rr-late'], dbPath));
      await again.close();
      const line = await daemon.waitForLog((entry) => entry.msg === 'config reloaded');
      assert.deepEqual(line.added, ['rr-late']);
      await eventually(async () => {
        const body = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as {
          planes: { name: string }[];
        };
        return body.planes.some((plane) => plane.name === 'rr-late') ? true : undefined;
      });
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('the late result of a plane removed while its check ran shows nowhere and is not dispatched for', async () => {
    const rig = await healRig(['rr-late-gone', 'rr-late-stay']);
    rig.letThrough(); // GitHub answers at once here
    let hold = false;
    let markHeld = () => {};
    const held = new Promise<void>((resolve) => (markHeld = resolve));
    let letGo = () => {};
    const released = new Promise<void>((resolve) => (letGo = resolve));
    sandbox.onRequest = async (request) => {
      if (!hold || request.plane !== 'rr-late-gone' || request.step !== 'user_lookup') return;
      hold = false;
      markHeld();
      await released;
    };
    const cycles = () => rig.daemon.logs.filter((line) => line.msg === 'cycle finished').length;
    try {
      await rig.daemon.waitForLog((line) => line.msg === 'cycle finished');
      hold = true;
      await held; // rr-late-gone's check is under way
      rig.write(['rr-late-stay']);
      assert.deepEqual((await sighupReload(rig.daemon)).removed, ['rr-late-gone']);
      const reloadedAt = rig.daemon.logs.length;
      // Its check now finds no smoke-test user: a result self-heal would act on, for a plane no longer there.
      sandbox.setScenario('rr-late-gone', 'no_user');
      const after = cycles();
      letGo();
      // The cycle that ran the check ends, then one more (self-heal sees every cycle's states).
      await rig.daemon.waitForLog(() => cycles() >= after + 2, 15_000);
      const body = (await (await fetch(`${rig.daemon.url}/api/v1/status`)).json()) as {
        planes: { name: string }[];
      };
      assert.deepEqual(
        body.planes.map((plane) => plane.name),
        ['rr-late-stay'],
      );
      assert.doesNotMatch(await (await fetch(`${rig.daemon.url}/metrics`)).text(), /rr-late-gone/);
      assert.doesNotMatch(await (await fetch(`${rig.daemon.url}/`)).text(), /rr-late-gone/);
      assert.ok(
        !rig.daemon.logs
          .slice(reloadedAt)
          .some((line) => line.msg === 'status changed' && line.plane === 'rr-late-gone'),
        'no status change logged for it after the reload',
      );
      assert.deepEqual(rig.dispatchedFor('rr-late-gone'), []);
    } finally {
      sandbox.onRequest = undefined;
      assert.equal(await rig.daemon.stop(), 0);
      await rig.github.close();
    }
  });

  it('a SIGHUP right before SIGTERM: the reload ends before the checker closes, and the daemon exits 0', async () => {
    const dir = tempDir('planecheck-reload-stop-');
    const path = join(dir, 'planecheck.yaml');
    const dbPath = join(dir, 'planecheck.db');
    writeFileSync(path, configYaml(['rr-stop'], dbPath));
    const daemon = await startDaemon(['--config', path], env);
    await daemon.waitForLog((line) => line.msg === 'cycle finished');
    // Another poll interval: a new checker, which the reload swaps in as shutdown closes the current one.
    writeFileSync(path, configYaml(['rr-stop'], dbPath).replace('pollInterval: 50ms', 'pollInterval: 60ms'));
    daemon.child.kill('SIGHUP');
    assert.equal(await daemon.stop(), 0);
    const trouble = daemon.logs.filter((line) => line.level === 'warn' || line.level === 'error');
    assert.deepEqual(trouble, [], 'a clean stop');
  });
});
