/** LatencyHistogram: bucket resolution on both sides of 2^32, and clear() of only the used buckets. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LatencyHistogram } from '../../emulator/noc/index.js';

describe('LatencyHistogram buckets', () => {
  it('a single value lands in a bucket whose lower edge is within 1/64 below it (any magnitude)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 32 + 5000 }), fc.integer({ min: 2 ** 32 - 5000, max: 2 ** 45 })), (v) => {
        const h = new LatencyHistogram();
        h.add(0); // min 0: the quantile reports the bucket's lower edge, not the clamped value
        h.add(v);
        h.add(2 ** 50);
        const low = h.quantile(0.5);
        expect(low).toBeLessThanOrEqual(v);
        if (v < 128) expect(low).toBe(v);
        else expect(low).toBeGreaterThan(v * (1 - 1 / 64));
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('add(v, n) counts n samples exactly as n calls of add(v)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 50 })), { maxLength: 30 }), (samples) => {
        const bulk = new LatencyHistogram();
        const one = new LatencyHistogram();
        for (const [v, n] of samples) {
          bulk.add(v, n);
          for (let k = 0; k < n; k++) one.add(v);
        }
        expect(Array.from(bulk.buckets)).toEqual(Array.from(one.buckets));
        expect(bulk.summary()).toEqual(one.summary());
        expect(bulk.sum).toBe(one.sum);
        bulk.clear();
        expect(bulk.buckets.every((x) => x === 0)).toBe(true);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('clear() leaves no count behind: refilled, it equals a fresh histogram', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 50 }), fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 50 }), (a, b) => {
        const h = new LatencyHistogram();
        for (const v of a) h.add(v);
        const other = new LatencyHistogram();
        for (const v of a) other.add(v + 1);
        h.merge(other);
        h.clear();
        expect(h.buckets.every((x) => x === 0)).toBe(true);
        const fresh = new LatencyHistogram();
        for (const v of b) {
          h.add(v);
          fresh.add(v);
        }
        expect(Array.from(h.buckets)).toEqual(Array.from(fresh.buckets));
        expect(h.summary()).toEqual(fresh.summary());
      }),
      { numRuns: 100, seed: 6 },
    );
  });
});
