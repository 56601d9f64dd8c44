import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { parseStructured } from '../../emulator/spec/structured.js';
import { Checker } from '../../emulator/spec/validate.js';
import { CROSSBAR_PARAMS, crossbarGeometry, makeCrossbarParams, noNonIdealities, parseCrossbarParams } from '../../emulator/pim/index.js';

function problems(raw: unknown): string[] {
  try {
    makeCrossbarParams(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).lines();
  }
  return [];
}

describe('crossbar parameter declaration', () => {
  it('declares every parameter with unit, default and source', () => {
    expect(CROSSBAR_PARAMS.length).toBeGreaterThan(20);
    for (const p of CROSSBAR_PARAMS) {
      expect(p.source.length, p.name).toBeGreaterThan(5);
      expect(p.description.length, p.name).toBeGreaterThan(5);
      expect(p).toHaveProperty('unit');
      expect(p).toHaveProperty('default');
    }
    const names = CROSSBAR_PARAMS.map((p) => p.name);
    for (const k of ['rows', 'cols', 'cellBits', 'gMin', 'gMax', 'rOn', 'rOff', 'signed', 'weightBits', 'inputBits', 'dacBits', 'adcBits', 'columnsPerAdc', 'readVoltage', 'readPulseNs']) {
      expect(names).toContain(k);
    }
  });

  it('defaults are valid, NeuroSim-shaped and have every non-ideality off', () => {
    const p = makeCrossbarParams();
    expect(p).toMatchObject({ rows: 128, cols: 128, cellBits: 1, weightBits: 8, signed: 'reference-column', adcBits: 5, columnsPerAdc: 8, readVoltage: 0.5 });
    expect(p.gMaxUS).toBeCloseTo(1e6 / 30e3, 9);
    expect(p.gMinUS).toBeCloseTo(1e6 / 150e3, 9);
    expect(noNonIdealities(p.nonIdealities)).toBe(true);
  });

  it('takes Ron/Roff in ohms as the conductance range', () => {
    const p = makeCrossbarParams({ rOn: 1000, rOff: 10000 });
    expect(p.gMaxUS).toBeCloseTo(1000, 9);
    expect(p.gMinUS).toBeCloseTo(100, 9);
    const q = makeCrossbarParams({ rOn: 1000, rOff: 10000, nonIdealities: { onOffRatio: 'device' } });
    expect(q.nonIdealities.onOffRatio).toBeCloseTo(10, 9);
  });

  it('derives the array layout (slices, pairs, reference columns, ranges, cycles)', () => {
    const d = crossbarGeometry(makeCrossbarParams({ cols: 128, cellBits: 2, weightBits: 5, signed: 'differential', inputBits: 8, dacBits: 3 }));
    expect(d).toMatchObject({ slices: 3, pairs: 2, colsPerWeight: 6, refCols: 0, weightCols: 21, weightMin: -31, weightMax: 31, lowCycles: 3, cycles: 4, dacMax: 7, inputMin: -128, inputMax: 127 });
    const r = crossbarGeometry(makeCrossbarParams({ cols: 64, cellBits: 4, weightBits: 8 }));
    expect(r).toMatchObject({ slices: 2, pairs: 1, refCols: 2, weightCols: 31, weightMin: -128, weightMax: 127, weightOffset: 128 });
  });

  it('reports every problem with its field path, with a did-you-mean for typos', () => {
    const lines = problems({ rows: 32, colls: 128, adcBits: 2.5, signed: 'balanced', nonIdealities: { readNoize: { sigma: 0.1 }, stuckAt: { high: 0.6, low: 0.6 } } });
    expect(lines.some((l) => l.includes('rows') && l.includes('64..1024'))).toBe(true);
    expect(lines.some((l) => l.includes('colls') && l.includes("did you mean 'cols'"))).toBe(true);
    expect(lines.some((l) => l.includes('adcBits') && l.includes('not an integer'))).toBe(true);
    expect(lines.some((l) => l.includes('signed') && l.includes('differential'))).toBe(true);
    expect(lines.some((l) => l.includes('readNoize') && l.includes("did you mean 'readNoise'"))).toBe(true);
    expect(lines.some((l) => l.includes('stuckAt') && l.includes('more than 1'))).toBe(true);
  });

  it('rejects NaN/Infinity, both conductance forms, preset bit mismatch and too-narrow arrays', () => {
    expect(problems({ readVoltage: Number.NaN }).join()).toContain('readVoltage');
    expect(problems({ readPulseNs: Infinity }).join()).toContain('not a finite number');
    expect(problems({ gMax: 100, rOn: 1000 }).join()).toContain('not both');
    expect(problems({ gMin: 50, gMax: 10 }).join()).toContain('must be larger');
    expect(problems({ adcModel: 'mnsim-6b', adcBits: 8 }).join()).toContain('6-bit converter');
    expect(problems({ rows: 1024, weightBits: 16, signed: 'differential', inputBits: 16 }).join()).toContain('beyond a 32-bit output');
    expect(problems({ columnsPerAdc: 200, cols: 128 }).join()).toContain('exceeds');
    expect(problems({ nonIdealities: { onOffRatio: 'ideal' } }).join()).toContain("'device'");
    expect(problems({ nonIdealities: { programmingError: { sigma: 0.1, mode: 'relative' } } }).join()).toContain('fixed, proportional');
    expect(problems({ nonIdealities: { adc: { clip: 1.5 } } }).join()).toContain('clip');
  });

  it('table presets take their own resolution', () => {
    expect(makeCrossbarParams({ adcModel: 'mnsim-6b' }).adcBits).toBe(6);
    expect(makeCrossbarParams({ adcModel: 'isaac-8b', adcBits: 8 }).adcBits).toBe(8);
  });

  it('locates problems at line:column when parsed from YAML', () => {
    const text = 'crossbar:\n  rows: 128\n  cellBits: 9\n  nonIdealities:\n    readNoise: {sigma: -1}\n';
    const st = parseStructured(text, 'arch.yaml');
    const check = new Checker('arch.yaml', st);
    const p = parseCrossbarParams((st.data as { crossbar: unknown }).crossbar, check, ['crossbar']);
    expect(p).toBeUndefined();
    const lines = check.problems.map((q) => q.where);
    expect(lines.some((w) => w.includes('crossbar.cellBits') && w.includes('line 3'))).toBe(true);
    expect(lines.some((w) => w.includes('readNoise.sigma') && w.includes('line 5'))).toBe(true);
  });

  it('switches a non-ideality on only when its key is present', () => {
    const p = makeCrossbarParams({ nonIdealities: { programmingError: { sigma: 0.05 }, adc: { clip: 0.5 } } });
    expect(p.nonIdealities.programmingError).toEqual({ sigma: 0.05, mode: 'proportional' });
    expect(p.nonIdealities.adcClip).toBe(0.5);
    expect(p.nonIdealities.readNoise).toBeNull();
    expect(p.nonIdealities.stuckAt).toBeNull();
    expect(noNonIdealities(p.nonIdealities)).toBe(false);
  });

  it('never lets anything but an InputError escape on arbitrary input (fuzz)', () => {
    const keys = ['rows', 'cols', 'cellBits', 'gMin', 'gMax', 'rOn', 'rOff', 'signed', 'weightBits', 'inputBits', 'signedInputs', 'dacBits', 'adcBits', 'columnsPerAdc', 'adcModel', 'adcFormula', 'readVoltage', 'nonIdealities', 'bogus'];
    const value = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.constant('device'), fc.constantFrom('differential', 'mnsim-6b', 'fixed'));
    const ni = fc.dictionary(fc.constantFrom('programmingError', 'readNoise', 'stuckAt', 'onOffRatio', 'adc', 'drift'), fc.oneof(value, fc.dictionary(fc.constantFrom('sigma', 'mode', 'high', 'low', 'clip'), value)));
    const raw = fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...keys), fc.oneof(value, ni)));
    fc.assert(
      fc.property(raw, (r) => {
        try {
          const p = makeCrossbarParams(r);
          expect(p.rows).toBeGreaterThanOrEqual(64);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
