/**
 * Zstandard frames through fzstd, with the frame walked first (RFC 8878 section 3.1.1) so the
 * output is bounded before anything is allocated: fzstd trusts the window/content size fields
 * (allocating up to 2 GiB) and decodes any frames that follow. Here exactly one frame is
 * decoded, into a buffer no larger than its blocks can produce and never above `maxOut`.
 */
import { decompress } from 'fzstd';
import { DecompressError, type Decompressed } from './lz4.js';

export const ZSTD_FRAME_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK_MAX = 128 * 1024;
const BLOCK_RAW = 0;
const BLOCK_RLE = 1;
const BLOCK_RESERVED = 3;

function u32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** Decode the single Zstandard frame at the start of `src` into at most `maxOut` bytes. */
export function zstdDecodeFrame(src: Uint8Array, maxOut: number): Decompressed {
  const len = src.length;
  if (len < 6) throw new DecompressError(0, `Zstd frame too short (${len} bytes)`);
  if (u32(src, 0) !== ZSTD_FRAME_MAGIC) throw new DecompressError(0, `expected the Zstd frame magic 0xFD2FB528, found 0x${u32(src, 0).toString(16).padStart(8, '0')}`);
  const fhd = src[4];
  if (fhd & 0x08) throw new DecompressError(4, 'Zstd frame header reserved bit set');
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const checksum = (fhd >> 2) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3];
  let pos = 5;
  let windowSize = 0;
  if (!single) {
    const wd = src[pos++];
    const base = 2 ** (10 + (wd >> 3));
    windowSize = base + (base / 8) * (wd & 7);
  }
  if (pos + dictBytes > len) throw new DecompressError(pos, 'Zstd frame header truncated');
  let dictId = 0;
  for (let k = 0; k < dictBytes; k++) dictId += src[pos + k] * 2 ** (8 * k);
  if (dictId !== 0) throw new DecompressError(pos, 'Zstd frame needs a dictionary (not supported)');
  pos += dictBytes;
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  if (pos + fcsBytes > len) throw new DecompressError(pos, 'Zstd frame header truncated (content size)');
  let contentSize = -1;
  if (fcsBytes > 0) {
    contentSize = 0;
    for (let k = 0; k < fcsBytes; k++) contentSize += src[pos + k] * 2 ** (8 * k);
    if (fcsBytes === 2) contentSize += 256;
  }
  pos += fcsBytes;
  if (single) windowSize = contentSize;
  const blockMax = Math.min(ZSTD_BLOCK_MAX, windowSize);
  let bound = 0;
  for (;;) {
    if (pos + 3 > len) throw new DecompressError(pos, 'Zstd frame truncated: expected a block header');
    const bh = src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16);
    const last = bh & 1;
    const type = (bh >> 1) & 3;
    const size = bh >>> 3;
    if (type === BLOCK_RESERVED) throw new DecompressError(pos, 'Zstd block of the reserved type 3');
    if (size > blockMax) throw new DecompressError(pos, `Zstd block of ${size} bytes exceeds the ${blockMax}-byte block maximum`);
    const content = type === BLOCK_RLE ? 1 : size;
    if (pos + 3 + content > len) throw new DecompressError(pos, `Zstd frame truncated: block of ${content} bytes runs past the data`);
    bound += type === BLOCK_RAW || type === BLOCK_RLE ? size : blockMax;
    pos += 3 + content;
    if (last) break;
  }
  const frameBytes = pos + checksum * 4;
  if (frameBytes > len) throw new DecompressError(pos, 'Zstd frame truncated: expected the content checksum');
  if (contentSize >= 0) {
    if (contentSize > bound) throw new DecompressError(5, `Zstd content size ${contentSize} is more than its blocks can hold (${bound})`);
    bound = contentSize;
  }
  if (bound > maxOut) throw new DecompressError(0, `Zstd frame may decompress to ${bound} bytes, more than the ${maxOut}-byte limit`);
  const out = new Uint8Array(bound);
  try {
    decompress(src.subarray(0, frameBytes), out);
  } catch (err) {
    throw new DecompressError(0, `Zstd data is damaged (${(err as Error).message})`);
  }
  return { data: out, frameBytes };
}
