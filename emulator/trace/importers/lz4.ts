/**
 * LZ4 frame decoder (LZ4 Frame Format 1.6.x, LZ4 Block Format), written for hostile input.
 *
 * lz4js (installed) decodes frames but checks nothing: a bad match offset reads before the
 * output and silently yields zeros, a literal run past the input yields zeros, and the frame's
 * content-size field is trusted for the allocation. AEDAT 4 import must report damage with a
 * byte offset and bound its memory, so the frame and block parsing is done here with every
 * offset and length checked; lz4js's xxHash32 verifies the header and content checksums.
 */
import { hash as xxh32 } from 'lz4js/xxh32.js';

export const LZ4_FRAME_MAGIC = 0x184d2204;
const LZ4_MIN_MATCH = 4;
const FLG_VERSION = 0x40;
const FLG_BLOCK_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const BLOCK_UNCOMPRESSED = 0x80000000;

/** Damage inside compressed data: `offset` is relative to the start of the frame. */
export class DecompressError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function u32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** Decoded bytes and how many input bytes the frame used. */
export interface Decompressed {
  data: Uint8Array;
  frameBytes: number;
}

/**
 * Decode one LZ4 frame at the start of `src`, producing at most `maxOut` bytes
 * (larger output is an error, never an allocation). With `scratch`, output goes into
 * `scratch.buffer` when it is large enough (grown otherwise), so a caller decoding packet after
 * packet allocates only when a packet is larger than any before; the result is then a view that
 * the next call overwrites.
 */
export function lz4DecodeFrame(src: Uint8Array, maxOut: number, scratch?: { buffer: Uint8Array }): Decompressed {
  const len = src.length;
  if (len < 7) throw new DecompressError(0, `LZ4 frame too short (${len} bytes, expected at least 7)`);
  if (u32(src, 0) !== LZ4_FRAME_MAGIC) throw new DecompressError(0, `expected the LZ4 frame magic 0x184D2204, found 0x${u32(src, 0).toString(16).padStart(8, '0')}`);
  const flg = src[4];
  const bd = src[5];
  if ((flg & 0xc0) !== FLG_VERSION) throw new DecompressError(4, `LZ4 frame version ${flg >> 6} (expected 1)`);
  if (flg & 0x02) throw new DecompressError(4, 'LZ4 frame descriptor reserved bit set');
  if (flg & FLG_DICT_ID) throw new DecompressError(4, 'LZ4 frame needs a dictionary (not supported)');
  if (bd & 0x8f) throw new DecompressError(5, 'LZ4 block descriptor reserved bits set');
  const bsIdx = (bd >> 4) & 7;
  if (bsIdx < 4) throw new DecompressError(5, `LZ4 block maximum size code ${bsIdx} (expected 4..7)`);
  const maxBlock = 1 << (8 + 2 * bsIdx);
  let pos = 6;
  let contentSize = -1;
  if (flg & FLG_CONTENT_SIZE) {
    if (len < pos + 9) throw new DecompressError(pos, 'LZ4 frame header truncated (content size)');
    contentSize = u32(src, pos) + u32(src, pos + 4) * 2 ** 32;
    pos += 8;
  }
  const hc = (xxh32(0, src, 4, pos - 4) >>> 8) & 0xff;
  if (src[pos] !== hc) throw new DecompressError(pos, `LZ4 frame header checksum 0x${src[pos].toString(16)} (expected 0x${hc.toString(16)})`);
  pos++;
  const blockSum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  const independent = (flg & FLG_BLOCK_INDEPENDENT) !== 0;

  // First pass: walk the block headers to bound the output.
  let bound = 0;
  let p = pos;
  for (;;) {
    if (p + 4 > len) throw new DecompressError(p, 'LZ4 frame truncated: expected a block size or the end mark');
    const word = u32(src, p);
    if (word === 0) break;
    const size = word & ~BLOCK_UNCOMPRESSED;
    if (size > maxBlock) throw new DecompressError(p, `LZ4 block of ${size} bytes exceeds the frame's ${maxBlock}-byte maximum`);
    const end = p + 4 + size + (blockSum ? 4 : 0);
    if (end > len) throw new DecompressError(p, `LZ4 frame truncated: block of ${size} bytes runs past the data`);
    bound += word & BLOCK_UNCOMPRESSED ? size : maxBlock;
    p = end;
  }
  const frameBytes = p + 4 + (flg & FLG_CONTENT_CHECKSUM ? 4 : 0);
  if (frameBytes > len) throw new DecompressError(p + 4, 'LZ4 frame truncated: expected the content checksum');
  if (contentSize >= 0) {
    if (contentSize > bound) throw new DecompressError(6, `LZ4 content size ${contentSize} is more than its blocks can hold (${bound})`);
    bound = contentSize;
  }
  if (bound > maxOut) {
    if (contentSize >= 0 || bound - maxOut >= maxBlock)
      throw new DecompressError(0, `LZ4 frame decompresses to more than the ${maxOut}-byte limit`);
  }
  const need = Math.min(bound, maxOut);
  let dst: Uint8Array;
  if (scratch) {
    if (scratch.buffer.length < need) scratch.buffer = new Uint8Array(Math.max(need, Math.min(maxOut, scratch.buffer.length * 2)));
    dst = scratch.buffer.subarray(0, need);
  } else {
    dst = new Uint8Array(need);
  }

  // Second pass: decode.
  let dp = 0;
  p = pos;
  for (;;) {
    const word = u32(src, p);
    if (word === 0) break;
    const size = word & ~BLOCK_UNCOMPRESSED;
    const data = p + 4;
    if (blockSum) {
      const want = u32(src, data + size);
      const got = xxh32(0, src, data, size);
      if (want !== got) throw new DecompressError(data + size, 'LZ4 block checksum mismatch');
    }
    if (word & BLOCK_UNCOMPRESSED) {
      if (dp + size > dst.length) throw new DecompressError(p, `LZ4 data exceeds ${contentSize >= 0 ? 'the declared content size' : `the ${maxOut}-byte limit`}`);
      dst.set(src.subarray(data, data + size), dp);
      dp += size;
    } else {
      dp = lz4DecodeBlock(src, data, data + size, dst, dp, independent ? dp : 0);
    }
    p = data + size + (blockSum ? 4 : 0);
  }
  if (contentSize >= 0 && dp !== contentSize) throw new DecompressError(p, `LZ4 frame produced ${dp} bytes, its header declares ${contentSize}`);
  if (flg & FLG_CONTENT_CHECKSUM) {
    const want = u32(src, p + 4);
    const got = xxh32(0, dst, 0, dp);
    if (want !== got) throw new DecompressError(p + 4, 'LZ4 content checksum mismatch');
  }
  return { data: dp === dst.length ? dst : dst.subarray(0, dp), frameBytes };
}

