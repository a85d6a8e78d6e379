import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { titleHasCorrelation, titleNamesPlane, newCorrelationId } from '../src/heal/correlation.js';
import type { HealAction } from '../src/heal/heal-action.js';
import {
  countConsecutiveHealable,
  decideHeal,
  findMassIncident,
  type HealInput,
  type PlaneLatest,
} from '../src/heal/heal-policy.js';

const NOW = 10_000_000;
const policy = {
  cooldownMs: 1_800_000,
  failureThreshold: 1,
  maxDispatchesPerHour: 10,
  runTimeoutMs: 7_200_000,
  dryRun: false,
  maxPlanesAtOnce: 3,
};
const action = (
  minutesAgo: number,
  status: HealAction['status'],
  outcome: HealAction['outcome'] = null,
): HealAction => ({
  id: 1,
  plane: 'p',
  reason: 'NO_USER',
  correlationId: `pc-${minutesAgo}`,
  dispatchedAt: NOW - minutesAgo * 60_000,
  status,
  runId: null,
  runUrl: null,
  conclusion: null,
  outcome,
  error: null,
  updatedAt: NOW,
  follower: null,
  followUntil: null,
});
const input = (patch: Partial<HealInput>): HealInput => ({
  status: 'NO_USER',
  consecutive: 1,
  actions: [],
  attemptsLastHour: 0,
  held: false,
  now: NOW,
  policy,
  ...patch,
});

describe('decideHeal', () => {
  const cases: [string, Partial<HealInput>, string][] = [
    ['NO_USER with nothing before: dispatch', {}, 'dispatch'],
    ['NO_ORACLE: dispatch', { status: 'NO_ORACLE' }, 'dispatch'],
    ['HEALTHY: ignore', { status: 'HEALTHY' }, 'ignore'],
    ['FAILED never dispatches', { status: 'FAILED', consecutive: 50 }, 'ignore'],
    ['NO_VALUE never dispatches', { status: 'NO_VALUE', consecutive: 50 }, 'ignore'],
    [
      'below the failure threshold',
      { consecutive: 2, policy: { ...policy, failureThreshold: 3 } },
      'skip:threshold',
    ],
    ['at the failure threshold', { consecutive: 3, policy: { ...policy, failureThreshold: 3 } }, 'dispatch'],
    ['a run still queued', { actions: [action(40, 'queued')] }, 'skip:in_progress'],
    [
      'a dispatch of unknown fate (crash right after sending)',
      { actions: [action(1, 'dispatching')] },
      'skip:in_progress',
    ],
    [
      'a completed attempt inside the cooldown',
      { actions: [action(10, 'completed', 'still_broken')] },
      'skip:cooldown',
    ],
    ['a lost attempt inside the cooldown', { actions: [action(10, 'lost', 'timed_out')] }, 'skip:cooldown'],
    ['a dry run inside the cooldown', { actions: [action(10, 'dry_run')] }, 'skip:cooldown'],
    ['the cooldown has passed', { actions: [action(31, 'completed', 'workflow_failed')] }, 'dispatch'],
    [
      'a refused dispatch does not hold the cooldown',
      { actions: [action(1, 'dispatch_failed')] },
      'dispatch',
    ],
    [
      'an unfinished attempt older than the run timeout is not running',
      { actions: [action(121, 'in_progress', 'timed_out')] },
      'dispatch',
    ],
    ['the hourly cap is reached', { attemptsLastHour: 10 }, 'skip:rate_capped'],
    ['just below the hourly cap', { attemptsLastHour: 9 }, 'dispatch'],
    ['dry run', { policy: { ...policy, dryRun: true } }, 'dispatch:dry'],
    ['a mass incident holds every repair', { held: true }, 'skip:held'],
    ['a mass incident holds even a plane below the threshold', { held: true, consecutive: 0 }, 'skip:held'],
    ['a mass incident holds a dry run too', { held: true, policy: { ...policy, dryRun: true } }, 'skip:held'],
    ['a mass incident never concerns FAILED', { held: true, status: 'FAILED' }, 'ignore'],
  ];
  for (const [name, patch, expected] of cases) {
    it(name, () => {
      const decision = decideHeal(input(patch));
      const got =
        decision.kind === 'skip'
          ? `skip:${decision.outcome}`
          : decision.kind === 'dispatch' && decision.dryRun
            ? 'dispatch:dry'
            : decision.kind;
      assert.equal(got, expected);
    });
  }

  it('counts leading NO_USER/NO_ORACLE results only', () => {
    assert.equal(countConsecutiveHealable(['NO_USER', 'NO_ORACLE', 'HEALTHY', 'NO_USER']), 2);
    assert.equal(countConsecutiveHealable(['FAILED', 'NO_USER']), 0);
    assert.equal(countConsecutiveHealable([]), 0);
  });
});

