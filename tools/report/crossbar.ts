/** The crossbar section shared by the terminal and HTML renderers: energy (from the table) and accuracy per projection. */
import type { Report } from '../../emulator/energy/index.js';
import { count, energyFj } from './format.js';

export const CROSSBAR_HEADERS = ['projection', 'arrays', 'tiles (rows × cols)', 'mode', 'array', 'ADC', 'MVMs', 'outputs', 'MAE', 'max |err|', 'rel. error', 'BER', 'top-1', 'model energy'];
export const CROSSBAR_ALIGN: ('l' | 'r')[] = ['l', 'r', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];

/** Three significant digits, plain (no SI prefix): error figures are in input-current units. */
function fix(x: number): string {
  return x === 0 ? '0' : Number(x.toPrecision(3)).toString();
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

export function crossbarLines(r: Report): { summary: string; rows: string[][] } | undefined {
  const c = r.crossbar;
  if (!c) return undefined;
  const fj = r.energy.byComponent.find((x) => x.component === 'crossbar')?.fj ?? 0;
  const summary =
    `${count(c.arrays)} array(s), ${count(c.mvms)} MVMs, ${count(c.outputPackets)} output packets, ${count(c.partialSumAdds)} partial-sum adds; ` +
    `crossbar energy ${energyFj(fj)} (table ${r.table.name}; block model ${energyFj(c.modelEnergyFj)}); ` +
    `vs the exact digital product: MAE ${fix(c.meanAbsError)} over ${count(c.samples)} outputs, max |err| ${fix(c.maxAbsError)}, relative ${fix(c.relativeError)}, worst step MAE ${fix(c.maxStepMeanAbsError)}` +
    (c.bitErrorRate === undefined ? '' : `; binary (HDC) mode: bit-error rate ${fix(c.bitErrorRate)}, top-1 agreement ${pct(c.top1Agreement ?? 0)} over ${count(c.searches ?? 0)} searches`);
  const rows = c.projections.map((p) => [
    `${p.name} (${p.from} → ${p.to})`,
    count(p.arrays),
    `${p.rowTiles} × ${p.colTiles}`,
    p.mode,
    p.mode === 'binary' ? `${p.rows}×${p.cols}, 1-bit pairs` : `${p.rows}×${p.cols}, ${p.weightBits}-bit w`,
    `${p.adcBits} bit`,
    count(p.mvms),
    count(p.outputPackets),
    fix(p.meanAbsError),
    fix(p.maxAbsError),
    fix(p.relativeError),
    p.mode === 'binary' ? fix(p.bitErrorRate ?? 0) : '–',
    p.mode === 'binary' ? pct(p.top1Agreement ?? 0) : '–',
    energyFj(p.modelEnergyFj),
  ]);
  return { summary, rows };
}
