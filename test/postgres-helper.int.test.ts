import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { startPostgres } from './helpers/postgres.js';

test('the test PostgreSQL starts on a free loopback port, survives a stop and start, and gives each test its own database', async () => {
  const server = await startPostgres();
  try {
    const url = await server.createDatabase('helper');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE t (n int)');
    await client.query('INSERT INTO t VALUES (1)');
    await client.end();
    await server.stopServer();
    const refused = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    await assert.rejects(refused.connect());
    await server.start();
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const { rows } = await again.query<{ n: number }>('SELECT n FROM t');
    assert.deepEqual(rows, [{ n: 1 }]);
    await again.end();
  } finally {
    await server.close();
  }
});
