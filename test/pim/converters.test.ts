import { describe, expect, it } from 'vitest';
import { adcCost, cellWriteCost, crossbarCosts, dacCost, makeCrossbarParams, neurosimSarAdc, shiftAddCost, tableAdc } from '../../emulator/pim/index.js';

describe('converter and cell cost models', () => {
  it('NeuroSim SAR ADC: latency (bits+1) ns, energy (0.538·bits + 4.3753) µW × latency', () => {
    const a4 = neurosimSarAdc(4);
    expect(a4.latencyPs).toBe(5000);
    expect(a4.energyFJ).toBe(Math.round((0.538 * 4 + 4.3753) * 5));
    const a8 = neurosimSarAdc(8);
    expect(a8.latencyPs).toBe(9000);
    expect(a8.energyFJ).toBe(Math.round((0.538 * 8 + 4.3753) * 9));
    expect(a4.source).toContain('NeuroSim');
  });

  it('ADC energy and latency grow with resolution', () => {
    let prev = neurosimSarAdc(1);
    for (let b = 2; b <= 12; b++) {
      const c = neurosimSarAdc(b);
      expect(c.energyFJ).toBeGreaterThan(prev.energyFJ);
      expect(c.latencyPs).toBeGreaterThan(prev.latencyPs);
      prev = c;
    }
  });

  it('MNSIM formula and power ÷ rate differ by (bits+2)× for the same table entry', () => {
    // reference: MNSIM (bits+2)/rate × power ≈ 20 pJ and ≈ 10 pJ; power ÷ rate 2 pJ and 1.26 pJ
    expect(tableAdc('mnsim-8b', 'mnsim')).toMatchObject({ energyFJ: 20000, latencyPs: 10000 });
    expect(tableAdc('mnsim-8b', 'power-over-rate')).toMatchObject({ energyFJ: 2000, latencyPs: 1000 });
    expect(tableAdc('mnsim-6b', 'mnsim')).toMatchObject({ energyFJ: 10080, latencyPs: 8000 });
    expect(tableAdc('mnsim-6b', 'power-over-rate')).toMatchObject({ energyFJ: 1260, latencyPs: 1000 });
    expect(tableAdc('isaac-8b', 'power-over-rate')).toMatchObject({ energyFJ: 1563, latencyPs: 781 });
    expect(tableAdc('mnsim-8b', 'mnsim').source).toContain('MNSIM formula');
    expect(tableAdc('mnsim-8b', 'power-over-rate').source).toContain('power ÷ rate');
  });

  it('the parameter set picks the ADC model', () => {
    expect(adcCost(makeCrossbarParams({ adcBits: 6 }))).toEqual(neurosimSarAdc(6));
    expect(adcCost(makeCrossbarParams({ adcModel: 'mnsim-6b', adcFormula: 'power-over-rate' }))).toEqual(tableAdc('mnsim-6b', 'power-over-rate'));
  });

  it('DAC: ISAAC 1-bit figure × (2^bits − 1), no added latency', () => {
    expect(dacCost(1).energyFJ).toBe(Math.round(((4 / 1024) * 100) * 1000));
    expect(dacCost(3).energyFJ).toBe(Math.round(((4 / 1024) * 100) * 1000 * 7));
    expect(dacCost(2).latencyPs).toBe(0);
  });

  it('shift-and-add uses the Horowitz add of the accumulator width', () => {
    expect(shiftAddCost(8).energyFJ).toBe(30);
    expect(shiftAddCost(12).energyFJ).toBe(50);
    expect(shiftAddCost(20).energyFJ).toBe(100);
  });

  it('cell write energy is Vw² · gMax · tw; a row write takes a SET and a RESET pulse', () => {
    const p = makeCrossbarParams({ rOn: 10_000, rOff: 100_000, writeVoltage: 2, writePulseNs: 10 });
    // 4 V² × 100 µS × 10 ns = 4 pJ
    expect(cellWriteCost(p)).toMatchObject({ energyFJ: 4000, latencyPs: 20000 });
  });

  it('every cost is an integer with a source', () => {
    const c = crossbarCosts(makeCrossbarParams());
    for (const op of [c.adc, c.sense, c.dac, c.shiftAdd, c.cellWrite]) {
      expect(Number.isInteger(op.energyFJ)).toBe(true);
      expect(Number.isInteger(op.latencyPs)).toBe(true);
      expect(op.source.length).toBeGreaterThan(10);
    }
    expect(c.readPulsePs).toBe(3160);
  });
});
