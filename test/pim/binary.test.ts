import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { BinaryCrossbar, hammingPacked, lastWordMask, makeCrossbarParams, popcount32 } from '../../emulator/pim/index.js';
import { flipBits, hammingRef, randomBits } from './helpers.js';

const D = 1024;
const N = 1000;

function filled(params: ReturnType<typeof makeCrossbarParams>, opts: { dimension: number; capacity: number; seed?: number; path?: 'auto' | 'analog' | 'packed' }) {
  const m = new BinaryCrossbar(params, opts);
  for (let r = 0; r < opts.capacity; r++) m.writeRow(r, randomBits(21, r, opts.dimension));
  return m;
}

describe('packed popcount', () => {
  it('SWAR popcount counts bits of any 32-bit word', () => {
    for (const v of [0, 1, 0x80000000, 0xffffffff, 0x55555555, 0x12345678, 0xdeadbeef]) {
      let n = 0;
      for (let b = 0; b < 32; b++) n += (v >>> b) & 1;
      expect(popcount32(v)).toBe(n);
    }
  });

  it('packed Hamming distance matches a bit-by-bit count, masking bits past D', () => {
    for (const dim of [1, 31, 32, 33, 100, 255, 256, 257, 288, 289, 1024, 10_000]) {
      const a = randomBits(1, 1, dim);
      const b = randomBits(1, 2, dim);
      const junk = new Uint32Array(b);
      junk[junk.length - 1] |= ~lastWordMask(dim) >>> 0; // garbage past D must not count
      expect(hammingPacked(a, junk, 0, a.length, lastWordMask(dim))).toBe(hammingRef(a, b, dim));
    }
  });
});

