import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../src/check/classify.js';
import type { PlaneCheckResult, StepResult } from '../src/check/result.js';

const ok = (step: StepResult['step']): StepResult => ({ step, outcome: 'ok', durationMs: 1 });
const notFound = (step: StepResult['step']): StepResult => ({ step, outcome: 'not_found', durationMs: 1 });
const failed = (step: StepResult['step'], failure: NonNullable<StepResult['failure']>): StepResult => ({
  step,
  outcome: 'failed',
  durationMs: 1,
  failure,
});
const result = (...steps: StepResult[]): PlaneCheckResult => ({
  plane: 'p',
  startedAt: 0,
  checkedAt: 1,
  durationMs: 1,
  steps,
});

describe('classify', () => {
  const cases: [string, PlaneCheckResult, string, string | null][] = [
    [
      'every step ok',
      result(ok('user_lookup'), ok('oracle_lookup'), ok('predict'), ok('async_predict')),
      'HEALTHY',
      null,
    ],
    ['user definitively missing', result(notFound('user_lookup')), 'NO_USER', 'user_not_found'],
    [
      'oracle definitively missing',
      result(ok('user_lookup'), notFound('oracle_lookup')),
      'NO_ORACLE',
      'oracle_not_found',
    ],
    [
      'user lookup timed out is FAILED, never NO_USER',
      result(failed('user_lookup', { kind: 'timeout', detail: '' })),
      'FAILED',
      'user_lookup_timeout',
    ],
    [
      'user lookup malformed is FAILED',
      result(failed('user_lookup', { kind: 'invalid_response', detail: '' })),
      'FAILED',
      'user_lookup_invalid_response',
    ],
    [
      'user lookup 503',
      result(failed('user_lookup', { kind: 'http_status', httpStatus: 503, detail: '' })),
      'FAILED',
      'user_lookup_http_503',
    ],
    [
      'oracle lookup refused is FAILED, never NO_ORACLE',
      result(ok('user_lookup'), failed('oracle_lookup', { kind: 'connection_refused', detail: '' })),
      'FAILED',
      'oracle_lookup_connection_refused',
    ],
    [
      'predict 500',
      result(
        ok('user_lookup'),
        ok('oracle_lookup'),
        failed('predict', { kind: 'http_status', httpStatus: 500, detail: '' }),
        ok('async_predict'),
      ),
      'FAILED',
      'predict_http_500',
    ],
    [
      'predict too large',
      result(
        ok('user_lookup'),
        ok('oracle_lookup'),
        failed('predict', { kind: 'response_too_large', detail: '' }),
        ok('async_predict'),
      ),
      'FAILED',
      'predict_response_too_large',
    ],
    [
      'async ended FAILED',
      result(
        ok('user_lookup'),
        ok('oracle_lookup'),
        ok('predict'),
        failed('async_predict', { kind: 'failed', detail: '' }),
      ),
      'FAILED',
      'async_predict_failed',
    ],
    [
      'async timed out',
      result(
        ok('user_lookup'),
        ok('oracle_lookup'),
        ok('predict'),
        failed('async_predict', { kind: 'timeout', detail: '' }),
      ),
      'FAILED',
      'async_predict_timeout',
    ],
    [
      'both predictions failed: predict is named first',
      result(
        ok('user_lookup'),
        ok('oracle_lookup'),
        failed('predict', { kind: 'redirect_blocked', detail: '' }),
        failed('async_predict', { kind: 'timeout', detail: '' }),
      ),
      'FAILED',
      'predict_redirect_blocked',
    ],
    [
      'aborted check',
      result(failed('user_lookup', { kind: 'aborted', detail: '' })),
      'FAILED',
      'user_lookup_aborted',
    ],
    ['no steps at all', result(), 'FAILED', 'user_lookup_missing'],
    [
      'a prediction step missing',
      result(ok('user_lookup'), ok('oracle_lookup'), ok('predict')),
      'FAILED',
      'async_predict_missing',
    ],
  ];
  for (const [name, input, status, reason] of cases) {
    it(name, () => assert.deepEqual(classify(input), { status, reason }));
  }
});
