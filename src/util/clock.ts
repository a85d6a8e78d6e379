/**
 * The two clocks the daemon reads. The wall clock says when something happened (result stamps, logs,
 * what people read) and can step: NTP corrections, a VM resumed, an operator's `date -s`. The
 * monotonic clock never steps and is what ages and elapsed times are measured with.
 */
export interface Clock {
  /** Epoch milliseconds (`Date.now()`). */
  wallNow(): number;
  /** Milliseconds from an arbitrary origin that only moves forward (`performance.now()`). */
  monoNow(): number;
}

export const systemClock: Clock = {
  wallNow: () => Date.now(),
  monoNow: () => performance.now(),
};

/** Both clocks read at (nearly) the same moment. */
export interface ClockReading {
  wall: number;
  mono: number;
}

export function readClock(clock: Clock): ClockReading {
  return { wall: clock.wallNow(), mono: clock.monoNow() };
}
