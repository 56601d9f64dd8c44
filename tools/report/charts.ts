/**
 * The HTML report's charts, each an inline SVG string generated from the report model:
 * stacked energy bars, series (step latency, spikes per step), spike raster, mesh heatmap,
 * and log-scale event-driven vs dense comparison. Native <title> elements give hover details
 * without any script.
 */
import type { ActionId, Report, ReportBaseline } from '../../emulator/energy/index.js';
import { count, energyFj, energyJ, ratioText, si, timeS } from './format.js';
import { ACTION_COLOURS, DENSE_COLOUR, DENSE_LEGACY_COLOUR, EVENT_COLOUR, STATIC_COLOURS, decadeTicks, esc, niceTicks, px, viridis, viridisInk } from './svg.js';

const W = 880;

interface Segment {
  key: string;
  label: string;
  colour: string;
  value: number;
  detail: string;
}

interface BarRow {
  label: string;
  segments: Segment[];
}

function svgOpen(w: number, h: number, label: string, cls = 'chart'): string {
  return `<svg class="${cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}">`;
}

/** Horizontal stacked bars with a shared linear axis and a legend of the segments present. */
export function stackedBars(rows: BarRow[], fmt: (v: number) => string, axisTitle: string, label: string, legendOrder: readonly string[] = []): string {
  const left = 150;
  const right = 90;
  const rowH = 24;
  const gap = 12;
  const top = 8;
  const plotW = W - left - right;
  const max = Math.max(0, ...rows.map((r) => r.segments.reduce((s, g) => s + g.value, 0)));
  const ticks = niceTicks(max, 5);
  const xMax = ticks[ticks.length - 1] || 1;
  const x = (v: number) => left + (v / xMax) * plotW;
  const plotH = rows.length * (rowH + gap) - gap;
  // legend: unique segment keys in order of first appearance
  const legend = new Map<string, Segment>();
  for (const r of rows) for (const s of r.segments) if (s.value > 0 && !legend.has(s.key)) legend.set(s.key, s);
  const rank = (k: string) => (legendOrder.includes(k) ? legendOrder.indexOf(k) : legendOrder.length);
  const legendItems = [...legend.values()].sort((a, b) => rank(a.key) - rank(b.key));
  const legendCols = 4;
  const legendRows = Math.ceil(legend.size / legendCols);
  const axisY = top + plotH + 6;
  const legendTop = axisY + 56;
  const h = legendTop + legendRows * 18 + 6;
  const parts: string[] = [svgOpen(W, h, label)];
  for (const t of ticks) {
    parts.push(`<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top - 4}" y2="${px(axisY)}"/>`);
    parts.push(`<text class="tick" x="${px(x(t))}" y="${px(axisY + 14)}" text-anchor="middle">${esc(fmt(t))}</text>`);
  }
  parts.push(`<text class="axis-title" x="${px(left + plotW / 2)}" y="${px(axisY + 34)}" text-anchor="middle">${esc(axisTitle)}</text>`);
  rows.forEach((r, i) => {
    const y = top + i * (rowH + gap);
    parts.push(`<text class="row-label" x="${left - 8}" y="${px(y + rowH / 2 + 4)}" text-anchor="end">${esc(r.label)}</text>`);
    let acc = 0;
    for (const s of r.segments) {
      if (!(s.value > 0)) continue;
      const x0 = x(acc);
      const x1 = x(acc + s.value);
      parts.push(
        `<rect class="seg" x="${px(x0)}" y="${px(y)}" width="${px(Math.max(0.5, x1 - x0))}" height="${rowH}" fill="${s.colour}"><title>${esc(`${r.label} · ${s.label}: ${s.detail}`)}</title></rect>`,
      );
      acc += s.value;
    }
    parts.push(`<text class="bar-value" x="${px(x(acc) + 6)}" y="${px(y + rowH / 2 + 4)}">${esc(fmt(acc))}</text>`);
  });
  parts.push(`<line class="axis" x1="${left}" x2="${left}" y1="${top - 4}" y2="${px(axisY)}"/>`);
  legendItems.forEach((s, i) => {
    const lx = left + (i % legendCols) * (plotW / legendCols);
    const ly = legendTop + Math.floor(i / legendCols) * 18;
    parts.push(`<rect x="${px(lx)}" y="${px(ly - 9)}" width="11" height="11" rx="2" fill="${s.colour}"/>`);
    parts.push(`<text class="legend" x="${px(lx + 16)}" y="${px(ly)}">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function actionSegments(byAction: Partial<Record<ActionId, { count: number; fj: number }>>, order: readonly ActionId[]): Segment[] {
  const segs: Segment[] = [];
  for (const a of order) {
    const v = byAction[a];
    if (!v || v.fj <= 0) continue;
    segs.push({ key: a, label: a, colour: ACTION_COLOURS[a], value: v.fj, detail: `${count(v.count)} × → ${energyFj(v.fj)}` });
  }
  return segs;
}

/** Energy breakdown: one bar per component (and static), stacked by action / static part. */
export function energyBreakdownChart(r: Report): string {
  const order = r.energy.byAction.map((a) => a.action);
  const byComp = new Map<string, Partial<Record<ActionId, { count: number; fj: number }>>>();
  for (const a of r.energy.byAction) {
    if (a.fj <= 0) continue;
    const m = byComp.get(a.component) ?? {};
    m[a.action] = { count: a.count, fj: a.fj };
    byComp.set(a.component, m);
  }
  const rows: BarRow[] = [...byComp.entries()].map(([comp, m]) => ({ label: `${comp} (dynamic)`, segments: actionSegments(m, order) }));
  const staticSegs: Segment[] = r.energy.static
    .filter((s) => s.fj > 0)
    .map((s) => ({ key: `static.${s.part}`, label: `static ${s.part}`, colour: STATIC_COLOURS[s.part], value: s.fj, detail: `${count(s.units)} × ${si(s.uwEach * 1e-6, 'W')} → ${energyFj(s.fj)}` }));
  if (staticSegs.length) rows.push({ label: 'static (leakage)', segments: staticSegs });
  if (!rows.length) return emptyChart('no energy was spent in this run');
  return stackedBars(rows, (v) => energyFj(v), 'energy', 'energy breakdown by component and action', [...order, ...r.energy.static.map((x) => `static.${x.part}`)]);
}

/** Energy per population, stacked by action (dynamic energy; NoC traffic attributed to the sender). */
export function populationChart(r: Report): string {
  const order = r.energy.byAction.map((a) => a.action);
  const rows: BarRow[] = r.energy.byPopulation.map((p) => ({ label: p.name, segments: actionSegments(p.byAction, order) }));
  if (r.energy.unattributed.dynamicFj > 0) rows.push({ label: 'not attributed', segments: actionSegments(r.energy.unattributed.byAction, order) });
  if (!rows.length) return emptyChart('no populations in this run');
  return stackedBars(rows, (v) => energyFj(v), 'dynamic energy', 'dynamic energy per population', order);
}

export function emptyChart(message: string): string {
  return `${svgOpen(W, 60, message, 'chart empty')}<text class="note" x="${W / 2}" y="34" text-anchor="middle">${esc(message)}</text></svg>`;
}

interface SeriesSpec {
  x: number[];
  y: number[];
  lo?: number[];
  hi?: number[];
  xTitle: string;
  yTitle: string;
  yFmt: (v: number) => string;
  colour: string;
  area?: boolean;
  label: string;
  height?: number;
}

/** A line (or filled area) over steps, with an optional min–max band. */
export function seriesChart(s: SeriesSpec): string {
  const left = 80;
  const right = 20;
  const top = 12;
  const h = s.height ?? 220;
  const bottom = 44;
  const plotW = W - left - right;
  const plotH = h - top - bottom;
  if (!s.x.length) return emptyChart(`no data: ${s.label}`);
  const xMaxData = s.x[s.x.length - 1];
  const xTicks = niceTicks(Math.max(1, xMaxData), 8);
  const xMax = xTicks[xTicks.length - 1] || 1;
  const yMaxData = Math.max(...(s.hi ?? s.y));
  const yTicks = niceTicks(yMaxData > 0 ? yMaxData : 1, 4);
  const yMax = yTicks[yTicks.length - 1] || 1;
  const X = (v: number) => left + (v / xMax) * plotW;
  const Y = (v: number) => top + plotH - (v / yMax) * plotH;
  const parts: string[] = [svgOpen(W, h, s.label)];
  for (const t of yTicks) {
    parts.push(`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${px(Y(t))}" y2="${px(Y(t))}"/>`);
    parts.push(`<text class="tick" x="${left - 6}" y="${px(Y(t) + 4)}" text-anchor="end">${esc(s.yFmt(t))}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<text class="tick" x="${px(X(t))}" y="${px(top + plotH + 16)}" text-anchor="middle">${esc(count(t))}</text>`);
  }
  if (s.lo && s.hi && s.lo.some((v, i) => v !== s.hi![i])) {
    const up = s.x.map((x, i) => `${px(X(x))},${px(Y(s.hi![i]))}`);
    const down = s.x.map((x, i) => `${px(X(x))},${px(Y(s.lo![i]))}`).reverse();
    parts.push(`<polygon class="band" points="${[...up, ...down].join(' ')}" fill="${s.colour}" fill-opacity="0.18"/>`);
  }
  const pts = s.x.map((x, i) => `${px(X(x))},${px(Y(s.y[i]))}`);
  if (s.area) {
    parts.push(`<polygon class="area" points="${px(X(s.x[0]))},${px(Y(0))} ${pts.join(' ')} ${px(X(s.x[s.x.length - 1]))},${px(Y(0))}" fill="${s.colour}" fill-opacity="0.35"/>`);
  }
  parts.push(`<polyline class="line" points="${pts.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="1.6"/>`);
  parts.push(`<line class="axis" x1="${left}" x2="${left + plotW}" y1="${px(top + plotH)}" y2="${px(top + plotH)}"/>`);
  parts.push(`<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${px(top + plotH)}"/>`);
  parts.push(`<text class="axis-title" x="${px(left + plotW / 2)}" y="${h - 8}" text-anchor="middle">${esc(s.xTitle)}</text>`);
  parts.push(`<text class="axis-title" transform="translate(14 ${px(top + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(s.yTitle)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export function latencyChart(r: Report): string {
  const c = r.charts.stepLatency;
  const banded = c.bucket > 1;
  const peak = Math.max(0, ...c.maxPs);
  const [div, unit] = peak >= 1e9 ? [1e9, 'ms'] : peak >= 1e6 ? [1e6, 'µs'] : peak >= 1e3 ? [1e3, 'ns'] : [1, 'ps'];
  return seriesChart({
    x: c.firstStep,
    y: c.meanPs.map((v) => v / div),
    ...(banded ? { lo: c.minPs.map((v) => v / div), hi: c.maxPs.map((v) => v / div) } : {}),
    xTitle: banded ? `step (each point: mean of ${c.bucket} steps; band: min–max)` : 'step',
    yTitle: `step latency (${unit})`,
    yFmt: (v) => `${+v.toPrecision(3)}`,
    colour: '#1f5fa8',
    label: 'emulated step latency over time',
  });
}

export function spikesChart(r: Report): string {
  const c = r.charts.spikesPerStep;
  return seriesChart({
    x: c.counts.map((_, i) => i * c.bucket),
    y: c.counts,
    xTitle: c.bucket > 1 ? `step (${c.bucket} steps per point)` : 'step',
    yTitle: c.bucket > 1 ? `spikes per ${c.bucket} steps` : 'spikes per step',
    yFmt: (v) => count(v),
    colour: '#d9730d',
    area: true,
    label: 'spikes per step',
    height: 160,
  });
}

/** Spike raster from the sampled raster (rows = sampled compartments, grouped by population). */
export function rasterChart(r: Report): string {
  const rs = r.charts.raster;
  if (!rs) return emptyChart('no spike raster was sampled for this run (pass a raster to the report to draw one)');
  const left = 110;
  const right = 20;
  const top = 10;
  const bottom = 40;
  const plotW = W - left - right;
  const plotH = Math.min(360, Math.max(140, rs.rows * 3));
  const h = top + plotH + bottom;
  const steps = Math.max(1, r.time.steps);
  const X = (s: number) => left + (s / steps) * plotW;
  const rowH = plotH / Math.max(1, rs.rows);
  const dotW = Math.max(1.2, plotW / steps);
  const dotH = Math.max(1.2, rowH * 0.8);
  const parts: string[] = [svgOpen(W, h, 'spike raster')];
  rs.groups.forEach((g, i) => {
    const y0 = top + g.start * rowH;
    const gh = g.count * rowH;
    if (i % 2 === 0) parts.push(`<rect class="band-bg" x="${left}" y="${px(y0)}" width="${plotW}" height="${px(gh)}"/>`);
    parts.push(`<text class="row-label" x="${left - 8}" y="${px(y0 + gh / 2 + 4)}" text-anchor="end">${esc(g.name)}</text>`);
  });
  const dots: string[] = [];
  for (let i = 0; i < rs.steps.length; i++) {
    dots.push(`<rect x="${px(X(rs.steps[i]))}" y="${px(top + rs.ids[i] * rowH + (rowH - dotH) / 2)}" width="${px(dotW)}" height="${px(dotH)}"/>`);
  }
  parts.push(`<g class="spikes" fill="#222">${dots.join('')}</g>`);
  const xTicks = niceTicks(steps, 8);
  for (const t of xTicks) {
    if (t > steps) continue;
    parts.push(`<text class="tick" x="${px(X(t))}" y="${px(top + plotH + 16)}" text-anchor="middle">${esc(count(t))}</text>`);
  }
  parts.push(`<line class="axis" x1="${left}" x2="${left + plotW}" y1="${px(top + plotH)}" y2="${px(top + plotH)}"/>`);
  parts.push(`<text class="axis-title" x="${px(left + plotW / 2)}" y="${h - 6}" text-anchor="middle">${esc(`step${rs.truncated ? ' (raster truncated to the first spikes)' : ''}`)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Mesh heatmap: routers coloured by flits routed, links drawn between them coloured by flits carried. */
export function meshChart(r: Report): string {
  const m = r.charts.mesh;
  if (!m) return emptyChart('no mesh load was recorded for this run (pass per-router flit counts to draw the heatmap)');
  const cell = Math.max(18, Math.min(60, Math.floor(640 / m.width), Math.floor(300 / m.height)));
  const gap = Math.round(cell * 0.35);
  const left = 40;
  const top = 16;
  const gridW = m.width * cell + (m.width - 1) * gap;
  const gridH = m.height * cell + (m.height - 1) * gap;
  const h = top + gridH + 56;
  // one colour scale for routers and links, so the colour bar reads for both
  const maxR = Math.max(1, ...m.routerFlits, ...(m.eastLinks ?? []), ...(m.northLinks ?? []));
  const cx = (x: number) => left + x * (cell + gap);
  // y = 0 is drawn at the bottom (north is up)
  const cy = (y: number) => top + (m.height - 1 - y) * (cell + gap);
  const parts: string[] = [svgOpen(W, h, 'mesh heatmap of router and link load')];
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      const i = y * m.width + x;
      if (m.eastLinks && x + 1 < m.width) {
        const v = m.eastLinks[i];
        parts.push(`<rect class="link" x="${px(cx(x) + cell)}" y="${px(cy(y) + cell / 2 - 3)}" width="${gap}" height="6" fill="${v > 0 ? viridis(v / maxR) : '#e6e6e6'}"><title>${esc(`link (${x},${y})–(${x + 1},${y}): ${count(v)} flits`)}</title></rect>`);
      }
      if (m.northLinks && y + 1 < m.height) {
        const v = m.northLinks[i];
        parts.push(`<rect class="link" x="${px(cx(x) + cell / 2 - 3)}" y="${px(cy(y + 1) + cell)}" width="6" height="${gap}" fill="${v > 0 ? viridis(v / maxR) : '#e6e6e6'}"><title>${esc(`link (${x},${y})–(${x},${y + 1}): ${count(v)} flits`)}</title></rect>`);
      }
    }
  }
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      const v = m.routerFlits[y * m.width + x];
      const t = v / maxR;
      parts.push(`<rect class="router" x="${px(cx(x))}" y="${px(cy(y))}" width="${cell}" height="${cell}" rx="4" fill="${v > 0 ? viridis(t) : '#f1f1f1'}"><title>${esc(`router (${x},${y}): ${count(v)} flits`)}</title></rect>`);
      if (cell >= 34) {
        parts.push(`<text class="cell-label" x="${px(cx(x) + cell / 2)}" y="${px(cy(y) + cell / 2 + 4)}" text-anchor="middle" fill="${v > 0 ? viridisInk(t) : '#999'}">${esc(compact(v))}</text>`);
      }
    }
  }
  // colour bar
  const barX = left + gridW + 40;
  const barW = 14;
  const stops = Array.from({ length: 9 }, (_, i) => `<stop offset="${i / 8}" stop-color="${viridis(1 - i / 8)}"/>`).join('');
  parts.push(`<defs><linearGradient id="viridis-bar" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`);
  parts.push(`<rect x="${px(barX)}" y="${top}" width="${barW}" height="${gridH}" fill="url(#viridis-bar)"/>`);
  parts.push(`<text class="tick" x="${px(barX + barW + 6)}" y="${top + 10}">${esc(count(maxR))} flits</text>`);
  parts.push(`<text class="tick" x="${px(barX + barW + 6)}" y="${px(top + gridH)}">0</text>`);
  parts.push(
    `<text class="axis-title" x="${px(left + gridW / 2)}" y="${px(top + gridH + 22)}" text-anchor="middle">${esc(`${m.width} × ${m.height} mesh, x →, y ↑ (colour: flits through each router${m.eastLinks || m.northLinks ? ' and along each link' : ''}, max ${count(maxR)})`)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10^e with a superscript exponent: pow10(-5) → `10⁻⁵`. */
export function pow10(e: number): string {
  return `10${[...String(e)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

function compact(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(v);
}

interface LogRow {
  label: string;
  value: number;
  colour: string;
  note: string;
}

/** Three log-scale panels (energy, latency, EDP) comparing the event-driven run with one baseline's devices. */
export function denseComparisonChart(r: Report, b: ReportBaseline): string {
  if (!b.declared) return emptyChart(`baseline not available: ${b.missing ?? ''}`);
  const labels = ['event-driven (this run)', ...b.devices.map((d) => d.short)];
  const metrics: { title: string; fmt: (v: number) => string; rows: LogRow[] }[] = [
    {
      title: 'energy (J, log)',
      fmt: energyJ,
      rows: [
        { label: labels[0], value: r.energy.totalJ, colour: EVENT_COLOUR, note: '' },
        ...b.devices.map((d) => ({ label: d.label, value: d.energyJ, colour: d.legacy ? DENSE_LEGACY_COLOUR : DENSE_COLOUR, note: ratioText(d.ratio.energy) })),
      ],
    },
    {
      title: 'latency (s, log)',
      fmt: timeS,
      rows: [
        { label: labels[0], value: r.time.emulatedTimeS, colour: EVENT_COLOUR, note: '' },
        ...b.devices.map((d) => ({ label: d.label, value: d.latencyS, colour: d.legacy ? DENSE_LEGACY_COLOUR : DENSE_COLOUR, note: ratioText(d.ratio.latency) })),
      ],
    },
    {
      title: 'energy × delay (J·s, log)',
      fmt: (v) => si(v, 'J·s'),
      rows: [
        { label: labels[0], value: r.energy.edpJs, colour: EVENT_COLOUR, note: '' },
        ...b.devices.map((d) => ({ label: d.label, value: d.edpJs, colour: d.legacy ? DENSE_LEGACY_COLOUR : DENSE_COLOUR, note: ratioText(d.ratio.edp) })),
      ],
    },
  ];
  const left = 190;
  const panelGap = 16;
  const panelW = (W - left - 10 - panelGap * 2) / 3;
  const rowH = 18;
  const gap = 8;
  const top = 24;
  const plotH = labels.length * (rowH + gap) - gap;
  const h = top + plotH + 34;
  const parts: string[] = [svgOpen(W, h, `event-driven vs dense: ${b.name}`)];
  labels.forEach((l, i) => {
    parts.push(`<text class="row-label${i === 0 ? ' strong' : ''}" x="${left - 8}" y="${px(top + i * (rowH + gap) + rowH / 2 + 4)}" text-anchor="end">${esc(l)}</text>`);
  });
  metrics.forEach((m, k) => {
    const x0 = left + k * (panelW + panelGap);
    const positive = m.rows.map((r) => r.value).filter((v) => v > 0 && Number.isFinite(v));
    parts.push(`<text class="panel-title" x="${px(x0)}" y="14">${esc(m.title)}</text>`);
    if (!positive.length) {
      parts.push(`<text class="note" x="${px(x0)}" y="${top + 14}">no positive values</text>`);
      return;
    }
    const ticks = decadeTicks(Math.min(...positive) / 2, Math.max(...positive) * 2);
    const lo = Math.log10(ticks[0]);
    const hi = Math.log10(ticks[ticks.length - 1]);
    const X = (v: number) => x0 + ((Math.log10(v) - lo) / (hi - lo)) * (panelW - 46);
    const every = Math.max(1, Math.ceil(ticks.length / 4));
    ticks.forEach((t, i) => {
      parts.push(`<line class="grid" x1="${px(X(t))}" x2="${px(X(t))}" y1="${top - 4}" y2="${px(top + plotH + 2)}"/>`);
      if (i % every === 0) parts.push(`<text class="tick" x="${px(X(t))}" y="${px(top + plotH + 16)}" text-anchor="middle">${esc(pow10(Math.round(Math.log10(t))))}</text>`);
    });
    m.rows.forEach((row, i) => {
      const y = top + i * (rowH + gap);
      if (!(row.value > 0 && Number.isFinite(row.value))) {
        parts.push(`<text class="bar-value" x="${px(x0 + 2)}" y="${px(y + rowH / 2 + 4)}">0</text>`);
        return;
      }
      const xe = X(row.value);
      parts.push(`<rect x="${px(x0)}" y="${px(y)}" width="${px(Math.max(1, xe - x0))}" height="${rowH}" fill="${row.colour}"><title>${esc(`${row.label}: ${m.fmt(row.value)}${row.note ? ` (${row.note} the event-driven run)` : ''}`)}</title></rect>`);
      parts.push(`<text class="bar-value" x="${px(xe + 4)}" y="${px(y + rowH / 2 + 4)}">${esc(row.note || m.fmt(row.value))}</text>`);
    });
    parts.push(`<line class="axis" x1="${px(x0)}" x2="${px(x0)}" y1="${top - 4}" y2="${px(top + plotH + 2)}"/>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
