import type { HealLog, HealActionPatch, NewHealAction } from '../store/sqlite-heal-log.js';
import { RESUMABLE_STATUSES, type HealAction } from './heal-action.js';

/** A heal log that lives as long as the process: for one-shot runs (the GitHub Action), which have no database. */
export class MemoryHealLog implements HealLog {
  readonly #actions: HealAction[] = [];
  #backoffUntil = 0;

  insert(action: NewHealAction): HealAction {
    const stored = { ...action, id: this.#actions.length + 1 };
    this.#actions.push(stored);
    return { ...stored };
  }

  update(id: number, patch: HealActionPatch): void {
    const action = this.#actions.find((candidate) => candidate.id === id);
    if (!action) return;
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) Object.assign(action, { [key]: value });
    }
  }

  forPlane(plane: string, limit: number): HealAction[] {
    return this.#actions
      .filter((action) => action.plane === plane)
      .sort((a, b) => b.dispatchedAt - a.dispatchedAt || b.id - a.id)
      .slice(0, limit)
      .map((action) => ({ ...action }));
  }

  unfinished(): HealAction[] {
    return this.#actions.filter(
      (action) => RESUMABLE_STATUSES.includes(action.status) && action.outcome === null,
    );
  }

  attemptsSince(since: number): number {
    return this.#actions.filter((action) => action.dispatchedAt >= since).length;
  }

  githubBackoffUntil(): number {
    return this.#backoffUntil;
  }

  stopGithubUntil(until: number): void {
    this.#backoffUntil = Math.max(this.#backoffUntil, until);
  }
}
