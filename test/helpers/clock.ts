import type { Clock } from '../../src/util/clock.js';

/** A clock that moves only when told: `advance` moves both clocks, `stepWall` only the wall clock. */
export class FakeClock implements Clock {
  wall: number;
  mono: number;

  constructor(wall = Date.UTC(2026, 11, 1, 12), mono = 1_000) {
    this.wall = wall;
    this.mono = mono;
  }

  wallNow(): number {
    return this.wall;
  }

  monoNow(): number {
    return this.mono;
  }

  /** Time passes. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }

  /** The wall clock is set (NTP step, `date -s`); the monotonic clock does not move. */
  stepWall(ms: number): void {
    this.wall += ms;
  }
}
