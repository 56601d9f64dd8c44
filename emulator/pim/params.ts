/**
 * The crossbar block's parameters, declared once: name, unit, default, source and meaning.
 * This table drives validation (`parseCrossbarParams`), docs/PIM.md and `aerie info`.
 *
 * Input shape (YAML/JSON map, every key optional):
 *   rows, cols, cellBits, gMin, gMax (µS) | rOn, rOff (Ω), signed, weightBits, inputBits, dacBits,
 *   adcBits, columnsPerAdc, adcModel, adcFormula, readVoltage, readPulseNs, writeVoltage,
 *   writePulseNs, nonIdealities: { programmingError: {sigma, mode}, readNoise: {sigma},
 *   stuckAt: {high, low}, onOffRatio: number | 'device', adc: {clip} }
 *
 * Every non-ideality is off unless its key is present.
 */
import { InputError } from '../errors.js';
import { Checker, type Path } from '../spec/validate.js';

/** One declared parameter (SST ELI / gem5 Param style). */
export interface ParamDecl {
  readonly name: string;
  readonly unit: string;
  readonly default: number | string | null;
  readonly source: string;
  readonly description: string;
}

export const SIGNED_MODES = ['differential', 'reference-column'] as const;
export type SignedMode = (typeof SIGNED_MODES)[number];

export const ADC_MODELS = ['neurosim-sar', 'isaac-8b', 'mnsim-8b', 'mnsim-6b'] as const;
export type AdcModel = (typeof ADC_MODELS)[number];

/**
 * How a table ADC preset (power P at sample rate f) becomes a per-conversion cost. The two
 * formulas differ by (bits + 2)× for the same device, so a preset must name which one it uses:
 * - 'mnsim': latency (bits + 2) / f, energy latency × P (MNSIM 2.0's convention);
 * - 'power-over-rate': latency 1 / f, energy P / f (one sample per 1/f at power P).
 */
export const ADC_FORMULAS = ['mnsim', 'power-over-rate'] as const;
export type AdcFormula = (typeof ADC_FORMULAS)[number];

export const PROGRAMMING_ERROR_MODES = ['fixed', 'proportional'] as const;
export type ProgrammingErrorMode = (typeof PROGRAMMING_ERROR_MODES)[number];

export interface NonIdealities {
  /** Persistent Gaussian programming error; sigma is a fraction of gMax ('fixed') or of the target G ('proportional'). */
  programmingError: { sigma: number; mode: ProgrammingErrorMode } | null;
  /** Read noise redrawn on every read pulse, Gaussian with sigma × G per cell. */
  readNoise: { sigma: number } | null;
  /** Fractions of cells stuck at high conductance (gMax) and at low conductance (off state). */
  stuckAt: { high: number; low: number } | null;
  /** Off-state conductance gMax / ratio instead of 0; 'device' takes the ratio gMax/gMin of the device. */
  onOffRatio: number | null;
  /** ADC full scale as a fraction of the worst-case column sum (clipping above it). */
  adcClip: number | null;
}

/** Fully resolved crossbar parameters. */
export interface CrossbarParams {
  rows: number;
  cols: number;
  cellBits: number;
  /** Device conductance range in µS (from gMin/gMax or 1/rOff, 1/rOn). */
  gMinUS: number;
  gMaxUS: number;
  signed: SignedMode;
  weightBits: number;
  inputBits: number;
  /** Two's-complement inputs (true) or unsigned inputs such as spikes (false). */
  signedInputs: boolean;
  dacBits: number;
  adcBits: number;
  columnsPerAdc: number;
  adcModel: AdcModel;
  adcFormula: AdcFormula;
  readVoltage: number;
  readPulseNs: number;
  writeVoltage: number;
  writePulseNs: number;
  nonIdealities: NonIdealities;
}

