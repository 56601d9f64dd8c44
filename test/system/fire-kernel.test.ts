/**
 * The fire phase in WebAssembly (emulator/core/kernels/fire.wat) against the TypeScript reference
 * (NeuroCore.fire + outputTimeline + InjectionQueue): whole runs with `fire: 'wasm'` and
 * `fire: 'js'` must agree on everything the run reports — spikes, compartment state, every activity
 * counter (packets, stalls, hops, NoC attribution — done by the kernel as it makes each packet where
 * every core is bound, else after routing), each step's emulated duration.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as path from 'node:path';
import { archFromSpec, loadNetworkFile, prepare, presetArch, resolveArch, summarize, type NetworkSpec } from '../../emulator/index.js';
import type { Arch } from '../../emulator/spec/arch.js';
import { buildCuba } from '../../firmware-models/cuba/index.js';
import { netArb, tinyArch } from '../helpers/networks.js';
import { REPO_ROOT } from '../helpers/cli.js';

type Noc = 'analytic' | 'cycle' | 'none';

/** Everything a run reports, as one comparable string (wall clock aside). */
function runRecord(net: NetworkSpec, arch: Arch, fire: 'wasm' | 'js', noc: Noc, steps: number): { text: string; bound: number; stalls: number; attributedAtFire: boolean; oneCall: boolean; direct: boolean } {
  const p = prepare(structuredClone(net), arch, { fire, noc });
  for (const pop of net.populations) {
    p.emulator.addProbe({ population: pop.name, variable: 'spikes' }, steps);
    if (pop.kind === 'lif') p.emulator.addProbe({ population: pop.name, variable: 'v' }, steps);
  }
  p.emulator.run(steps);
  const durations = Array.from({ length: steps }, (_, k) => p.emulator.stepDurationPs(k + 1));
  const probes = p.emulator.probeData().map((d) => [d.name, Array.from(d.values)]);
  const summary = { ...summarize(p, 0), run: null };
  const activity = p.emulator.activity();
  const stalls = [p.emulator.injectionStalls, p.emulator.injectionStallPs];
  return { text: JSON.stringify({ summary, durations, probes, activity, stalls }), bound: p.emulator.cores.filter((c) => c.fireBinding !== null).length, stalls: stalls[0], attributedAtFire: p.emulator.attributedAtFire, oneCall: p.emulator.fireStep !== undefined, direct: p.emulator.cores.every((c) => c.directInput) };
}

function withQueue(arch: Arch, depth: number): Arch {
  return { ...arch, noc: { ...arch.noc, injectionQueue: depth } };
}

