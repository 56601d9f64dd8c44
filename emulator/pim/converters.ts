/**
 * Converter, digital and cell cost models of the crossbar block: per-operation energy in integer
 * femtojoules and latency in integer picoseconds, each with the source of its formula and
 * coefficients. docs/PIM.md lists the same formulas.
 *
 * Not modelled: the NeuroSim SAR ADC's column-resistance term (the current through the cells is
 * charged separately as the analog read energy V²·G·t, see Crossbar), peripheral leakage and area.
 */
import type { AdcFormula, AdcModel, CrossbarParams } from './params.js';

/** One priced operation. */
export interface OpCost {
  /** Energy per operation, integer fJ. */
  energyFJ: number;
  /** Latency per operation, integer ps. */
  latencyPs: number;
  /** Where the formula and coefficients come from. */
  source: string;
}

/** NeuroSim SAR ADC fit at 22 nm LP: power (a·log2(levels) + b) µW. */
export const NEUROSIM_SAR = {
  aMicroW: 0.538,
  bMicroW: 4.3753,
  source: 'NeuroSim (DNN+NeuroSim) SAR ADC, 22 nm LP: latency (log2(levels)+1) ns, power (0.538·log2(levels)+4.3753) µW, energy = power × latency',
} as const;

/**
 * NeuroSim-style SAR ADC: one comparison per bit plus one sample phase, 1 ns each, at a power
 * that grows linearly with the resolution.
 */
export function neurosimSarAdc(bits: number): OpCost {
  const latencyNs = bits + 1;
  const powerMicroW = NEUROSIM_SAR.aMicroW * bits + NEUROSIM_SAR.bMicroW;
  // µW × ns = 1e-15 J = 1 fJ
  return { energyFJ: Math.round(powerMicroW * latencyNs), latencyPs: Math.round(latencyNs * 1000), source: NEUROSIM_SAR.source };
}

/** Table ADC presets: a converter of fixed resolution with power at a sample rate. */
export const ADC_TABLE: Record<Exclude<AdcModel, 'neurosim-sar'>, { bits: number; powerMW: number; rateGSps: number; source: string }> = {
  'isaac-8b': { bits: 8, powerMW: 2, rateGSps: 1.28, source: 'ISAAC (Shafiee et al., ISCA 2016): 8-bit ADC, 16 mW for 8 ADCs at 1.28 GS/s' },
  'mnsim-8b': { bits: 8, powerMW: 2, rateGSps: 1, source: "MNSIM 2.0 ADC table: 8-bit 2 mW at 1 GS/s (ISAAC's figure)" },
  'mnsim-6b': { bits: 6, powerMW: 1.26, rateGSps: 1, source: 'MNSIM 2.0 ADC table: 6-bit 1.26 mW at 1 GS/s' },
};

/**
 * A table preset priced by the named formula:
 * - 'mnsim': latency = (bits + 2) / rate, energy = latency × power (MNSIM 2.0);
 * - 'power-over-rate': latency = 1 / rate, energy = power / rate.
 * For mnsim-8b these give 20 pJ / 10 ns and 2 pJ / 1 ns: the 10× is the formula, not the device.
 */
export function tableAdc(model: Exclude<AdcModel, 'neurosim-sar'>, formula: AdcFormula): OpCost {
  const t = ADC_TABLE[model];
  const periodNs = 1 / t.rateGSps;
  const latencyNs = formula === 'mnsim' ? (t.bits + 2) * periodNs : periodNs;
  // mW × ns = 1e-12 J = 1000 fJ
  const energyFJ = t.powerMW * latencyNs * 1000;
  const how = formula === 'mnsim' ? 'MNSIM formula: latency (bits+2)/rate, energy latency × power' : 'formula: latency 1/rate, energy power ÷ rate';
  return { energyFJ: Math.round(energyFJ), latencyPs: Math.round(latencyNs * 1000), source: `${t.source}; ${how}` };
}

/** The ADC cost for a parameter set. */
export function adcCost(p: CrossbarParams): OpCost {
  return p.adcModel === 'neurosim-sar' ? neurosimSarAdc(p.adcBits) : tableAdc(p.adcModel, p.adcFormula);
}

