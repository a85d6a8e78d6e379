import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../src/config/parse.js';
import type { Config } from '../src/config/schema.js';
import { ConfigReloader, LiveConfig } from '../src/daemon/reload.js';
import { createLogger } from '../src/log/logger.js';

function config(planes: string[]): Config {
  return parseConfig(`
platform: { controlPlaneUrl: "https://api.example.com", apiKey: key }
workloadPlanes:
${planes.map((name) => `  - { name: ${name}, inferenceUrl: "https://${name}.example.com" }`).join('\n')}
`);
}

/** A reloader whose file reads wait until `release()`, recording what it applied and counted. */
function rig(initial: Config) {
  const live = new LiveConfig(initial);
  const reads: ((config: Config | Error) => void)[] = [];
  const applied: string[][] = [];
  /** Each apply waits for its turn here, so a test can send signals while a reload is applying. */
  const applying: (() => void)[] = [];
  const results: boolean[] = [];
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const reloader = new ConfigReloader({
    load: () =>
      new Promise<Config>((resolve, reject) => {
        reads.push((next) => (next instanceof Error ? reject(next) : resolve(next)));
      }),
    live,
    healerRunning: false,
    apply: async (next) => {
      applied.push(next.workloadPlanes.map((plane) => plane.name));
      await new Promise<void>((resolve) => applying.push(resolve));
      live.set(next);
    },
    metrics: {
      recordReload: (success) => {
        results.push(success);
        return Promise.resolve();
      },
    },
    log: createLogger('debug', (line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    stderr: (text) => (stderr += text),
  });
  /** Answers the oldest pending read once it has been asked for. */
  const answer = async (next: Config | Error) => {
    while (reads.length === 0) await new Promise((resolve) => setImmediate(resolve));
    reads.shift()?.(next);
  };
  /** Lets the oldest apply under way finish, once one is. */
  const finishApply = async () => {
    while (applying.length === 0) await new Promise((resolve) => setImmediate(resolve));
    applying.shift()?.();
  };
  return { live, reloader, reads, applied, results, logs, stderr: () => stderr, answer, finishApply };
}

describe('ConfigReloader', () => {
  it('runs one reload at a time, and one more after signals that came during it', async () => {
    const { live, reloader, reads, applied, results, answer, finishApply } = rig(config(['a']));
    const first = reloader.request();
    await answer(config(['a', 'b']));
    while (applied.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Three more signals while the first reload is still applying: one more reload, not three.
    const more = [reloader.request(), reloader.request(), reloader.request()];
    assert.equal(reads.length, 0, 'no second read while the first reload applies');
    await finishApply();
    await answer(config(['a', 'c']));
    await finishApply();
    await Promise.all([first, ...more]);
    assert.deepEqual(applied, [
      ['a', 'b'],
      ['a', 'c'],
    ]);
    assert.deepEqual(results, [true, true]);
    assert.deepEqual(live.planeNames, ['a', 'c']);
    assert.equal(reads.length, 0);
  });

  it('refuses an invalid file with its error lines on stderr, and a restart-only change naming the field', async () => {
    const { live, reloader, applied, results, logs, stderr, answer } = rig(config(['a']));
    const error = new ConfigError(
      [{ path: 'workloadPlanes[0].name', message: 'must match ...' }],
      '/etc/p.yaml',
    );
    let done = reloader.request();
    await answer(error);
    await done;
    assert.equal(stderr(), `${error.message}\n`);
    assert.ok(
      logs.some(
        (line) =>
          line.msg === 'config reload refused: the new config is invalid; running on the previous one',
      ),
    );

    const next = config(['a', 'b']);
    const moved: Config = {
      ...next,
      storage: { path: '/elsewhere.db', historyRetention: next.storage.historyRetention },
    };
    done = reloader.request();
    await answer(moved);
    await done;
    assert.match(stderr(), /config reload refused: storage\.path changed: restart planecheck to apply it\n$/);
    assert.deepEqual(applied, []);
    assert.deepEqual(results, [false, false]);
    assert.deepEqual(live.planeNames, ['a']);
  });
});
