/**
 * Router back-pressure reaches the cores in cycle mode (docs/TIMING.md): a hotspot network — many
 * cores spiking to one core — with a small injection queue and small router buffers stalls the
 * sending cores; a deep queue does not; spikes never depend on the NoC; runs are deterministic.
 */
import { describe, expect, it } from 'vitest';
import { archFromSpec, prepare, presetArch, type NetworkSpec } from '../../emulator/index.js';

const STEPS = 4;

/**
 * 320 spike sources (32 cores of 10) fire every step. On each core the first 3 sources send to all
 * 80 compartments of the sink (8 cores on 2 routers: one packet per sink core per spike, produced
 * at once), the other 7 spike without sending — output work (axon lookups) after the packets, which
 * a stall delays. The step's critical path is then a stalled core's finish, not the last arrival.
 */
function hotspot(): NetworkSpec {
  const spikes = Array.from({ length: 320 }, () => Array.from({ length: STEPS }, (_, k) => k + 1));
  const synapses: number[][] = [];
  for (let i = 0; i < 320; i++) if (i % 10 < 3) for (let j = 0; j < 80; j++) synapses.push([i, j, 20]);
  return {
    format: 'aerie-network/1',
    name: 'hotspot',
    dt: 0.001,
    seed: 1,
    populations: [
      { name: 'src', kind: 'spike-source', size: 320, spikes },
      { name: 'sink', kind: 'lif', size: 80, params: { du: 410, dv: 205, vth: 3000, bias_mant: 0, bias_exp: 0, refractory: 2 } },
    ],
    projections: [{ name: 'all', from: 'src', to: 'sink', synapses }],
  } as NetworkSpec;
}

function run(noc: 'analytic' | 'cycle', queue: number, buffers: { vcs: number; bufferDepth: number } = { vcs: 2, bufferDepth: 4 }) {
  const s = presetArch('loihi');
  s.values['core.compartments'] = 10;
  s.values['noc.injection_queue'] = queue;
  s.values['timing.message_out_ps'] = 0;
  s.values['timing.spike_out_ps'] = 5000;
  s.values['timing.synop_ps'] = 0;
  const p = prepare(hotspot(), archFromSpec(s), { noc, nocParams: buffers });
  for (const pop of ['src', 'sink']) p.emulator.addProbe({ population: pop, variable: 'spikes' }, STEPS);
  p.emulator.run(STEPS);
  const a = p.emulator.activity();
  return {
    cores: p.placement.cores.length,
    stalls: p.emulator.injectionStalls,
    stallPs: p.emulator.injectionStallPs,
    coreStallPs: Object.values(a.coreTime!).reduce((x, t) => x + t.stallPs, 0),
    durations: Array.from({ length: STEPS }, (_, k) => p.emulator.stepDurationPs(k + 1)),
    spikes: p.emulator.probeData().map((d) => Array.from(d.values)),
    latency: p.emulator.noc!.counters.latency.summary(),
  };
}

describe('back-pressure from the cycle-level NoC into the cores', () => {
  it('a hotspot with a small queue and small buffers stalls the cores; a deep queue does not; spikes match analytic mode', () => {
    const small = run('cycle', 2);
    const deep = run('cycle', 4096);
    const analytic = run('analytic', 2);
    expect(small.cores).toBe(40);
    // back-pressure reaches the sources: stalls counted, per core and in total alike
    expect(small.stalls).toBeGreaterThan(0);
    expect(small.stallPs).toBeGreaterThan(0);
    expect(small.coreStallPs).toBe(small.stallPs);
    // a queue deep enough for every packet of a step never stalls
    expect(deep.stalls).toBe(0);
    expect(deep.stallPs).toBe(0);
    // stalled cores finish later: every step takes longer than with the deep queue
    for (let k = 0; k < STEPS; k++) expect(small.durations[k]).toBeGreaterThan(deep.durations[k]);
    // spikes never depend on the NoC (barrier-synchronised semantics)
    expect(small.spikes).toEqual(analytic.spikes);
    expect(deep.spikes).toEqual(analytic.spikes);
    expect(small.spikes[1].some((v) => v !== 0)).toBe(true); // the sink does fire
  });

  it('is deterministic', () => {
    expect(run('cycle', 2)).toEqual(run('cycle', 2));
  });

  it('deep router buffers absorb more of the burst: fewer stalls than shallow ones', () => {
    const shallow = run('cycle', 2, { vcs: 2, bufferDepth: 4 });
    const deepBuffers = run('cycle', 2, { vcs: 4, bufferDepth: 64 });
    expect(deepBuffers.stallPs).toBeLessThan(shallow.stallPs);
  });
});
