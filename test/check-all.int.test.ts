import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createChecker } from '../src/check/checker.js';
import { classify } from '../src/check/classify.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { testConfig } from './helpers/config.js';
import { startHttpServer, type RunningServer } from './helpers/servers.js';

describe('checking many planes', () => {
  // A control plane that holds every user lookup for 40 ms and knows no users: each check is one request.
  let inFlight = 0;
  let maxInFlight = 0;
  let lookups = 0;
  let controlPlane: RunningServer;
  before(async () => {
    controlPlane = await startHttpServer((_req, res) => {
      inFlight++;
      lookups++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"users": []}');
      }, 40);
    });
  });
  after(() => controlPlane.close());

  it('keeps at most schedule.concurrency planes in flight, checks them all, and returns them in order', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
    const config = testConfig({
      controlPlaneUrl: controlPlane.url,
      planes: names.map((name) => ({ name, inferenceUrl: `${controlPlane.url}/planes/${name}` })),
      schedule: '{ interval: 10s, cacheTtl: 20s, concurrency: 3, planeTimeout: 5s }',
    });
    const checker = createChecker(config);
    const finished: string[] = [];
    try {
      const results = await checker.check(config.workloadPlanes, {
        onResult: (result) => finished.push(result.plane),
      });
      assert.equal(maxInFlight, 3);
      assert.equal(lookups, 12);
      assert.deepEqual(
        results.map((result) => result.plane),
        names,
      );
      assert.deepEqual([...finished].sort(), names);
      for (const result of results) assert.equal(classify(result).status, 'NO_USER');
    } finally {
      await checker.close();
    }
  });
});

describe('the plane deadline', () => {
  // Every answer takes 600 ms: each request is well inside the 1.5 s request timeout, but the lookups
  // alone take 1.2 s of the plane's 1.5 s.
  const sandbox = new SandboxPlatform({ apiKey: 'test-key', planes: { slow: 'slow' }, slowDelayMs: 600 });
  before(() => sandbox.start());
  after(() => sandbox.close());

  it('ends the whole check when it passes, whichever step is running', async () => {
    const config = testConfig({
      controlPlaneUrl: sandbox.url,
      planes: [{ name: 'slow', inferenceUrl: sandbox.inferenceUrl('slow') }],
      schedule: '{ interval: 10s, cacheTtl: 20s, concurrency: 1, planeTimeout: 1500ms }',
    });
    assert.equal(config.platform.requestTimeout, 1_500);
    const checker = createChecker(config);
    try {
      const [result] = await checker.check(config.workloadPlanes);
      assert.ok(result);
      assert.deepEqual(classify(result), { status: 'FAILED', reason: 'predict_timeout' });
      assert.deepEqual(
        result.steps.map((step) => [step.step, step.outcome]),
        [
          ['user_lookup', 'ok'],
          ['oracle_lookup', 'ok'],
          ['predict', 'failed'],
          ['async_predict', 'failed'],
        ],
      );
      const predict = result.steps[2];
      assert.equal(predict?.failure?.detail, 'plane deadline of 1.5s passed');
      assert.ok(result.durationMs >= 1_450 && result.durationMs < 2_500, `took ${result.durationMs} ms`);
    } finally {
      await checker.close();
    }
  });
});
