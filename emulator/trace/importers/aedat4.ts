/**
 * AEDAT 4.0 (iniVation DV / dv-processing).
 *
 * File: magic `#!AER-DAT4.0\r\n`, uint32 LE length, then a size-prefixed IOHeader flatbuffer
 * (identifier `IOHE`): field 0 compression (0 None, 1 LZ4, 2 LZ4High, 3 Zstd, 4 ZstdHigh),
 * field 1 dataTablePosition (int64, -1 when absent), field 2 infoNode (XML describing the
 * streams: `outInfo/<id>/` nodes with typeIdentifier EVTS/FRME/IMUS/TRIG and info/sizeX, sizeY).
 * Then packets up to the data table: int32 LE stream id, int32 LE size, body. A compressed body
 * is one LZ4 or Zstd frame. The (decompressed) body is a size-prefixed flatbuffer; EVTS packets
 * are EventPacket { elements: [Event] } with Event a 16-byte struct
 * { int64 timestamp (Unix µs), int16 x, int16 y, bool polarity (true = ON), 3 bytes padding }.
 * Packets of other streams (frames, IMU, triggers) are skipped.
 */
import type { FormatDecoder } from './decoder.js';
import { RAW_CONVENTION } from './decoder.js';
import { FlatTable } from './fb.js';
import { DecompressError, lz4DecodeFrame } from './lz4.js';
import { IMPORT_PARAMS } from './params.js';
import { zstdDecodeFrame } from './zstd.js';

export const AEDAT4_MAGIC = '#!AER-DAT4.0\r\n';
export const AEDAT4_PACKET_HEADER_BYTES = 8;
export const AEDAT4_EVENT_BYTES = 16;
export const AEDAT4_COMPRESSIONS = ['None', 'LZ4', 'LZ4High', 'Zstd', 'ZstdHigh'] as const;
const EVENTS_FIELD = 0;

export interface Aedat4Stream {
  id: number;
  type: string;
  width: number;
  height: number;
  source: string;
}

/** Streams described by the IOHeader's XML (`/mainloop/.../outInfo/<id>/` nodes). */
export function parseAedat4Streams(xml: string): Aedat4Stream[] {
  const streams: Aedat4Stream[] = [];
  const nodeRe = /<node\s+name="(\d+)"\s+path="[^"]*outInfo\/\d+\/"\s*>/g;
  const starts: { id: number; at: number }[] = [];
  for (let m = nodeRe.exec(xml); m; m = nodeRe.exec(xml)) starts.push({ id: Number(m[1]), at: m.index });
  for (let k = 0; k < starts.length; k++) {
    const body = xml.slice(starts[k].at, k + 1 < starts.length ? starts[k + 1].at : xml.length);
    const attr = (key: string): string | undefined => {
      const m = new RegExp(`<attr\\s+key="${key}"\\s+type="[^"]*"\\s*>([^<]*)</attr>`).exec(body);
      return m ? m[1].trim() : undefined;
    };
    streams.push({
      id: starts[k].id,
      type: attr('typeIdentifier') ?? '',
      width: Number(attr('sizeX') ?? 0) || 0,
      height: Number(attr('sizeY') ?? 0) || 0,
      source: attr('source') ?? '',
    });
  }
  return streams;
}

