import { describe, expect, it } from 'vitest';
import { InputError, NetworkBuilder, checkNetwork, prepare, resolveArch } from '../../emulator/index.js';

/** A graded source (payload p) into a LIF with u = a·64 each step; returns u after step 2 (a = the graded input). */
function inputOf(payload: number, weight: number, extra: { weight_exp?: number; delay?: number } = {}, steps = 2): number[] {
  const b = new NetworkBuilder();
  b.gradedSource('g', 1, [[1]], payload);
  b.lif('t', 1, { du: 4095, dv: 4095, vth: 131071 });
  b.project('g', 't', { weights: [[weight]], ...extra });
  const p = prepare(b.build(), resolveArch('loihi2'));
  p.emulator.addProbe({ population: 't', variable: 'u' }, steps);
  p.emulator.run(steps);
  return Array.from(p.emulator.probeData()[0].values).map((u) => u / 64);
}

describe('graded spikes (Loihi 2)', () => {
  it('synaptic input is weight × payload (Lava Dense, num_message_bits > 0)', () => {
    expect(inputOf(5, 3)).toEqual([0, 15]);
    expect(inputOf(-5, 3)).toEqual([0, -15]);
    expect(inputOf(7, -4)).toEqual([0, -28]);
  });

  it('weight_exp applies to the summed product (right shift floors, left shift multiplies)', () => {
    expect(inputOf(5, 3, { weight_exp: -1 })).toEqual([0, 7]);
    expect(inputOf(-5, 3, { weight_exp: -1 })).toEqual([0, -8]);
    expect(inputOf(5, 3, { weight_exp: 2 })).toEqual([0, 60]);
  });

  it('delays apply to graded spikes as to binary ones', () => {
    expect(inputOf(5, 3, { delay: 2 }, 4)).toEqual([0, 0, 0, 15]);
  });

  it('packets carry the payload; graded and binary input sum in one step', () => {
    const b = new NetworkBuilder();
    b.gradedSource('g', 2, [[1], [1]], [10, -3]);
    b.spikeSource('s', 1, [[1]]);
    b.lif('t', 1, { du: 4095, dv: 4095, vth: 131071 });
    b.project('g', 't', { weights: [[2, 5]] });
    b.project('s', 't', { weights: [[7]] });
    const p = prepare(b.build(), resolveArch('loihi2'));
    p.emulator.addProbe({ population: 't', variable: 'u' }, 2);
    p.emulator.step();
    const payloads = Array.from(p.emulator.batch.payload.subarray(0, p.emulator.batch.count)).sort((x, y) => x - y);
    expect(payloads).toEqual([-3, 0, 10]);
    p.emulator.step();
    expect(p.emulator.probeData()[0].values[1] / 64).toBe(2 * 10 + 5 * -3 + 7);
  });

  it('graded spikes on a binary-spike architecture are an input error naming the population', () => {
    const b = new NetworkBuilder();
    b.gradedSource('g', 1, [[1]], 4);
    b.lif('t', 1);
    b.project('g', 't', { weights: [[1]] });
    expect(() => prepare(b.build(), resolveArch('loihi'))).toThrow(InputError);
    expect(() => prepare(b.build(), resolveArch('loihi'))).toThrow(/'g' sends graded spikes/);
  });

  it('payloads are validated: non-zero, 24-bit signed, one per source', () => {
    const net = (payload: unknown) => ({ format: 'aerie-network/1', populations: [{ name: 'g', kind: 'spike-source', size: 2, spikes: [[1]], payload }] });
    expect(() => checkNetwork(net(0))).toThrow(/non-zero payload/);
    expect(() => checkNetwork(net(2 ** 23))).toThrow(/payload/);
    expect(() => checkNetwork(net([1, 2, 3]))).toThrow(/3 values/);
    expect(checkNetwork(net([1, -2])).populations[0]).toBeTruthy();
  });
});
