// Helpers shared by the benchmark's processes. Imports nothing but Node, so that the bare
// client's process holds undici alone.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

let clockTicks: number | undefined;

/**
 * Clock ticks per second, the unit of /proc/PID/stat's CPU times (100 on nearly every Linux). Asked on
 * first use, not at load: the measured processes import this module too.
 */
function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
    clockTicks = Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  }
  return clockTicks;
}

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU milliseconds a process has used so far, all its threads counted (JIT, GC and libuv helpers too), from
 * the kernel's account in /proc/PID/stat: a whole process measured from outside, so that another process's
 * CPU can be measured without running code in it. With `reapedChildren`, also the CPU of its children that
 * have exited and been waited for (cutime, cstime). Resolution: one clock tick (10 ms).
 */
export function processCpuMs(pid: number, { reapedChildren = false } = {}): number {
  // Fields 14-17 of the stat line (utime, stime, cutime, cstime); 3 is this slice's index 0.
  const fields = statFields(pid).map(Number);
  const ticks = (fields[11] ?? NaN) + (fields[12] ?? NaN);
  const children = reapedChildren ? (fields[13] ?? NaN) + (fields[14] ?? NaN) : 0;
  return ((ticks + children) * 1000) / clockTicksPerSecond();
}

/** The parent's process id, from /proc/PID/stat. */
export function parentPid(pid: number): number {
  return Number(statFields(pid)[1]);
}

/**
 * CPU milliseconds a server that forks a process per connection (PostgreSQL) has used so far: the parent,
 * its children that have exited (reaped), and those still running. A child that exits between two readings
 * is counted in neither until it is reaped; with a pool of long-lived connections that is rare.
 */
export function processTreeCpuMs(pid: number): number {
  let total = processCpuMs(pid, { reapedChildren: true });
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentPid(Number(entry)) === pid) total += processCpuMs(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return total;
}

/** CPU milliseconds per thread of a process so far, by thread id, with each thread's name (comm). */
export function threadCpuMs(pid: number): Map<number, { name: string; ms: number }> {
  const threads = new Map<number, { name: string; ms: number }>();
  for (const entry of readdirSync(`/proc/${pid}/task`)) {
    const tid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      threads.set(tid, {
        name,
        ms: (((fields[11] ?? NaN) + (fields[12] ?? NaN)) * 1000) / clockTicksPerSecond(),
      });
    } catch {
      // Exited between the listing and the read: the whole-process figure still counts it.
    }
  }
  return threads;
}

/** A process's CPU so far: all threads (the process's own account, exited threads included) and its main thread. */
export interface ProcessCpu {
  totalMs: number;
  mainMs: number;
}

export function processCpu(pid: number): ProcessCpu {
  return { totalMs: processCpuMs(pid), mainMs: threadCpuMs(pid).get(pid)?.ms ?? NaN };
}
