import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { Crossbar, STUCK_HIGH, STUCK_LOW, makeCrossbarParams } from '../../emulator/pim/index.js';
import { mae, matVec, randomInputs, randomInts, randomWeights } from './helpers.js';

/** ADC bits that resolve every column sum of a parameter set exactly. */
function losslessAdcBits(rows: number, cellBits: number, dacBits: number): number {
  return Math.ceil(Math.log2(rows * (2 ** cellBits - 1) * (2 ** dacBits - 1) + 1));
}

// 128 rows, 2-bit cells, 4-bit differential weights, 4-bit inputs 1 bit/cycle: worst column sum 384 → 9-bit ADC is lossless
const BASE = { rows: 128, cols: 128, cellBits: 2, weightBits: 4, signed: 'differential', inputBits: 4, dacBits: 1, adcBits: 12 } as const;

/** Mean absolute error against the integer product over a few seeded input vectors. */
function errorOf(raw: Record<string, unknown>, seed = 5, vectors = 4): number {
  const xb = new Crossbar(makeCrossbarParams(raw), { seed });
  const w = randomWeights(xb, 11);
  xb.program(w);
  const out = new Int32Array(xb.weightCols);
  let e = 0;
  for (let v = 0; v < vectors; v++) {
    const x = randomInputs(xb, 12, 100 + v);
    xb.mvm(x, out);
    e += mae(out, matVec(x, w, xb.weightCols));
  }
  return e / vectors;
}

