import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideHeal, type HealPolicy } from '../src/heal/heal-policy.js';
import { cronProblem, maintenanceAt, type MaintenanceWindow } from '../src/maintenance/maintenance-window.js';
import { listensOnLoopback } from '../src/server/auth.js';
import { parseMaintenanceRequest } from '../src/server/maintenance-api.js';

const at = (text: string) => Date.parse(text);
const HOUR = 3_600_000;

describe('maintenanceAt: is a plane in maintenance at T, until when, why', () => {
  const weekly: MaintenanceWindow = { cron: '0 2 * * 0', durationMs: 2 * HOUR, note: 'weekly patching' };
  const once: MaintenanceWindow = {
    from: at('2026-12-01T02:00:00Z'),
    until: at('2026-12-01T04:00:00Z'),
    note: 'migration',
  };

  it('a recurring window (UTC) holds from each match for its duration, start included, end excluded', () => {
    // 2026-12-06 is a Sunday.
    assert.equal(maintenanceAt([weekly], undefined, at('2026-12-06T01:59:59Z')), undefined);
    assert.deepEqual(maintenanceAt([weekly], undefined, at('2026-12-06T02:00:00Z')), {
      startedAt: at('2026-12-06T02:00:00Z'),
      until: at('2026-12-06T04:00:00Z'),
      note: 'weekly patching',
      actor: 'config',
      source: 'config',
      window: 0,
    });
    assert.equal(
      maintenanceAt([weekly], undefined, at('2026-12-06T03:59:59.999Z'))?.until,
      at('2026-12-06T04:00:00Z'),
    );
    assert.equal(maintenanceAt([weekly], undefined, at('2026-12-06T04:00:00Z')), undefined);
    assert.equal(maintenanceAt([weekly], undefined, at('2026-12-07T02:30:00Z')), undefined, 'a Monday');
  });

  it('a daily window a day long covers every instant, the boundaries too', () => {
    const daily: MaintenanceWindow = { cron: '0 0 * * *', durationMs: 24 * HOUR, note: '' };
    for (const time of ['2026-12-06T00:00:00Z', '2026-12-06T23:59:59.999Z', '2026-12-07T00:00:00Z'])
      assert.ok(maintenanceAt([daily], undefined, at(time)), time);
  });

  it('a window given once holds from `from` to `until`', () => {
    assert.equal(maintenanceAt([once], undefined, at('2026-12-01T01:59:59Z')), undefined);
    assert.equal(maintenanceAt([once], undefined, at('2026-12-01T02:00:00Z'))?.note, 'migration');
    assert.equal(maintenanceAt([once], undefined, at('2026-12-01T04:00:00Z')), undefined);
  });

  it('of overlapping windows and a run-time maintenance, the one reaching furthest says until when and why', () => {
    const runtime = {
      plane: 'a',
      startedAt: at('2026-12-01T03:00:00Z'),
      until: at('2026-12-01T05:00:00Z'),
      note: 'extended',
      actor: 'api:alice',
    };
    const state = maintenanceAt([once], runtime, at('2026-12-01T03:30:00Z'));
    assert.deepEqual(state, {
      startedAt: runtime.startedAt,
      until: runtime.until,
      note: 'extended',
      actor: 'api:alice',
      source: 'api',
    });
    assert.equal(
      maintenanceAt([once], runtime, at('2026-12-01T02:30:00Z'))?.note,
      'migration',
      'not started yet',
    );
    assert.equal(maintenanceAt([once], runtime, at('2026-12-01T05:00:00Z')), undefined, 'run out');
  });

  it('checks cron expressions: five fields or a nickname, each field in range', () => {
    assert.equal(cronProblem('0 2 * * 0'), undefined);
    assert.equal(cronProblem('*/15 22-23 * * 1-5'), undefined);
    assert.equal(cronProblem('@weekly'), undefined);
    assert.match(cronProblem('0 2 * *') ?? '', /expected five fields/);
    assert.match(cronProblem('0 0 2 * * 0') ?? '', /expected five fields/);
    assert.match(cronProblem('0 25 * * *') ?? '', /hour/);
  });
});

describe('self-heal and maintenance', () => {
  const policy: HealPolicy = {
    cooldownMs: 1_800_000,
    failureThreshold: 1,
    maxDispatchesPerHour: 10,
    runTimeoutMs: 7_200_000,
    dryRun: false,
    maxPlanesAtOnce: 3,
  };
  const input = {
    status: 'NO_USER' as const,
    consecutive: 5,
    actions: [],
    attemptsLastHour: 0,
    held: true,
    now: 1_000,
    policy,
  };

  it('skips a plane in maintenance before anything else, and decides as before once it is over', () => {
    assert.deepEqual(decideHeal({ ...input, maintenanceUntil: 2_000 }), {
      kind: 'skip',
      reason: 'NO_USER',
      outcome: 'maintenance',
      detail: 'in maintenance until 1970-01-01T00:00:02.000Z',
    });
    assert.equal((decideHeal({ ...input, maintenanceUntil: 1_000 }) as { outcome: string }).outcome, 'held');
    assert.equal(decideHeal({ ...input, held: false, maintenanceUntil: null }).kind, 'dispatch');
    assert.equal(decideHeal({ ...input, status: 'FAILED', maintenanceUntil: 2_000 }).kind, 'ignore');
  });
});

describe('the maintenance request body', () => {
  const now = at('2026-12-01T00:00:00Z');
  it('takes for or until, and a note', () => {
    assert.deepEqual(parseMaintenanceRequest({ for: '2h', note: 'x' }, now), {
      until: now + 2 * HOUR,
      note: 'x',
    });
    assert.deepEqual(parseMaintenanceRequest({ until: '2026-12-01T04:00:00+02:00' }, now), {
      until: at('2026-12-01T02:00:00Z'),
      note: '',
    });
  });
  it('names the field of each mistake', () => {
    const error = (body: unknown) => (parseMaintenanceRequest(body, now) as { error: string }).error;
    assert.match(error([]), /^body: /);
    assert.match(error({}), /^for, until: /);
    assert.match(error({ for: '10s' }), /^for: must be between 1m and 31d/);
    assert.match(error({ for: '32d' }), /^for: /);
    assert.match(error({ until: '2027-02-01T00:00:00Z' }), /^until: at most 31d/);
    assert.match(error({ until: '2026-12-01' }), /^until: expected an RFC 3339 time/);
    assert.match(error({ for: '1h', note: 'n'.repeat(501) }), /^note: at most 500/);
    assert.match(error({ for: '1h', who: 'me' }), /^who: unknown field/);
  });
});

describe('listensOnLoopback', () => {
  it('is true for 127.0.0.0/8, ::1 and localhost only', () => {
    for (const address of ['127.0.0.1:9464', '127.1.2.3:0', '[::1]:9464', 'localhost:9464'])
      assert.equal(listensOnLoopback(address), true, address);
    for (const address of [
      '0.0.0.0:9464',
      '[::]:9464',
      '10.0.0.5:9464',
      'planecheck.example:9464',
      '128.0.0.1:1',
    ])
      assert.equal(listensOnLoopback(address), false, address);
  });
});
