import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import {
  compressPartSync,
  compressPieces,
  crc32Combine,
  gzipParts,
  inflatePart,
  storedPart,
} from '../src/metrics/gzip-parts.js';

function* lines(prefix: string, count: number): Generator<string> {
  for (let i = 0; i < count; i++) yield `${prefix}{workload_plane="plane-${i}",step="predict"} ${i * 7}\n`;
}

describe('compressed parts', () => {
  it('chain into one gzip stream whose text, length and CRC check out', async () => {
    // Large enough for several segments per part, with a multi-byte character across the boundaries.
    const a = await compressPieces(lines('first_é', 5_000));
    const b = await compressPieces(lines('second', 3_000), a.crc);
    const c = compressPartSync('# the live part\n', b.crc);
    assert.ok(a.segments.length > 1, 'the first part was compressed in several segments');

    const expected = [...lines('first_é', 5_000), ...lines('second', 3_000), '# the live part\n'].join('');
    // gunzip verifies the trailer's CRC-32 and length against the text it decompressed.
    assert.equal(gunzipSync(Buffer.concat(gzipParts([a, b, c]))).toString(), expected);
    assert.equal(a.size + b.size + c.size, Buffer.byteLength(expected));
  });

  it('decompress one part back to its text, in chunks rather than one joined buffer', async () => {
    const part = await compressPieces(lines('big_é', 20_000)); // ~1 MB of text
    const chunks = await inflatePart(part);
    assert.ok(chunks.length > 1, 'a large part comes back in several chunks');
    assert.equal(Buffer.concat(chunks).toString(), [...lines('big_é', 20_000)].join(''));
    assert.deepEqual(await inflatePart(compressPartSync('')), []);
  });

  it('chain stored (uncompressed) parts of any size among compressed ones', async () => {
    const a = await compressPieces(lines('first', 1_000));
    const large = `${'é'.repeat(40_000)}\n`; // 80,001 bytes: two stored blocks
    const b = storedPart(large, a.crc);
    const c = storedPart('', b.crc);
    const d = compressPartSync('# compressed after stored\n', c.crc);
    const e = storedPart('# the live part\n', d.crc);
    const expected = [
      ...lines('first', 1_000),
      large,
      '# compressed after stored\n',
      '# the live part\n',
    ].join('');
    assert.equal(gunzipSync(Buffer.concat(gzipParts([a, b, c, d, e]))).toString(), expected);
    assert.deepEqual(Buffer.concat(await inflatePart(b)).toString(), large);
  });

  it('are compressed in stretches that let the event loop run between them, and an empty text is empty', async () => {
    // An immediate that sets up the next: one runs per turn of the event loop taken while the text is compressed.
    const turns = async (text: Iterable<string>) => {
      let count = 0;
      let next = setImmediate(function tick() {
        count++;
        next = setImmediate(tick);
      });
      try {
        await compressPieces(text);
      } finally {
        clearImmediate(next);
      }
      return count;
    };
    const big = [...lines('big', 60_000)]; // ~3.6 MB: several stretches
    assert.ok(Buffer.byteLength(big.join('')) > 3_000_000);
    assert.ok((await turns(big)) >= 3, 'the event loop ran while 3.6 MB were compressed');
    assert.equal(await turns(lines('small', 1_000)), 0, 'a small text is compressed without a turn');
    const empty = await compressPieces([]);
    assert.equal(gunzipSync(Buffer.concat(gzipParts([empty]))).length, 0);
  });

  it('combine two CRCs into that of the two texts one after the other, as zlib computes it', () => {
    for (const [a, b] of [
      [0, 0],
      [0, 5],
      [5, 0],
      [1, 1],
      [100, 3],
      [3, 100_000],
      [70_000, 65_537],
      [1, 1 << 20],
    ] as const) {
      const first = randomBytes(a);
      const second = randomBytes(b);
      assert.equal(
        crc32Combine(crc32(first), crc32(second), b),
        crc32(Buffer.concat([first, second])),
        `${a} + ${b} bytes`,
      );
    }
  });

  it('fail the CRC check when chained out of order', () => {
    const a = compressPartSync('one\n');
    const b = compressPartSync('two\n'); // not chained after a
    assert.throws(() => gunzipSync(Buffer.concat(gzipParts([a, b]))), /incorrect data check/);
  });
});
