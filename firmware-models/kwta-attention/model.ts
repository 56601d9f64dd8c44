/** The registry entry of kwta-attention (`aerie model kwta-attention --size TOKENS`). */
import type { FirmwareModel, ModelOptions, ModelResult } from '../index.js';
import type { Report } from '../../emulator/energy/index.js';
import { KWTA_PARAMS, runKwtaAttention } from './index.js';
import { cosine, referenceAttention } from './workload.js';

/** Engineering notation with a unit: 1.23e-6 J → "1.23 µJ". */
export function si(v: number, unit: string): string {
  if (v === 0 || !Number.isFinite(v)) return `${v} ${unit}`;
  const prefixes: [number, string][] = [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']];
  for (const [s, p] of prefixes) if (Math.abs(v) >= s) return `${(v / s).toPrecision(3)} ${p}${unit}`;
  return `${(v / 1e-15).toPrecision(3)} f${unit}`;
}

/** The task baseline of a report as compact rows (device, energy, latency, EDP, dense ÷ event-driven ratios). */
export function taskBaselineRows(report: Report): { device: string; energyJ: number; latencyS: number; edpJs: number; ratio: { energy: number; latency: number; edp: number } }[] {
  const b = report.dense.baselines.find((x) => x.kind === 'task');
  return (b?.devices ?? []).map((d) => ({ device: d.short, energyJ: d.energyJ, latencyS: d.latencyS, edpJs: d.edpJs, ratio: d.ratio }));
}

export function formatEnergyLines(report: Report): string[] {
  const lines = [
    `emulated: energy ${si(report.energy.totalJ, 'J')} (dynamic ${si(report.energy.dynamicJ, 'J')}), latency ${si(report.time.emulatedTimeS, 's')}, EDP ${report.energy.edpJs.toExponential(3)} J·s  [table ${report.table.name}]`,
    `dense task baseline (${report.dense.baselines.find((x) => x.kind === 'task')?.description ?? 'none'}):`,
  ];
  for (const r of taskBaselineRows(report)) {
    lines.push(`  ${r.device.padEnd(26)} ${si(r.energyJ, 'J').padStart(10)} ${si(r.latencyS, 's').padStart(10)}   dense ÷ emulated: energy ${r.ratio.energy.toPrecision(3)}×, latency ${r.ratio.latency.toPrecision(3)}×, EDP ${r.ratio.edp.toPrecision(3)}×`);
  }
  return lines;
}

export const kwtaAttentionModel: FirmwareModel = {
  name: 'kwta-attention',
  description: 'spiking k-WTA attention: K/V written into crossbars at run time, top-k keys by lateral inhibition, Σ winners\' values',
  size: { meaning: `tokens (d_model ${KWTA_PARAMS.dModel.default}, k ${KWTA_PARAMS.k.default})`, default: KWTA_PARAMS.tokens.default, min: KWTA_PARAMS.k.default, max: 4096 },
  run(opts: ModelOptions): ModelResult {
    const r = runKwtaAttention({ tokens: opts.size, seed: opts.seed, arch: opts.arch });
    const ref = referenceAttention(r.workload, r.k);
    const hits = r.winners.filter((t) => ref.topK.includes(t)).length;
    const recall = hits / r.k;
    const precision = r.winners.length ? hits / r.winners.length : 0;
    const cosSoftmax = cosine(r.output, ref.softmaxOut);
    const cosTopK = cosine(r.output, ref.topKSum);
    const T = r.workload.tokens;
    const text = [
      `kwta-attention: ${T} tokens, d_model ${r.workload.dModel}, k ${r.k}, seed ${opts.seed}`,
      `top-k recall ${recall.toFixed(3)} (${hits}/${r.k}), precision ${precision.toFixed(3)} (${r.winners.length} keys fired) against float64 softmax attention`,
      `output cosine similarity: ${cosSoftmax.toFixed(4)} to softmax attention, ${cosTopK.toFixed(4)} to the exact top-k sum of values`,
      `k-WTA: gate fired at step ${r.gateStep || 'never'} of ${r.steps}; ${r.crossbarArrays} crossbar arrays, ${r.crossbarCellsWritten} cells written at run time (K, V; ${r.modelLoadCells} more at model load, not charged)`,
      ...formatEnergyLines(r.report),
    ].join('\n');
    return {
      text,
      json: {
        metrics: { recall, precision, cosine_softmax: cosSoftmax, cosine_topk: cosTopK, winners: r.winners, gate_step: r.gateStep, steps: r.steps },
        params: { tokens: T, d_model: r.workload.dModel, k: r.k, shifts: r.shifts },
        hardware: { crossbar_arrays: r.crossbarArrays, crossbar_cells_written: r.crossbarCellsWritten, model_load_cells: r.modelLoadCells, crossbar_latency_ps: r.crossbarLatencyPs, cores: r.activity.hardware.coresUsed },
        energy: { total_j: r.report.energy.totalJ, dynamic_j: r.report.energy.dynamicJ, latency_s: r.report.time.emulatedTimeS, edp_js: r.report.energy.edpJs, table: r.report.table.name },
        dense_task: { spec: r.denseTask, devices: taskBaselineRows(r.report) },
      },
      activity: r.activity,
      denseTask: r.denseTask,
    };
  },
};
