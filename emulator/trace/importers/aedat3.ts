/**
 * AEDAT 3.1 (cAER): `#` header lines ended by `#!END-HEADER`, then packets, all little-endian.
 *
 * Packet header (28 bytes): int16 eventType, int16 eventSource, int32 eventSize,
 * int32 eventTSOffset, int32 eventTSOverflow, int32 eventCapacity, int32 eventNumber,
 * int32 eventValid; then eventCapacity x eventSize bytes of which the first eventNumber events
 * are meaningful. Only polarity packets (type 1, 8-byte events) carry events we import:
 * uint32 data (bit 0 valid, bit 1 polarity 1 = ON, bits 2-16 y, bits 17-31 x) and int32
 * timestamp; full time = eventTSOverflow * 2^31 + timestamp. Events whose valid bit is 0 are
 * dropped; packets of other types are skipped. Origin is upper-left.
 */
import type { FormatDecoder } from './decoder.js';
import { RAW_CONVENTION } from './decoder.js';
import { readMarkedLines } from './header.js';
import { sensorSizeFromName } from './sensors.js';

export const AEDAT3_MAGIC = '#!AER-DAT3.1';
export const AEDAT3_END_HEADER = '#!END-HEADER';
export const AEDAT3_PACKET_HEADER_BYTES = 28;
export const AEDAT3_POLARITY_TYPE = 1;
export const AEDAT3_POLARITY_EVENT_BYTES = 8;
const TS_OVERFLOW_US = 2 ** 31;
const HASH = 0x23;

/** cAER event type names (for messages and summaries). */
export const AEDAT3_EVENT_TYPES = [
  'special', 'polarity', 'frame', 'IMU6', 'IMU9', 'sample', 'ear', 'config',
  'point1D', 'point2D', 'point3D', 'point4D', 'spike', 'matrix4x4',
] as const;

export const aedat3Decoder: FormatDecoder = {
  format: 'aedat3',
  title: 'AEDAT 3.1 (cAER), polarity packets',
  maxEventsPerByte: 1 / AEDAT3_POLARITY_EVENT_BYTES,
  readHeader(src, opts, ctx) {
    const { lines, end } = readMarkedLines(src, 0, HASH, ctx, (t) => t.startsWith(AEDAT3_END_HEADER));
    if (lines.length === 0 || !lines[0].text.startsWith(AEDAT3_MAGIC)) ctx.headerError(0, `expected the AEDAT 3.1 magic line '${AEDAT3_MAGIC}'`);
    if (!lines[lines.length - 1].text.startsWith(AEDAT3_END_HEADER))
      ctx.headerError(end, `expected the header to end with '${AEDAT3_END_HEADER}'`);
    let sourceName = '';
    for (const l of lines) {
      const m = /^#Source\s+(-?\d+)\s*:\s*(.*?)\s*$/.exec(l.text);
      if (m && !sourceName) sourceName = m[2];
    }
    const known = sensorSizeFromName(sourceName);
    return {
      format: 'aedat3',
      width: opts.width ?? known?.width ?? 0,
      height: opts.height ?? known?.height ?? 0,
      dataOffset: end,
      details: { sensor: sourceName || '(no #Source line)', headerLines: lines.length },
    };
  },
  defaultConvention: () => RAW_CONVENTION,
  *decode(src, info, _opts, ctx, out) {
    const width = info.width || 65536;
    const height = info.height || 65536;
    const stats = ctx.stats;
    const cap = out.cap;
    const size = src.size;
    let pos = info.dataOffset;
    while (pos < size) {
      if (size - pos < AEDAT3_PACKET_HEADER_BYTES) {
        ctx.damage(pos, `truncated: expected a ${AEDAT3_PACKET_HEADER_BYTES}-byte packet header, found ${size - pos} bytes`, size - pos);
        break;
      }
      const h = src.read(pos, AEDAT3_PACKET_HEADER_BYTES);
      const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
      const type = dv.getInt16(0, true);
      const eventSize = dv.getInt32(4, true);
      const tsOffset = dv.getInt32(8, true);
      const tsOverflow = dv.getInt32(12, true);
      const capacity = dv.getInt32(16, true);
      const number = dv.getInt32(20, true);
      const valid = dv.getInt32(24, true);
      let bad = '';
      if (eventSize <= 0) bad = `eventSize ${eventSize} (expected > 0)`;
      else if (capacity < 0) bad = `eventCapacity ${capacity} (expected >= 0)`;
      else if (number < 0 || number > capacity) bad = `eventNumber ${number} (expected 0..eventCapacity=${capacity})`;
      else if (valid < 0 || valid > number) bad = `eventValid ${valid} (expected 0..eventNumber=${number})`;
      else if (tsOverflow < 0) bad = `eventTSOverflow ${tsOverflow} (expected >= 0)`;
      else if (tsOffset < 0 || tsOffset > eventSize - 4) bad = `eventTSOffset ${tsOffset} (expected 0..eventSize-4)`;
      else if (type === AEDAT3_POLARITY_TYPE && eventSize !== AEDAT3_POLARITY_EVENT_BYTES)
        bad = `polarity packet with eventSize ${eventSize} (expected ${AEDAT3_POLARITY_EVENT_BYTES})`;
      if (bad) {
        ctx.damage(pos, `bad packet header: ${bad}`, size - pos);
        break;
      }
      const bodyStart = pos + AEDAT3_PACKET_HEADER_BYTES;
      const bodyBytes = capacity * eventSize;
      const available = size - bodyStart;
      const truncated = bodyBytes > available;
      if (type !== AEDAT3_POLARITY_TYPE) {
        stats.otherRecords += number;
        if (truncated) {
          ctx.damage(bodyStart, `truncated: packet of ${bodyBytes} bytes (${capacity} x ${eventSize}), found ${available}`, available);
          break;
        }
        pos = bodyStart + bodyBytes;
        continue;
      }
      const complete = Math.min(number, Math.floor(available / eventSize));
      const c = src.read(bodyStart, complete * eventSize);
      const base = tsOverflow * TS_OVERFLOW_US;
      for (let k = 0; k < complete; k++) {
        const i = k * AEDAT3_POLARITY_EVENT_BYTES;
        const data = (c[i] | (c[i + 1] << 8) | (c[i + 2] << 16) | (c[i + 3] << 24)) >>> 0;
        const ts = c[i + 4] | (c[i + 5] << 8) | (c[i + 6] << 16) | (c[i + 7] << 24);
        if ((data & 1) === 0) {
          stats.droppedEvents++;
          continue;
        }
        if (ts < 0) {
          ctx.damage(bodyStart + i + 4, `negative event timestamp ${ts} (expected 0..2^31-1)`, AEDAT3_POLARITY_EVENT_BYTES);
          stats.droppedEvents++;
          continue;
        }
        const x = data >>> 17;
        const y = (data >>> 2) & 0x7fff;
        if (x >= width || y >= height) {
          ctx.outOfRange(bodyStart + i, x, y, width, height, '');
          continue;
        }
        out.push(base + ts, x, y, (data >>> 1) & 1);
        if (out.n === cap) yield out.take();
      }
      if (truncated) {
        const done = complete * eventSize;
        ctx.damage(bodyStart + done, `truncated: polarity packet of ${capacity} events (${bodyBytes} bytes), found ${available} bytes`, available - done);
        break;
      }
      pos = bodyStart + bodyBytes;
    }
    stats.bytes = size;
  },
};
