/**
 * N-MNIST / N-Caltech101 (ATIS .bin): headerless 5-byte records.
 *
 *   byte 0 x, byte 1 y, byte 2 bit 7 polarity (1 = ON), timestamp (µs, 23 bits) =
 *   ((b2 & 0x7F) << 16) | (b3 << 8) | b4.
 *
 * A record with y == 240 is a timestamp overflow marker: it carries no event and adds 2^13 to
 * every later timestamp (the constant of the dataset's reference decoders). N-MNIST's sensor
 * is 34 x 34; N-Caltech101 recordings need --width/--height (up to 240 x 180).
 */
import type { FormatDecoder } from './decoder.js';
import { RAW_CONVENTION, recordWindow } from './decoder.js';
import { IMPORT_PARAMS } from './params.js';

export const NMNIST_RECORD_BYTES = 5;
export const NMNIST_OVERFLOW_Y = 240;
export const NMNIST_OVERFLOW_US = 1 << 13;
export const NMNIST_WIDTH = 34;
export const NMNIST_HEIGHT = 34;

export const nmnistDecoder: FormatDecoder = {
  format: 'nmnist',
  title: 'N-MNIST / N-Caltech101 ATIS .bin (5-byte records, no header)',
  maxEventsPerByte: 1 / NMNIST_RECORD_BYTES,
  readHeader(_src, opts) {
    return {
      format: 'nmnist',
      width: opts.width ?? NMNIST_WIDTH,
      height: opts.height ?? NMNIST_HEIGHT,
      dataOffset: 0,
      details: { sensor: opts.width || opts.height ? 'ATIS (size from options)' : 'N-MNIST ATIS crop 34x34' },
    };
  },
  defaultConvention: () => RAW_CONVENTION,
  *decode(src, info, _opts, ctx, out) {
    const width = info.width || 65536;
    const height = info.height || 65536;
    const hint = info.width === NMNIST_WIDTH ? ' (N-Caltech101 and other ATIS recordings need --width/--height)' : '';
    const stats = ctx.stats;
    const cap = out.cap;
    const win = recordWindow(IMPORT_PARAMS.readWindowBytes.value, NMNIST_RECORD_BYTES);
    let overflow = 0;
    let pos = info.dataOffset;
    const size = src.size;
    while (size - pos >= NMNIST_RECORD_BYTES) {
      const c = src.read(pos, win);
      const n = c.length - (c.length % NMNIST_RECORD_BYTES);
      for (let i = 0; i < n; i += NMNIST_RECORD_BYTES) {
        const x = c[i];
        const y = c[i + 1];
        const b2 = c[i + 2];
        if (y === NMNIST_OVERFLOW_Y) {
          overflow += NMNIST_OVERFLOW_US;
          stats.otherRecords++;
          continue;
        }
        if (x >= width || y >= height) {
          ctx.outOfRange(pos + i, x, y, width, height, hint);
          continue;
        }
        out.push(overflow + (((b2 & 0x7f) << 16) | (c[i + 3] << 8) | c[i + 4]), x, y, b2 >>> 7);
        if (out.n === cap) yield out.take();
      }
      pos += n;
    }
    if (pos < size) ctx.damage(pos, `truncated: expected a ${NMNIST_RECORD_BYTES}-byte record, found ${size - pos} bytes`, size - pos);
    stats.bytes = size;
  },
};
