/**
 * Prophesee EVT 3.0: 16-bit words, type in bits 15-12.
 *   0x0 EVT_ADDR_Y    [11] system type, [10:0] y (sets y)
 *   0x2 EVT_ADDR_X    [11] polarity, [10:0] x: one event at (x, y, t)
 *   0x3 VECT_BASE_X   [11] polarity, [10:0] base x
 *   0x4 VECT_12       [11:0] mask: an event at base_x + k per set bit k, then base_x += 12
 *   0x5 VECT_8        [7:0] mask, then base_x += 8
 *   0x6 EVT_TIME_LOW  [11:0] low 12 bits of the 24-bit time base
 *   0x8 EVT_TIME_HIGH [11:0] high 12 bits
 *   0x7 CONTINUED_4, 0xA EXT_TRIGGER (0xC in one decoder), 0xE OTHERS, 0xF CONTINUED_12: skipped.
 *   0x1, 0x9, 0xB, 0xD are not defined: damage.
 * Time: the 24-bit base wraps; a TIME_HIGH value smaller than the previous one is a wrap (OpenEB's
 * rule) and adds 2^24 µs. When TIME_HIGH changes, the low bits restart at 0 until the next
 * TIME_LOW (assumption: keeps time monotonic when a TIME_HIGH is not followed by a TIME_LOW).
 * Events before the first TIME_HIGH or the first EVT_ADDR_Y are dropped.
 */
import type { FormatDecoder } from './decoder.js';
import { RAW_CONVENTION, recordWindow } from './decoder.js';
import { IMPORT_PARAMS } from './params.js';
import { propheseeInfo } from './prophesee.js';

export const EVT3_WORD_BYTES = 2;
export const EVT3 = {
  ADDR_Y: 0x0,
  ADDR_X: 0x2,
  VECT_BASE_X: 0x3,
  VECT_12: 0x4,
  VECT_8: 0x5,
  TIME_LOW: 0x6,
  CONTINUED_4: 0x7,
  TIME_HIGH: 0x8,
  EXT_TRIGGER: 0xa,
  EXT_TRIGGER_ALT: 0xc,
  OTHERS: 0xe,
  CONTINUED_12: 0xf,
} as const;
const TIME_WRAP_US = 2 ** 24;
const TIME_HIGH_SHIFT = 4096;

export const evt3Decoder: FormatDecoder = {
  format: 'evt3',
  title: 'Prophesee EVT 3.0 (16-bit words, vectorised)',
  maxEventsPerByte: 12 / EVT3_WORD_BYTES,
  readHeader: (src, opts, ctx) => propheseeInfo('evt3', src, opts, ctx),
  defaultConvention: () => RAW_CONVENTION,
  *decode(src, info, opts, ctx, out) {
    const width = info.width || 65536;
    const height = info.height || 65536;
    const be = opts.endian === 'be';
    const stats = ctx.stats;
    const cap = out.cap;
    const win = recordWindow(IMPORT_PARAMS.readWindowBytes.value, EVT3_WORD_BYTES);
    const size = src.size;
    let pos = info.dataOffset;
    let haveTime = false;
    let haveY = false;
    let high = 0;
    let low = 0;
    let wrap = 0;
    let t = 0;
    let y = 0;
    let baseX = 0;
    let vpol = 0;
    while (size - pos >= EVT3_WORD_BYTES) {
      const c = src.read(pos, win);
      const n = c.length - (c.length % EVT3_WORD_BYTES);
      for (let i = 0; i < n; i += EVT3_WORD_BYTES) {
        const w = be ? (c[i] << 8) | c[i + 1] : c[i] | (c[i + 1] << 8);
        switch (w >>> 12) {
          case EVT3.ADDR_Y:
            y = w & 0x7ff;
            haveY = true;
            break;
          case EVT3.ADDR_X: {
            const x = w & 0x7ff;
            if (!haveTime || !haveY) {
              stats.droppedEvents++;
              break;
            }
            if (x >= width || y >= height) {
              ctx.outOfRange(pos + i, x, y, width, height, '');
              break;
            }
            out.push(t, x, y, (w >>> 11) & 1);
            if (out.n === cap) yield out.take();
            break;
          }
          case EVT3.VECT_BASE_X:
            baseX = w & 0x7ff;
            vpol = (w >>> 11) & 1;
            break;
          case EVT3.VECT_12:
          case EVT3.VECT_8: {
            const twelve = w >>> 12 === EVT3.VECT_12;
            let m = twelve ? w & 0xfff : w & 0xff;
            if (!haveTime || !haveY) {
              while (m) {
                stats.droppedEvents++;
                m &= m - 1;
              }
            } else {
              while (m) {
                const bit = m & -m;
                const x = baseX + 31 - Math.clz32(bit);
                m ^= bit;
                if (x >= width || y >= height) {
                  ctx.outOfRange(pos + i, x, y, width, height, '');
                  continue;
                }
                out.push(t, x, y, vpol);
                if (out.n === cap) yield out.take();
              }
            }
            baseX += twelve ? 12 : 8;
            break;
          }
          case EVT3.TIME_LOW:
            low = w & 0xfff;
            t = wrap + high * TIME_HIGH_SHIFT + low;
            break;
          case EVT3.TIME_HIGH: {
            const h = w & 0xfff;
            if (haveTime && h < high) wrap += TIME_WRAP_US;
            if (!haveTime || h !== high) low = 0;
            high = h;
            haveTime = true;
            t = wrap + high * TIME_HIGH_SHIFT + low;
            break;
          }
          case EVT3.CONTINUED_4:
          case EVT3.EXT_TRIGGER:
          case EVT3.EXT_TRIGGER_ALT:
          case EVT3.OTHERS:
          case EVT3.CONTINUED_12:
            stats.otherRecords++;
            break;
          default:
            ctx.damage(pos + i, `unknown EVT 3.0 word type 0x${(w >>> 12).toString(16)} (expected 0x0, 0x2-0x8, 0xA, 0xC, 0xE or 0xF)`, EVT3_WORD_BYTES);
        }
      }
      pos += n;
    }
    if (pos < size) ctx.damage(pos, `truncated: expected a ${EVT3_WORD_BYTES}-byte EVT 3.0 word, found ${size - pos} bytes`, size - pos);
    stats.bytes = size;
  },
};
