// Only this replica's writes fail (a trigger, a full tablespace) while its heartbeat and claims succeed: it
// reports planecheck_storage_up 0 and claims nothing, so the others check and store its share.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { eventually, startDaemon } from './helpers/daemon.js';
import { API_KEY, fleetConfig, planeStatuses, useFleetRig } from './helpers/fleet-process.js';

const { sandbox, daemons, postgres } = useFleetRig();

test('a replica whose writes fail says storage is down and leaves its share to replicas that can store', async () => {
  const planes = Array.from({ length: 10 }, (_, i) => `wf-${i}`);
  for (const plane of planes) sandbox.setScenario(plane, 'healthy');
  const url = await postgres().createDatabase('fleet_write_failure');
  const config = fleetConfig(sandbox, planes, url);
  const env = { PLATFORM_API_KEY: API_KEY };
  const a = await startDaemon(['--config', config, '--instance', 'replica-a'], env);
  const b = await startDaemon(['--config', config, '--instance', 'replica-b'], env);
  daemons.push(a, b);
  await eventually(
    async () => ((await planeStatuses(b.url)).every((p) => p.status === 'HEALTHY') ? true : undefined),
    20_000,
  );
  // From now on, PostgreSQL refuses replica-a's results (and only those).
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`CREATE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.checked_by = 'replica-a' THEN RAISE EXCEPTION 'could not extend file (simulated)'; END IF;
    RETURN NEW; END $$`);
  await db.query(
    'CREATE TRIGGER refuse_writes BEFORE INSERT ON check_history FOR EACH ROW EXECUTE FUNCTION refuse_writes()',
  );
  await db.end();
  await a.waitForLog(
    (line) => line.msg === 'could not store results; keeping them in memory and retrying',
    10_000,
  );
  // Four intervals (cacheTtl 4 s) later:
  await new Promise((resolve) => setTimeout(resolve, 8_000));
  const metricsA = await (await fetch(`${a.url}/metrics`)).text();
  const storageUpA = /^planecheck_storage_up (\d)$/m.exec(metricsA)?.[1];
  const onB = await planeStatuses(b.url);
  const noValueOnB = onB.filter((plane) => plane.status === 'NO_VALUE').map((plane) => plane.name);
  const writeErrors = a.logs.filter(
    (line) => line.msg === 'could not store results; keeping them in memory and retrying',
  ).length;
  console.log(JSON.stringify({ storageUpA, writeErrorsLoggedByA: writeErrors, noValueOnB }));
  assert.equal(storageUpA, '0', 'replica-a cannot store a result, yet says planecheck_storage_up 1');
  assert.deepEqual(noValueOnB, [], "replica-b shows replica-a's share as NO_VALUE on a healthy platform");
});
