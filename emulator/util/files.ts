/**
 * Reading input files with clear errors: missing, unreadable, empty, binary where text is
 * expected, or too large to be a plausible description.
 */
import * as fs from 'node:fs';
import { InputError } from '../errors.js';

/** Largest text description (network, arch, energy table) we will read: 512 MiB. */
export const MAX_TEXT_INPUT_BYTES = 512 * 1024 * 1024;

/** Read a file's bytes, or throw an InputError naming the file. */
export function readInputBytes(file: string): Uint8Array {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ where: '', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code})` }]);
  }
  if (st.isDirectory()) throw new InputError(file, [{ where: '', message: 'is a folder, expected a file' }]);
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new InputError(file, [{ where: '', message: `cannot read (${(err as NodeJS.ErrnoException).code})` }]);
  }
}

/** Read a text description (YAML/JSON): rejects empty, binary and oversized files. */
export function readInputText(file: string): string {
  const bytes = readInputBytes(file);
  if (bytes.length === 0) throw new InputError(file, [{ where: '', message: 'file is empty' }]);
  if (bytes.length > MAX_TEXT_INPUT_BYTES)
    throw new InputError(file, [{ where: '', message: `file is ${bytes.length} bytes, larger than the ${MAX_TEXT_INPUT_BYTES}-byte limit for text descriptions` }]);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new InputError(file, [{ where: `byte ${nul}`, message: 'binary data (NUL byte) where a YAML or JSON text was expected' }]);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) throw new InputError(file, [{ where: `character ${bad}`, message: 'not valid UTF-8 text' }]);
  return text;
}
