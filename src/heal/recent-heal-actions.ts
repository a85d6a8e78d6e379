import type { HealAction } from './heal-action.js';

/**
 * The newest heal actions of every plane, in memory, for what must answer without waiting on a store: the
 * status API and page (`recentActions`), and the self-healer's cheap pre-check of the hourly cap. Fed by this
 * replica's own writes as they happen and replaced by what the heal log holds (every replica's actions)
 * after each cycle. A write made while a refresh is on its way is applied again over what the refresh read,
 * so the view never moves back.
 */
export class RecentHealActions {
  readonly #perPlane: number;
  /** Newest first within a plane. */
  #byPlane = new Map<string, HealAction[]>();
  /** Own writes since the refresh on its way began; undefined when none is. */
  #sinceRefresh: Map<number, HealAction> | undefined;

  constructor(perPlane: number) {
    this.#perPlane = perPlane;
  }

  /** An action as this replica just stored it (new, or patched). */
  put(action: HealAction): void {
    this.#sinceRefresh?.set(action.id, { ...action });
    this.#place(action);
  }

  /** Starts a refresh: returns the function that installs what the heal log answered. */
  beginRefresh(): (stored: readonly HealAction[]) => void {
    const sinceRefresh = new Map<number, HealAction>();
    this.#sinceRefresh = sinceRefresh;
    return (stored) => {
      if (this.#sinceRefresh !== sinceRefresh) return; // a newer refresh began: its answer is the one kept
      this.#sinceRefresh = undefined;
      this.#byPlane = new Map();
      for (const action of stored) this.#place(action);
      for (const action of sinceRefresh.values()) this.#place(action);
    };
  }

  /** A refresh that failed: own writes keep showing, the rest stays as it was. */
  abandonRefresh(): void {
    this.#sinceRefresh = undefined;
  }

  forPlane(plane: string, limit: number): HealAction[] {
    return (this.#byPlane.get(plane) ?? []).slice(0, limit).map((action) => ({ ...action }));
  }

  /** Actions of every plane dispatched at or after `since`, as far as this view holds them (it may hold fewer). */
  countSince(since: number): number {
    let count = 0;
    for (const actions of this.#byPlane.values()) {
      count += actions.filter((action) => action.dispatchedAt >= since).length;
    }
    return count;
  }

  #place(action: HealAction): void {
    const others = (this.#byPlane.get(action.plane) ?? []).filter((held) => held.id !== action.id);
    const actions = [...others, { ...action }]
      .sort((a, b) => b.dispatchedAt - a.dispatchedAt || b.id - a.id)
      .slice(0, this.#perPlane);
    this.#byPlane.set(action.plane, actions);
  }
}
