import { describe, expect, it } from 'vitest';
import { BinaryAccuracyMeter, BinaryCrossbar, MvmAccuracyMeter, TiledMatrix, integerMatVec, makeCrossbarParams } from '../../emulator/pim/index.js';
import { flipBits, matVec, randomBits, randomInts } from './helpers.js';

describe('accuracy against the exact digital result', () => {
  it('integerMatVec is the plain product', () => {
    const w = randomInts(1, 1, 30 * 7, -9, 9);
    const x = randomInts(1, 2, 30, -5, 5);
    const out = new Int32Array(7).fill(99);
    integerMatVec(w, 7, x, out);
    expect(Array.from(out)).toEqual(Array.from(matVec(x, w, 7)));
  });

  it('MVM meter: zero for ideal tiles, positive and reproducible with noise', () => {
    const measure = (raw: Record<string, unknown>) => {
      const tm = new TiledMatrix(makeCrossbarParams(raw), { rows: 200, cols: 30, seed: 2, keepExact: true });
      tm.program(randomInts(2, 1, 200 * 30, -8, 7));
      tm.writeRow(150, randomInts(2, 9, 30, -8, 7));
      const meter = new MvmAccuracyMeter();
      const got = new Int32Array(30);
      const exact = new Int32Array(30);
      for (let v = 0; v < 3; v++) {
        const x = randomInts(2, 10 + v, 200, -8, 7);
        tm.mvm(x, got);
        tm.exactMvm(x, exact);
        meter.add(got, exact);
      }
      return meter.snapshot();
    };
    const base = { rows: 64, cols: 64, cellBits: 2, weightBits: 4, inputBits: 4, adcBits: 10 };
    const ideal = measure(base);
    expect(ideal).toEqual({ samples: 90, meanAbsError: 0, maxAbsError: 0, relativeError: 0 });
    const noisy = measure({ ...base, nonIdealities: { readNoise: { sigma: 0.1 } } });
    expect(noisy.meanAbsError).toBeGreaterThan(0);
    expect(noisy.maxAbsError).toBeGreaterThanOrEqual(noisy.meanAbsError);
    expect(noisy.relativeError).toBeGreaterThan(0);
    expect(measure({ ...base, nonIdealities: { readNoise: { sigma: 0.1 } } })).toEqual(noisy);
  });

  it('binary meter: bit-error rate of XOR binding and top-1 agreement of searches', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 256, adcBits: 4, nonIdealities: { readNoise: { sigma: 0.4 } } });
    const m = new BinaryCrossbar(p, { dimension: 300, capacity: 40, seed: 4 });
    for (let r = 0; r < 40; r++) m.writeRow(r, randomBits(3, r, 300));
    const meter = new BinaryAccuracyMeter();
    const out = new Uint32Array(m.words);
    const exact = new Uint32Array(m.words);
    for (let t = 0; t < 10; t++) {
      const q = flipBits(m.storedRow(t), 300, 60, t);
      m.xorBind(q, t, out);
      const r = m.storedRow(t);
      for (let w = 0; w < exact.length; w++) exact[w] = q[w] ^ r[w];
      meter.addBits(out, exact, 300);
      meter.addSearch(m.hammingSearch(q, 1).rows[0], t);
    }
    const s = meter.snapshot();
    expect(s.bitsCompared).toBe(3000);
    expect(s.bitErrorRate).toBeGreaterThan(0);
    expect(s.bitErrorRate).toBeLessThan(0.5);
    expect(s.searches).toBe(10);
    expect(s.top1Agreement).toBe(1);
    const clean = new BinaryAccuracyMeter();
    clean.addBits(exact, exact, 300);
    clean.addSearch(1, 2);
    expect(clean.snapshot()).toMatchObject({ bitErrors: 0, bitErrorRate: 0, top1Agreement: 0 });
  });
});
