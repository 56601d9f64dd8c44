import { describe, expect, it } from 'vitest';
import { NetworkBuilder, prepare, resolveArch, quantizeWeight, inferSignMode, decay, effectiveBias } from '../../emulator/index.js';

function probe(b: NetworkBuilder, pop: string, v: 'u' | 'v' | 'spikes', steps: number): number[] {
  const p = prepare(b.build(), resolveArch('loihi'));
  p.emulator.addProbe({ population: pop, variable: v }, steps);
  p.emulator.run(steps);
  return Array.from(p.emulator.probeData()[0].values);
}

describe('bit-accurate CUBA LIF (known values of Lava PyLifModelBitAcc)', () => {
  it('du = 2047 halves u each step after a single input of 128', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 1, [[1]]);
    b.lif('a', 1, { du: 2047, dv: 4095, vth: 100000 });
    b.project('in', 'a', { weights: [[128]] });
    // a spike at step 1 changes u at step 2 (one step of synaptic latency)
    expect(probe(b, 'a', 'u', 6)).toEqual([0, 8192, 4096, 2048, 1024, 512]);
  });

  it('du = 0, dv = 2048, single input 128 gives the documented voltage sequence', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 1, [[1]]);
    b.lif('a', 1, { du: 0, dv: 2048, vth: 100000 });
    b.project('in', 'a', { weights: [[128]] });
    expect(probe(b, 'a', 'v', 9).slice(1)).toEqual([8192, 12286, 14331, 15351, 15859, 16111, 16235, 16295]);
  });

  it('bias 2<<6 with vth 8 spikes at steps 5 and 10 and resets v only', () => {
    const b = new NetworkBuilder();
    b.lif('a', 1, { du: 0, dv: 0, vth: 8, bias_mant: 2, bias_exp: 6 });
    const s = probe(b, 'a', 'spikes', 12);
    expect(s.flatMap((x, i) => (x ? [i + 1] : []))).toEqual([5, 10]);
    const b2 = new NetworkBuilder();
    b2.lif('a', 1, { du: 0, dv: 0, vth: 8, bias_mant: 2, bias_exp: 6 });
    expect(probe(b2, 'a', 'v', 6)).toEqual([128, 256, 384, 512, 0, 128]);
  });

  it('bias_mant 4095 with bias_exp 5 gives v = 131040 after one step (no ×64 on the bias)', () => {
    const b = new NetworkBuilder();
    b.lif('a', 1, { bias_mant: 4095, bias_exp: 5, vth: 100000 });
    expect(probe(b, 'a', 'v', 1)).toEqual([131040]);
  });

  it('negative bias_exp is an arithmetic right shift', () => {
    expect(effectiveBias(100, -2)).toBe(25);
    expect(effectiveBias(-7, -1)).toBe(-4);
    expect(effectiveBias(3, 4)).toBe(48);
  });

  it('decay rounds toward zero', () => {
    expect(decay(8192, 2048)).toBe(4096);
    expect(decay(-3, 2048)).toBe(-1);
    expect(decay(3, 2048)).toBe(1);
    expect(decay(2 ** 23 - 1, 4095)).toBe(Math.floor(((2 ** 23 - 1) * 4095) / 4096));
  });

  it('threshold is strict: v equal to vth << 6 does not spike', () => {
    const b = new NetworkBuilder();
    b.lif('a', 1, { du: 0, dv: 0, vth: 2, bias_mant: 64 });
    // v = 64, 128 (= 2 << 6, no spike), 192 (spike)
    expect(probe(b, 'a', 'spikes', 3)).toEqual([0, 0, 1]);
  });

  it('u wraps once at 24 bits while v saturates', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 2, [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
    b.lif('a', 1, { du: 0, dv: 0, vth: 131071 });
    b.project('in', 'a', { weights: [[255, 255]], weight_exp: 7 });
    const u = probe(b, 'a', 'u', 4);
    // each step adds (2·255 << 7) << 6 = 4,177,920 to a barely decaying u
    const step2 = 4177920;
    const step3 = Math.trunc((step2 * 4095) / 4096) + 4177920; // 8,354,820 < 2^23
    let step4 = Math.trunc((step3 * 4095) / 4096) + 4177920; // above 2^23: wraps
    expect(step4).toBeGreaterThan(2 ** 23);
    step4 -= 2 ** 24;
    expect(u).toEqual([0, step2, step3, step4]);
    const b2 = new NetworkBuilder();
    // a negative bias drives v down until it saturates at −(2^23 − 1) (it never wraps)
    b2.lif('a', 1, { du: 0, dv: 0, vth: 131071, bias_mant: -4096, bias_exp: 7 });
    const v = probe(b2, 'a', 'v', 20);
    expect(v[0]).toBe(-524288);
    expect(v[15]).toBe(-(2 ** 23) + 1);
    expect(v[19]).toBe(-(2 ** 23) + 1);
  });

  it('refractory r holds v at 0 for r steps after a spike while u integrates; r = 0 is Lava', () => {
    const run = (r: number): number[] => {
      const b = new NetworkBuilder();
      b.lif('a', 1, { du: 0, dv: 0, vth: 1, bias_mant: 50, refractory: r });
      return probe(b, 'a', 'spikes', 12);
    };
    // r = 0: v = 50, 100 (> 64: spike), 50, 100 (spike) ...
    expect(run(0).flatMap((x, i) => (x ? [i + 1] : []))).toEqual([2, 4, 6, 8, 10, 12]);
    // r = 2: spike at 2, held at 0 on 3 and 4, then 50, 100 → spike at 6, 10
    expect(run(2).flatMap((x, i) => (x ? [i + 1] : []))).toEqual([2, 6, 10]);
  });

  it('delay d: a spike at t changes u at t + 1 + d', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 1, [[2]]);
    b.lif('a', 1, { du: 4095, vth: 100000 });
    b.project('in', 'a', { weights: [[10]], delay: 3 });
    const u = probe(b, 'a', 'u', 8);
    expect(u.findIndex((x) => x !== 0) + 1).toBe(2 + 1 + 3);
  });

  it('weight_exp is applied to the summed input of a projection (Lava), not per synapse', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 3, [[1], [1], [1]]);
    b.lif('a', 1, { du: 4095, vth: 100000 });
    // three weights of 3 with weight_exp -1: floor(9/2) = 4, not 3·floor(3/2) = 3
    b.project('in', 'a', { weights: [[3, 3, 3]], weight_exp: -1 });
    expect(probe(b, 'a', 'u', 2)[1]).toBe(4 << 6);
  });
});

describe('dense synapse weights (Lava PyDenseModelBitAcc)', () => {
  it('clips and truncates by sign mode and num_weight_bits', () => {
    expect([300, -300, 39].map((w) => quantizeWeight(w, 'mixed', 8))).toEqual([254, -256, 38]);
    expect([300, -300, 39].map((w) => quantizeWeight(w, 'mixed', 7))).toEqual([252, -256, 36]);
    expect(quantizeWeight(300, 'excitatory', 8)).toBe(255);
    expect(quantizeWeight(-5, 'excitatory', 8)).toBe(0);
    expect(quantizeWeight(-300, 'inhibitory', 8)).toBe(-255);
    expect(quantizeWeight(-7, 'inhibitory', 6)).toBe(-4);
  });
  it('infers the sign mode', () => {
    expect(inferSignMode([0, 1, 2])).toBe('excitatory');
    expect(inferSignMode([0, -1])).toBe('inhibitory');
    expect(inferSignMode([1, -1])).toBe('mixed');
  });
});
