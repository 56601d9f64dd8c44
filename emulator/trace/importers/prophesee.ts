/**
 * Prophesee RAW files (EVT 2.0 and EVT 3.0): `%` header lines ending in LF, then little-endian
 * words (big-endian with the `endian: 'be'` option).
 *
 * Header styles: older files say `% evt 2.0` / `% evt 3.0` (size from `% geometry WxH` or the
 * sensor/plugin name), newer ones `% format EVT3;width=1280;height=720`. A `% end` line, when
 * present, ends the header.
 */
import type { DecodeContext } from './block.js';
import { readMarkedLines } from './header.js';
import { sensorSizeFromName } from './sensors.js';
import type { ByteSource } from './source.js';
import type { EventFormat, ImportOptions, RecordingInfo } from './types.js';

const PERCENT = 0x25;

export interface PropheseeHeader {
  /** 'evt2', 'evt3', another format name the header gives, or '' when it gives none. */
  evt: string;
  width: number;
  height: number;
  end: number;
  sensor: string;
}

/** Parse the `%` header lines at the start of a RAW file. */
export function readPropheseeHeader(src: ByteSource, ctx: DecodeContext): PropheseeHeader {
  const { lines, end } = readMarkedLines(src, 0, PERCENT, ctx, (t) => /^%\s*end\s*$/i.test(t));
  let evt = '';
  let width = 0;
  let height = 0;
  let sensor = '';
  for (const { text } of lines) {
    const body = text.replace(/^%\s*/, '');
    let m = /^evt\s+(\d)\.(\d)\s*$/i.exec(body);
    if (m) evt = m[2] === '0' ? `evt${m[1]}` : `evt${m[1]}${m[2]}`;
    m = /^format\s+([^;\s]+)((?:;[^;]*)*)$/i.exec(body);
    if (m) {
      evt = m[1].toLowerCase().replace(/\.0$/, '').replace('.', '');
      for (const kv of m[2].split(';')) {
        const [k, v] = kv.split('=').map((s) => s.trim());
        if (k === 'width') width = Number(v) || 0;
        if (k === 'height') height = Number(v) || 0;
      }
    }
    m = /^geometry\s+(\d+)\s*x\s*(\d+)\s*$/i.exec(body);
    if (m && !width) {
      width = Number(m[1]);
      height = Number(m[2]);
    }
    m = /^(?:plugin_name|sensor_generation|camera_integrator_name|system_ID)\s+(.*)$/i.exec(body);
    if (m && !sensor) {
      const s = sensorSizeFromName(m[1]);
      if (s) sensor = m[1].trim();
    }
  }
  if (!width && sensor) {
    const s = sensorSizeFromName(sensor)!;
    width = s.width;
    height = s.height;
  }
  return { evt, width, height, end, sensor };
}

/** RecordingInfo for an EVT file, refusing a header that names a different encoding. */
export function propheseeInfo(format: EventFormat, src: ByteSource, opts: ImportOptions, ctx: DecodeContext): RecordingInfo {
  const h = readPropheseeHeader(src, ctx);
  if (h.evt && h.evt !== format) ctx.headerError(0, `header says ${h.evt.toUpperCase()}, but the ${format.toUpperCase()} decoder was chosen`);
  return {
    format,
    width: opts.width ?? h.width,
    height: opts.height ?? h.height,
    dataOffset: h.end,
    details: { header: h.evt ? `${h.evt.toUpperCase()} header` : 'no encoding in header', endian: opts.endian ?? 'le', sensor: h.sensor || '(unnamed)' },
  };
}
