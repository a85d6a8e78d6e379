import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { StoredResult } from '../src/check/stored-result.js';
import { PostgresFleet } from '../src/fleet/pg-fleet.js';
import { openPostgresHealLog } from '../src/store/postgres/pg-heal-log.js';
import { HEAL_LOCK_KEY, PG_MIGRATIONS } from '../src/store/postgres/pg-migrations.js';
import { openPostgresStore, type PostgresResultStore } from '../src/store/postgres/pg-store.js';
import { StoreError } from '../src/store/store-error.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { freePort } from './helpers/pushgateway.js';

let server: TestPostgres;
const stores: PostgresResultStore[] = [];
const clients: pg.Client[] = [];

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await Promise.allSettled(clients.map((client) => client.end()));
  await Promise.allSettled(stores.map((store) => store.close()));
  await server.close();
});

async function fresh(name: string, options: Parameters<typeof openPostgresStore>[1] = {}) {
  const url = await server.createDatabase(name);
  const store = await openPostgresStore(url, options);
  stores.push(store);
  return { url, store };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // ended by the server's shutdown at the end
  await client.connect();
  clients.push(client);
  return client;
}

function result(plane: string, checkedAt: number, checkedBy = 'replica-a'): StoredResult {
  return {
    plane,
    status: 'HEALTHY',
    reason: null,
    checkedAt,
    durationMs: 10,
    steps: [{ step: 'user_lookup', outcome: 'ok', durationMs: 2 }],
    checkedBy,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('PostgreSQL result feed', () => {
  it('returns everything first, then what changed, and never misses a write that committed after a poll', async () => {
    const { url, store } = await fresh('feed');
    await store.saveResults([result('a', 1_000), result('b', 1_000)]);
    const first = await store.latestChangedSince(null);
    assert.deepEqual(
      first.results.map((r) => r.plane),
      ['a', 'b'],
    );

    // Rows stored long ago are not returned again.
    const admin = await connect(url);
    await admin.query(`UPDATE latest_results SET stored_at = clock_timestamp() - interval '1 day'`);
    const quiet = await store.latestChangedSince(first.cursor);
    assert.deepEqual(quiet.results, [], 'nothing changed since the cursor');

    // A writer stamps its row, then stalls before committing; a poll runs in between.
    const stalled = await connect(url);
    await stalled.query('BEGIN');
    await stalled.query(
      `INSERT INTO latest_results (plane, status, reason, checked_at, duration_ms, steps, checked_by)
       VALUES ('late', 'HEALTHY', NULL, 2000, 1, '[]', 'replica-b')`,
    );
    await store.saveResults([result('c', 2_000, 'replica-c')]);
    const second = await store.latestChangedSince(quiet.cursor);
    assert.deepEqual(
      second.results.map((r) => r.plane),
      ['c'],
      'the uncommitted row is not visible yet',
    );
    await stalled.query('COMMIT');
    const third = await store.latestChangedSince(second.cursor);
    assert.ok(
      third.results.some((r) => r.plane === 'late' && r.checkedBy === 'replica-b'),
      'the row stamped before the previous poll and committed after it is returned',
    );
    assert.ok(!third.results.some((r) => r.plane === 'a'), 'rows unchanged for long are not');

    // A late result that does not replace the latest changes nothing the feed returns.
    await admin.query(`UPDATE latest_results SET stored_at = clock_timestamp() - interval '1 day'`);
    await store.saveResults([result('c', 1_500)]);
    assert.deepEqual((await store.latestChangedSince(third.cursor)).results, []);
  });

  it('writes a batch of 1,000 results with a handful of statements', async () => {
    const { store } = await fresh('statements');
    // Every statement, through the pool or a checked-out client, is a Client#query.
    let statements = 0;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the client's `this`
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      statements++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await store.saveResults(Array.from({ length: 1_000 }, (_, i) => result(`p${i}`, 1_000 + i)));
    } finally {
      pg.Client.prototype.query = query;
    }
    assert.ok(statements > 0 && statements <= 5, `${statements} statements`);
    assert.equal((await store.latestResults()).length, 1_000);
  });
});

describe('PostgreSQL connection', () => {
  it('sets the limits on every connection and names the application', async () => {
    const { store } = await fresh('settings', { statementTimeoutMs: 4_000 });
    const { rows } = await store.pool.query<{ statement: string; idle: string; app: string }>(
      `SELECT current_setting('statement_timeout') AS statement,
         current_setting('idle_in_transaction_session_timeout') AS idle,
         current_setting('application_name') AS app`,
    );
    assert.deepEqual(rows[0], { statement: '4s', idle: '15s', app: 'planecheck' });
  });

  it('makes a query stalled on a lock reject at the statement timeout, and a refused dispatch records nothing', async () => {
    const { url, store } = await fresh('stall', { statementTimeoutMs: 300 });
    const healLog = await openPostgresHealLog(store.pool);
    const holder = await connect(url);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE latest_results IN ACCESS EXCLUSIVE MODE');
    await holder.query('SELECT pg_advisory_lock($1)', [HEAL_LOCK_KEY.toString()]);
    const started = Date.now();
    const stalled = await rejection(store.latestResults());
    assert.match(stalled.message, /statement timeout/);
    assert.ok(Date.now() - started < 5_000, 'within the limit, not the client fallback');
    let decided = false;
    await rejection(
      healLog.insertIf('a', Date.now(), () => {
        decided = true;
        return undefined;
      }),
    );
    assert.equal(decided, false, 'no decision without the lock');
    await holder.query('ROLLBACK');
    await holder.query('SELECT pg_advisory_unlock($1)', [HEAL_LOCK_KEY.toString()]);
    assert.deepEqual(await store.latestResults(), [], 'the pool still works');
    assert.deepEqual(await healLog.forPlane('a', 10), []);
  });

  it('survives the server ending its idle connections: reported, replaced, no crash', async () => {
    const url = await server.createDatabase('terminated');
    const errors: Error[] = [];
    let reported: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (reported = resolve));
    const store = await openPostgresStore(url, {
      onError: (error) => {
        errors.push(error);
        reported();
      },
    });
    stores.push(store);
    await store.saveResults([result('a', 1)]);
    const admin = await connect(url);
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'planecheck' AND datname = current_database()`,
    );
    assert.ok((rowCount ?? 0) > 0, 'an idle connection was there to end');
    await seen;
    assert.ok(errors.length > 0);
    assert.equal((await store.latestResults()).length, 1, 'a new connection answers');
  });

  it('refuses an unreachable server at start naming host and port, never the password', async () => {
    const port = await freePort();
    const error = await rejection(
      openPostgresStore(`postgres://planecheck:hunter2-secret@127.0.0.1:${port}/x`),
    );
    assert.ok(error instanceof StoreError);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(error.message, /storage\.url/);
    assert.doesNotMatch(`${error.message} ${error.stack ?? ''}`, /hunter2/);
    // `localhost` has two addresses: Node's error for both has an empty message of its own.
    const local = await rejection(
      openPostgresStore(`postgres://planecheck:hunter2-secret@localhost:${port}/x`),
    );
    assert.match(local.message, new RegExp(`localhost:${port} \\(storage\\.url\\): .*ECONNREFUSED`));
    assert.doesNotMatch(local.message, /hunter2/);
  });

  it('refuses a wrong password naming the server, without quoting either password', async () => {
    const url = new URL(await server.createDatabase('login'));
    url.password = 'wrong-secret%2Fpw';
    const error = await rejection(openPostgresStore(url.href));
    assert.ok(error instanceof StoreError);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
    assert.match(error.message, /password authentication failed/);
    assert.doesNotMatch(error.message, /wrong-secret/);
  });

  it('refuses a URL that is not a PostgreSQL URL, or does not parse, naming storage.url', async () => {
    const cases: [string, RegExp][] = [
      ['mysql://u:topsecret@h/db', /postgres:\/\/ or postgresql:\/\//],
      ['postgres://u:top/secret@h:5432/db', /percent-encode/],
      ['just some text topsecret', /not a valid URL/],
    ];
    for (const [url, expected] of cases) {
      const error = await rejection(openPostgresStore(url));
      assert.ok(error instanceof StoreError, url);
      assert.match(error.message, /^storage\.url: /);
      assert.match(error.message, expected);
      assert.doesNotMatch(error.message, /secret/);
    }
  });
});

