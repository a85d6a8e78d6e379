import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { GITHUB_TOKEN, startHealHarness } from './helpers/heal-harness.js';
import { startListingGate } from './helpers/listing-gate.js';

/**
 * Two replicas of a fleet: two self-healers with their own instance names, check cycles and connections to
 * one database file, repairing through one (sandbox) GitHub.
 */

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

const dispatchesTotal = (outcome: string) =>
  [
    `planecheck_self_heal_dispatches_total`,
    `workload_plane="p",reason="NO_USER",outcome="${outcome}"`,
  ] as const;

/** Waits until `condition` holds, checking as the event loop turns (no fixed sleep). */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

type Harness = Awaited<ReturnType<typeof startHealHarness>>;

async function startPair(options: {
  github?: Parameters<typeof startHealHarness>[0]['github'];
  githubUrl?: (sandboxUrl: string) => string;
  now?: () => number;
  selfHeal?: Record<string, string | number | boolean>;
}): Promise<[Harness, Harness]> {
  const common = {
    planes: { p: 'no_user' as const },
    github: options.github,
    now: options.now,
    selfHeal: options.selfHeal,
    githubConfig: (apiUrl: string) => ({
      apiUrl: options.githubUrl?.(apiUrl) ?? apiUrl,
      token: GITHUB_TOKEN,
    }),
  };
  const a = await startHealHarness({ ...common, instance: 'replica-a' });
  const b = await startHealHarness({
    ...common,
    instance: 'replica-b',
    dbPath: a.dbPath,
    reuse: { platform: a.platform, github: a.github },
  });
  return [a, b];
}

