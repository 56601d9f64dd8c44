/** Terminal renderer: aligned tables, counts next to energies, every assumption printed. */
import type { Report, ReportBaseline } from '../../emulator/energy/index.js';
import { count, energyFj, energyJ, percent, rateHz, ratioText, si, timePs, timeS } from './format.js';
import { clip, textTable } from './table-text.js';
import { CROSSBAR_ALIGN, CROSSBAR_HEADERS, crossbarLines } from './crossbar.js';

export interface TerminalOptions {
  /** Show actions whose count is zero (hidden by default). */
  showZero?: boolean;
  /** Longest source text in the action table before it is clipped (full text is in JSON/CSV/HTML). */
  sourceWidth?: number;
}

export function renderTerminal(r: Report, opts: TerminalOptions = {}): string {
  const out: string[] = [];
  const srcW = opts.sourceWidth ?? 60;
  const e = r.energy;
  out.push(`${r.title}${r.run ? ` — ${r.run}` : ''}`);
  out.push(`energy table: ${r.table.name}${r.table.extends ? ` (extends ${r.table.extends})` : ''} — ${r.table.description}`);
  out.push('');
  out.push('Summary');
  out.push(
    `  steps ${count(r.time.steps)} × dt ${timeS(r.time.dtS)} = model time ${timeS(r.time.modelTimeS)};  emulated time ${timeS(r.time.emulatedTimeS)}` +
      ` (step latency mean ${timePs(r.time.stepLatencyPs.mean)}, max ${timePs(r.time.stepLatencyPs.max)})`,
  );
  out.push(
    `  energy ${energyFj(e.totalFj)} = dynamic ${energyFj(e.dynamicFj)} + static ${energyFj(e.staticFj)};  EDP ${si(e.edpJs, 'J·s')};  ` +
      `average power ${e.averagePowerW === null ? '—' : si(e.averagePowerW, 'W')}`,
  );
  out.push(
    `  ${count(r.activity.synops)} synaptic ops, ${count(r.activity.spikes)} spikes, ${count(r.activity.compartments)} compartments, mean rate ${rateHz(r.activity.meanFiringRateHz)};  ` +
      `per synop ${perText(e.perSynopFj)}, per spike ${perText(e.perSpikeFj)}`,
  );
  out.push(
    `  hardware: ${r.hardware.chips} chip(s), ${r.hardware.tilesUsed} tile(s), ${r.hardware.coresUsed} core(s), ${r.hardware.routersUsed} router(s), ${r.hardware.crossbarsUsed} crossbar(s)`,
  );
  out.push('');

  out.push('Dynamic energy by action');
  const rows = e.byAction
    .filter((a) => opts.showZero || a.count > 0)
    .map((a) => [a.action, count(a.count), a.unit, energyFj(a.fjPerEvent), energyFj(a.fj), percent(a.share), clip(a.source, srcW)]);
  out.push(...textTable(['action', 'count', 'unit', 'each', 'energy', 'share', 'source'], rows, ['l', 'r', 'l', 'r', 'r', 'r', 'l']));
  out.push('');

  out.push('Static energy (power × emulated time)');
  out.push(
    ...textTable(
      ['part', 'units', 'each', 'energy', 'share', 'source'],
      e.static.map((s) => [s.part, count(s.units), si(s.uwEach * 1e-6, 'W'), energyFj(s.fj), percent(e.totalFj ? s.fj / e.totalFj : 0), clip(s.source, srcW)]),
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  out.push('');

  out.push('By component');
  out.push(
    ...textTable(
      ['component', 'events', 'energy', 'share'],
      [
        ...e.byComponent.map((c) => [c.component, count(c.count), energyFj(c.fj), percent(e.totalFj ? c.fj / e.totalFj : 0)]),
        ['static', '', energyFj(e.staticFj), percent(e.totalFj ? e.staticFj / e.totalFj : 0)],
        ['total', '', energyFj(e.totalFj), percent(1)],
      ],
      ['l', 'r', 'r', 'r'],
    ),
  );
  out.push('');

  if (e.byPopulation.length) {
    out.push('By population (dynamic energy; NoC traffic attributed to the sending population)');
    const popRows = e.byPopulation.map((p) => [
      p.name,
      count(p.size ?? 0),
      count(p.spikes ?? 0),
      rateHz(p.firingRateHz),
      count(p.byAction['core.synop']?.count ?? 0),
      energyFj(p.dynamicFj),
      percent(e.dynamicFj ? p.dynamicFj / e.dynamicFj : 0),
    ]);
    if (e.unattributed.dynamicFj > 0 || Object.keys(e.unattributed.byAction).length) {
      popRows.push([e.unattributed.name, '', '', '', count(e.unattributed.byAction['core.synop']?.count ?? 0), energyFj(e.unattributed.dynamicFj), percent(e.dynamicFj ? e.unattributed.dynamicFj / e.dynamicFj : 0)]);
    }
    out.push(...textTable(['population', 'size', 'spikes', 'rate', 'synops', 'energy', 'share'], popRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']));
    out.push('');
  }

  const xb = crossbarLines(r);
  if (xb) {
    out.push('Crossbar-backed projections (error = crossbar − exact result of the summed input, before weight_exp: integer product in analog mode, match count in binary mode; BER and top-1 agreement for binary mode)');
    out.push(`  ${xb.summary}`);
    out.push(...textTable(CROSSBAR_HEADERS, xb.rows, CROSSBAR_ALIGN));
    out.push('');
  }

  if (e.byChip.length > 1 || e.byChip.some((c) => c.staticFj !== undefined)) {
    out.push('By chip');
    out.push(
      ...textTable(
        ['chip', 'dynamic', 'static', 'total'],
        e.byChip.map((c) => [c.name, energyFj(c.dynamicFj), c.staticFj === undefined ? '—' : energyFj(c.staticFj), energyJ(c.j)]),
        ['l', 'r', 'r', 'r'],
      ),
    );
    out.push('');
  }

  out.push('Event-driven vs dense baselines (ratio = dense ÷ event-driven; > 1 means the event-driven run is cheaper)');
  out.push(`  event-driven: energy ${energyJ(e.totalJ)}, latency ${timeS(r.time.emulatedTimeS)}, EDP ${si(e.edpJs, 'J·s')}`);
  for (const b of r.dense.baselines) out.push(...baselineText(b));
  out.push('');

  if (r.warnings.length) {
    out.push('Warnings');
    for (const w of r.warnings) out.push(`  ! ${w}`);
    out.push('');
  }
  out.push(`Assumptions (${r.assumptions.length})`);
  for (const a of r.assumptions) out.push(`  - ${a}`);
  return out.join('\n') + '\n';
}

function perText(p: { total: number | null; dynamic: number | null }): string {
  if (p.total === null || p.dynamic === null) return '—';
  return `${energyFj(p.total)} (dynamic ${energyFj(p.dynamic)})`;
}

function baselineText(b: ReportBaseline): string[] {
  const tag = b.kind === 'same-network' ? '(a)' : '(b)';
  if (!b.declared) return [`  ${tag} ${b.name}: not available — ${b.missing}`];
  const lines = [`  ${tag} ${b.name}: ${b.description}`, `      ${count(b.macs)} MACs, ${count(b.neuronUpdates)} neuron updates, ${si(b.bytes, 'B')} moved, ${count(b.passes)} pass(es), ${b.precision}`];
  lines.push(
    ...textTable(
      ['device', 'energy', '×', 'latency', '×', 'EDP', '×', 'bound'],
      b.devices.map((d) => [
        d.label,
        energyJ(d.energyJ),
        ratioText(d.ratio.energy),
        timeS(d.latencyS),
        ratioText(d.ratio.latency),
        si(d.edpJs, 'J·s'),
        ratioText(d.ratio.edp),
        d.bound,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      '      ',
    ),
  );
  return lines;
}
