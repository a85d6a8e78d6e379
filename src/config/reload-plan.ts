import { isDeepStrictEqual } from 'node:util';
import { longestRequestTimeout, selfHealEnabledBy, type Config } from './schema.js';

/** What a reload changes, when it can apply. */
export interface ReloadChanges {
  /** Planes in the new config only, in its order. */
  added: string[];
  /** Planes in the old config only. */
  removed: string[];
  /** Planes in both whose settings differ (URL, maintenance windows, per-plane overrides, labels). */
  changed: string[];
  /**
   * `platform`, `schedule.concurrency`, `schedule.planeTimeout` or the longest request timeout of any plane
   * differ: the next cycle needs a new checker (its connection pool is built from them).
   */
  checker: boolean;
  /** Top-level fields that differ in any way (`platform`, `schedule`, `selfHeal`, ...), for the log. */
  fields: string[];
}

export type ReloadPlan = { refused: string } | { changes: ReloadChanges };

/**
 * Fields only a restart applies: the store is open, the server listens, the scheduler's cron and a fleet's
 * lease timings hang on the interval, and the GitHub client holds its credentials.
 */
const RESTART_ONLY = ['storage', 'server.listen', 'schedule.interval', 'github'] as const;

/**
 * Compares the running config with a newly loaded one. Pure. Refuses, naming the field, a change only a
 * restart applies (see RESTART_ONLY), and turning self-heal on in a daemon that started without a healer;
 * otherwise says what changed. `healerRunning`: whether the daemon started a self-healer.
 */
export function planReload(old: Config, next: Config, healerRunning: boolean): ReloadPlan {
  for (const field of RESTART_ONLY) {
    const differs = firstDifference(at(old, field), at(next, field), field);
    if (differs !== undefined) return { refused: `${differs} changed: restart planecheck to apply it` };
  }
  const selfHealSwitch = selfHealEnabledBy(next);
  if (!healerRunning && selfHealSwitch !== undefined && next.github !== undefined)
    return { refused: `${selfHealSwitch} changed: restart planecheck to turn self-heal on` };

  const before = new Map(old.workloadPlanes.map((plane) => [plane.name, plane]));
  const after = new Set(next.workloadPlanes.map((plane) => plane.name));
  const added: string[] = [];
  const changed: string[] = [];
  for (const plane of next.workloadPlanes) {
    const held = before.get(plane.name);
    if (held === undefined) added.push(plane.name);
    else if (!isDeepStrictEqual(held, plane)) changed.push(plane.name);
  }
  const removed = old.workloadPlanes.map((plane) => plane.name).filter((name) => !after.has(name));
  const checker =
    !isDeepStrictEqual(old.platform, next.platform) ||
    old.schedule.concurrency !== next.schedule.concurrency ||
    old.schedule.planeTimeout !== next.schedule.planeTimeout ||
    longestRequestTimeout(old) !== longestRequestTimeout(next);
  const fields = (Object.keys(next) as (keyof Config)[]).filter(
    (key) => !isDeepStrictEqual(old[key], next[key]),
  );
  return { changes: { added, removed, changed, checker, fields } };
}

function at(config: Config, field: string): unknown {
  let value: unknown = config;
  for (const key of field.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/**
 * The path of the first leaf where `a` and `b` differ (`storage.path`, `github.app.installationId`), or
 * undefined when they are equal. Names the field, never the values: they may be secrets.
 */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (!isPlainObject(a) || !isPlainObject(b)) return path;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const inner = firstDifference(a[key], b[key], `${path}.${key}`);
    if (inner !== undefined) return inner;
  }
  return path;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