/**
 * Decode one LZ4 block src[sp, send) into dst at dp; matches may reach back to `windowStart`.
 * Returns the new output position.
 */
export function lz4DecodeBlock(src: Uint8Array, sp: number, send: number, dst: Uint8Array, dp: number, windowStart: number): number {
  const dmax = dst.length;
  for (;;) {
    if (sp >= send) throw new DecompressError(sp, 'LZ4 block ends where a sequence token was expected');
    const token = src[sp++];
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (sp >= send) throw new DecompressError(sp, 'LZ4 block ends inside a literal length');
        b = src[sp++];
        lit += b;
      } while (b === 255);
    }
    if (lit > 0) {
      if (sp + lit > send) throw new DecompressError(sp, `LZ4 literal run of ${lit} bytes passes the block end`);
      if (dp + lit > dmax) throw new DecompressError(sp, 'LZ4 output exceeds its bound');
      if (lit < 32) {
        for (let k = 0; k < lit; k++) dst[dp + k] = src[sp + k];
      } else {
        dst.set(src.subarray(sp, sp + lit), dp);
      }
      sp += lit;
      dp += lit;
    }
    if (sp === send) return dp;
    if (sp + 2 > send) throw new DecompressError(sp, 'LZ4 block ends inside a match offset');
    const off = src[sp] | (src[sp + 1] << 8);
    if (off === 0 || off > dp - windowStart) throw new DecompressError(sp, `LZ4 match offset ${off} reaches before the start of the data`);
    sp += 2;
    let ml = token & 15;
    if (ml === 15) {
      let b: number;
      do {
        if (sp >= send) throw new DecompressError(sp, 'LZ4 block ends inside a match length');
        b = src[sp++];
        ml += b;
      } while (b === 255);
    }
    ml += LZ4_MIN_MATCH;
    if (dp + ml > dmax) throw new DecompressError(sp, 'LZ4 output exceeds its bound');
    let m = dp - off;
    if (off >= ml && ml >= 64) {
      dst.copyWithin(dp, m, m + ml);
      dp += ml;
    } else {
      // short or overlapping match: byte by byte (overlap repeats the last `off` bytes, as LZ4 intends)
      const end = dp + ml;
      while (dp < end) dst[dp++] = dst[m++];
    }
  }
}
