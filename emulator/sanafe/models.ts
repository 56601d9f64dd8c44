/**
 * SANA-FE's soma models as a second, floating-point neuron implementation (aerie's bit-accurate Loihi
 * LIF lives in emulator/core/lif.ts). State and parameters are structure-of-arrays over all neurons
 * (Float64Array), one kernel call per neuron in the core's processing order; nothing is allocated.
 *
 * loihi_lif / leaky_integrate_fire (SANA-FE LoihiLifModel), per step:
 *   updated ⇔ potential ≠ 0 or input arrived or bias ≠ 0 or force_update   (tested first)
 *   current ×= input_decay, potential ×= leak_decay (not on the first step)
 *   potential = trunc(potential × 64) / 64                                   (toward zero)
 *   unless refractory: potential += bias; current += input; potential += current;
 *     fire ⇔ potential > threshold → hard: potential = reset | soft: −= threshold | none;
 *     potential < reverse_threshold → soft: −= reverse_threshold | hard: = reverse_reset |
 *     saturate: = reverse_threshold | none
 *   Defaults: threshold 0, reverse_threshold 0, reset 0, reset_mode hard, reverse mode none,
 *   leak_decay 1, input_decay 0, bias 0, refractory_delay 0.
 * truenorth (SANA-FE TrueNorthModel): additive leak (toward zero or signed), bias, input;
 *   fire ⇔ potential + (rand & random_mask) ≥ threshold; reverse threshold checked with ≤.
 *   The random draw is aerie's counter-based generator (SANA-FE uses C rand()).
 * input (SANA-FE InputModel): fires from a spike list, a Poisson probability or a regular rate.
 *   SANA-FE keeps ONE spike list and ONE cursor per input hardware unit: every neuron on the unit
 *   advances the cursor when it is updated, and the last neuron mapped sets the list. This is
 *   reproduced (it decides the results of SANA-FE's own examples); give each input neuron its own
 *   unit (`loihi_inputs[0..1023]` in arch_loihi.yaml) for one list per neuron.
 */
import { RNG_BLOCK, randU32, randUnit } from '../util/rng.js';

export const SOMA_MODEL = { lif: 0, truenorth: 1, input: 2 } as const;

export const RESET_MODE = { none: 0, soft: 1, hard: 2, saturate: 3 } as const;

/** Neuron status after an update (SANA-FE NeuronStatus). */
export const STATUS = { idle: 0, updated: 1, fired: 2 } as const;

export class SomaState {
  readonly n: number;
  // state
  readonly potential: Float64Array;
  readonly current: Float64Array;
  readonly refractoryCount: Int32Array;
  // parameters
  readonly model: Uint8Array;
  readonly threshold: Float64Array;
  readonly reverseThreshold: Float64Array;
  readonly reset: Float64Array;
  readonly reverseReset: Float64Array;
  readonly resetMode: Uint8Array;
  readonly reverseResetMode: Uint8Array;
  readonly leakDecay: Float64Array;
  readonly inputDecay: Float64Array;
  readonly bias: Float64Array;
  readonly refractoryDelay: Int32Array;
  readonly force: Uint8Array;
  readonly leak: Float64Array;
  readonly leakTowardsZero: Uint8Array;
  readonly randomMask: Uint32Array;
  // input units: per neuron its input unit; per unit the spike list (CSR), cursor, Poisson p and rate
  readonly inputUnit: Int32Array;
  unitSpikeStart: Uint32Array = new Uint32Array(1);
  unitSpikes: Uint8Array = new Uint8Array(0);
  unitCursor: Uint32Array = new Uint32Array(0);
  unitPoisson: Float64Array = new Float64Array(0);
  unitRatePeriod: Float64Array = new Float64Array(0);
  seed = 0;

  constructor(n: number) {
    this.n = n;
    this.potential = new Float64Array(n);
    this.current = new Float64Array(n);
    this.refractoryCount = new Int32Array(n);
    this.model = new Uint8Array(n);
    this.threshold = new Float64Array(n);
    this.reverseThreshold = new Float64Array(n);
    this.reset = new Float64Array(n);
    this.reverseReset = new Float64Array(n);
    this.resetMode = new Uint8Array(n).fill(RESET_MODE.hard);
    this.reverseResetMode = new Uint8Array(n).fill(RESET_MODE.none);
    this.leakDecay = new Float64Array(n).fill(1);
    this.inputDecay = new Float64Array(n);
    this.bias = new Float64Array(n);
    this.refractoryDelay = new Int32Array(n);
    this.force = new Uint8Array(n);
    this.leak = new Float64Array(n);
    this.leakTowardsZero = new Uint8Array(n).fill(1);
    this.randomMask = new Uint32Array(n);
    this.inputUnit = new Int32Array(n).fill(-1);
  }