export const aedat4Decoder: FormatDecoder = {
  format: 'aedat4',
  title: 'AEDAT 4.0 (DV), EVTS streams, uncompressed / LZ4 / Zstd packets',
  maxEventsPerByte: IMPORT_PARAMS.maxExpansion.value / AEDAT4_EVENT_BYTES,
  readHeader(src, opts, ctx) {
    const magic = src.read(0, AEDAT4_MAGIC.length);
    if (String.fromCharCode(...magic) !== AEDAT4_MAGIC) ctx.headerError(0, "expected the AEDAT 4.0 magic '#!AER-DAT4.0' followed by CRLF");
    const lenAt = AEDAT4_MAGIC.length;
    if (src.size < lenAt + 4) ctx.headerError(lenAt, 'truncated: expected the uint32 IOHeader length');
    const lb = src.read(lenAt, 4);
    const headerBytes = (lb[0] | (lb[1] << 8) | (lb[2] << 16) | (lb[3] << 24)) >>> 0;
    const fbAt = lenAt + 4;
    if (headerBytes > src.size - fbAt) ctx.headerError(lenAt, `IOHeader length ${headerBytes} runs past the end of the ${src.size}-byte file`);
    if (headerBytes > IMPORT_PARAMS.maxHeaderBytes.value) ctx.headerError(lenAt, `IOHeader length ${headerBytes} exceeds the ${IMPORT_PARAMS.maxHeaderBytes.value}-byte header limit`);
    const fb = src.read(fbAt, headerBytes).slice();
    let compression = 0;
    let dataTable = -1;
    let xml = '';
    try {
      const root = FlatTable.root(fb, 'IOHE', 'IOHeader');
      compression = root.int32(0, 0, 'IOHeader.compression');
      dataTable = root.int64(1, -1, 'IOHeader.dataTablePosition');
      xml = root.string(2, 'IOHeader.infoNode') ?? '';
    } catch (err) {
      if (err instanceof DecompressError) ctx.headerError(fbAt + err.offset, err.message);
      throw err;
    }
    if (compression < 0 || compression >= AEDAT4_COMPRESSIONS.length)
      ctx.headerError(fbAt, `IOHeader compression ${compression} (expected 0..4: ${AEDAT4_COMPRESSIONS.join(', ')})`);
    const streams = parseAedat4Streams(xml);
    const wanted = opts.streamId;
    const stream = wanted === undefined ? streams.find((s) => s.type === 'EVTS') : streams.find((s) => s.id === wanted);
    if (!stream) {
      const list = streams.map((s) => `${s.id} ${s.type || '?'}`).join(', ') || 'none';
      return ctx.headerError(fbAt, wanted === undefined ? `no EVTS (event) stream in the header (streams: ${list})` : `no stream ${wanted} in the header (streams: ${list})`);
    }
    if (stream.type !== 'EVTS') ctx.headerError(fbAt, `stream ${stream.id} is ${stream.type || 'untyped'}, not an EVTS event stream`);
    return {
      format: 'aedat4',
      width: opts.width ?? stream.width,
      height: opts.height ?? stream.height,
      dataOffset: fbAt + headerBytes,
      details: {
        compression: AEDAT4_COMPRESSIONS[compression],
        stream: stream.id,
        sensor: stream.source || '(unnamed)',
        dataTablePosition: dataTable,
        streams: streams.map((s) => `${s.id}:${s.type}`).join(' '),
      },
    };
  },
  defaultConvention: () => RAW_CONVENTION,
  *decode(src, info, opts, ctx, out) {
    const width = info.width || 65536;
    const height = info.height || 65536;
    const stats = ctx.stats;
    const cap = out.cap;
    const streamId = Number(info.details.stream);
    const compression = AEDAT4_COMPRESSIONS.indexOf(info.details.compression as (typeof AEDAT4_COMPRESSIONS)[number]);
    const maxPacket = opts.maxPacketBytes ?? IMPORT_PARAMS.maxPacketBytes.value;
    const tablePos = Number(info.details.dataTablePosition);
    const end = tablePos > info.dataOffset && tablePos <= src.size ? tablePos : src.size;
    const scratch = { buffer: new Uint8Array(0) };
    let pos = info.dataOffset;
    while (pos < end) {
      if (end - pos < AEDAT4_PACKET_HEADER_BYTES) {
        ctx.damage(pos, `truncated: expected an ${AEDAT4_PACKET_HEADER_BYTES}-byte packet header (int32 stream id, int32 size), found ${end - pos} bytes`, end - pos);
        break;
      }
      const h = src.read(pos, AEDAT4_PACKET_HEADER_BYTES);
      const sid = h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24);
      const size = h[4] | (h[5] << 8) | (h[6] << 16) | (h[7] << 24);
      const bodyAt = pos + AEDAT4_PACKET_HEADER_BYTES;
      if (size < 0 || size > end - bodyAt) {
        ctx.damage(pos + 4, size < 0 ? `bad packet size ${size}` : `truncated: packet of ${size} bytes, found ${end - bodyAt}`, end - pos);
        break;
      }
      pos = bodyAt + size;
      if (sid !== streamId) {
        stats.otherRecords++;
        continue;
      }
      let d: Uint8Array;
      let elements: { start: number; length: number } | undefined;
      try {
        const body = src.read(bodyAt, size);
        const limit = Math.min(maxPacket, size * IMPORT_PARAMS.maxExpansion.value + 65536);
        let fb: Uint8Array;
        if (compression === 0) fb = body;
        else {
          const r = compression <= 2 ? lz4DecodeFrame(body, limit, scratch) : zstdDecodeFrame(body, limit);
          if (r.frameBytes !== size) throw new DecompressError(r.frameBytes, `${size - r.frameBytes} unexpected bytes after the compressed frame`);
          fb = r.data;
        }
        if (fb.length < 4) throw new DecompressError(0, 'packet too short for a size-prefixed flatbuffer');
        const fbSize = (fb[0] | (fb[1] << 8) | (fb[2] << 16) | (fb[3] << 24)) >>> 0;
        if (fbSize > fb.length - 4) throw new DecompressError(0, `flatbuffer size prefix ${fbSize} exceeds the ${fb.length - 4} bytes of the packet`);
        d = fb.subarray(4, 4 + fbSize);
        elements = FlatTable.root(d, 'EVTS', 'EventPacket').vector(EVENTS_FIELD, AEDAT4_EVENT_BYTES, 'EventPacket.elements');
      } catch (err) {
        if (!(err instanceof DecompressError)) throw err;
        const where = compression === 0 ? bodyAt + 4 + err.offset : bodyAt;
        const inside = compression === 0 ? '' : ` (offset ${err.offset} in the ${AEDAT4_COMPRESSIONS[compression]} data)`;
        ctx.damage(where, `packet of stream ${sid} at byte ${bodyAt - AEDAT4_PACKET_HEADER_BYTES}: ${err.message}${inside}`, size);
        continue;
      }
      if (!elements) continue;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let k = 0, o = elements.start; k < elements.length; k++, o += AEDAT4_EVENT_BYTES) {
        const t = dv.getInt32(o + 4, true) * 4294967296 + dv.getUint32(o, true);
        const x = dv.getInt16(o + 8, true);
        const y = dv.getInt16(o + 10, true);
        if (x < 0 || y < 0 || x >= width || y >= height) {
          if (compression === 0) ctx.outOfRange(bodyAt + 4 + o, x, y, width, height, '');
          else ctx.outOfRange(bodyAt, x, y, width, height, ` (event ${k} of the packet)`);
          continue;
        }
        out.push(t, x, y, d[o + 12] !== 0 ? 1 : 0);
        if (out.n === cap) yield out.take();
      }
    }
    stats.bytes = src.size;
  },
};
