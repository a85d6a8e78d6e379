import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockStep } from '../src/scheduler/clock-step.js';

describe('clockStep', () => {
  const before = { wall: 1_764_590_400_000, mono: 5_000 };
  const cases: [string, { wall: number; mono: number }, number | undefined][] = [
    ['both clocks moved alike', { wall: before.wall + 1_000, mono: 6_000 }, undefined],
    ['a busy event loop: late, but alike', { wall: before.wall + 45_000, mono: 50_000 }, undefined],
    ['drift within the tolerance', { wall: before.wall + 1_900, mono: 6_000 }, undefined],
    ['stepped back 60 s', { wall: before.wall + 1_000 - 60_000, mono: 6_000 }, -60_000],
    ['stepped back 1 h', { wall: before.wall + 1_000 - 3_600_000, mono: 6_000 }, -3_600_000],
    ['jumped forward 1 h', { wall: before.wall + 1_000 + 3_600_000, mono: 6_000 }, 3_600_000],
    ['stepped back by just more than the tolerance', { wall: before.wall - 1, mono: 6_000 }, -1_001],
  ];
  for (const [name, after, step] of cases) it(name, () => assert.equal(clockStep(before, after), step));
});