describe('PostgreSQL migrations', () => {
  it('five replicas starting at the same moment on an empty database all succeed, with one schema', async () => {
    const url = await server.createDatabase('migrate_race');
    const opened = await Promise.all(Array.from({ length: 5 }, () => openPostgresStore(url)));
    stores.push(...opened);
    const admin = await connect(url);
    const { rows } = await admin.query<{ version: number }>('SELECT version FROM planecheck_schema');
    assert.deepEqual(rows, [{ version: PG_MIGRATIONS.length }]);
    const tables = await admin.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    assert.deepEqual(
      tables.rows.map((row) => row.name),
      [
        'audit_events',
        'check_history',
        'check_hours',
        'fleet_instances',
        'github_backoff',
        'heal_actions',
        'latest_results',
        'plane_claims',
        'plane_maintenance',
        'planecheck_schema',
      ],
    );
  });

  it('refuses a database from a newer planecheck and leaves it as it was', async () => {
    const { url, store } = await fresh('newer');
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    const admin = await connect(url);
    await admin.query('UPDATE planecheck_schema SET version = $1', [PG_MIGRATIONS.length + 1]);
    const error = await rejection(openPostgresStore(url));
    assert.ok(error instanceof StoreError);
    assert.match(error.message, /newer than this planecheck supports/);
    const { rows } = await admin.query<{ version: number }>('SELECT version FROM planecheck_schema');
    assert.deepEqual(rows, [{ version: PG_MIGRATIONS.length + 1 }]);
  });
});

