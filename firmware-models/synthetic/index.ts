/**
 * Synthetic networks for scale benchmarks: `cores × compartmentsPerCore` LIF compartments in
 * populations of one core each, every compartment firing at about `rateHz` (bias-driven with random
 * initial voltages, so firing is asynchronous), with `fanIn` synapses per compartment drawn from its
 * own population and the next one (local connectivity keeps every compartment's output axons at ≤ 2,
 * as a real mapping of a large network would).
 */
import { NetworkBuilder, RNG_BLOCK, randU32, type NetworkSpec } from '../../emulator/index.js';

export interface SyntheticOptions {
  populations: number;
  size: number;
  fanIn: number;
  rateHz?: number;
  seed?: number;
}

export function buildSynthetic(o: SyntheticOptions): NetworkSpec {
  const rate = o.rateHz ?? 10;
  const seed = o.seed ?? 1;
  const b = new NetworkBuilder({ name: `synthetic-${o.populations}x${o.size}`, dt: 1e-3, seed });
  // v rises by `bias` per step with no leak: period = threshold / bias steps = 1 / (rate · dt)
  const period = Math.round(1 / (rate * 1e-3));
  const bias = 64;
  const vth = Math.round((period * bias) / 64);
  const half = Math.floor(o.fanIn / 2);
  for (let k = 0; k < o.populations; k++) {
    const vInit = new Array<number>(o.size);
    for (let i = 0; i < o.size; i++) vInit[i] = Math.floor((randU32(seed, RNG_BLOCK.workload, k, i) / 2 ** 32) * vth * 64);
    b.lif(`p${k}`, o.size, { du: 4095, dv: 0, vth, bias_mant: bias, v_init: vInit });
  }
  for (let k = 0; k < o.populations; k++) {
    const next = `p${(k + 1) % o.populations}`;
    // 3-bit mixed weights (−64, 0 or 64, mean zero) scaled by 2^-4: a synapse entry is 4 + 10 bits, so
    // 1,024 compartments × 64 synapses fit Loihi's 16,384 × 64-bit synapse words
    const syn = { weight: { min: -64, max: 127 }, sign_mode: 'mixed', num_weight_bits: 3, weight_exp: -4 } as const;
    b.project(`p${k}`, `p${k}`, { connect: { fan_in: half, weight: syn.weight, seed: seed * 1000 + 2 * k }, sign_mode: syn.sign_mode, num_weight_bits: syn.num_weight_bits, weight_exp: syn.weight_exp });
    if (o.populations > 1)
      b.project(next, `p${k}`, { connect: { fan_in: o.fanIn - half, weight: syn.weight, seed: seed * 1000 + 2 * k + 1 }, sign_mode: syn.sign_mode, num_weight_bits: syn.num_weight_bits, weight_exp: syn.weight_exp });
  }
  return b.build();
}
