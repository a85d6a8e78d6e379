import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { StepHistogram } from '../src/metrics/step-histogram.js';

describe('StepHistogram', () => {
  it('renders exactly what prom-client renders for the same observations', async () => {
    const buckets = [0.1, 0.25, 0.5, 1, 2.5, 10];
    const help = 'Duration of each step, with a "quote" and a \\ backslash.';
    const registry = new Registry();
    const reference = new Histogram({
      name: 'planecheck_check_duration_seconds',
      help,
      labelNames: ['workload_plane', 'step'] as const,
      buckets,
      registers: [registry],
    });
    const ours = new StepHistogram({ name: 'planecheck_check_duration_seconds', help, buckets });

    ours.zero('quiet-plane', 'total');
    reference.zero({ workload_plane: 'quiet-plane', step: 'total' });
    const observations: [string, string, number][] = [
      ['us-east-1', 'user_lookup', 0.004],
      ['us-east-1', 'user_lookup', 0.1],
      ['us-east-1', 'user_lookup', 0.3],
      ['us-east-1', 'predict', 12.5],
      ['eu.west_1', 'total', 1],
      ['eu.west_1', 'total', 2.4999],
      ['us-east-1', 'user_lookup', 0.123456789],
    ];
    for (const [plane, step, seconds] of observations) {
      ours.observe(plane, step, seconds);
      reference.observe({ workload_plane: plane, step }, seconds);
    }
    assert.equal([...ours.render()].join(''), await registry.metrics());
  });
});
