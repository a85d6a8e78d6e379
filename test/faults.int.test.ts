import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { LookupFunction } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { createChecker } from '../src/check/checker.js';
import { classify } from '../src/check/classify.js';
import type { PlaneCheckResult } from '../src/check/result.js';
import type { InternalError } from '../src/check/check-plane.js';
import { createHttpAgent, requestJson, splitUrl } from '../src/platform/http.js';
import { HttpPlatform } from '../src/platform/http-platform.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import { testConfig } from './helpers/config.js';
import {
  closedPortUrl,
  startHttpServer,
  startHttpsServer,
  startSilentServer,
  type RunningServer,
} from './helpers/servers.js';

const REQUEST_TIMEOUT_MS = 1_500;

/** Each fault is one plane whose inference endpoint misbehaves; the control plane (sandbox) is fine. */
interface Fault {
  plane: string;
  reason: string;
  /** The fault can only end by our deadline, so the check must take about requestTimeout. */
  endsAtDeadline: boolean;
  start: () => Promise<RunningServer | string>;
}

function keepOpen(res: ServerResponse, every: number, write: () => void): void {
  const timer = setInterval(write, every);
  res.on('close', () => clearInterval(timer));
}

const otherOrigin: { hits: string[]; server?: RunningServer } = { hits: [] };

const FAULTS: Fault[] = [
  { plane: 'silent', reason: 'predict_timeout', endsAtDeadline: true, start: startSilentServer },
  {
    plane: 'stalled-body',
    reason: 'predict_timeout',
    endsAtDeadline: true,
    start: () =>
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"output":');
      }),
  },
  {
    plane: 'trickle',
    reason: 'predict_timeout',
    endsAtDeadline: true,
    start: () =>
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        keepOpen(res, 1_000, () => res.write(' '));
      }),
  },
  {
    plane: 'endless',
    reason: 'predict_response_too_large',
    endsAtDeadline: false,
    start: () =>
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        keepOpen(res, 5, () => res.write(chunk));
      }),
  },
  { plane: 'refused', reason: 'predict_connection_refused', endsAtDeadline: false, start: closedPortUrl },
  {
    plane: 'reset',
    reason: 'predict_connection_reset',
    endsAtDeadline: false,
    start: () =>
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"output": "po', () => setTimeout(() => res.socket?.resetAndDestroy(), 50));
      }),
  },
  {
    plane: 'redirect',
    reason: 'predict_redirect_blocked',
    endsAtDeadline: false,
    start: async () => {
      otherOrigin.server = await startHttpServer((req, res) => {
        otherOrigin.hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
        res.end('{}');
      }, '127.0.0.2');
      return startHttpServer((_req, res) => {
        res.writeHead(302, { location: `${otherOrigin.server?.url ?? ''}/steal` }).end();
      });
    },
  },
  {
    // Signed by a CA this process does not trust.
    plane: 'untrusted-tls',
    reason: 'predict_tls_error',
    endsAtDeadline: false,
    start: () => startHttpsServer((_req, res) => res.end('{}')),
  },
  {
    plane: 'html',
    reason: 'predict_invalid_response',
    endsAtDeadline: false,
    start: () =>
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
      }),
  },
];

describe('faults end at their deadline without delaying healthy planes', () => {
  const sandbox = new SandboxPlatform({
    apiKey: 'test-key',
    planes: {
      healthy: 'healthy',
      'async-queued': 'async_stuck',
      ...Object.fromEntries(FAULTS.map((f) => [f.plane, 'healthy'])),
    },
  });
  const servers: RunningServer[] = [];
  const urls = new Map<string, string>();

  before(async () => {
    await sandbox.start();
    for (const fault of FAULTS) {
      const started = await fault.start();
      if (typeof started === 'string') urls.set(fault.plane, started);
      else {
        servers.push(started);
        urls.set(fault.plane, started.url);
      }
    }
  });
  after(async () => {
    await sandbox.close();
    await Promise.all(servers.map((server) => server.close()));
    await otherOrigin.server?.close();
  });

  it('classifies every fault, each at its deadline, while a healthy plane stays healthy', async () => {
    const planes = [
      { name: 'healthy', inferenceUrl: sandbox.inferenceUrl('healthy') },
      { name: 'async-queued', inferenceUrl: sandbox.inferenceUrl('async-queued') },
      ...FAULTS.map((fault) => ({ name: fault.plane, inferenceUrl: urls.get(fault.plane) ?? '' })),
    ];
    const config = testConfig({
      controlPlaneUrl: sandbox.url,
      planes,
      schedule: '{ interval: 10s, cacheTtl: 20s, concurrency: 16, planeTimeout: 4s }',
      platform: '  maxResponseBytes: 65536',
    });
    assert.equal(config.platform.requestTimeout, REQUEST_TIMEOUT_MS);
    const checker = createChecker(config);
    const finished: PlaneCheckResult[] = [];
    try {
      await checker.check(config.workloadPlanes, { onResult: (result) => finished.push(result) });
    } finally {
      await checker.close();
    }
    const byPlane = new Map(finished.map((result) => [result.plane, result]));

    const healthy = byPlane.get('healthy');
    assert.ok(healthy);
    assert.deepEqual(classify(healthy), { status: 'HEALTHY', reason: null });
    const firstDeadlineFault = finished.findIndex((result) =>
      FAULTS.some((f) => f.endsAtDeadline && f.plane === result.plane),
    );
    assert.ok(
      finished.indexOf(healthy) < firstDeadlineFault,
      'the healthy plane finished before any hung plane',
    );

    for (const fault of FAULTS) {
      const result = byPlane.get(fault.plane);
      assert.ok(result, fault.plane);
      assert.deepEqual(classify(result), { status: 'FAILED', reason: fault.reason }, fault.plane);
      const predict = result.steps.find((step) => step.step === 'predict');
      assert.ok(predict, `${fault.plane} reached predict`);
      assert.ok(
        predict.durationMs <= REQUEST_TIMEOUT_MS + 1_000,
        `${fault.plane} predict took ${predict.durationMs}ms`,
      );
      if (fault.endsAtDeadline) {
        assert.ok(predict.durationMs >= REQUEST_TIMEOUT_MS - 50, `${fault.plane} ended before its deadline`);
      }
    }

    const queued = byPlane.get('async-queued');
    assert.ok(queued);
    assert.deepEqual(classify(queued), { status: 'FAILED', reason: 'async_predict_timeout' });
    assert.match(queued.steps[3]?.failure?.detail ?? '', /still QUEUED after 2s/);
    assert.ok((queued.steps[3]?.durationMs ?? Infinity) <= 2_000 + 1_000);

    assert.deepEqual(otherOrigin.hits, [], 'no request, and no credentials, went to the other origin');
  });
});

