/**
 * The report model: one plain, JSON-able object (`schema: 'aerie-report/1'`) holding everything
 * the renderers (tools/report/) show — energy by action, component, population and chip, dynamic
 * vs static, emulated time and step latency, EDP, energy per synaptic op and per spike, firing
 * rates, both dense baselines priced on every device model with ratios, every assumption, and
 * optional chart inputs (sampled spike raster, mesh load).
 *
 * Energies of the event-driven run are exact integer femtojoules (`…Fj`), with joules alongside
 * for reading. Dense baselines are estimates in joules (floating point).
 */
import { ACTIONS, type ActionId, type ActivityCounts } from './activity.js';
import { STATIC_PARTS, isAssumption, tableAssumptions, type Component, type EnergyTable, type StaticPart } from './table.js';
import { priceActivity } from './price.js';
import {
  DEFAULT_DEVICES,
  deviceAssumptions,
  deviceParameters,
  priceDense,
  sameNetworkWorkload,
  taskWorkload,
  type DenseNetworkSpec,
  type DenseTaskSpec,
  type DeviceModel,
  type DensePrice,
  type DenseWorkload,
} from './dense.js';
import { InputError } from '../errors.js';

export const REPORT_SCHEMA = 'aerie-report/1';

/** Largest number of step-latency points kept in the report (longer runs are bucketed: min/mean/max). */
export const MAX_LATENCY_POINTS = 1000;
/** Largest number of raster spikes kept in the report (the first ones, in step order). */
export const MAX_RASTER_POINTS = 20_000;

/** A sampled spike raster: spike i happened at steps[i] in (sampled) compartment ids[i]. */
export interface SpikeRasterInput {
  steps: ArrayLike<number>;
  ids: ArrayLike<number>;
  /** Number of sampled compartments (rows). */
  rows: number;
  /** Optional row ranges per population, for labelling. */
  groups?: { name: string; start: number; count: number }[];
}

/**
 * Mesh load: flits through each router (row-major, index y × width + x) and optionally flits on
 * each link: eastLinks[y × width + x] between (x,y) and (x+1,y); northLinks[y × width + x]
 * between (x,y) and (x,y+1) (both directions summed).
 */
export interface MeshLoadInput {
  width: number;
  height: number;
  routerFlits: ArrayLike<number>;
  eastLinks?: ArrayLike<number>;
  northLinks?: ArrayLike<number>;
}

/** One crossbar-backed projection of the run: its arrays, activity and difference to the exact digital product (docs/PIM.md). */
export interface ReportCrossbarProjection {
  name: string;
  from: string;
  to: string;
  /** 'analog': MVM of spikes × weights; 'binary': HDC match counts D − Hamming(spikes, stored row) (docs/PIM.md). */
  mode: 'analog' | 'binary';
  /** Arrays; row tiles (binary: query segments) × column tiles (binary: blocks of stored rows). */
  arrays: number;
  rowTiles: number;
  colTiles: number;
  rows: number;
  cols: number;
  adcBits: number;
  weightBits: number;
  /** Tiled MVMs run (steps with at least one input spike). */
  mvms: number;
  outputPackets: number;
  partialSumAdds: number;
  /** Energy of the block's own physical model (converters.ts), integer fJ; the report prices counts with the energy table. */
  modelEnergyFj: number;
  /** Output values compared with the exact integer product (post compartments × MVMs). */
  samples: number;
  /** Mean and largest |crossbar − exact| of the projection's summed input (Lava's a, before weight_exp). */
  meanAbsError: number;
  maxAbsError: number;
  relativeError: number;
  /** Binary mode: searches run, cell comparisons made (post × pre per search) and those read wrong (Σ|reported − exact distance|). */
  searches?: number;
  bitsCompared?: number;
  bitErrors?: number;
  bitErrorRate?: number;
  /** Binary mode: searches whose best post compartment (argmax match count, ties to the lowest index) equals the exact one, and their fraction. */
  top1Agreements?: number;
  top1Agreement?: number;
}

/**
 * The crossbar-backed projections of a run (Emulator.crossbar.info(); the run summary holds it in
 * snake_case): the projections' counts and errors summed over all of them; bitErrorRate, top1Agreement
 * and searches over the searches of binary-mode projections, when there are any.
 */
export interface ReportCrossbar
  extends Pick<
    ReportCrossbarProjection,
    'arrays' | 'mvms' | 'outputPackets' | 'partialSumAdds' | 'modelEnergyFj' | 'samples' | 'meanAbsError' | 'maxAbsError' | 'relativeError' | 'bitErrorRate' | 'top1Agreement' | 'searches'
  > {
  /** Largest per-step mean absolute error over the steps with MVMs. */
  maxStepMeanAbsError: number;
  projections: ReportCrossbarProjection[];
}

