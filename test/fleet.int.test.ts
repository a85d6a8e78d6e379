import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, it } from 'node:test';
import pg from 'pg';
import { getErrorMessage } from '../src/log/logger.js';
import type { Scenario } from '../src/sandbox/sandbox-platform.js';
import { eventually, type DaemonProcess } from './helpers/daemon.js';
import {
  CACHE_TTL_MS,
  FleetRig,
  INTERVAL_MS,
  metricValue,
  type FleetRigOptions,
  type FleetStatus,
} from './helpers/fleet.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { startTcpGate, type TcpGate } from './helpers/tcp-gate.js';
import { tempDir } from './helpers/tmp.js';

// Several `node dist/daemon.js` replicas on one real PostgreSQL, the sandbox platform and GitHub in this
// process. Every wait is for an event (a log line, a scrape, a status) and bounded; timeouts are generous
// because ten daemons on two CPUs are slow to start.

function planesNamed(
  prefix: string,
  count: number,
  scenario: Scenario = 'healthy',
): Record<string, Scenario> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}-${i}`, scenario]));
}

function planeOf(status: FleetStatus, plane: string): FleetStatus['planes'][number] {
  const found = status.planes.find((p) => p.name === plane);
  assert.ok(found, `${status.instance} shows plane ${plane}`);
  return found;
}

/** Every plane has a result younger than the cache TTL, on this replica. */
function assertFresh(status: FleetStatus, planes: readonly string[]): void {
  const stale = planes.filter((plane) => planeOf(status, plane).status === 'NO_VALUE');
  assert.deepEqual(stale, [], `${status.instance}: planes without a fresh result`);
}

function assertInstances(status: FleetStatus, names: readonly string[]): void {
  assert.deepEqual(
    [...status.fleet.instances].sort(),
    [...names].sort(),
    `${status.instance}: live replicas`,
  );
}

type HealView = FleetStatus['planes'][number]['selfHeal'][number];

/**
 * The run was followed to its end and the plane re-checked: an outcome is recorded. `fixed` when the re-check
 * passed; on a busy machine it can time out (`still_broken`), which is as much an outcome.
 */
function assertFollowed(action: HealView | undefined, status: FleetStatus): asserts action is HealView {
  const shown = `${status.instance}: ${JSON.stringify(action)}`;
  assert.equal(action?.conclusion, 'success', shown);
  assert.ok(action.outcome === 'fixed' || action.outcome === 'still_broken', shown);
}

function countLogs(daemon: DaemonProcess, msg: string): number {
  return daemon.logs.filter((line) => line.msg === msg).length;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until each named replica has logged `cycles` more finished cycles than it had at the call. */
async function moreCycles(fleet: FleetRig, names: readonly string[], cycles: number, timeoutMs = 60_000) {
  const before = new Map(names.map((name) => [name, countLogs(fleet.replica(name), 'cycle finished')]));
  await eventually(
    () => {
      const behind = names.filter(
        (name) => countLogs(fleet.replica(name), 'cycle finished') < (before.get(name) ?? 0) + cycles,
      );
      if (behind.length > 0) return Promise.reject(new Error(`still cycling: ${behind.join(', ')}`));
      return Promise.resolve(true);
    },
    timeoutMs,
    `${cycles} more cycles on ${names.join(', ')}`,
  );
}

/** The replica that logs the plane's dispatch first. */
function dispatcherOf(fleet: FleetRig, plane: string, timeoutMs = 60_000): Promise<string> {
  return Promise.any(
    fleet.names.map((name) =>
      fleet
        .replica(name)
        .waitForLog(
          (line) => line.msg === 'self-heal dispatched the smoke-test workflow' && line.plane === plane,
          timeoutMs,
        )
        .then(() => name),
    ),
  ).catch(() => {
    throw new Error(`no replica dispatched for ${plane} within ${timeoutMs} ms`);
  });
}

/**
 * Reads every named replica's status API over and over until stopped, and reports each plane seen NO_VALUE and
 * each request that failed: a sampling watch, so that a gap between two explicit waits cannot go unseen.
 */
function watchFreshness(fleet: FleetRig, names: readonly string[], planes: readonly string[]) {
  const problems: string[] = [];
  let watching = true;
  const loop = (async () => {
    while (watching) {
      for (const name of names) {
        try {
          const status = await fleet.status(name);
          for (const plane of planes) {
            if (planeOf(status, plane).status === 'NO_VALUE')
              problems.push(`${new Date().toISOString()} ${name}: ${plane} NO_VALUE`);
          }
        } catch (error) {
          problems.push(`${new Date().toISOString()} ${name}: ${getErrorMessage(error)}`);
        }
      }
      await sleep(200);
    }
  })();
  return {
    async stop(): Promise<string[]> {
      watching = false;
      await loop;
      return problems;
    },
  };
}

interface Scrape {
  name: string;
  at: number;
  ok: boolean;
  storageUp: number | undefined;
  error?: string;
}

/** Scrapes every named replica's /metrics over and over until stopped, recording each answer. */
function scrapeContinuously(fleet: FleetRig, names: readonly string[]) {
  const scrapes: Scrape[] = [];
  let scraping = true;
  const loop = (async () => {
    while (scraping) {
      for (const name of names) {
        const at = Date.now();
        try {
          const text = await fleet.metrics(name);
          scrapes.push({ name, at, ok: true, storageUp: metricValue(text, 'planecheck_storage_up') });
        } catch (error) {
          scrapes.push({ name, at, ok: false, storageUp: undefined, error: getErrorMessage(error) });
        }
      }
      await sleep(250);
    }
  })();
  return {
    async stop(): Promise<Scrape[]> {
      scraping = false;
      await loop;
      return scrapes;
    },
  };
}

async function query<Row extends object>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('a fleet of daemons on one PostgreSQL', () => {
  let postgres: TestPostgres | undefined;
  let postgresDown = false;
  let fleet: FleetRig | undefined;
  let gate: TcpGate | undefined;

  before(async () => {
    postgres = await startPostgres();
  });

  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
    await gate?.close();
    gate = undefined;
    if (postgresDown && postgres) {
      await postgres.start();
      postgresDown = false;
    }
  });
  after(async () => {
    await fleet?.close();
    await postgres?.close();
  });

  /**
   * A fresh database and a rig on it. `meetingAt`: that many replicas reach PostgreSQL through a gate that lets
   * their first connections through together.
   */
  async function startFleet(
    database: string,
    options: Omit<FleetRigOptions, 'databaseUrl'>,
    meetingAt?: number,
  ): Promise<{ fleet: FleetRig; databaseUrl: string }> {
    assert.ok(postgres, 'PostgreSQL is running');
    const databaseUrl = await postgres.createDatabase(database);
    let url = databaseUrl;
    if (meetingAt !== undefined) {
      gate = await startTcpGate(postgres.port, meetingAt);
      const gated = new URL(databaseUrl);
      gated.port = String(gate.port);
      url = gated.href;
    }
    fleet = await FleetRig.start({ ...options, databaseUrl: url });
    return { fleet, databaseUrl };
  }

  it(
    'one daemon on SQLite is a fleet of one: its own instance, storage up, every plane checked by itself',
    { timeout: 60_000 },
    async () => {
      const planes = planesNamed('solo', 3);
      fleet = await FleetRig.start({
        planes,
        sqlitePath: join(tempDir('planecheck-fleet-solo-'), 'planecheck.db'),
      });
      await fleet.startReplicas(['solo']);
      await fleet.everyReplica('every plane fresh', (status) => {
        assert.equal(status.instance, 'solo');
        assert.deepEqual(status.fleet.instances, ['solo']);
        assert.equal(status.storage.up, true);
        assertFresh(status, Object.keys(planes));
        for (const plane of status.planes) assert.equal(plane.checkedBy, 'solo', plane.name);
      });
      await fleet.everyScrape('a fleet of one in /metrics', (text) => {
        assert.equal(metricValue(text, 'planecheck_fleet_instances'), 1);
        assert.equal(metricValue(text, 'planecheck_storage_up'), 1);
      });
    },
  );

  it(
    'three replicas started at the same moment on an empty database all start and serve every plane',
    { timeout: 180_000 },
    async () => {
      const planes = Object.keys(planesNamed('start', 9));
      const names = ['a', 'b', 'c'];
      // Their first connections reach the server together: the schema migrations race.
      const { fleet } = await startFleet('fleet_start', { planes: planesNamed('start', 9) }, names.length);
      await fleet.startReplicas(names);
      await withTimeout(
        gate?.opened ?? Promise.reject(new Error('no gate')),
        1_000,
        'the gate to have opened',
      );

      await fleet.everyScrape('planecheck_fleet_instances 3 on every replica', (text, name) =>
        assert.equal(metricValue(text, 'planecheck_fleet_instances'), 3, name),
      );
      const statuses = await fleet.everyReplica(
        'every plane fresh on every replica, some of them checked by another replica',
        (status, name) => {
          assert.equal(status.instance, name, 'the replica that answered');
          assertInstances(status, names);
          assertFresh(status, planes);
          assert.ok(
            status.planes.some((plane) => plane.checkedBy !== null && plane.checkedBy !== name),
            `${name} shows results of other replicas`,
          );
        },
        60_000,
      );
      for (const [name, status] of statuses) {
        assert.equal(status.storage.up, true, `${name}: storage up`);
        for (const plane of status.planes)
          assert.ok(names.includes(plane.checkedBy ?? ''), `${name}: ${plane.name}`);
      }
      const texts = await fleet.everyScrape('storage up on every replica', (text, name) =>
        assert.equal(metricValue(text, 'planecheck_storage_up'), 1, name),
      );
      assert.equal(texts.size, 3);
      assert.deepEqual(fleet.exited(), []);
    },
  );

  it(
    'shares the load: about one check per plane per interval across three replicas, each doing part',
    { timeout: 180_000 },
    async () => {
      const planes = Object.keys(planesNamed('load', 12));
      const names = ['a', 'b', 'c'];
      const { fleet } = await startFleet('fleet_load', { planes: planesNamed('load', 12) });
      await fleet.startReplicas(names);
      await fleet.everyReplica(
        'every plane fresh and three replicas live, on every replica',
        (status) => {
          assertInstances(status, names);
          assertFresh(status, planes);
        },
        60_000,
      );

      // The window: until every replica has finished five more cycles.
      const from = Date.now();
      await moreCycles(fleet, names, 5);
      const until = Date.now();
      const intervals = (until - from) / INTERVAL_MS;
      const perPlane = fleet.checksPerPlane(from, until);
      const unchecked = planes.filter((plane) => (perPlane.get(plane) ?? 0) === 0);
      assert.deepEqual(unchecked, [], 'every plane was checked in the window');
      const total = [...perPlane.values()].reduce((sum, n) => sum + n, 0);
      const perPlanePerInterval = total / planes.length / intervals;
      assert.ok(
        perPlanePerInterval <= 1.5,
        `${total} checks of ${planes.length} planes in ${intervals.toFixed(1)} intervals: ` +
          `${perPlanePerInterval.toFixed(2)} per plane per interval (three replicas each checking all would be 3)`,
      );

      // Who did the work, as the platform saw it: every replica some, none all.
      const window = fleet.checks.filter((check) => check.at >= from && check.at < until);
      // A check whose connection closed before the platform looked (timed out on a busy machine) cannot be told.
      const untold = window.filter((check) => check.replica === undefined).length;
      assert.ok(untold <= window.length / 10, `${untold} of ${window.length} checks not told to a replica`);
      for (const name of names) {
        const own = new Set(window.filter((check) => check.replica === name).map((check) => check.plane));
        assert.ok(own.size > 0, `${name} checked some planes`);
        assert.ok(own.size < planes.length, `${name} did not check every plane (${own.size})`);
      }
      // And as the API says: on every replica, every replica's share of the latest results is above zero.
      const statuses = await fleet.everyReplica('statuses', () => undefined);
      for (const [name, status] of statuses) {
        for (const checker of names) {
          assert.ok(
            status.planes.some((plane) => plane.checkedBy === checker),
            `${name}'s API shows results checked by ${checker}: ${status.planes.map((p) => p.checkedBy).join()}`,
          );
        }
      }
      assert.deepEqual(fleet.exited(), []);
    },
  );

  it(
    'a replica SIGKILLed mid-check: its planes stay fresh on the survivors, and the fleet counts two',
    { timeout: 180_000 },
    async () => {
      const planes = Object.keys(planesNamed('kill', 6));
      const names = ['a', 'b', 'c'];
      const { fleet } = await startFleet('fleet_kill', { planes: planesNamed('kill', 6) });
      await fleet.startReplicas(names);
      await fleet.everyReplica(
        'every plane fresh and three replicas live',
        (status) => {
          assertInstances(status, names);
          assertFresh(status, planes);
        },
        60_000,
      );

      // The next check of kill-0 is held at the platform, and the replica that sent it is killed mid-check.
      const target = 'kill-0';
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const caught = new Promise<string>((resolve) => {
        fleet.tap = (request, replica) => {
          if (request.plane !== target || request.step !== 'user_lookup' || replica === undefined) return;
          fleet.tap = undefined;
          resolve(replica);
          return held;
        };
      });
      try {
        const victim = await withTimeout(caught, 30_000, `a check of ${target}`);
        const survivors = names.filter((name) => name !== victim);
        const watch = watchFreshness(fleet, survivors, planes);
        await fleet.kill(victim);
        const killedAt = Date.now();
        release();

        await fleet.everyReplica(
          'every plane checked again by a survivor after the kill, on both survivors',
          (status) => {
            for (const plane of planes) {
              const shown = planeOf(status, plane);
              assert.ok(Date.parse(shown.checkedAt ?? '') > killedAt, `${plane} checked after the kill`);
              assert.ok(survivors.includes(shown.checkedBy ?? ''), `${plane} checked by a survivor`);
            }
          },
          30_000,
        );
        const recheck = fleet.checks.find((check) => check.plane === target && check.at > killedAt);
        assert.ok(recheck, `${target} was checked again`);
        assert.ok(
          recheck.at - killedAt <= 2 * INTERVAL_MS + 1_000,
          `${target} was checked again within the same or the next interval (${recheck.at - killedAt} ms)`,
        );
        assert.ok(survivors.includes(recheck.replica ?? ''), `by a survivor (${recheck.replica})`);

        await fleet.everyScrape(
          'planecheck_fleet_instances 2 on the survivors',
          (text, name) => assert.equal(metricValue(text, 'planecheck_fleet_instances'), 2, name),
          60_000,
        );
        await fleet.everyReplica('two live replicas in the API', (status) =>
          assertInstances(status, survivors),
        );
        const problems = await watch.stop();
        const timeline = fleet.checks
          .filter((check) => check.plane === target && Math.abs(check.at - killedAt) < 3 * CACHE_TTL_MS)
          .map((check) => `${check.at - killedAt} ms by ${check.replica}`);
        const rescues = survivors.flatMap((name) =>
          fleet
            .replica(name)
            .logs.filter((line) => line.msg === 'checking planes a replica left unchecked')
            .map(
              (line) =>
                `${name} at ${Date.parse(String(line.time)) - killedAt} ms: ${String(line.planeNames)}`,
            ),
        );
        assert.deepEqual(
          problems,
          [],
          `no plane NO_VALUE on a survivor (cache TTL ${CACHE_TTL_MS} ms); ${victim} killed at ` +
            `${new Date(killedAt).toISOString()}; checks of ${target} relative to the kill: ${timeline.join(', ')}; ` +
            `rescues: ${rescues.join('; ') || 'none'}`,
        );
        assert.deepEqual(fleet.exited(), []);
      } finally {
        release();
      }
    },
  );

  it(
    'ten replicas that see the same NO_USER at the same moment make exactly one dispatch, followed to its outcome',
    { timeout: 300_000 },
    async () => {
      const plane = 'heal-once';
      const planes = { [plane]: 'healthy', 'calm-0': 'healthy', 'calm-1': 'healthy' } as const;
      const names = Array.from({ length: 10 }, (_, i) => `r${String(i + 1).padStart(2, '0')}`);
      const { fleet } = await startFleet('fleet_dispatch', { planes, selfHeal: {} });
      await fleet.startReplicas(names, 120_000);
      await fleet.everyReplica(
        'every plane fresh and ten replicas live, on every replica',
        (status) => {
          assertInstances(status, names);
          assertFresh(status, Object.keys(planes));
        },
        120_000,
      );

      // Each replica that decides to repair first asks GitHub for runs already going. Those requests are held
      // until all ten replicas have asked, then let go together: ten decisions to dispatch, made at the same
      // moment, and only the fleet-wide record (the heal log's lock) between them and ten dispatches.
      const asked = new Set<string>();
      let letGo = () => {};
      const gate = new Promise<void>((resolve) => (letGo = resolve));
      let everyoneAsked = () => {};
      const allAsked = new Promise<void>((resolve) => (everyoneAsked = resolve));
      fleet.githubTap = (request, replica) => {
        if (request.method !== 'GET' || !/\/actions\/workflows\/[^/]+\/runs/.test(request.path)) return;
        if (replica === undefined) return;
        asked.add(replica);
        if (asked.size === names.length) everyoneAsked();
        return gate;
      };
      fleet.platform.setScenario(plane, 'no_user');
      try {
        // Below GitHub's request timeout (30 s), so the first ones to ask are still waiting.
        await withTimeout(allAsked, 25_000, 'every replica to look for a running repair').catch(
          (error: Error) => {
            throw new Error(`${error.message}; asked: ${[...asked].sort().join(', ')}`);
          },
        );
      } finally {
        fleet.githubTap = undefined;
        letGo();
      }
      await fleet.everyScrape(
        `a self-heal decision for ${plane} on every replica`,
        (text, name) =>
          assert.ok(
            (metricValue(text, 'planecheck_self_heal_dispatches_total', { workload_plane: plane }) ?? 0) >= 1,
            `${name} has decided`,
          ),
        60_000,
      );
      assert.equal(fleet.dispatches().length, 1, 'GitHub received exactly one dispatch');
      assert.equal(fleet.github?.runs.length, 1);
      const run = fleet.github?.runs[0];

      const statuses = await fleet.everyReplica(
        'the dispatch followed to its outcome, shown by every replica',
        (status) => {
          const [action] = planeOf(status, plane).selfHeal;
          assertFollowed(action, status);
        },
        90_000,
      );
      for (const [name, status] of statuses) {
        const actions = planeOf(status, plane).selfHeal;
        assert.equal(actions.length, 1, `${name}: one heal action`);
        assert.equal(actions[0]?.runId, run?.id, `${name}: the run`);
      }
      let dispatched = 0;
      for (const name of names) {
        dispatched +=
          metricValue(await fleet.metrics(name), 'planecheck_self_heal_dispatches_total', {
            workload_plane: plane,
            outcome: 'dispatched',
          }) ?? 0;
      }
      assert.equal(dispatched, 1, 'one replica counts a dispatch');
      assert.equal(fleet.dispatches().length, 1);
      assert.deepEqual(fleet.exited(), []);
    },
  );

  it(
    'the dispatcher SIGKILLed while following its run: another replica follows it and records the outcome',
    { timeout: 240_000 },
    async () => {
      const plane = 'heal-follow';
      const names = ['a', 'b', 'c'];
      const { fleet } = await startFleet('fleet_follow', {
        planes: { [plane]: 'healthy', 'calm-0': 'healthy' },
        selfHeal: {},
        github: { queuedMs: 4_000, runMs: 3_000 },
      });
      await fleet.startReplicas(names);
      await fleet.everyReplica(
        'every plane fresh and three replicas live',
        (status) => {
          assertInstances(status, names);
          assertFresh(status, [plane, 'calm-0']);
        },
        60_000,
      );

      fleet.platform.setScenario(plane, 'no_user');
      const dispatcher = await dispatcherOf(fleet, plane);
      await fleet.kill(dispatcher);
      const goneAt = Date.now();
      const run = fleet.github?.runs[0];
      assert.ok(run);
      assert.notEqual(run.status, 'completed', 'the run was still going when its follower died');

      const statuses = await fleet.everyReplica(
        'the outcome recorded by a survivor, shown by both',
        (status) => {
          const [action] = planeOf(status, plane).selfHeal;
          assertFollowed(action, status);
          assert.equal(action.runId, run.id);
        },
        120_000,
      );
      assert.equal(statuses.size, 2);
      const polledAfter = fleet.githubRequests.filter(
        (r) => r.method === 'GET' && r.path.endsWith(`/actions/runs/${run.id}`) && r.at > goneAt,
      );
      assert.ok(polledAfter.length > 0, 'the run was polled after the dispatcher was gone');
      const survivors = names.filter((name) => name !== dispatcher);
      assert.deepEqual(
        polledAfter.filter((r) => !survivors.includes(r.replica ?? '')),
        [],
        'by survivors',
      );
      assert.equal(fleet.dispatches().length, 1, 'and did not dispatch again');
      assert.deepEqual(fleet.exited(), []);
    },
  );

  it(
    'a replica rejoining after a kill under the same name makes no new dispatch inside the cooldown',
    { timeout: 240_000 },
    async () => {
      const plane = 'heal-rejoin';
      const names = ['a', 'b'];
      // The repair fails: the plane stays NO_USER, and only the cooldown stands between it and a new dispatch.
      const { fleet } = await startFleet('fleet_rejoin', {
        planes: { [plane]: 'healthy', 'calm-0': 'healthy' },
        selfHeal: {},
        github: { conclusion: 'failure', queuedMs: 200, runMs: 300 },
      });
      await fleet.startReplicas(names);
      await fleet.everyReplica(
        'every plane fresh and two replicas live',
        (status) => {
          assertInstances(status, names);
          assertFresh(status, [plane, 'calm-0']);
        },
        60_000,
      );

      fleet.platform.setScenario(plane, 'no_user');
      const dispatcher = await dispatcherOf(fleet, plane);
      await fleet.everyReplica(
        'the failed run recorded',
        (status) => assert.equal(planeOf(status, plane).selfHeal[0]?.outcome, 'workflow_failed'),
        60_000,
      );
      assert.equal(fleet.dispatches().length, 1);

      await fleet.kill(dispatcher);
      const [rejoined] = await fleet.startReplicas([dispatcher]);
      assert.ok(rejoined);
      await fleet.everyReplica('both replicas live again', (status) => {
        assertInstances(status, names);
        assert.equal(planeOf(status, plane).status, 'NO_USER');
      });
      // The rejoined replica decides about the broken plane cycle after cycle, and holds back each time.
      await eventually(
        async () => {
          const text = await fleet.metrics(dispatcher);
          const decisions =
            metricValue(text, 'planecheck_self_heal_dispatches_total', { workload_plane: plane }) ?? 0;
          return decisions >= 3 ? text : undefined;
        },
        60_000,
        `three self-heal decisions for ${plane} on the rejoined replica`,
      );
      const text = await fleet.metrics(dispatcher);
      assert.equal(
        metricValue(text, 'planecheck_self_heal_dispatches_total', {
          workload_plane: plane,
          outcome: 'dispatched',
        }) ?? 0,
        0,
        'the rejoined replica dispatched nothing',
      );
      assert.equal(fleet.dispatches().length, 1, 'GitHub received no second dispatch');
      assert.deepEqual(fleet.exited(), []);
    },
  );

  it(
    'PostgreSQL down for several intervals: replicas live on, check everything, scrape, dispatch nothing, write it all after',
    { timeout: 300_000 },
    async () => {
      assert.ok(postgres);
      const healPlane = 'outage-heal';
      const planeScenarios = { ...planesNamed('outage', 4), [healPlane]: 'healthy' as Scenario };
      const planes = Object.keys(planeScenarios);
      const names = ['a', 'b', 'c'];
      const { fleet, databaseUrl } = await startFleet('fleet_outage', {
        planes: planeScenarios,
        selfHeal: {},
      });
      await fleet.startReplicas(names);
      await fleet.everyReplica(
        'every plane fresh, three replicas live, storage up',
        (status) => {
          assertInstances(status, names);
          assertFresh(status, planes);
          assert.equal(status.storage.up, true);
        },
        60_000,
      );

      const scraper = scrapeContinuously(fleet, names);
      let scrapes: Scrape[] = [];
      try {
        await postgres.stopServer();
        postgresDown = true;
        const downAt = Date.now();
        await fleet.everyScrape(
          'planecheck_storage_up 0 on every replica',
          (text, name) => assert.equal(metricValue(text, 'planecheck_storage_up'), 0, name),
          60_000,
        );
        await fleet.everyReplica('storage down in the API', (status) =>
          assert.equal(status.storage.up, false, status.instance),
        );
        for (const name of names)
          await fleet.replica(name).waitForLog((line) => line.msg === 'store not answering');
        const confirmedDownAt = Date.now();

        // A plane breaks during the outage: no replica may dispatch what it cannot record.
        fleet.platform.setScenario(healPlane, 'no_user');
        await moreCycles(fleet, names, 3);
        await fleet.everyReplica(
          'each replica checking every plane itself',
          (status, name) => {
            assertFresh(status, planes);
            for (const plane of planes) {
              const shown = planeOf(status, plane);
              assert.equal(shown.checkedBy, name, `${name}: ${plane} checked by itself`);
              assert.ok(
                Date.parse(shown.checkedAt ?? '') > confirmedDownAt,
                `${name}: ${plane} checked lately`,
              );
            }
            assert.equal(planeOf(status, healPlane).status, 'NO_USER');
          },
          60_000,
        );
        // Every replica considered the broken plane, and held back.
        await fleet.everyScrape(
          `a self-heal decision for ${healPlane} on every replica, during the outage`,
          (text, name) => {
            const decided = metricValue(text, 'planecheck_self_heal_dispatches_total', {
              workload_plane: healPlane,
            });
            assert.ok((decided ?? 0) >= 1, `${name} decided`);
            const sent = { workload_plane: healPlane, outcome: 'dispatched' };
            assert.equal(metricValue(text, 'planecheck_self_heal_dispatches_total', sent) ?? 0, 0, name);
          },
          30_000,
        );
        assert.deepEqual(fleet.exited(), [], 'no replica died');
        assert.equal(fleet.dispatches().length, 0, 'no dispatch while PostgreSQL is down');
        assert.ok(downAt < confirmedDownAt);

        const upAt = Date.now();
        await postgres.start();
        postgresDown = false;
        await fleet.everyScrape(
          'planecheck_storage_up 1 again on every replica',
          (text, name) => assert.equal(metricValue(text, 'planecheck_storage_up'), 1, name),
          90_000,
        );
        await fleet.everyReplica('storage up in the API', (status) => assert.equal(status.storage.up, true));
        for (const name of names) {
          await fleet.replica(name).waitForLog((line) => line.msg === 'store answering again', 30_000);
        }
        scrapes = await scraper.stop();

        const during = scrapes.filter((scrape) => scrape.at >= confirmedDownAt && scrape.at < upAt);
        assert.ok(during.length >= names.length * 3, `scraped through the outage (${during.length} scrapes)`);
        assert.deepEqual(
          during.filter((scrape) => !scrape.ok || scrape.storageUp !== 0),
          [],
          'every scrape during the outage answered 200 with planecheck_storage_up 0',
        );
        assert.deepEqual(
          scrapes.filter((scrape) => !scrape.ok),
          [],
          'every scrape answered',
        );

        // What each replica checked during the outage is in PostgreSQL now.
        const written = await eventually(
          async () => {
            const rows = await query<{ checked_by: string; plane: string; n: string }>(
              databaseUrl,
              `SELECT checked_by, plane, count(*) AS n FROM check_history
             WHERE checked_at > $1 AND checked_at < $2 GROUP BY checked_by, plane`,
              [confirmedDownAt, upAt],
            );
            // Each replica ran at least five cycles in the window, checking every plane in each.
            const stored = new Map(rows.map((row) => [`${row.checked_by}/${row.plane}`, Number(row.n)]));
            const missing = names.flatMap((name) =>
              planes
                .map((plane) => `${name}/${plane}`)
                .filter((key) => (stored.get(key) ?? 0) < 3)
                .map((key) => `${key} (${stored.get(key) ?? 0})`),
            );
            if (missing.length > 0) throw new Error(`fewer than 3 in check_history: ${missing.join(', ')}`);
            return rows;
          },
          60_000,
          'the results checked during the outage in check_history',
        );
        assert.ok(written.length >= names.length * planes.length);
        assert.ok(fleet.dispatches().length <= 1, 'at most one dispatch once the store is back');
        assert.deepEqual(fleet.exited(), []);
      } finally {
        if (scrapes.length === 0) await scraper.stop();
      }
    },
  );

  it(
    'keeps no secret in any table: API key, GitHub token and the database password',
    { timeout: 180_000 },
    async () => {
      const apiKey = 'pk-fleet-SECRET-7d1f0c2b9e4a';
      const githubToken = 'ghp_fleetSECRETtoken5a8e2c71d9f0';
      const names = ['a', 'b'];
      const { fleet, databaseUrl } = await startFleet('fleet_secrets', {
        planes: { 'secret-heal': 'no_user', 'secret-ok': 'healthy' },
        selfHeal: {},
        apiKey,
        githubToken,
      });
      const password = decodeURIComponent(new URL(databaseUrl).password);
      assert.ok(password.length >= 8, 'the database URL carries a password');
      await fleet.startReplicas(names);
      await fleet.everyReplica(
        'a repair done and recorded, the API key accepted',
        (status) => {
          assertFollowed(planeOf(status, 'secret-heal').selfHeal[0], status);
          assert.equal(planeOf(status, 'secret-ok').status, 'HEALTHY');
        },
        90_000,
      );
      for (const name of names) assert.equal(await fleet.replica(name).stop(), 0, `${name} stopped cleanly`);

      const tables = await query<{ table_schema: string; table_name: string }>(
        databaseUrl,
        `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
       ORDER BY 1, 2`,
      );
      assert.ok(tables.length > 0);
      let dump = '';
      for (const { table_schema: schema, table_name: table } of tables) {
        const rows = await query<{ row: string }>(
          databaseUrl,
          `SELECT row_to_json(t)::text AS row FROM "${schema.replaceAll('"', '""')}"."${table.replaceAll('"', '""')}" t`,
        );
        dump += `${schema}.${table}\n${rows.map((r) => r.row).join('\n')}\n`;
      }
      assert.match(dump, /secret-heal/, 'the dump holds the results and heal actions');
      assert.match(dump, /"checked_by":"a"|"checked_by":"b"/);
      for (const [what, secret] of [
        ['platform API key', apiKey],
        ['GitHub token', githubToken],
        ['database password', password],
      ] as const) {
        assert.ok(!dump.includes(secret), `the ${what} is in no table`);
        for (const name of names) {
          const daemon = fleet.replica(name);
          assert.ok(
            !JSON.stringify(daemon.logs).includes(secret),
            `the ${what} is in no log line of ${name}`,
          );
          assert.ok(!daemon.stderr().includes(secret), `the ${what} is not on ${name}'s stderr`);
        }
      }
    },
  );
});
