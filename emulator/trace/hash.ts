/**
 * A stable identity for a network (or any JSON-like value) embedded in a trace: the SHA-256 of
 * its canonical JSON. Canonical means: object keys sorted by UTF-16 code unit order, no
 * whitespace, numbers as JavaScript's shortest round-trip form (JSON.stringify), typed arrays
 * written as plain arrays, `undefined` object members left out (as JSON does). Two values that
 * are equal as data hash the same whatever order their keys were built in.
 *
 * Values JSON cannot represent faithfully (NaN, ±Infinity, bigint, functions, symbols, cycles,
 * `undefined` inside arrays) are refused with an InputError naming the field path, rather than
 * being silently turned into `null` and colliding with a genuine `null`.
 */
import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../errors.js';

/** Flush the canonical text into the hash in pieces of about this many characters. */
const HASH_PIECE_CHARS = 1 << 16;

/** `sha256` of the canonical JSON of `value`, as 64 lowercase hex digits. */
export function hashJson(value: unknown, source = '<hash>'): string {
  const h = createHash('sha256');
  const out = new CanonicalWriter(h);
  out.value(value, '$', source, new Set());
  out.flush();
  return h.digest('hex');
}

/** The canonical JSON text that `hashJson` hashes (for tests and debugging; builds the whole string). */
export function canonicalJson(value: unknown, source = '<hash>'): string {
  const parts: string[] = [];
  const sink = { update: (s: string) => parts.push(s) };
  const out = new CanonicalWriter(sink);
  out.value(value, '$', source, new Set());
  out.flush();
  return parts.join('');
}

interface TextSink {
  update(s: string): unknown;
}

class CanonicalWriter {
  private buf = '';
  constructor(private readonly sink: TextSink | Hash) {}

  private put(s: string): void {
    this.buf += s;
    if (this.buf.length >= HASH_PIECE_CHARS) this.flush();
  }

  flush(): void {
    if (this.buf.length) (this.sink as TextSink).update(this.buf);
    this.buf = '';
  }

  value(v: unknown, path: string, source: string, seen: Set<object>): void {
    switch (typeof v) {
      case 'string':
        this.put(JSON.stringify(v));
        return;
      case 'boolean':
        this.put(v ? 'true' : 'false');
        return;
      case 'number':
        if (!Number.isFinite(v)) refuse(source, path, `${v} has no JSON form`);
        this.put(JSON.stringify(v));
        return;
      case 'object':
        break;
      default:
        refuse(source, path, `a ${typeof v} has no JSON form`);
    }
    if (v === null) {
      this.put('null');
      return;
    }
    if (seen.has(v)) refuse(source, path, 'refers back to itself (a cycle has no JSON form)');
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView) refuse(source, path, 'a DataView has no JSON form');
      const arr = v as unknown as ArrayLike<number | bigint>;
      this.put('[');
      for (let i = 0; i < arr.length; i++) {
        if (i) this.put(',');
        this.value(arr[i], `${path}[${i}]`, source, seen);
      }
      this.put(']');
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      refuse(source, path, `a ${(v as object).constructor?.name ?? 'class instance'} has no canonical JSON form (use plain data)`);
    }
    seen.add(v);
    if (Array.isArray(v)) {
      this.put('[');
      for (let i = 0; i < v.length; i++) {
        if (i) this.put(',');
        if (v[i] === undefined) refuse(source, `${path}[${i}]`, 'undefined inside a list has no JSON form');
        this.value(v[i], `${path}[${i}]`, source, seen);
      }
      this.put(']');
    } else {
      const rec = v as Record<string, unknown>;
      const keys = Object.keys(rec)
        .filter((k) => rec[k] !== undefined)
        .sort();
      this.put('{');
      for (let i = 0; i < keys.length; i++) {
        if (i) this.put(',');
        this.put(JSON.stringify(keys[i]));
        this.put(':');
        this.value(rec[keys[i]], `${path}.${keys[i]}`, source, seen);
      }
      this.put('}');
    }
    seen.delete(v);
  }
}

function refuse(source: string, path: string, message: string): never {
  throw new InputError(source, [{ where: path, message: `cannot hash: ${message}` }]);
}
