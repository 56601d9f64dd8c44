/**
 * Bit-accurate Loihi CUBA LIF compartment, following Lava's PyLifModelBitAcc exactly
 * (see docs/NETWORK-FORMAT.md and ../shared/reference/loihi.md):
 *
 *   u' = T(u, 4096 − du − 1) + (a << 6)             T(x, r) = sgn(x)·floor(|x|·r / 4096)
 *   u' wraps once into (−2^23, 2^23]                 (24-bit current register)
 *   v' = clip(T(v, 4096 − dv) + u' + bias, ±(2^23 − 1))   bias = bias_mant << bias_exp, no ×64
 *   spike if v' > vth << 6 (strict); on a spike v = 0, u is kept
 *
 * Refractory r (Loihi 1 has it, Lava's model does not): after a spike at step t, v is held at 0
 * on steps t+1 … t+r while u keeps integrating. r = 0 is Lava exactly.
 *
 * Widths: u, v are 24-bit signed values held in Int32Array; du, dv 12-bit; vth 17-bit; bias
 * mantissa 13-bit signed; the decay products need 36 bits, computed exactly in float64 (a product of
 * integers below 2^53 and an exact power-of-two division).
 * Not modelled: multi-compartment dendritic trees, noise injection, threshold adaptation (see the
 * adaptive-threshold model), the Loihi 1 vmin clamp of nengo-loihi.
 */
import type { CompartmentModel, NeuroCore, Segment } from './neurocore.js';
import { LIF_UNIFORM_ACTIVE, lifVariant } from './kernels/index.js';

export const DECAY_UNITY = 4096;
export const DECAY_SHIFT = 12;
/** Lava's ds_offset: du is applied as du + 1. */
export const DU_OFFSET = 1;
/** Activation and threshold shifts (a << 6, vth << 6). */
export const ACT_SHIFT = 6;
export const VTH_SHIFT = 6;
/** 24-bit state: u wraps at ±2^23, v saturates at ±(2^23 − 1). */
export const MAX_UV = 2 ** 23;
export const V_MAX = MAX_UV - 1;
export const V_MIN = -(MAX_UV - 1);

const INV_UNITY = 1 / DECAY_UNITY;

/** sgn(x)·floor(|x|·r / 4096), exact for |x| < 2^24 and r ≤ 4096. */
export function decay(x: number, r: number): number {
  const p = x * r * INV_UNITY;
  return p < 0 ? -Math.floor(-p) : Math.floor(p);
}

/** Effective bias: bias_mant << bias_exp, arithmetic right shift for negative exponents. */
export function effectiveBias(mant: number, exp: number): number {
  return exp >= 0 ? mant * 2 ** exp : mant >> -exp;
}

export const lifBitAccurate: CompartmentModel = {
  kind: 'lif',
  implementation: 'bit-accurate',
  state: [
    { name: 'u', bits: 24, signed: true, description: 'synaptic current (wraps)' },
    { name: 'v', bits: 24, signed: true, description: 'membrane voltage (saturates)' },
    { name: 'refractory_count', bits: 6, signed: false, description: 'steps left with v held at 0' },
  ],
  setup(core: NeuroCore, seg: Segment, P: Record<string, Int32Array>): void {
    for (let j = 0; j < seg.count; j++) {
      const i = seg.local + j;
      const q = seg.first + j;
      core.decayU[i] = DECAY_UNITY - P.du[q] - DU_OFFSET;
      core.decayV[i] = DECAY_UNITY - P.dv[q];
      core.bias[i] = effectiveBias(P.bias_mant[q], P.bias_exp[q]);
      core.vthScaled[i] = P.vth[q] * 2 ** VTH_SHIFT;
      core.refractory[i] = P.refractory[q];
      core.u[i] = P.u_init[q];
      core.v[i] = P.v_init[q];
    }
    // parameters are fixed once set up: a population with one set of them takes a uniform kernel variant
    seg.lifVariant = lifVariant(core, seg.local, seg.local + seg.count);
  },
  kernelInput: true,
  update(core: NeuroCore, seg: Segment, _step: number): void {
    const kernel = core.lifBinding;
    if (kernel) {
      // the WebAssembly SIMD kernel (emulator/core/kernels/lif.wat), bit-identical to the loop below;
      // it reads the input the core pointed it at (core.input, or the accumulator slot in place)
      const variant = seg.lifVariant ?? 0;
      core.spikeCount = kernel.run(seg.local, seg.local + seg.count, core.spikeCount, variant);
      // LIF_UNIFORM_ACTIVE: a non-zero bias makes every compartment active (the kernel does not count)
      const active = variant === LIF_UNIFORM_ACTIVE ? seg.count : kernel.active;
      core.segActive[seg.index] += active;
      core.segInactive[seg.index] += seg.count - active;
      return;
    }
    const u = core.u;
    const v = core.v;
    const input = core.input;
    const ru = core.decayU;
    const rv = core.decayV;
    const bias = core.bias;
    const vth = core.vthScaled;
    const refr = core.refractory;
    const rcount = core.refractoryCount;
    const spikes = core.spikeBuf;
    let nSpikes = core.spikeCount;
    let active = 0;
    const end = seg.local + seg.count;
    for (let i = seg.local; i < end; i++) {
      const a = input[i];
      const u0 = u[i];
      const v0 = v[i];
      const b = bias[i];
      if (u0 !== 0 || v0 !== 0 || a !== 0 || b !== 0) active++;
      // current: decay toward zero, add a << 6 in 32-bit arithmetic, wrap once into 24 bits
      let p = u0 * ru[i] * INV_UNITY;
      let un = ((p < 0 ? -Math.floor(-p) : Math.floor(p)) + (a << ACT_SHIFT)) | 0;
      if (un > MAX_UV) un -= 2 * MAX_UV;
      else if (un <= -MAX_UV) un += 2 * MAX_UV;
      u[i] = un;
      if (rcount[i] > 0) {
        rcount[i]--;
        v[i] = 0;
        continue;
      }
      p = v0 * rv[i] * INV_UNITY;
      let vn = (p < 0 ? -Math.floor(-p) : Math.floor(p)) + un + b;
      if (vn > V_MAX) vn = V_MAX;
      else if (vn < V_MIN) vn = V_MIN;
      if (vn > vth[i]) {
        v[i] = 0;
        rcount[i] = refr[i];
        spikes[nSpikes++] = i;
      } else v[i] = vn;
    }
    core.spikeCount = nSpikes;
    core.segActive[seg.index] += active;
    core.segInactive[seg.index] += seg.count - active;
  },
};
