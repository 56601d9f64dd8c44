import * as zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../emulator/errors.js';
import { canonicalJson, crc32, crc32Update, hashJson } from '../../emulator/trace/index.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32 (IEEE)', () => {
  it('matches the published check values', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(ascii(''))).toBe(0);
    expect(crc32(ascii('a'))).toBe(0xe8b7be43);
    expect(crc32(ascii('abc'))).toBe(0x352441c2);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad); // RFC 3720 test patterns (32 × 0x00, 32 × 0xFF), here under the IEEE polynomial
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });

  it('covers every length around the 8-byte stride and sub-ranges', () => {
    const data = new Uint8Array(48).map((_, i) => (i * 131 + 7) & 0xff);
    // bit-at-a-time reference from the definition (no tables, no word loads)
    const reference = (from: number, to: number) => {
      let c = 0xffffffff;
      for (let i = from; i < to; i++) {
        c ^= data[i];
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    for (let from = 0; from < 8; from++) {
      for (let to = from; to <= 40; to++) {
        expect(crc32(data, from, to)).toBe(reference(from, to));
        expect(crc32(data.subarray(from, to))).toBe(reference(from, to)); // misaligned views
      }
    }
  });

  it('continues across pieces and agrees with zlib on random data', () => {
    const hasZlib = typeof (zlib as unknown as { crc32?: unknown }).crc32 === 'function';
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const k = Math.min(cut, bytes.length);
        expect(crc32Update(crc32(bytes, 0, k), bytes, k)).toBe(crc32(bytes));
        if (hasZlib) expect(crc32(bytes)).toBe((zlib as unknown as { crc32(b: Uint8Array): number }).crc32(bytes));
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('hashJson', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  it('hashes canonical JSON: sorted keys, no spaces, typed arrays as lists', () => {
    const v = { b: [1, 2.5, 'x'], a: { d: null, c: true }, e: new Int32Array([-1, 2]), skip: undefined };
    expect(canonicalJson(v)).toBe('{"a":{"c":true,"d":null},"b":[1,2.5,"x"],"e":[-1,2]}');
    expect(hashJson(v)).toBe(sha('{"a":{"c":true,"d":null},"b":[1,2.5,"x"],"e":[-1,2]}'));
    expect(hashJson(v)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, and changes with any value', () => {
    expect(hashJson({ x: 1, y: { p: [1, 2], q: 'a' } })).toBe(hashJson({ y: { q: 'a', p: [1, 2] }, x: 1 }));
    expect(hashJson({ x: 1 })).not.toBe(hashJson({ x: 2 }));
    expect(hashJson([1, 2])).not.toBe(hashJson([2, 1]));
    expect(hashJson({ a: null })).not.toBe(hashJson({}));
  });

  it('is stable across chunked hashing of large values', () => {
    const big = { w: Array.from({ length: 50_000 }, (_, i) => i * 0.5), name: 'n' };
    expect(hashJson(big)).toBe(sha(canonicalJson(big)));
  });

  it('refuses values JSON cannot represent, naming the field', () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    const cases: [unknown, string][] = [
      [{ a: { b: NaN } }, '$.a.b'],
      [{ a: [1, Infinity] }, '$.a[1]'],
      [{ f: () => 1 }, '$.f'],
      [{ n: 10n }, '$.n'],
      [cyc, '$.self'],
      [[1, undefined], '$[1]'],
      [{ d: new Date(0) }, '$.d'],
      [{ m: new Map() }, '$.m'],
    ];
    for (const [v, where] of cases) {
      let err: unknown;
      try {
        hashJson(v);
      } catch (e) {
        err = e;
      }
      expect(err, where).toBeInstanceOf(InputError);
      expect((err as InputError).problems[0].where).toBe(where);
    }
    // a shared (non-cyclic) object referenced twice is fine
    const shared = { k: 1 };
    expect(() => hashJson({ a: shared, b: shared })).not.toThrow();
  });
});