describe('analog MVM with every non-ideality off', () => {
  it('is exact against the plain integer product (property over layouts)', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 64, max: 160 }),
          cols: fc.integer({ min: 64, max: 140 }),
          cellBits: fc.integer({ min: 1, max: 4 }),
          weightBits: fc.integer({ min: 1, max: 8 }),
          signed: fc.constantFrom('differential', 'reference-column'),
          inputBits: fc.integer({ min: 1, max: 10 }),
          signedInputs: fc.boolean(),
          dacBits: fc.integer({ min: 1, max: 4 }),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        ({ seed, ...c }) => {
          const adcBits = Math.min(24, losslessAdcBits(c.rows, c.cellBits, c.dacBits));
          const xb = new Crossbar(makeCrossbarParams({ ...c, adcBits }), { seed });
          expect(xb.ideal).toBe(true);
          const w = randomWeights(xb, seed);
          xb.program(w);
          const x = randomInputs(xb, seed);
          const out = new Int32Array(xb.weightCols);
          xb.mvm(x, out);
          expect(Array.from(out)).toEqual(Array.from(matVec(x, w, xb.weightCols)));
        },
      ),
      { numRuns: 30, seed: 42 },
    );
  });

  it('is exact at the range extremes (largest weights, most negative inputs)', () => {
    for (const signed of ['differential', 'reference-column'] as const) {
      const p = makeCrossbarParams({ rows: 256, cols: 256, cellBits: 3, weightBits: 7, signed, inputBits: 8, dacBits: 2, adcBits: 14 });
      const xb = new Crossbar(p);
      const g = xb.geometry;
      for (const wv of [g.weightMin, g.weightMax]) {
        const w = new Int32Array(p.rows * g.weightCols).fill(wv);
        xb.program(w);
        for (const xv of [g.inputMin, g.inputMax, -1]) {
          const x = new Int32Array(p.rows).fill(xv);
          const out = new Int32Array(g.weightCols);
          xb.mvm(x, out);
          expect(out[0]).toBe(p.rows * xv * wv);
          expect(Array.from(out)).toEqual(Array.from(matVec(x, w, g.weightCols)));
        }
      }
    }
  });

  it('takes binary spikes as unsigned 1-bit inputs in a single cycle', () => {
    const p = makeCrossbarParams({ rows: 128, cols: 128, cellBits: 4, weightBits: 8, inputBits: 1, signedInputs: false, adcBits: 11 });
    const xb = new Crossbar(p);
    expect(xb.geometry).toMatchObject({ cycles: 1, inputMin: 0, inputMax: 1 });
    const w = randomWeights(xb, 8);
    xb.program(w);
    const spikes = randomInts(8, 9, 128, 0, 1);
    const out = new Int32Array(xb.weightCols);
    xb.mvm(spikes, out);
    expect(Array.from(out)).toEqual(Array.from(matVec(spikes, w, xb.weightCols)));
    expect(xb.stats.snapshot().counts['crossbar.dac']).toBe(128);
    expect(() => xb.mvm(new Int32Array(128).fill(-1), out)).toThrow(/outside the 1-bit input range 0..1/);
  });

  it('programs a sub-block and computes only its active rows and columns', () => {
    const xb = new Crossbar(makeCrossbarParams({ ...BASE }));
    const w = randomInts(3, 1, 70 * 20, -15, 15);
    xb.program(w, 70, 20);
    const x = randomInts(3, 2, 70, -8, 7);
    const out = new Int32Array(20);
    xb.mvm(x, out);
    expect(Array.from(out)).toEqual(Array.from(matVec(x, w, 20)));
  });

  it('writeRow re-programs one row and is counted per cell', () => {
    const xb = new Crossbar(makeCrossbarParams({ ...BASE }));
    const w = randomWeights(xb, 4);
    xb.program(w);
    const writesBefore = xb.stats.snapshot().counts['crossbar.write'];
    const row = randomInts(9, 3, xb.weightCols, -15, 15);
    xb.writeRow(17, row);
    w.set(row, 17 * xb.weightCols);
    const after = xb.stats.snapshot();
    expect(after.counts['crossbar.write'] - writesBefore).toBe(xb.weightCols * xb.geometry.colsPerWeight);
    expect(after.energyFJ['crossbar.write']).toBe(Math.round((after.counts['crossbar.write']) * xb.costs.cellWrite.energyFJ));
    const x = randomInputs(xb, 4);
    const out = new Int32Array(xb.weightCols);
    xb.mvm(x, out);
    expect(Array.from(out)).toEqual(Array.from(matVec(x, w, xb.weightCols)));
  });

  it('rejects out-of-range weights and inputs with their position', () => {
    const xb = new Crossbar(makeCrossbarParams({ ...BASE }));
    const w = new Int32Array(128 * xb.weightCols);
    w[3 * xb.weightCols + 2] = 16;
    expect(() => xb.program(w)).toThrow(InputError);
    expect(() => xb.program(w)).toThrow(/weights\[3\]\[2\]: 16 is outside/);
    w.fill(0);
    xb.program(w);
    const x = new Int32Array(128);
    x[5] = 8;
    expect(() => xb.mvm(x, new Int32Array(xb.weightCols))).toThrow(/input\[5\]: 8 is outside the 4-bit input range -8..7/);
    expect(() => xb.mvm(new Int32Array(10), new Int32Array(xb.weightCols))).toThrow(InputError);
    expect(() => xb.writeRow(128, new Int32Array(xb.weightCols))).toThrow(/row 128/);
  });
});

