import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResultStore } from '../src/check/result-store.js';
import type { StoredResult } from '../src/check/stored-result.js';
import type { HealAction } from '../src/heal/heal-action.js';
import type { HealLog, NewHealAction } from '../src/heal/heal-log.js';
import { openPostgresHealLog } from '../src/store/postgres/pg-heal-log.js';
import { openPostgresStore } from '../src/store/postgres/pg-store.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { join } from 'node:path';
import { SqliteHealLog } from '../src/store/sqlite-heal-log.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { tempDir } from './helpers/tmp.js';
import type { AuditTrail } from '../src/audit/audit-trail.js';
import type { MaintenanceStore } from '../src/maintenance/maintenance-store.js';
import { PostgresAuditTrail } from '../src/store/postgres/pg-audit.js';
import { PostgresMaintenanceStore } from '../src/store/postgres/pg-maintenance.js';
import { SqliteAuditTrail } from '../src/store/sqlite-audit.js';
import { SqliteMaintenanceStore } from '../src/store/sqlite-maintenance.js';

/**
 * The store contract: the same cases against every adapter of the result store and heal log ports, each on
 * real storage (a SQLite file, a PostgreSQL server).
 */
interface Subject {
  store: ResultStore;
  healLog: HealLog;
  maintenance: MaintenanceStore;
  audit: AuditTrail;
  /** Waits for writes the adapter does in the background (the GitHub stop). */
  flush(): Promise<void>;
  /** Closes this handle and opens the same storage again (a restart). */
  reopen(): Promise<Subject>;
  /** A second handle on the same storage, as another process or replica has. */
  another(): Promise<Subject>;
  close(): Promise<void>;
}

interface Adapter {
  name: string;
  /** Fresh, empty storage for one case. */
  open(name: string): Promise<Subject>;
}

const open: Subject[] = [];
let server: TestPostgres | undefined;

async function openPostgres(url: string): Promise<Subject> {
  const store = await openPostgresStore(url);
  const healLog = await openPostgresHealLog(store.pool);
  const subject: Subject = {
    store,
    healLog,
    maintenance: new PostgresMaintenanceStore(store.pool),
    audit: new PostgresAuditTrail(store.pool),
    flush: () => healLog.flush(),
    async reopen() {
      await subject.close();
      return openPostgres(url);
    },
    another: () => openPostgres(url),
    async close() {
      open.splice(open.indexOf(subject), 1);
      await healLog.flush();
      await store.close();
    },
  };
  open.push(subject);
  return subject;
}

const postgres: Adapter = {
  name: 'PostgreSQL',
  async open(name) {
    server ??= await startPostgres();
    return openPostgres(await server.createDatabase(name));
  },
};

function openSqlite(path: string): Subject {
  const store = openSqliteStore(path);
  const healLog = new SqliteHealLog(store.database);
  const subject: Subject = {
    store,
    healLog,
    maintenance: new SqliteMaintenanceStore(store.database),
    audit: new SqliteAuditTrail(store.database),
    flush: () => Promise.resolve(),
    async reopen() {
      await subject.close();
      return openSqlite(path);
    },
    another: () => Promise.resolve(openSqlite(path)),
    async close() {
      open.splice(open.indexOf(subject), 1);
      await store.close();
    },
  };
  open.push(subject);
  return subject;
}

const sqlite: Adapter = {
  name: 'SQLite',
  open: () => Promise.resolve(openSqlite(join(tempDir(), 'planecheck.db'))),
};

const ADAPTERS: Adapter[] = [sqlite, postgres];

after(async () => {
  await Promise.allSettled([...open].map((subject) => subject.close()));
  await server?.close();
});

const HOUR = 3_600_000;
/** A fixed hour boundary, so cases that count per hour do not depend on the time they run. */
const T0 = 1_780_000 * HOUR;

