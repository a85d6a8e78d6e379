import { Cron } from 'croner';

/** A maintenance window from the config, times in epoch ms (UTC). */
export type MaintenanceWindow =
  | { from: number; until: number; note: string }
  /** Starts at every match of a five-field cron expression (UTC) and lasts `durationMs`. */
  | { cron: string; durationMs: number; note: string };

/** A plane's maintenance started at run time (API or CLI), as stored. */
export interface PlaneMaintenance {
  plane: string;
  startedAt: number;
  until: number;
  note: string;
  /** Who started it: `api:<user>`, `api:bearer`, `api:loopback`. */
  actor: string;
}

/** Whether, since when, until when and why a plane is in maintenance. */
export interface MaintenanceState {
  startedAt: number;
  until: number;
  note: string;
  /** `config` for a configured window, else who started it at run time. */
  actor: string;
  source: 'config' | 'api';
  /** Config windows only: the window's index in the plane's `maintenance` list. */
  window?: number;
}

/**
 * A cron expression's problem, or undefined when it is a valid five-field expression (minute hour
 * day-of-month month day-of-week) or a nickname such as `@weekly`. No seconds: windows start on a minute.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (!expression.trim().startsWith('@') && fields !== 5)
    return `expected five fields (minute hour day-of-month month day-of-week), got ${fields}`;
  try {
    cronOf(expression);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
  }
}

const parsed = new Map<string, Cron>();

/**
 * Parsed once per expression; a Cron without a function schedules nothing. Five fields, as in crontab:
 * day-of-month and day-of-week combine with OR when both are given (croner's default, like Vixie cron).
 */
function cronOf(expression: string): Cron {
  let cron = parsed.get(expression);
  if (cron === undefined) {
    cron = new Cron(expression, { timezone: 'Etc/UTC', paused: true, mode: '5-part' });
    parsed.set(expression, cron);
  }
  return cron;
}

/** The latest start of a recurring window at or before `at` (epoch ms), on a whole minute; undefined when none. */
function lastStart(cron: string, at: number): number | undefined {
  const minute = Math.floor(at / 60_000) * 60_000;
  const pattern = cronOf(cron);
  if (pattern.match(new Date(minute))) return minute;
  const [previous] = pattern.previousRuns(1, new Date(minute));
  return previous?.getTime();
}

/** The span of `window` that contains `at`, if any. Pure. */
export function windowAt(window: MaintenanceWindow, at: number): { from: number; until: number } | undefined {
  if ('from' in window) return window.from <= at && at < window.until ? window : undefined;
  const start = lastStart(window.cron, at);
  if (start === undefined || start + window.durationMs <= at) return undefined;
  return { from: start, until: start + window.durationMs };
}

/**
 * Whether a plane is in maintenance at `at` (epoch ms), until when and why: its configured windows and the
 * maintenance started at run time, whichever lasts longest (overlapping windows extend each other only as
 * far as the longest one reaches). Pure.
 */
export function maintenanceAt(
  windows: readonly MaintenanceWindow[],
  runtime: PlaneMaintenance | undefined,
  at: number,
): MaintenanceState | undefined {
  let best: MaintenanceState | undefined;
  windows.forEach((window, index) => {
    const span = windowAt(window, at);
    if (span && (best === undefined || span.until > best.until)) {
      best = {
        startedAt: span.from,
        until: span.until,
        note: window.note,
        actor: 'config',
        source: 'config',
        window: index,
      };
    }
  });
  if (
    runtime &&
    runtime.startedAt <= at &&
    at < runtime.until &&
    (best === undefined || runtime.until > best.until)
  ) {
    best = {
      startedAt: runtime.startedAt,
      until: runtime.until,
      note: runtime.note,
      actor: runtime.actor,
      source: 'api',
    };
  }
  return best;
}
