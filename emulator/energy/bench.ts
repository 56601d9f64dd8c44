/**
 * Benchmark of the energy layer: pricing a large ActivityCounts (many populations and chips,
 * long runs) and building the full report model. Measured by `npm run bench`, never asserted in tests.
 */
import { performance } from 'node:perf_hooks';
import type { ActionId, ActivityCounts } from './activity.js';
import { ACTION_IDS } from './table.js';
import { LOIHI_2018 } from './presets.js';
import { priceActivity } from './price.js';
import { buildReport } from './report.js';
import { randInt, RNG_BLOCK } from '../util/rng.js';

export interface EnergyBenchOptions {
  populations?: number;
  chips?: number;
  steps?: number;
  repeats?: number;
  seed?: number;
}

/** A large, consistent synthetic activity (seeded): per-population counts, chips summing to the totals. */
export function syntheticActivity(populations: number, chips: number, steps: number, seed = 1): ActivityCounts {
  const totals: Partial<Record<ActionId, number>> = {};
  const byPopulation: ActivityCounts['byPopulation'] = {};
  const byChip: ActivityCounts['byChip'] = {};
  const populationSizes: Record<string, number> = {};
  for (let p = 0; p < populations; p++) {
    const name = `pop${p}`;
    const g: Partial<Record<ActionId, number>> = {};
    ACTION_IDS.forEach((a, i) => {
      if (a.startsWith('crossbar') || a === 'sync.barrier') return;
      g[a] = randInt(seed, RNG_BLOCK.workload, p, i, 0, 1_000_000);
    });
    byPopulation[name] = g;
    populationSizes[name] = 1024;
    const chip = p % chips;
    const c = (byChip[chip] ??= {});
    for (const [a, v] of Object.entries(g) as [ActionId, number][]) {
      totals[a] = (totals[a] ?? 0) + v;
      c[a] = (c[a] ?? 0) + v;
    }
  }
  totals['sync.barrier'] = steps * chips;
  for (let c = 0; c < chips; c++) (byChip[c] ??= {})['sync.barrier'] = steps;
  const stepDurationPs = new Float64Array(steps);
  const spikesPerStep = new Uint32Array(steps);
  for (let t = 0; t < steps; t++) {
    stepDurationPs[t] = randInt(seed, RNG_BLOCK.workload, t, 1 << 20, 400_000, 20_000_000);
    spikesPerStep[t] = randInt(seed, RNG_BLOCK.workload, t, (1 << 20) + 1, 0, 5_000);
  }
  return {
    steps,
    totals,
    byPopulation,
    byChip,
    hardware: { chips, tilesUsed: 32 * chips, coresUsed: 128 * chips, routersUsed: 32 * chips, crossbarsUsed: 0 },
    stepDurationPs,
    spikesPerStep,
    populationSizes,
    dt: 1e-3,
  };
}

export function benchEnergy(opts: EnergyBenchOptions = {}): Record<string, number | string> {
  const populations = opts.populations ?? 1_000;
  const chips = opts.chips ?? 16;
  const steps = opts.steps ?? 100_000;
  const repeats = opts.repeats ?? 5;
  const activity = syntheticActivity(populations, chips, steps, opts.seed ?? 1);
  let t0 = performance.now();
  let total = 0;
  for (let i = 0; i < repeats; i++) total += priceActivity(activity, LOIHI_2018).totalFj;
  const priceMs = (performance.now() - t0) / repeats;
  t0 = performance.now();
  let points = 0;
  for (let i = 0; i < repeats; i++) {
    const r = buildReport(activity, LOIHI_2018, { denseNetwork: { denseWeights: 1e9, compartments: populations * 1024, steps, weightBits: 8 } });
    points += r.charts.stepLatency.meanPs.length;
  }
  const reportMs = (performance.now() - t0) / repeats;
  return {
    populations,
    chips,
    steps,
    price_ms: Math.round(priceMs * 100) / 100,
    report_ms: Math.round(reportMs * 100) / 100,
    steps_per_ms_report: Math.round(steps / reportMs),
    total_fj_check: total / repeats,
    latency_points: points / repeats,
  };
}
