/**
 * Sigma-delta compartment (`kind: sigma-delta`), a graded-spike neuron following Lava's
 * SigmaDelta fixed-point model (PySigmaDeltaModelFixed, lava/proc/sdn/models.py, cum_error off):
 *
 *   sigma'  = sat24(sigma + a)                        sigma decoding: accumulate the input a
 *   act'    = relu ? max(0, sigma' + bias) : sigma' + bias
 *   delta   = act' − act + residue                    delta encoding against the last value
 *   s       = |delta| ≥ vth ? delta : 0
 *   residue = delta − s;  act = act'
 *   payload = s >> state_exp; a graded spike is sent when payload ≠ 0
 *
 * `a` is the summed synaptic input (weight × payload for graded input, after weight_exp), without
 * the LIF's << 6 (Lava's SigmaDelta adds a_in directly). The payload saturates to the
 * architecture's payload width (Loihi 2: 24 bits, ±(2^23 − 1)).
 * Widths (Lava): sigma, act, residue, vth 24-bit; bias 16-bit; state_exp 3-bit. Lava's int32 sigma
 * can exceed 24 bits; aerie saturates it at ±(2^23 − 1) (assumption: the 24-bit register).
 *
 * State: sigma in core.u, act in core.v (so `.u`/`.v` probes read them), residue in seg.vars;
 * bias in core.bias, vth in core.vthScaled.
 */
import type { CompartmentModel, NeuroCore, Segment } from './neurocore.js';
import { V_MAX, V_MIN } from './lif.js';

export const sigmaDeltaFixed: CompartmentModel = {
  kind: 'sigma-delta',
  implementation: 'fixed-point (Lava SigmaDelta)',
  graded: true,
  state: [
    { name: 'u', bits: 24, signed: true, description: 'sigma: accumulated input (saturates)' },
    { name: 'v', bits: 24, signed: true, description: 'act: activation at the last step' },
    { name: 'residue', bits: 24, signed: true, description: 'delta not yet sent' },
  ],
  setup(core: NeuroCore, seg: Segment, P: Record<string, Int32Array>): void {
    const n = seg.count;
    const vars = { residue: new Int32Array(n), stateExp: new Int32Array(n), relu: new Int32Array(n) };
    for (let j = 0; j < n; j++) {
      const i = seg.local + j;
      const q = seg.first + j;
      core.bias[i] = P.bias[q];
      core.vthScaled[i] = P.vth[q];
      vars.stateExp[j] = P.state_exp[q];
      vars.relu[j] = P.relu[q];
      // act starts at the activation of sigma = 0, so a constant bias is sent once, at step 1
      core.u[i] = 0;
      core.v[i] = 0;
    }
    seg.vars = vars;
  },
  update(core: NeuroCore, seg: Segment, _step: number): void {
    const sigma = core.u;
    const act = core.v;
    const input = core.input;
    const bias = core.bias;
    const vth = core.vthScaled;
    const V = seg.vars!;
    const residue = V.residue;
    const sexp = V.stateExp;
    const relu = V.relu;
    const spikes = core.spikeBuf;
    const pay = core.spikePayload;
    const max = core.payloadMax;
    let nSpikes = core.spikeCount;
    let active = 0;
    const base = seg.local;
    for (let j = 0; j < seg.count; j++) {
      const i = base + j;
      const a = input[i];
      const b = bias[i];
      const res = residue[j];
      let s = sigma[i];
      if (a !== 0 || s !== 0 || b !== 0 || res !== 0) active++;
      s += a;
      if (s > V_MAX) s = V_MAX;
      else if (s < V_MIN) s = V_MIN;
      sigma[i] = s;
      let an = s + b;
      if (relu[j] !== 0 && an < 0) an = 0;
      const delta = an - act[i] + res;
      const out = (delta < 0 ? -delta : delta) >= vth[i] ? delta : 0;
      residue[j] = delta - out;
      act[i] = an;
      let p = out >> sexp[j];
      if (p !== 0) {
        if (p > max) p = max;
        else if (p < -max) p = -max;
        pay[nSpikes] = p;
        spikes[nSpikes++] = i;
      }
    }
    core.spikeCount = nSpikes;
    core.segActive[seg.index] += active;
    core.segInactive[seg.index] += seg.count - active;
  },
};
