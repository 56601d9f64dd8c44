/**
 * A self-contained HTML page for a sweep (inline SVG and CSS, no scripts, no network): an
 * energy–latency Pareto chart, one plot per axis for latency and cost, and the table.
 *
 * Cost axis: the run summary's energy total when the summary carries one (`energy.total_fj`, or
 * the first `energy.*total*` column), otherwise synaptic events, labelled as a stand-in.
 */
import type { Cell, Row, SweepTable } from './table.js';

export const LATENCY_COLUMN = 'emulated_time_ps';

/** The column used as the cost (energy) axis, and its label. */
export function costColumn(t: SweepTable): { column: string; label: string } {
  if (t.columns.includes('energy.total_fj')) return { column: 'energy.total_fj', label: 'energy (fJ, energy.total_fj)' };
  const e = t.columns.find((c) => /^energy\..*total/.test(c));
  if (e) return { column: e, label: `energy (${e})` };
  return { column: 'synaptic_events', label: 'synaptic events (cost stand-in: no energy totals in the run summary)' };
}

interface Pt {
  x: number;
  y: number;
  label: string;
  front: boolean;
}

/** Indices of rows on the Pareto front minimising both x and y. */
export function paretoFront(xs: number[], ys: number[]): Set<number> {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b] || ys[a] - ys[b]);
  const front = new Set<number>();
  let best = Infinity;
  for (const i of order) {
    if (ys[i] < best) {
      front.add(i);
      best = ys[i];
    }
  }
  return front;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(n: number): string {
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a >= 1e9 || a < 1e-3) return n.toExponential(3);
  return Number(n.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** One scatter chart. `categories` turns x into evenly spaced named positions. */
function scatter(pts: Pt[], xLabel: string, yLabel: string, opts: { width?: number; height?: number; categories?: string[]; frontLine?: boolean } = {}): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 400;
  const L = 78;
  const R = 16;
  const T = 14;
  const B = 46;
  if (pts.length === 0) return `<p class="empty">no finished points to plot for ${esc(yLabel)}</p>`;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (opts.categories) [x0, x1] = [-0.5, opts.categories.length - 0.5];
  // a constant axis gets a band of ±5 % (at least ±1) around its value
  if (x0 === x1) [x0, x1] = [x0 - Math.max(1, Math.abs(x0) * 0.05), x1 + Math.max(1, Math.abs(x1) * 0.05)];
  if (y0 === y1) [y0, y1] = [y0 - Math.max(1, Math.abs(y0) * 0.05), y1 + Math.max(1, Math.abs(y1) * 0.05)];
  const padY = (y1 - y0) * 0.05;
  y0 -= padY;
  y1 += padY;
  if (!opts.categories) {
    const padX = (x1 - x0) * 0.03;
    x0 -= padX;
    x1 += padX;
  }
  const sx = (x: number): number => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y: number): number => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`];
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" class="plot"/>`);
  for (const t of ticks(y0, y1)) parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/><text x="${L - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  const xt = opts.categories ? opts.categories.map((_, i) => i) : ticks(x0, x1);
  for (const t of xt) parts.push(`<line y1="${T}" y2="${H - B}" x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" class="grid"/><text x="${sx(t).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${esc(opts.categories ? opts.categories[t] : fmt(t))}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" class="axis">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle" class="axis">${esc(yLabel)}</text>`);
  if (opts.frontLine) {
    const f = pts.filter((p) => p.front).sort((a, b) => a.x - b.x);
    if (f.length > 1) {
      let d = `M${sx(f[0].x).toFixed(1)},${sy(f[0].y).toFixed(1)}`;
      for (let i = 1; i < f.length; i++) d += ` H${sx(f[i].x).toFixed(1)} V${sy(f[i].y).toFixed(1)}`;
      parts.push(`<path d="${d}" class="front"/>`);
    }
  }
  for (const p of pts) parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${p.front ? 5 : 3.5}" class="${p.front ? 'pt on' : 'pt'}"><title>${esc(p.label)}</title></circle>`);
  parts.push('</svg>');
  return parts.join('');
}

