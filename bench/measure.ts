// Helpers shared by the benchmark's processes. Imports nothing but Node, so that the bare
// client's process holds undici alone.
import { readFileSync } from 'node:fs';

/** CPU milliseconds per check that `run` took, all threads counted (JIT and GC helpers included). */
export async function measure(
  checks: number,
  run: () => Promise<unknown>,
): Promise<{ cpu: number; wall: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000 / checks, wall: performance.now() - started };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** The `workloadPlanes` YAML for the sandbox's planes plane-0 .. plane-(count-1). */
export function sandboxPlanesYaml(url: string, count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `  - { name: plane-${i}, inferenceUrl: "${url}/planes/plane-${i}" }`,
  ).join('\n');
}

/** Runs `run(0..count-1)` with at most `concurrency` at a time. */
export async function pool(
  count: number,
  concurrency: number,
  run: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await run(next++);
    }),
  );
}

/**
 * Peak RSS in MB of a process (default: this one), from the kernel's high-water mark (VmHWM): exact,
 * and free, where sampling costs CPU that would be counted as the checks'. Not getrusage's maxRSS: on
 * Linux that survives exec, so a child would report its parent's peak.
 */
export function peakRssMb(pid: number | 'self' = 'self'): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status (the benchmark needs Linux)`);
  return Number(match[1]) / 1024;
}

/** Cold (first run) and warm (median of the rest) CPU per check and wall time. */
export function summarize(runs: { cpu: number; wall: number }[]) {
  return {
    coldCpuMs: runs[0]?.cpu ?? NaN,
    warmCpuMs: median(runs.slice(1).map((r) => r.cpu)),
    warmWallMs: median(runs.slice(1).map((r) => r.wall)),
  };
}