/** The declaration table. Defaults follow a NeuroSim-style sub-array with MNSIM 2.0 device numbers. */
export const CROSSBAR_PARAMS: readonly ParamDecl[] = [
  { name: 'rows', unit: 'cells', default: 128, source: 'NeuroSim (DNN+NeuroSim) 128×128 sub-array', description: 'word lines (inputs) of one array, 64..1024' },
  { name: 'cols', unit: 'cells', default: 128, source: 'NeuroSim 128×128 sub-array; CrossSim up to 1024×1024', description: 'bit lines (physical columns) of one array, 64..1024' },
  { name: 'cellBits', unit: 'bit', default: 1, source: 'NeuroSim (1 bit per cell)', description: 'conductance levels per cell = 2^cellBits' },
  { name: 'gMin', unit: 'µS', default: 1e6 / 150e3, source: 'MNSIM 2.0 (150 kΩ high-resistance state)', description: 'lowest device conductance (or give rOff in Ω)' },
  { name: 'gMax', unit: 'µS', default: 1e6 / 30e3, source: 'MNSIM 2.0 (30 kΩ low-resistance state)', description: 'highest device conductance (or give rOn in Ω)' },
  { name: 'rOn', unit: 'Ω', default: 30e3, source: 'MNSIM 2.0; CrossSim uses Rmin 1 kΩ', description: 'low-resistance state, alternative to gMax' },
  { name: 'rOff', unit: 'Ω', default: 150e3, source: 'MNSIM 2.0; CrossSim uses Rmax 10 kΩ', description: 'high-resistance state, alternative to gMin' },
  { name: 'signed', unit: '', default: 'reference-column', source: 'NeuroSim (reference column); CrossSim balanced core and MNSIM pos/neg crossbars (differential)', description: "signed weights by 'differential' pair or 'reference-column' offset" },
  { name: 'weightBits', unit: 'bit', default: 8, source: 'NeuroSim (8-bit weights, bit-sliced over cells)', description: 'differential: magnitude bits (|w| ≤ 2^weightBits − 1); reference-column: offset-binary width (−2^(weightBits−1) ≤ w < 2^(weightBits−1)); sliced over ceil(weightBits/cellBits) cells' },
  { name: 'inputBits', unit: 'bit', default: 8, source: 'NeuroSim (8-bit activations, one bit per cycle)', description: "two's-complement input width" },
  { name: 'signedInputs', unit: '', default: 'true', source: "NeuroSim (two's-complement activations); spikes are unsigned (assumption: no sign cycle for them)", description: "true: two's-complement inputs (one extra sign cycle); false: unsigned inputs 0..2^inputBits − 1 (binary spikes: inputBits 1)" },
  { name: 'dacBits', unit: 'bit', default: 1, source: 'NeuroSim (one input bit per cycle); aihwkit DAC 7 bit', description: 'input bits applied per read cycle' },
  { name: 'adcBits', unit: 'bit', default: 5, source: 'NeuroSim (4–5-bit ADC); aihwkit ADC 9 bit', description: 'ADC resolution, 1..24' },
  { name: 'columnsPerAdc', unit: 'columns', default: 8, source: 'NeuroSim (8 columns share an ADC); SpikeSim (one ADC per 8 columns)', description: 'columns multiplexed onto one ADC' },
  { name: 'adcModel', unit: '', default: 'neurosim-sar', source: 'NeuroSim SAR formula; ISAAC and MNSIM 2.0 tables', description: `converter cost model: ${ADC_MODELS.join(', ')}` },
  { name: 'adcFormula', unit: '', default: 'mnsim', source: 'MNSIM 2.0 ((bits+2)/rate × power) vs power ÷ rate', description: 'how a table preset becomes per-conversion energy/latency (ignored by neurosim-sar)' },
  { name: 'readVoltage', unit: 'V', default: 0.5, source: 'MNSIM 2.0 (0.5 V read)', description: 'word-line read voltage at full DAC code' },
  { name: 'readPulseNs', unit: 'ns', default: 3.16, source: 'MNSIM 2.0 (3.16 ns read)', description: 'read pulse width per input cycle' },
  { name: 'writeVoltage', unit: 'V', default: 2, source: 'assumption (typical RRAM SET/RESET amplitude)', description: 'programming pulse amplitude' },
  { name: 'writePulseNs', unit: 'ns', default: 10, source: 'assumption (typical RRAM programming pulse)', description: 'programming pulse width (one SET and one RESET phase per row write)' },
  { name: 'nonIdealities.programmingError.sigma', unit: 'fraction', default: null, source: 'CrossSim (persistent programming error); MNSIM 2.0 5 % variation', description: "Gaussian sigma: fraction of gMax ('fixed') or of target G ('proportional'); off when absent" },
  { name: 'nonIdealities.programmingError.mode', unit: '', default: 'proportional', source: 'CrossSim', description: "'fixed' or 'proportional'" },
  { name: 'nonIdealities.readNoise.sigma', unit: 'fraction of G', default: null, source: 'CrossSim (read noise redrawn per MVM); aihwkit output noise 0.06', description: 'Gaussian read noise per cell per read pulse; off when absent' },
  { name: 'nonIdealities.stuckAt.high', unit: 'fraction', default: null, source: 'MNSIM 2.0 (1 % stuck at low resistance = high conductance)', description: 'cells stuck at gMax; off when absent' },
  { name: 'nonIdealities.stuckAt.low', unit: 'fraction', default: null, source: 'MNSIM 2.0 (9 % stuck at high resistance = low conductance)', description: 'cells stuck at the off conductance; off when absent' },
  { name: 'nonIdealities.onOffRatio', unit: 'ratio', default: null, source: 'CrossSim (Rmax/Rmin = 10); MNSIM 2.0 (5)', description: "finite on/off ratio: off cells conduct gMax/ratio ('device' = gMax/gMin); off (ideal, 0 S) when absent" },
  { name: 'nonIdealities.adc.clip', unit: 'fraction', default: null, source: 'CrossSim ADC range calibration; NeuroSim ADC range', description: 'ADC full scale as a fraction of the worst-case column sum; off (1) when absent' },
];

