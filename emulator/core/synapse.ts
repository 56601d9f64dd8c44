/**
 * Synaptic weight semantics of Lava's PyDenseModelBitAcc (see docs/NETWORK-FORMAT.md):
 * sign mode inference, 8-bit clipping by sign mode, truncation to num_weight_bits, and weight_exp
 * applied to the summed input of a projection.
 */
import type { SignMode } from '../spec/network.js';

/** Loihi 1 synaptic weights are at most 8 bits of magnitude (+ sign in mixed mode). */
export const MAX_WEIGHT_BITS = 8;

/** Sign mode as Lava infers it when not given: all ≥ 0 excitatory, all ≤ 0 inhibitory, else mixed. */
export function inferSignMode(weights: ArrayLike<number>): SignMode {
  let pos = false;
  let neg = false;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] > 0) pos = true;
    else if (weights[i] < 0) neg = true;
  }
  if (pos && neg) return 'mixed';
  return neg ? 'inhibitory' : 'excitatory';
}

/**
 * Clip to the 8-bit range of the sign mode, then truncate to num_weight_bits:
 * mixed [−256, 255], excitatory [0, 255], inhibitory [−255, 0];
 * k = 8 − num_weight_bits + (mixed ? 1 : 0); w = (w >> k) << k (inhibitory: magnitude truncated).
 */
export function quantizeWeight(w: number, mode: SignMode, numWeightBits: number): number {
  const k = MAX_WEIGHT_BITS - numWeightBits + (mode === 'mixed' ? 1 : 0);
  if (mode === 'mixed') {
    const c = w < -256 ? -256 : w > 255 ? 255 : w;
    return (c >> k) << k;
  }
  if (mode === 'excitatory') {
    const c = w < 0 ? 0 : w > 255 ? 255 : w;
    return (c >> k) << k;
  }
  const c = w < -255 ? -255 : w > 0 ? 0 : w;
  return -((-c >> k) << k);
}

/** Apply weight_exp to a summed input: left shift when > 0, arithmetic right shift when < 0. */
export function scaleByWeightExp(sum: number, weightExp: number): number {
  return weightExp >= 0 ? (sum << weightExp) | 0 : sum >> -weightExp;
}
