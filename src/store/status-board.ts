import type { PlaneStatus } from '../check/result.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { StoredResult } from '../check/stored-result.js';
import type { ResultStore } from '../check/result-store.js';
import { planeState, storedResultAge, type PlaneState } from './plane-state.js';

/** A result in a plane's recent strip. */
export interface RecentResult {
  checkedAt: number;
  status: StoredResult['status'];
  reason: string | null;
}

/** How many results per plane the status page's history strip shows. */
export const RECENT_RESULTS = 30;

export interface StatusChange {
  plane: string;
  from: PlaneStatus;
  to: PlaneStatus;
  reason: string | null;
}

/** A plane's latest result and when it arrived, on the monotonic clock. */
interface Latest {
  result: StoredResult;
  receivedAt: number;
}

/**
 * The latest result of every configured plane, in memory: what /metrics, the status API and the page
 * read, so that none of them touches the database or waits for a cycle.
 *
 * Freshness is judged by monotonic age: a result is fresh for `cacheTtlMs` after it arrived, whatever
 * the wall clock does meanwhile (stepped back 60 s, a wall-clock comparison would keep a result fresh
 * 60 s too long). A result read back from the store at start-up is aged once by its wall-clock stamp,
 * and one stamped in the future counts as expired.
 */
export class StatusBoard {
  #planes: readonly string[];
  #cacheTtlMs: number;
  readonly #clock: Clock;
  readonly #latest = new Map<string, Latest>();
  readonly #recent = new Map<string, RecentResult[]>();
  #version = 0;

