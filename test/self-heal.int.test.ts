import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createGithubClient } from '../src/github/octokit-client.js';
import { listDispatchRuns } from '../src/github/workflow-api.js';
import { MemoryHealLog } from '../src/heal/memory-heal-log.js';
import { createLogger } from '../src/log/logger.js';
import { healActionView, statusResponse } from '../src/server/status-api.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { GITHUB_TOKEN, startHealHarness as startRig } from './helpers/heal-harness.js';
import { startHttpServer } from './helpers/servers.js';
import { SandboxGithub, type GithubRequest } from '../src/sandbox/sandbox-github.js';

const TARGET = { owner: 'acme', repo: 'platform', workflow: 'production-smoke-test.yml', ref: 'main' };

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('self-heal against the sandbox GitHub', () => {
  it('heals a NO_USER plane end to end: dispatch, follow the run, re-check, fixed', async () => {
    const h = await startRig({ planes: { 'heal-me': 'no_user', fine: 'healthy' } });
    try {
      await h.cycle();
      const [action] = await h.healLog.forPlane('heal-me', 10);
      assert.ok(action);
      assert.equal(action.status, 'completed');
      assert.equal(action.conclusion, 'success');
      assert.equal(action.outcome, 'fixed');
      assert.match(action.runUrl ?? '', /\/acme\/platform\/actions\/runs\/\d+$/);
      assert.equal(h.board.state('heal-me').status, 'HEALTHY', 'the re-check published a HEALTHY result');
      assert.equal(h.dispatches().length, 1);
      const body = h.dispatches()[0]?.body as {
        ref: string;
        inputs: Record<string, string>;
        return_run_details: boolean;
      };
      assert.equal(body.ref, 'main');
      assert.equal(body.return_run_details, true);
      assert.deepEqual(Object.keys(body.inputs).sort(), ['correlation_id', 'reason', 'workload_plane']);
      assert.equal(body.inputs.workload_plane, 'heal-me');
      assert.equal(body.inputs.reason, 'NO_USER');
      assert.equal((await h.healLog.forPlane('fine', 10)).length, 0);

      const text = await h.metricsText();
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="heal-me",reason="NO_USER",outcome="dispatched"',
        ),
        1,
      );
      assert.equal(
        metricValue(text, 'planecheck_self_heal_runs_total', 'workload_plane="heal-me",conclusion="success"'),
        1,
      );
      assert.equal(
        metricValue(text, 'planecheck_self_heal_outcomes_total', 'workload_plane="heal-me",outcome="fixed"'),
        1,
      );

      const api = statusResponse(
        'test',
        h.board.states(),
        { intervalMs: 1, cacheTtlMs: 1, running: true, lastCycleFinishedAt: null },
        { healActions: (plane) => h.healer.recentActions(plane).map(healActionView) },
        Date.now(),
      );
      const plane = api.planes.find((p) => p.name === 'heal-me');
      assert.equal(plane?.selfHeal[0]?.outcome, 'fixed');
      assert.equal(plane?.selfHeal[0]?.runUrl, action.runUrl);
    } finally {
      await h.close();
    }
  });

  it('dispatches once for a plane that stays NO_USER over many cycles', async () => {
    const h = await startRig({ planes: { stuck: 'no_user' }, github: { conclusion: 'failure' } });
    try {
      for (let i = 0; i < 6; i++) await h.cycle();
      assert.equal(h.dispatches().length, 1);
      assert.equal((await h.healLog.forPlane('stuck', 10))[0]?.outcome, 'workflow_failed');
      const text = await h.metricsText();
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="stuck",reason="NO_USER",outcome="cooldown"',
        ),
        5,
      );
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_outcomes_total',
          'workload_plane="stuck",outcome="workflow_failed"',
        ),
        1,
      );
    } finally {
      await h.close();
    }
  });

  it('never dispatches on FAILED, nor on flapping below the failure threshold', async () => {
    const h = await startRig({
      planes: { broken: 'predict_500', flappy: 'no_user' },
      selfHeal: { failureThreshold: 3 },
    });
    try {
      for (const scenario of ['no_user', 'healthy', 'no_user', 'no_user'] as const) {
        h.platform.setScenario('flappy', scenario);
        await h.cycle();
      }
      assert.equal(h.dispatches().length, 0, 'two in a row is below the threshold of three');
      await h.cycle(); // the third NO_USER in a row
      assert.equal(h.dispatches().length, 1);
      assert.equal(
        (h.dispatches()[0]?.body as { inputs: Record<string, string> }).inputs.workload_plane,
        'flappy',
      );
      assert.equal((await h.healLog.forPlane('broken', 10)).length, 0, 'FAILED never dispatches');
      const text = await h.metricsText();
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="flappy",reason="NO_USER",outcome="threshold"',
        ),
        3,
      );
    } finally {
      await h.close();
    }
  });

  it('dispatches again once the cooldown has passed', async () => {
    const h = await startRig({
      planes: { again: 'no_user' },
      github: { conclusion: 'failure' },
      selfHeal: { cooldown: '1s' },
    });
    try {
      await h.cycle();
      await h.cycle();
      assert.equal(h.dispatches().length, 1, 'still inside the cooldown');
      await sleep(1_100);
      await h.cycle();
      assert.equal(h.dispatches().length, 2);
    } finally {
      await h.close();
    }
  });

  it('holds the global hourly cap when 50 planes break at once', async () => {
    const planes = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`outage-${i}`, 'no_user' as const]),
    );
    const h = await startRig({
      planes,
      // Above the mass-incident limit, so that the hourly cap is what holds self-heal back.
      selfHeal: { maxDispatchesPerHour: 5, maxPlanesAtOnce: 100 },
    });
    try {
      await h.cycle();
      assert.equal(h.dispatches().length, 5);
      const text = await h.metricsText();
      const capped = Object.keys(planes).reduce(
        (sum, plane) =>
          sum +
          metricValue(
            text,
            'planecheck_self_heal_dispatches_total',
            `workload_plane="${plane}",reason="NO_USER",outcome="rate_capped"`,
          ),
        0,
      );
      assert.equal(capped, 45);
    } finally {
      await h.close();
    }
  });

  it('holds every repair while more than maxPlanesAtOnce planes need one, logs it once, shows it, then resumes', async () => {
    const broken = ['mass-a', 'mass-b', 'mass-c', 'mass-d', 'mass-e'];
    const h = await startRig({
      planes: { ...Object.fromEntries(broken.map((plane) => [plane, 'no_user' as const])), calm: 'healthy' },
    });
    try {
      for (let i = 0; i < 3; i++) await h.cycle();
      assert.equal(h.github.requests.length, 0, 'no GitHub request at all during the hold');
      const text = await h.metricsText();
      for (const plane of broken) {
        assert.equal(
          metricValue(
            text,
            'planecheck_self_heal_dispatches_total',
            `workload_plane="${plane}",reason="NO_USER",outcome="held"`,
          ),
          3,
          `${plane}: held in each of the three cycles`,
        );
      }
      const holdLogs = () => h.logs.map((line) => JSON.parse(line) as { msg: string; planes?: number });
      const started = holdLogs().filter((line) => line.msg.startsWith('self-heal held:'));
      assert.equal(started.length, 1, 'logged once for the incident, not per plane per cycle');
      assert.equal(started[0]?.planes, 5);
      assert.ok(!holdLogs().some((line) => line.msg === 'self-heal held back'), 'no per-plane lines');

      const api = () =>
        statusResponse(
          'test',
          h.board.states(),
          { intervalMs: 1, cacheTtlMs: 1, running: true, lastCycleFinishedAt: null },
          {
            healActions: (plane) => h.healer.recentActions(plane).map(healActionView),
            healHold: () => h.healer.hold(),
          },
          Date.now(),
        );
      const during = api();
      assert.equal(during.selfHeal.held, true);
      assert.deepEqual(during.selfHeal.planes, broken);
      assert.equal(during.selfHeal.maxPlanesAtOnce, 3);
      assert.ok(during.selfHeal.heldSince);
      assert.equal(during.planes.find((p) => p.name === 'mass-a')?.selfHealHeld, true);
      assert.equal(during.planes.find((p) => p.name === 'calm')?.selfHealHeld, false);

      // Two planes come back by themselves: three left is not a mass incident, and each is repaired.
      h.platform.repair('mass-a');
      h.platform.repair('mass-b');
      await h.cycle();
      assert.equal(h.dispatches().length, 3);
      assert.deepEqual(
        h
          .dispatches()
          .map((r) => (r.body as { inputs: Record<string, string> }).inputs.workload_plane)
          .sort(),
        ['mass-c', 'mass-d', 'mass-e'],
      );
      assert.equal(holdLogs().filter((line) => line.msg.startsWith('self-heal hold over')).length, 1);
      assert.equal(api().selfHeal.held, false);
      assert.equal(api().planes.find((p) => p.name === 'mass-c')?.selfHealHeld, false);
    } finally {
      await h.close();
    }
  });

  it('keeps the hold while part of the incident turns FAILED, and ends it once few enough planes are not HEALTHY', async () => {
    const planes = ['flap-a', 'flap-b', 'flap-c', 'flap-d', 'flap-e', 'flap-f'];
    const h = await startRig({
      planes: Object.fromEntries(planes.map((plane) => [plane, 'no_user' as const])),
    });
    try {
      await h.cycle();
      assert.equal(h.healer.hold().held, true, 'six NO_USER planes with a limit of three');
      // Half of the incident now fails differently (the control plane times out, say): still one incident.
      for (const plane of ['flap-d', 'flap-e', 'flap-f']) h.platform.setScenario(plane, 'predict_500');
      await h.cycle();
      assert.equal(h.board.state('flap-d').status, 'FAILED');
      assert.equal(h.healer.hold().held, true, 'three NO_USER and three FAILED planes of the incident');
      assert.deepEqual(h.healer.hold().planes, planes);
      assert.equal(h.github.requests.length, 0, 'no GitHub request while held');

      // The FAILED planes recover: three planes of the incident are left, so self-heal repairs them.
      for (const plane of ['flap-d', 'flap-e', 'flap-f']) h.platform.repair(plane);
      await h.cycle();
      assert.equal(h.healer.hold().held, false);
      assert.deepEqual(
        h
          .dispatches()
          .map((r) => (r.body as { inputs: Record<string, string> }).inputs.workload_plane)
          .sort(),
        ['flap-a', 'flap-b', 'flap-c'],
      );
    } finally {
      await h.close();
    }
  });

  it('does not dispatch when a mass incident starts while it lists the runs', async () => {
    // A GitHub proxy that keeps the runs listings waiting until the test lets them through.
    let upstream = '';
    const waiting: (() => void)[] = [];
    let listingsSeen = 0;
    let onListing = () => {};
    const proxy = await startHttpServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const path = req.url ?? '/';
        if (req.method === 'GET' && /\/actions\/workflows\/[^/]+\/runs/.test(path)) {
          const released = new Promise<void>((resolve) => waiting.push(resolve));
          listingsSeen++;
          onListing();
          await released;
        }
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const answer = await fetch(`${upstream}${path}`, {
          method: req.method,
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await answer.arrayBuffer());
        res
          .writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
            'content-length': String(body.length),
          })
          .end(body);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    const h = await startRig({
      planes: { 'race-a': 'no_user', 'race-b': 'no_user' },
      githubConfig: (apiUrl) => {
        upstream = apiUrl;
        return { apiUrl: proxy.url, token: GITHUB_TOKEN };
      },
    });
    try {
      const bothListing = new Promise<void>((resolve) => {
        onListing = () => {
          if (listingsSeen === 2) resolve();
        };
      });
      await h.cycle(false); // two planes: under the limit, so each starts toward a dispatch
      await bothListing;
      // The next cycle sees eight planes needing repair while both listings are still waiting.
      const more = ['race-c', 'race-d', 'race-e', 'race-f', 'race-g', 'race-h'];
      h.healer.afterCycle(
        ['race-a', 'race-b', ...more].map((plane) => ({ plane, status: 'NO_USER' as const })),
      );
      assert.equal(h.healer.hold().held, true);
      for (const release of waiting) release();
      await h.healer.idle();
      assert.equal(h.dispatches().length, 0, 'no dispatch once the hold started');
      assert.equal((await h.healLog.forPlane('race-a', 10)).length, 0);
      const text = await h.metricsText();
      for (const plane of ['race-a', 'race-b']) {
        assert.equal(
          metricValue(
            text,
            'planecheck_self_heal_dispatches_total',
            `workload_plane="${plane}",reason="NO_USER",outcome="held"`,
          ),
          1,
          `${plane} counts as held`,
        );
      }
    } finally {
      for (const release of waiting) release();
      await h.close();
      await proxy.close();
    }
  });

  it('a heal-log write that fails (disk full): no dispatch, counted as an error, logged once, no slot of the hourly cap used', async () => {
    const h = await startRig({
      planes: { 'write-fails': 'no_user' },
      selfHeal: { maxDispatchesPerHour: 1 },
    });
    try {
      // A real SQLite failure on the heal log's insert, as a full disk gives.
      h.store.database.exec(`CREATE TEMP TRIGGER heal_insert_fails BEFORE INSERT ON heal_actions
        BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      await h.cycle();
      await h.cycle();
      assert.equal(
        h.github.requests.filter((r) => r.method === 'GET').length,
        2,
        'it got as far as the listing',
      );
      assert.equal(h.dispatches().length, 0, 'an attempt that cannot be recorded is not made');
      assert.equal((await h.healLog.forPlane('write-fails', 10)).length, 0, 'the write failed');
      const failures = h.logs.filter((line) => line.includes('self-heal cannot use the heal log'));
      assert.equal(failures.length, 1, `logged once over two cycles:\n${h.logs.join('\n')}`);
      assert.match(failures[0] ?? '', /write-fails/);
      assert.match(failures[0] ?? '', /database or disk is full/);
      assert.equal(
        metricValue(
          await h.metricsText(),
          'planecheck_self_heal_dispatches_total',
          'workload_plane="write-fails",reason="NO_USER",outcome="error"',
        ),
        2,
      );
      h.store.database.exec('DROP TRIGGER temp.heal_insert_fails');
      await h.cycle();
      assert.equal(h.dispatches().length, 1, 'the one attempt of the hour is still available');
      assert.ok(h.logs.some((line) => line.includes('the heal log answers again')));
    } finally {
      await h.close();
    }
  });

  it('never starts a second repair while a run for the plane is already going (another daemon, a CI job)', async () => {
    const h = await startRig({
      planes: { busy: 'no_user' },
      github: { queuedMs: 5_000, runMs: 5_000 },
    });
    try {
      // Someone else dispatched the workflow for this plane a moment ago.
      const other = await fetch(
        `${h.github.url}/repos/acme/platform/actions/workflows/production-smoke-test.yml/dispatches`,
        {
          method: 'POST',
          headers: { authorization: `token ${GITHUB_TOKEN}` },
          body: JSON.stringify({
            ref: 'main',
            inputs: { workload_plane: 'busy', reason: 'manual', correlation_id: 'by-hand' },
          }),
        },
      );
      assert.equal(other.status, 204);
      await h.cycle();
      assert.equal(h.dispatches().length, 1, 'only the other dispatch');
      const text = await h.metricsText();
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="busy",reason="NO_USER",outcome="in_progress"',
        ),
        1,
      );
    } finally {
      await h.close();
    }
  });

  it('after a restart between dispatch and run completion, follows the run and never dispatches twice', async () => {
    const first = await startRig({
      planes: { restart: 'no_user' },
      github: { queuedMs: 300, runMs: 1_200 },
    });
    await first.cycle(false);
    // Stop as soon as the dispatch is recorded: the daemon goes down with the run still queued.
    const deadline = Date.now() + 5_000;
    while (first.dispatches().length === 0 && Date.now() < deadline) await sleep(20);
    await first.close(false);
    const check = openSqliteStore(first.dbPath);
    const pending = check.database.prepare('SELECT status, outcome FROM heal_actions').all() as {
      outcome: string | null;
    }[];
    await check.close();
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.outcome, null, 'the attempt was unfinished at the restart');

    const second = await startRig({
      planes: { restart: 'no_user' },
      dbPath: first.dbPath,
      reuse: { platform: first.platform, github: first.github },
    });
    try {
      second.healer.resume();
      await second.cycle(); // the plane still reads NO_USER: this must not dispatch
      await second.healer.idle();
      assert.equal(second.dispatches().length, 1);
      const [action] = await second.healLog.forPlane('restart', 10);
      assert.equal(action?.outcome, 'fixed', [...first.logs, '--', ...second.logs].join('\n'));
    } finally {
      await second.close();
    }
  });

  it('finds the run by correlation id when the dispatch answers 204, and when run details are refused (older GHES)', async () => {
    for (const runDetails of ['no_content', 'reject'] as const) {
      const h = await startRig({ planes: { legacy: 'no_model' }, github: { runDetails } });
      try {
        await h.cycle();
        const [action] = await h.healLog.forPlane('legacy', 10);
        assert.equal(action?.outcome, 'fixed', runDetails);
        assert.ok(action?.runId, `${runDetails}: run found`);
        assert.equal(action?.reason, 'NO_ORACLE');
        const statuses = h.dispatches().map((r) => r.status);
        assert.deepEqual(statuses, runDetails === 'reject' ? [422, 204] : [204], runDetails);
      } finally {
        await h.close();
      }
    }
  });

  it('retries a 5xx', async () => {
    const h = await startRig({ planes: { flaky: 'no_user' } });
    try {
      h.github.injectFault({ status: 502, count: 1 });
      await h.cycle();
      assert.deepEqual(
        h.github.requests.slice(0, 2).map((r) => r.status),
        [502, 200],
      );
      assert.equal((await h.healLog.forPlane('flaky', 10))[0]?.outcome, 'fixed');
    } finally {
      await h.close();
    }
  });

  it('does not retry bad credentials, and reports them', async () => {
    const h = await startRig({
      planes: { denied: 'no_user' },
      githubYaml: (apiUrl) => `{ apiUrl: "${apiUrl}", token: ghp_wrongwrongwrong }`,
    });
    try {
      await h.cycle();
      assert.equal(h.github.requests.length, 1);
      assert.equal(h.github.requests[0]?.status, 401);
      assert.equal(h.dispatches().length, 0);
      assert.equal((await h.healLog.forPlane('write-fails', 10)).length, 0, 'the write failed');
      assert.ok(h.logs.some((line) => line.includes('unauthorized (401)')));
      const text = await h.metricsText();
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="denied",reason="NO_USER",outcome="error"',
        ),
        1,
      );
    } finally {
      await h.close();
    }
  });

  it('authenticates as a GitHub App: the JWT is verified, installation tokens are minted and refreshed', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const app = {
      appId: 4242,
      installationId: 77,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const h = await startRig({
      planes: { 'app-plane': 'no_user' },
      github: { token: undefined, app: { ...app, tokenLifetimeMs: 10_000 } },
      githubYaml: (apiUrl) =>
        `{ apiUrl: "${apiUrl}", app: { appId: ${app.appId}, installationId: ${app.installationId}, privateKey: ${JSON.stringify(pem)} } }`,
      tokenRefreshMarginMs: 8_000,
    });
    try {
      await h.cycle();
      assert.equal((await h.healLog.forPlane('app-plane', 10))[0]?.outcome, 'fixed');
      assert.equal(h.github.tokensMinted, 1, 'one token served every request of the heal');
      assert.ok(h.github.requests.every((r) => r.auth === 'jwt' || r.auth === 'installation-token'));
      await sleep(2_200); // the token now has less than the 8 s margin left
      await listDispatchRuns(h.client, TARGET, new Date(0));
      assert.equal(h.github.tokensMinted, 2, 'a fresh token was minted before the old one expired');

      const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const impostor = createGithubClient(
        {
          apiUrl: h.github.url,
          app: {
            appId: app.appId,
            installationId: app.installationId,
            privateKey: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          },
        },
        { log: createLogger('error', () => undefined), backoff: new MemoryHealLog() },
      );
      await assert.rejects(
        listDispatchRuns(impostor, TARGET, new Date(0)),
        (error: Error & { kind?: string }) => error.kind === 'unauthorized',
      );
    } finally {
      await h.close();
    }
  });

  it('keeps tokens out of logs, SQLite, metrics and the status API', async () => {
    const h = await startRig({ planes: { secret: 'no_user' } });
    try {
      await h.cycle();
      assert.equal((await h.healLog.forPlane('secret', 10))[0]?.outcome, 'fixed');
      const places = {
        logs: h.logs.join('\n'),
        metrics: await h.metricsText(),
        api: JSON.stringify(
          statusResponse(
            'test',
            h.board.states(),
            { intervalMs: 1, cacheTtlMs: 1, running: true, lastCycleFinishedAt: null },
            { healActions: (p) => h.healer.recentActions(p).map(healActionView) },
            Date.now(),
          ),
        ),
        sqlite: [h.dbPath, `${h.dbPath}-wal`]
          .filter((path) => existsSync(path))
          .map((path) => readFileSync(path).toString('latin1'))
          .join(''),
      };
      for (const [place, text] of Object.entries(places)) {
        assert.ok(text.length > 0, `${place} has content`);
        assert.ok(!text.includes(GITHUB_TOKEN), `the token is in ${place}`);
        assert.ok(!text.includes('test-key'), `the platform API key is in ${place}`);
      }
    } finally {
      await h.close();
    }
  });

  it('dry run: logs and counts what it would do, dispatches nothing', async () => {
    const h = await startRig({ planes: { dry: 'no_user' }, selfHeal: { dryRun: true } });
    try {
      await h.cycle();
      await h.cycle();
      assert.equal(h.dispatches().length, 0);
      assert.equal(h.github.requests.length, 0);
      assert.ok(h.logs.some((line) => line.includes('self-heal dry run')));
      const text = await h.metricsText();
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="dry",reason="NO_USER",outcome="dry_run"',
        ),
        1,
      );
      assert.equal(
        metricValue(
          text,
          'planecheck_self_heal_dispatches_total',
          'workload_plane="dry",reason="NO_USER",outcome="cooldown"',
        ),
        1,
      );
    } finally {
      await h.close();
    }
  });
});

describe('the sandbox GitHub', () => {
  it('shows each API request to a hook, which can hold it; admin calls pass by', async () => {
    const github = new SandboxGithub({ token: GITHUB_TOKEN });
    await github.start();
    const seen: GithubRequest[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    github.onRequest = (request) => {
      seen.push(request);
      return held;
    };
    try {
      let answered = false;
      const listing = fetch(`${github.url}/repos/acme/platform/actions/workflows/w.yml/runs?per_page=5`, {
        headers: { authorization: `token ${GITHUB_TOKEN}` },
      }).finally(() => (answered = true));
      const admin = await fetch(`${github.url}/admin/runs`);
      assert.equal(admin.status, 200, 'admin calls are not held');
      await eventuallySeen(() => seen.length === 1);
      assert.equal(answered, false, 'the request is held');
      assert.equal(github.requests.length, 0, 'and not handled yet');
      assert.equal(seen[0]?.method, 'GET');
      assert.equal(seen[0]?.path, '/repos/acme/platform/actions/workflows/w.yml/runs?per_page=5');
      assert.equal(typeof seen[0]?.remotePort, 'number');
      release();
      assert.equal((await listing).status, 200);
      assert.equal(github.requests.length, 1);
    } finally {
      release();
      await github.close();
    }
  });
});

async function eventuallySeen(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(10);
  assert.ok(condition(), 'the hook saw the request');
}
