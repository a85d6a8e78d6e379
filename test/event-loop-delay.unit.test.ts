import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import {
  EVENT_LOOP_DELAY_METRICS,
  registerEventLoopDelay,
  type DelayHistogram,
} from '../src/metrics/event-loop-delay.js';
import { PlanecheckMetrics } from '../src/metrics/metrics.js';
import { StatusBoard } from '../src/store/status-board.js';

/** The value of a gauge without labels in a registry's text. */
async function value(registry: Registry, name: string): Promise<number | undefined> {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(await registry.metrics());
  return match ? Number(match[1]) : undefined;
}

/** A histogram of recorded samples (ns), as Node keeps them: each the whole time between two timer runs. */
function fakeHistogram(samples: number[]): DelayHistogram & { resets: number } {
  const sorted = () => [...samples].sort((a, b) => a - b);
  const mean = () => samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    resets: 0,
    get count() {
      return samples.length;
    },
    get min() {
      return sorted()[0] ?? 0;
    },
    get max() {
      return sorted().at(-1) ?? 0;
    },
    get mean() {
      return mean();
    },
    get stddev() {
      return Math.sqrt(samples.reduce((a, b) => a + (b - mean()) ** 2, 0) / samples.length);
    },
    percentile(p: number) {
      const s = sorted();
      return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
    },
    reset() {
      samples.length = 0;
      this.resets++;
    },
  };
}

describe('event-loop delay gauges', () => {
  it('take the sampling interval off what Node records: an idle loop reads ~0, a stall its own length', async () => {
    const registry = new Registry();
    const ms = 1e6;
    // Sampled every 100 ms: nine idle samples of 100.2 ms and one that waited behind a 30 ms stall.
    const histogram = fakeHistogram([...Array.from({ length: 9 }, () => 100.2 * ms), 130 * ms]);
    registerEventLoopDelay(registry, 100, histogram);
    const text = await registry.metrics();
    const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.ok(Math.abs(read(EVENT_LOOP_DELAY_METRICS.min) - 0.0002) < 1e-9, text);
    assert.ok(Math.abs(read(EVENT_LOOP_DELAY_METRICS.max) - 0.03) < 1e-9, text);
    assert.ok(Math.abs(read(EVENT_LOOP_DELAY_METRICS.p50) - 0.0002) < 1e-9, text);
    assert.ok(Math.abs(read(EVENT_LOOP_DELAY_METRICS.p99) - 0.03) < 1e-9, text);
    assert.ok(Math.abs(read(EVENT_LOOP_DELAY_METRICS.mean) - 0.00318) < 1e-9, text);
    assert.ok(
      Math.abs(read(EVENT_LOOP_DELAY_METRICS.stddev) - 0.0089399) < 1e-6,
      'the spread is not shifted',
    );
    assert.equal(histogram.resets, 1, 'each collection starts the next window afresh');
    assert.equal(histogram.count, 0);
  });

  it('never reads below 0 (a timer that fired early), and keeps the last values through a window without samples', async () => {
    const registry = new Registry();
    const samples = [99 * 1e6, 101 * 1e6];
    registerEventLoopDelay(registry, 100, fakeHistogram(samples));
    assert.equal(await value(registry, EVENT_LOOP_DELAY_METRICS.min), 0);
    assert.equal(await value(registry, EVENT_LOOP_DELAY_METRICS.max), 0.001);
    assert.equal(samples.length, 0);
    assert.equal(await value(registry, EVENT_LOOP_DELAY_METRICS.max), 0.001, 'no samples: unchanged');
  });

  it("measures a real stall of the daemon's event loop, with Node's own histogram", async () => {
    const registry = new Registry();
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    const stop = registerEventLoopDelay(registry, 10, histogram);
    try {
      // Node records a sample from the second run of its timer on: wait for one before the stall.
      for (let tries = 0; tries < 400 && histogram.count === 0; tries++) await sleep(5);
      const until = performance.now() + 60;
      while (performance.now() < until); // holds the event loop 60 ms
      // The sample that waited behind the stall is recorded when the sampling timer next runs: wait for it.
      let max = 0;
      for (let tries = 0; tries < 400 && max < 0.045; tries++) {
        await sleep(5);
        max = Math.max(max, (await value(registry, EVENT_LOOP_DELAY_METRICS.max)) ?? 0);
      }
      // At least the stall less one interval (the timer may have been due up to 10 ms into it).
      assert.ok(max >= 0.045, `max ${max}`);
    } finally {
      stop();
    }
  });

  it("replaces prom-client's own gauges in the daemon's metrics: each name once", async () => {
    const metrics = new PlanecheckMetrics(['a'], new StatusBoard(['a'], 120_000));
    const text = Buffer.concat(await metrics.renderText()).toString('utf8');
    for (const name of Object.values(EVENT_LOOP_DELAY_METRICS)) {
      assert.equal(text.split('\n').filter((line) => line.startsWith(`# TYPE ${name} `)).length, 1, name);
    }
  });
});