const TOP_KEYS = [
  'rows', 'cols', 'cellBits', 'gMin', 'gMax', 'rOn', 'rOff', 'signed', 'weightBits', 'inputBits', 'signedInputs', 'dacBits',
  'adcBits', 'columnsPerAdc', 'adcModel', 'adcFormula', 'readVoltage', 'readPulseNs', 'writeVoltage',
  'writePulseNs', 'nonIdealities',
] as const;

/** Bits of the table ADC presets (a preset only describes a converter of its own resolution). */
export const ADC_PRESET_BITS: Record<Exclude<AdcModel, 'neurosim-sar'>, number> = {
  'isaac-8b': 8,
  'mnsim-8b': 8,
  'mnsim-6b': 6,
};

function decl(name: string): ParamDecl {
  const d = CROSSBAR_PARAMS.find((p) => p.name === name);
  if (!d) throw new Error(`crossbar parameter ${name} is not declared`);
  return d;
}

function dflt(name: string): number {
  return decl(name).default as number;
}

/**
 * Validate a raw crossbar map (from YAML/JSON or code) at `path`, recording every problem in
 * `check`. Returns resolved parameters, or undefined when there were problems.
 */
export function parseCrossbarParams(raw: unknown, check: Checker, path: Path = []): CrossbarParams | undefined {
  const before = check.problems.length;
  const rec = raw === undefined ? {} : check.object(raw, path, TOP_KEYS);
  if (!rec) return undefined;
  const at = (k: string): Path => [...path, k];
  const int = (k: string, lo: number, hi: number): number => {
    if (rec[k] === undefined) return dflt(k);
    return check.integer(rec[k], at(k), lo, hi) ?? dflt(k);
  };
  const num = (k: string, lo: number, hi: number, unit: string): number => {
    if (rec[k] === undefined) return dflt(k);
    return check.number(rec[k], at(k), lo, hi, unit) ?? dflt(k);
  };

  const rows = int('rows', 64, 1024);
  const cols = int('cols', 64, 1024);
  const cellBits = int('cellBits', 1, 8);
  const weightBits = int('weightBits', 1, 16);
  const inputBits = int('inputBits', 1, 16);
  const dacBits = int('dacBits', 1, 8);
  const adcBits = int('adcBits', 1, 24);
  const columnsPerAdc = int('columnsPerAdc', 1, 1024);
  const readVoltage = num('readVoltage', 0.01, 5, ' V');
  const readPulseNs = num('readPulseNs', 0.01, 1e6, ' ns');
  const writeVoltage = num('writeVoltage', 0.01, 10, ' V');
  const writePulseNs = num('writePulseNs', 0.01, 1e9, ' ns');
  const signedInputs = rec.signedInputs === undefined ? true : (check.boolean(rec.signedInputs, at('signedInputs')) ?? true);
  const signed = rec.signed === undefined ? 'reference-column' : (check.oneOf(rec.signed, at('signed'), SIGNED_MODES) ?? 'reference-column');
  const adcModel = rec.adcModel === undefined ? 'neurosim-sar' : (check.oneOf(rec.adcModel, at('adcModel'), ADC_MODELS) ?? 'neurosim-sar');
  const adcFormula = rec.adcFormula === undefined ? 'mnsim' : (check.oneOf(rec.adcFormula, at('adcFormula'), ADC_FORMULAS) ?? 'mnsim');

  // conductance range: either gMin/gMax in µS or rOn/rOff in Ω, not both
  let gMinUS = dflt('gMin');
  let gMaxUS = dflt('gMax');
  const hasG = rec.gMin !== undefined || rec.gMax !== undefined;
  const hasR = rec.rOn !== undefined || rec.rOff !== undefined;
  if (hasG && hasR) {
    check.fail(path, 'give the conductance range either as gMin/gMax (µS) or as rOn/rOff (Ω), not both');
  } else if (hasR) {
    const rOn = rec.rOn === undefined ? dflt('rOn') : check.number(rec.rOn, at('rOn'), 1, 1e12, ' Ω');
    const rOff = rec.rOff === undefined ? dflt('rOff') : check.number(rec.rOff, at('rOff'), 1, 1e12, ' Ω');
    if (rOn !== undefined && rOff !== undefined) {
      if (!(rOff > rOn)) check.fail(at('rOff'), `rOff (${rOff} Ω) must be larger than rOn (${rOn} Ω)`);
      gMaxUS = 1e6 / rOn;
      gMinUS = 1e6 / rOff;
    }
  } else if (hasG) {
    const gMin = rec.gMin === undefined ? dflt('gMin') : check.number(rec.gMin, at('gMin'), 0, 1e6, ' µS');
    const gMax = rec.gMax === undefined ? dflt('gMax') : check.number(rec.gMax, at('gMax'), 1e-6, 1e6, ' µS');
    if (gMin !== undefined && gMax !== undefined) {
      if (!(gMax > gMin)) check.fail(at('gMax'), `gMax (${gMax} µS) must be larger than gMin (${gMin} µS)`);
      gMinUS = gMin;
      gMaxUS = gMax;
    }
  }

  if (adcModel !== 'neurosim-sar' && rec.adcBits !== undefined && adcBits !== ADC_PRESET_BITS[adcModel]) {
    check.fail(at('adcBits'), `adcModel '${adcModel}' describes a ${ADC_PRESET_BITS[adcModel]}-bit converter; set adcBits to ${ADC_PRESET_BITS[adcModel]} or use adcModel 'neurosim-sar'`);
  }
  const resolvedAdcBits = adcModel === 'neurosim-sar' ? adcBits : ADC_PRESET_BITS[adcModel];
  if (columnsPerAdc > cols) check.fail(at('columnsPerAdc'), `${columnsPerAdc} columns per ADC exceeds the ${cols} columns of the array`);

  const nonIdealities = parseNonIdealities(rec.nonIdealities, check, at('nonIdealities'), gMaxUS / Math.max(gMinUS, 1e-300));

  const params: CrossbarParams = {
    rows, cols, cellBits, gMinUS, gMaxUS, signed, weightBits, inputBits, signedInputs, dacBits, adcBits: resolvedAdcBits,
    columnsPerAdc, adcModel, adcFormula, readVoltage, readPulseNs, writeVoltage, writePulseNs, nonIdealities,
  };
  if (check.problems.length === before) {
    // outputs are Int32: the worst case of one array must fit (with 16-bit weights and 64 columns
    // every layout still holds at least one weight column, so width needs no check)
    const g = crossbarGeometry(params);
    const worst = rows * Math.max(-g.weightMin, g.weightMax) * Math.max(-g.inputMin, g.inputMax);
    if (worst > 2147483647) {
      check.fail(path, `${rows} rows × ${weightBits}-bit weights × ${inputBits}-bit inputs can reach ${worst}, beyond a 32-bit output; use fewer rows or bits`);
    }
  }
  return check.problems.length === before ? params : undefined;
}

