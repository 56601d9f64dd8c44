/**
 * Text header lines of AEDAT 2.0/3.1 (`#` lines) and Prophesee RAW (`%` lines). Lines end with LF,
 * optionally preceded by CR (the AEDAT spec says CRLF; real files also use LF).
 */
import type { ByteSource } from './source.js';
import type { DecodeContext } from './block.js';
import { IMPORT_PARAMS } from './params.js';

export interface HeaderLine {
  /** Text without the line ending. */
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
}

const LF = 0x0a;
const CR = 0x0d;

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, Math.min(i + 4096, bytes.length)));
  return s;
}

/**
 * Read consecutive lines starting at `start` whose first byte is `marker`. Stops before the first
 * line that does not start with `marker`, or right after a line for which `isLast` is true.
 * A header line that reaches the end of the file without a line end is an error.
 */
export function readMarkedLines(
  src: ByteSource,
  start: number,
  marker: number,
  ctx: DecodeContext,
  isLast: (text: string) => boolean = () => false,
): { lines: HeaderLine[]; end: number } {
  const lines: HeaderLine[] = [];
  const limit = Math.min(src.size, start + IMPORT_PARAMS.maxHeaderBytes.value);
  let pos = start;
  let window = 64 * 1024;
  while (pos < src.size) {
    const head = src.read(pos, 1);
    if (head[0] !== marker) break;
    let view = src.read(pos, window);
    let nl = view.indexOf(LF);
    while (nl < 0 && pos + view.length < src.size && pos + view.length < limit) {
      window *= 2;
      view = src.read(pos, window);
      nl = view.indexOf(LF);
    }
    if (nl < 0) {
      if (pos + view.length >= limit && limit < src.size)
        ctx.headerError(pos, `header line longer than the ${IMPORT_PARAMS.maxHeaderBytes.value}-byte header limit`);
      ctx.headerError(src.size, `file ends inside a header line (expected a line end after the line starting at byte ${pos})`);
    }
    const textEnd = nl > 0 && view[nl - 1] === CR ? nl - 1 : nl;
    const text = latin1(view.subarray(0, textEnd));
    lines.push({ text, offset: pos });
    pos += nl + 1;
    if (pos > limit) ctx.headerError(pos, `header longer than the ${IMPORT_PARAMS.maxHeaderBytes.value}-byte limit`);
    if (isLast(text)) break;
  }
  return { lines, end: pos };
}

/** The first `n` bytes as text (for magic numbers). */
export function leadingText(src: ByteSource, n: number): string {
  return latin1(src.read(0, n));
}
