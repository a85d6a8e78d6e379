import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { SandboxGithub, type GithubFault } from '../src/sandbox/sandbox-github.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { startDaemon } from './helpers/daemon.js';
import { startGithubProxy } from './helpers/github-proxy.js';
import { GITHUB_TOKEN, startHealHarness } from './helpers/heal-harness.js';
import { tempDir } from './helpers/tmp.js';

const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

function counterValue(text: string, plane: string, outcome: string): number {
  const labels = `workload_plane="${plane}",reason="NO_USER",outcome="${outcome}"`;
  const line = text.split('\n').find((l) => l.startsWith(`planecheck_self_heal_dispatches_total{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

function backoffGauge(text: string): number {
  return Number(/^planecheck_github_backoff_until_seconds (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** A clock the test moves by hand; `reads` counts how often the code under test looked at it. */
function handClock() {
  const clock = { at: Date.now(), reads: 0, now: () => (clock.reads++, clock.at) };
  return clock;
}

/** Waits until `condition` holds, checking as the event loop turns (no fixed sleep). */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('GitHub rate limits stop every GitHub call until the time GitHub named', () => {
  const faults: [string, GithubFault, number][] = [
    ['a plain 429 with retry-after: 20', { status: 429, count: 1, retryAfter: 20 }, 20_000],
    [
      "a 403 'You have exceeded a secondary rate limit' with retry-after: 15",
      { status: 403, count: 1, retryAfter: 15, secondaryRateLimit: true },
      15_000,
    ],
    [
      'a 403 with x-ratelimit-remaining: 0 and x-ratelimit-reset',
      { status: 403, count: 1, retryAfter: 30, primaryRateLimit: true },
      30_000,
    ],
  ];
  for (const [name, fault, waitMs] of faults) {
    it(`${name}: no request of any kind before then, one dispatch after`, async () => {
      const clock = handClock();
      const h = await startHealHarness({ planes: { limited: 'no_user' }, now: clock.now });
      try {
        h.github.injectFault(fault);
        const sentAfter = Date.now();
        await h.cycle();
        const answeredBefore = Date.now();
        assert.deepEqual(
          h.github.requests.map((r) => r.status),
          [fault.status],
          'the listing before the dispatch was refused',
        );
        const stop = h.healLog.githubBackoffUntil();
        if (fault.primaryRateLimit) {
          // x-ratelimit-reset is whole seconds of the sandbox's own (real) clock, read while it answered.
          // It is rounded up to a whole second: the stop lies within a second after now + the wait.
          assert.ok(stop >= sentAfter + waitMs && stop < answeredBefore + waitMs + 1_000, `stop ${stop}`);
        } else assert.equal(stop, clock.at + waitMs);
        assert.equal(backoffGauge(await h.metricsText()), stop / 1000, 'the stop is exposed');

        clock.at = stop - 1;
        await h.cycle();
        await h.cycle();
        assert.equal(h.github.requests.length, 1, 'nothing was sent before the time');
        assert.equal((await h.healLog.forPlane('limited', 10)).length, 0, 'no attempt was started');
        assert.equal(counterValue(await h.metricsText(), 'limited', 'rate_limited'), 3);

        clock.at = stop;
        await h.cycle();
        assert.equal(h.dispatches().length, 1);
        assert.equal((await h.healLog.forPlane('limited', 10))[0]?.outcome, 'fixed');
        assert.equal(backoffGauge(await h.metricsText()), 0, '0 once the stop is over');
      } finally {
        await h.close();
      }
    });
  }

  it('a plain 429 on the dispatch itself: no second dispatch until retry-after has passed', async () => {
    const clock = handClock();
    let upstream = '';
    const proxy = await startGithubProxy({
      upstream: () => upstream,
      clock: () => clock.at,
      rules: [
        {
          method: 'POST',
          path: /\/dispatches$/,
          action: {
            kind: 'answer',
            status: 429,
            headers: { 'retry-after': '20', 'content-type': 'text/plain' },
            body: 'Too Many Requests',
          },
          times: 1,
        },
      ],
    });
    const h = await startHealHarness({
      planes: { busy: 'no_user' },
      now: clock.now,
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      await h.cycle();
      const [refused] = await h.healLog.forPlane('busy', 10);
      assert.equal(refused?.status, 'dispatch_failed');
      assert.equal(refused?.error, 'rate_limited (429)');
      const stop = clock.at + 20_000;
      assert.equal(h.healLog.githubBackoffUntil(), stop);
      const seen = proxy.seen.length;

      clock.at += 1_500; // where the next dispatch went out before
      await h.cycle();
      clock.at = stop - 1;
      await h.cycle();
      assert.equal(proxy.seen.length, seen, 'no request of any kind before the time');

      clock.at = stop;
      await h.cycle();
      const posts = proxy.seen.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 2);
      assert.ok((posts[1]?.clockAt ?? 0) >= stop);
      assert.equal((await h.healLog.forPlane('busy', 10))[0]?.outcome, 'fixed');
      const text = await h.metricsText();
      assert.equal(counterValue(text, 'busy', 'rate_limited'), 3);
      assert.equal(counterValue(text, 'busy', 'dispatched'), 1);
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it("a 429 on the first of three queued dispatches: the two still in octokit's write queue are never sent", async () => {
    const clock = handClock();
    let upstream = '';
    const proxy = await startGithubProxy({
      upstream: () => upstream,
      clock: () => clock.at,
      rules: [
        {
          method: 'POST',
          path: /\/dispatches$/,
          action: {
            kind: 'answer',
            status: 429,
            headers: { 'retry-after': '20', 'content-type': 'application/json' },
            body: JSON.stringify({ message: 'Too Many Requests' }),
          },
          times: 1,
        },
      ],
    });
    const h = await startHealHarness({
      planes: { one: 'no_user', two: 'no_user', three: 'no_user' },
      now: clock.now,
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      // Not waiting for self-heal to be idle: a run started by a POST that got through would be followed
      // for runTimeout on the hand clock.
      await h.cycle(false);
      // The healer's own view: it shows each write as it is made.
      const latest = () => ['one', 'two', 'three'].flatMap((plane) => h.healer.recentActions(plane, 10));
      await until(
        () => latest().length === 3 && latest().every((a) => a.status !== 'dispatching'),
        'all three dispatches to be answered or refused',
      );
      const attempts = latest();
      assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1, 'one POST left the client');
      assert.equal(h.dispatches().length, 0);
      assert.deepEqual(
        attempts.map((a) => [a.status, a.error]).sort(),
        [
          ['dispatch_failed', 'rate_limited'],
          ['dispatch_failed', 'rate_limited'],
          ['dispatch_failed', 'rate_limited (429)'],
        ],
        'the two held back are refused by the stop, not sent',
      );
      assert.equal(h.healLog.githubBackoffUntil(), clock.at + 20_000);
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('a proxy asking for retry-after: 999999999 stops GitHub calls for one hour only, and says so', async () => {
    const clock = handClock();
    let upstream = '';
    const proxy = await startGithubProxy({
      upstream: () => upstream,
      clock: () => clock.at,
      rules: [
        {
          method: 'GET',
          path: /\/runs/,
          action: {
            kind: 'answer',
            status: 429,
            headers: { 'retry-after': '999999999', 'content-type': 'text/plain' },
            body: 'Too Many Requests',
          },
          times: 1,
        },
      ],
    });
    const h = await startHealHarness({
      planes: { capped: 'no_user' },
      now: clock.now,
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      await h.cycle();
      const stop = clock.at + 3_600_000;
      assert.equal(h.healLog.githubBackoffUntil(), stop);
      assert.ok(
        h.logs.some((line) => line.includes('longer stop than planecheck honours')),
        'the cut is logged',
      );
      clock.at = stop;
      await h.cycle();
      assert.equal(h.dispatches().length, 1, 'dispatched once the hour is over');
      assert.equal((await h.healLog.forPlane('capped', 10))[0]?.outcome, 'fixed');
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('a secondary rate limit while following the run: polling stops until then, then follows it to the end', async () => {
    const clock = handClock();
    let upstream = '';
    const proxy = await startGithubProxy({
      upstream: () => upstream,
      clock: () => clock.at,
      rules: [
        {
          method: 'GET',
          path: /\/actions\/runs\/\d+$/,
          action: {
            kind: 'answer',
            status: 403,
            headers: { 'retry-after': '15', 'content-type': 'application/json' },
            body: JSON.stringify({ message: SECONDARY }),
          },
          times: 1,
        },
      ],
    });
    const h = await startHealHarness({
      planes: { polled: 'no_user' },
      now: clock.now,
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      await h.cycle(false);
      const limited = await proxy.waitFor((r) => r.status === 403);
      const stop = limited.clockAt + 15_000;
      await until(() => h.healLog.githubBackoffUntil() === stop, 'the stop to be stored');
      // The follow-up keeps trying (it reads the clock each round) while the gate sends nothing.
      const seen = proxy.seen.length;
      const reads = clock.reads;
      await until(() => clock.reads > reads + 40, 'twenty rounds of the follow-up loop');
      assert.equal(proxy.seen.length, seen, 'no request of any kind before the time');

      clock.at = stop;
      await h.healer.idle();
      assert.equal((await h.healLog.forPlane('polled', 10))[0]?.outcome, 'fixed');
      const afterStop = proxy.seen.slice(seen);
      assert.ok(afterStop.length > 0);
      assert.ok(afterStop.every((r) => r.clockAt >= stop));
      assert.equal(h.dispatches().length, 1);
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('the sandbox GitHub serves a plain 429 fault through its admin API', async () => {
    const github = new SandboxGithub({ token: GITHUB_TOKEN });
    await github.start();
    try {
      const queued = await fetch(`${github.url}/admin/faults`, {
        method: 'POST',
        body: JSON.stringify({ status: 429, count: 1, retryAfter: 20 }),
      });
      assert.equal(queued.status, 200);
      const limited = await fetch(`${github.url}/repos/acme/platform/actions/runs/1`, {
        headers: { authorization: `token ${GITHUB_TOKEN}` },
      });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '20');
      assert.equal(limited.headers.get('x-ratelimit-remaining'), null);
      assert.deepEqual(await limited.json(), { message: 'Too Many Requests' });
    } finally {
      await github.close();
    }
  });
});

describe('the rate-limit stop survives a restart of the daemon', () => {
  const platform = new SandboxPlatform({ apiKey: 'rl-key', planes: { 'rl-plane': 'no_user' } });
  const github = new SandboxGithub({
    token: GITHUB_TOKEN,
    workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
  });
  before(async () => {
    await platform.start();
    await github.start();
  });
  after(async () => {
    await platform.close();
    await github.close();
  });

  it('a daemon restarted on the same database sends nothing to GitHub before the time', async () => {
    const dir = tempDir('planecheck-ratelimit-');
    const path = join(dir, 'planecheck.yaml');
    writeFileSync(
      path,
      `schedule: { interval: 1s, cacheTtl: 5s, concurrency: 4, planeTimeout: 900ms }
platform:
  controlPlaneUrl: "${platform.url}"
  apiKey: rl-key
  requestTimeout: 800ms
workloadPlanes:
  - { name: rl-plane, inferenceUrl: "${platform.inferenceUrl('rl-plane')}" }
server: { listen: "127.0.0.1:0" }
storage: { path: "${join(dir, 'planecheck.db')}" }
selfHeal:
  enabled: true
  repository: acme/platform
  workflow: production-smoke-test.yml
github:
  apiUrl: "${github.url}"
  token: "${GITHUB_TOKEN}"
`,
    );
    github.injectFault({ status: 429, count: 1, retryAfter: 3_600 });
    const first = await startDaemon(['--config', path]);
    let stopSeconds: number;
    try {
      await first.waitForLog((line) => line.msg === 'GitHub rate limit: no GitHub requests until then');
      stopSeconds = backoffGauge(await (await fetch(`${first.url}/metrics`)).text());
      assert.ok(stopSeconds > Date.now() / 1000 + 3_500, `gauge ${stopSeconds}`);
    } finally {
      assert.equal(await first.stop(), 0);
    }
    assert.equal(github.requests.length, 1);

    const second = await startDaemon(['--config', path]);
    try {
      assert.equal(backoffGauge(await (await fetch(`${second.url}/metrics`)).text()), stopSeconds);
      // Three cycles that each saw the plane NO_USER and were held back by the stored stop.
      await second.waitForLog(
        () => second.logs.filter((line) => line.msg === 'self-heal held back: GitHub rate limit').length >= 3,
        15_000,
      );
      assert.equal(github.requests.length, 1, 'nothing was sent to GitHub after the restart');
      assert.equal(github.runs.length, 0);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});
