/** The NoC inside the step engine: timing from the NoC model, spikes independent of it, counts consistent. */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { archFromSpec, loadNetworkFile, prepare, presetArch } from '../../emulator/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tinyArch } from '../helpers/networks.js';

const example = path.join(REPO_ROOT, 'firmware-models', 'examples', 'ei-network.yaml');

/** The example spread over many cores of a 2×1 board of small chips, so packets cross tiles and chips. */
function spread() {
  return tinyArch(40);
}

function run(noc: 'analytic' | 'cycle' | 'none', steps = 60) {
  const p = prepare(loadNetworkFile(example), spread(), { noc });
  for (const pop of ['input', 'exc', 'inh']) p.emulator.addProbe({ population: pop, variable: 'spikes' }, steps);
  p.emulator.run(steps);
  return p;
}

describe('NoC in the step engine', () => {
  it('spreads over tiles and both chips', () => {
    const p = run('analytic', 5);
    expect(p.placement.chipsUsed).toBe(2);
    expect(p.placement.cores.length).toBe(15);
  });

  it('per-packet attribution sums to the NoC model counters (analytic and cycle)', () => {
    for (const mode of ['analytic', 'cycle'] as const) {
      const p = run(mode);
      const a = p.emulator.activity();
      const c = p.emulator.noc!.counters;
      expect(a.totals['noc.hop_ew'] ?? 0).toBe(c.tileHopsEW);
      expect(a.totals['noc.hop_ns'] ?? 0).toBe(c.tileHopsNS);
      expect(a.totals['noc.chip_link'] ?? 0).toBe(c.chipHops);
      expect(a.totals['noc.within_tile'] ?? 0).toBe(c.withinTile);
      expect(a.totals['noc.flit'] ?? 0).toBe(c.flits);
      expect(c.chipHops).toBeGreaterThan(0);
      expect(c.tileHopsEW + c.tileHopsNS).toBeGreaterThan(0);
      // per population and per chip sum to the totals
      for (const k of ['noc.flit', 'noc.hop_ew', 'noc.hop_ns', 'noc.chip_link', 'noc.within_tile', 'sync.barrier', 'core.synop'] as const) {
        const byPop = Object.values(a.byPopulation).reduce((s, r) => s + (r[k] ?? 0), 0);
        const byChip = Object.values(a.byChip).reduce((s, r) => s + (r[k] ?? 0), 0);
        if (k !== 'sync.barrier') expect(byPop, k).toBe(a.totals[k] ?? 0);
        expect(byChip, k).toBe(a.totals[k] ?? 0);
      }
      // the core leaves of the counter tree add up to the core totals, and every core was busy
      for (const k of ['core.synop', 'core.compartment_active', 'core.compartment_inactive', 'core.spike_out', 'core.packet_out', 'core.packet_in'] as const) {
        const byCore = Object.values(a.byCore!).reduce((s, r) => s + (r[k] ?? 0), 0);
        expect(byCore, k).toBe(a.totals[k] ?? 0);
      }
      expect(Object.keys(a.coreTime!).length).toBe(p.placement.cores.length);
      for (const t of Object.values(a.coreTime!)) expect(t.busyPs).toBeGreaterThan(0);
    }
  });

  it('spikes do not depend on the NoC model; timing does', () => {
    const none = run('none');
    const analytic = run('analytic');
    const cycle = run('cycle');
    const spikes = (p: ReturnType<typeof run>) => p.emulator.probeData().map((d) => Array.from(d.values));
    expect(spikes(analytic)).toEqual(spikes(none));
    expect(spikes(cycle)).toEqual(spikes(none));
    const time = (p: ReturnType<typeof run>) => p.emulator.activity().stepDurationPs.reduce((x, y) => x + y, 0);
    expect(time(analytic)).toBeGreaterThan(time(none));
    expect(time(cycle)).toBeGreaterThan(time(none));
    // the two models agree roughly on this light traffic
    expect(Math.abs(time(cycle) - time(analytic)) / time(analytic)).toBeLessThan(0.25);
  });

  it('a full injection queue stalls the core', () => {
    const s = presetArch('loihi');
    s.values['core.compartments'] = 40;
    s.values['noc.injection_queue'] = 1;
    s.values['timing.message_out_ps'] = 0;
    const p = prepare(loadNetworkFile(example), archFromSpec(s), { noc: 'analytic' });
    p.emulator.run(60);
    expect(p.emulator.injectionStalls).toBeGreaterThan(0);
    expect(p.emulator.injectionStallPs).toBeGreaterThan(0);
  });
});
