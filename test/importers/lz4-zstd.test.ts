import fc from 'fast-check';
import { compress as lz4Compress } from 'lz4js';
import { describe, expect, it } from 'vitest';
import { DecompressError, lz4DecodeFrame } from '../../emulator/trace/importers/lz4.js';
import { zstdDecodeFrame } from '../../emulator/trace/importers/zstd.js';
import { concat, enc, xxh32, zstdFrame } from '../fixtures/events/builders.js';

/** An LZ4 frame around hand-made blocks (FLG version 01 plus `flags`, BD 64 KiB, correct HC). */
function lz4Frame(flags: number, blocks: { data: Uint8Array; uncompressed?: boolean; checksum?: boolean }[], opts: { contentSize?: number; contentChecksum?: number } = {}): Uint8Array {
  const desc = [0x40 | flags, 0x40];
  if (opts.contentSize !== undefined) for (let k = 0; k < 8; k++) desc.push(k < 4 ? (opts.contentSize >>> (8 * k)) & 0xff : 0);
  const d = new Uint8Array(desc);
  const hc = (xxh32(0, d, 0, d.length) >>> 8) & 0xff;
  const parts: Uint8Array[] = [new Uint8Array([0x04, 0x22, 0x4d, 0x18]), d, new Uint8Array([hc])];
  const u32 = (v: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return b;
  };
  for (const b of blocks) {
    parts.push(u32(b.data.length | (b.uncompressed ? 0x80000000 : 0)), b.data);
    if (b.checksum) parts.push(u32(xxh32(0, b.data, 0, b.data.length)));
  }
  parts.push(u32(0));
  if (opts.contentChecksum !== undefined) parts.push(u32(opts.contentChecksum));
  return concat(...parts);
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('LZ4 frames', () => {
  it("lz4js's xxHash32 matches the reference values", () => {
    expect(xxh32(0, new Uint8Array(0), 0, 0)).toBe(0x02cc5d05);
    expect(xxh32(0, enc('abc'), 0, 3)).toBe(0x32d153ff);
  });

  it('decodes literals and an overlapping match (offset 3, length 9)', () => {
    const block = concat(new Uint8Array([0x35]), enc('abc'), new Uint8Array([3, 0, 0x50]), enc('12345'));
    expect(text(lz4DecodeFrame(lz4Frame(0x20, [{ data: block }]), 1 << 20).data)).toBe('abcabcabcabc12345');
  });

  it('linked blocks reach into the previous block; independent blocks may not', () => {
    const blocks = [{ data: enc('hello world!'), uncompressed: true }, { data: concat(new Uint8Array([0x08, 12, 0, 0x10]), enc('.')) }];
    expect(text(lz4DecodeFrame(lz4Frame(0x00, blocks), 1 << 20).data)).toBe('hello world!hello world!.');
    expect(() => lz4DecodeFrame(lz4Frame(0x20, blocks), 1 << 20)).toThrow(/match offset 12 reaches before the start/);
  });

  it('checks content size, block checksums and the content checksum', () => {
    const data = enc('event data');
    const ok = lz4Frame(0x20 | 0x10 | 0x08 | 0x04, [{ data, uncompressed: true, checksum: true }], { contentSize: data.length, contentChecksum: xxh32(0, data, 0, data.length) });
    expect(text(lz4DecodeFrame(ok, 100).data)).toBe('event data');
    const badContent = lz4Frame(0x20 | 0x04, [{ data, uncompressed: true }], { contentChecksum: 1234 });
    expect(() => lz4DecodeFrame(badContent, 100)).toThrow(/content checksum mismatch/);
    const badSize = lz4Frame(0x20 | 0x08, [{ data, uncompressed: true }], { contentSize: 3 });
    expect(() => lz4DecodeFrame(badSize, 100)).toThrow(/exceeds the declared content size/);
  });

  it('reports a bad header checksum at its offset and refuses output over the limit', () => {
    const f = lz4Frame(0x20, [{ data: enc('x'.repeat(100)), uncompressed: true }]);
    const bad = f.slice();
    bad[6] ^= 1;
    try {
      lz4DecodeFrame(bad, 1000);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DecompressError);
      expect((err as DecompressError).offset).toBe(6);
    }
    expect(() => lz4DecodeFrame(f, 50)).toThrow(/50-byte limit/);
  });

  it('refuses a frame whose header claims a huge content size before allocating anything', () => {
    const f = lz4Frame(0x20 | 0x08, [{ data: enc('tiny'), uncompressed: true }], { contentSize: 0xfffffff0 });
    expect(() => lz4DecodeFrame(f, 1 << 20)).toThrow(DecompressError);
    expect(() => lz4DecodeFrame(f, 1 << 20)).toThrow(/content size 4294967280 is more than its blocks can hold \(4\)/);
  });

  it('round-trips whatever lz4js compresses (fast-check, with repetitive inputs)', () => {
    const arb = fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 40 })), { maxLength: 30 }).map((runs) => concat(...runs.flatMap(([chunk, reps]) => Array.from({ length: reps }, () => chunk))));
    fc.assert(
      fc.property(arb, (data) => {
        const frame = lz4Compress(data);
        expect(Array.from(lz4DecodeFrame(frame, data.length + 65536).data)).toEqual(Array.from(data));
      }),
      { seed: 42, numRuns: 200 },
    );
    // and that lz4js really produced compressed blocks for repetitive data
    const frame = lz4Compress(new Uint8Array(4096).fill(7));
    expect(new DataView(frame.buffer, frame.byteOffset).getUint32(7, true) & 0x80000000).toBe(0);
  });
});

describe('Zstd frames', () => {
  it('decodes hand-built raw and RLE blocks (RFC 8878), with 1-, 2- and 4-byte content sizes', () => {
    for (const n of [10, 300, 70000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 7) & 0xff);
      data.fill(9, n >> 2, n >> 1);
      const frame = zstdFrame(data, { rleRuns: [[n >> 2, (n >> 1) - (n >> 2)]] });
      const out = zstdDecodeFrame(frame, 1 << 20);
      expect(out.frameBytes).toBe(frame.length);
      expect(Array.from(out.data)).toEqual(Array.from(data));
    }
  });

  it('bounds the output before allocating and reports truncation', () => {
    const frame = zstdFrame(new Uint8Array(1000).fill(1), { rleRuns: [[0, 1000]] });
    expect(() => zstdDecodeFrame(frame, 999)).toThrow(/more than the 999-byte limit/);
    expect(() => zstdDecodeFrame(frame.subarray(0, frame.length - 1), 1 << 20)).toThrow(/truncated/);
    // a frame claiming a 4 GiB content size in its header is refused before anything is allocated
    const huge = concat(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0xff, 0xff, 0xff, 0xff]), frame.subarray(7));
    expect(() => zstdDecodeFrame(huge, 1 << 30)).toThrow(/content size 4294967295 is more than its blocks can hold/);
    const reserved = frame.slice();
    reserved[7] = (reserved[7] & ~0x06) | 0x06; // block type 3
    expect(() => zstdDecodeFrame(reserved, 1 << 20)).toThrow(/reserved type 3/);
  });
});