function num(c: Cell): number | undefined {
  return typeof c === 'number' && Number.isFinite(c) ? c : undefined;
}

function rowLabel(t: SweepTable, r: Row): string {
  return `point ${r.point}: ` + t.axes.map((a) => `${a.path}=${r[a.path]}`).join(', ');
}

/** The whole page. */
export function sweepHtml(t: SweepTable): string {
  const cost = costColumn(t);
  const ok = t.rows.filter((r) => num(r[LATENCY_COLUMN]) !== undefined && num(r[cost.column]) !== undefined);
  const xs = ok.map((r) => num(r[LATENCY_COLUMN])! / 1e6);
  const ys = ok.map((r) => num(r[cost.column])!);
  const front = paretoFront(xs, ys);
  const pareto = scatter(
    ok.map((r, i) => ({ x: xs[i], y: ys[i], label: `${rowLabel(t, r)}\nlatency ${fmt(xs[i])} µs, cost ${fmt(ys[i])}`, front: front.has(i) })),
    'emulated time (µs, emulated_time_ps)',
    cost.label,
    { frontLine: true, width: 760, height: 460 },
  );
  const frontRows = ok.filter((_, i) => front.has(i));
  const perAxis: string[] = [];
  for (const a of t.axes) {
    const numeric = a.values.every((v) => typeof v === 'number');
    const cats = numeric ? undefined : [...new Set(a.values.map(String))];
    const xOf = (r: Row): number => (cats ? cats.indexOf(String(r[a.path])) : (r[a.path] as number));
    const mk = (col: string, scale: number): Pt[] => ok.map((r) => ({ x: xOf(r), y: num(r[col])! / scale, label: rowLabel(t, r), front: false }));
    perAxis.push(
      `<h3>${esc(a.path)}</h3><div class="pair">` +
        scatter(mk(LATENCY_COLUMN, 1e6), a.path, 'emulated time (µs)', { width: 420, height: 280, categories: cats }) +
        scatter(mk(cost.column, 1), a.path, cost.column, { width: 420, height: 280, categories: cats }) +
        '</div>',
    );
  }
  const failed = t.rows.filter((r) => r.error !== null);
  const head = `<tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = t.rows
    .slice(0, 5000)
    .map((r) => `<tr>${t.columns.map((c) => `<td>${r[c] === null ? '' : esc(c === 'key' ? String(r[c]).slice(0, 12) : String(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aerie sweep: ${esc(t.sweep)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px;margin:16px 0 4px}
svg{font-size:11px;margin:4px 12px 4px 0;background:#fff}
.plot{fill:#fafafa;stroke:#999}.grid{stroke:#e4e4e4}.axis{font-size:12px}
.pt{fill:#4a78b5;fill-opacity:.7}.pt.on{fill:#d0392b;fill-opacity:1}.front{fill:none;stroke:#d0392b;stroke-width:1.5}
.pair{display:flex;flex-wrap:wrap}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:right;white-space:nowrap}
th{background:#f0f0f0;position:sticky;top:0}.wrap{max-height:600px;overflow:auto}
.empty{color:#999}
</style></head><body>
<h1>aerie sweep: ${esc(t.sweep)}</h1>
<p>${t.rows.length} points (${t.combine} axes: ${t.axes.map((a) => `${esc(a.path)} × ${a.values.length}`).join(', ')}); ${ok.length} finished${failed.length ? `, ${failed.length} without results` : ''}.</p>
<h2>Energy–latency Pareto chart</h2>
<p>Each dot is a point; red dots form the Pareto front (no other point is both faster and cheaper). Cost axis: ${esc(cost.label)}. Hover a dot for its axis values.</p>
${pareto}
<p>Pareto-optimal points: ${frontRows.map((r) => esc(rowLabel(t, r))).join('; ') || 'none'}</p>
<h2>Per-axis plots</h2>
${perAxis.join('\n')}
<h2>Table</h2>
<p>Also written as results.json and results.csv beside this page.${t.rows.length > 5000 ? ' The first 5,000 rows are shown.' : ''}</p>
<div class="wrap"><table>${head}
${body}
</table></div>
</body></html>
`;
}