function parseNonIdealities(raw: unknown, check: Checker, path: Path, deviceRatio: number): NonIdealities {
  const out: NonIdealities = { programmingError: null, readNoise: null, stuckAt: null, onOffRatio: null, adcClip: null };
  if (raw === undefined) return out;
  const rec = check.object(raw, path, ['programmingError', 'readNoise', 'stuckAt', 'onOffRatio', 'adc']);
  if (!rec) return out;
  const at = (...k: (string | number)[]): Path => [...path, ...k];
  if (rec.programmingError !== undefined) {
    const pe = check.object(rec.programmingError, at('programmingError'), ['sigma', 'mode'], ['sigma']);
    if (pe) {
      const sigma = check.number(pe.sigma, at('programmingError', 'sigma'), 0, 10);
      const mode = pe.mode === undefined ? 'proportional' : check.oneOf(pe.mode, at('programmingError', 'mode'), PROGRAMMING_ERROR_MODES);
      if (sigma !== undefined && mode !== undefined && sigma > 0) out.programmingError = { sigma, mode };
    }
  }
  if (rec.readNoise !== undefined) {
    const rn = check.object(rec.readNoise, at('readNoise'), ['sigma'], ['sigma']);
    if (rn) {
      const sigma = check.number(rn.sigma, at('readNoise', 'sigma'), 0, 10);
      if (sigma !== undefined && sigma > 0) out.readNoise = { sigma };
    }
  }
  if (rec.stuckAt !== undefined) {
    const sa = check.object(rec.stuckAt, at('stuckAt'), ['high', 'low']);
    if (sa) {
      const high = sa.high === undefined ? 0 : check.number(sa.high, at('stuckAt', 'high'), 0, 1);
      const low = sa.low === undefined ? 0 : check.number(sa.low, at('stuckAt', 'low'), 0, 1);
      if (high !== undefined && low !== undefined) {
        if (high + low > 1) check.fail(at('stuckAt'), `stuck-at rates add up to ${high + low}, more than 1`);
        else if (high + low > 0) out.stuckAt = { high, low };
      }
    }
  }
  if (rec.onOffRatio !== undefined) {
    if (rec.onOffRatio === 'device') out.onOffRatio = deviceRatio;
    else if (typeof rec.onOffRatio === 'string') check.fail(at('onOffRatio'), `expected a number > 1 or 'device', got '${rec.onOffRatio}'`);
    else {
      const r = check.number(rec.onOffRatio, at('onOffRatio'), 1.000001, 1e12);
      if (r !== undefined) out.onOffRatio = r;
    }
  }
  if (rec.adc !== undefined) {
    const adc = check.object(rec.adc, at('adc'), ['clip'], ['clip']);
    if (adc) {
      const clip = check.number(adc.clip, at('adc', 'clip'), 1e-6, 1);
      if (clip !== undefined && clip < 1) out.adcClip = clip;
    }
  }
  return out;
}

