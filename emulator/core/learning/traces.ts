/**
 * Spike traces of the learning engine: pre-synaptic x1, x2 per input axon and post-synaptic
 * y1, y2, y3 per compartment, 7-bit unsigned (0..127), updated every step:
 *
 *   x ← x · (4096 − decay) / 4096, rounded          (decay; skipped when decay = 0)
 *   x ← min(127, x + impulse), rounded               (when the axon / compartment spiked this step)
 *
 * The impulse has 7 fractional bits (Lava: impulse_frac = round(frac · 2^7)). Rounding is
 * stochastic (round up with probability equal to the dropped fraction, a counter-based draw keyed
 * (seed, RNG_BLOCK.learning, step, index), so unbiased and reproducible), to nearest (half up), or
 * floor ("off"). Decay comes from tau as decay = round(4096 · (1 − e^(−1/tau))), tau = 0 meaning no
 * decay (Lava: traces with tau 0 do not decay).
 *
 * Not modelled: Loihi 1's per-trace decay in an epoch-wise lazy evaluation (Lava evaluates traces at
 * spike times with e^(−t/tau) once per epoch); aerie decays every step, so over n steps the
 * rounding is applied n times. Documented in docs/LEARNING.md.
 */
import { randU32, RNG_BLOCK } from '../../util/rng.js';
import type { Rounding } from './compile.js';
import type { TraceName } from './rule.js';
import { DECAY_BITS, DECAY_ONE, IMPULSE_FRAC_BITS, TRACE_MAX } from './widths.js';

/** How one trace responds to spikes: impulse per spike and per-step decay. */
export interface TraceParams {
  /** Added on a spike, 0 ≤ impulse ≤ 127, resolution 2^-7. */
  impulse: number;
  /** Per-step decay in 1/4096 (0 = none, 4096 = cleared every step). */
  decay: number;
}

/** Decay constant for a time constant tau (steps); tau 0 = no decay. */
export function decayFromTau(tau: number): number {
  if (!(tau > 0)) return 0;
  return Math.round(DECAY_ONE * (1 - Math.exp(-1 / tau)));
}

/** Fixed-point split of an impulse: integer part and 7-bit fraction (Lava _decompose_impulses). */
export function splitImpulse(impulse: number): { int: number; frac: number } {
  let int = Math.floor(impulse);
  let frac = Math.round((impulse - int) * (1 << IMPULSE_FRAC_BITS));
  if (frac === 1 << IMPULSE_FRAC_BITS) {
    int += 1;
    frac = 0;
  }
  return { int, frac };
}

const FRAC_DRAW_SHIFT = 32 - IMPULSE_FRAC_BITS; // compare a 7-bit draw with the fraction
const DECAY_DRAW_SHIFT = 32 - DECAY_BITS; // compare a 12-bit draw with the remainder
const HALF_DECAY = DECAY_ONE >> 1;
const HALF_FRAC = 1 << (IMPULSE_FRAC_BITS - 1);

/**
 * Update one trace array in place for one step. `spikes[i]` non-zero = element i spiked.
 * `indexBase` places this trace's elements in the RNG index space: element i draws with index
 * 4·(indexBase + i) (decay) and 4·(indexBase + i) + 2 (impulse); odd indices belong to synapses.
 */
export function stepTrace(
  values: Uint8Array,
  spikes: Uint8Array,
  decay: number,
  impulseInt: number,
  impulseFrac: number,
  rounding: Rounding,
  seed: number,
  step: number,
  indexBase: number,
): void {
  const mul = DECAY_ONE - decay;
  const block = RNG_BLOCK.learning;
  const n = values.length;
  // module constants copied to locals: the loop reads no imported bindings
  const bits = DECAY_BITS;
  const rmask = DECAY_ONE - 1;
  const half = HALF_DECAY;
  const halfFrac = HALF_FRAC;
  const max = TRACE_MAX;
  const rnd = randU32;
  const stochastic = rounding === 'stochastic';
  const nearest = rounding === 'nearest';
  for (let i = 0; i < n; i++) {
    let v = values[i];
    if (v !== 0 && decay !== 0) {
      const prod = v * mul;
      const r = prod & rmask;
      v = prod >>> bits;
      if (r !== 0) {
        if (stochastic) {
          if (rnd(seed, block, step, 4 * (indexBase + i)) >>> DECAY_DRAW_SHIFT < r) v += 1;
        } else if (nearest) {
          if (r >= half) v += 1;
        }
      }
    }
    if (spikes[i] !== 0) {
      v += impulseInt;
      if (impulseFrac !== 0) {
        if (stochastic) {
          if (rnd(seed, block, step, 4 * (indexBase + i) + 2) >>> FRAC_DRAW_SHIFT < impulseFrac) v += 1;
        } else if (nearest) {
          if (impulseFrac >= halfFrac) v += 1;
        }
      }
      if (v > max) v = max;
    }
    values[i] = v;
  }
}

/** The five traces of a plastic projection: x1, x2 per pre axon, y1, y2, y3 per post compartment. */
export class TraceBank {
  readonly x1: Uint8Array;
  readonly x2: Uint8Array;
  readonly y1: Uint8Array;
  readonly y2: Uint8Array;
  readonly y3: Uint8Array;
  private readonly intPart = new Int32Array(5);
  private readonly fracPart = new Int32Array(5);
  private readonly decays = new Int32Array(5);
  private readonly active = new Uint8Array(5);
  /** First RNG element index of each trace: x1, x2, y1, y2, y3 laid end to end. */
  private readonly indexBase = new Float64Array(5);

  constructor(
    readonly nPre: number,
    readonly nPost: number,
    params: Record<TraceName, TraceParams>,
    /** Traces that are updated (a rule that never reads a trace leaves it at 0, as Lava does). */
    active: ReadonlySet<TraceName>,
    readonly rounding: Rounding,
    readonly seed: number,
  ) {
    this.x1 = new Uint8Array(nPre);
    this.x2 = new Uint8Array(nPre);
    this.y1 = new Uint8Array(nPost);
    this.y2 = new Uint8Array(nPost);
    this.y3 = new Uint8Array(nPost);
    TRACE_ORDER.forEach((name, k) => {
      const { int, frac } = splitImpulse(params[name].impulse);
      this.intPart[k] = int;
      this.fracPart[k] = frac;
      this.decays[k] = params[name].decay;
      this.active[k] = active.has(name) ? 1 : 0;
    });
    this.indexBase.set([0, nPre, 2 * nPre, 2 * nPre + nPost, 2 * nPre + 2 * nPost]);
  }

  /** The trace array by name. */
  get(name: TraceName): Uint8Array {
    return this[name];
  }

  /** Decay every active trace and add impulses for this step's spikes. */
  step(step: number, preSpikes: Uint8Array, postSpikes: Uint8Array): void {
    const bases = this.indexBase;
    for (let k = 0; k < 5; k++) {
      if (this.active[k] === 0) continue;
      const values = k === 0 ? this.x1 : k === 1 ? this.x2 : k === 2 ? this.y1 : k === 3 ? this.y2 : this.y3;
      stepTrace(values, k < 2 ? preSpikes : postSpikes, this.decays[k], this.intPart[k], this.fracPart[k], this.rounding, this.seed, step, bases[k]);
    }
  }
}

export const TRACE_ORDER: readonly TraceName[] = ['x1', 'x2', 'y1', 'y2', 'y3'];
