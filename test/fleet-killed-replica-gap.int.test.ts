// A replica SIGKILLed mid-check: its claims run out a few renewals later and the survivors rescue its planes
// within the same interval, so with cacheTtl = 2 x interval (the shipped default) they never read NO_VALUE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { eventually, startDaemon } from './helpers/daemon.js';
import { API_KEY, fleetConfig, planeStatuses, useFleetRig } from './helpers/fleet-process.js';

const { sandbox, daemons, postgres } = useFleetRig({ planes: {}, slowDelayMs: 250 });

test('planes of a replica SIGKILLed mid-check stay fresh on the survivor (cacheTtl = 2 x interval)', async () => {
  const planes = Array.from({ length: 8 }, (_, i) => `gap-${i}`);
  for (const plane of planes) sandbox.setScenario(plane, 'slow');
  const url = await postgres().createDatabase('fleet_gap');
  // The default ratio: interval 60 s, cacheTtl 2 m; here 2 s / 4 s.
  const config = fleetConfig(
    sandbox,
    planes,
    url,
    '{ interval: 2s, cacheTtl: 4s, concurrency: 8, planeTimeout: 1500ms }',
  );
  const env = { PLATFORM_API_KEY: API_KEY };
  const a = await startDaemon(['--config', config, '--instance', 'replica-a'], env);
  const b = await startDaemon(['--config', config, '--instance', 'replica-b'], env);
  daemons.push(a, b);
  // Steady state: every plane fresh on B.
  await eventually(
    async () => ((await planeStatuses(b.url)).every((p) => p.status === 'HEALTHY') ? true : undefined),
    20_000,
  );
  await b.waitForLog((line) => line.msg === 'cycle finished', 10_000);
  // Wait until A holds unfinished claims (it is mid-check), then SIGKILL it.
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let held: string[] = [];
  try {
    held = await eventually(
      async () => {
        const { rows } = await db.query<{ plane: string }>(
          "SELECT plane FROM plane_claims WHERE instance = 'replica-a' AND NOT done",
        );
        return rows.length > 0 ? rows.map((row) => row.plane) : undefined;
      },
      20_000,
      'replica-a mid-check',
    );
  } catch (error) {
    await db.end();
    throw error;
  }
  assert.equal(await a.stop('SIGKILL'), 'SIGKILL');
  const killedAt = Date.now();
  // Watch B for three intervals.
  const lies: { plane: string; afterMs: number; checkedAt: unknown }[] = [];
  while (Date.now() - killedAt < 6_000) {
    for (const plane of await planeStatuses(b.url)) {
      if (held.includes(plane.name) && plane.status === 'NO_VALUE')
        lies.push({ plane: plane.name, afterMs: Date.now() - killedAt, checkedAt: plane.checkedAt });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The longest time each of those planes went without a result, around the kill (from the shared history).
  const { rows } = await db.query<{ plane: string; gap_ms: string }>(
    `SELECT plane, max(checked_at - previous) AS gap_ms FROM (
       SELECT plane, checked_at, lag(checked_at) OVER (PARTITION BY plane ORDER BY checked_at) AS previous
       FROM check_history WHERE plane = ANY($1)) gaps
     WHERE checked_at BETWEEN $2::bigint - 2000 AND $2::bigint + 6000 GROUP BY plane`,
    [held, killedAt],
  );
  await db.end();
  console.log(
    JSON.stringify({
      heldByKilled: held,
      gapsMs: rows,
      noValueSamples: lies.length,
      first: lies.slice(0, 3),
    }),
  );
  // About two intervals (3.7-5.1 s measured): no margin at all against cacheTtl = 2 x interval, so whether
  // the survivor shows NO_VALUE is down to how the ticks fall (it did in 3 of 4 runs). Sweeping a dead replica's
  // planes within the same slot would bound the gap by ~1.5 intervals. The bound sits between the two: 1.75
  // intervals, since a busy machine adds a few hundred ms to the rescue (3.16 s seen with the suite running).
  for (const row of rows)
    assert.ok(
      Number(row.gap_ms) < 3_500,
      `${row.plane} went ${row.gap_ms} ms without a result (interval 2 s, cacheTtl 4 s)`,
    );
  assert.deepEqual(lies, [], "the dead replica's planes read NO_VALUE on the survivor");
});
