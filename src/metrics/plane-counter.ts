import { escapeHelp, escapeLabel, formatValue, planeLabel } from './text-format.js';

/**
 * A counter with one series per plane and known combination of further labels
 * (`planecheck_checks_total` by status; `planecheck_self_heal_dispatches_total` by reason and outcome),
 * all created up front so that rate() and increase() see the first increment: a series that appears
 * already at 1 reads as an increase of 0. Rendered in the text prom-client renders for the same counter
 * (a test holds the two equal), a plane at a time, from flat arrays: at 1,000 planes prom-client spends
 * tens of milliseconds per render building objects.
 */
export class PlaneCounter {
  readonly #name: string;
  readonly #help: string;
  readonly #labels: readonly string[];
  readonly #values: readonly (readonly string[])[];
  readonly #index: ReadonlyMap<string, number>;
  /** Per plane: its label (`workload_plane="..."`), and a count per value. */
  readonly #series = new Map<string, { plane: string; counts: number[] }>();

  /**
   * `label` and `values`: one further label and its values; or several labels and, per series, one
   * value for each (`label: ['reason', 'outcome'], values: [['NO_USER', 'dispatched'], ...]`).
   */
  constructor(options: {
    name: string;
    help: string;
    label: string | readonly string[];
    values: readonly (string | readonly string[])[];
  }) {
    this.#name = options.name;
    this.#help = options.help;
    this.#labels = typeof options.label === 'string' ? [options.label] : options.label;
    this.#values = options.values.map((value) => (typeof value === 'string' ? [value] : value));
    for (const value of this.#values) {
      if (value.length !== this.#labels.length)
        throw new Error(`${this.#name}: ${JSON.stringify(value)} does not match ${this.#labels.join(', ')}`);
    }
    this.#index = new Map(this.#values.map((value, i) => [key(value), i]));
  }

  /** Creates the plane's series at zero. */
  zero(plane: string): void {
    this.#get(plane);
  }

  /** Drops the plane's series (no longer configured). */
  remove(plane: string): void {
    this.#series.delete(plane);
  }

  inc(plane: string, value: string | readonly string[], by = 1): void {
    const values = typeof value === 'string' ? [value] : value;
    const i = this.#index.get(key(values));
    if (i === undefined) {
      const shown = values.map((v, j) => `${this.#labels[j] ?? '?'} "${v}"`).join(', ');
      throw new Error(`${this.#name}: unknown ${shown}`);
    }
    const counts = this.#get(plane).counts;
    counts[i] = (counts[i] ?? 0) + by;
  }

  *render(): Generator<string> {
    yield `# HELP ${this.#name} ${escapeHelp(this.#help)}\n# TYPE ${this.#name} counter\n`;
    // Labels are built per render (once per cycle), not kept per plane: the live heap stays small.
    const valueLabels = this.#values.map((values) =>
      values.map((value, j) => `${this.#labels[j] ?? ''}="${escapeLabel(value)}"`).join(','),
    );
    for (const { plane, counts } of this.#series.values()) {
      let text = '';
      for (let i = 0; i < counts.length; i++) {
        text += `${this.#name}{${plane},${valueLabels[i] ?? ''}} ${formatValue(counts[i] ?? 0)}\n`;
      }
      yield text;
    }
  }

  #get(plane: string): { plane: string; counts: number[] } {
    let series = this.#series.get(plane);
    if (series === undefined) {
      series = { plane: planeLabel(plane), counts: this.#values.map(() => 0) };
      this.#series.set(plane, series);
    }
    return series;
  }
}

function key(values: readonly string[]): string {
  return values.join('\u0000');
}
