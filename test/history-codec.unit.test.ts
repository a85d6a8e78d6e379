import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepReport } from '../src/check/report.js';
import {
  decodeSteps,
  encodeSteps,
  STATUS_CODES,
  statusCode,
  statusFromCode,
  toTenths,
} from '../src/store/history-codec.js';

/** A reason dictionary as the store keeps one. */
function dictionary() {
  const ids = new Map<string, number>();
  const texts = new Map<number, string>();
  return {
    id: (text: string) => {
      if (!ids.has(text)) {
        ids.set(text, ids.size + 1);
        texts.set(ids.size, text);
      }
      return ids.get(text) ?? 0;
    },
    text: (id: number) => texts.get(id) ?? assert.fail(`no reason ${id}`),
  };
}

const healthySteps: StepReport[] = [
  { step: 'user_lookup', outcome: 'ok', durationMs: 3.4 },
  { step: 'oracle_lookup', outcome: 'ok', durationMs: 2.9 },
  { step: 'predict', outcome: 'ok', durationMs: 18.7 },
  { step: 'async_predict', outcome: 'ok', durationMs: 1_021.6 },
];

describe('history codec', () => {
  const cases: [string, StepReport[]][] = [
    ['no steps', []],
    ['a healthy check', healthySteps],
    ['NO_USER', [{ step: 'user_lookup', outcome: 'not_found', durationMs: 2.5 }]],
    [
      'a failure with reason and detail, steps out of order',
      [
        { step: 'async_predict', outcome: 'ok', durationMs: 0 },
        {
          step: 'predict',
          outcome: 'failed',
          durationMs: 10_000.1,
          reason: 'predict_timeout',
          detail: 'the server did not answer in time',
        },
      ],
    ],
    [
      'unicode, an empty detail, a duration past 2^31 tenths',
      [
        { step: 'oracle_lookup', outcome: 'failed', durationMs: 0.1, reason: 'x', detail: '' },
        { step: 'predict', outcome: 'failed', durationMs: 300_000_000.7, detail: 'ünïcode 🚀 '.repeat(40) },
      ],
    ],
  ];
  for (const [name, steps] of cases) {
    it(`round-trips ${name}`, () => {
      const reasons = dictionary();
      const blob = encodeSteps(steps, reasons.id);
      assert.deepEqual(decodeSteps(blob, reasons.text), steps);
    });
  }

  it('stores a healthy check in at most 12 bytes', () => {
    assert.ok(encodeSteps(healthySteps, dictionary().id).length <= 12);
  });

  it('rounds durations to the 0.1 ms the checker measures, and never below zero', () => {
    assert.deepEqual(
      [0.04, 0.05, 1.25, -3, Number.NaN, Number.POSITIVE_INFINITY].map(toTenths),
      [0, 1, 13, 0, 0, 0],
    );
  });

  it('keeps status codes stable and refuses unknown ones', () => {
    assert.deepEqual(STATUS_CODES, ['HEALTHY', 'NO_USER', 'NO_ORACLE', 'FAILED']);
    for (const status of STATUS_CODES) assert.equal(statusFromCode(statusCode(status)), status);
    assert.throws(() => statusFromCode(4), /unknown stored status code 4/);
  });

  it('refuses unknown steps when writing and truncated bytes when reading', () => {
    const step = { step: 'bogus', outcome: 'ok', durationMs: 1 } as unknown as StepReport;
    assert.throws(() => encodeSteps([step], dictionary().id), /unknown step name/);
    const blob = encodeSteps([{ ...healthySteps[0]!, detail: 'twelve bytes' }], dictionary().id);
    assert.throws(() => decodeSteps(blob.subarray(0, blob.length - 1), () => ''), /truncated detail/);
    assert.throws(() => decodeSteps(Uint8Array.of(0, 0x80), () => ''), /truncated number/);
  });
});
