import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  compressPartSync,
  CompressedPartWriter,
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
    const first = new CompressedPartWriter();
    await first.write(lines('first_é', 5_000));
    const a = await first.end();
    const second = new CompressedPartWriter(a.crc);
    await second.write(lines('second', 3_000));
    const b = await second.end();
    const c = compressPartSync('# the live part\n', b.crc);
    assert.ok(a.segments.length > 1, 'the first part was compressed in several segments');

    const expected = [...lines('first_é', 5_000), ...lines('second', 3_000), '# the live part\n'].join('');
    // gunzip verifies the trailer's CRC-32 and length against the text it decompressed.
    assert.equal(gunzipSync(Buffer.concat(gzipParts([a, b, c]))).toString(), expected);
    assert.equal(a.size + b.size + c.size, Buffer.byteLength(expected));
  });

  it('decompress one part back to its text, in chunks rather than one joined buffer', async () => {
    const writer = new CompressedPartWriter();
    await writer.write(lines('big_é', 20_000)); // ~1 MB of text
    const part = await writer.end();
    const chunks = await inflatePart(part);
    assert.ok(chunks.length > 1, 'a large part comes back in several chunks');
    assert.equal(Buffer.concat(chunks).toString(), [...lines('big_é', 20_000)].join(''));
    assert.deepEqual(await inflatePart(compressPartSync('')), []);
  });

  it('chain stored (uncompressed) parts of any size among compressed ones', async () => {
    const writer = new CompressedPartWriter();
    await writer.write(lines('first', 1_000));
    const a = await writer.end();
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

  it('fail the CRC check when chained out of order', () => {
    const a = compressPartSync('one\n');
    const b = compressPartSync('two\n'); // not chained after a
    assert.throws(() => gunzipSync(Buffer.concat(gzipParts([a, b]))), /incorrect data check/);
  });
});
