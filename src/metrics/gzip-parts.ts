import zlib, {
  constants,
  createDeflateRaw,
  createInflateRaw,
  deflateRawSync,
  type DeflateRaw,
} from 'node:zlib';

// Read from the module at call time, not imported by name: on a Node older than 20.15 a named import would
// fail before the entry could say which Node it needs.
const crc32 = (data: Uint8Array, value?: number): number => zlib.crc32(data, value);

/**
 * Level 1: metrics text is repetitive enough that it compresses well even so. At 1,000 planes the
 * 4.4 MB exposition becomes 193 KB at level 1 and 161 KB at level 6, for twice the CPU.
 */
const LEVEL = 1;
const SEGMENT = { finishFlush: constants.Z_FULL_FLUSH, level: LEVEL };
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty deflate block: ends the stream after the flushed segments. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/** Characters of text compressed at a time: small enough that no large buffer or string ever lives long. */
const CHUNK_CHARS = 64 * 1024;

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
 * Builds a CompressedPart from text written in pieces: every ~64 KiB it turns what it has into bytes
 * and hands them to one deflate stream on the thread pool, so a 5 MB exposition never exists whole,
 * neither as a string nor as a buffer, and rendering yields to the event loop between chunks.
 */
export class CompressedPartWriter {
  #pending = '';
  readonly #segments: Buffer[] = [];
  readonly #deflate: DeflateRaw = createDeflateRaw({ level: LEVEL });
  #size = 0;
  #crc: number;

  /** `crcBefore`: the `crc` of the part this one follows in the stream (0 for the first). */
  constructor(crcBefore = 0) {
    this.#crc = crcBefore;
    // Output is pushed, and so emitted, before the callback of the write that produced it runs.
    this.#deflate.on('data', (chunk: Buffer) => this.#segments.push(chunk));
  }

  /** Adds text in pieces, compressing every ~64 KiB before taking more. */
  async write(pieces: Iterable<string>): Promise<void> {
    for (const piece of pieces) {
      this.#pending += piece;
      if (this.#pending.length >= CHUNK_CHARS) await this.#flush();
    }
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending);
    this.#pending = '';
    this.#size += bytes.length;
    this.#crc = crc32(bytes, this.#crc);
    await new Promise<void>((resolve, reject) =>
      this.#deflate.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Ends the part with a full flush (not a final block), so that more parts can follow it. */
  async end(): Promise<CompressedPart> {
    try {
      await this.#flush();
      await new Promise<void>((resolve) => this.#deflate.flush(constants.Z_FULL_FLUSH, resolve));
    } finally {
      this.#deflate.close();
    }
    return { segments: this.#segments, size: this.#size, crc: this.#crc };
  }
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