export interface ReportOptions {
  title?: string;
  /** Label of the run (network / firmware model name). */
  run?: string;
  /** Baseline (a): the same network stepped densely. */
  denseNetwork?: DenseNetworkSpec;
  /** Baseline (b): the task-equivalent computation declared by the firmware model. */
  denseTask?: DenseTaskSpec;
  /** Device models (default: Horowitz 45 nm, KerasSpiking CPU, KerasSpiking GPU, H100). */
  devices?: readonly DeviceModel[];
  raster?: SpikeRasterInput;
  mesh?: MeshLoadInput;
  /** Extra assumptions from the caller (mapping, timing model) printed with the rest. */
  assumptions?: string[];
  /** Crossbar-backed projections: arrays, MVMs and accuracy against the exact product. */
  crossbar?: ReportCrossbar;
  /** ISO time stamp; omitted by default so reports are reproducible byte for byte. */
  generatedAt?: string;
}

export interface ReportActionRow {
  action: ActionId;
  component: Component;
  unit: string;
  description: string;
  count: number;
  fjPerEvent: number;
  fj: number;
  j: number;
  share: number;
  source: string;
  assumption: boolean;
}

export interface ReportStaticRow {
  part: StaticPart;
  unit: string;
  units: number;
  uwEach: number;
  fj: number;
  j: number;
  source: string;
  assumption: boolean;
}

export interface ReportGroupRow {
  name: string;
  size?: number;
  spikes?: number;
  firingRateHz?: number;
  dynamicFj: number;
  staticFj?: number;
  j: number;
  byAction: Partial<Record<ActionId, { count: number; fj: number }>>;
}

export interface ReportBaselineDevice extends DensePrice {
  /** Dense ÷ event-driven (> 1: event-driven is better). */
  ratio: { energy: number; latency: number; edp: number };
}

export interface ReportBaseline {
  kind: 'same-network' | 'task';
  declared: boolean;
  name: string;
  description: string;
  macs: number;
  neuronUpdates: number;
  bytes: number;
  passes: number;
  precision: string;
  derivation: string[];
  devices: ReportBaselineDevice[];
  /** Why it is missing, when not declared. */
  missing?: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  title: string;
  run: string;
  generatedAt?: string;
  table: { name: string; description: string; extends?: string };
  time: {
    steps: number;
    dtS: number;
    modelTimeS: number;
    emulatedTimePs: number;
    emulatedTimeS: number;
    stepLatencyPs: { mean: number; min: number; max: number };
  };
  hardware: ActivityCounts['hardware'];
  energy: {
    totalFj: number;
    dynamicFj: number;
    staticFj: number;
    totalJ: number;
    dynamicJ: number;
    staticJ: number;
    exact: boolean;
    perSynopFj: { total: number | null; dynamic: number | null };
    perSpikeFj: { total: number | null; dynamic: number | null };
    edpJs: number;
    averagePowerW: number | null;
    byAction: ReportActionRow[];
    byComponent: { component: Component; count: number; fj: number; j: number }[];
    static: ReportStaticRow[];
    byPopulation: ReportGroupRow[];
    unattributed: ReportGroupRow;
    byChip: ReportGroupRow[];
  };
  activity: {
    synops: number;
    spikes: number;
    meanFiringRateHz: number | null;
    compartments: number;
  };
  dense: { baselines: ReportBaseline[]; devices: { id: string; label: string; short: string; legacy: boolean; parameters: { name: string; value: number; unit: string; source: string }[]; notes: string[] }[] };
  charts: {
    /** Step latency series; when bucketed, each point covers `bucket` steps (the last may cover fewer). */
    stepLatency: { bucket: number; firstStep: number[]; meanPs: number[]; minPs: number[]; maxPs: number[] };
    /** Spikes per bucket of `bucket` steps (sums). */
    spikesPerStep: { bucket: number; counts: number[] };
    raster?: { rows: number; steps: number[]; ids: number[]; truncated: boolean; groups: { name: string; start: number; count: number }[] };
    mesh?: { width: number; height: number; routerFlits: number[]; eastLinks?: number[]; northLinks?: number[] };
  };
  assumptions: string[];
  warnings: string[];
  /** Crossbar-backed projections (when the run had any): accuracy next to the crossbar energy in energy.byComponent. */
  crossbar?: ReportCrossbar;
}

const FJ_PER_J = 1e15;

function toJ(fj: number): number {
  return fj / FJ_PER_J;
}

