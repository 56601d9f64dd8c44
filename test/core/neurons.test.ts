import { describe, expect, it } from 'vitest';
import { InputError, NetworkBuilder, checkNetwork, prepare, resolveArch, ALIF_PARAMS, SIGMA_DELTA_PARAMS, type NetworkSpec } from '../../emulator/index.js';

function probes(spec: NetworkSpec, steps: number, list: [string, 'u' | 'v' | 'spikes'][], arch = 'loihi2') {
  const p = prepare(spec, resolveArch(arch));
  for (const [population, variable] of list) p.emulator.addProbe({ population, variable }, steps);
  p.emulator.run(steps);
  const out: Record<string, number[]> = {};
  for (const d of p.emulator.probeData()) out[d.name] = Array.from(d.values);
  return { out, p };
}
const stepsOf = (s: number[]): number[] => s.flatMap((x, i) => (x ? [i + 1] : []));

describe('adaptive-threshold LIF (kind: alif, Lava ATRLIF fixed point)', () => {
  it('threshold steps up on each spike and decays back; r is added and decays (hand-computed)', () => {
    // v = T(v, 1) + bias = 1000 every step; theta_0 = 10·64 = 640, step 5·64 = 320; halving decays.
    // step 1: 1000 ≥ 640 spike → r = 1280, theta = 960
    // step 2: theta 640+160 = 800, r 640: 360 < 800;  step 3: theta 720, r 320: 680 < 720
    // step 4: theta 680, r 160: 840 ≥ 680 spike → r = 1520, theta = 1000
    // step 5: theta 820, r 760;  step 6: theta 730, r 380: 620 < 730;  step 7: theta 685, r 190: 810 ≥ 685 spike
    const b = new NetworkBuilder();
    b.alif('a', 1, { du: 4095, dv: 4095, bias_mant: 1000, theta_0: 10, theta_step: 5, d_theta: 2048, d_r: 2048 });
    const { out, p } = probes(b.build(), 8, [['a', 'spikes'], ['a', 'v']]);
    expect(stepsOf(out['a.spikes'])).toEqual([1, 4, 7]);
    expect(out['a.v']).toEqual(Array(8).fill(1000)); // v is not reset (r does the reset)
    const seg = p.emulator.cores[0].segments.find((s) => s.model.kind === 'alif')!;
    // after step 8: theta = 640 + T(1005 − 640, 2048) = 640 + 182 = 822, r = T(1560, 2048) = 780
    expect(seg.vars!.theta[0]).toBe(822);
    expect(seg.vars!.r[0]).toBe(780);
  });

  it('without adaptation (theta_step 0, d_r 4096-equivalent decay) it fires every step above threshold', () => {
    const b = new NetworkBuilder();
    b.alif('a', 1, { du: 4095, dv: 4095, bias_mant: 1000, theta_0: 10, theta_step: 0, d_theta: 0, d_r: 4095 });
    // r = 1280 after a spike decays to T(1280, 1) = 0 the next step: 1000 ≥ 640 every step
    expect(stepsOf(probes(b.build(), 5, [['a', 'spikes']]).out['a.spikes'])).toEqual([1, 2, 3, 4, 5]);
  });

  it('integrates synaptic input as the LIF (i = T(i, 4096 − du − 1) + a·64)', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 1, [[1]]);
    b.alif('a', 1, { du: 2047, dv: 4095, theta_0: 4095 });
    b.project('in', 'a', { weights: [[128]] });
    expect(probes(b.build(), 5, [['a', 'u']], 'loihi').out['a.u']).toEqual([0, 8192, 4096, 2048, 1024]);
  });

  it('theta and r saturate at 2^23 − 1', () => {
    const b = new NetworkBuilder();
    // v climbs to 2^23 − 1 and stays; r is cleared each step; theta grows by 4095·64 per spike
    b.alif('a', 1, { dv: 0, bias_mant: 4095, bias_exp: 7, theta_0: 4095, theta_step: 4095, d_theta: 0, d_r: 4095 });
    const p = prepare(b.build(), resolveArch('loihi'));
    const seg = p.emulator.cores[0].segments[0];
    let maxR = 0;
    let maxTheta = 0;
    for (let k = 0; k < 80; k++) {
      p.emulator.step();
      maxR = Math.max(maxR, seg.vars!.r[0]);
      maxTheta = Math.max(maxTheta, seg.vars!.theta[0]);
    }
    expect(maxR).toBe(2 ** 23 - 1);
    expect(maxTheta).toBeLessThanOrEqual(2 ** 23 - 1);
    expect(maxTheta).toBeGreaterThan(2 ** 22);
  });

  it('declares and validates its parameters', () => {
    for (const d of Object.values(ALIF_PARAMS)) expect(d.source).toMatch(/ATRLIF/);
    expect(() => checkNetwork({ format: 'aerie-network/1', populations: [{ name: 'a', kind: 'alif', size: 1, params: { theta_step: 5000 } }] })).toThrow(/theta_step/);
    expect(() => checkNetwork({ format: 'aerie-network/1', populations: [{ name: 'a', kind: 'alif', size: 1, params: { vth: 5 } }] })).toThrow(/vth/);
  });
});

