import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createChecker } from '../src/check/checker.js';
import { classify } from '../src/check/classify.js';
import { SandboxPlatform, type PlaneRequest, type Scenario } from '../src/sandbox/sandbox-platform.js';
import { testConfig } from './helpers/config.js';

const EXPECTED: Record<Scenario, { status: string; reason: string | null }> = {
  healthy: { status: 'HEALTHY', reason: null },
  slow: { status: 'HEALTHY', reason: null },
  no_user: { status: 'NO_USER', reason: 'user_not_found' },
  no_model: { status: 'NO_ORACLE', reason: 'oracle_not_found' },
  predict_500: { status: 'FAILED', reason: 'predict_http_500' },
  predict_hang: { status: 'FAILED', reason: 'predict_timeout' },
  async_stuck: { status: 'FAILED', reason: 'async_predict_timeout' },
  async_failed: { status: 'FAILED', reason: 'async_predict_failed' },
  malformed_json: { status: 'FAILED', reason: 'user_lookup_invalid_response' },
  huge_body: { status: 'FAILED', reason: 'predict_response_too_large' },
};

describe('check engine against the sandbox platform', () => {
  const sandbox = new SandboxPlatform({
    apiKey: 'test-key',
    planes: Object.fromEntries(
      Object.keys(EXPECTED).map((scenario) => [`p-${scenario}`, scenario as Scenario]),
    ),
    slowDelayMs: 200,
    asyncDurationMs: 120,
  });
  before(() => sandbox.start());
  after(() => sandbox.close());

  const planes = () =>
    Object.keys(EXPECTED).map((scenario) => ({
      name: `p-${scenario}`,
      inferenceUrl: sandbox.inferenceUrl(`p-${scenario}`),
    }));

  it('gives every scenario its status and reason, all planes in one run', async () => {
    const config = testConfig({ controlPlaneUrl: sandbox.url, planes: planes() });
    const checker = createChecker(config);
    try {
      const results = await checker.check(config.workloadPlanes);
      const got = Object.fromEntries(results.map((result) => [result.plane.slice(2), classify(result)]));
      assert.deepEqual(got, EXPECTED);
      const healthy = results.find((result) => result.plane === 'p-healthy');
      assert.deepEqual(
        healthy?.steps.map((step) => step.step),
        ['user_lookup', 'oracle_lookup', 'predict', 'async_predict'],
      );
      for (const result of results) {
        assert.ok(
          result.durationMs < config.schedule.planeTimeout + 1_000,
          `${result.plane} ran past its deadline`,
        );
      }
    } finally {
      await checker.close();
    }
  });

  it('follows a plane whose scenario changes at run time through the admin endpoint', async () => {
    const config = testConfig({ controlPlaneUrl: sandbox.url, planes: planes().slice(0, 1) });
    const checker = createChecker(config);
    try {
      const response = await fetch(`${sandbox.url}/admin/planes/p-healthy`, {
        method: 'PUT',
        body: JSON.stringify({ scenario: 'no_model' }),
      });
      assert.equal(response.status, 200);
      const [broken] = await checker.check(config.workloadPlanes);
      assert.equal(broken && classify(broken).status, 'NO_ORACLE');
      const repaired = await fetch(`${sandbox.url}/admin/planes/p-healthy/repair`, { method: 'POST' });
      assert.equal(repaired.status, 200);
      const [fixed] = await checker.check(config.workloadPlanes);
      assert.equal(fixed && classify(fixed).status, 'HEALTHY');
      const bad = await fetch(`${sandbox.url}/admin/planes/p-healthy`, {
        method: 'PUT',
        body: '{"scenario":"nope"}',
      });
      assert.equal(bad.status, 400);
    } finally {
      await checker.close();
    }
  });

  it('shows each plane request to a hook, which can hold it, and counts it', async () => {
    const config = testConfig({ controlPlaneUrl: sandbox.url, planes: planes().slice(0, 1) });
    const checker = createChecker(config);
    const seen: PlaneRequest[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached = () => {};
    const heldReached = new Promise<void>((resolve) => (reached = resolve));
    sandbox.onRequest = (request) => {
      seen.push(request);
      if (request.step !== 'user_lookup') return;
      reached();
      return held;
    };
    const before = sandbox.requestCount('p-healthy');
    try {
      let finished = false;
      const checking = checker.check(config.workloadPlanes).finally(() => (finished = true));
      await heldReached;
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(finished, false, 'the check waits for the held user lookup');
      release();
      const [result] = await checking;
      assert.deepEqual(result && classify(result), { status: 'HEALTHY', reason: null });
      const steps = seen.map((request) => request.step);
      assert.deepEqual(steps.slice(0, 2), ['user_lookup', 'model_lookup']);
      // predict, async submit, then as many status polls as the async request takes
      assert.ok(steps.length >= 4, steps.join());
      assert.ok(
        steps.slice(2).every((step) => step === 'inference'),
        steps.join(),
      );
      assert.ok(seen.every((request) => request.plane === 'p-healthy'));
      assert.match(seen[0]?.path ?? '', /^\/v1\/users\?email=/);
      assert.equal(typeof seen[0]?.remotePort, 'number');
      assert.equal(sandbox.requestCount('p-healthy') - before, seen.length);
    } finally {
      sandbox.onRequest = undefined;
      release();
      await checker.close();
    }
  });

  it('is FAILED, not NO_USER, when the API key is rejected', async () => {
    const config = testConfig({
      controlPlaneUrl: sandbox.url,
      planes: planes().slice(0, 1),
      apiKey: 'wrong',
    });
    const checker = createChecker(config);
    try {
      const [result] = await checker.check(config.workloadPlanes);
      assert.deepEqual(result && classify(result), { status: 'FAILED', reason: 'user_lookup_http_401' });
    } finally {
      await checker.close();
    }
  });

  it('reads responses through configured URL templates and JSON pointers', async () => {
    // A platform whose user list lives under /data and whose ids are numbers: only config changes.
    const { startHttpServer } = await import('./helpers/servers.js');
    const seen: string[] = [];
    const custom = await startHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/people'))
        res.end(JSON.stringify({ data: [{ uid: 7, org: { id: 'o-1' } }] }));
      else res.end(JSON.stringify({ result: { items: [] } }));
    });
    const config = testConfig({
      controlPlaneUrl: custom.url,
      planes: [{ name: 'custom', inferenceUrl: custom.url }],
      platform: `  endpoints:
    userLookup: { url: "{controlPlaneUrl}/api/people?mail={email}", list: /data, id: /uid, organizationId: /org/id }
    modelLookup: { url: "{controlPlaneUrl}/api/orgs/{organizationId}/deployments?user={userId}&n={oracleName}", list: /result/items }`,
    });
    const checker = createChecker(config);
    try {
      const [result] = await checker.check(config.workloadPlanes);
      assert.deepEqual(result && classify(result), { status: 'NO_ORACLE', reason: 'oracle_not_found' });
      assert.deepEqual(seen, [
        'GET /api/people?mail=admin__smoke_test_custom',
        'GET /api/orgs/o-1/deployments?user=7&n=health-check-model',
      ]);
    } finally {
      await checker.close();
      await custom.close();
    }
  });

  it('fails an id that cannot go into a URL (a lone UTF-16 surrogate) as invalid_response', async () => {
    // Valid JSON ("\ud800" is a legal escape), but encodeURIComponent throws on it: it once reached the
    // model lookup's URL template and failed the step as a network error.
    const { startHttpServer } = await import('./helpers/servers.js');
    const seen: string[] = [];
    const platform = await startHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"users": [{"id": "u-1", "organization_id": "org-\\ud800"}]}');
    });
    const config = testConfig({
      controlPlaneUrl: platform.url,
      planes: [{ name: 'surrogate', inferenceUrl: platform.url }],
    });
    const checker = createChecker(config);
    try {
      const [result] = await checker.check(config.workloadPlanes);
      assert.deepEqual(result && classify(result), {
        status: 'FAILED',
        reason: 'user_lookup_invalid_response',
      });
      assert.equal(result?.steps[0]?.failure?.detail, 'user has no organization id at /organization_id');
      assert.deepEqual(seen, ['GET /v1/users?email=admin__smoke_test_surrogate'], 'no model lookup was sent');
    } finally {
      await checker.close();
      await platform.close();
    }
  });
});
