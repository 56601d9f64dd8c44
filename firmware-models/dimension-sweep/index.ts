/**
 * Firmware model `dimension-sweep`: fixed active units per step (64), growing representation
 * (1,000 → --size dimensions); task metric, energy and latency per step, cores and chips, against
 * both dense baselines. Writes dimension-sweep.json, .csv and .html (see README.md).
 */
import * as path from 'node:path';
import type { FirmwareModel } from '../index.js';
import { writeOutputFile } from '../../tools/cli-support.js';
import { runSweep, sweepDimensions, SWEEP_PARAMS, type SweepOptions, type SweepRow } from './sweep.js';
import { sweepCsv, sweepHtml, sweepJson } from './render.js';

export { runSweep, runSweepPoint, sweepDimensions, SWEEP_PARAMS, DEFAULT_DIMENSIONS, type SweepOptions, type SweepRow } from './sweep.js';
export { sweepCsv, sweepHtml, sweepJson, logChart, SWEEP_SCHEMA } from './render.js';

/** Where the model writes its files: $AERIE_MODEL_OUT or the current folder. */
export function sweepOutDir(): string {
  return process.env.AERIE_MODEL_OUT ?? '.';
}

function fmt(v: number): string {
  return v.toPrecision(3);
}

export function sweepText(rows: SweepRow[]): string[] {
  const out = ['dimension  accuracy  synops/step  cores chips  event J/step  event s/step  dense same-net J/step (first device)  dense task J/query (first device)'];
  for (const r of rows) out.push(`${String(r.dimension).padStart(9)}  ${r.accuracy.toFixed(3).padStart(8)}  ${r.synopsPerStep.toFixed(1).padStart(11)}  ${String(r.cores).padStart(5)} ${String(r.chips).padStart(5)}  ${fmt(r.energyPerStepJ).padStart(12)}  ${fmt(r.latencyPerStepS).padStart(12)}  ${fmt(r.denseNetwork[0].energyPerStepJ).padStart(36)}  ${fmt(r.denseTask[0].energyPerStepJ).padStart(33)}`);
  return out;
}

export function writeSweepFiles(rows: SweepRow[], o: Pick<SweepOptions, 'seed'>, dir: string): string[] {
  const meta = { model: 'dimension-sweep', seed: o.seed, parameters: SWEEP_PARAMS };
  const title = `aerie dimension sweep: ${rows[0]?.activeUnits ?? 64} active units per step, ${rows[0]?.items ?? 0} stored items`;
  const notes = [
    `Associative retrieval: a query keeps ${SWEEP_PARAMS.keep.value} of an item's ${SWEEP_PARAMS.activeUnits.value} units; correct = the item and only it fires. Seed ${o.seed}.`,
    'Event-driven: aerie emulation (Loihi preset, default energy table). Dense: same network stepped densely and the task as a bit-packed GEMV per query, on the report\'s device models.',
  ];
  const files = [
    [path.join(dir, 'dimension-sweep.json'), sweepJson(rows, meta)],
    [path.join(dir, 'dimension-sweep.csv'), sweepCsv(rows)],
    [path.join(dir, 'dimension-sweep.html'), sweepHtml(rows, title, notes)],
  ];
  for (const [f, data] of files) writeOutputFile(f, data, true);
  return files.map((f) => f[0]);
}

export const dimensionSweepModel: FirmwareModel = {
  name: 'dimension-sweep',
  description: 'fixed 64 active units per step, representation 1,000 → N dimensions: retrieval accuracy, energy, latency, cores vs dense (writes .json/.csv/.html)',
  size: { meaning: 'largest dimension N', default: 1_000_000, min: 1000, max: 4_000_000 },
  run: (o) => {
    const rows = runSweep({ maxDimension: o.size, seed: o.seed, arch: o.arch });
    const files = writeSweepFiles(rows, o, sweepOutDir());
    const text = [`dimension sweep, ${sweepDimensions(o.size).length} sizes, ${SWEEP_PARAMS.activeUnits.value} active units per step, ${SWEEP_PARAMS.items.value} items, ${SWEEP_PARAMS.queries.value} queries per size`, ...sweepText(rows), `wrote ${files.join(', ')}`].join('\n');
    return { text, json: { metrics: { dimensions: rows.map((r) => r.dimension), accuracy: rows.map((r) => r.accuracy) }, rows, files } };
  },
};