describe('sigma-delta neuron (kind: sigma-delta, Lava SigmaDelta fixed point)', () => {
  it('accumulates input, holds sub-threshold change as residue, sends the change as a graded spike', () => {
    // input 50 at steps 2 and 3 (source spikes at 1, 2); vth 60:
    // step 2: sigma 50, act 50, delta 50 < 60 → residue 50;  step 3: sigma 100, act 100, delta 50 + 50 = 100 → send 100
    const b = new NetworkBuilder();
    b.spikeSource('in', 1, [[1, 2]]);
    b.sigmaDelta('sd', 1, { vth: 60 });
    b.lif('out', 1, { du: 4095, dv: 4095, vth: 100000 });
    b.project('in', 'sd', { weights: [[50]] });
    b.project('sd', 'out', { weights: [[2]] });
    const { out } = probes(b.build(), 5, [['sd', 'u'], ['sd', 'v'], ['sd', 'spikes'], ['out', 'u']]);
    expect(out['sd.u']).toEqual([0, 50, 100, 100, 100]);
    expect(out['sd.v']).toEqual([0, 50, 100, 100, 100]);
    expect(stepsOf(out['sd.spikes'])).toEqual([3]);
    // graded: weight 2 × payload 100 = 200 → u = 200·64 one step later
    expect(out['out.u']).toEqual([0, 0, 0, 200 * 64, 0]);
  });

  it('bias with unit activation sends negative payloads; ReLU clips them; state_exp shifts the payload', () => {
    const mk = (params: Record<string, number>): number[] => {
      const b = new NetworkBuilder();
      b.sigmaDelta('sd', 1, params);
      b.lif('out', 1, { du: 4095, dv: 4095, vth: 100000 });
      b.project('sd', 'out', { weights: [[4]], sign_mode: 'mixed' });
      return probes(b.build(), 3, [['out', 'u']]).out['out.u'];
    };
    expect(mk({ bias: -30, vth: 10, relu: 0 })).toEqual([0, -120 * 64, 0]);
    expect(mk({ bias: -30, vth: 10, relu: 1 })).toEqual([0, 0, 0]);
    expect(mk({ bias: 100, vth: 10, state_exp: 2 })).toEqual([0, 25 * 4 * 64, 0]);
  });

  it('payloads saturate at the architecture width and sigma at 24 bits', () => {
    const b = new NetworkBuilder();
    b.sigmaDelta('sd', 1, { bias: 32767, vth: 1 });
    const base = resolveArch('loihi2');
    const p = prepare(b.build(), { ...base, core: { ...base.core, payloadBits: 8 } });
    p.emulator.run(1);
    expect(p.emulator.cores[0].spikePayload[0]).toBe(127);
    expect(SIGMA_DELTA_PARAMS.bias.hi).toBe(2 ** 15 - 1);
  });

  it('needs an architecture with graded spikes', () => {
    const b = new NetworkBuilder();
    b.sigmaDelta('sd', 1, { bias: 5 });
    try {
      prepare(b.build(), resolveArch('loihi'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).problems[0].message).toMatch(/'sd' sends graded spikes.*payload_bits = 0/);
    }
  });
});
