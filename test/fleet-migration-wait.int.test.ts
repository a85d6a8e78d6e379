// A replica that starts while another holds the migration lock for longer than the 10 s statement limit
// waits for it instead of failing to start.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { MIGRATION_LOCK_KEY } from '../src/store/postgres/pg-migrations.js';
import { openPostgresStore } from '../src/store/postgres/pg-store.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

let server: TestPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server.close();
});

test('a replica starting while another migrates for 12 s waits for it instead of failing', async () => {
  const url = await server.createDatabase('fleet_migration_wait');
  const migrating = new pg.Client({ connectionString: url });
  await migrating.connect();
  await migrating.query('BEGIN');
  await migrating.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
  // The other replica's migration holds the lock for 12 s.
  const release = setTimeout(() => void migrating.query('COMMIT'), 12_000);
  const started = Date.now();
  const outcome = await openPostgresStore(url).then(
    async (store) => {
      await store.close();
      return 'opened';
    },
    (error: unknown) => `failed: ${String(error)}`,
  );
  const ms = Date.now() - started;
  clearTimeout(release);
  await migrating.query('COMMIT').catch(() => undefined);
  await migrating.end();
  console.log(JSON.stringify({ outcome, ms }));
  assert.equal(outcome, 'opened', `start-up failed after ${ms} ms while another replica migrated`);
});
