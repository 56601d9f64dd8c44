/**
 * AEDAT 2.0 (jAER): `#` header lines (first `#!AER-DAT2.0`, CRLF or LF), then 8-byte records of
 * big-endian int32 address and int32 timestamp (µs).
 *
 * Address layouts:
 * - dvs128: bit 15 external event (skipped), bits 14-8 y, bits 7-1 x, bit 0 polarity.
 * - davis (jAER masks, DAVIS240/346/640): y = (a & 0x7FC00000) >> 22, x = (a & 0x003FF000) >> 12,
 *   p = (a & 0x800) >> 11; a DVS event only when bits 31 and 10 are both 0 (others are APS/IMU
 *   samples, skipped).
 * The layout comes from the `# AEChip:` header line (a DAVIS chip class selects `davis`,
 * anything else `dvs128`), or from the `aedat2Layout` option.
 *
 * Timestamps are read as unsigned 32-bit values; a backward jump of more than 2^31 µs is a wrap
 * of the 32-bit counter and adds 2^32 (smaller backward steps are clamped by the block builder).
 */
import type { FormatDecoder } from './decoder.js';
import { RAW_CONVENTION, recordWindow } from './decoder.js';
import { readMarkedLines } from './header.js';
import { IMPORT_PARAMS } from './params.js';
import { sensorSizeFromName } from './sensors.js';
import type { Aedat2Layout, Convention } from './types.js';

export const AEDAT2_MAGIC = '#!AER-DAT2.0';
export const AEDAT2_RECORD_BYTES = 8;
const HASH = 0x23;
const TS_WRAP = 2 ** 32;
const TS_WRAP_THRESHOLD = 2 ** 31;

/** jAER's convention for the DVS128: raw polarity 0 is ON, x = 127 - raw x. */
export const JAER_DVS128_CONVENTION: Convention = { polarity: 'raw0-on', flipX: true, flipY: false, swapXY: false };

export const aedat2Decoder: FormatDecoder = {
  format: 'aedat2',
  title: 'AEDAT 2.0 (jAER), DVS128 and DAVIS address layouts',
  maxEventsPerByte: 1 / AEDAT2_RECORD_BYTES,
  readHeader(src, opts, ctx) {
    const { lines, end } = readMarkedLines(src, 0, HASH, ctx);
    if (lines.length === 0 || !lines[0].text.startsWith(AEDAT2_MAGIC))
      ctx.headerError(0, `expected the AEDAT 2.0 magic line '${AEDAT2_MAGIC}'`);
    let chip = '';
    for (const l of lines) {
      const m = /^#\s*AEChip:\s*(.*?)\s*$/.exec(l.text);
      if (m) chip = m[1];
    }
    const layout: Aedat2Layout = opts.aedat2Layout ?? (/davis/i.test(chip) ? 'davis' : 'dvs128');
    const known = sensorSizeFromName(chip) ?? (layout === 'dvs128' ? { width: 128, height: 128 } : undefined);
    return {
      format: 'aedat2',
      width: opts.width ?? known?.width ?? 0,
      height: opts.height ?? known?.height ?? 0,
      dataOffset: end,
      details: { chip: chip || '(no AEChip line; DVS128 assumed)', layout, headerLines: lines.length },
    };
  },
  defaultConvention(info) {
    return info.details.layout === 'dvs128' ? JAER_DVS128_CONVENTION : RAW_CONVENTION;
  },
  *decode(src, info, _opts, ctx, out) {
    const davis = info.details.layout === 'davis';
    const width = info.width || 65536;
    const height = info.height || 65536;
    const stats = ctx.stats;
    const cap = out.cap;
    const win = recordWindow(IMPORT_PARAMS.readWindowBytes.value, AEDAT2_RECORD_BYTES);
    const size = src.size;
    let pos = info.dataOffset;
    let prevRaw = -1;
    let wrap = 0;
    while (size - pos >= AEDAT2_RECORD_BYTES) {
      const c = src.read(pos, win);
      const n = c.length - (c.length % AEDAT2_RECORD_BYTES);
      for (let i = 0; i < n; i += AEDAT2_RECORD_BYTES) {
        const a = (c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3];
        const ts = ((c[i + 4] << 24) | (c[i + 5] << 16) | (c[i + 6] << 8) | c[i + 7]) >>> 0;
        if (ts + TS_WRAP_THRESHOLD < prevRaw) wrap += TS_WRAP;
        prevRaw = ts;
        let x: number;
        let y: number;
        let p: number;
        if (davis) {
          if ((a & 0x80000400) !== 0) {
            stats.otherRecords++;
            continue;
          }
          x = (a & 0x003ff000) >>> 12;
          y = (a & 0x7fc00000) >>> 22;
          p = (a & 0x800) >>> 11;
        } else {
          if ((a & 0x8000) !== 0 || (a & 0xffff0000) !== 0) {
            stats.otherRecords++;
            continue;
          }
          x = (a >>> 1) & 0x7f;
          y = (a >>> 8) & 0x7f;
          p = a & 1;
        }
        if (x >= width || y >= height) {
          ctx.outOfRange(pos + i, x, y, width, height, '');
          continue;
        }
        out.push(wrap + ts, x, y, p);
        if (out.n === cap) yield out.take();
      }
      pos += n;
    }
    if (pos < size) ctx.damage(pos, `truncated: expected an ${AEDAT2_RECORD_BYTES}-byte record (int32 address, int32 timestamp), found ${size - pos} bytes`, size - pos);
    stats.bytes = size;
  },
};