/** ISAAC 1-bit DAC: 4 mW for 8×128 DACs, one conversion per 100 ns crossbar cycle. */
export const ISAAC_DAC = {
  powerMW: 4,
  count: 8 * 128,
  cycleNs: 100,
  source: 'ISAAC (Shafiee et al., ISCA 2016): 1-bit DACs, 8×128 per IMA, 4 mW, 100 ns crossbar cycle',
} as const;

/**
 * Word-line DAC per conversion: ISAAC's 1-bit figure (4 mW / 1024 DACs × 100 ns ≈ 391 fJ) times
 * (2^bits − 1) unit elements (assumption: a current-steering DAC of 2^bits − 1 unit cells).
 * Its settling is taken to overlap the read pulse (assumption), so it adds no latency.
 */
export function dacCost(bits: number): OpCost {
  const unitFJ = ((ISAAC_DAC.powerMW / ISAAC_DAC.count) * ISAAC_DAC.cycleNs) * 1000;
  return {
    energyFJ: Math.round(unitFJ * (2 ** bits - 1)),
    latencyPs: 0,
    source: `${ISAAC_DAC.source}; ×(2^bits−1) unit elements (assumption); settling overlaps the read pulse (assumption)`,
  };
}

/** Horowitz (ISSCC 2014, 45 nm, 0.9 V) integer add energies in fJ. */
export const HOROWITZ_ADD_FJ = { 8: 30, 16: 50, 32: 100 } as const;

/** Width of the shift-and-add accumulator for a parameter set. */
export function accumulatorBits(p: CrossbarParams): number {
  return p.adcBits + p.weightBits + p.inputBits + 1;
}

/**
 * One digital shift-and-add (or partial-sum add) of the accumulator width: the Horowitz add
 * energy of the next width up (8, 16 or 32 bits); one 1 GHz digital cycle (assumption).
 */
export function shiftAddCost(accBits: number): OpCost {
  const e = accBits <= 8 ? HOROWITZ_ADD_FJ[8] : accBits <= 16 ? HOROWITZ_ADD_FJ[16] : HOROWITZ_ADD_FJ[32];
  return { energyFJ: e, latencyPs: 1000, source: 'Horowitz ISSCC 2014 (45 nm): 8b/16b/32b add 0.03/0.05/0.1 pJ; 1 ns per add (assumption: 1 GHz digital clock)' };
}

/**
 * Programming one cell: E = Vw² · gMax · tw (the cell conducting at its on-state for the pulse;
 * assumption, an upper bound of the NeuroSim-style V²·G·t write energy). A row is written in a SET
 * phase and a RESET phase, all cells of the row in parallel: latency 2 · tw per row (assumption).
 */
export function cellWriteCost(p: CrossbarParams): OpCost {
  const joules = p.writeVoltage * p.writeVoltage * p.gMaxUS * 1e-6 * p.writePulseNs * 1e-9;
  return {
    energyFJ: Math.round(joules * 1e15),
    latencyPs: Math.round(2 * p.writePulseNs * 1000),
    source: 'E = Vw²·gMax·tw per cell, row latency 2·tw (SET + RESET phases); Vw, tw: assumption (typical RRAM pulse)',
  };
}

/** The per-operation prices of one array, derived once from its parameters. */
export interface CrossbarCosts {
  adc: OpCost;
  /** 1-bit sense amplifier for binary (XOR) reads: the NeuroSim SAR formula at 1 bit. */
  sense: OpCost;
  dac: OpCost;
  shiftAdd: OpCost;
  cellWrite: OpCost;
  /** Read pulse per input cycle, ps. */
  readPulsePs: number;
  /** Analog cell read: E = V² · G · t per cell and pulse (Ohm's law), evaluated on the programmed conductances. */
  readSource: string;
}

export function crossbarCosts(p: CrossbarParams): CrossbarCosts {
  return {
    adc: adcCost(p),
    sense: neurosimSarAdc(1),
    dac: dacCost(p.dacBits),
    shiftAdd: shiftAddCost(accumulatorBits(p)),
    cellWrite: cellWriteCost(p),
    readPulsePs: Math.round(p.readPulseNs * 1000),
    readSource: "E = Σ V_row² · G_cell · t_read over driven cells (Ohm's law), V_row = readVoltage · code / (2^dacBits − 1); readVoltage, t_read from MNSIM 2.0",
  };
}