/** Validate and resolve, throwing an InputError listing every problem. */
export function makeCrossbarParams(raw: unknown = {}, source = '<crossbar>'): CrossbarParams {
  const check = new Checker(source);
  const p = parseCrossbarParams(raw, check);
  check.throwIfAny();
  if (!p) throw new InputError(source, [{ where: '', message: 'invalid crossbar parameters' }]);
  return p;
}

/** True when no device or converter non-ideality is switched on (ADC resolution is checked separately). */
export function noNonIdealities(n: NonIdealities): boolean {
  return n.programmingError === null && n.readNoise === null && n.stuckAt === null && n.onOffRatio === null && n.adcClip === null;
}

/** Layout derived from the parameters (see docs/PIM.md, "Array layout"). */
export interface CrossbarGeometry {
  /** Cells per weight magnitude: ceil(weightBits / cellBits). */
  slices: number;
  /** 2 for a differential pair, 1 for reference-column. */
  pairs: number;
  /** Physical columns per logical weight column: slices × pairs. */
  colsPerWeight: number;
  /** Reference columns (one per slice) in reference-column mode. */
  refCols: number;
  /** Logical weight columns per array. */
  weightCols: number;
  /** Highest cell level, 2^cellBits − 1. */
  levelMax: number;
  /** Smallest and largest storable weight. */
  weightMin: number;
  weightMax: number;
  /** Offset added to weights in reference-column mode (0 for differential). */
  weightOffset: number;
  /** Input range: two's complement of inputBits, or 0..2^inputBits − 1 for unsigned inputs. */
  inputMin: number;
  inputMax: number;
  /** Input bits applied as unsigned digits: inputBits − 1 (signed) or inputBits (unsigned). */
  magnitudeBits: number;
  /** Bit-serial cycles for the magnitude bits, and in total (plus one sign cycle for signed inputs). */
  lowCycles: number;
  cycles: number;
  /** Largest DAC code, 2^dacBits − 1. */
  dacMax: number;
}