describe('binary (HDC) crossbar', () => {
  it('finds the right row among 1,000 stored D = 1,024 vectors with 30 % of the query bits flipped', () => {
    const m = filled(makeCrossbarParams({ rows: 1024, cols: 1024, adcBits: 10 }), { dimension: D, capacity: N });
    expect(m.fastPath).toBe(true);
    for (const target of [0, 417, 999]) {
      const q = flipBits(m.storedRow(target), D, Math.round(0.3 * D), target + 1);
      const res = m.hammingSearch(q, 3);
      expect(res.rows[0]).toBe(target);
      expect(res.distances[0]).toBe(Math.round(0.3 * D));
      expect(res.distances[1]).toBeGreaterThan(res.distances[0]);
    }
  });

  it('still finds it through noisy cells and a coarse 5-bit ADC (analog path)', () => {
    const p = makeCrossbarParams({
      rows: 1024, cols: 1024, adcBits: 5,
      nonIdealities: { programmingError: { sigma: 0.1 }, readNoise: { sigma: 0.1 }, stuckAt: { high: 0.01, low: 0.09 }, onOffRatio: 5 },
    });
    const m = filled(p, { dimension: D, capacity: N, seed: 3 });
    expect(m.fastPath).toBe(false);
    for (const target of [5, 640]) {
      const q = flipBits(m.storedRow(target), D, Math.round(0.3 * D), target + 7);
      expect(m.hammingSearch(q, 1).rows[0]).toBe(target);
    }
  });

  it('packed fast path and analog path agree exactly with ideal devices (multi-segment, multi-block)', () => {
    // 64 rows × 128 columns per array: 64 bits per segment, 1000 bits → 16 segments; 150 rows → 3 blocks
    const p = makeCrossbarParams({ rows: 64, cols: 128, adcBits: 7, columnsPerAdc: 4 });
    const dim = 1000;
    const cap = 150;
    const fast = filled(p, { dimension: dim, capacity: cap });
    const slow = filled(p, { dimension: dim, capacity: cap, path: 'analog' });
    expect(fast.fastPath).toBe(true);
    expect(slow.fastPath).toBe(false);
    expect(fast.arrayCount).toBe(16 * 3);
    for (let t = 0; t < 3; t++) {
      const q = flipBits(fast.storedRow(t * 40), dim, 200 + 50 * t, t);
      const a = fast.hammingSearch(q, cap);
      const b = slow.hammingSearch(q, cap);
      expect(Array.from(b.rows)).toEqual(Array.from(a.rows));
      expect(Array.from(b.distances)).toEqual(Array.from(a.distances));
      for (let i = 0; i < cap; i++) expect(a.distances[i]).toBe(hammingRef(q, fast.storedRow(a.rows[i]), dim));
      const oa = new Uint32Array(fast.words);
      const ob = new Uint32Array(fast.words);
      fast.xorBind(q, 77, oa);
      slow.xorBind(q, 77, ob);
      expect(Array.from(ob)).toEqual(Array.from(oa));
      const r = fast.storedRow(77);
      for (let w = 0; w < oa.length; w++) expect(oa[w]).toBe(((q[w] ^ r[w]) & (w === oa.length - 1 ? lastWordMask(dim) : 0xffffffff)) >>> 0);
    }
    // the two paths count the same hardware activity and energy
    expect(slow.stats.snapshot()).toEqual(fast.stats.snapshot());
    const s = fast.stats.snapshot();
    expect(s.counts['crossbar.adc']).toBe(3 * cap * 16 + 3 * dim);
    expect(s.partialSumAdds).toBe(3 * cap * 15);
  });

  it('ranks ties by row index and returns distances in ascending order', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 64, adcBits: 6 });
    const m = new BinaryCrossbar(p, { dimension: 64, capacity: 8 });
    const v = randomBits(2, 2, 64);
    for (const r of [6, 2, 4]) m.writeRow(r, v);
    const res = m.hammingSearch(v, 4);
    expect(Array.from(res.rows.subarray(0, 3))).toEqual([2, 4, 6]);
    expect(Array.from(res.distances.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(res.distances[3]).toBeGreaterThan(0);
  });

  it('ADC quantisation applies to the distances: a coarse ADC reports multiples of its step', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 128, adcBits: 3 }); // 64 bits per segment on 7 codes: lsb 64/7
    const m = filled(p, { dimension: 64, capacity: 50 });
    const q = randomBits(5, 5, 64);
    const res = m.hammingSearch(q, 50);
    let differ = 0;
    for (let i = 0; i < 50; i++) {
      const exact = hammingRef(q, m.storedRow(res.rows[i]), 64);
      const code = Math.round(res.distances[i] / (64 / 7));
      expect(res.distances[i]).toBe(Math.round(code * (64 / 7)));
      if (res.distances[i] !== exact) differ++;
      expect(Math.abs(res.distances[i] - exact)).toBeLessThanOrEqual(64 / 14 + 0.5);
    }
    expect(differ).toBeGreaterThan(0);
  });

  it('read noise raises the XOR-bind bit-error rate with sigma, reproducibly by seed', () => {
    const ber = (sigma: number, seed: number) => {
      const p = makeCrossbarParams({ rows: 64, cols: 1024, nonIdealities: { readNoise: { sigma } } });
      const m = filled(p, { dimension: 512, capacity: 4, seed });
      const q = randomBits(8, 8, 512);
      const out = new Uint32Array(m.words);
      let errors = 0;
      for (let rep = 0; rep < 4; rep++) {
        m.xorBind(q, 1, out);
        for (let j = 0; j < 512; j++) errors += (((out[j >>> 5] ^ q[j >>> 5] ^ m.storedRow(1)[j >>> 5]) >>> (j & 31)) & 1);
      }
      return { rate: errors / 2048, out: Array.from(out) };
    };
    const low = ber(0.2, 1);
    const high = ber(0.6, 1);
    expect(high.rate).toBeGreaterThan(low.rate);
    expect(low.rate).toBeGreaterThan(0);
    expect(ber(0.6, 1)).toEqual(high);
    expect(ber(0.6, 2).out).not.toEqual(high.out);
  });

  it('counts writes per cell pair and prices the search', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 128, adcBits: 7 });
    const m = filled(p, { dimension: 100, capacity: 10 });
    const s0 = m.stats.snapshot();
    expect(s0.counts['crossbar.write']).toBe(10 * 200);
    m.hammingSearch(randomBits(1, 1, 100), 2);
    const s1 = m.stats.snapshot();
    expect(s1.counts['crossbar.read']).toBe(m.arrayCount);
    expect(s1.counts['crossbar.dac']).toBe(100);
    expect(s1.counts['crossbar.adc']).toBe(10 * m.segments);
    expect(s1.cellReads).toBe(1000);
    expect(s1.energyFJ['crossbar.read']).toBeGreaterThan(0);
    expect(s1.busyPs - s0.busyPs).toBe(m.searchLatencyPs);
  });

  it('rejects bad shapes and a forced packed path that would not be exact', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 128, adcBits: 7 });
    const m = new BinaryCrossbar(p, { dimension: 100, capacity: 10 });
    expect(() => m.writeRow(0, new Uint32Array(3))).toThrow(/expected 4 packed words/);
    expect(() => m.writeRow(10, new Uint32Array(4))).toThrow(/row 10/);
    expect(() => m.hammingSearch(new Uint32Array(4), 11)).toThrow(InputError);
    expect(() => new BinaryCrossbar(p, { dimension: 0, capacity: 10 })).toThrow(/dimension/);
    const noisy = makeCrossbarParams({ rows: 64, cols: 128, adcBits: 7, nonIdealities: { readNoise: { sigma: 0.1 } } });
    expect(() => new BinaryCrossbar(noisy, { dimension: 100, capacity: 10, path: 'packed' })).toThrow(/packed path/);
    const coarse = makeCrossbarParams({ rows: 64, cols: 128, adcBits: 4 });
    expect(new BinaryCrossbar(coarse, { dimension: 100, capacity: 10 }).fastPath).toBe(false);
  });
});
