import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);
const SEGMENT = { finishFlush: constants.Z_FULL_FLUSH, level: 6 };
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty deflate block: ends the stream after the flushed segments. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * A part of a response, compressed on its own as a raw deflate segment ending in a full flush. Such
 * segments can be concatenated into one valid gzip stream, so a large part that rarely changes is
 * compressed once and reused by every response, and only the small parts are compressed per request.
 */
export interface DeflatedPart {
  plain: Buffer;
  deflated: Buffer;
}

export async function deflatePart(plain: Buffer): Promise<DeflatedPart> {
  return { plain, deflated: await deflateRawAsync(plain, SEGMENT) };
}

export function deflatePartSync(plain: Buffer): DeflatedPart {
  return { plain, deflated: deflateRawSync(plain, SEGMENT) };
}

/**
 * One gzip stream (a single member, which every client reads) from parts in order. `crcBefore` is the
 * CRC-32 of all but the last part, which callers cache because the large parts come first.
 */
export function gzipParts(parts: readonly DeflatedPart[], crcBefore?: number): Buffer[] {
  const last = parts[parts.length - 1];
  let crc = crcBefore;
  if (crc === undefined || last === undefined) {
    crc = 0;
    for (const part of parts) crc = crc32(part.plain, crc);
  } else {
    crc = crc32(last.plain, crc);
  }
  const size = parts.reduce((sum, part) => sum + part.plain.length, 0);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return [HEADER, ...parts.map((part) => part.deflated), FINAL_BLOCK, trailer];
}

/** CRC-32 of parts in order, continuing from `start`. */
export function crcOf(parts: readonly Buffer[], start = 0): number {
  let crc = start;
  for (const part of parts) crc = crc32(part, crc);
  return crc;
}
