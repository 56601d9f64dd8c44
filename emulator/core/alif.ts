/**
 * Adaptive-threshold LIF compartment (`kind: alif`), following Lava's ATRLIF fixed-point model
 * (PyATRLIFModelFixed, lava/proc/atrlif/models.py: "adaptive threshold and refractoriness LIF").
 * Per step, with T(x, r) = sgn(x)·floor(|x|·r / 4096) as the LIF:
 *
 *   i'     = T(i, 4096 − du − 1) + (a << 6), wrapped once into (−2^23, 2^23]     (as the LIF u)
 *   v'     = clip(T(v, 4096 − dv) + i' + bias, ±(2^23 − 1))                       bias = bias_mant << bias_exp
 *   theta' = T(theta − theta_0·2^6, 4096 − d_theta) + theta_0·2^6                  decays back to theta_0
 *   r'     = T(r, 4096 − d_r)                                                      refractory variable
 *   spike if v' − r' ≥ theta'   (non-strict, as Lava's ATRLIF)
 *   on a spike: r' += 2·theta';  theta' += theta_step·2^6;  v is NOT reset (r acts as the reset)
 *
 * Widths: i, v, theta, r are 24-bit signed state (Int32Array); du, dv, d_theta, d_r 12-bit;
 * theta_0 and theta_step 12-bit unsigned mantissas MSB-aligned by 6 bits (Lava theta_unity = 2^6).
 * Lava leaves theta and r unclipped (its source notes clipping as an open question); aerie saturates both at 2^23 − 1
 * (assumption: the 24-bit register). Lava's decays are written delta·4096 with delta a fraction;
 * aerie takes the 12-bit integer directly, as its LIF du/dv.
 *
 * State: i in core.u, v in core.v (so `.u`/`.v` probes work), theta and r in seg.vars.
 */
import type { CompartmentModel, NeuroCore, Segment } from './neurocore.js';
import { ACT_SHIFT, DECAY_UNITY, DU_OFFSET, MAX_UV, V_MAX, V_MIN, VTH_SHIFT, effectiveBias } from './lif.js';

const INV_UNITY = 1 / DECAY_UNITY;
/** theta and r saturate at the 24-bit maximum (aerie assumption; Lava does not clip). */
export const ALIF_STATE_MAX = MAX_UV - 1;

export const alifFixed: CompartmentModel = {
  kind: 'alif',
  implementation: 'fixed-point (Lava ATRLIF)',
  state: [
    { name: 'u', bits: 24, signed: true, description: 'synaptic current i (wraps)' },
    { name: 'v', bits: 24, signed: true, description: 'membrane voltage (saturates, not reset on a spike)' },
    { name: 'theta', bits: 24, signed: true, description: 'adaptive threshold (× 2^6), decays to theta_0' },
    { name: 'r', bits: 24, signed: true, description: 'refractory variable, +2·theta per spike, decays' },
  ],
  setup(core: NeuroCore, seg: Segment, P: Record<string, Int32Array>): void {
    const n = seg.count;
    const vars = {
      theta: new Int32Array(n),
      r: new Int32Array(n),
      decayTheta: new Int32Array(n),
      decayR: new Int32Array(n),
      theta0: new Int32Array(n),
      thetaStep: new Int32Array(n),
    };
    for (let j = 0; j < n; j++) {
      const i = seg.local + j;
      const q = seg.first + j;
      core.decayU[i] = DECAY_UNITY - P.du[q] - DU_OFFSET;
      core.decayV[i] = DECAY_UNITY - P.dv[q];
      core.bias[i] = effectiveBias(P.bias_mant[q], P.bias_exp[q]);
      core.u[i] = P.u_init[q];
      core.v[i] = P.v_init[q];
      vars.decayTheta[j] = DECAY_UNITY - P.d_theta[q];
      vars.decayR[j] = DECAY_UNITY - P.d_r[q];
      vars.theta0[j] = P.theta_0[q] * 2 ** VTH_SHIFT;
      vars.thetaStep[j] = P.theta_step[q] * 2 ** VTH_SHIFT;
      vars.theta[j] = vars.theta0[j];
    }
    seg.vars = vars;
  },
  update(core: NeuroCore, seg: Segment, _step: number): void {
    const u = core.u;
    const v = core.v;
    const input = core.input;
    const ru = core.decayU;
    const rv = core.decayV;
    const bias = core.bias;
    const V = seg.vars!;
    const theta = V.theta;
    const r = V.r;
    const rt = V.decayTheta;
    const rr = V.decayR;
    const th0 = V.theta0;
    const thStep = V.thetaStep;
    const spikes = core.spikeBuf;
    let nSpikes = core.spikeCount;
    let active = 0;
    const base = seg.local;
    for (let j = 0; j < seg.count; j++) {
      const i = base + j;
      const a = input[i];
      const u0 = u[i];
      const v0 = v[i];
      const b = bias[i];
      const t0 = th0[j];
      const thd = theta[j] - t0;
      const r0 = r[j];
      if (u0 !== 0 || v0 !== 0 || a !== 0 || b !== 0 || thd !== 0 || r0 !== 0) active++;
      let p = u0 * ru[i] * INV_UNITY;
      let un = ((p < 0 ? -Math.floor(-p) : Math.floor(p)) + (a << ACT_SHIFT)) | 0;
      if (un > MAX_UV) un -= 2 * MAX_UV;
      else if (un <= -MAX_UV) un += 2 * MAX_UV;
      u[i] = un;
      p = v0 * rv[i] * INV_UNITY;
      let vn = (p < 0 ? -Math.floor(-p) : Math.floor(p)) + un + b;
      if (vn > V_MAX) vn = V_MAX;
      else if (vn < V_MIN) vn = V_MIN;
      v[i] = vn;
      p = thd * rt[j] * INV_UNITY;
      let tn = (p < 0 ? -Math.floor(-p) : Math.floor(p)) + t0;
      p = r0 * rr[j] * INV_UNITY;
      let rn = p < 0 ? -Math.floor(-p) : Math.floor(p);
      if (vn - rn >= tn) {
        spikes[nSpikes++] = i;
        rn += 2 * tn;
        tn += thStep[j];
        if (rn > ALIF_STATE_MAX) rn = ALIF_STATE_MAX;
        if (tn > ALIF_STATE_MAX) tn = ALIF_STATE_MAX;
      }
      theta[j] = tn;
      r[j] = rn;
    }
    core.spikeCount = nSpikes;
    core.segActive[seg.index] += active;
    core.segInactive[seg.index] += seg.count - active;
  },
};
