import zlib, { constants, createInflateRaw, deflateRawSync } from 'node:zlib';
import { setImmediate as nextTurn } from 'node:timers/promises';

// Read from the module at call time, not imported by name: on a Node older than 20.15 a named import would
// fail before the entry could say which Node it needs.
const crc32 = (data: Uint8Array, value?: number): number => zlib.crc32(data, value);

/** The CRC-32 polynomial, bits reversed, as zlib uses it. */
const CRC_POLY = 0xedb88320;

/** a(x) * b(x) modulo the CRC polynomial, both in the CRC's reflected bit order (zlib's multmodp). */
function multModP(a: number, b: number): number {
  let product = 0;
  for (let bit = 0x80000000; bit !== 0; bit >>>= 1) {
    if ((a & bit) !== 0) product ^= b;
    b = (b & 1) !== 0 ? (b >>> 1) ^ CRC_POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the CRC polynomial for k = 0..31 (x^1 is 0x40000000 in reflected order). */
const X_2N: readonly number[] = (() => {
  const table = [0x40000000];
  for (let k = 1; k < 32; k++) table.push(multModP(table[k - 1] ?? 0, table[k - 1] ?? 0));
  return table;
})();

/**
 * The CRC-32 of A followed by B from A's CRC, B's CRC and B's length in bytes (zlib's crc32_combine, which
 * Node does not expose): multiplies A's CRC by x^(8 * length) modulo the polynomial, then adds B's.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  let shift = 0x80000000; // x^0
  let k = 3; // 8 * length: start at x^(2^3) per byte
  for (let n = lengthB; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) shift = multModP(X_2N[k % 32] ?? 0, shift);
  }
  return (multModP(shift, crcA) ^ crcB) >>> 0;
}

/**
 * Level 1: metrics text is repetitive enough that it compresses well even so. At 1,000 planes the
 * 4.4 MB exposition becomes 193 KB at level 1 and 161 KB at level 6, for twice the CPU.
 */
const LEVEL = 1;
const SEGMENT = { finishFlush: constants.Z_FULL_FLUSH, level: LEVEL };
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty deflate block: ends the stream after the flushed segments. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/**
 * Characters of text compressed at a time, each a segment with a fresh dictionary: at 256 KiB the response
 * is no larger than one deflate stream's (64 KiB cost 2%), and still no large buffer or string lives long.
 */
const CHUNK_CHARS = 256 * 1024;

/**
 * A part of a response, kept only compressed: raw deflate segments that each end in a full flush, so
 * that segments (and parts) can be concatenated into one valid gzip stream. A large part that rarely
 * changes is compressed once and reused by every response; only the small parts are compressed per
 * request. `crc` is the CRC-32 of the text of every part before this one in the stream and of this one,
 * since a gzip trailer needs the CRC of the whole and the text is not kept.
 */
export interface CompressedPart {
  segments: readonly Buffer[];
  /** Bytes of text in this part. */
  size: number;
  crc: number;
}

/**
 * Text rendered and compressed in one synchronous stretch before the event loop gets a turn: ~4 ms here.
 * Under a cycle's load a turn of the event loop takes milliseconds, so a render that waits for one per
 * 64 KiB chunk (a deflate stream on the thread pool, as before) takes 5-10 times as long as its CPU: the
 * status gauges, which a scrape waits for, took 25-50 ms to render that way during a cycle.
 */
const STRETCH_CHARS = 512 * 1024;

/**
 * Builds a CompressedPart from text written in pieces, on the main thread: every ~256 KiB it compresses
 * what it has as a segment of its own, so a 5 MB exposition never exists whole, neither as a string nor as
 * a buffer, and after every STRETCH_CHARS it lets the event loop run.
 * `crcBefore`: the `crc` of the part this one follows in the stream (0 for the first).
 */
export async function compressPieces(pieces: Iterable<string>, crcBefore = 0): Promise<CompressedPart> {
  const segments: Buffer[] = [];
  let crc = crcBefore;
  let size = 0;
  let pending = '';
  let sinceTurn = 0;
  const compressPending = () => {
    const part = compressPartSync(pending, crc);
    pending = '';
    segments.push(...part.segments);
    size += part.size;
    crc = part.crc;
  };
  for (const piece of pieces) {
    pending += piece;
    if (pending.length < CHUNK_CHARS) continue;
    sinceTurn += pending.length;
    compressPending();
    if (sinceTurn >= STRETCH_CHARS) {
      sinceTurn = 0;
      await nextTurn();
    }
  }
  if (pending.length > 0) compressPending();
  return { segments, size, crc };
}

/** The most a stored (uncompressed) deflate block holds. */
const STORED_BLOCK_MAX = 0xffff;

/**
 * A small part stored as it is, in deflate's uncompressed blocks: for text made per scrape (a few hundred
 * bytes of live gauges), where setting up a compressor would cost more than the bytes it saves. Byte
 * aligned like a flushed segment, so that any part may follow it.
 */
export function storedPart(text: string, crcBefore = 0): CompressedPart {
  const bytes = Buffer.from(text);
  const segments: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += STORED_BLOCK_MAX) {
    const block = bytes.subarray(offset, offset + STORED_BLOCK_MAX);
    const header = Buffer.alloc(5); // BFINAL 0, BTYPE 00 (stored), then LEN and its complement
    header.writeUInt16LE(block.length, 1);
    header.writeUInt16LE(~block.length & 0xffff, 3);
    segments.push(header, block);
  }
  return { segments, size: bytes.length, crc: crc32(bytes, crcBefore) };
}

/** A small part compressed on the spot (the per-scrape process metrics). */
export function compressPartSync(text: string, crcBefore = 0): CompressedPart {
  const bytes = Buffer.from(text);
  return { segments: [deflateRawSync(bytes, SEGMENT)], size: bytes.length, crc: crc32(bytes, crcBefore) };
}

/**
 * One gzip stream (a single member, which every client reads) from parts in order, each compressed
 * with `crcBefore` set to the previous part's `crc`.
 */
export function gzipParts(parts: readonly CompressedPart[]): Buffer[] {
  const size = parts.reduce((sum, part) => sum + part.size, 0);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE((parts[parts.length - 1]?.crc ?? 0) >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return [HEADER, ...parts.flatMap((part) => part.segments), FINAL_BLOCK, trailer];
}

/**
 * The text of one part, decompressed on the thread pool, in the chunks zlib produced: joined into one
 * buffer, the text would be held twice at once (4.4 MB at 1,000 planes) just to be written out again.
 */
export async function inflatePart(part: CompressedPart): Promise<Buffer[]> {
  // 256 KiB chunks: the default 16 KiB means hundreds of thread-pool round trips for 4 MB.
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  const chunks: Buffer[] = [];
  inflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    inflate.once('end', resolve);
    inflate.once('error', reject);
  });
  for (const segment of part.segments) inflate.write(segment);
  inflate.end(FINAL_BLOCK);
  await done;
  return chunks;
}
