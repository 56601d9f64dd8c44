import { describe, expect, it } from 'vitest';
import { ACTION_IDS, LOIHI_2018, LOIHI_SANAFE, STATIC_PART_NAMES, buildReport } from '../../emulator/energy/index.js';
import { CSV_COLUMNS, csvField, renderCsv, renderHtml, renderJson, renderReport, renderTerminal, reportFormatForFile } from '../../tools/report/index.js';
import { pow10 } from '../../tools/report/charts.js';
import { count, energyFj, ratioText, si } from '../../tools/report/format.js';
import { UsageError } from '../../tools/cli-support.js';
import { handActivity } from './fixtures.js';
import { syntheticRun } from './synthetic.js';

const DENSE = { denseWeights: 12, compartments: 5, steps: 4, weightBits: 8 };
const TASK = { name: 'dense GEMV', macs: 48, bytes: 400, description: 'one GEMV per step', passes: 4 };
const report = buildReport(handActivity(), LOIHI_2018, { run: 'fixture', denseNetwork: DENSE, denseTask: TASK });

/** Split one CSV line into fields (RFC 4180 quoting). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

describe('number formatting', () => {
  it('uses SI prefixes, grouped counts and compact ratios', () => {
    expect(energyFj(23_600)).toBe('23.6 pJ');
    expect(energyFj(2_858_920)).toBe('2.86 nJ');
    expect(energyFj(0)).toBe('0 fJ');
    expect(si(12.8e6, 'B')).toBe('12.8 MB');
    expect(si(999.96e-12, 'J')).toBe('1.00 nJ');
    expect(count(1234567)).toBe('1,234,567');
    expect(ratioText(49_000)).toBe('4.9e4×');
    expect(ratioText(0.25)).toBe('0.250×');
    expect(ratioText(Infinity)).toBe('∞');
    expect(pow10(-12)).toBe('10⁻¹²');
  });
});

describe('terminal renderer', () => {
  const text = renderTerminal(report);
  it('lists counted actions with count, per-event energy and energy on one aligned row', () => {
    const lines = text.split('\n');
    const synop = lines.find((l) => l.trimStart().startsWith('core.synop'))!;
    expect(synop).toMatch(/^\s+core\.synop\s+11\s+op\s+23\.6 pJ\s+260 pJ\s+9\.1%\s+Davies/);
    // zero-count actions are hidden by default
    expect(lines.some((l) => l.trimStart().startsWith('core.learn_update'))).toBe(false);
    expect(renderTerminal(report, { showZero: true })).toContain('core.learn_update');
    // the header row and the rule line up column by column
    const header = lines.findIndex((l) => l.trimStart().startsWith('action '));
    const rule = lines[header + 1];
    const ruleStarts = [...rule.matchAll(/─+/g)].map((m) => m.index);
    const row = lines[header + 2];
    for (const start of ruleStarts.slice(1)) expect(row[start - 1], `column boundary at ${start}`).toBe(' ');
  });

  it('prints totals, both baselines with ratios, and every assumption', () => {
    expect(text).toContain('energy 2.86 nJ = dynamic 2.85 nJ + static 6.42 pJ');
    expect(text).toContain('(a) same network, stepped densely');
    expect(text).toContain('(b) dense GEMV');
    for (const d of ['Horowitz 45 nm', 'KerasSpiking', 'H100']) expect(text).toContain(d);
    expect(text).toContain(`Assumptions (${report.assumptions.length})`);
    for (const a of report.assumptions) expect(text).toContain(a);
  });
});

describe('JSON renderer', () => {
  it('round-trips the report model and turns non-finite ratios into null', () => {
    const back = JSON.parse(renderJson(report));
    expect(back.schema).toBe('aerie-report/1');
    expect(back.energy.totalFj).toBe(2_858_920);
    expect(back.energy.byAction).toHaveLength(ACTION_IDS.length);
    const zeroTime = buildReport({ ...handActivity(), stepDurationPs: new Float64Array(4) }, LOIHI_2018, { denseNetwork: DENSE });
    const z = JSON.parse(renderJson(zeroTime));
    expect(z.dense.baselines[0].devices[0].ratio.latency).toBeNull();
  });
});

describe('CSV renderer', () => {
  const csv = renderCsv(buildReport(handActivity(), LOIHI_SANAFE));
  const lines = csv.trimEnd().split('\r\n');
  it('has one row per component/action plus one per static part, with counts, fJ, J and source', () => {
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + ACTION_IDS.length + STATIC_PART_NAMES.length);
    const rows = lines.slice(1).map(parseCsvLine);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    const packet = rows.find((r) => r[1] === 'core' && r[2] === 'packet_out')!;
    expect(packet.slice(0, 7)).toEqual(['dynamic', 'core', 'packet_out', '4', 'packet', '111000', '444000']);
    expect(Number(packet[7])).toBeCloseTo(444e-12, 20);
    expect(packet[9]).toContain('energy_message_out');
    const dynamicSum = rows.filter((r) => r[0] === 'dynamic').reduce((s, r) => s + Number(r[6]), 0);
    const staticSum = rows.filter((r) => r[0] === 'static').reduce((s, r) => s + Number(r[6]), 0);
    expect(dynamicSum).toBe(3_300_600);
    expect(staticSum).toBe(6_420);
  });
  it('quotes fields with commas, quotes and newlines', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain')).toBe('plain');
    // sources contain commas: they must be quoted so the column count holds
    expect(lines[1]).toMatch(/"Davies et al\., IEEE Micro 2018, Table 2|"SANA-FE/);
  });
});

describe('HTML renderer', () => {
  const s = syntheticRun(3, 120);
  const rich = buildReport(s.activity, LOIHI_2018, {
    run: 'synthetic <run> & "quotes"',
    denseNetwork: { denseWeights: s.denseWeights, compartments: 368, steps: 120, weightBits: 8 },
    denseTask: TASK,
    raster: s.raster,
    mesh: s.mesh,
  });
  const html = renderHtml(rich);

  it('is one self-contained file: no scripts, no external resources, escaped text', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(http/i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"')<]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).toContain('synthetic &lt;run&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('<run>');
  });

  it('draws every chart: breakdown, two dense comparisons, latency, spikes, raster, mesh, populations', () => {
    const svgs = html.match(/<svg /g) ?? [];
    expect(svgs.length).toBe(8);
    for (const label of ['energy breakdown by component and action', 'emulated step latency over time', 'spike raster', 'mesh heatmap of router and link load', 'dynamic energy per population', 'event-driven vs dense: same network, stepped densely', 'event-driven vs dense: dense GEMV']) {
      expect(html, label).toContain(`aria-label="${label}"`);
    }
    // raster: one mark per sampled spike; mesh: one cell per router
    const raster = html.slice(html.indexOf('<g class="spikes"'), html.indexOf('</g>', html.indexOf('<g class="spikes"')));
    expect((raster.match(/<rect /g) ?? []).length).toBe(rich.charts.raster!.steps.length);
    expect((html.match(/class="router"/g) ?? []).length).toBe(32);
    // every counted action appears in the table with its count
    for (const a of rich.energy.byAction.filter((x) => x.count > 0)) expect(html).toContain(`${a.action}</td><td class="n">${count(a.count)}</td>`);
  });

  it('is deterministic: the same report renders to the same bytes', () => {
    const again = buildReport(s.activity, LOIHI_2018, {
      run: 'synthetic <run> & "quotes"',
      denseNetwork: { denseWeights: s.denseWeights, compartments: 368, steps: 120, weightBits: 8 },
      denseTask: TASK,
      raster: s.raster,
      mesh: s.mesh,
    });
    expect(renderHtml(again)).toBe(html);
  });

  it('shows a clear note instead of a chart when optional inputs are absent', () => {
    const plain = renderHtml(report);
    expect(plain).toContain('No spike raster was sampled for this run');
    expect(plain).toContain('No mesh load was recorded for this run');
    expect(plain).not.toContain('aria-label="spike raster"');
    const missing = renderHtml(buildReport(handActivity(), LOIHI_2018));
    expect(missing).toContain('Not available: no firmware model declared a task-equivalent dense computation for this run.');
    expect((missing.match(/<svg /g) ?? []).length).toBe(4); // breakdown, latency, spikes, populations
  });

  it('renderReport dispatches by format and file extensions map to formats', () => {
    expect(renderReport(report, 'json')).toBe(renderJson(report));
    expect(renderReport(report, 'csv')).toBe(renderCsv(report));
    expect(reportFormatForFile('out/r.HTML')).toBe('html');
    expect(reportFormatForFile('r.csv')).toBe('csv');
    expect(reportFormatForFile('r.json')).toBe('json');
    expect(() => reportFormatForFile('r.pdf')).toThrow(UsageError);
  });
});