export function crossbarGeometry(p: CrossbarParams): CrossbarGeometry {
  const slices = Math.ceil(p.weightBits / p.cellBits);
  const pairs = p.signed === 'differential' ? 2 : 1;
  const refCols = p.signed === 'reference-column' ? slices : 0;
  const colsPerWeight = slices * pairs;
  const weightCols = Math.floor((p.cols - refCols) / colsPerWeight);
  const levelMax = 2 ** p.cellBits - 1;
  const diff = p.signed === 'differential';
  const weightMax = diff ? 2 ** p.weightBits - 1 : 2 ** (p.weightBits - 1) - 1;
  const weightMin = diff ? -weightMax : -(2 ** (p.weightBits - 1));
  const weightOffset = diff ? 0 : 2 ** (p.weightBits - 1);
  const magnitudeBits = p.signedInputs ? p.inputBits - 1 : p.inputBits;
  const lowCycles = Math.ceil(magnitudeBits / p.dacBits);
  return {
    slices, pairs, colsPerWeight, refCols, weightCols, levelMax, weightMin, weightMax, weightOffset,
    inputMin: p.signedInputs ? -(2 ** (p.inputBits - 1)) : 0,
    inputMax: 2 ** magnitudeBits - 1,
    magnitudeBits, lowCycles, cycles: lowCycles + (p.signedInputs ? 1 : 0), dacMax: 2 ** p.dacBits - 1,
  };
}
