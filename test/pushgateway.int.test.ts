import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlaneReport } from '../src/check/report.js';
import { pushResults } from '../src/metrics/pushgateway.js';
import { startHttpServer } from './helpers/servers.js';

const PLANES: PlaneReport[] = [
  {
    name: 'us-east-1',
    status: 'NO_USER',
    reason: 'user_not_found',
    checkedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    steps: [],
  },
];

interface Seen {
  method?: string;
  path?: string;
  contentType?: string;
  body: string;
}

/** A loopback server that records the one request it gets and answers `status` with `body`. */
async function gateway(status: number, body: string, contentType = 'text/plain') {
  const seen: Seen = { body: '' };
  const server = await startHttpServer((req, res) => {
    seen.method = req.method;
    seen.path = req.url;
    seen.contentType = req.headers['content-type'];
    req.on('data', (chunk: Buffer) => (seen.body += chunk.toString()));
    req.on('end', () => res.writeHead(status, { 'content-type': contentType }).end(body));
  });
  return { server, seen };
}

describe('pushResults (the Action pushing to a Pushgateway)', () => {
  it('PUTs the text format to /metrics/job/planecheck_action/instance@base64/..., under a path prefix too', async () => {
    const { server, seen } = await gateway(200, '');
    try {
      await pushResults(`${server.url}/pushgateway/`, PLANES, 'acme/platform');
      assert.equal(seen.method, 'PUT');
      assert.equal(
        decodeURIComponent(seen.path ?? ''),
        `/pushgateway/metrics/job/planecheck_action/instance@base64/${Buffer.from('acme/platform').toString('base64url')}`,
      );
      assert.match(seen.contentType ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(seen.body, /^planecheck_status\{workload_plane="us-east-1",status="NO_USER"\} 1$/m);
      assert.match(
        seen.body,
        /^planecheck_last_check_timestamp_seconds\{workload_plane="us-east-1"\} 1767225600$/m,
      );
    } finally {
      await server.close();
    }
  });

  it("a rejected push fails with the status and the Pushgateway's own message", async () => {
    const message =
      'pushed metrics are invalid or inconsistent with existing metrics: collected metric "planecheck_status" was collected before with the same name and label values';
    const { server } = await gateway(400, `${message}\n`);
    try {
      await assert.rejects(pushResults(server.url, PLANES, 'acme/platform'), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /^Pushgateway answered HTTP 400: pushed metrics are invalid/);
        return true;
      });
    } finally {
      await server.close();
    }
  });

  it('a proxy answering an HTML 404 (wrong URL) fails with the status', async () => {
    const { server } = await gateway(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
    try {
      await assert.rejects(pushResults(server.url, PLANES, 'acme/platform'), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.message, 'Pushgateway answered HTTP 404');
        return true;
      });
    } finally {
      await server.close();
    }
  });
});
