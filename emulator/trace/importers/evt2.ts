/**
 * Prophesee EVT 2.0: 32-bit words, type in bits 31-28.
 *   CD_OFF 0x0 / CD_ON 0x1: bits 27-22 timestamp LSBs (6 bits), bits 21-11 x, bits 10-0 y.
 *   EVT_TIME_HIGH 0x8: bits 27-0 are timestamp bits 33-6; ts = (time_high << 6) | lsb.
 *   EXT_TRIGGER 0xA, OTHERS 0xE, CONTINUED 0xF: skipped. Other types are damage.
 * CD events before the first TIME_HIGH have no time base and are dropped. The 34-bit time
 * wraps: a TIME_HIGH smaller than the previous one adds 2^34 µs.
 */
import type { FormatDecoder } from './decoder.js';
import { RAW_CONVENTION, recordWindow } from './decoder.js';
import { IMPORT_PARAMS } from './params.js';
import { propheseeInfo } from './prophesee.js';

export const EVT2_WORD_BYTES = 4;
export const EVT2_CD_OFF = 0x0;
export const EVT2_CD_ON = 0x1;
export const EVT2_TIME_HIGH = 0x8;
export const EVT2_EXT_TRIGGER = 0xa;
export const EVT2_OTHERS = 0xe;
export const EVT2_CONTINUED = 0xf;
const TIME_HIGH_SHIFT_US = 64;
const TIME_WRAP_US = 2 ** 34;

export const evt2Decoder: FormatDecoder = {
  format: 'evt2',
  title: 'Prophesee EVT 2.0 (32-bit words)',
  maxEventsPerByte: 1 / EVT2_WORD_BYTES,
  readHeader: (src, opts, ctx) => propheseeInfo('evt2', src, opts, ctx),
  defaultConvention: () => RAW_CONVENTION,
  *decode(src, info, opts, ctx, out) {
    const width = info.width || 65536;
    const height = info.height || 65536;
    const be = opts.endian === 'be';
    const stats = ctx.stats;
    const cap = out.cap;
    const win = recordWindow(IMPORT_PARAMS.readWindowBytes.value, EVT2_WORD_BYTES);
    const size = src.size;
    let pos = info.dataOffset;
    let haveTime = false;
    let prevHigh = 0;
    let wrap = 0;
    let base = 0;
    while (size - pos >= EVT2_WORD_BYTES) {
      const c = src.read(pos, win);
      const n = c.length - (c.length % EVT2_WORD_BYTES);
      for (let i = 0; i < n; i += EVT2_WORD_BYTES) {
        const w = be
          ? ((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0
          : (c[i] | (c[i + 1] << 8) | (c[i + 2] << 16) | (c[i + 3] << 24)) >>> 0;
        const type = w >>> 28;
        if (type <= EVT2_CD_ON) {
          if (!haveTime) {
            stats.droppedEvents++;
            continue;
          }
          const x = (w >>> 11) & 0x7ff;
          const y = w & 0x7ff;
          if (x >= width || y >= height) {
            ctx.outOfRange(pos + i, x, y, width, height, '');
            continue;
          }
          out.push(base + ((w >>> 22) & 0x3f), x, y, type);
          if (out.n === cap) yield out.take();
        } else if (type === EVT2_TIME_HIGH) {
          const high = w & 0x0fffffff;
          if (haveTime && high < prevHigh) wrap += TIME_WRAP_US;
          prevHigh = high;
          haveTime = true;
          base = wrap + high * TIME_HIGH_SHIFT_US;
        } else if (type === EVT2_EXT_TRIGGER || type === EVT2_OTHERS || type === EVT2_CONTINUED) {
          stats.otherRecords++;
        } else {
          ctx.damage(pos + i, `unknown EVT 2.0 word type 0x${type.toString(16)} (expected 0x0, 0x1, 0x8, 0xA, 0xE or 0xF)`, EVT2_WORD_BYTES);
        }
      }
      pos += n;
    }
    if (pos < size) ctx.damage(pos, `truncated: expected a ${EVT2_WORD_BYTES}-byte EVT 2.0 word, found ${size - pos} bytes`, size - pos);
    stats.bytes = size;
  },
};