describe('crossbar accounting', () => {
  it('counts reads, DAC and ADC conversions and shift-adds per MVM, with integer latency', () => {
    const p = makeCrossbarParams({ rows: 128, cols: 128, cellBits: 1, weightBits: 8, inputBits: 8, dacBits: 2, adcBits: 5, columnsPerAdc: 8 });
    const xb = new Crossbar(p);
    xb.program(randomWeights(xb, 1));
    const s0 = xb.stats.snapshot();
    const lat = xb.mvm(randomInputs(xb, 2), new Int32Array(xb.weightCols));
    const s1 = xb.stats.snapshot();
    const g = xb.geometry; // 8 slices + 8 reference columns; 15 weight columns; cycles = ceil(7/2) + 1 = 5
    expect(g.cycles).toBe(5);
    expect(s1.counts['crossbar.read'] - s0.counts['crossbar.read']).toBe(1);
    expect(s1.counts['crossbar.dac'] - s0.counts['crossbar.dac']).toBe(5 * 128);
    const conv = 5 * (15 * 8 + 8);
    expect(s1.counts['crossbar.adc'] - s0.counts['crossbar.adc']).toBe(conv);
    expect(s1.counts['crossbar.shift_add'] - s0.counts['crossbar.shift_add']).toBe(conv + 15);
    expect(s1.energyFJ['crossbar.adc'] - s0.energyFJ['crossbar.adc']).toBe(conv * xb.costs.adc.energyFJ);
    expect(lat).toBe(5 * (3160 + 8 * xb.costs.adc.latencyPs) + xb.costs.shiftAdd.latencyPs);
    expect(Number.isInteger(lat)).toBe(true);
    expect(s1.busyPs - s0.busyPs).toBe(lat);
    const totals: Record<string, number> = { 'crossbar.read': 2 };
    xb.stats.addTo(totals);
    expect(totals['crossbar.read']).toBe(3);
    expect(totals['crossbar.adc']).toBe(conv);
  });

  it('read energy is Σ V²·G·t over driven cells, zero without input, ∝ V²', () => {
    const mk = (readVoltage: number) => {
      const p = makeCrossbarParams({ rows: 64, cols: 64, cellBits: 1, weightBits: 1, signed: 'differential', inputBits: 2, dacBits: 1, adcBits: 7, readVoltage });
      const xb = new Crossbar(p);
      xb.program(new Int32Array(64 * xb.weightCols).fill(1));
      return xb;
    };
    const xb = mk(0.5);
    xb.mvm(new Int32Array(64), new Int32Array(xb.weightCols));
    expect(xb.stats.snapshot().energyFJ['crossbar.read']).toBe(0);
    const x = new Int32Array(64).fill(1);
    xb.mvm(x, new Int32Array(xb.weightCols));
    // 64 rows × 32 cells at gMax (33.3 µS) × 0.25 V² × 3.16 ns
    const expected = 64 * 32 * xb.params.gMaxUS * 1e-6 * 0.25 * 3.16e-9 * 1e15;
    expect(xb.stats.snapshot().energyFJ['crossbar.read']).toBe(Math.round(expected));
    expect(xb.stats.snapshot().cellReads).toBe(64 * 64);
    const xb2 = mk(1);
    xb2.mvm(x, new Int32Array(xb2.weightCols));
    expect(xb2.stats.energyFJ[0]).toBeCloseTo(4 * xb.stats.energyFJ[0], 6);
  });
});