function result(
  plane: string,
  checkedAt: number,
  status: StoredResult['status'] = 'HEALTHY',
  checkedBy = 'replica-a',
): StoredResult {
  return {
    plane,
    status,
    reason: status === 'HEALTHY' ? null : 'predict_http_500',
    checkedAt,
    durationMs: 12.5,
    steps:
      status === 'HEALTHY'
        ? [{ step: 'user_lookup', outcome: 'ok', durationMs: 3 }]
        : [
            { step: 'user_lookup', outcome: 'ok', durationMs: 3 },
            {
              step: 'predict',
              outcome: 'failed',
              durationMs: 9.5,
              reason: 'predict_http_500',
              detail: 'HTTP 500 «é»',
            },
          ],
    checkedBy,
  };
}

function action(plane: string, dispatchedAt: number, overrides: Partial<NewHealAction> = {}): NewHealAction {
  return {
    plane,
    reason: 'NO_USER',
    correlationId: `${plane}-${dispatchedAt}-${Math.random().toString(36).slice(2)}`,
    dispatchedAt,
    status: 'dispatching',
    runId: null,
    runUrl: null,
    conclusion: null,
    outcome: null,
    error: null,
    updatedAt: dispatchedAt,
    follower: 'replica-a',
    followUntil: dispatchedAt + 60_000,
    ...overrides,
  };
}

/** Records `next` unconditionally (the decision is not what the case is about). */
async function record(log: HealLog, next: NewHealAction): Promise<HealAction> {
  const stored = await log.insertIf(next.plane, next.dispatchedAt, () => next);
  assert.ok(stored, 'recorded');
  return stored;
}