  /** `initial`: the stored latest results; `recent`: a plane's stored history, newest first, for the strip. */
  constructor(
    planes: readonly string[],
    cacheTtlMs: number,
    initial: readonly StoredResult[] = [],
    recent: (plane: string) => readonly StoredResult[] = () => [],
    clock: Clock = systemClock,
  ) {
    this.#planes = planes;
    this.#cacheTtlMs = cacheTtlMs;
    this.#clock = clock;
    const wallNow = clock.wallNow();
    const monoNow = clock.monoNow();
    for (const result of initial) {
      if (!planes.includes(result.plane)) continue;
      this.#latest.set(result.plane, {
        result,
        receivedAt: monoNow - storedResultAge(result.checkedAt, wallNow),
      });
    }
    for (const plane of planes) this.#recent.set(plane, toStrip(recent(plane)));
  }

  /**
   * Follows a reloaded config: `planes` is the new list, in order. A plane no longer listed is forgotten; a
   * new one starts from `stored` (its history as the store holds it, newest first: its latest result and
   * strip); a plane in both keeps what it holds.
   */
  setPlanes(
    planes: readonly string[],
    stored: (plane: string) => readonly StoredResult[] = () => [],
    cacheTtlMs = this.#cacheTtlMs,
  ): void {
    const keep = new Set(planes);
    for (const plane of this.#planes) {
      if (keep.has(plane)) continue;
      this.#latest.delete(plane);
      this.#recent.delete(plane);
    }
    const wallNow = this.#clock.wallNow();
    const monoNow = this.#clock.monoNow();
    for (const plane of planes) {
      if (this.#recent.has(plane)) continue;
      const history = stored(plane);
      const latest = history[0];
      if (latest !== undefined)
        this.#latest.set(plane, {
          result: latest,
          receivedAt: monoNow - storedResultAge(latest.checkedAt, wallNow),
        });
      this.#recent.set(plane, toStrip(history));
    }
    this.#planes = [...planes];
    this.#cacheTtlMs = cacheTtlMs;
    this.#version++;
  }

  /** The plane's last results, oldest first. */
  recent(plane: string): readonly RecentResult[] {
    return this.#recent.get(plane) ?? [];
  }

  get planes(): readonly string[] {
    return this.#planes;
  }

  get cacheTtlMs(): number {
    return this.#cacheTtlMs;
  }

  /** Changes with every update, so readers can tell whether what they rendered is still current. */
  get version(): number {
    return this.#version;
  }

  /** Milliseconds until the next fresh result turns NO_VALUE, or undefined when none is fresh. */
  msUntilNextExpiry(): number | undefined {
    const monoNow = this.#clock.monoNow();
    let next: number | undefined;
    for (const { receivedAt } of this.#latest.values()) {
      const left = receivedAt + this.#cacheTtlMs - monoNow;
      if (left > 0 && (next === undefined || left < next)) next = left;
    }
    return next;
  }

  /** Records a new result and says whether the plane's visible status changed. */
  update(result: StoredResult): StatusChange | undefined {
    return this.#record(result, this.#clock.monoNow());
  }

  /**
   * Records a result read from a store other replicas write too, unless the plane already holds one as
   * new: aged by its wall-clock stamp (a fleet's replicas keep their clocks in step with NTP).
   */
  merge(result: StoredResult): StatusChange | undefined {
    if (!this.#recent.has(result.plane)) return undefined;
    const held = this.#latest.get(result.plane);
    if (held !== undefined && held.result.checkedAt >= result.checkedAt) return undefined;
    // Another replica's clock may run a little ahead: a stamp from the future is a result that just arrived,
    // fresh for at most the TTL from now (not expired, as a stamp from before a local clock step is).
    const ageMs = Math.max(0, this.#clock.wallNow() - result.checkedAt);
    const receivedAt = this.#clock.monoNow() - ageMs;
    return this.#record(result, receivedAt);
  }

  #record(result: StoredResult, receivedAt: number): StatusChange | undefined {
    const before = this.state(result.plane).status;
    this.#latest.set(result.plane, { result, receivedAt });
    this.#version++;
    const strip = this.#recent.get(result.plane);
    if (strip) {
      strip.push({ checkedAt: result.checkedAt, status: result.status, reason: result.reason });
      if (strip.length > RECENT_RESULTS) strip.shift();
    }
    const after = this.state(result.plane);
    return before === after.status
      ? undefined
      : { plane: result.plane, from: before, to: after.status, reason: after.reason };
  }

  state(plane: string): PlaneState {
    const latest = this.#latest.get(plane);
    const age = latest ? this.#clock.monoNow() - latest.receivedAt : Number.POSITIVE_INFINITY;
    return planeState(plane, latest?.result, age, this.#cacheTtlMs, this.#clock.wallNow());
  }

  states(): PlaneState[] {
    return this.#planes.map((plane) => this.state(plane));
  }
}

/** A plane's stored history, newest first, as the page's strip: oldest first, the last RECENT_RESULTS. */
function toStrip(history: readonly StoredResult[]): RecentResult[] {
  return history
    .slice(0, RECENT_RESULTS)
    .reverse()
    .map(({ checkedAt, status, reason }) => ({ checkedAt, status, reason }));
}

/**
 * Reads what a board starts from (every plane's latest result, and its recent strip) and builds it: the
 * board itself answers from memory only, so it is built once the store has answered.
 */
const STRIP_READS_AT_ONCE = 4;

export async function loadStatusBoard(
  store: Pick<ResultStore, 'latestResults' | 'history'>,
  planes: readonly string[],
  cacheTtlMs: number,
  clock: Clock = systemClock,
): Promise<StatusBoard> {
  const initial = await store.latestResults();
  const recent = await readStrips(store, planes);
  return new StatusBoard(planes, cacheTtlMs, initial, (plane) => recent.get(plane) ?? [], clock);
}

/** Each plane's last RECENT_RESULTS stored results, newest first, read a few planes at a time. */
export async function readStrips(
  store: Pick<ResultStore, 'history'>,
  planes: readonly string[],
): Promise<Map<string, readonly StoredResult[]>> {
  // A few reads at a time: thousands at once would queue past a PostgreSQL pool's wait for a connection.
  const recent = new Map<string, readonly StoredResult[]>();
  for (let i = 0; i < planes.length; i += STRIP_READS_AT_ONCE) {
    const chunk = planes.slice(i, i + STRIP_READS_AT_ONCE);
    const strips = await Promise.all(chunk.map((plane) => store.history(plane, RECENT_RESULTS)));
    chunk.forEach((plane, index) => recent.set(plane, strips[index] ?? []));
  }
  return recent;
}
