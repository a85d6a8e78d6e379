import type { StepReport } from '../check/report.js';
import { STEP_NAMES } from '../check/result.js';
import type { StoredResult } from '../check/stored-result.js';

/**
 * How a check is stored compactly in the history: pure, no I/O. The codes below are written to disk:
 * append new values, never reorder them.
 */
export const STATUS_CODES = ['HEALTHY', 'NO_USER', 'NO_ORACLE', 'FAILED'] as const;
const OUTCOMES = ['ok', 'not_found', 'failed'] as const;

const HAS_REASON = 0x10;
const HAS_DETAIL = 0x20;

export function statusCode(status: StoredResult['status']): number {
  return STATUS_CODES.indexOf(status);
}

export function statusFromCode(code: number): StoredResult['status'] {
  const status = STATUS_CODES[code];
  if (status === undefined) throw new Error(`unknown stored status code ${code}`);
  return status;
}

/**
 * Durations are measured to 0.1 ms (the checker rounds them), so whole tenths keep them exactly.
 * Anything negative or not finite is stored as 0.
 */
export function toTenths(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 10) : 0;
}

export function fromTenths(tenths: number): number {
  return tenths / 10;
}

/**
 * A check's steps as bytes, per step: one byte with the step (bits 0-1), its outcome (bits 2-3) and
 * whether a reason and a detail follow; the duration in tenths of a millisecond as a varint; the reason
 * as the varint id `reasonId` gives it; the detail as a varint byte length and UTF-8. A healthy check's
 * four steps take 8 to 12 bytes, where their JSON took about 230.
 */
export function encodeSteps(steps: readonly StepReport[], reasonId: (reason: string) => number): Buffer {
  const bytes: number[] = [];
  for (const step of steps) {
    const stepIndex = STEP_NAMES.indexOf(step.step);
    const outcomeIndex = OUTCOMES.indexOf(step.outcome);
    if (stepIndex < 0) throw new Error(`cannot store step "${String(step.step)}": unknown step name`);
    if (outcomeIndex < 0) throw new Error(`cannot store step outcome "${String(step.outcome)}"`);
    const hasReason = step.reason !== undefined;
    const hasDetail = step.detail !== undefined;
    bytes.push(stepIndex | (outcomeIndex << 2) | (hasReason ? HAS_REASON : 0) | (hasDetail ? HAS_DETAIL : 0));
    pushVarint(bytes, toTenths(step.durationMs));
    if (step.reason !== undefined) pushVarint(bytes, reasonId(step.reason));
    if (step.detail !== undefined) {
      const detail = Buffer.from(step.detail, 'utf8');
      pushVarint(bytes, detail.length);
      for (const byte of detail) bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

export function decodeSteps(blob: Uint8Array, reasonText: (id: number) => string): StepReport[] {
  const steps: StepReport[] = [];
  const at = { offset: 0 };
  while (at.offset < blob.length) {
    const head = blob[at.offset++] ?? 0;
    const step = STEP_NAMES[head & 0x03];
    const outcome = OUTCOMES[(head >> 2) & 0x03];
    if (step === undefined || outcome === undefined) throw new Error(`corrupt stored steps (byte ${head})`);
    const report: StepReport = { step, outcome, durationMs: fromTenths(readVarint(blob, at)) };
    if (head & HAS_REASON) report.reason = reasonText(readVarint(blob, at));
    if (head & HAS_DETAIL) {
      const length = readVarint(blob, at);
      if (at.offset + length > blob.length) throw new Error('corrupt stored steps (truncated detail)');
      report.detail = Buffer.from(blob.buffer, blob.byteOffset + at.offset, length).toString('utf8');
      at.offset += length;
    }
    steps.push(report);
  }
  return steps;
}

/** Unsigned LEB128, in plain arithmetic so values past 2^31 stay right. */
function pushVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

function readVarint(blob: Uint8Array, at: { offset: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = blob[at.offset++];
    if (byte === undefined) throw new Error('corrupt stored steps (truncated number)');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}
