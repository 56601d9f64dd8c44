/**
 * A seeded synthetic run for renderer tests and the sample HTML report: three Bernoulli-spiking
 * populations on one core each of an 8 × 4 Loihi mesh, with consistent counters (every spike →
 * one packet per destination core → XY hops → one synop per target compartment), a sampled
 * raster, per-router and per-link flit counts, and step durations from a simple critical-path rule.
 * It stands in for the step engine, which is not part of the energy layer.
 */
import { randUnit, RNG_BLOCK } from '../../emulator/util/rng.js';
import type { ActionId, ActivityCounts, MeshLoadInput, SpikeRasterInput } from '../../emulator/energy/index.js';

interface Pop {
  name: string;
  size: number;
  x: number;
  y: number;
  rate: (t: number) => number;
  targets: string[];
}

export interface SyntheticRun {
  activity: ActivityCounts;
  raster: SpikeRasterInput;
  mesh: MeshLoadInput;
  denseWeights: number;
}

export function syntheticRun(seed: number, steps = 300): SyntheticRun {
  const W = 8;
  const H = 4;
  const pops: Pop[] = [
    { name: 'input', size: 64, x: 0, y: 0, rate: (t) => 0.06 + 0.05 * Math.sin(t / 25), targets: ['hidden'] },
    { name: 'hidden', size: 256, x: 3, y: 2, rate: (t) => 0.015 + 0.01 * (t % 100 < 30 ? 1 : 0), targets: ['output', 'inhib'] },
    { name: 'inhib', size: 32, x: 3, y: 2, rate: () => 0.04, targets: ['hidden'] },
    { name: 'output', size: 16, x: 7, y: 3, rate: () => 0.05, targets: [] },
  ];
  const byName = new Map(pops.map((p, i) => [p.name, { ...p, core: i }]));
  const totals: Partial<Record<ActionId, number>> = {};
  const byPopulation: ActivityCounts['byPopulation'] = {};
  const add = (pop: string, a: ActionId, n: number) => {
    if (n === 0) return;
    totals[a] = (totals[a] ?? 0) + n;
    const g = (byPopulation[pop] ??= {});
    g[a] = (g[a] ?? 0) + n;
  };
  const routerFlits = new Array<number>(W * H).fill(0);
  const eastLinks = new Array<number>(W * H).fill(0);
  const northLinks = new Array<number>(W * H).fill(0);
  const stepDurationPs = new Float64Array(steps);
  const spikesPerStep = new Uint32Array(steps);
  const rasterSteps: number[] = [];
  const rasterIds: number[] = [];
  const SAMPLE = 16;
  const groups = pops.map((p, i) => ({ name: p.name, start: i * SAMPLE, count: SAMPLE }));
  const received = new Map<string, number>(pops.map((p) => [p.name, 0]));
  for (let t = 0; t < steps; t++) {
    const synopsOnCore = new Map<string, number>();
    let maxHops = 0;
    let spikesNow = 0;
    pops.forEach((p, pi) => {
      const pr = p.rate(t);
      let spikes = 0;
      for (let n = 0; n < p.size; n++) {
        if (randUnit(seed, RNG_BLOCK.workload, t, pi * 100_000 + n) < pr) {
          spikes++;
          if (n < SAMPLE) {
            rasterSteps.push(t);
            rasterIds.push(pi * SAMPLE + n);
          }
        }
      }
      spikesNow += spikes;
      add(p.name, 'core.spike_out', spikes);
      // compartments that received input last step or spiked are active
      const active = Math.min(p.size, spikes + (received.get(p.name)! > 0 ? Math.ceil(p.size * 0.6) : 0));
      add(p.name, 'core.compartment_active', active);
      add(p.name, 'core.compartment_inactive', p.size - active);
      for (const tn of p.targets) {
        const q = byName.get(tn)!;
        add(p.name, 'core.packet_out', spikes);
        const dx = Math.abs(q.x - p.x);
        const dy = Math.abs(q.y - p.y);
        if (dx + dy === 0) add(p.name, 'noc.within_tile', spikes);
        else {
          add(p.name, 'noc.flit', spikes);
          add(p.name, 'noc.hop_ew', spikes * dx);
          add(p.name, 'noc.hop_ns', spikes * dy);
          // XY route: along x in the source row, then along y in the destination column
          let x = p.x;
          const y0 = p.y;
          routerFlits[y0 * W + x] += spikes;
          while (x !== q.x) {
            const nx = x + Math.sign(q.x - x);
            eastLinks[y0 * W + Math.min(x, nx)] += spikes;
            x = nx;
            routerFlits[y0 * W + x] += spikes;
          }
          let y = y0;
          while (y !== q.y) {
            const ny = y + Math.sign(q.y - y);
            northLinks[Math.min(y, ny) * W + x] += spikes;
            y = ny;
            routerFlits[y * W + x] += spikes;
          }
        }
        if (spikes > 0) maxHops = Math.max(maxHops, dx + dy);
        add(tn, 'core.packet_in', spikes);
        add(tn, 'core.synop', spikes * q.size);
        synopsOnCore.set(tn, (synopsOnCore.get(tn) ?? 0) + spikes * q.size);
        received.set(tn, spikes);
      }
    });
    spikesPerStep[t] = spikesNow;
    // critical path (ps): busiest core's synops × 3.5 ns + its compartments × 8.4 ns, + hops × 6.5 ns, + 465 ns barrier
    let coreWork = 0;
    for (const p of pops) coreWork = Math.max(coreWork, (synopsOnCore.get(p.name) ?? 0) * 3_500 + p.size * 8_400);
    stepDurationPs[t] = coreWork + maxHops * 6_500 + 465_000;
  }
  totals['sync.barrier'] = steps;
  const routersUsed = routerFlits.filter((f) => f > 0).length;
  const activity: ActivityCounts = {
    steps,
    totals,
    byPopulation,
    byChip: { 0: { ...totals } },
    hardware: { chips: 1, tilesUsed: 3, coresUsed: pops.length, routersUsed, crossbarsUsed: 0 },
    stepDurationPs,
    spikesPerStep,
    populationSizes: Object.fromEntries(pops.map((p) => [p.name, p.size])),
    dt: 0.001,
  };
  let denseWeights = 0;
  for (const p of pops) for (const tn of p.targets) denseWeights += p.size * byName.get(tn)!.size;
  return {
    activity,
    raster: { steps: rasterSteps, ids: rasterIds, rows: pops.length * SAMPLE, groups },
    mesh: { width: W, height: H, routerFlits, eastLinks, northLinks },
    denseWeights,
  };
}
