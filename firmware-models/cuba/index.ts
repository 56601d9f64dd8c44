/**
 * CUBA (Brette et al. 2007; Brian2 examples/CUBA.py) in Loihi fixed point: 4,000 LIF compartments,
 * 3,200 excitatory + 800 inhibitory, connection probability 0.02, dt = 0.1 ms.
 *
 * Brian's CUBA: τm 20 ms, τe 5 ms, τi 10 ms, Vt −50 mV, Vr −60 mV, El −49 mV, we = 1.62 mV,
 * wi = −9 mV, refractory 5 ms, v0 uniform in [Vr, Vt]. Conversion to Loihi units (all derivations in
 * firmware-models/cuba/README.md):
 * - voltage relative to Vr, S = 819,200 units per mV, so the 10 mV threshold is vth = 10·S/64 = 128,000;
 * - dv = round(4096·dt/τm) = 20; du from τe: 4096 − du − 1 = round(4096·(1 − dt/τe)) → du = 81;
 * - a Loihi compartment has one current decay: inhibition uses τe too, and its weight is doubled
 *   (τi/τe = 2) so the integrated charge of an inhibitory spike matches Brian's (an approximation);
 * - per-step current of a spike: we·dt/τm = 0.0081 mV = 6,635 units = w << 6 → w = 104;
 *   inhibitory: 2·9·0.005 mV·S / 64 = 1,152 = −144 << 3 → weight −144, weight_exp 3 — raised to −176
 *   (22 % stronger) so the mean rate sits at ~6 Hz, mid-band (with −144 it is 7.0 Hz, at the edge);
 * - leak toward El: (El − Vr)·dt/τm = 0.055 mV = 45,056 units per step = 2,816 << 4 (bias);
 * - refractory 5 ms = 50 steps.
 */
import { NetworkBuilder, RNG_BLOCK, randU32, type NetworkSpec } from '../../emulator/index.js';
import type { DenseTaskSpec } from '../../emulator/energy/dense.js';

export interface CubaOptions {
  /** Compartments in all (80 % excitatory). Default 4,000. */
  neurons?: number;
  /** Connection probability. Default 0.02. */
  p?: number;
  seed?: number;
}

export const CUBA = {
  dt: 1e-4,
  unitsPerMv: 819_200,
  vth: 128_000,
  du: 81,
  dv: 20,
  biasMant: 2816,
  biasExp: 4,
  refractory: 50,
  wExc: 104,
  wInh: -176,
  wInhExp: 3,
} as const;

export function buildCuba(opts: CubaOptions = {}): NetworkSpec {
  const n = opts.neurons ?? 4000;
  const nExc = Math.round(n * 0.8);
  const nInh = n - nExc;
  const p = opts.p ?? 0.02;
  const seed = opts.seed ?? 1;
  const b = new NetworkBuilder({ name: 'cuba', dt: CUBA.dt, seed });
  const vInit = (count: number, offset: number): number[] => {
    // v0 uniform in [Vr, Vt): [0, vth << 6) in Loihi units, drawn from the counter-based generator
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(Math.floor((randU32(seed, RNG_BLOCK.workload, 0, offset + i) / 2 ** 32) * CUBA.vth * 64));
    return out;
  };
  const params = { du: CUBA.du, dv: CUBA.dv, vth: CUBA.vth, bias_mant: CUBA.biasMant, bias_exp: CUBA.biasExp, refractory: CUBA.refractory };
  b.lif('exc', nExc, { ...params, v_init: vInit(nExc, 0) });
  b.lif('inh', nInh, { ...params, v_init: vInit(nInh, nExc) });
  b.project('exc', 'exc', { connect: { p, weight: CUBA.wExc, seed: seed * 4 + 1 } });
  b.project('exc', 'inh', { connect: { p, weight: CUBA.wExc, seed: seed * 4 + 2 } });
  b.project('inh', 'exc', { connect: { p, weight: CUBA.wInh, seed: seed * 4 + 3 }, weight_exp: CUBA.wInhExp });
  b.project('inh', 'inh', { connect: { p, weight: CUBA.wInh, seed: seed * 4 + 4 }, weight_exp: CUBA.wInhExp });
  return b.build();
}

/**
 * The task-equivalent dense computation of CUBA: a clock-driven simulation that multiplies the full
 * N × N weight matrix (zeros included) with the spike vector every step and updates every neuron —
 * what a dense GPU/CPU implementation of the same network does (float32 state, one pass per step).
 */
export function cubaDenseTask(neurons: number, steps: number): DenseTaskSpec {
  return {
    name: 'dense clock-driven CUBA',
    description: `${neurons} × ${neurons} weight matrix × spike vector and ${neurons} neuron updates per step, ${steps} steps (fp32)`,
    macs: neurons * neurons * steps,
    bytes: (neurons * neurons * 4 + neurons * 4 * 4) * steps,
    precision: 'fp32',
    passes: steps,
  };
}
