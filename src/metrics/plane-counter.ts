import { escapeHelp, escapeLabel, formatValue, planeLabel } from './text-format.js';

/**
 * A counter with one series per plane and value of one more label (`planecheck_checks_total` by
 * status), all created up front so that rate() works from the first scrape. Rendered in the text
 * prom-client renders for the same counter (a test holds the two equal), a plane at a time, from flat
 * arrays: at 1,000 planes prom-client spends tens of milliseconds per render building objects.
 */
export class PlaneCounter {
  readonly #name: string;
  readonly #help: string;
  readonly #label: string;
  readonly #values: readonly string[];
  readonly #index: ReadonlyMap<string, number>;
  /** Per plane: its label (`workload_plane="..."`), and a count per value. */
  readonly #series = new Map<string, { plane: string; counts: number[] }>();

  constructor(options: { name: string; help: string; label: string; values: readonly string[] }) {
    this.#name = options.name;
    this.#help = options.help;
    this.#label = options.label;
    this.#values = options.values;
    this.#index = new Map(options.values.map((value, i) => [value, i]));
  }

  /** Creates the plane's series at zero. */
  zero(plane: string): void {
    this.#get(plane);
  }

  inc(plane: string, value: string, by = 1): void {
    const i = this.#index.get(value);
    if (i === undefined) throw new Error(`${this.#name}: unknown ${this.#label} "${value}"`);
    const counts = this.#get(plane).counts;
    counts[i] = (counts[i] ?? 0) + by;
  }

  *render(): Generator<string> {
    yield `# HELP ${this.#name} ${escapeHelp(this.#help)}\n# TYPE ${this.#name} counter\n`;
    // Labels are built per render (once per cycle), not kept per plane: the live heap stays small.
    const valueLabels = this.#values.map((value) => `${this.#label}="${escapeLabel(value)}"`);
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
