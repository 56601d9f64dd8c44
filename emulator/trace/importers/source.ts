/**
 * Byte sources the decoders read from: a buffer already in memory, or a file read in windows so
 * memory stays bounded by the window (and the largest AEDAT packet), not by the file size.
 */
import * as fs from 'node:fs';
import { InputError } from '../../errors.js';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Bytes [pos, pos + len) clipped to the end of the source. The returned view may be reused by
   * the next `read`, so callers consume it before reading again.
   */
  read(pos: number, len: number): Uint8Array;
  /** Release the file handle, if any. */
  close(): void;
}

/** A source over bytes in memory (views, never copies). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(pos: number, len: number): Uint8Array {
      const start = Math.min(Math.max(pos, 0), bytes.length);
      return bytes.subarray(start, Math.min(start + Math.max(len, 0), bytes.length));
    },
    close(): void {},
  };
}

/** A source over a file, read on demand through one reusable buffer. */
export function fileSource(file: string): ByteSource {
  let fd: number;
  let size: number;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new InputError(file, [{ where: '', message: 'is a folder, expected a file' }]);
    size = st.size;
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ where: '', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code})` }]);
  }
  let buf = new Uint8Array(0);
  let open = true;
  return {
    size,
    read(pos: number, len: number): Uint8Array {
      const start = Math.min(Math.max(pos, 0), size);
      const n = Math.min(Math.max(len, 0), size - start);
      if (buf.length < n) buf = new Uint8Array(Math.max(n, Math.min(buf.length * 2, size)));
      let got = 0;
      try {
        while (got < n) {
          const r = fs.readSync(fd, buf, got, n - got, start + got);
          if (r === 0) break;
          got += r;
        }
      } catch (err) {
        throw new InputError(file, [{ where: `byte ${start + got}`, message: `cannot read (${(err as NodeJS.ErrnoException).code})` }]);
      }
      return buf.subarray(0, got);
    },
    close(): void {
      if (open) {
        open = false;
        fs.closeSync(fd);
      }
    },
  };
}
