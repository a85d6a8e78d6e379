import { spawn, type ChildProcess } from 'node:child_process';
import { getErrorMessage } from '../../src/log/logger.js';
import { ROOT } from './run.js';

export interface DaemonProcess {
  url: string;
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

export interface StartDaemonOptions {
  /** How long to wait for the start log line (10 s): several daemons starting at once on a busy machine need more. */
  startTimeoutMs?: number;
  /** Sees the process as soon as it is spawned, before it has started (to signal it during start-up). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Starts `node dist/daemon.js` with the given arguments and waits until it listens. */
export async function startDaemon(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: StartDaemonOptions = {},
): Promise<DaemonProcess> {
  const child = spawn(process.execPath, ['dist/daemon.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ unparsed: line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': only then has every line the daemon wrote been read.
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const wake of waiters) wake();
    }),
  );

  const waitForLog = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 10_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found) {
          cleanup();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(
            new Error(
              `daemon exited (${child.exitCode ?? child.signalCode}) before the log line; stderr: ${stderr}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out waiting for a log line; stderr: ${stderr}; logs: ${JSON.stringify(logs).slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  let started: Record<string, unknown>;
  try {
    started = await waitForLog((line) => line.msg === 'planecheck started', options.startTimeoutMs);
  } catch (error) {
    // A daemon that did not start in time must not outlive the test that gave up on it.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  }
  return {
    url: String(started.url),
    child,
    logs,
    stderr: () => stderr,
    exited,
    waitForLog,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `fn` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${getErrorMessage(last)}` : ''}`);
}