describe('non-idealities', () => {
  it('each one is off by default and moves the error up as it grows', () => {
    expect(errorOf({ ...BASE })).toBe(0);
    const ladders: [string, Record<string, unknown>[]][] = [
      ['programming error (proportional)', [0.02, 0.1, 0.3].map((sigma) => ({ programmingError: { sigma } }))],
      ['programming error (fixed)', [0.02, 0.1, 0.3].map((sigma) => ({ programmingError: { sigma, mode: 'fixed' } }))],
      ['read noise', [0.02, 0.1, 0.3].map((sigma) => ({ readNoise: { sigma } }))],
      ['stuck-at', [0.005, 0.03, 0.15].map((r) => ({ stuckAt: { high: r / 2, low: r / 2 } }))],
      ['on/off ratio', [1000, 20, 3].map((onOffRatio) => ({ onOffRatio }))],
      ['ADC clipping', [0.2, 0.14, 0.1].map((clip) => ({ adc: { clip } }))],
    ];
    for (const [name, steps] of ladders) {
      const errs = steps.map((n) => errorOf({ ...BASE, nonIdealities: n }));
      expect(errs[0], name).toBeGreaterThanOrEqual(0);
      expect(errs[1], `${name}: ${errs}`).toBeGreaterThan(errs[0]);
      expect(errs[2], `${name}: ${errs}`).toBeGreaterThan(errs[1]);
    }
  });

  it('finite on/off ratio: the "device" ratio of 5 errs more than a 1000:1 device', () => {
    const dev = errorOf({ ...BASE, rOn: 30e3, rOff: 150e3, nonIdealities: { onOffRatio: 'device' } });
    expect(dev).toBeGreaterThan(errorOf({ ...BASE, nonIdealities: { onOffRatio: 1000 } }));
  });

  it('error falls as ADC bits grow and vanishes once the ADC resolves every column sum', () => {
    const errs: number[] = [];
    for (let b = 2; b <= 9; b++) errs.push(errorOf({ ...BASE, adcBits: b }));
    for (let i = 1; i < errs.length; i++) expect(errs[i], `${errs}`).toBeLessThanOrEqual(errs[i - 1]);
    expect(errs[0]).toBeGreaterThan(errs[3]);
    expect(errs[3]).toBeGreaterThan(errs[6]);
    expect(errs[7]).toBe(0); // 9 bits ≥ 384 levels
  });

  it('is reproducible by seed and differs between seeds', () => {
    const raw = { ...BASE, adcBits: 6, nonIdealities: { programmingError: { sigma: 0.1 }, readNoise: { sigma: 0.05 }, stuckAt: { high: 0.01, low: 0.02 }, onOffRatio: 20, adc: { clip: 0.8 } } };
    const run = (seed: number) => {
      const xb = new Crossbar(makeCrossbarParams(raw), { seed, arrayId: 3 });
      xb.program(randomWeights(xb, 1));
      const x = randomInputs(xb, 2);
      const outs: number[][] = [];
      for (let i = 0; i < 3; i++) {
        const o = new Int32Array(xb.weightCols);
        xb.mvm(x, o);
        outs.push(Array.from(o));
      }
      return { outs, g: Array.from(xb.conductance) };
    };
    const a = run(7);
    const b = run(7);
    const c = run(8);
    expect(b).toEqual(a);
    expect(c.g).not.toEqual(a.g);
    // read noise is redrawn per operation: the same input reads differently each time
    expect(a.outs[1]).not.toEqual(a.outs[0]);
  });

  it('programming error is persistent: repeated reads agree, a rewrite draws a new error', () => {
    const xb = new Crossbar(makeCrossbarParams({ ...BASE, nonIdealities: { programmingError: { sigma: 0.2 } } }), { seed: 2 });
    const w = randomWeights(xb, 3);
    xb.program(w);
    const x = randomInputs(xb, 4);
    const o1 = new Int32Array(xb.weightCols);
    const o2 = new Int32Array(xb.weightCols);
    xb.mvm(x, o1);
    xb.mvm(x, o2);
    expect(Array.from(o2)).toEqual(Array.from(o1));
    const cols = xb.params.cols;
    const before = Array.from(xb.conductance.subarray(5 * cols, 6 * cols));
    xb.writeRow(5, w.subarray(5 * xb.weightCols, 6 * xb.weightCols));
    const after = Array.from(xb.conductance.subarray(5 * cols, 6 * cols));
    expect(after).not.toEqual(before);
    // the error stays within the device window
    let lo = Infinity;
    let hi = -Infinity;
    for (const g of xb.conductance) {
      lo = Math.min(lo, g);
      hi = Math.max(hi, g);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(xb.params.gMaxUS);
  });

  it('stuck-at faults hit about the configured fraction of cells and ignore writes', () => {
    const p = makeCrossbarParams({ ...BASE, rows: 256, cols: 256, nonIdealities: { stuckAt: { high: 0.01, low: 0.09 }, onOffRatio: 5 } });
    const xb = new Crossbar(p, { seed: 9 });
    const stuck = xb.stuck!;
    let hi = 0;
    let lo = 0;
    for (const s of stuck) {
      if (s === STUCK_HIGH) hi++;
      else if (s === STUCK_LOW) lo++;
    }
    const n = stuck.length;
    expect(hi / n).toBeGreaterThan(0.007);
    expect(hi / n).toBeLessThan(0.013);
    expect(lo / n).toBeGreaterThan(0.08);
    expect(lo / n).toBeLessThan(0.1);
    xb.program(new Int32Array(256 * xb.weightCols).fill(15));
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (stuck[i] === STUCK_HIGH && xb.conductance[i] !== p.gMaxUS) wrong++;
      if (stuck[i] === STUCK_LOW && xb.conductance[i] !== p.gMaxUS / 5) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
