/**
 * SANA-FE semantics on hand-worked cases: the float soma models, the shared input unit, pipeline
 * energy/latency charging, hop direction costs, the detailed scheduler and sync table, output files.
 */
import { describe, it, expect } from 'vitest';
import { SomaState, lifUpdate, truenorthUpdate, STATUS, RESET_MODE, loadSanafeRunFromText, spikesCsv, perfCsv, runSummaryYaml, sci, benchSanafeLoad } from '../../emulator/sanafe/index.js';
import { archText } from './fixtures.js';

function lif(init: Partial<Record<'threshold' | 'bias' | 'leakDecay' | 'inputDecay' | 'reverseThreshold' | 'reset', number>> & { resetMode?: number; reverseResetMode?: number; refractoryDelay?: number } = {}): SomaState {
  const s = new SomaState(1);
  for (const [k, v] of Object.entries(init)) (s as unknown as Record<string, Float64Array | Uint8Array | Int32Array>)[k][0] = v as number;
  return s;
}

describe('loihi_lif / leaky_integrate_fire (float)', () => {
  it('counts a neuron as updated only when potential, input or bias is non-zero (or forced)', () => {
    const s = lif({ threshold: 5 });
    expect(lifUpdate(s, 0, 1, 0, 0)).toBe(STATUS.idle);
    expect(lifUpdate(s, 0, 2, 1, 0)).toBe(STATUS.updated); // input arrived (even a zero charge)
    s.force[0] = 1;
    expect(lifUpdate(s, 0, 3, 0, 0)).toBe(STATUS.updated);
  });

  it('decays, then quantises the potential to 1/64 toward zero (not on the first step)', () => {
    const s = lif({ threshold: 5, leakDecay: 0.5 });
    s.potential[0] = 0.5;
    lifUpdate(s, 0, 1, 0, 0);
    expect(s.potential[0]).toBe(0.5); // first step: no decay
    s.potential[0] = -0.3;
    lifUpdate(s, 0, 2, 0, 0);
    expect(s.potential[0]).toBe(-9 / 64); // -0.15 → trunc(-9.6) / 64
  });

  it('adds bias, then the input to the current, then the current to the potential; input_decay keeps current', () => {
    const s = lif({ threshold: 5, inputDecay: 0.5, bias: 0.25 });
    lifUpdate(s, 0, 1, 1, 1);
    expect([s.current[0], s.potential[0]]).toEqual([1, 1.25]);
    lifUpdate(s, 0, 2, 0, 0);
    expect([s.current[0], s.potential[0]]).toEqual([0.5, 2]);
  });

  it('fires on potential > threshold with hard or soft reset', () => {
    const hard = lif({ threshold: 1, reset: -0.5 });
    expect(lifUpdate(hard, 0, 1, 1, 1)).toBe(STATUS.updated); // 1 is not > 1
    expect(lifUpdate(hard, 0, 2, 1, 0.5)).toBe(STATUS.fired);
    expect(hard.potential[0]).toBe(-0.5);
    const soft = lif({ threshold: 1, resetMode: RESET_MODE.soft });
    expect(lifUpdate(soft, 0, 1, 1, 1.75)).toBe(STATUS.fired);
    expect(soft.potential[0]).toBe(0.75);
  });

  it('applies the reverse threshold after firing (saturate, hard, soft)', () => {
    const sat = lif({ threshold: 1, reverseThreshold: -1, reverseResetMode: RESET_MODE.saturate });
    lifUpdate(sat, 0, 1, 1, -5);
    expect(sat.potential[0]).toBe(-1);
    const soft = lif({ threshold: 1, reverseThreshold: -1, reverseResetMode: RESET_MODE.soft });
    lifUpdate(soft, 0, 1, 1, -5);
    expect(soft.potential[0]).toBe(-4);
  });

  it('holds the potential for refractory_delay steps after a spike', () => {
    const s = lif({ threshold: 1, bias: 1.5, refractoryDelay: 2 });
    const fired: number[] = [];
    for (let t = 1; t <= 7; t++) if (lifUpdate(s, 0, t, 0, 0) === STATUS.fired) fired.push(t);
    expect(fired).toEqual([1, 4, 7]);
  });
});

describe('truenorth (float)', () => {
  it('leaks toward zero, fires on potential ≥ threshold', () => {
    const s = new SomaState(1);
    s.model[0] = 1;
    s.threshold[0] = 2;
    s.leak[0] = 0.5;
    expect(truenorthUpdate(s, 0, 1, 1, 1.5)).toBe(STATUS.updated);
    expect(s.potential[0]).toBe(1.5);
    expect(truenorthUpdate(s, 0, 2, 1, 1)).toBe(STATUS.fired); // 1.5 − 0.5 + 1 = 2 ≥ 2
    expect(s.potential[0]).toBe(0);
  });
});

