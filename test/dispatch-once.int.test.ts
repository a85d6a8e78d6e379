import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { SqliteHealLog } from '../src/store/sqlite-heal-log.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { GITHUB_TOKEN, startHealHarness } from './helpers/heal-harness.js';
import { startGithubProxy, type ProxyAction } from './helpers/github-proxy.js';

const DISPATCH = /\/actions\/workflows\/[^/]+\/dispatches$/;

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** Self-heal through a proxy that lets the first dispatch reach GitHub and then spoils its answer. */
async function healThroughProxy(action: ProxyAction) {
  let upstream = '';
  const proxy = await startGithubProxy({
    upstream: () => upstream,
    rules: [{ method: 'POST', path: DISPATCH, action, times: 1 }],
  });
  const h = await startHealHarness({
    planes: { once: 'no_user' },
    githubConfig: (apiUrl) => {
      upstream = apiUrl;
      return { apiUrl: proxy.url, token: GITHUB_TOKEN };
    },
    githubRequestTimeoutMs: 1_500,
  });
  return { h, proxy };
}

describe('one dispatch per incident, whatever the answer to the dispatch', () => {
  for (const [name, action, error] of [
    [
      'GitHub starts the run but the answer never comes (timeout)',
      { kind: 'hang_after_forwarding' },
      'timeout',
    ],
    [
      'GitHub starts the run and a proxy answers 502 with its HTML page',
      { kind: 'bad_gateway_after_forwarding' },
      'server_error (502)',
    ],
    [
      'GitHub starts the run and a proxy answers 408 (a status GitHub never refuses with)',
      {
        kind: 'answer_after_forwarding',
        status: 408,
        headers: { 'content-type': 'text/html' },
        body: '<html>408 Request Timeout</html>',
      },
      'unexpected_status (408)',
    ],
  ] as const) {
    it(`${name}: one POST, one run, found by correlation id and followed; the cause is recorded`, async () => {
      const { h, proxy } = await healThroughProxy(action);
      try {
        await h.cycle();
        const spoiled = await proxy.waitFor((r) => r.method === 'POST');
        assert.equal(spoiled.answeredBy, action.kind === 'hang_after_forwarding' ? 'hung' : 'proxy');
        assert.equal(h.github.requests.filter((r) => r.method === 'POST').length, 1, 'GitHub acted');

        assert.equal(h.dispatches().length, 1, 'GitHub saw exactly one dispatch');
        assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1, 'one POST was sent');
        assert.equal(h.github.runs.length, 1, 'exactly one run exists');

        const [attempt, ...others] = await h.healLog.forPlane('once', 10);
        assert.equal(others.length, 0);
        assert.equal(attempt?.error, error, 'the real cause of the failed request');
        assert.equal(attempt?.runId, h.github.runs[0]?.id, 'the run was found by its correlation id');
        assert.equal(attempt?.status, 'completed');
        assert.equal(attempt?.outcome, 'fixed', 'the run was followed to its end and the plane re-checked');
        assert.equal(h.board.state('once').status, 'HEALTHY');
        assert.ok(h.logs.some((line) => line.includes('self-heal dispatch got no clear answer')));

        // More cycles after the fix: nothing else is dispatched.
        await h.cycle();
        assert.equal(h.dispatches().length, 1);

        const text = gunzipSync(Buffer.concat(await h.metrics.render())).toString();
        const labels = (outcome: string) => `workload_plane="once",reason="NO_USER",outcome="${outcome}"`;
        assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('dispatched')), 1);
        assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('error')), 0);
      } finally {
        await h.close();
        await proxy.close();
      }
    });
  }

  it('a 200 whose workflow_run_id is no number: dispatched, its run found by correlation id, never sent again', async () => {
    const { h, proxy } = await healThroughProxy({
      kind: 'answer_after_forwarding',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow_run_id: '42', html_url: 'https://github.com/acme/platform/runs/42' }),
    });
    try {
      await h.cycle();
      assert.equal((await proxy.waitFor((r) => r.method === 'POST')).status, 200);
      await h.cycle();
      await h.cycle();
      assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1, 'one POST in three cycles');
      assert.equal(h.github.runs.length, 1);
      const [attempt, ...others] = await h.healLog.forPlane('once', 10);
      assert.equal(others.length, 0);
      assert.equal(attempt?.error, null);
      assert.equal(attempt?.runId, h.github.runs[0]?.id, 'the run was found by its correlation id');
      assert.equal(attempt?.outcome, 'fixed');
      const text = await h.metricsText();
      const labels = (outcome: string) => `workload_plane="once",reason="NO_USER",outcome="${outcome}"`;
      assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('dispatched')), 1);
      assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('error')), 0);
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it("shutdown while dispatches wait in octokit's write queue: those never sent are not left dispatching", async () => {
    let upstream = '';
    const proxy = await startGithubProxy({ upstream: () => upstream, rules: [] });
    const h = await startHealHarness({
      planes: { first: 'no_user', second: 'no_user', third: 'no_user' },
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      await h.cycle(false);
      // octokit sends writes a second apart: the other two are still queued when the first is seen.
      await proxy.waitFor((r) => r.method === 'POST');
    } finally {
      await h.close();
      await proxy.close();
    }
    assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1, 'one POST was sent');
    const store = openSqliteStore(h.dbPath); // what the next start finds
    try {
      const healLog = new SqliteHealLog(store.database);
      const attempts = (
        await Promise.all(['first', 'second', 'third'].map((plane) => healLog.forPlane(plane, 10)))
      ).flat();
      assert.equal(attempts.length, 3);
      const notSent = attempts.filter((a) => a.error === 'not sent: shutdown');
      assert.equal(notSent.length, 2, JSON.stringify(attempts.map((a) => [a.status, a.error])));
      assert.ok(notSent.every((a) => a.status === 'dispatch_failed'));
      assert.deepEqual(
        (await healLog.unfinished()).map((a) => a.plane),
        attempts.filter((a) => !notSent.includes(a)).map((a) => a.plane),
        'only the attempt that was sent is followed after a restart',
      );
    } finally {
      await store.close();
    }
  });

  it('a 502 after which no run ever turns up: still never sent again; the attempt ends lost after runTimeout', async () => {
    const clock = { at: Date.now() };
    let upstream = '';
    const proxy = await startGithubProxy({
      upstream: () => upstream,
      rules: [
        {
          method: 'POST',
          path: DISPATCH,
          action: {
            kind: 'answer',
            status: 502,
            headers: { 'content-type': 'text/html' },
            body: '<html>502</html>',
          },
          times: 1,
        },
      ],
    });
    const h = await startHealHarness({
      planes: { vanished: 'no_user' },
      now: () => clock.at,
      policy: { runTimeoutMs: 60_000, cooldownMs: 120_000 },
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      await h.cycle(false);
      // The follow-up lists runs looking for the correlation id, twice after the 502.
      const post = await proxy.waitFor((r) => r.method === 'POST');
      await proxy.waitFor((r) => r.method === 'GET' && proxy.seen.indexOf(r) > proxy.seen.indexOf(post) + 1);
      await h.cycle(false); // the plane is still NO_USER: the attempt is in progress, nothing is sent
      assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1);
      assert.equal((await h.healLog.forPlane('vanished', 10))[0]?.status, 'dispatching');

      clock.at += 60_000; // past runTimeout: the run never turned up
      await h.healer.idle();
      const [attempt, ...others] = await h.healLog.forPlane('vanished', 10);
      assert.equal(others.length, 0);
      assert.equal(attempt?.status, 'lost');
      assert.equal(attempt?.outcome, 'timed_out');
      assert.equal(attempt?.error, 'server_error (502)');
      await h.cycle(); // inside the cooldown of the lost attempt
      assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1, 'never sent again');
      assert.equal(h.github.runs.length, 0);

      const text = gunzipSync(Buffer.concat(await h.metrics.render())).toString();
      const labels = (outcome: string) => `workload_plane="vanished",reason="NO_USER",outcome="${outcome}"`;
      assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('error')), 1);
      assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('dispatched')), 0);
      assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', labels('cooldown')), 1);
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('a dispatch refused outright (a 4xx: nothing started) is not looked for, and may be sent again', async () => {
    let upstream = '';
    const proxy = await startGithubProxy({
      upstream: () => upstream,
      rules: [
        {
          method: 'POST',
          path: DISPATCH,
          action: {
            kind: 'answer',
            status: 404,
            headers: { 'content-type': 'application/json' },
            body: '{"message":"Not Found"}',
          },
          times: 1,
        },
      ],
    });
    const h = await startHealHarness({
      planes: { refused: 'no_user' },
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      await h.cycle();
      const [failed] = await h.healLog.forPlane('refused', 10);
      assert.equal(failed?.status, 'dispatch_failed');
      assert.equal(failed?.error, 'not_found (404)');
      assert.equal(h.github.runs.length, 0);
      await h.cycle();
      assert.equal((await h.healLog.forPlane('refused', 10))[0]?.outcome, 'fixed');
      assert.equal(h.dispatches().length, 1, 'the second attempt reached GitHub');
    } finally {
      await h.close();
      await proxy.close();
    }
  });
});
