import { describe, expect, it } from 'vitest';
import { archFromSpec, checkNetwork, compileNetwork, placeNetwork, presetArch, resolveArch, InputError } from '../../emulator/index.js';

function arch(over: Record<string, number>) {
  const s = presetArch('loihi');
  Object.assign(s.values, over);
  return archFromSpec(s);
}

const net = (pops: { name: string; size: number }[], projs: object[] = []) =>
  compileNetwork(checkNetwork({ format: 'aerie-network/1', populations: pops.map((p) => ({ ...p, kind: 'lif' })), projections: projs }));

describe('mapping', () => {
  it('packs populations in mesh order and spills across cores and chips', () => {
    const a = arch({ 'core.compartments': 100, 'chip.tiles_x': 1, 'chip.tiles_y': 1, 'chip.cores_per_tile': 2, 'board.chips_x': 3 });
    const pl = placeNetwork(net([{ name: 'a', size: 150 }, { name: 'b', size: 120 }]), a);
    expect(pl.cores.map((c) => c.core)).toEqual([0, 1, 2]);
    expect(pl.cores.map((c) => c.compartments)).toEqual([100, 100, 70]);
    expect(pl.cores[1].segments).toEqual([
      { population: 0, first: 100, count: 50, local: 0 },
      { population: 1, first: 0, count: 50, local: 50 },
    ]);
    expect(pl.chipsUsed).toBe(2);
  });

  it('counts synapse words from entry bits and input axons per source', () => {
    // 10 sources → 4 targets dense, 8-bit excitatory weights, no delay, 1024-compartment cores:
    // entry = 8 + 10 target bits = 18 bits; each source's list holds 4 entries = 72 bits = 2 words
    const n = compileNetwork(
      checkNetwork({
        format: 'aerie-network/1',
        populations: [{ name: 's', kind: 'spike-source', size: 10, spikes: [] }, { name: 't', kind: 'lif', size: 4 }],
        projections: [{ from: 's', to: 't', weights: Array.from({ length: 4 }, () => Array(10).fill(3)) }],
      }),
    );
    const pl = placeNetwork(n, resolveArch('loihi'));
    const c = pl.cores[0];
    expect(c.inputAxons).toBe(10);
    expect(c.synapseWords).toBe(20);
    expect(c.outputAxons).toBe(10);
    expect(pl.entryBits[0]).toBe(18);
  });

  it('fails naming the limit, the amount over it and the population', () => {
    const a = arch({ 'core.compartments': 10, 'chip.tiles_x': 1, 'chip.tiles_y': 1, 'chip.cores_per_tile': 2 });
    expect(() => placeNetwork(net([{ name: 'big', size: 25 }]), a)).toThrow(/population 'big'.*does not fit: all 2 cores/);
    // one compartment with more synapse words than a core holds
    const small = arch({ 'core.synapse_words': 3 });
    const n = compileNetwork(
      checkNetwork({
        format: 'aerie-network/1',
        populations: [{ name: 's', kind: 'spike-source', size: 8, spikes: [] }, { name: 't', kind: 'lif', size: 1 }],
        projections: [{ from: 's', to: 't', weights: [Array(8).fill(1)] }],
      }),
    );
    try {
      placeNetwork(n, small);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).lines()[0]).toMatch(/population 't'.*compartment 0 needs 8 synapse words, 5 over the limit of 3 per core/);
    }
    const fewAxons = arch({ 'core.input_axons': 4 });
    expect(() => placeNetwork(n, fewAxons)).toThrow(/synapses from 8 source compartments, 4 over the limit of 4 input axons/);
  });

  it('reports output axons over the limit', () => {
    // every source reaches 3 cores (one per target compartment): 3 output axons each
    const a = arch({ 'core.compartments': 1, 'core.output_axons': 2 });
    const n = compileNetwork(
      checkNetwork({
        format: 'aerie-network/1',
        populations: [{ name: 'src', kind: 'spike-source', size: 1, spikes: [] }, { name: 't', kind: 'lif', size: 3 }],
        projections: [{ from: 'src', to: 't', weights: [[1], [1], [1]] }],
      }),
    );
    expect(() => placeNetwork(n, a)).toThrow(/population 'src'.*needs 3 output axons, 1 over the limit of 2/);
  });

  it('traffic-aware placement keeps heavily connected populations on neighbouring cores', () => {
    // a0 talks to a1 heavily; b is unrelated and declared in between
    const n = compileNetwork(
      checkNetwork({
        format: 'aerie-network/1',
        populations: [
          { name: 'a0', kind: 'lif', size: 4 },
          { name: 'b', kind: 'lif', size: 8 },
          { name: 'a1', kind: 'lif', size: 4 },
        ],
        projections: [{ from: 'a0', to: 'a1', connect: { p: 1, weight: 1 } }],
      }),
    );
    const a = arch({ 'core.compartments': 4 });
    const mesh = placeNetwork(n, a, 'mesh');
    const traffic = placeNetwork(n, a, 'traffic');
    const coreOfPop = (pl: typeof mesh, p: number) => pl.cores.find((c) => c.segments.some((s) => s.population === p))!.core;
    const dist = (pl: typeof mesh) => Math.abs(Math.floor(coreOfPop(pl, 0) / 4) - Math.floor(coreOfPop(pl, 2) / 4)) + (coreOfPop(pl, 0) === coreOfPop(pl, 2) ? 0 : 0);
    expect(Math.abs(coreOfPop(traffic, 0) - coreOfPop(traffic, 2))).toBe(1);
    expect(Math.abs(coreOfPop(mesh, 0) - coreOfPop(mesh, 2))).toBe(3);
    expect(dist(traffic)).toBeLessThanOrEqual(dist(mesh));
  });
});
