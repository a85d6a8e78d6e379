import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { eventually, startDaemon, type DaemonProcess } from './helpers/daemon.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { tempDir } from './helpers/tmp.js';

/** Debian's libfaketime (package faketime): steps the daemon's wall clock while it runs. */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const API_KEY = 'clock-test-key';

/**
 * The daemon under libfaketime: the offset in `offsetFile` is read at every clock call
 * (FAKETIME_NO_CACHE), so writing "-60" steps its wall clock back a minute at once. Monotonic time
 * stays real (FAKETIME_DONT_FAKE_MONOTONIC), as with a real clock step: timers keep their pace.
 */
function fakeClockEnv(offsetFile: string): NodeJS.ProcessEnv {
  return {
    PLATFORM_API_KEY: API_KEY,
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME_TIMESTAMP_FILE: offsetFile,
    FAKETIME_NO_CACHE: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

describe('the daemon when its wall clock steps (libfaketime)', () => {
  const sandbox = new SandboxPlatform({ apiKey: API_KEY, planes: {} });
  /** A proxy in front of the platform, which starts answering 502 (an HTML page) when told. */
  let proxy: FaultProxy;

  before(async () => {
    if (!existsSync(LIBFAKETIME)) {
      throw new Error(
        `no libfaketime at ${LIBFAKETIME}: install the Debian package "faketime" (.ci/run does)`,
      );
    }
    await sandbox.start();
    proxy = await startFaultProxy(sandbox.url);
  });
  after(async () => {
    await proxy.close();
    await sandbox.close();
  });

  /** A config for one plane behind the proxy, and the daemon's clock offset file, at "+0". */
  function clockedConfig(
    plane: string,
    schedule: string,
    requestTimeout = '700ms',
  ): { path: string; offsetFile: string } {
    sandbox.setScenario(plane, 'healthy');
    const dir = tempDir('planecheck-clock-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: ${schedule}
platform: { controlPlaneUrl: "${proxy.url}", apiKey: "\${PLATFORM_API_KEY}", requestTimeout: ${requestTimeout}, pollInterval: 50ms }
workloadPlanes: [{ name: ${plane}, inferenceUrl: "${proxy.url}/planes/${plane}" }]
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
`,
    );
    const offsetFile = join(dir, 'faketime');
    writeFileSync(offsetFile, '+0');
    return { path, offsetFile };
  }

  async function startClockedDaemon(
    plane: string,
    schedule: string,
  ): Promise<{ daemon: DaemonProcess; offsetFile: string }> {
    const { path, offsetFile } = clockedConfig(plane, schedule);
    const daemon = await startDaemon(['--config', path], fakeClockEnv(offsetFile));
    return { daemon, offsetFile };
  }

  const statusOf = async (url: string) => {
    const body = (await (await fetch(`${url}/api/v1/status`)).json()) as {
      planes: {
        status: string;
        reason: string | null;
        lastStatus: string | null;
        expiresAt: string | null;
      }[];
    };
    return body.planes[0];
  };
  const cyclesFinished = (daemon: DaemonProcess) =>
    daemon.logs.filter((line) => line.msg === 'cycle finished').length;

  it('stepped back 60 s as the platform breaks: the plane leaves HEALTHY within cacheTtl', async () => {
    const cacheTtlMs = 20_000;
    const { daemon, offsetFile } = await startClockedDaemon(
      'clock-back-60s',
      '{ interval: 10s, cacheTtl: 20s, planeTimeout: 5s }',
    );
    try {
      await eventually(async () => ((await statusOf(daemon.url))?.status === 'HEALTHY' ? true : undefined));
      const brokenAt = performance.now();
      proxy.mode = 'bad_gateway';
      writeFileSync(offsetFile, '-60');
      const state = await eventually(
        async () => {
          const current = await statusOf(daemon.url);
          return current?.status === 'HEALTHY' ? undefined : current;
        },
        cacheTtlMs,
        'the plane to leave HEALTHY within cacheTtl of the platform breaking',
      );
      assert.ok(state && ['FAILED', 'NO_VALUE'].includes(state.status), JSON.stringify(state));
      assert.ok(performance.now() - brokenAt < cacheTtlMs);
      const step = daemon.logs.find((line) => line.msg === 'wall clock stepped; schedule re-armed');
      assert.ok(step, 'the step is logged');
      assert.ok(Math.abs(Number(step.stepMs) + 60_000) < 1_000, `stepMs ${String(step.stepMs)}`);
      // The next tick runs on the new wall clock and sees the 502.
      await eventually(
        async () => ((await statusOf(daemon.url))?.reason === 'user_lookup_http_502' ? true : undefined),
        cacheTtlMs,
        'a cycle after the step to see the 502',
      );
    } finally {
      proxy.mode = 'forward';
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('stepped back 1 h: cycles keep running on schedule', async () => {
    const { daemon, offsetFile } = await startClockedDaemon(
      'clock-back-1h',
      '{ interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }',
    );
    try {
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      writeFileSync(offsetFile, '-3600');
      const atStep = cyclesFinished(daemon);
      // Before the fix, node-cron armed its next tick an hour away: nothing ran for the hour.
      await daemon.waitForLog(() => cyclesFinished(daemon) >= atStep + 3, 15_000);
      const step = daemon.logs.find((line) => line.msg === 'wall clock stepped; schedule re-armed');
      assert.ok(step, 'the step is logged');
      assert.ok(Math.abs(Number(step.stepMs) + 3_600_000) < 1_000, `stepMs ${String(step.stepMs)}`);
      assert.equal((await statusOf(daemon.url))?.status, 'HEALTHY');
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('jumped forward 1 h: no flood of non-JSON lines, cycles keep running', async () => {
    const { daemon, offsetFile } = await startClockedDaemon(
      'clock-forward-1h',
      '{ interval: 1s, cacheTtl: 3s, planeTimeout: 800ms }',
    );
    try {
      await daemon.waitForLog((line) => line.msg === 'cycle finished');
      writeFileSync(offsetFile, '+3600');
      const atStep = cyclesFinished(daemon);
      await daemon.waitForLog(() => cyclesFinished(daemon) >= atStep + 3, 15_000);
      assert.equal((await statusOf(daemon.url))?.status, 'HEALTHY', 'a jump does not expire fresh results');
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
    // node-cron used to print one coloured "missed execution" line per skipped tick: 3,600 here.
    assert.equal(daemon.stderr(), '', 'nothing on stderr');
    assert.deepEqual(
      daemon.logs.filter((line) => 'unparsed' in line),
      [],
      'every stdout line is one JSON object',
    );
    assert.ok(
      daemon.logs.filter((line) => line.msg === 'scheduled ticks missed').length <= 1,
      'missed ticks are reported once per burst',
    );
    const step = daemon.logs.find((line) => line.msg === 'wall clock stepped; schedule re-armed');
    assert.ok(step, 'the step is logged');
    assert.ok(Math.abs(Number(step.stepMs) - 3_600_000) < 1_000, `stepMs ${String(step.stepMs)}`);
  });
  it('restarted after a step back: a stored result stamped in the future reads as expired', async () => {
    const { path, offsetFile } = clockedConfig(
      'clock-restart',
      '{ interval: 1m, cacheTtl: 2m, planeTimeout: 50s }',
      '50s',
    );
    const first = await startDaemon(['--config', path], fakeClockEnv(offsetFile));
    await first.waitForLog((line) => line.msg === 'cycle finished');
    assert.equal(await first.stop(), 0);

    writeFileSync(offsetFile, '-60'); // the stored result is now stamped a minute in the future
    proxy.mode = 'hold'; // and the restarted daemon's first check stays in flight while the test looks
    const held = proxy.nextHeld();
    const restarted = await startDaemon(['--config', path], fakeClockEnv(offsetFile));
    try {
      await held;
      const state = await statusOf(restarted.url);
      assert.equal(state?.status, 'NO_VALUE', 'a result of unknown age is not fresh');
      assert.equal(state?.reason, 'result_expired');
      assert.equal(state?.lastStatus, 'HEALTHY');
      assert.equal(state?.expiresAt, null);
    } finally {
      assert.equal(await restarted.stop(), 0);
      proxy.mode = 'forward';
    }
  });
});
