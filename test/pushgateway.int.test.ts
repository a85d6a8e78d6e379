import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PlaneReport } from '../src/check/report.js';
import { planeSetKey, pushResults } from '../src/metrics/pushgateway.js';
import { startPushgateway } from './helpers/pushgateway.js';
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
  it('PUTs the text format to /metrics/job/planecheck_action/instance@base64/.../plane_set/..., under a path prefix too', async () => {
    const { server, seen } = await gateway(200, '');
    try {
      await pushResults(`${server.url}/pushgateway/`, PLANES, 'acme/platform');
      assert.equal(seen.method, 'PUT');
      assert.equal(
        decodeURIComponent(seen.path ?? ''),
        `/pushgateway/metrics/job/planecheck_action/instance@base64/${Buffer.from('acme/platform').toString('base64url')}/plane_set/${planeSetKey(['us-east-1'])}`,
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

const report = (name: string, status: PlaneReport['status']): PlaneReport => ({
  name,
  status,
  reason: status === 'HEALTHY' ? null : 'predict_timeout',
  checkedAt: new Date().toISOString(),
  durationMs: 10,
  steps: [],
});

describe('pushing to a real Pushgateway', () => {
  let gateway: Awaited<ReturnType<typeof startPushgateway>>;
  before(async () => {
    gateway = await startPushgateway();
  });
  after(() => gateway.stop());

  const scrape = async () => (await fetch(`${gateway.url}/metrics`)).text();

  it('names a plane set the same whatever the order, and different sets differently', () => {
    assert.equal(planeSetKey(['b', 'a']), planeSetKey(['a', 'b']));
    assert.match(planeSetKey(['a', 'b']), /^[0-9a-f]{12}$/);
    assert.notEqual(planeSetKey(['a']), planeSetKey(['a', 'b']));
  });

  it('keeps the pushes of two jobs of one repository that check different planes', async () => {
    await pushResults(gateway.url, [report('us-east-1', 'FAILED')], 'acme/ops');
    await pushResults(gateway.url, [report('eu-west-1', 'HEALTHY')], 'acme/ops');
    let text = await scrape();
    const us = planeSetKey(['us-east-1']);
    const eu = planeSetKey(['eu-west-1']);
    assert.match(
      text,
      new RegExp(
        `^planecheck_status\\{instance="acme/ops",job="planecheck_action",plane_set="${us}",status="FAILED",workload_plane="us-east-1"\\} 1$`,
        'm',
      ),
      'the first job is still there after the second pushed',
    );
    assert.match(
      text,
      new RegExp(
        `^push_time_seconds\\{instance="acme/ops",job="planecheck_action",plane_set="${eu}"\\} `,
        'm',
      ),
    );
    // The first job runs again: it replaces its own group only.
    await pushResults(gateway.url, [report('us-east-1', 'HEALTHY')], 'acme/ops');
    text = await scrape();
    assert.match(
      text,
      new RegExp(`plane_set="${us}",status="HEALTHY",workload_plane="us-east-1"\\} 1$`, 'm'),
    );
    assert.match(text, new RegExp(`plane_set="${us}",status="FAILED",workload_plane="us-east-1"\\} 0$`, 'm'));
    assert.match(
      text,
      new RegExp(`plane_set="${eu}",status="HEALTHY",workload_plane="eu-west-1"\\} 1$`, 'm'),
    );
  });
});
