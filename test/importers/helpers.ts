/** Shared helpers of the importer tests. */
import { expect } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { importEvents, type EventBlock, type ImportOptions } from '../../emulator/trace/importers/index.js';

export function decode(bytes: Uint8Array, opts: ImportOptions = {}) {
  return importEvents(bytes, { source: '<fixture>', ...opts });
}

/** Events as plain rows (small fixtures only). */
export function rows(b: EventBlock): [number, number, number, number][] {
  return Array.from(b.t, (t, i) => [t, b.x[i], b.y[i], b.p[i]]);
}

/** Expect an InputError whose (first) problem names `byte N` and contains `text`. */
export function expectInputError(fn: () => unknown, byte: number | undefined, text: string | RegExp): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  const e = caught as InputError;
  if (byte !== undefined) expect(e.problems[0].where).toBe(`byte ${byte}`);
  expect(e.problems[0].message).toMatch(text);
  return e;
}
