import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createChecker } from '../src/check/checker.js';
import { classify } from '../src/check/classify.js';
import { parseConfig } from '../src/config/parse.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';

/** A plane's own requestTimeout, asyncTimeout, pollInterval and controlPlaneUrl, seen by real requests. */
describe('per-plane settings in the check engine', () => {
  const sandbox = new SandboxPlatform({
    apiKey: 'test-key',
    planes: { short: 'healthy', long: 'healthy', stuck: 'async_stuck', 'stuck-slow-poll': 'async_stuck' },
  });
  // A second platform, the control plane of one plane only.
  const far = new SandboxPlatform({ apiKey: 'test-key', planes: { far: 'healthy' } });
  before(() => Promise.all([sandbox.start(), far.start()]));
  after(() => Promise.all([sandbox.close(), far.close()]));

  const config = (planes: string) =>
    parseConfig(`
schedule: { interval: 10s, cacheTtl: 20s, concurrency: 8, planeTimeout: 5s }
platform:
  controlPlaneUrl: "${sandbox.url}"
  apiKey: test-key
  requestTimeout: 300ms
  asyncTimeout: 2s
  pollInterval: 50ms
workloadPlanes:
${planes}
`);

  it("times each request out at its plane's requestTimeout", async () => {
    // Both user lookups are held: "short" times out at the platform's 300 ms; only then is "long" answered,
    // inside its own 3 s. Had "long" the platform's timeout, it would have timed out with "short".
    let releaseLong!: () => void;
    const longReleased = new Promise<void>((resolve) => (releaseLong = resolve));
    const held = new Set<string>();
    sandbox.onRequest = async ({ plane, step }) => {
      if (step !== 'user_lookup') return;
      held.add(plane);
      if (plane === 'long') await longReleased;
      else if (plane === 'short') await new Promise<never>(() => undefined);
    };
    const { workloadPlanes, ...rest } = config(`
  - { name: short, inferenceUrl: "${sandbox.inferenceUrl('short')}" }
  - { name: long, inferenceUrl: "${sandbox.inferenceUrl('long')}", requestTimeout: 3s }
`);
    const checker = createChecker({ ...rest, workloadPlanes });
    try {
      const results = await checker.check(workloadPlanes, {
        onResult: (result) => {
          if (result.plane === 'short') releaseLong();
        },
      });
      assert.deepEqual([...held].sort(), ['long', 'short']);
      assert.deepEqual(
        results.map((result) => [result.plane, classify(result)]),
        [
          ['short', { status: 'FAILED', reason: 'user_lookup_timeout' }],
          ['long', { status: 'HEALTHY', reason: null }],
        ],
      );
    } finally {
      sandbox.onRequest = undefined;
      releaseLong();
      await checker.close();
    }
  });

  it("waits for an async request for its plane's asyncTimeout, polling at its pollInterval", async () => {
    const polls = new Map<string, number>();
    sandbox.onRequest = ({ plane, method, path }) => {
      if (method === 'GET' && path.includes('/async_request/')) polls.set(plane, (polls.get(plane) ?? 0) + 1);
    };
    const { workloadPlanes, ...rest } = config(`
  - { name: stuck, inferenceUrl: "${sandbox.inferenceUrl('stuck')}", asyncTimeout: 400ms }
  - { name: stuck-slow-poll, inferenceUrl: "${sandbox.inferenceUrl('stuck-slow-poll')}", asyncTimeout: 1s, pollInterval: 400ms }
`);
    const checker = createChecker({ ...rest, workloadPlanes });
    try {
      const [stuck, slowPoll] = await checker.check(workloadPlanes);
      const asyncStep = (result: typeof stuck) => result?.steps.find((step) => step.step === 'async_predict');
      assert.deepEqual(classify(stuck!), { status: 'FAILED', reason: 'async_predict_timeout' });
      assert.match(JSON.stringify(asyncStep(stuck)), /400ms/);
      assert.doesNotMatch(JSON.stringify(asyncStep(stuck)), /2s/);
      assert.match(JSON.stringify(asyncStep(slowPoll)), /1s/);
      // 1 s at one poll per 400 ms is at most 2 polls; the platform's 50 ms would have made ~20.
      assert.ok((polls.get('stuck-slow-poll') ?? 0) <= 2, `polls: ${polls.get('stuck-slow-poll')}`);
      assert.ok((polls.get('stuck-slow-poll') ?? 0) >= 1);
    } finally {
      sandbox.onRequest = undefined;
      await checker.close();
    }
  });

  it("looks the user and model up on its plane's controlPlaneUrl", async () => {
    const { workloadPlanes, ...rest } = config(`
  - { name: far, inferenceUrl: "${far.inferenceUrl('far')}", controlPlaneUrl: "${far.url}" }
  - { name: short, inferenceUrl: "${sandbox.inferenceUrl('short')}" }
`);
    const checker = createChecker({ ...rest, workloadPlanes });
    const before = sandbox.requestCount('far');
    try {
      const results = await checker.check(workloadPlanes);
      assert.deepEqual(
        results.map((result) => classify(result).status),
        ['HEALTHY', 'HEALTHY'],
      );
      // The platform's own control plane does not know "far": it was never asked.
      assert.equal(sandbox.requestCount('far'), before);
      assert.ok(far.requestCount('far') >= 4);
    } finally {
      await checker.close();
    }
  });
});
