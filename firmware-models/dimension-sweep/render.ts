/** Table (JSON, CSV) and a self-contained HTML page with inline-SVG log–log charts for the sweep. */
import { esc, px, decadeTicks, EVENT_COLOUR, DENSE_COLOUR, DENSE_LEGACY_COLOUR } from '../../tools/report/svg.js';
import { csvField } from '../../tools/report/csv.js';
import type { SweepRow } from './sweep.js';

export const SWEEP_SCHEMA = 'aerie-dimension-sweep/1';

export function sweepJson(rows: SweepRow[], meta: Record<string, unknown>): string {
  return JSON.stringify({ schema: SWEEP_SCHEMA, ...meta, rows }, null, 2) + '\n';
}

export function sweepCsv(rows: SweepRow[]): string {
  const devices = rows.length ? rows[0].denseNetwork.map((d) => d.device) : [];
  const head = ['dimension', 'active_units', 'items', 'queries', 'accuracy', 'hit_rate', 'false_fires_per_query', 'synops_per_step', 'compartment_updates_per_step', 'cores', 'chips', 'event_energy_per_step_j', 'event_static_energy_per_step_j', 'event_latency_per_step_s'];
  for (const d of devices) head.push(`dense_network_energy_j[${d}]`, `dense_network_latency_s[${d}]`);
  for (const d of devices) head.push(`dense_task_energy_j[${d}]`, `dense_task_latency_s[${d}]`);
  const lines = [head.map(csvField).join(',')];
  for (const r of rows) {
    const f: (string | number)[] = [r.dimension, r.activeUnits, r.items, r.queries, r.accuracy, r.hitRate, r.falseFiresPerQuery, r.synopsPerStep, r.compartmentUpdatesPerStep, r.cores, r.chips, r.energyPerStepJ, r.staticPerStepJ, r.latencyPerStepS];
    for (const d of r.denseNetwork) f.push(d.energyPerStepJ, d.latencyPerStepS);
    for (const d of r.denseTask) f.push(d.energyPerStepJ, d.latencyPerStepS);
    lines.push(f.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

interface Line {
  label: string;
  colour: string;
  dash?: string;
  y: number[];
}

const W = 860;
const H = 330;

/** A log–log (or log-x, linear-y when yLinear) line chart. */
export function logChart(x: number[], lines: Line[], title: string, yTitle: string, yLinear = false): string {
  const left = 84;
  const right = 230;
  const top = 28;
  const bottom = 46;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const xs = decadeTicks(Math.min(...x), Math.max(...x));
  const all = lines.flatMap((l) => l.y).filter((v) => v > 0 && Number.isFinite(v));
  const ys = yLinear ? [0, 0.25, 0.5, 0.75, 1] : decadeTicks(Math.min(...all), Math.max(...all));
  const lx = (v: number) => Math.log10(v);
  const X = (v: number) => left + ((lx(v) - lx(xs[0])) / (lx(xs[xs.length - 1]) - lx(xs[0]))) * pw;
  const Y = yLinear ? (v: number) => top + ph - v * ph : (v: number) => top + ph - ((lx(v) - lx(ys[0])) / (lx(ys[ys.length - 1]) - lx(ys[0]))) * ph;
  const p: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`];
  p.push(`<text x="${left}" y="18" font-weight="bold">${esc(title)}</text>`);
  for (const t of ys) p.push(`<line x1="${left}" x2="${left + pw}" y1="${px(Y(t))}" y2="${px(Y(t))}" stroke="#ddd"/><text x="${left - 6}" y="${px(Y(t) + 4)}" text-anchor="end" font-size="11">${esc(yLinear ? `${t * 100} %` : t.toExponential(0))}</text>`);
  for (const t of xs) p.push(`<line x1="${px(X(t))}" x2="${px(X(t))}" y1="${top}" y2="${top + ph}" stroke="#eee"/><text x="${px(X(t))}" y="${top + ph + 16}" text-anchor="middle" font-size="11">${esc(t.toLocaleString('en-US'))}</text>`);
  p.push(`<line x1="${left}" x2="${left + pw}" y1="${top + ph}" y2="${top + ph}" stroke="#333"/><line x1="${left}" x2="${left}" y1="${top}" y2="${top + ph}" stroke="#333"/>`);
  p.push(`<text x="${px(left + pw / 2)}" y="${H - 8}" text-anchor="middle" font-size="12">dimension (units), ${esc(String(x.length))} sizes</text>`);
  p.push(`<text transform="translate(16 ${px(top + ph / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yTitle)}</text>`);
  lines.forEach((l, i) => {
    const pts = x.map((xv, k) => (l.y[k] > 0 || yLinear ? `${px(X(xv))},${px(Y(l.y[k]))}` : '')).filter(Boolean);
    p.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${l.colour}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
    for (const pt of pts) {
      const [cx, cy] = pt.split(',');
      p.push(`<circle cx="${cx}" cy="${cy}" r="2.6" fill="${l.colour}"/>`);
    }
    const ly = top + 10 + i * 18;
    p.push(`<line x1="${left + pw + 12}" x2="${left + pw + 36}" y1="${ly}" y2="${ly}" stroke="${l.colour}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/><text x="${left + pw + 42}" y="${ly + 4}" font-size="11">${esc(l.label)}</text>`);
  });
  p.push('</svg>');
  return p.join('');
}

function denseLines(rows: SweepRow[], pick: (r: SweepRow) => { device: string; v: number }[], label: string, dash: string): Line[] {
  const n = rows[0] ? pick(rows[0]).length : 0;
  const out: Line[] = [];
  for (let i = 0; i < n; i++) {
    const name = pick(rows[0])[i].device;
    out.push({ label: `${label}: ${name}`, colour: /legacy/i.test(name) ? DENSE_LEGACY_COLOUR : DENSE_COLOUR, dash: i === 0 ? dash : `${dash} 2 2`, y: rows.map((r) => pick(r)[i].v) });
  }
  return out;
}

export function sweepHtml(rows: SweepRow[], title: string, notes: string[]): string {
  const x = rows.map((r) => r.dimension);
  const energy = logChart(x, [
    { label: 'event-driven (emulated)', colour: EVENT_COLOUR, y: rows.map((r) => r.energyPerStepJ) },
    ...denseLines(rows, (r) => r.denseNetwork.map((d) => ({ device: d.device, v: d.energyPerStepJ })), 'same network', '6 3'),
    ...denseLines(rows, (r) => r.denseTask.map((d) => ({ device: d.device, v: d.energyPerStepJ })), 'task GEMV', '2 2'),
  ], 'Energy per step (one query)', 'J per step');
  const latency = logChart(x, [
    { label: 'event-driven (emulated)', colour: EVENT_COLOUR, y: rows.map((r) => r.latencyPerStepS) },
    ...denseLines(rows, (r) => r.denseNetwork.map((d) => ({ device: d.device, v: d.latencyPerStepS })), 'same network', '6 3'),
    ...denseLines(rows, (r) => r.denseTask.map((d) => ({ device: d.device, v: d.latencyPerStepS })), 'task GEMV', '2 2'),
  ], 'Latency per step (one query)', 's per step');
  const acc = logChart(x, [
    { label: 'retrieval accuracy', colour: EVENT_COLOUR, y: rows.map((r) => r.accuracy) },
    { label: 'hit rate', colour: '#5c9e31', dash: '4 3', y: rows.map((r) => r.hitRate) },
  ], 'Task metric', 'fraction of queries', true);
  const work = logChart(x, [
    { label: 'synops per step', colour: EVENT_COLOUR, y: rows.map((r) => r.synopsPerStep) },
    { label: 'compartment updates per step', colour: '#7a5195', y: rows.map((r) => r.compartmentUpdatesPerStep) },
    { label: 'cores', colour: '#ef5675', y: rows.map((r) => r.cores) },
  ], 'Work and hardware', 'count');
  const head = ['dimension', 'accuracy', 'synops/step', 'cores', 'chips', 'event J/step', 'event s/step', ...(rows[0]?.denseNetwork.map((d) => `same-net J/step ${d.device}`) ?? []), ...(rows[0]?.denseTask.map((d) => `task J/query ${d.device}`) ?? [])];
  const body = rows.map((r) => [r.dimension, r.accuracy.toFixed(3), r.synopsPerStep.toFixed(1), r.cores, r.chips, r.energyPerStepJ.toPrecision(3), r.latencyPerStepS.toPrecision(3), ...r.denseNetwork.map((d) => d.energyPerStepJ.toPrecision(3)), ...r.denseTask.map((d) => d.energyPerStepJ.toPrecision(3))]);
  const table = `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${body.map((b) => `<tr>${b.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</table>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;margin:24px;color:#1a1a1a}svg{display:block;margin:12px 0;font-family:system-ui,sans-serif}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}</style></head><body><h1>${esc(title)}</h1>${notes.map((n) => `<p>${esc(n)}</p>`).join('')}${acc}${energy}${latency}${work}${table}</body></html>\n`;
}