function firingRate(spikes: number, size: number, steps: number, dt: number): number | null {
  return size > 0 && steps > 0 ? spikes / (size * steps * dt) : null;
}

/** Bucket a per-step series to at most `max` points (min/mean/max per bucket). */
function bucketSeries(values: ArrayLike<number>, max: number): { bucket: number; first: number[]; mean: number[]; min: number[]; max: number[]; sum: number[] } {
  const n = values.length;
  const bucket = Math.max(1, Math.ceil(n / max));
  const first: number[] = [];
  const mean: number[] = [];
  const mn: number[] = [];
  const mx: number[] = [];
  const sums: number[] = [];
  for (let s = 0; s < n; s += bucket) {
    const e = Math.min(n, s + bucket);
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = s; i < e; i++) {
      const v = values[i];
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    first.push(s);
    mean.push(sum / (e - s));
    mn.push(lo);
    mx.push(hi);
    sums.push(sum);
  }
  return { bucket, first, mean, min: mn, max: mx, sum: sums };
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Infinity;
}

/** Build the report model for one run. Throws InputError for inconsistent activity or chart inputs. */
export function buildReport(activity: ActivityCounts, table: EnergyTable, options: ReportOptions = {}): Report {
  const priced = priceActivity(activity, table);
  const warnings: string[] = [];
  if (!priced.exact) warnings.push('some energy totals exceed 2^53 fJ (≈ 9 J) and are rounded to the nearest representable number');

  const steps = activity.steps;
  const dt = activity.dt;
  let minPs = Infinity;
  let maxPs = 0;
  for (let i = 0; i < activity.stepDurationPs.length; i++) {
    const v = activity.stepDurationPs[i];
    if (v < minPs) minPs = v;
    if (v > maxPs) maxPs = v;
  }
  if (steps === 0) minPs = 0;
  const emulatedTimeS = priced.emulatedTimePs * 1e-12;
  const totalJ = toJ(priced.totalFj);
  const synops = activity.totals['core.synop'] ?? 0;
  let spikes = 0;
  for (let i = 0; i < activity.spikesPerStep.length; i++) spikes += activity.spikesPerStep[i];
  let compartments = 0;
  for (const n of Object.values(activity.populationSizes)) compartments += n;

  const byAction: ReportActionRow[] = priced.actions.map((a) => ({
    action: a.action,
    component: a.component,
    unit: a.unit,
    description: ACTIONS[a.action].description,
    count: a.count,
    fjPerEvent: a.fjPerEvent,
    fj: a.fj,
    j: toJ(a.fj),
    share: priced.totalFj > 0 ? a.fj / priced.totalFj : 0,
    source: a.source,
    assumption: isAssumption(a.source),
  }));
  const staticRows: ReportStaticRow[] = priced.static.map((s) => ({
    part: s.part,
    unit: STATIC_PARTS[s.part].unit,
    units: s.units,
    uwEach: s.uwEach,
    fj: s.fj,
    j: toJ(s.fj),
    source: s.source,
    assumption: isAssumption(s.source),
  }));

  const byPopulation: ReportGroupRow[] = priced.byPopulation.map((p) => {
    const rate = firingRate(p.spikes, p.size, steps, dt);
    const row: ReportGroupRow = { name: p.name, size: p.size, spikes: p.spikes, dynamicFj: p.dynamicFj, j: toJ(p.dynamicFj), byAction: p.byAction };
    if (rate !== null) row.firingRateHz = rate;
    return row;
  });
  const byChip: ReportGroupRow[] = priced.byChip.map((c) => {
    const row: ReportGroupRow = { name: `chip ${c.chip}`, dynamicFj: c.dynamicFj, j: toJ(c.dynamicFj + (c.staticFj ?? 0)), byAction: c.byAction };
    if (c.staticFj !== undefined) row.staticFj = c.staticFj;
    return row;
  });
  const chipRest = priced.chipUnattributed;
  if (priced.byChip.length && Object.keys(chipRest.byAction).length) {
    byChip.push({ name: '(not attributed to a chip)', dynamicFj: chipRest.dynamicFj, j: toJ(chipRest.dynamicFj), byAction: chipRest.byAction });
    warnings.push(`counts not attributed to a chip: ${Object.entries(chipRest.byAction).map(([a, v]) => `${a} ${v!.count}`).join(', ')} (shown as their own row under chips)`);
  }

  // Dense baselines: always two sections; a missing one is shown as not declared.
  const devices = options.devices ?? DEFAULT_DEVICES;
  const eventLatency = emulatedTimeS;
  const eventEdp = totalJ * emulatedTimeS;
  const priceBaseline = (w: DenseWorkload): ReportBaseline => ({
    kind: w.kind,
    declared: true,
    name: w.name,
    description: w.description,
    macs: w.macs,
    neuronUpdates: w.neuronUpdates,
    bytes: w.bytes,
    passes: w.passes,
    precision: w.precision,
    derivation: w.derivation,
    devices: devices.map((d) => {
      const p = priceDense(w, d);
      return { ...p, ratio: { energy: ratio(p.energyJ, totalJ), latency: ratio(p.latencyS, eventLatency), edp: ratio(p.edpJs, eventEdp) } };
    }),
  });
  const missing = (kind: ReportBaseline['kind'], why: string): ReportBaseline => ({
    kind,
    declared: false,
    name: kind === 'same-network' ? 'same network, stepped densely' : 'task-equivalent dense computation',
    description: why,
    macs: 0,
    neuronUpdates: 0,
    bytes: 0,
    passes: 0,
    precision: '',
    derivation: [],
    devices: [],
    missing: why,
  });
  const baselines: ReportBaseline[] = [
    options.denseNetwork
      ? priceBaseline(sameNetworkWorkload(options.denseNetwork))
      : missing('same-network', 'the caller did not pass the dense shape of the network (denseWeights, compartments, steps, weightBits)'),
    options.denseTask
      ? priceBaseline(taskWorkload(options.denseTask))
      : missing('task', 'no firmware model declared a task-equivalent dense computation for this run'),
  ];
  for (const b of baselines) if (!b.declared) warnings.push(`dense baseline '${b.kind}' not available: ${b.missing}`);

  const lat = bucketSeries(activity.stepDurationPs, MAX_LATENCY_POINTS);
  const spk = bucketSeries(activity.spikesPerStep, MAX_LATENCY_POINTS);

  const report: Report = {
    schema: REPORT_SCHEMA,
    title: options.title ?? 'aerie energy and latency report',
    run: options.run ?? '',
    table: { name: table.name, description: table.description, ...(table.extends ? { extends: table.extends } : {}) },
    time: {
      steps,
      dtS: dt,
      modelTimeS: steps * dt,
      emulatedTimePs: priced.emulatedTimePs,
      emulatedTimeS,
      stepLatencyPs: { mean: steps ? priced.emulatedTimePs / steps : 0, min: minPs, max: maxPs },
    },
    hardware: { ...activity.hardware },
    energy: {
      totalFj: priced.totalFj,
      dynamicFj: priced.dynamicFj,
      staticFj: priced.staticFj,
      totalJ,
      dynamicJ: toJ(priced.dynamicFj),
      staticJ: toJ(priced.staticFj),
      exact: priced.exact,
      perSynopFj: { total: synops ? priced.totalFj / synops : null, dynamic: synops ? priced.dynamicFj / synops : null },
      perSpikeFj: { total: spikes ? priced.totalFj / spikes : null, dynamic: spikes ? priced.dynamicFj / spikes : null },
      edpJs: eventEdp,
      averagePowerW: emulatedTimeS > 0 ? totalJ / emulatedTimeS : null,
      byAction,
      byComponent: priced.byComponent.map((c) => ({ ...c, j: toJ(c.fj) })),
      static: staticRows,
      byPopulation,
      unattributed: { name: '(not attributed to a population)', dynamicFj: priced.unattributed.dynamicFj, j: toJ(priced.unattributed.dynamicFj), byAction: priced.unattributed.byAction },
      byChip,
    },
    activity: { synops, spikes, meanFiringRateHz: firingRate(spikes, compartments, steps, dt), compartments },
    dense: {
      baselines,
      devices: devices.map((d) => ({ id: d.id, label: d.label, short: d.short, legacy: d.legacy, parameters: deviceParameters(d), notes: d.notes })),
    },
    charts: {
      stepLatency: { bucket: lat.bucket, firstStep: lat.first, meanPs: lat.mean, minPs: lat.min, maxPs: lat.max },
      spikesPerStep: { bucket: spk.bucket, counts: spk.sum },
    },
    assumptions: [
      ...tableAssumptions(table),
      ...(options.denseNetwork || options.denseTask ? devices.flatMap(deviceAssumptions) : []),
      ...baselines.flatMap((b) => b.derivation.filter((d) => /assumption/i.test(d)).map((d) => `${b.kind} baseline: ${d}`)),
      ...(options.assumptions ?? []),
    ],
    warnings,
  };
  if (options.generatedAt) report.generatedAt = options.generatedAt;
  if (options.raster) report.charts.raster = rasterChart(options.raster, steps);
  if (options.mesh) report.charts.mesh = meshChart(options.mesh);
  if (options.crossbar) report.crossbar = structuredClone(options.crossbar);
  return report;
}

