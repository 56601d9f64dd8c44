/** The run summary printed by `aerie run --json` and friends (docs/JSON-SCHEMA.md, schema aerie-run/1). */
import type { ActivityCounts } from '../energy/activity.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { ReportCrossbar, ReportCrossbarProjection } from '../energy/report.js';

/** The run summary (docs/JSON-SCHEMA.md, schema aerie-run/1). */
export interface RunSummary {
  schema: 'aerie-run/1';
  network: string;
  arch: string;
  steps: number;
  seed: number;
  spikes: number;
  synaptic_events: number;
  compartment_updates: number;
  compartment_updates_active: number;
  packets: number;
  cores_used: number;
  tiles_used: number;
  chips_used: number;
  emulated_time_ps: number;
  step_latency_ps: { mean: number; max: number };
  populations: Record<string, { size: number; spikes: number; rate_hz: number }>;
  counters: Record<string, number>;
  run: { wall_s: number; steps_per_s: number };
  /** Crossbar-backed projections (only when the network has any; docs/PIM.md). */
  crossbar?: CrossbarSummary;
}

/** Activity and accuracy figures of the crossbars, for the whole run and for each projection. */
export interface CrossbarFigures {
  mvms: number;
  output_packets: number;
  partial_sum_adds: number;
  model_energy_fj: number;
  samples: number;
  mae: number;
  max_abs_error: number;
  relative_error: number;
}

/** The `crossbar` section of the run summary (snake_case, docs/JSON-SCHEMA.md). */
export interface CrossbarSummary extends CrossbarFigures {
  arrays: number;
  max_step_mae: number;
  /** Only when a projection is in binary (HDC) mode: over all its searches. */
  bit_error_rate?: number;
  top1_agreement?: number;
  searches?: number;
  projections: (CrossbarFigures & {
    name: string;
    from: string;
    to: string;
    mode: 'analog' | 'binary';
    arrays: number;
    row_tiles: number;
    col_tiles: number;
    rows: number;
    cols: number;
    adc_bits: number;
    weight_bits: number;
    /** Binary mode only. */
    searches?: number;
    bits_compared?: number;
    bit_errors?: number;
    bit_error_rate?: number;
    top1_agreements?: number;
    top1_agreement?: number;
  })[];
}

/** The figures of a report record (run-wide or one projection) in the summary's keys. */
function figures(c: ReportCrossbarProjection | ReportCrossbar): CrossbarFigures {
  return {
    mvms: c.mvms,
    output_packets: c.outputPackets,
    partial_sum_adds: c.partialSumAdds,
    model_energy_fj: c.modelEnergyFj,
    samples: c.samples,
    mae: c.meanAbsError,
    max_abs_error: c.maxAbsError,
    relative_error: c.relativeError,
  };
}

/** The figures of a stored summary record back as report fields (0 for anything missing or not a number). */
function figuresBack(c: Partial<CrossbarFigures> | undefined, num: (v: unknown) => number): Pick<ReportCrossbar, 'mvms' | 'outputPackets' | 'partialSumAdds' | 'modelEnergyFj' | 'samples' | 'meanAbsError' | 'maxAbsError' | 'relativeError'> {
  return {
    mvms: num(c?.mvms),
    outputPackets: num(c?.output_packets),
    partialSumAdds: num(c?.partial_sum_adds),
    modelEnergyFj: num(c?.model_energy_fj),
    samples: num(c?.samples),
    meanAbsError: num(c?.mae),
    maxAbsError: num(c?.max_abs_error),
    relativeError: num(c?.relative_error),
  };
}

export function crossbarSummary(c: ReportCrossbar): CrossbarSummary {
  return {
    arrays: c.arrays,
    ...figures(c),
    max_step_mae: c.maxStepMeanAbsError,
    ...(c.bitErrorRate !== undefined ? { bit_error_rate: c.bitErrorRate, top1_agreement: c.top1Agreement ?? 0, searches: c.searches ?? 0 } : {}),
    projections: c.projections.map((p) => ({
      name: p.name,
      from: p.from,
      to: p.to,
      mode: p.mode,
      arrays: p.arrays,
      row_tiles: p.rowTiles,
      col_tiles: p.colTiles,
      rows: p.rows,
      cols: p.cols,
      adc_bits: p.adcBits,
      weight_bits: p.weightBits,
      ...figures(p),
      ...(p.mode === 'binary'
        ? { searches: p.searches ?? 0, bits_compared: p.bitsCompared ?? 0, bit_errors: p.bitErrors ?? 0, bit_error_rate: p.bitErrorRate ?? 0, top1_agreements: p.top1Agreements ?? 0, top1_agreement: p.top1Agreement ?? 0 }
        : {}),
    })),
  };
}

