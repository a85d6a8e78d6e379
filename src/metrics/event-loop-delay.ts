import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** The part of Node's event-loop delay histogram the gauges read (a stand-in in tests). */
export interface DelayHistogram {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stddev: number;
  percentile(percentile: number): number;
  reset(): void;
}

/** prom-client's names for the event-loop delay, kept so that existing Node.js dashboards read them. */
export const EVENT_LOOP_DELAY_METRICS = {
  min: 'nodejs_eventloop_lag_min_seconds',
  max: 'nodejs_eventloop_lag_max_seconds',
  mean: 'nodejs_eventloop_lag_mean_seconds',
  stddev: 'nodejs_eventloop_lag_stddev_seconds',
  p50: 'nodejs_eventloop_lag_p50_seconds',
  p90: 'nodejs_eventloop_lag_p90_seconds',
  p99: 'nodejs_eventloop_lag_p99_seconds',
} as const;

/**
 * The event loop's delay, sampled every `resolutionMs` (a timer that wakes the process each time: prom-client's
 * 10 ms woke an idle daemon 100 times a second). Node records each sample as the whole time between two runs
 * of that timer, the interval included, so an idle loop would read about the interval; the gauges take it off:
 * an idle loop reads ~0 and a 30 ms stall 30 ms, whatever the sampling interval. Each collection covers the
 * samples since the previous one; one without samples leaves the gauges as they were. Returns what stops the
 * sampling.
 */
export function registerEventLoopDelay(
  registry: Registry,
  resolutionMs: number,
  histogram: DelayHistogram & { enable?(): boolean; disable?(): boolean } = monitorEventLoopDelay({
    resolution: resolutionMs,
  }),
): () => void {
  const intervalNs = resolutionMs * 1e6;
  const delay = (ns: number) => Math.max(0, ns - intervalNs) / 1e9;
  const gauge = (key: keyof typeof EVENT_LOOP_DELAY_METRICS, collect?: () => void) =>
    new Gauge({ name: EVENT_LOOP_DELAY_METRICS[key], help: HELP[key], registers: [registry], collect });
  // One gauge's collect sets them all, as prom-client's own do.
  const min = gauge('min', () => {
    if (histogram.count === 0) return;
    min.set(delay(histogram.min));
    max.set(delay(histogram.max));
    mean.set(delay(histogram.mean));
    stddev.set(histogram.stddev / 1e9);
    p50.set(delay(histogram.percentile(50)));
    p90.set(delay(histogram.percentile(90)));
    p99.set(delay(histogram.percentile(99)));
    histogram.reset();
  });
  const max = gauge('max');
  const mean = gauge('mean');
  const stddev = gauge('stddev');
  const p50 = gauge('p50');
  const p90 = gauge('p90');
  const p99 = gauge('p99');
  histogram.enable?.();
  return () => void histogram.disable?.();
}

const HELP = {
  min: 'The shortest event loop delay since the last collection, in seconds.',
  max: 'The longest event loop delay since the last collection, in seconds.',
  mean: 'The mean event loop delay since the last collection, in seconds.',
  stddev: 'The standard deviation of the event loop delays since the last collection, in seconds.',
  p50: 'The median event loop delay since the last collection, in seconds.',
  p90: 'The 90th percentile of the event loop delays since the last collection, in seconds.',
  p99: 'The 99th percentile of the event loop delays since the last collection, in seconds.',
} as const;