const two = (o: Parameters<typeof archText>[0] = {}): string =>
  archText({ tiles: [['t0', 1, 1e-12, 1.2e-9], ['t1', 1, 2e-12, 9e-9]], inE: 0.5e-12, inL: 7e-9, outE: 5e-12, outL: 5e-9, ...o });

const NET = (srcCore: string, dstCore: string): string => `network:
  name: pair
  groups:
    - name: src
      attributes: [log_spikes: true]
      neurons:
        - 0: [spikes: [1]]
    - name: dst
      attributes: [threshold: 1.0, log_spikes: true]
      neurons: [0]
  edges:
    - src.0 -> dst.0: [weight: 2.0]
mappings:
  - src.0: {core: ${srcCore}, soma: inp}
  - dst.0: {core: ${dstCore}}
`;

describe('SANA-FE pipeline, energy and detailed timing (hand-worked)', () => {
  it('charges soma, synapse, axon and east-hop costs and schedules the message across the mesh', () => {
    const run = loadSanafeRunFromText(NET('0.0', '1.0'), two(), 'n.yaml', 'a.yaml');
    run.sim.run(4);
    const p = run.sim.perfData();
    // step 1: the input fires (generation 0 + axon out 5 ns); the message hops east once (1.2 ns of the
    // sending tile), is processed in 7 ns (axon in) + 1 ns (synapse): 5 + 1.2 + 8 = 14.2 ns.
    // dst's core only reads its idle neuron (1 ns placeholder).
    expect(p.simTime[0]).toBeCloseTo(14.2e-9, 18);
    // step 2: dst integrates 2 > 1 and fires: access 1 + update 2 + spike 3 ns; it has no axons out
    expect(p.simTime[1]).toBeCloseTo(6e-9, 18);
    expect(p.simTime[2]).toBeCloseTo(1e-9, 18);
    expect(Array.from(p.fired)).toEqual([1, 1, 0, 0]);
    expect(Array.from(p.updated)).toEqual([1, 1, 0, 0]);
    expect(Array.from(p.packets)).toEqual([1, 0, 0, 0]);
    expect(Array.from(p.hops)).toEqual([1, 0, 0, 0]);
    expect(Array.from(p.spikes)).toEqual([1, 0, 0, 0]);
    // network energy: axon out 5 pJ + east hop of the receiving tile 2 pJ + axon in 0.5 pJ
    expect(p.networkEnergy[0]).toBeCloseTo(7.5e-12, 24);
    expect(p.synapseEnergy[0]).toBeCloseTo(1e-12, 24);
    expect(Array.from(p.somaEnergy).map((x) => Math.round(x * 1e15))).toEqual([1000, 6000, 1000, 1000]);
    const t = run.sim.totals();
    expect(t.sim_time).toBeCloseTo(22.2e-9, 18);
    expect(t.energy.total).toBeCloseTo(1e-12 + 9e-12 + 7.5e-12, 24);
    expect(spikesCsv(run.sim)).toBe('neuron,timestep\nsrc.0,1\ndst.0,2\n');
  });

  it('charges a westward hop with the sending tile latency and the receiving tile energy', () => {
    const run = loadSanafeRunFromText(NET('1.0', '0.0'), two(), 'n.yaml', 'a.yaml');
    run.sim.run(1);
    const p = run.sim.perfData();
    expect(p.networkEnergy[0]).toBeCloseTo(5e-12 + 0.1e-12 + 0.5e-12, 24);
    expect(p.simTime[0]).toBeCloseTo(5e-9 + 0.1e-9 + 8e-9, 18);
  });

  it("offers SANA-FE's simple timing model: the slowest core's neuron or message processing", () => {
    const run = loadSanafeRunFromText(NET('0.0', '1.0'), two(), 'n.yaml', 'a.yaml', { timing: 'simple' });
    run.sim.run(4);
    const p = run.sim.perfData();
    // step 1: core 0 generates for 5 ns, core 1 for 1 ns, core 1 processes the message for 8 ns
    expect(Array.from(p.simTime, (x) => Math.round(x * 1e12))).toEqual([8000, 6000, 1000, 1000]);
    expect(run.sim.totals().total_spikes).toBe(1); // counts do not depend on the timing model
  });

  it('adds the sync latency of the table entry for the tiles in use', () => {
    const sync = '    sync_model: table\n    latency_sync: {1: 1.0e-7, 2: 2.0e-7, 8: 9.0e-7}';
    const run = loadSanafeRunFromText(NET('0.0', '1.0'), two({ sync }), 'n.yaml', 'a.yaml');
    run.sim.run(3);
    const p = run.sim.perfData();
    expect(p.simTime[2]).toBeCloseTo(1e-9 + 2e-7, 18);
  });

  it('shares one spike list and one cursor per input unit, as SANA-FE does', () => {
    const net = `network:
  name: shared
  groups:
    - name: a
      attributes: [log_spikes: true]
      neurons:
        - 0: [spikes: [1, 1, 0, 1]]
        - 1: [spikes: [1, 0, 0, 1]]
mappings:
  - a.0: {core: 0.0, soma: inp}
  - a.1: {core: 0.0, soma: inp}
`;
    const run = loadSanafeRunFromText(net, two(), 'n.yaml', 'a.yaml');
    run.sim.run(4);
    // the last neuron mapped sets the list [1,0,0,1]; step 1: a.0 reads entry 0, a.1 entry 1; step 2: entries 2, 3
    expect(spikesCsv(run.sim)).toBe('neuron,timestep\na.0,1\na.1,2\n');
  });

  it('is deterministic and writes SANA-FE-style perf.csv and run_summary.yaml', () => {
    const a = loadSanafeRunFromText(NET('0.0', '1.0'), two(), 'n.yaml', 'a.yaml');
    const b = loadSanafeRunFromText(NET('0.0', '1.0'), two(), 'n.yaml', 'a.yaml');
    a.sim.run(3);
    b.sim.run(3);
    expect(perfCsv(a.sim)).toBe(perfCsv(b.sim));
    const lines = perfCsv(a.sim).trim().split('\n');
    expect(lines[0]).toBe('timestep,fired,updated,packets,hops,spikes,sim_time,total_energy,synapse_energy,dendrite_energy,soma_energy,network_energy');
    expect(lines[1]).toBe('1,1,1,1,1,1,1.420000e-08,9.500000e-12,1.000000e-12,0.000000e+00,1.000000e-12,7.500000e-12');
    expect(lines.length).toBe(4);
    expect(runSummaryYaml(a.sim)).toMatch(/^timesteps_executed: 3\ntotal_spikes: 1\ntotal_messages_sent: 1\ntotal_neurons_updated: 2\ntotal_neurons_fired: 2\nsim_time: 2\.120000e-08\n/);
  });

  it('formats floats like C++ std::scientific', () => {
    expect(sci(8.44e-7)).toBe('8.440000e-07');
    expect(sci(0)).toBe('0.000000e+00');
    expect(sci(1.2345678e12)).toBe('1.234568e+12');
    expect(sci(-3e-100)).toBe('-3.000000e-100');
  });
});