describe('fire kernel', () => {
  it('binds every core of a LIF system, and none with fire: js', () => {
    const cuba = buildCuba();
    const a = prepare(structuredClone(cuba), resolveArch('loihi'));
    expect(a.emulator.cores.length).toBeGreaterThan(1);
    expect(a.emulator.cores.every((c) => c.fireBinding !== null)).toBe(true);
    const b = prepare(structuredClone(cuba), resolveArch('loihi'), { fire: 'js' });
    expect(b.emulator.cores.some((c) => c.fireBinding !== null)).toBe(false);
  });

  it('cuba and the example network: identical runs, with and without a full injection queue', () => {
    const ei = loadNetworkFile(path.join(REPO_ROOT, 'firmware-models', 'examples', 'ei-network.yaml'));
    let stalled = 0;
    for (const [net, steps] of [
      [buildCuba(), 120],
      [ei, 120],
    ] as const) {
      for (const depth of [16, 1]) {
        for (const noc of ['analytic', 'cycle'] as const) {
          const arch = withQueue(resolveArch('loihi'), depth);
          const w = runRecord(net, arch, 'wasm', noc, steps);
          const j = runRecord(net, arch, 'js', noc, steps);
          expect(w.bound).toBeGreaterThan(0);
          expect(j.bound).toBe(0);
          // the NoC attribution is done by the kernel as it makes the packets, against the route phase's
          expect(w.attributedAtFire).toBe(true);
          expect(j.attributedAtFire).toBe(false);
          expect(w.text).toBe(j.text);
          stalled += w.stalls;
        }
      }
    }
    // a one-packet queue stalls the cores of these networks: the queue's kernel path is exercised
    expect(stalled).toBeGreaterThan(0);
  });

  it('the example network over a 2×2 board of small chips: identical hops and attribution in x and y', () => {
    const ei = loadNetworkFile(path.join(REPO_ROOT, 'firmware-models', 'examples', 'ei-network.yaml'));
    const arch = tinyArch(20, 2);
    for (const noc of ['analytic', 'cycle'] as const) {
      const w = runRecord(ei, arch, 'wasm', noc, 40);
      const j = runRecord(ei, arch, 'js', noc, 40);
      expect(w.attributedAtFire).toBe(true);
      expect(w.text).toBe(j.text);
      // packets cross chip links in both directions
      const chipRows = JSON.parse(w.text).activity.byChip as Record<string, Record<string, number>>;
      expect(Object.keys(chipRows).length).toBe(4);
    }
  });

  it('random networks spilled over tiny cores, tiles and chips: identical runs', () => {
    fc.assert(
      fc.property(netArb, fc.constantFrom<Noc>('analytic', 'cycle', 'none'), fc.integer({ min: 1, max: 3 }), (net, noc, depth) => {
        const arch = withQueue(tinyArch(), depth);
        const w = runRecord(net, arch, 'wasm', noc, 14);
        const j = runRecord(net, arch, 'js', noc, 14);
        expect(w.bound).toBeGreaterThan(0);
        expect(w.attributedAtFire).toBe(noc !== 'none');
        expect(w.text).toBe(j.text);
      }),
      { numRuns: 60, seed: 777 },
    );
  });

  it('systems of LIF cores only fire in one call per step (fire_step): identical runs', () => {
    // the random networks with their spike source replaced by a LIF population that fires by its bias
    const lifOnly = netArb.map((net) => {
      const populations = net.populations.map((p) =>
        p.kind === 'spike-source' ? { name: p.name, kind: 'lif' as const, size: p.size, params: { du: 4095, dv: 200, vth: 40, bias_mant: 300, bias_exp: 4, refractory: 1 } } : p,
      );
      return { ...net, populations } as NetworkSpec;
    });
    let oneCall = 0;
    fc.assert(
      fc.property(lifOnly, fc.constantFrom<Noc>('analytic', 'cycle', 'none'), fc.integer({ min: 1, max: 3 }), (net, noc, depth) => {
        const arch = withQueue(tinyArch(), depth);
        const w = runRecord(net, arch, 'wasm', noc, 14);
        const j = runRecord(net, arch, 'js', noc, 14);
        // every core reads its accumulator slot in place (one accumulator group) unless a projection has its own exponent
        expect(w.oneCall).toBe(w.direct);
        expect(j.oneCall).toBe(false);
        expect(w.text).toBe(j.text);
        if (w.oneCall) oneCall++;
      }),
      { numRuns: 60, seed: 2024 },
    );
    expect(oneCall).toBeGreaterThan(10);
    // cuba takes it, with stalls from a one-packet queue and the cycle NoC's back-pressure
    for (const noc of ['analytic', 'cycle'] as const) {
      const arch = withQueue(resolveArch('loihi'), 1);
      const w = runRecord(buildCuba(), arch, 'wasm', noc, 80);
      expect(w.oneCall).toBe(true);
      expect(w.stalls).toBeGreaterThan(0);
      expect(w.text).toBe(runRecord(buildCuba(), arch, 'js', noc, 80).text);
    }
  });

  it('a graded core fires through TypeScript; the rest of its system through the kernel', () => {
    const s = presetArch('loihi2');
    const arch = archFromSpec(s);
    const net: NetworkSpec = {
      format: 'aerie-network/1',
      populations: [
        { name: 'src', kind: 'spike-source', size: 4, spikes: [[1, 3], [2], [4, 5], [1]] },
        { name: 'sd', kind: 'sigma-delta', size: 4 },
        { name: 'out', kind: 'lif', size: 4, params: { du: 100, dv: 100, vth: 10, bias_mant: 0, bias_exp: 0, refractory: 0 } },
      ],
      projections: [
        { from: 'src', to: 'sd', weights: [[50, 0, 0, 0], [0, 50, 0, 0], [0, 0, 50, 0], [0, 0, 0, 50]] },
        { from: 'sd', to: 'out', weights: [[20, 20, 0, 0], [0, 20, 20, 0], [0, 0, 20, 20], [20, 0, 0, 20]] },
      ],
    } as NetworkSpec;
    const cores = prepare(structuredClone(net), arch).emulator.cores;
    expect(cores.filter((c) => c.graded).every((c) => c.fireBinding === null)).toBe(true);
    expect(cores.filter((c) => !c.graded).every((c) => c.fireBinding !== null)).toBe(true);
    expect(cores.some((c) => c.graded)).toBe(true);
    const w = runRecord(net, arch, 'wasm', 'analytic', 12);
    const j = runRecord(net, arch, 'js', 'analytic', 12);
    // a core without the kernel: every packet is attributed after routing
    expect(w.attributedAtFire).toBe(false);
    expect(w.text).toBe(j.text);
  });
});
