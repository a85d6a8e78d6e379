import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../src/config/parse.js';
import { firstDifference, planReload, type ReloadChanges } from '../src/config/reload-plan.js';

/** A config with the given planes (`name` or `name=url`) and extra top-level YAML. */
function config(planes: string[], extra = '', schedule = '{ interval: 1m, cacheTtl: 2m }') {
  const list = planes
    .map((entry) => {
      const [name, url = `https://${entry}.example.com`] = entry.split('=');
      return `  - { name: ${name}, inferenceUrl: "${url}" }`;
    })
    .join('\n');
  return parseConfig(`
schedule: ${schedule}
platform: { controlPlaneUrl: "https://api.example.com", apiKey: key }
workloadPlanes:
${list}
${extra}`);
}

function changesOf(plan: ReturnType<typeof planReload>): ReloadChanges {
  assert.ok('changes' in plan, `refused: ${'refused' in plan ? plan.refused : ''}`);
  return plan.changes;
}

const SELF_HEAL = `selfHeal: { enabled: true, repository: acme/ops }
github: { token: ghp_secret }`;

describe('planReload', () => {
  it('finds planes added, removed and changed, in the new order', () => {
    const changes = changesOf(
      planReload(config(['a', 'b', 'c']), config(['d', 'a', 'c=https://moved.example.com', 'e']), false),
    );
    assert.deepEqual(changes.added, ['d', 'e']);
    assert.deepEqual(changes.removed, ['b']);
    assert.deepEqual(changes.changed, ['c']);
    assert.equal(changes.checker, false);
    assert.deepEqual(changes.fields, ['workloadPlanes']);
  });

  it('finds nothing in an identical config', () => {
    const changes = changesOf(planReload(config(['a']), config(['a']), false));
    assert.deepEqual(changes, { added: [], removed: [], changed: [], checker: false, fields: [] });
  });

  it('counts a changed maintenance window as a changed plane', () => {
    const old = config(['a']);
    const next = parseConfig(`
schedule: { interval: 1m, cacheTtl: 2m }
platform: { controlPlaneUrl: "https://api.example.com", apiKey: key }
workloadPlanes:
  - name: a
    inferenceUrl: "https://a.example.com"
    maintenance: [{ cron: "0 2 * * 0", duration: 2h, note: weekly }]
`);
    assert.deepEqual(changesOf(planReload(old, next, false)).changed, ['a']);
  });

  it('asks for a new checker when the platform, the concurrency or the plane deadline change', () => {
    const base = config(['a']);
    const platform = parseConfig(`
schedule: { interval: 1m, cacheTtl: 2m }
platform: { controlPlaneUrl: "https://api.example.com", apiKey: key, requestTimeout: 2s }
workloadPlanes: [{ name: a, inferenceUrl: "https://a.example.com" }]`);
    assert.equal(changesOf(planReload(base, platform, false)).checker, true);
    assert.deepEqual(changesOf(planReload(base, platform, false)).fields, ['platform']);
    const concurrency = config(['a'], '', '{ interval: 1m, cacheTtl: 2m, concurrency: 3 }');
    assert.equal(changesOf(planReload(base, concurrency, false)).checker, true);
    const deadline = config(['a'], '', '{ interval: 1m, cacheTtl: 2m, planeTimeout: 15s }');
    assert.equal(changesOf(planReload(base, deadline, false)).checker, true);
    const slowPlane = {
      ...base,
      workloadPlanes: base.workloadPlanes.map((plane) => ({ ...plane, requestTimeout: 20_000 })),
    };
    assert.equal(changesOf(planReload(base, slowPlane, false)).checker, true, 'a longer connect timeout');
    const ttl = config(['a'], '', '{ interval: 1m, cacheTtl: 3m }');
    assert.equal(changesOf(planReload(base, ttl, false)).checker, false);
    assert.deepEqual(changesOf(planReload(base, ttl, false)).fields, ['schedule']);
  });

  it('applies server.auth, server.runbookUrl and log.level live', () => {
    const next = config(
      ['a'],
      `server: { auth: { bearerToken: "0123456789abcdef" }, runbookUrl: "https://runbooks.example.com/p.md" }
log: { level: debug }`,
    );
    assert.deepEqual(changesOf(planReload(config(['a']), next, false)).fields.sort(), ['log', 'server']);
  });

  for (const [field, extra, schedule] of [
    ['storage.path', 'storage: { path: /var/lib/other.db }', undefined],
    ['storage.historyRetention', 'storage: { historyRetention: 2d }', undefined],
    ['storage.path', 'storage: { url: "postgres://u:p@db/planecheck" }', undefined],
    ['server.listen', 'server: { listen: "0.0.0.0:9464" }', undefined],
    ['schedule.interval', '', '{ interval: 30s, cacheTtl: 2m, planeTimeout: 10s }'],
  ] as const) {
    it(`refuses a change of ${field}, naming it`, () => {
      const plan = planReload(config(['a']), config(['a'], extra, schedule), false);
      assert.deepEqual(plan, { refused: `${field} changed: restart planecheck to apply it` });
    });
  }

  it('refuses a change of GitHub credentials without quoting them', () => {
    const plan = planReload(
      config(['a'], SELF_HEAL),
      config(['a'], SELF_HEAL.replace('ghp_secret', 'ghp_other')),
      true,
    );
    assert.deepEqual(plan, { refused: 'github.token changed: restart planecheck to apply it' });
  });

  it('turns self-heal off live, and refuses turning it on without a healer', () => {
    const on = config(['a'], SELF_HEAL);
    const off = config(['a'], SELF_HEAL.replace('enabled: true', 'enabled: false'));
    assert.deepEqual(changesOf(planReload(on, off, true)).fields, ['selfHeal']);
    assert.deepEqual(planReload(off, on, false), {
      refused: 'selfHeal.enabled changed: restart planecheck to turn self-heal on',
    });
    // The daemon started with a healer (turned off by an earlier reload): on again applies live.
    assert.deepEqual(changesOf(planReload(off, on, true)).fields, ['selfHeal']);
  });

  it("names a plane's selfHeal.enabled when it is what turns self-heal on", () => {
    const off = config(['a', 'b'], SELF_HEAL.replace('enabled: true', 'enabled: false'));
    const onForB = {
      ...off,
      workloadPlanes: off.workloadPlanes.map((plane) =>
        plane.name === 'b' ? { ...plane, selfHeal: { enabled: true } } : plane,
      ),
    };
    assert.deepEqual(planReload(off, onForB, false), {
      refused: 'workloadPlanes[1].selfHeal.enabled changed: restart planecheck to turn self-heal on',
    });
    assert.deepEqual(changesOf(planReload(off, onForB, true)).changed, ['b']);
  });

  it('applies other self-heal settings live', () => {
    const on = config(['a'], SELF_HEAL);
    const slower = config(
      ['a'],
      SELF_HEAL.replace('repository: acme/ops', 'repository: acme/ops, cooldown: 1h'),
    );
    assert.deepEqual(changesOf(planReload(on, slower, true)).fields, ['selfHeal']);
  });
});

describe('firstDifference', () => {
  it('names the first differing leaf, or the field itself when one side is not an object', () => {
    assert.equal(firstDifference({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } }, 'x'), 'x.b.c');
    assert.equal(firstDifference({ a: 1 }, { a: 1 }, 'x'), undefined);
    assert.equal(firstDifference(undefined, { a: 1 }, 'github'), 'github');
    assert.equal(firstDifference([1], [2], 'list'), 'list');
  });
});
