import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PlaneState } from '../store/plane-state.js';
import { compressPartSync, crc32Combine, type CompressedPart } from './gzip-parts.js';
import { STATUS_FAMILIES, STATUS_GAUGES_END, statusLinesKey } from './status-gauges.js';

/**
 * Planes per block. A block's lines in each family are compressed on their own and kept, so a render
 * compresses again only the blocks whose planes changed: during a cycle results arrive in plane order, and
 * the few dozen planes that changed between two scrapes fall in one or two blocks (~0.5 ms), where the whole
 * 0.46 MB at 1,000 planes took ~5 ms, once per scrape, one after another under 50 concurrent scrapes.
 * Blocks this large compress about as well as one stream.
 */
const BLOCK_PLANES = 100;

/** Blocks compressed between two turns of the event loop (~5 ms here) when many planes changed at once. */
const BLOCKS_PER_TURN = 10;

/** One block's planes: what their lines were rendered from, and the lines of each family, compressed alone. */
interface Block {
  /** Per plane, its name and statusLinesKey: equal keys, equal lines. */
  keys: readonly string[];
  /** Per family in STATUS_FAMILIES order; `crc` from 0 over this text alone. */
  families: readonly CompressedPart[];
}

const EMPTY: CompressedPart = { segments: [], size: 0, crc: 0 };
const compressed = (text: string): CompressedPart => (text === '' ? EMPTY : compressPartSync(text));

/**
 * The status gauges (status-gauges.ts) as a CompressedPart, kept in blocks of planes between renders: each
 * render builds the same text as renderStatusGauges, compressing only the blocks whose planes' lines changed
 * and chaining the CRC from the blocks' own (crc32Combine), so the text is never kept.
 */
export class StatusGaugePart {
  #blocks: readonly Block[] = [];
  readonly #headers = STATUS_FAMILIES.map((family) => compressed(family.header));
  readonly #end = compressed(STATUS_GAUGES_END);

  /**
   * The gauges of `states` after a part whose `crc` is `crcBefore`. Renders that overlap each build from
   * their own states and reuse what matches; the last to finish is kept for the next.
   */
  async render(states: readonly PlaneState[], crcBefore = 0): Promise<CompressedPart> {
    const blocks: Block[] = [];
    let rebuilt = 0;
    for (let first = 0; first < states.length; first += BLOCK_PLANES) {
      const slice = states.slice(first, first + BLOCK_PLANES);
      const keys = slice.map((state) => `${state.plane}\n${statusLinesKey(state)}`);
      const cached = this.#blocks[blocks.length];
      if (cached && sameKeys(cached.keys, keys)) {
        blocks.push(cached);
        continue;
      }
      if (rebuilt > 0 && rebuilt % BLOCKS_PER_TURN === 0) await nextTurn();
      rebuilt++;
      blocks.push({
        keys,
        families: STATUS_FAMILIES.map((family) =>
          compressed(slice.map((state) => family.lines(state)).join('')),
        ),
      });
    }
    this.#blocks = blocks;
    const segments: Buffer[] = [];
    let crc = crcBefore;
    let size = 0;
    const append = (part: CompressedPart) => {
      segments.push(...part.segments);
      crc = crc32Combine(crc, part.crc, part.size);
      size += part.size;
    };
    STATUS_FAMILIES.forEach((_, family) => {
      append(this.#headers[family] ?? EMPTY);
      for (const block of blocks) append(block.families[family] ?? EMPTY);
    });
    append(this.#end);
    return { segments, size, crc };
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}
