/**
 * The device and ADC model shared by the analog (MVM) and binary (XOR/Hamming) crossbars: level →
 * conductance mapping, persistent programming error, stuck-at faults, finite on/off ratio, read
 * noise, and the ADC transfer function. Every random draw is keyed through the counter-based RNG
 * (emulator/util/rng.ts) so results depend only on (seed, array id, cell, operation), never on
 * call order.
 *
 * RNG keys: randU32(seed, RNG_BLOCK.crossbar, arrayId·4 + stream, index) with
 *   stream 0 (programming error): index = write generation of the row · cellsPerArray + cell
 *   stream 1 (stuck-at):          index = cell
 *   stream 2 (read noise):        index = operation counter · readsPerOp + read (column/line and pulse)
 */
import { RNG_BLOCK, randNormal, randUnit } from '../util/rng.js';
import type { CrossbarParams } from './params.js';

const STREAMS = 4;
const STREAM_PROGRAM = 0;
const STREAM_STUCK = 1;
const STREAM_READ = 2;

export const STUCK_NONE = 0;
export const STUCK_LOW = 1;
export const STUCK_HIGH = 2;

/** Conductances in µS of an array's cells, per level, with the device non-idealities applied. */
export class CellModel {
  /** On-state (highest level) conductance, µS. */
  readonly gOn: number;
  /** Off-state (level 0) conductance, µS: 0 when the on/off ratio is ideal. */
  readonly gOff: number;
  /**
   * Conductance step the periphery assumes when it converts current to a digital value:
   * gMax / levelMax (calibrated for an ideal device, so a finite on/off ratio shows as gain and offset error).
   */
  readonly gUnit: number;
  readonly levelMax: number;
  private readonly progSigma: number;
  private readonly progProportional: boolean;
  private readonly stuckLowP: number;
  private readonly stuckHighP: number;
  readonly readSigma: number;

  constructor(
    readonly params: CrossbarParams,
    levelMax: number,
    readonly seed: number,
  ) {
    const n = params.nonIdealities;
    this.levelMax = levelMax;
    this.gOn = params.gMaxUS;
    this.gOff = n.onOffRatio === null ? 0 : params.gMaxUS / n.onOffRatio;
    this.gUnit = params.gMaxUS / levelMax;
    this.progSigma = n.programmingError?.sigma ?? 0;
    this.progProportional = n.programmingError?.mode !== 'fixed';
    this.stuckLowP = n.stuckAt?.low ?? 0;
    this.stuckHighP = n.stuckAt?.high ?? 0;
    this.readSigma = n.readNoise?.sigma ?? 0;
  }

  get hasStuck(): boolean {
    return this.stuckLowP + this.stuckHighP > 0;
  }

  /** Stuck-at state of a physical cell (fixed for the life of the array). */
  stuckState(arrayId: number, cell: number): number {
    if (!this.hasStuck) return STUCK_NONE;
    const u = randUnit(this.seed, RNG_BLOCK.crossbar, arrayId * STREAMS + STREAM_STUCK, cell);
    if (u < this.stuckLowP) return STUCK_LOW;
    if (u < this.stuckLowP + this.stuckHighP) return STUCK_HIGH;
    return STUCK_NONE;
  }

  /**
   * Conductance after programming `level` into a cell: the ideal level plus the persistent
   * programming error of this write generation, clamped to [gOff, gOn]; stuck cells ignore the write.
   */
  program(level: number, stuck: number, arrayId: number, cell: number, generation: number, cellsPerArray: number): number {
    if (stuck === STUCK_LOW) return this.gOff;
    if (stuck === STUCK_HIGH) return this.gOn;
    let g = this.gOff + (level * (this.gOn - this.gOff)) / this.levelMax;
    if (this.progSigma > 0) {
      const z = randNormal(this.seed, RNG_BLOCK.crossbar, arrayId * STREAMS + STREAM_PROGRAM, generation * cellsPerArray + cell);
      g += this.progSigma * z * (this.progProportional ? g : this.gOn);
      if (g < this.gOff) g = this.gOff;
      else if (g > this.gOn) g = this.gOn;
    }
    return g;
  }

  /** Standard normal draw for read `index` of operation `op` on an array. */
  readNormal(arrayId: number, op: number, readsPerOp: number, index: number): number {
    return randNormal(this.seed, RNG_BLOCK.crossbar, arrayId * STREAMS + STREAM_READ, op * readsPerOp + index);
  }
}

/**
 * ADC transfer function: code = clamp(round(value / lsb), 0, maxCode), value in units of one
 * ideal level step at one DAC step. The full scale is clip × the worst-case column sum; when the
 * ADC has at least as many codes as that full scale, lsb = 1 unit (lossless apart from clipping),
 * otherwise lsb = fullScale / (2^bits − 1).
 */
export class AdcModel {
  readonly lsb: number;
  readonly maxCode: number;
  /** True when the converter reproduces every integer column sum exactly (no quantisation, no clipping). */
  readonly lossless: boolean;

  constructor(bits: number, worstCaseUnits: number, clip: number | null) {
    const fullScale = (clip ?? 1) * worstCaseUnits;
    const codes = 2 ** bits - 1;
    if (codes >= fullScale) {
      this.lsb = 1;
      this.maxCode = Math.floor(fullScale);
    } else {
      this.lsb = fullScale / codes;
      this.maxCode = codes;
    }
    this.lossless = this.lsb === 1 && clip === null;
  }

  convert(value: number): number {
    const c = Math.round(value / this.lsb);
    return c < 0 ? 0 : c > this.maxCode ? this.maxCode : c;
  }
}