describe('self-heal in a fleet: replicas share one heal log', () => {
  it('two replicas seeing the same NO_USER at the same moment make one dispatch; the other records and sends nothing', async () => {
    let sandboxUrl = '';
    const gate = await startListingGate(() => sandboxUrl);
    const [a, b] = await startPair({
      githubUrl: (apiUrl) => {
        sandboxUrl = apiUrl;
        return gate.url;
      },
    });
    try {
      // Both check the plane and both decide to repair it: each lists the runs and finds none running.
      await Promise.all([a.cycle(false), b.cycle(false)]);
      await gate.waitForHeld(2);
      const listings = a.github.requests.filter((r) => r.method === 'GET' && r.path.includes('/runs'));
      assert.equal(listings.length, 2, 'GitHub answered both listings');
      assert.equal(a.dispatches().length, 0, 'before either dispatched');
      gate.release();
      await Promise.all([a.healer.idle(), b.healer.idle()]);

      assert.equal(a.dispatches().length, 1, 'one dispatch request reached GitHub');
      const actions = await a.healLog.forPlane('p', 10);
      assert.equal(actions.length, 1, 'one attempt recorded');
      const [action] = actions;
      assert.ok(action);
      assert.equal(action.outcome, 'fixed');
      const [winner, loser] = action.follower === 'replica-a' ? [a, b] : [b, a];
      assert.equal(winner.dispatches().length, 1);

      // The loser got past its own look at GitHub and was stopped by the heal log's locked decision.
      assert.equal(metricValue(await winner.metricsText(), ...dispatchesTotal('dispatched')), 1);
      const loserMetrics = await loser.metricsText();
      assert.equal(metricValue(loserMetrics, ...dispatchesTotal('dispatched')), 0);
      assert.equal(metricValue(loserMetrics, ...dispatchesTotal('in_progress')), 1);
      const heldBack = loser.logs
        .map((line) => JSON.parse(line) as { msg: string; outcome?: string; detail?: string })
        .filter((line) => line.msg === 'self-heal held back');
      assert.equal(heldBack.length, 1, loser.logs.join('\n'));
      assert.equal(heldBack[0]?.outcome, 'in_progress');
      assert.match(heldBack[0]?.detail ?? '', new RegExp(`attempt ${action.correlationId} is dispatching`));
      assert.ok(
        !loser.logs.some((line) => line.includes('a smoke-test run for this plane is already going')),
        'not stopped by a run it saw on GitHub',
      );

      // The loser's status API shows the winner's attempt once it has re-read the heal log (after a cycle).
      await loser.cycle();
      assert.equal(loser.healer.recentActions('p')[0]?.outcome, 'fixed');
      assert.equal(loser.healer.recentActions('p')[0]?.follower, winner === a ? 'replica-a' : 'replica-b');
      assert.equal(a.dispatches().length, 1);
    } finally {
      await b.close(false);
      await a.close();
      await gate.close();
    }
  });

  it('the dispatching replica stopped while following hands the run back: the other takes it over and records the outcome', async () => {
    const [a, b] = await startPair({ github: { queuedMs: 300, runMs: 1_500 } });
    try {
      await a.cycle(false);
      await until(() => a.healer.recentActions('p')[0]?.status === 'queued', "a's run to be queued");
      await a.close(false); // a clean stop, with the run still going
      const [handedBack] = await b.healLog.forPlane('p', 10);
      assert.ok(handedBack);
      assert.equal(handedBack.outcome, null, 'stopped before the outcome');
      assert.notEqual(handedBack.status, 'completed', 'stopped while the run was going');
      assert.equal(handedBack.follower, 'replica-a');
      assert.equal(handedBack.followUntil, 0, 'the lease was handed back');

      await b.cycle(); // b still sees NO_USER: it takes the run over instead of dispatching again
      const [action] = await b.healLog.forPlane('p', 10);
      assert.equal(action?.id, handedBack.id);
      assert.equal(action?.outcome, 'fixed');
      assert.equal(action?.follower, 'replica-b');
      assert.equal(b.dispatches().length, 1, 'never dispatched twice');
      assert.ok(
        b.logs.some(
          (line) => line.includes('self-heal follows an unfinished attempt') && line.includes('replica-a'),
        ),
      );
      const text = await b.metricsText();
      assert.equal(
        metricValue(text, 'planecheck_self_heal_outcomes_total', 'workload_plane="p",outcome="fixed"'),
        1,
      );
      assert.equal(metricValue(text, ...dispatchesTotal('dispatched')), 0, 'b dispatched nothing');
      assert.equal(b.board.state('p').status, 'HEALTHY', "b's re-check published the repaired plane");
    } finally {
      await b.close();
    }
  });

  it('a follower that vanishes without a word is taken over once its lease has passed, not before', async () => {
    const clock = { at: Date.now() };
    const [a, b] = await startPair({
      github: { queuedMs: 300, runMs: 1_500 },
      now: () => clock.at,
      selfHeal: { runTimeout: '10m' },
    });
    try {
      await a.cycle(false);
      await until(() => a.healer.recentActions('p')[0]?.status === 'queued', "a's run to be queued");
      // a loses the heal log (a dead process, a cut network): none of its writes land from here on.
      a.store.database.exec(`CREATE TEMP TRIGGER a_is_gone BEFORE UPDATE ON heal_actions
        BEGIN SELECT RAISE(ABORT, 'replica a is gone'); END`);
      await a.healer.idle();
      const [orphan] = await b.healLog.forPlane('p', 10);
      assert.ok(orphan);
      assert.equal(orphan.outcome, null);
      assert.equal(orphan.follower, 'replica-a');
      assert.equal(orphan.followUntil, orphan.dispatchedAt + 30_000, 'the lease: at least 30 s');

      await b.cycle();
      assert.equal((await b.healLog.forPlane('p', 10))[0]?.follower, 'replica-a', "a's lease still runs");
      assert.ok(!b.logs.some((line) => line.includes('self-heal follows an unfinished attempt')));

      clock.at += 30_001;
      await b.cycle();
      const [action] = await b.healLog.forPlane('p', 10);
      assert.equal(action?.id, orphan.id);
      assert.equal(action?.follower, 'replica-b');
      assert.equal(action?.outcome, 'fixed');
      assert.equal(b.dispatches().length, 1, 'never dispatched twice');
    } finally {
      await b.close(false);
      await a.close();
    }
  });
});