describe('requestJson', () => {
  it('follows a same-origin redirect, keeping the method, body and headers', async () => {
    const seen: string[] = [];
    const server = await startHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'} ${body}`);
        if (req.url === '/start') res.writeHead(307, { location: '/moved' }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const result = await requestJson(agent, {
        method: 'POST',
        url: `${server.url}/start`,
        headers: { authorization: 'Api-Key k' },
        body: '{"a":1}',
        timeoutMs: 2_000,
        maxBytes: 1_000,
      });
      assert.deepEqual(result, { ok: true, status: 200, body: { ok: true } });
      assert.deepEqual(seen, ['POST /start Api-Key k {"a":1}', 'POST /moved Api-Key k {"a":1}']);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('stops redirect loops', async () => {
    const server = await startHttpServer((_req, res) => res.writeHead(302, { location: '/again' }).end());
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const result = await requestJson(agent, {
        method: 'GET',
        url: server.url,
        headers: {},
        timeoutMs: 2_000,
        maxBytes: 1_000,
      });
      assert.equal(!result.ok && result.failure.kind, 'redirect_blocked');
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('rejects a declared content-length over the cap without reading it', async () => {
    const server = await startHttpServer((_req, res) =>
      res
        .writeHead(200, { 'content-length': '5000', 'content-type': 'application/json' })
        .end(' '.repeat(5000)),
    );
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const result = await requestJson(agent, {
        method: 'GET',
        url: server.url,
        headers: {},
        timeoutMs: 2_000,
        maxBytes: 1_000,
      });
      assert.equal(!result.ok && result.failure.kind, 'response_too_large');
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('reads an error status without reading an endless body, and closes that connection', async () => {
    const server = await startHttpServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      keepOpen(res, 5, () => res.write(Buffer.alloc(16 * 1024, 0x41)));
    });
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const result = await requestJson(agent, {
        method: 'GET',
        url: server.url,
        headers: {},
        timeoutMs: 5_000,
        maxBytes: 1_000,
      });
      assert.deepEqual(result, {
        ok: false,
        failure: { kind: 'http_status', httpStatus: 500, detail: 'HTTP 500' },
      });
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('reuses one connection across responses, error statuses included', async () => {
    const ports = new Set<number>();
    const server = await startHttpServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      if (req.url === '/missing') res.writeHead(404, { 'content-type': 'application/json' }).end('{"e":1}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 5_000 });
    try {
      for (const path of ['/a', '/missing', '/b', '/missing', '/c']) {
        await requestJson(agent, {
          method: 'GET',
          url: `${server.url}${path}`,
          headers: {},
          timeoutMs: 2_000,
          maxBytes: 1_000,
        });
        // undici frees the connection just after the response ends; a request sent in the same tick opens another.
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(ports.size, 1, 'every request went over the same connection');
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('ends at its deadline while still waiting for a connection', async () => {
    const server = await startSilentServer();
    // One connection per origin: the second request queues behind the first, which never ends.
    const agent = new Agent({ connections: 1 });
    try {
      const send = (timeoutMs: number) =>
        requestJson(agent, { method: 'GET', url: server.url, headers: {}, timeoutMs, maxBytes: 1_000 });
      const first = send(3_000);
      const started = Date.now();
      const second = await send(300);
      assert.equal(!second.ok && second.failure.kind, 'timeout');
      assert.ok(Date.now() - started < 2_500, 'the queued request did not wait for the first one');
      assert.equal((await first).ok, false);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('reports a certificate nothing trusts as a TLS error, with its cause', async () => {
    const server = await startHttpsServer((_req, res) => res.end('{}'));
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const result = await requestJson(agent, {
        method: 'GET',
        url: `${server.url}/v1/users`,
        headers: {},
        timeoutMs: 3_000,
        maxBytes: 1_000,
      });
      assert.deepEqual(!result.ok && result.failure, {
        kind: 'tls_error',
        detail: 'TLS error (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      });
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('reports a name that does not resolve as a DNS error', async () => {
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const result = await requestJson(agent, {
        method: 'GET',
        url: 'http://planecheck-test.invalid/',
        headers: {},
        timeoutMs: 3_000,
        maxBytes: 1_000,
      });
      assert.equal(!result.ok && result.failure.kind, 'dns_error');
    } finally {
      await agent.close();
    }
  });
});

describe('splitUrl', () => {
  it('gives the origin and path the WHATWG parser gives, for plain and for unusual URLs', () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'https://api.example.com/v1/users?email=admin__smoke_test_eu-west-1',
      'https://api.example.com?x=1',
      'https://api.example.com/a/b#fragment',
      'https://api.example.com/models/%2F..%2Fadmin/predict',
      'HTTPS://API.Example.COM:443/p',
      'https://user:secret@api.example.com/p',
      'https://api.example.com/a b/ü',
      'https://api.example.com/a\\b',
      'https://api.example.com/a/../b/./c',
      'https://api.example.com/a/%2E%2e/b',
      "https://api.example.com/q?name='x'&y=<z>",
      'https://api.example.com/{a}`b`',
    ]) {
      const parsed = new URL(url);
      const split = splitUrl(url);
      assert.equal(split.path, parsed.pathname + parsed.search, url);
      assert.equal(new URL(split.origin).origin, parsed.origin, url);
      assert.ok(!split.origin.includes('secret'), 'credentials never reach the origin');
    }
  });
});

describe('what is not a network failure is not reported as one', () => {
  it('takes a redirect to a Location that does not parse as user_lookup_invalid_response', async () => {
    let requests = 0;
    const controlPlane = await startHttpServer((_req, res) => {
      requests++;
      res.writeHead(302, { location: 'http://[zz/x' }).end();
    });
    const config = testConfig({
      controlPlaneUrl: controlPlane.url,
      planes: [{ name: 'bad-location', inferenceUrl: 'http://127.0.0.1:9/' }],
    });
    const checker = createChecker(config);
    try {
      const [result] = await checker.check(config.workloadPlanes);
      assert.ok(result);
      assert.equal(requests, 1, 'the control plane answered the redirect');
      assert.deepEqual(classify(result), { status: 'FAILED', reason: 'user_lookup_invalid_response' });
      assert.match(result.steps[0]?.failure?.detail ?? '', /Location that is not a URL/);
    } finally {
      await checker.close();
      await controlPlane.close();
    }
  });

  it('reports an error without an errno-style code as {step}_internal_error, to onInternalError', async () => {
    const sandbox = new SandboxPlatform({
      apiKey: 'test-key',
      planes: { buggy: 'healthy', fine: 'healthy' },
    });
    await sandbox.start();
    const port = new URL(sandbox.url).port;
    // A host lookup with a bug: it throws a plain Error for one name. The control plane is at 127.0.0.1
    // (no lookup), so only the `buggy` plane's predict meets it; an errno-coded failure stays a DNS error.
    const lookup: LookupFunction = (hostname, options, callback) => {
      if (hostname === 'buggy.planecheck.test') return callback(new Error('lookup bug'), '', 0);
      if (hostname === 'gone.planecheck.test') {
        return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), '', 0);
      }
      callback(null, options.all ? [{ address: '127.0.0.1', family: 4 }] : '127.0.0.1', 4);
    };
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000, lookup });
    const config = testConfig({
      controlPlaneUrl: sandbox.url,
      planes: [
        { name: 'buggy', inferenceUrl: `http://buggy.planecheck.test:${port}/planes/buggy` },
        { name: 'fine', inferenceUrl: `http://gone.planecheck.test:${port}/planes/fine` },
      ],
    });
    const checker = createChecker(config, { platform: new HttpPlatform(config.platform, agent) });
    const internal: InternalError[] = [];
    try {
      const results = await checker.check(config.workloadPlanes, {
        onInternalError: (report) => internal.push(report),
      });
      const byPlane = new Map(results.map((result) => [result.plane, classify(result)]));
      assert.deepEqual(byPlane.get('buggy'), { status: 'FAILED', reason: 'predict_internal_error' });
      assert.deepEqual(byPlane.get('fine'), { status: 'FAILED', reason: 'predict_dns_error' });
      assert.deepEqual(
        internal.map((report) => [report.plane, report.step, (report.error as Error).message]).sort(),
        [
          ['buggy', 'async_predict', 'lookup bug'],
          ['buggy', 'predict', 'lookup bug'],
        ],
      );
    } finally {
      await checker.close();
      await agent.close();
      await sandbox.close();
    }
  });
});