describe('findMassIncident', () => {
  const latest = (...statuses: PlaneLatest['status'][]): PlaneLatest[] =>
    statuses.map((status, i) => ({ plane: `p${i}`, status }));
  const cases: [string, PlaneLatest[], number, boolean, number][] = [
    ['no plane needs repair', latest('HEALTHY', 'FAILED'), 3, false, 0],
    [
      'exactly the limit is not a mass incident',
      latest('NO_USER', 'NO_ORACLE', 'NO_USER', 'HEALTHY'),
      3,
      false,
      3,
    ],
    ['one more than the limit is', latest('NO_USER', 'NO_ORACLE', 'NO_USER', 'NO_USER'), 3, true, 4],
    [
      'FAILED and NO_VALUE do not count',
      latest('NO_USER', 'FAILED', 'NO_VALUE', 'FAILED', 'NO_USER'),
      1,
      true,
      2,
    ],
    ['a limit of 1 holds two planes', latest('NO_USER', 'NO_ORACLE'), 1, true, 2],
    ['a limit of 1 lets one plane through', latest('NO_USER', 'HEALTHY'), 1, false, 1],
  ];
  for (const [name, planes, max, held, count] of cases) {
    it(name, () => {
      const incident = findMassIncident(planes, max);
      assert.equal(incident.held, held);
      assert.equal(incident.planes.length, count);
    });
  }

  it('names the planes that need repair, sorted', () => {
    const incident = findMassIncident(
      [
        { plane: 'eu-2', status: 'NO_USER' },
        { plane: 'ap-1', status: 'NO_ORACLE' },
        { plane: 'us-1', status: 'HEALTHY' },
      ],
      3,
    );
    assert.deepEqual(incident.planes, ['ap-1', 'eu-2']);
  });
});

describe('findMassIncident: how long a hold lasts', () => {
  type Status = PlaneLatest['status'];
  const cycle = (...statuses: Status[]): PlaneLatest[] =>
    statuses.map((status, i) => ({ plane: `p${i}`, status }));
  const U = 'NO_USER';
  const O = 'NO_ORACLE';
  const F = 'FAILED';
  const V = 'NO_VALUE';
  const H = 'HEALTHY';
  /** Each case: cycles in order and whether each ends held (limit 3). */
  const cases: [string, PlaneLatest[][], boolean[]][] = [
    [
      'part of the incident turning FAILED keeps the hold',
      [cycle(U, U, U, U, U, U), cycle(U, U, U, F, F, F)],
      [true, true],
    ],
    [
      'the incident going stale (NO_VALUE) keeps the hold',
      [cycle(U, U, U, U, U, U), cycle(V, V, V, V, V, V)],
      [true, true],
    ],
    [
      'the hold ends once no more than the limit of its planes are not HEALTHY',
      [cycle(U, U, U, U, U, U), cycle(U, F, F, H, H, H)],
      [true, false],
    ],
    [
      'a plane that recovered and breaks again during the hold counts again',
      [cycle(U, U, U, U, U), cycle(U, U, U, H, F), cycle(U, U, U, F, H)],
      [true, true, true],
    ],
    [
      'a plane needing repair during the hold joins the incident',
      [cycle(U, U, U, U, H, H), cycle(U, U, H, F, O, H), cycle(U, U, H, F, F, F)],
      [true, true, true],
    ],
    ['without a hold, FAILED never counts', [cycle(U, U, U, H, H), cycle(U, U, U, F, F)], [false, false]],
    [
      'after the hold ends, a new one needs more than the limit NO_USER/NO_ORACLE again',
      [cycle(U, U, U, U, U), cycle(H, H, H, H, H), cycle(U, U, U, F, F)],
      [true, false, false],
    ],
  ];
  for (const [name, cycles, expected] of cases) {
    it(name, () => {
      let incident: string[] = [];
      const held = cycles.map((latest) => {
        const result = findMassIncident(latest, 3, incident);
        incident = result.incident;
        return result.held;
      });
      assert.deepEqual(held, expected);
    });
  }

  it("counts the incident's planes that are not HEALTHY, and drops planes no longer configured", () => {
    const first = findMassIncident(cycle(U, U, U, U, U), 3);
    assert.deepEqual(first.incident, ['p0', 'p1', 'p2', 'p3', 'p4']);
    const second = findMassIncident(cycle(F, V, U, H), 3, first.incident);
    assert.equal(second.held, false, 'p4 is gone from the config; p3 is HEALTHY: three left');
    assert.deepEqual(second.planes, ['p0', 'p1', 'p2']);
    assert.deepEqual(second.incident, [], 'the hold is over');
  });
});

describe('correlation', () => {
  it('finds a run by correlation id and by plane in its title', () => {
    const id = newCorrelationId(NOW);
    assert.match(id, /^pc-[0-9a-z]+-[0-9a-f]{8}$/);
    const title = `Production smoke test plane=us-east-1 [${id}]`;
    assert.equal(titleHasCorrelation(title, id), true);
    assert.equal(titleHasCorrelation(title, newCorrelationId(NOW)), false);
    assert.equal(titleNamesPlane(title, 'us-east-1'), true);
    assert.equal(titleNamesPlane(title, 'us-east'), false);
    assert.equal(titleNamesPlane('Production smoke test plane=us-east-12 [x]', 'us-east-1'), false);
    assert.equal(titleNamesPlane('plane=a.b', 'a.b'), true);
    assert.equal(titleNamesPlane('plane=axb', 'a.b'), false, 'dots in plane names are literal');
  });
});