describe('benchmark network', () => {
  it('builds the synthetic conv2d network with the expected synapse count and runs it', () => {
    const r = benchSanafeLoad({ steps: 5, channels: 2, side: 8, kernels: 3, kernel: 3 });
    expect(r.neurons).toBe(2 * 64 + 3 * 36);
    expect(r.synapses).toBe(3 * 36 * 2 * 9);
    expect(r.steps).toBe(5);
  });
});

describe('runSanafe (what `aerie run SNN.yaml --arch ARCH.yaml` calls)', () => {
  const files: Record<string, string> = { 'n.yaml': NET('0.0', '1.0'), 'a.yaml': two() };
  const read = (f: string): string => {
    if (!(f in files)) throw new Error(`no ${f}`);
    return files[f];
  };

  it('runs, prints the summary and writes the SANA-FE output files', async () => {
    const { runSanafe } = await import('../../emulator/sanafe/index.js');
    const written: Record<string, string> = {};
    const printed: string[] = [];
    const s = runSanafe({ network: 'n.yaml', arch: 'a.yaml', steps: 4, sanafeOut: 'out', json: true }, { writeFile: (f, t) => (written[f] = t), print: (t) => printed.push(t) }, read);
    expect(Object.keys(written).sort()).toEqual(['out/perf.csv', 'out/run_summary.yaml', 'out/spikes.csv']);
    expect(written['out/spikes.csv']).toBe('neuron,timestep\nsrc.0,1\ndst.0,2\n');
    const j = JSON.parse(printed[0]);
    expect(j).toMatchObject({ schema: 'aerie-sanafe-run/1', timesteps_executed: 4, total_spikes: 1, total_messages_sent: 1, total_neurons_fired: 2, tiles_used: 2, cores_used: 2 });
    expect(s.sim_time).toBeCloseTo(22.2e-9, 18);
    const text: string[] = [];
    runSanafe({ network: 'n.yaml', arch: 'a.yaml', steps: 2 }, { writeFile: () => undefined, print: (t) => text.push(t) }, read);
    expect(text[0]).toMatch(/^aerie run \(SANA-FE mode\): pair on fixture \(2 tiles, 2 cores, 2 neurons, 1 connections\)\n {2}timesteps {13}2\n/);
  });

  it('asks for a SANA-FE architecture when given none or an aerie preset', async () => {
    const { runSanafe } = await import('../../emulator/sanafe/index.js');
    const io = { writeFile: () => undefined, print: () => undefined };
    expect(() => runSanafe({ network: 'n.yaml', arch: undefined, steps: 1 }, io, read)).toThrow(/needs its SANA-FE architecture: pass --arch ARCH\.yaml/);
    expect(() => runSanafe({ network: 'n.yaml', arch: 'loihi', steps: 1 }, io, read)).toThrow(/--arch must be a SANA-FE architecture file/);
  });
});
