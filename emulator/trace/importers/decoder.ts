/** The shape every format decoder implements (one module per format). */
import type { BlockBuilder, DecodeContext } from './block.js';
import type { ByteSource } from './source.js';
import type { Convention, EventBlock, EventFormat, ImportOptions, RecordingInfo } from './types.js';

export interface FormatDecoder {
  readonly format: EventFormat;
  /** One line for listings. */
  readonly title: string;
  /** Parse the header (or take defaults for headerless formats); errors are InputErrors. */
  readHeader(src: ByteSource, opts: ImportOptions, ctx: DecodeContext): RecordingInfo;
  /** The convention used when the caller sets none (documented in docs/EVENT-FORMATS.md). */
  defaultConvention(info: RecordingInfo): Convention;
  /** Decode the events after the header, yielding full blocks; the caller takes the last partial block. */
  decode(src: ByteSource, info: RecordingInfo, opts: ImportOptions, ctx: DecodeContext, out: BlockBuilder): Generator<EventBlock, void, undefined>;
  /** Upper bound of events per input byte (vector words, compression); fuzz tests check it. */
  readonly maxEventsPerByte: number;
}

export const RAW_CONVENTION: Convention = { polarity: 'raw1-on', flipX: false, flipY: false, swapXY: false };

/** Round a window down to whole records. */
export function recordWindow(windowBytes: number, recordBytes: number): number {
  return Math.max(recordBytes, windowBytes - (windowBytes % recordBytes));
}