for (const adapter of ADAPTERS) {
  describe(`store contract: ${adapter.name}`, () => {
    let subject: Subject;
    before(async () => {
      // Starts the server (if the adapter has one) outside any case's time.
      subject = await adapter.open('warmup');
      await subject.close();
    });

    it('keeps run-time maintenance per plane across a restart and for another replica; end and expiry delete it once', async () => {
      subject = await adapter.open('maintenance');
      const a = { plane: 'a', startedAt: T0, until: T0 + HOUR, note: 'drain «é»', actor: 'api:alice' };
      const b = { plane: 'b', startedAt: T0, until: T0 + 2 * HOUR, note: '', actor: 'api:bearer' };
      await subject.maintenance.start(a);
      await subject.maintenance.start(b);
      assert.deepEqual(await subject.maintenance.active(T0 + 1), [a, b]);
      subject = await subject.reopen();
      const other = await subject.another();
      assert.deepEqual(await other.maintenance.active(T0 + 1), [a, b], 'kept, and seen by another replica');
      const longer = { ...a, until: T0 + 3 * HOUR, actor: 'api:bob' };
      await other.maintenance.start(longer);
      assert.deepEqual(await subject.maintenance.active(T0 + 1), [longer, b], 'a new start replaces the old');
      assert.deepEqual(await subject.maintenance.active(T0 + 2 * HOUR), [longer], 'b has run out');
      assert.deepEqual(await subject.maintenance.expire(T0 + 2 * HOUR), [b], 'expiry deletes and returns it');
      assert.deepEqual(
        await other.maintenance.expire(T0 + 2 * HOUR),
        [],
        'once: the other replica finds none',
      );
      assert.deepEqual(await other.maintenance.end('a', T0 + HOUR), longer, 'end returns what was running');
      assert.equal(await subject.maintenance.end('a', T0 + HOUR), undefined, 'nothing left to end');
      assert.deepEqual(await subject.maintenance.active(T0), []);
    });

    it('shows a stored maintenance to the locked dispatch decision while it runs', async () => {
      subject = await adapter.open('maintenance_decide');
      await subject.maintenance.start({
        plane: 'a',
        startedAt: T0,
        until: T0 + HOUR,
        note: '',
        actor: 'api:x',
      });
      const seen: (number | null)[] = [];
      for (const [plane, at] of [
        ['a', T0 + 1_000],
        ['b', T0 + 1_000],
        ['a', T0 + HOUR],
      ] as const) {
        await subject.healLog.insertIf(plane, at, (view) => {
          seen.push(view.maintenanceUntil);
          return undefined;
        });
      }
      assert.deepEqual(seen, [T0 + HOUR, null, null]);
    });

    it('pages the audit trail newest first by cursor, drops events whose key is stored, and shares it', async () => {
      subject = await adapter.open('audit');
      const event = (n: number, key?: string) => ({
        at: T0 + n,
        plane: n % 2 === 0 ? `p${n}` : null,
        kind: 'dispatch' as const,
        actor: 'daemon:replica-a',
        reason: `event ${n} «é»`,
        ...(key === undefined ? {} : { key }),
      });
      await subject.audit.record([event(1), event(2, 'k2'), event(3)]);
      await subject.audit.record([]);
      const other = await subject.another();
      await other.audit.record([event(4, 'k2'), event(5, 'k5'), event(6, 'k5')]);
      const first = await subject.audit.page(3);
      assert.deepEqual(
        first.map((e) => e.reason),
        ['event 5 «é»', 'event 3 «é»', 'event 2 «é»'],
        'a stored key drops the later event, also within one batch',
      );
      assert.deepEqual(first[2], {
        id: first[2]?.id,
        at: T0 + 2,
        plane: 'p2',
        kind: 'dispatch',
        actor: 'daemon:replica-a',
        reason: 'event 2 «é»',
      });
      const next = await other.audit.page(3, first.at(-1)?.id);
      assert.deepEqual(
        next.map((e) => e.at - T0),
        [1],
      );
      assert.equal(next[0]?.plane, null);
      assert.deepEqual(await subject.audit.page(3, next[0]?.id), [], 'the end');
    });

    it('saves results and reads them back as latest, with the replica that checked them and their steps', async () => {
      subject = await adapter.open('round_trip');
      const a = result('a', T0 + 1_000, 'FAILED', 'replica-b');
      const b = result('b', T0 + 2_000);
      await subject.store.saveResults([a, b]);
      assert.deepEqual(await subject.store.latestResults(), [a, b]);
      subject = await subject.reopen();
      assert.deepEqual(await subject.store.latestResults(), [a, b], 'kept across a restart');
      assert.deepEqual(await subject.store.history('a', 10), [a], 'the history holds the same result');
      await subject.store.saveResults([]);
      assert.equal((await subject.store.latestResults()).length, 2, 'an empty batch changes nothing');
    });

    it('never moves a plane latest result backwards, across batches and within one', async () => {
      subject = await adapter.open('latest_order');
      await subject.store.saveResults([result('a', T0 + 5_000, 'HEALTHY', 'new')]);
      await subject.store.saveResults([result('a', T0 + 1_000, 'FAILED', 'late')]);
      assert.equal(
        (await subject.store.latestResults())[0]?.checkedBy,
        'new',
        'a late write is history only',
      );
      await subject.store.saveResults([
        result('a', T0 + 9_000, 'FAILED', 'newest'),
        result('a', T0 + 7_000, 'HEALTHY', 'older, later in the batch'),
      ]);
      const [latest] = await subject.store.latestResults();
      assert.equal(latest?.checkedBy, 'newest');
      assert.equal(latest?.checkedAt, T0 + 9_000);
      assert.equal((await subject.store.history('a', 10)).length, 4, 'every result is in the history');
    });

    it('gives the history newest first, limited, from `since` on, per plane', async () => {
      subject = await adapter.open('history');
      const times = [5, 1, 4, 2, 3].map((n) => T0 + n * 1_000);
      await subject.store.saveResults(times.map((time) => result('a', time)));
      await subject.store.saveResults([result('b', T0 + 10_000)]);
      const checkedAt = async (limit: number, since?: number) =>
        (await subject.store.history('a', limit, since)).map((r) => r.checkedAt - T0);
      assert.deepEqual(await checkedAt(10), [5_000, 4_000, 3_000, 2_000, 1_000]);
      assert.deepEqual(await checkedAt(2), [5_000, 4_000]);
      assert.deepEqual(await checkedAt(10, T0 + 3_000), [5_000, 4_000, 3_000], 'since is inclusive');
      assert.deepEqual(await subject.store.history('unknown', 10), []);
    });

    it('counts healthy and all results per plane from `since`, also from inside an hour', async () => {
      subject = await adapter.open('availability');
      // Hour 0: a has 3 healthy at :10, :20, :50 and 1 failed at :40; hour 1: a 1 healthy, b 1 failed.
      const minute = 60_000;
      await subject.store.saveResults([
        result('a', T0 + 10 * minute),
        result('a', T0 + 20 * minute),
        result('a', T0 + 40 * minute, 'FAILED'),
        result('a', T0 + 50 * minute),
        result('a', T0 + HOUR + 5 * minute),
        result('b', T0 + HOUR + 6 * minute, 'NO_USER'),
      ]);
      const plain = (map: Map<string, { healthy: number; total: number }>) => Object.fromEntries(map);
      assert.deepEqual(plain(await subject.store.availability(T0)), {
        a: { healthy: 4, total: 5 },
        b: { healthy: 0, total: 1 },
      });
      assert.deepEqual(
        plain(await subject.store.availability(T0 + 15 * minute)),
        {
          a: { healthy: 3, total: 4 },
          b: { healthy: 0, total: 1 },
        },
        'the first quarter of an hour is taken off',
      );
      assert.deepEqual(
        plain(await subject.store.availability(T0 + 45 * minute)),
        {
          a: { healthy: 2, total: 2 },
          b: { healthy: 0, total: 1 },
        },
        'the last quarter of an hour is counted from the history',
      );
      assert.deepEqual(plain(await subject.store.availability(T0, ['b', 'unknown'])), {
        b: { healthy: 0, total: 1 },
      });
      assert.deepEqual(plain(await subject.store.availability(T0 + 2 * HOUR)), {}, 'nothing since');
    });

    it('prunes the history in bounded batches, oldest first, and the counts with it', async () => {
      subject = await adapter.open('prune');
      const results = Array.from({ length: 25 }, (_, i) =>
        result(i % 2 === 0 ? 'a' : 'b', T0 + i * 10 * 60_000),
      );
      await subject.store.saveResults(results);
      const cutoff = T0 + 2 * HOUR; // results 0..11 are older
      assert.equal(await subject.store.pruneHistory(cutoff, 5), 5);
      assert.equal(await subject.store.pruneHistory(cutoff, 5), 5);
      assert.equal(await subject.store.pruneHistory(cutoff, 5), 2);
      assert.equal(await subject.store.pruneHistory(cutoff, 5), 0);
      const kept = [...(await subject.store.history('a', 100)), ...(await subject.store.history('b', 100))];
      assert.equal(kept.length, 13);
      assert.ok(kept.every((r) => r.checkedAt >= cutoff));
      const counts = await subject.store.availability(T0);
      assert.equal(
        (counts.get('a')?.total ?? 0) + (counts.get('b')?.total ?? 0),
        13,
        'counts match what is kept',
      );
      assert.equal((await subject.store.latestResults()).length, 2, 'latest results are never pruned');
    });

    it('saves a batch of 1,000 results in one call', async () => {
      subject = await adapter.open('batch');
      const batch = Array.from({ length: 1_000 }, (_, i) => result(`p${i}`, T0 + i));
      await subject.store.saveResults(batch);
      assert.equal((await subject.store.latestResults()).length, 1_000);
      assert.equal((await subject.store.availability(T0)).size, 1_000);
    });

    it('decides a dispatch on the locked view: two handles racing for one plane record exactly one', async () => {
      subject = await adapter.open('insert_race');
      const replicas = [subject, await subject.another(), await subject.another()];
      const now = T0;
      const outcomes = await Promise.all(
        replicas.map((replica, i) =>
          replica.healLog.insertIf('a', now, (view) =>
            view.actions.length > 0 ? undefined : action('a', now, { follower: `replica-${i}` }),
          ),
        ),
      );
      assert.equal(outcomes.filter((outcome) => outcome !== undefined).length, 1, 'one dispatch');
      assert.equal((await subject.healLog.forPlane('a', 10)).length, 1, 'one record');
    });

    it('records nothing when the decision refuses, and shows the plane newest first and the last hour', async () => {
      subject = await adapter.open('insert_view');
      const first = await record(subject.healLog, action('a', T0 - 2 * HOUR));
      const second = await record(subject.healLog, action('a', T0 - 1_000));
      await record(subject.healLog, action('b', T0 - 500));
      await record(subject.healLog, action('c', T0 - HOUR)); // exactly an hour ago: counted
      await record(subject.healLog, action('c', T0 - HOUR - 1)); // just before: not counted
      let seen: { ids: number[]; attempts: number } | undefined;
      const refused = await subject.healLog.insertIf('a', T0, (view) => {
        seen = { ids: view.actions.map((a) => a.id), attempts: view.attemptsLastHour };
        return undefined;
      });
      assert.equal(refused, undefined);
      assert.deepEqual(seen, { ids: [second.id, first.id], attempts: 3 }, 'attempts of every plane count');
      assert.equal((await subject.healLog.forPlane('a', 10)).length, 2, 'nothing recorded');
      const many = Array.from({ length: 25 }, (_, i) => action('d', T0 + i));
      for (const next of many) await record(subject.healLog, next);
      await subject.healLog.insertIf('d', T0, (view) => {
        seen = { ids: view.actions.map((a) => a.dispatchedAt - T0), attempts: view.attemptsLastHour };
        return undefined;
      });
      assert.equal(seen?.ids.length, 20, 'the view holds the newest 20');
      assert.equal(seen?.ids[0], 24);
    });

    it('stores an action whole and updates it in parts', async () => {
      subject = await adapter.open('heal_update');
      const stored = await record(subject.healLog, action('a', T0, { reason: 'NO_ORACLE' }));
      assert.ok(stored.id > 0);
      await subject.healLog.update(stored.id, {
        status: 'completed',
        runId: 12_345_678_901,
        runUrl: 'https://github.com/o/r/actions/runs/12345678901',
        conclusion: 'success',
        outcome: 'fixed',
        updatedAt: T0 + 5_000,
      });
      await subject.healLog.update(stored.id, {});
      subject = await subject.reopen();
      const [back] = await subject.healLog.forPlane('a', 1);
      assert.deepEqual(back, {
        ...stored,
        status: 'completed',
        runId: 12_345_678_901,
        runUrl: 'https://github.com/o/r/actions/runs/12345678901',
        conclusion: 'success',
        outcome: 'fixed',
        updatedAt: T0 + 5_000,
      });
    });

    it('hands the follow lease to another replica only once it has run out', async () => {
      subject = await adapter.open('take_over');
      const stored = await record(
        subject.healLog,
        action('a', T0, { follower: 'a', followUntil: T0 + 60_000 }),
      );
      const log = subject.healLog;
      assert.equal(await log.takeOver(stored.id, 'b', T0 + 30_000, T0 + 90_000), false, 'a holds it');
      assert.equal(await log.takeOver(stored.id, 'a', T0 + 30_000, T0 + 120_000), true, 'a renews');
      assert.equal(
        await log.takeOver(stored.id, 'b', T0 + 90_000, T0 + 150_000),
        false,
        'renewed lease holds',
      );
      assert.equal(
        await log.takeOver(stored.id, 'b', T0 + 120_000, T0 + 180_000),
        false,
        'held to its last millisecond',
      );
      assert.equal(
        await log.takeOver(stored.id, 'b', T0 + 120_001, T0 + 180_000),
        true,
        'ran out: b takes it',
      );
      assert.equal(await log.takeOver(stored.id, 'a', T0 + 130_000, T0 + 190_000), false, 'b holds it now');
      const [back] = await log.forPlane('a', 1);
      assert.equal(back?.follower, 'b');
      assert.equal(back?.followUntil, T0 + 180_000);
      const unled = await record(log, action('x', T0, { follower: null, followUntil: null }));
      assert.equal(await log.takeOver(unled.id, 'c', T0, T0 + 1), true, 'nobody follows it');
      assert.equal(await log.takeOver(999_999, 'c', T0, T0 + 1), false, 'no such action');
      await log.update(unled.id, { status: 'completed', outcome: 'fixed' });
      assert.equal(await log.takeOver(unled.id, 'd', T0 + 10, T0 + 20), false, 'an attempt that is over');
      const failed = await record(log, action('y', T0, { status: 'dispatch_failed', follower: null }));
      assert.equal(await log.takeOver(failed.id, 'd', T0, T0 + 1), false, 'nothing left to follow');
    });

    it('lists the newest actions of every plane, a few per plane', async () => {
      subject = await adapter.open('recent');
      for (const plane of ['b', 'a']) {
        for (let i = 0; i < 4; i++) await record(subject.healLog, action(plane, T0 + i * 1_000));
      }
      const recent = await subject.healLog.recent(2);
      assert.deepEqual(recent.map((a) => `${a.plane}${(a.dispatchedAt - T0) / 1_000}`).sort(), [
        'a2',
        'a3',
        'b2',
        'b3',
      ]);
      for (const plane of ['a', 'b']) {
        const mine = recent.filter((a) => a.plane === plane).map((a) => a.dispatchedAt);
        assert.deepEqual(
          mine,
          [...mine].sort((x, y) => y - x),
          'newest first within a plane',
        );
      }
    });

    it('lists as unfinished the attempts that may still run or whose outcome was never recorded', async () => {
      subject = await adapter.open('unfinished');
      const statuses = [
        'dispatching',
        'queued',
        'in_progress',
        'completed',
        'dispatch_failed',
        'lost',
        'dry_run',
      ] as const;
      const stored = [];
      for (const status of statuses)
        stored.push(await record(subject.healLog, action(status, T0, { status })));
      const done = await record(
        subject.healLog,
        action('done', T0, { status: 'completed', outcome: 'fixed' }),
      );
      const unfinished = (await subject.healLog.unfinished()).map((a) => a.plane);
      assert.deepEqual(unfinished, ['dispatching', 'queued', 'in_progress', 'completed']);
      assert.ok(!unfinished.includes(done.plane));
      await subject.healLog.update(stored[0]?.id ?? 0, { outcome: 'timed_out' });
      assert.equal((await subject.healLog.unfinished()).length, 3);
    });

    it('keeps the GitHub stop across a restart and never shortens it, whichever handle writes', async () => {
      subject = await adapter.open('github_stop');
      assert.equal(subject.healLog.githubBackoffUntil(), 0);
      subject.healLog.stopGithubUntil(T0 + 60_000);
      assert.equal(subject.healLog.githubBackoffUntil(), T0 + 60_000, 'held at once');
      subject.healLog.stopGithubUntil(T0 + 10_000);
      assert.equal(subject.healLog.githubBackoffUntil(), T0 + 60_000, 'an earlier time does not shorten it');
      const other = await subject.another();
      other.healLog.stopGithubUntil(T0 + 30_000);
      await other.flush();
      await subject.flush();
      subject = await subject.reopen();
      assert.equal(
        subject.healLog.githubBackoffUntil(),
        T0 + 60_000,
        'stored, and not shortened by the other',
      );
      other.healLog.stopGithubUntil(T0 + 90_000);
      await other.flush();
      await subject.healLog.refreshGithubBackoff();
      assert.equal(subject.healLog.githubBackoffUntil(), T0 + 90_000, "another replica's stop is read again");
    });
  });
}