describe('PostgreSQL secrets', () => {
  it('stores the URL password in no table', async () => {
    const { url, store } = await fresh('secrets');
    const password = decodeURIComponent(new URL(url).password);
    assert.ok(password.length >= 8, 'the test looks for a real password');
    const healLog = await openPostgresHealLog(store.pool);
    await store.saveResults([result('a', 1_000)]);
    await healLog.insertIf('a', 1_000, () => ({
      plane: 'a',
      reason: 'NO_USER',
      correlationId: 'c-1',
      dispatchedAt: 1_000,
      status: 'dispatching',
      runId: null,
      runUrl: null,
      conclusion: null,
      outcome: null,
      error: null,
      updatedAt: 1_000,
      follower: 'replica-a',
      followUntil: 2_000,
    }));
    healLog.stopGithubUntil(5_000);
    await healLog.flush();
    const fleet = new PostgresFleet(store.pool);
    await fleet.heartbeat('replica-a', 60_000);
    await fleet.claim(['a'], 'replica-a', 1, 60_000);
    const admin = await connect(url);
    const tables = await admin.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    let rows = 0;
    for (const { name } of tables.rows) {
      const dump = await admin.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
      rows += dump.rows.length;
      for (const { row } of dump.rows) assert.ok(!row.includes(password), `${name} holds the password`);
    }
    assert.ok(rows >= 7, 'the tables were written');
  });
});

// Last: it stops the shared server for a moment.
describe('PostgreSQL outage', () => {
  it('fails fast while the server is down, holds a GitHub stop in memory, and works again once it is back', async () => {
    const url = await server.createDatabase('outage');
    const errors: Error[] = [];
    const store = await openPostgresStore(url, { onError: (error) => errors.push(error) });
    stores.push(store);
    const writeErrors: Error[] = [];
    const healLog = await openPostgresHealLog(store.pool, { onError: (error) => writeErrors.push(error) });
    await store.saveResults([result('a', 1_000)]);
    await server.stopServer();
    try {
      const started = Date.now();
      await rejection(store.saveResults([result('a', 2_000)]));
      await rejection(healLog.insertIf('a', 2_000, () => assert.fail('no decision without the server')));
      assert.ok(Date.now() - started < 15_000, 'bounded by the connect timeout');
      healLog.stopGithubUntil(9_000);
      assert.equal(healLog.githubBackoffUntil(), 9_000, 'held at once, whatever the write does');
      await healLog.flush();
      assert.equal(writeErrors.length, 1, 'the failed write is reported');
    } finally {
      await server.start();
    }
    await store.saveResults([result('a', 3_000)]);
    assert.equal((await store.latestResults())[0]?.checkedAt, 3_000, 'the same pool reconnects');
    healLog.stopGithubUntil(9_000);
    await healLog.flush();
    const reread = await openPostgresHealLog(store.pool);
    assert.equal(reread.githubBackoffUntil(), 9_000);
    assert.ok(errors.every((error) => !error.message.includes('test-password')));
  });
});
