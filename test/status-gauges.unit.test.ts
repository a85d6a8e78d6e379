import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Gauge, Registry } from 'prom-client';
import { PLANE_STATUSES } from '../src/check/result.js';
import {
  currentFailure,
  FAILURE_INFO_HELP,
  LAST_CHECK_HELP,
  renderStatusGauges,
  STATUS_HELP,
  SUCCESS_HELP,
} from '../src/metrics/status-gauges.js';
import type { StoredResult } from '../src/check/stored-result.js';
import { planeState } from '../src/store/plane-state.js';

const result = (plane: string, status: StoredResult['status'], checkedAt: number): StoredResult => ({
  plane,
  status,
  reason: status === 'HEALTHY' ? null : status === 'NO_ORACLE' ? 'oracle_not_found' : 'predict_timeout',
  checkedAt,
  durationMs: 1,
  steps: [],
  checkedBy: 'replica-a',
});

describe('renderStatusGauges', () => {
  it('renders exactly what prom-client renders for the same gauges', async () => {
    const now = 1_764_080_000_123;
    const states = [
      planeState('us-east-1', result('us-east-1', 'HEALTHY', now - 1_000), 1_000, 120_000, now),
      planeState('eu"west\\1', result('eu"west\\1', 'NO_ORACLE', now - 5_001), 5_001, 120_000, now),
      planeState('never-checked', undefined, Infinity, 120_000, now),
      planeState('expired', result('expired', 'FAILED', now - 200_000), 200_000, 120_000, now),
    ];
    const registry = new Registry();
    const status = new Gauge({
      name: 'planecheck_status',
      help: STATUS_HELP,
      labelNames: ['workload_plane', 'status'] as const,
      registers: [registry],
    });
    const lastCheck = new Gauge({
      name: 'planecheck_last_check_timestamp_seconds',
      help: LAST_CHECK_HELP,
      labelNames: ['workload_plane'] as const,
      registers: [registry],
    });
    const success = new Gauge({
      name: 'planecheck_check_success',
      help: SUCCESS_HELP,
      labelNames: ['workload_plane'] as const,
      registers: [registry],
    });
    const failureInfo = new Gauge({
      name: 'planecheck_last_failure_info',
      help: FAILURE_INFO_HELP,
      labelNames: ['workload_plane', 'step', 'reason'] as const,
      registers: [registry],
    });
    for (const state of states) {
      success.set({ workload_plane: state.plane }, state.status === 'HEALTHY' ? 1 : 0);
      const failure = currentFailure(state);
      if (failure) failureInfo.set({ workload_plane: state.plane, ...failure }, 1);
    }
    for (const state of states) {
      for (const name of PLANE_STATUSES) {
        status.set({ workload_plane: state.plane, status: name }, state.status === name ? 1 : 0);
      }
      if (state.checkedAt !== null) lastCheck.set({ workload_plane: state.plane }, state.checkedAt / 1000);
    }
    const ours = [...renderStatusGauges(states)].join('');
    assert.equal(ours, `${await registry.metrics()}\n`);
    assert.match(ours, /^planecheck_status\{workload_plane="expired",status="NO_VALUE"\} 1$/m);
    assert.match(
      ours,
      /^planecheck_last_failure_info\{workload_plane="eu\\"west\\\\1",step="oracle_lookup",reason="oracle_not_found"\} 1$/m,
    );
    assert.doesNotMatch(
      ours,
      /last_failure_info\{workload_plane="expired"/,
      'an expired result has no current reason',
    );
  });
});