function rasterChart(r: SpikeRasterInput, steps: number): NonNullable<Report['charts']['raster']> {
  const problems: { where: string; message: string }[] = [];
  if (r.steps.length !== r.ids.length) problems.push({ where: 'raster', message: `steps has ${r.steps.length} entries but ids has ${r.ids.length}` });
  if (!Number.isInteger(r.rows) || r.rows < 0) problems.push({ where: 'raster.rows', message: `expected a non-negative integer, got ${r.rows}` });
  const n = Math.min(r.steps.length, r.ids.length, MAX_RASTER_POINTS);
  const s: number[] = new Array(n);
  const ids: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = r.steps[i];
    ids[i] = r.ids[i];
    if (!(Number.isInteger(s[i]) && s[i] >= 0 && s[i] < Math.max(steps, 1)) || !(Number.isInteger(ids[i]) && ids[i] >= 0 && ids[i] < r.rows)) {
      problems.push({ where: `raster[${i}]`, message: `spike at step ${s[i]}, row ${ids[i]} is outside ${steps} steps × ${r.rows} rows` });
      break;
    }
  }
  if (problems.length) throw new InputError('<raster>', problems);
  return { rows: r.rows, steps: s, ids, truncated: Math.min(r.steps.length, r.ids.length) > MAX_RASTER_POINTS, groups: r.groups ? r.groups.map((g) => ({ ...g })) : [] };
}