  /** Clear the dynamic state (potentials, currents, refractory counts, input cursors). */
  resetState(): void {
    this.potential.fill(0);
    this.current.fill(0);
    this.refractoryCount.fill(0);
    this.unitCursor.fill(0);
  }
}

/** One soma update of neuron i at `step` (1-based) with dendritic input (hasInput = 0: none). */
export function somaUpdate(s: SomaState, i: number, step: number, hasInput: number, input: number): number {
  switch (s.model[i]) {
    case SOMA_MODEL.lif:
      return lifUpdate(s, i, step, hasInput, input);
    case SOMA_MODEL.truenorth:
      return truenorthUpdate(s, i, step, hasInput, input);
    default:
      return inputUpdate(s, i, step);
  }
}

export function lifUpdate(s: SomaState, i: number, step: number, hasInput: number, input: number): number {
  let v = s.potential[i];
  let u = s.current[i];
  const bias = s.bias[i];
  let status: number = v !== 0 || hasInput !== 0 || bias !== 0 || s.force[i] !== 0 ? STATUS.updated : STATUS.idle;
  if (step > 1) {
    u *= s.inputDecay[i];
    v *= s.leakDecay[i];
  }
  v = Math.trunc(v * 64) / 64;
  if (s.refractoryCount[i] > 0) {
    s.refractoryCount[i]--;
    s.potential[i] = v;
    s.current[i] = u;
    return status;
  }
  v += bias;
  if (hasInput !== 0) u += input;
  v += u;
  const th = s.threshold[i];
  if (v > th) {
    const m = s.resetMode[i];
    if (m === RESET_MODE.hard) v = s.reset[i];
    else if (m === RESET_MODE.soft) v -= th;
    status = STATUS.fired;
    s.refractoryCount[i] = s.refractoryDelay[i];
  }
  const rth = s.reverseThreshold[i];
  if (v < rth) {
    const m = s.reverseResetMode[i];
    if (m === RESET_MODE.soft) v -= rth;
    else if (m === RESET_MODE.hard) v = s.reverseReset[i];
    else if (m === RESET_MODE.saturate) v = rth;
  }
  s.potential[i] = v;
  s.current[i] = u;
  return status;
}

export function truenorthUpdate(s: SomaState, i: number, step: number, hasInput: number, input: number): number {
  let v = s.potential[i];
  const bias = s.bias[i];
  let status: number = v !== 0 || hasInput !== 0 || bias !== 0 || s.force[i] !== 0 ? STATUS.updated : STATUS.idle;
  const leak = s.leak[i];
  if (s.leakTowardsZero[i] !== 0) {
    if (v > 0) v -= leak;
    else if (v < 0) v += leak;
  } else v += leak;
  v += bias;
  if (hasInput !== 0) v += input;
  let probe = v;
  const mask = s.randomMask[i];
  if (mask !== 0) probe += (randU32(s.seed, RNG_BLOCK.sanafe, step, i) & mask) >>> 0;
  if (probe >= s.threshold[i]) {
    const m = s.resetMode[i];
    if (m === RESET_MODE.hard) v = s.reset[i];
    else if (m === RESET_MODE.soft) v -= s.threshold[i];
    else if (m === RESET_MODE.saturate) v = s.threshold[i];
    status = STATUS.fired;
  } else if (probe <= s.reverseThreshold[i]) {
    const m = s.reverseResetMode[i];
    if (m === RESET_MODE.hard) v = s.reverseReset[i];
    else if (m === RESET_MODE.soft) v += s.reverseThreshold[i];
    else if (m === RESET_MODE.saturate) v = s.reverseThreshold[i];
  }
  s.potential[i] = v;
  return status;
}

export function inputUpdate(s: SomaState, i: number, step: number): number {
  const u = s.inputUnit[i];
  if (u < 0) return STATUS.idle;
  let fire = false;
  const c = s.unitCursor[u];
  const end = s.unitSpikeStart[u + 1];
  if (s.unitSpikeStart[u] + c < end) {
    fire = s.unitSpikes[s.unitSpikeStart[u] + c] !== 0;
    s.unitCursor[u] = c + 1;
  }
  const p = s.unitPoisson[u];
  if (p > 0 && p > randUnit(s.seed, RNG_BLOCK.sanafe, step, i)) fire = true;
  const period = s.unitRatePeriod[u];
  if (period > 0 && step % period === 0) fire = true;
  return fire ? STATUS.fired : STATUS.idle;
}
