/**
 * Importers of external event-camera formats: AEDAT 2.0 / 3.1 / 4.0, N-MNIST ATIS .bin and
 * Prophesee EVT 2.0 / 3.0. Public face of emulator/trace/importers.
 *
 *   const imp = openEvents('rec.aedat4', { format: 'auto' });
 *   for (const block of imp.blocks()) { ... block.t, block.x, block.y, block.p ... }
 *   imp.stats  // complete once blocks() is exhausted
 *
 * Decoding streams: the file is read in windows (or packet by packet) and events come out in
 * blocks of typed arrays; nothing is allocated per event.
 */
import { InputError } from '../../errors.js';
import { aedat2Decoder } from './aedat2.js';
import { aedat3Decoder } from './aedat3.js';
import { aedat4Decoder } from './aedat4.js';
import { BlockBuilder, DecodeContext } from './block.js';
import type { FormatDecoder } from './decoder.js';
import { evt2Decoder } from './evt2.js';
import { evt3Decoder } from './evt3.js';
import { leadingText } from './header.js';
import { nmnistDecoder } from './nmnist.js';
import { IMPORT_PARAMS } from './params.js';
import { readPropheseeHeader } from './prophesee.js';
import { fileSource, memorySource, type ByteSource } from './source.js';
import { emptyStats, EVENT_FORMATS, type Convention, type EventBlock, type EventFormat, type ImportOptions, type ImportStats, type RecordingInfo } from './types.js';

export * from './types.js';
export { IMPORT_PARAMS, type ImportParam } from './params.js';
export { memorySource, fileSource, type ByteSource } from './source.js';
export { JAER_DVS128_CONVENTION } from './aedat2.js';
export { parseAedat4Streams, type Aedat4Stream } from './aedat4.js';
export type { FormatDecoder } from './decoder.js';

export const DECODERS: Record<EventFormat, FormatDecoder> = {
  aedat2: aedat2Decoder,
  aedat3: aedat3Decoder,
  aedat4: aedat4Decoder,
  nmnist: nmnistDecoder,
  evt2: evt2Decoder,
  evt3: evt3Decoder,
};

/**
 * The format of a recording, from its first bytes: `#!AER-DAT2.0`, `#!AER-DAT3.1`,
 * `#!AER-DAT4.0`, a `%` header naming EVT 2.0 or EVT 3.0; anything without a header is taken
 * as N-MNIST/ATIS .bin (that format has none).
 */
export function detectFormat(src: ByteSource, source = '<events>'): EventFormat {
  if (src.size === 0) throw new InputError(source, [{ where: '', message: 'file is empty' }]);
  const head = leadingText(src, 16);
  if (head.startsWith('#!AER-DAT2.')) return 'aedat2';
  if (head.startsWith('#!AER-DAT3.')) return 'aedat3';
  if (head.startsWith('#!AER-DAT4.')) return 'aedat4';
  if (head.startsWith('#!AER-DAT'))
    throw new InputError(source, [{ where: 'byte 0', message: `unsupported AEDAT version '${head.slice(0, 12).trim()}' (supported: 2.0, 3.1, 4.0)` }]);
  if (head.startsWith('%')) {
    const h = readPropheseeHeader(src, new DecodeContext(source, false, emptyStats()));
    if (h.evt === 'evt2' || h.evt === 'evt3') return h.evt;
    throw new InputError(source, [
      {
        where: 'byte 0',
        message: h.evt
          ? `Prophesee RAW encoding '${h.evt.toUpperCase()}' is not supported (supported: EVT2, EVT3)`
          : 'Prophesee RAW header names no encoding; pass --format evt2 or --format evt3',
      },
    ]);
  }
  return 'nmnist';
}

/** The convention for a recording: the format's default with the caller's overrides. */
export function resolveConvention(decoder: FormatDecoder, info: RecordingInfo, opts: ImportOptions): Convention {
  const d = decoder.defaultConvention(info);
  return {
    polarity: opts.polarity ?? d.polarity,
    flipX: opts.flipX ?? d.flipX,
    flipY: opts.flipY ?? d.flipY,
    swapXY: opts.swapXY ?? d.swapXY,
  };
}

/** An opened recording: header facts now, events when `blocks()` is iterated (once). */
export interface EventImport {
  readonly format: EventFormat;
  /** Header facts; width/height are the raw sensor axes (before the swap). */
  readonly info: RecordingInfo;
  readonly convention: Convention;
  /** Sensor size of the output events (after the axis swap). */
  readonly sensor: { width: number; height: number };
  /** Counts; complete after `blocks()` has been iterated to the end. */
  readonly stats: ImportStats;
  blocks(): Generator<EventBlock, void, undefined>;
}

function checkOptions(opts: ImportOptions, source: string): void {
  const bad: string[] = [];
  if (opts.format !== undefined && opts.format !== 'auto' && !EVENT_FORMATS.includes(opts.format)) bad.push(`format '${String(opts.format)}' (expected auto, ${EVENT_FORMATS.join(', ')})`);
  for (const k of ['width', 'height'] as const) {
    const v = opts[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 65536)) bad.push(`${k} ${v} (expected an integer 1..65536)`);
  }
  if (opts.blockEvents !== undefined && !(Number.isInteger(opts.blockEvents) && opts.blockEvents >= 1 && opts.blockEvents <= 1 << 24))
    bad.push(`blockEvents ${opts.blockEvents} (expected an integer 1..16777216)`);
  if (opts.maxPacketBytes !== undefined && !(Number.isInteger(opts.maxPacketBytes) && opts.maxPacketBytes >= 1)) bad.push(`maxPacketBytes ${opts.maxPacketBytes} (expected a positive integer)`);
  if (bad.length) throw new InputError(source, bad.map((message) => ({ where: 'options', message })));
}

