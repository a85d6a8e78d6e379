import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PlaneReport } from '../src/check/report.js';
import { planeSetKey, pushResults } from '../src/metrics/pushgateway.js';
import { startPushgateway } from './helpers/pushgateway.js';

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
