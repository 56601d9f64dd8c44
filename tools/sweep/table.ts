/**
 * The sweep results table: one row per point — its index, key, axis values, then every numeric
 * total of the run summary, flattened by dotted name (`synaptic_events`, `step_latency_ps.mean`,
 * `counters.core.synop`, `populations.exc.spikes`, and any section added to the summary later,
 * such as energy totals). Wall-clock figures (`run.*`) are left out: they differ between runs, and
 * the table must be identical however the points were run (locally or through NATS).
 */
import type { RunSummary } from '../../emulator/index.js';
import type { PointResult } from './point.js';
import type { Sweep } from './spec.js';

export const TABLE_FORMAT = 'aerie-sweep-table/1';

export type Cell = number | string | null;
export type Row = Record<string, Cell>;

export interface SweepTable {
  format: typeof TABLE_FORMAT;
  sweep: string;
  combine: 'crossed' | 'zipped';
  axes: { path: string; values: (number | string)[] }[];
  columns: string[];
  rows: Row[];
}

/** Summary sections that are not totals of the emulated run. */
const SKIP = new Set(['schema', 'network', 'arch', 'run']);

/** Every numeric field of a run summary, by dotted name, in the summary's own order. */
export function flattenSummary(s: RunSummary): [string, number][] {
  const out: [string, number][] = [];
  const walk = (v: unknown, prefix: string): void => {
    if (typeof v === 'number') out.push([prefix, v]);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
  };
  for (const [k, v] of Object.entries(s)) if (!SKIP.has(k)) walk(v, k);
  return out;
}

/** Build the table from the sweep and each point's result (missing results leave empty rows). */
export function buildTable(sweep: Sweep, results: Map<string, PointResult>): SweepTable {
  const axisCols = sweep.axes.map((a) => a.path);
  const totals: string[] = [];
  const seen = new Set<string>(['point', 'key', 'error', ...axisCols]);
  const rows: Row[] = [];
  for (const p of sweep.points) {
    const r = results.get(p.key);
    const row: Row = { point: p.index, key: p.key };
    for (const a of axisCols) row[a] = p.values[a];
    row.error = r === undefined ? 'not run' : r.error ? `${r.error.kind}: ${r.error.message}` : null;
    if (r?.summary) {
      for (const [k, v] of flattenSummary(r.summary)) {
        if (axisCols.includes(k)) continue;
        if (!seen.has(k)) {
          seen.add(k);
          totals.push(k);
        }
        row[k] = v;
      }
    }
    rows.push(row);
  }
  const columns = ['point', 'key', ...axisCols, 'error', ...totals];
  for (const row of rows) for (const c of columns) if (!(c in row)) row[c] = null;
  return {
    format: TABLE_FORMAT,
    sweep: sweep.name,
    combine: sweep.combine,
    axes: sweep.axes.map((a) => ({ path: a.path, values: a.values })),
    columns,
    rows: rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]]))),
  };
}

export function tableJson(t: SweepTable): string {
  return JSON.stringify(t, null, 1) + '\n';
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: a header of column names, one line per point, empty cells for missing values. */
export function tableCsv(t: SweepTable): string {
  const lines = [t.columns.map(csvCell).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