/** Largest raw x and y in the recording (a decoding pass), for sizes no header gives. */
function scanExtent(decoder: FormatDecoder, src: ByteSource, info: RecordingInfo, opts: ImportOptions, source: string): { width: number; height: number } {
  const ctx = new DecodeContext(source, Boolean(opts.lenient), emptyStats());
  const b = new BlockBuilder(IMPORT_PARAMS.blockEvents.value);
  let mx = -1;
  let my = -1;
  const scan = (blk: EventBlock): void => {
    for (let i = 0; i < blk.x.length; i++) {
      if (blk.x[i] > mx) mx = blk.x[i];
      if (blk.y[i] > my) my = blk.y[i];
    }
  };
  for (const blk of decoder.decode(src, info, opts, ctx, b)) scan(blk);
  scan(b.take());
  return { width: mx + 1, height: my + 1 };
}

/**
 * Open a recording (a file path or bytes in memory). The header is read and checked now;
 * events are decoded lazily by `blocks()`.
 */
export function openEvents(input: string | Uint8Array, opts: ImportOptions = {}): EventImport {
  const source = opts.source ?? (typeof input === 'string' ? input : '<events>');
  checkOptions(opts, source);
  const src = typeof input === 'string' ? fileSource(input) : memorySource(input);
  try {
    const auto = !opts.format || opts.format === 'auto';
    const format: EventFormat = auto ? detectFormat(src, source) : (opts.format as EventFormat);
    const decoder = DECODERS[format];
    if (auto && format === 'nmnist') return withGuessHint(openFormat(decoder, src, source, { ...opts, format }), source);
    return openFormat(decoder, src, source, { ...opts, format });
  } catch (err) {
    src.close();
    throw err;
  }
}

const GUESS_HINT = ' (no AEDAT or Prophesee header was found, so the file was read as headerless N-MNIST/ATIS .bin; pass --format if it is something else)';

/** Auto-detection fell back to N-MNIST: say so in any error the decoding raises. */
function withGuessHint(imp: EventImport, source: string): EventImport {
  const blocks = function* (): Generator<EventBlock, void, undefined> {
    try {
      yield* imp.blocks();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      throw new InputError(source, err.problems.map((p, i) => (i === 0 ? { where: p.where, message: p.message + GUESS_HINT } : p)));
    }
  };
  imp.info.details.detected = 'no header: read as N-MNIST / ATIS .bin';
  return { ...imp, blocks, stats: imp.stats };
}

function openFormat(decoder: FormatDecoder, src: ByteSource, source: string, opts: ImportOptions): EventImport {
  const format = decoder.format;
  try {
    const stats = emptyStats();
    const ctx = new DecodeContext(source, Boolean(opts.lenient), stats);
    const info = decoder.readHeader(src, opts, ctx);
    if (info.width === 0 || info.height === 0) {
      const ext = scanExtent(decoder, src, info, opts, source);
      if (!info.width) info.width = Math.max(1, ext.width);
      if (!info.height) info.height = Math.max(1, ext.height);
      info.details.size = 'from the largest coordinates (no size in the header)';
    }
    const convention = resolveConvention(decoder, info, opts);
    const sensor = convention.swapXY ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
    let used = false;
    const blocks = function* (): Generator<EventBlock, void, undefined> {
      if (used) throw new Error('EventImport.blocks() can be iterated only once');
      used = true;
      const builder = new BlockBuilder(opts.blockEvents ?? IMPORT_PARAMS.blockEvents.value);
      try {
        for (const b of decoder.decode(src, info, opts, ctx, builder)) yield applyConvention(b, convention, info.width, info.height);
        if (builder.n > 0) yield applyConvention(builder.take(), convention, info.width, info.height);
        stats.events = builder.total;
        stats.clampedTimestamps = builder.clamped;
        stats.firstTime = builder.first;
        stats.lastTime = builder.total > 0 ? builder.last : NaN;
      } finally {
        src.close();
      }
    };
    return { format, info, convention, sensor, stats, blocks };
  } catch (err) {
    src.close();
    throw err;
  }
}

/** Apply polarity, flips and swap to a block in place (the swap exchanges the x and y arrays). */
export function applyConvention(b: EventBlock, c: Convention, width: number, height: number): EventBlock {
  const n = b.t.length;
  if (c.polarity === 'raw0-on') {
    const p = b.p;
    for (let i = 0; i < n; i++) p[i] ^= 1;
  }
  if (c.flipX) {
    const x = b.x;
    const w1 = width - 1;
    for (let i = 0; i < n; i++) x[i] = w1 - x[i];
  }
  if (c.flipY) {
    const y = b.y;
    const h1 = height - 1;
    for (let i = 0; i < n; i++) y[i] = h1 - y[i];
  }
  return c.swapXY ? { t: b.t, x: b.y, y: b.x, p: b.p } : b;
}

/** Join blocks into one (for tests and small recordings). */
export function concatBlocks(blocks: readonly EventBlock[]): EventBlock {
  const n = blocks.reduce((s, b) => s + b.t.length, 0);
  const out: EventBlock = { t: new Float64Array(n), x: new Uint16Array(n), y: new Uint16Array(n), p: new Uint8Array(n) };
  let o = 0;
  for (const b of blocks) {
    out.t.set(b.t, o);
    out.x.set(b.x, o);
    out.y.set(b.y, o);
    out.p.set(b.p, o);
    o += b.t.length;
  }
  return out;
}

/** Decode a whole recording into one block (convenience over `openEvents`). */
export function importEvents(input: string | Uint8Array, opts: ImportOptions = {}): { imp: EventImport; events: EventBlock } {
  const imp = openEvents(input, opts);
  const blocks = [...imp.blocks()];
  return { imp, events: concatBlocks(blocks) };
}