/**
 * The crossbar section of a stored run summary (a trace footer) back as report input; undefined
 * when the summary has none or it is not of this shape (a report is still made without it).
 */
export function crossbarFromSummary(summary: unknown): ReportCrossbar | undefined {
  const c = (summary as { crossbar?: unknown } | undefined)?.crossbar as Partial<CrossbarSummary> | undefined;
  if (!c || typeof c !== 'object' || !Array.isArray(c.projections)) return undefined;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    arrays: num(c.arrays),
    ...figuresBack(c, num),
    maxStepMeanAbsError: num(c.max_step_mae),
    ...(c.bit_error_rate !== undefined ? { bitErrorRate: num(c.bit_error_rate), top1Agreement: num(c.top1_agreement), searches: num(c.searches) } : {}),
    projections: c.projections.map((p) => ({
      name: str(p?.name),
      from: str(p?.from),
      to: str(p?.to),
      mode: p?.mode === 'binary' ? ('binary' as const) : ('analog' as const),
      arrays: num(p?.arrays),
      rowTiles: num(p?.row_tiles),
      colTiles: num(p?.col_tiles),
      rows: num(p?.rows),
      cols: num(p?.cols),
      adcBits: num(p?.adc_bits),
      weightBits: num(p?.weight_bits),
      ...figuresBack(p, num),
      ...(p?.mode === 'binary'
        ? { searches: num(p.searches), bitsCompared: num(p.bits_compared), bitErrors: num(p.bit_errors), bitErrorRate: num(p.bit_error_rate), top1Agreements: num(p.top1_agreements), top1Agreement: num(p.top1_agreement) }
        : {}),
    })),
  };
}

/** The run summary of any activity (a live run, a replay, a recorded trace). */
export function summarizeActivity(a: ActivityCounts, net: CompiledNetwork, archName: string, spikes: number, seed: number, wallSeconds: number): RunSummary {
  const T = a.totals;
  let emulated = 0;
  let maxStep = 0;
  for (let i = 0; i < a.stepDurationPs.length; i++) {
    emulated += a.stepDurationPs[i];
    if (a.stepDurationPs[i] > maxStep) maxStep = a.stepDurationPs[i];
  }
  const populations: RunSummary['populations'] = {};
  for (const pop of net.populations) {
    const s = a.byPopulation[pop.name]?.['core.spike_out'] ?? 0;
    populations[pop.name] = { size: pop.size, spikes: s, rate_hz: a.steps ? s / pop.size / (a.steps * net.dt) : 0 };
  }
  const counters: Record<string, number> = {};
  for (const k of Object.keys(T).sort()) counters[k] = T[k as keyof typeof T] ?? 0;
  return {
    schema: 'aerie-run/1',
    network: net.name,
    arch: archName,
    steps: a.steps,
    seed,
    spikes,
    synaptic_events: T['core.synop'] ?? 0,
    compartment_updates: (T['core.compartment_active'] ?? 0) + (T['core.compartment_inactive'] ?? 0),
    compartment_updates_active: T['core.compartment_active'] ?? 0,
    packets: T['core.packet_out'] ?? 0,
    cores_used: a.hardware.coresUsed,
    tiles_used: a.hardware.tilesUsed,
    chips_used: a.hardware.chips,
    emulated_time_ps: emulated,
    step_latency_ps: { mean: a.steps ? Math.round(emulated / a.steps) : 0, max: maxStep },
    populations,
    counters,
    run: { wall_s: wallSeconds, steps_per_s: wallSeconds > 0 ? a.steps / wallSeconds : 0 },
  };
}