function meshChart(m: MeshLoadInput): NonNullable<Report['charts']['mesh']> {
  const problems: { where: string; message: string }[] = [];
  if (!(Number.isInteger(m.width) && m.width > 0 && Number.isInteger(m.height) && m.height > 0)) {
    problems.push({ where: 'mesh', message: `width and height must be positive integers, got ${m.width} × ${m.height}` });
  } else {
    const n = m.width * m.height;
    if (m.routerFlits.length !== n) problems.push({ where: 'mesh.routerFlits', message: `has ${m.routerFlits.length} entries for a ${m.width} × ${m.height} mesh (${n})` });
    if (m.eastLinks && m.eastLinks.length !== n) problems.push({ where: 'mesh.eastLinks', message: `has ${m.eastLinks.length} entries, expected ${n}` });
    if (m.northLinks && m.northLinks.length !== n) problems.push({ where: 'mesh.northLinks', message: `has ${m.northLinks.length} entries, expected ${n}` });
  }
  if (problems.length) throw new InputError('<mesh>', problems);
  const out: NonNullable<Report['charts']['mesh']> = { width: m.width, height: m.height, routerFlits: Array.from(m.routerFlits) };
  if (m.eastLinks) out.eastLinks = Array.from(m.eastLinks);
  if (m.northLinks) out.northLinks = Array.from(m.northLinks);
  return out;
}

/** Compact energy section for `aerie run --json` (snake_case like aerie-run/1): totals and energy by unit. */
export interface EnergySummary {
  table: string;
  total_fj: number;
  dynamic_fj: number;
  static_fj: number;
  emulated_time_ps: number;
  edp_js: number;
  per_synop_fj: number | null;
  per_spike_fj: number | null;
  /** fJ per action id (every action, zero included). */
  by_action_fj: Record<string, number>;
  /** fJ per component (core, noc, sync, crossbar) and `static`. */
  by_component_fj: Record<string, number>;
  /** fJ per static part. */
  static_fj_by_part: Record<string, number>;
  exact: boolean;
}

export function summarizeEnergy(r: Report): EnergySummary {
  const byAction: Record<string, number> = {};
  for (const a of r.energy.byAction) byAction[a.action] = a.fj;
  const byComponent: Record<string, number> = {};
  for (const c of r.energy.byComponent) byComponent[c.component] = c.fj;
  byComponent.static = r.energy.staticFj;
  const byPart: Record<string, number> = {};
  for (const s of r.energy.static) byPart[s.part] = s.fj;
  return {
    table: r.table.name,
    total_fj: r.energy.totalFj,
    dynamic_fj: r.energy.dynamicFj,
    static_fj: r.energy.staticFj,
    emulated_time_ps: r.time.emulatedTimePs,
    edp_js: r.energy.edpJs,
    per_synop_fj: r.energy.perSynopFj.total,
    per_spike_fj: r.energy.perSpikeFj.total,
    by_action_fj: byAction,
    by_component_fj: byComponent,
    static_fj_by_part: byPart,
    exact: r.energy.exact,
  };
}
