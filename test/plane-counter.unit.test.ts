import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { PlaneCounter } from '../src/metrics/plane-counter.js';

describe('PlaneCounter', () => {
  it('renders exactly what prom-client renders for the same counter', async () => {
    const statuses = ['HEALTHY', 'NO_USER', 'NO_ORACLE', 'FAILED'];
    const help = 'Completed plane checks by resulting status, with a \\ backslash.';
    const registry = new Registry();
    const reference = new Counter({
      name: 'planecheck_checks_total',
      help,
      labelNames: ['workload_plane', 'status'] as const,
      registers: [registry],
    });
    const ours = new PlaneCounter({
      name: 'planecheck_checks_total',
      help,
      label: 'status',
      values: statuses,
    });
    for (const plane of ['us-east-1', 'eu"west\\1', 'idle']) {
      ours.zero(plane);
      for (const status of statuses) reference.inc({ workload_plane: plane, status }, 0);
    }
    const increments: [string, string][] = [
      ['us-east-1', 'HEALTHY'],
      ['us-east-1', 'HEALTHY'],
      ['eu"west\\1', 'NO_ORACLE'],
      ['us-east-1', 'FAILED'],
    ];
    for (const [plane, status] of increments) {
      ours.inc(plane, status);
      reference.inc({ workload_plane: plane, status });
    }
    assert.equal([...ours.render()].join(''), await registry.metrics());
  });

  it('refuses a label value it was not made for', () => {
    const counter = new PlaneCounter({ name: 'c_total', help: 'h', label: 'status', values: ['A'] });
    assert.throws(() => counter.inc('p', 'B'), /c_total: unknown status "B"/);
  });
});
