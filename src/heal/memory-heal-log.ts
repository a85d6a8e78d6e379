import { RESUMABLE_STATUSES, type HealAction } from './heal-action.js';
import type { HealActionPatch, HealLog, HealLogView, NewHealAction } from './heal-log.js';

const HOUR_MS = 3_600_000;

/**
 * A heal log that lives as long as the process: for one-shot runs (the GitHub Action), which have no database.
 * One process is the only writer, and each method runs to its end before another starts: `insertIf` is
 * atomic without a lock.
 */
export class MemoryHealLog implements HealLog {
  readonly #actions: HealAction[] = [];
  #backoffUntil = 0;

  insertIf(
    plane: string,
    now: number,
    decide: (view: HealLogView) => NewHealAction | undefined,
  ): Promise<HealAction | undefined> {
    return answer(() => {
      const action = decide({
        actions: this.#newestFirst(plane).slice(0, 20),
        attemptsLastHour: this.#actions.filter((stored) => stored.dispatchedAt >= now - HOUR_MS).length,
        // The one-shot Action has no run-time maintenance; configured windows are decided by the healer.
        maintenanceUntil: null,
      });
      if (action === undefined) return undefined;
      if (action.plane !== plane)
        throw new Error(`insertIf(${plane}): decide returned plane ${action.plane}`);
      const stored = { ...action, id: this.#actions.length + 1 };
      this.#actions.push(stored);
      return { ...stored };
    });
  }

  update(id: number, patch: HealActionPatch): Promise<void> {
    return answer(() => {
      const action = this.#actions.find((candidate) => candidate.id === id);
      if (!action) return;
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) Object.assign(action, { [key]: value });
      }
    });
  }

  forPlane(plane: string, limit: number): Promise<HealAction[]> {
    return answer(() => this.#newestFirst(plane).slice(0, limit));
  }

  recent(perPlane: number): Promise<HealAction[]> {
    return answer(() => {
      const planes = [...new Set(this.#actions.map((action) => action.plane))].sort();
      return planes.flatMap((plane) => this.#newestFirst(plane).slice(0, perPlane));
    });
  }

  unfinished(): Promise<HealAction[]> {
    return answer(() =>
      this.#actions
        .filter((action) => RESUMABLE_STATUSES.includes(action.status) && action.outcome === null)
        .map((action) => ({ ...action })),
    );
  }

  takeOver(id: number, instance: string, now: number, until: number): Promise<boolean> {
    return answer(() => {
      const action = this.#actions.find((candidate) => candidate.id === id);
      if (!action || !RESUMABLE_STATUSES.includes(action.status) || action.outcome !== null) return false;
      const free =
        action.follower === null ||
        action.follower === instance ||
        action.followUntil === null ||
        action.followUntil < now;
      if (!free) return false;
      action.follower = instance;
      action.followUntil = until;
      return true;
    });
  }

  refreshGithubBackoff(): Promise<void> {
    return Promise.resolve(); // the memory copy is the only one
  }

  githubBackoffUntil(): number {
    return this.#backoffUntil;
  }

  stopGithubUntil(until: number): void {
    this.#backoffUntil = Math.max(this.#backoffUntil, until);
  }

  #newestFirst(plane: string): HealAction[] {
    return this.#actions
      .filter((action) => action.plane === plane)
      .sort((a, b) => b.dispatchedAt - a.dispatchedAt || b.id - a.id)
      .map((action) => ({ ...action }));
  }
}

function answer<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
