import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { StoredResult } from '../src/check/stored-result.js';
import { compressPartSync, gzipParts, type CompressedPart } from '../src/metrics/gzip-parts.js';
import { StatusGaugePart } from '../src/metrics/status-gauge-part.js';
import { renderStatusGauges } from '../src/metrics/status-gauges.js';
import { planeState, type PlaneState } from '../src/store/plane-state.js';

const NOW = 1_764_080_000_000;
const TTL = 120_000;

function state(plane: string, status: StoredResult['status'] | 'none', ageMs = 1_000): PlaneState {
  if (status === 'none') return planeState(plane, undefined, Number.POSITIVE_INFINITY, TTL, NOW);
  const result: StoredResult = {
    plane,
    status,
    reason: status === 'HEALTHY' ? null : status === 'NO_USER' ? 'user_not_found' : 'predict_timeout',
    checkedAt: NOW - ageMs,
    durationMs: 1,
    steps: [],
    checkedBy: 'replica-a',
  };
  return planeState(plane, result, ageMs, TTL, NOW);
}

const planes = (count: number, status: StoredResult['status'] = 'HEALTHY') =>
  Array.from({ length: count }, (_, i) => state(`plane-${i}`, status));

/** The text a scraper reads from `part`, after a first part whose CRC it is chained to (gunzip checks it). */
function textOf(part: CompressedPart, before: CompressedPart): string {
  return gunzipSync(Buffer.concat(gzipParts([before, part])))
    .toString()
    .slice(before.size);
}

/** Every segment of a part, to tell which were compressed again. */
const segmentsOf = (part: CompressedPart) => new Set(part.segments);

/** Turns of the event loop taken while `work` runs. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  let next = setImmediate(function tick() {
    count++;
    next = setImmediate(tick);
  });
  try {
    await work();
  } finally {
    clearImmediate(next);
  }
  return count;
}

describe('StatusGaugePart', () => {
  it('renders the text of renderStatusGauges, chained after the part before it, as planes change', async () => {
    const before = compressPartSync('# the cycle part\n');
    const gauges = new StatusGaugePart();
    let states = planes(250);
    assert.equal(
      textOf(await gauges.render(states, before.crc), before),
      [...renderStatusGauges(states)].join(''),
    );
    states = states.map((s, i) =>
      i === 3
        ? state(s.plane, 'NO_USER')
        : i === 120
          ? state(s.plane, 'FAILED')
          : i === 249
            ? state(s.plane, 'HEALTHY', 200_000)
            : s,
    );
    assert.equal(states[249]?.status, 'NO_VALUE', 'an expired result');
    const text = textOf(await gauges.render(states, before.crc), before);
    assert.equal(text, [...renderStatusGauges(states)].join(''));
    assert.match(
      text,
      /^planecheck_last_failure_info\{workload_plane="plane-3",step="user_lookup",reason="user_not_found"\} 1$/m,
    );
    // A reload: planes removed, added and reordered, one never checked.
    states = [state('plane-new', 'none'), ...states.slice(200).reverse(), ...states.slice(0, 40)];
    assert.equal(
      textOf(await gauges.render(states, 0), compressPartSync('')),
      [...renderStatusGauges(states)].join(''),
    );
    assert.equal(textOf(await gauges.render([], before.crc), before), [...renderStatusGauges([])].join(''));
  });

  it('compresses again only the block of planes whose lines changed', async () => {
    const gauges = new StatusGaugePart();
    const states = planes(400); // four blocks of 100
    const first = segmentsOf(await gauges.render(states));
    const again = await gauges.render(states, 12345);
    assert.ok(
      again.segments.every((segment) => first.has(segment)),
      'nothing changed: nothing compressed',
    );
    const changed = states.map((s, i) => (i === 150 ? state(s.plane, 'NO_ORACLE') : s));
    const after = await gauges.render(changed);
    const fresh = after.segments.filter((segment) => !first.has(segment));
    // The block of planes 100-199 alone, its four families (each one segment; the failure info had none).
    assert.equal(fresh.length, 4);
    assert.equal(textOf(after, compressPartSync('')), [...renderStatusGauges(changed)].join(''));
  });

  it('lets the event loop run while many blocks are compressed, not when few are', async () => {
    const gauges = new StatusGaugePart();
    const states = planes(3_000); // 30 blocks
    assert.ok((await turnsDuring(() => gauges.render(states))) >= 2, 'turns during the first render');
    const one = states.map((s, i) => (i === 1_500 ? state(s.plane, 'FAILED') : s));
    assert.equal(await turnsDuring(() => gauges.render(one)), 0, 'one changed block: no turn');
  });

  it('gives each of two overlapping renders the text of its own states', async () => {
    const gauges = new StatusGaugePart();
    const a = planes(3_000, 'FAILED');
    const b = [...planes(2_000, 'HEALTHY').reverse(), state('plane-x', 'none')];
    const [partA, partB] = await Promise.all([gauges.render(a), gauges.render(b)]);
    const empty = compressPartSync('');
    assert.equal(textOf(partA, empty), [...renderStatusGauges(a)].join(''));
    assert.equal(textOf(partB, empty), [...renderStatusGauges(b)].join(''));
    const c = b.map((s, i) => (i === 7 ? state(s.plane, 'NO_USER') : s));
    assert.equal(textOf(await gauges.render(c), empty), [...renderStatusGauges(c)].join(''));
  });
});
