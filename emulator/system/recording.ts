/**
 * Recording a run into an aerie trace (docs/TRACE-FORMAT.md "Recording a run"): the header embeds
 * the network spec (and its hash), the architecture's parameter values, the seed and dt; after
 * every step `onStep(step)` hands the step's spikes (global compartment indices), optionally its
 * packets (source/destination core, hops, latency = arrivePs − injectPs), probe rows and per-step
 * counters, and always its emulated duration, to a ChunkedSpikeRecorder that writes one chunk per
 * window of steps. `finish()` writes the footer with the run's final ActivityCounts (as plain data)
 * so `aerie report` can render the energy/latency report later.
 *
 * Memory is constant in the run's length: only one window of steps is held (the recorder's
 * buffers); nothing is allocated per spike or per packet.
 */
import { InputError } from '../errors.js';
import type { ActionId, ActivityCounts, HardwareInUse } from '../energy/activity.js';
import type { NetworkSpec } from '../spec/network.js';
import { ChunkedSpikeRecorder, type SpikeRecorderOptions } from '../trace/recorder.js';
import { TraceReader, TraceWriter, type TraceWriteSummary } from '../trace/container.js';
import type { RunChunk, RunRecordKind, RunTraceHeader } from '../trace/records.js';
import type { Emulator, ProbeData } from './emulator.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { Arch } from '../spec/arch.js';
import type { Placement } from '../mapping/index.js';

/** What `--record` may list (timing is always recorded: every step's duration). */
export const RECORD_CHOICES = ['spikes', 'packets', 'probes', 'counters'] as const;
export type RecordChoice = (typeof RECORD_CHOICES)[number];

/** Per-step counters a recording writes with `counters` (activity ids, docs/ENERGY-MODEL.md), summed over cores. */
export const STEP_COUNTERS = ['core.spike_out', 'core.packet_out', 'core.packet_in', 'core.synop', 'core.compartment_active', 'core.compartment_inactive'] as const;

/** Parse a `--record` list ("spikes,packets" or ["spikes", "packets"]); InputError naming an unknown kind. */
export function parseRecordList(list: string | readonly string[] | undefined): RecordChoice[] {
  const raw = list === undefined ? ['spikes'] : typeof list === 'string' ? list.split(',') : list.flatMap((s) => s.split(','));
  const out: RecordChoice[] = [];
  const problems = [];
  for (const item of raw.map((s) => s.trim()).filter((s) => s !== '')) {
    if (!(RECORD_CHOICES as readonly string[]).includes(item)) problems.push({ where: item, message: `unknown record kind; choose from ${RECORD_CHOICES.join(', ')}` });
    else if (!out.includes(item as RecordChoice)) out.push(item as RecordChoice);
  }
  if (problems.length) throw new InputError('--record', problems);
  if (!out.includes('spikes')) out.unshift('spikes');
  return out;
}

/** Emulated duration (ps) of completed step `step` (1-based), as the engine computed it (critical path + barrier). */
export function stepDurationPs(e: Emulator, step: number): number {
  return e.stepDurationPs(step);
}

/** An ActivityCounts without its per-step arrays, as stored in a trace footer (plain data). */
export interface ActivityJson {
  steps: number;
  totals: Partial<Record<ActionId, number>>;
  byPopulation: Record<string, Partial<Record<ActionId, number>>>;
  byChip: Record<string, Partial<Record<ActionId, number>>>;
  hardware: HardwareInUse;
  populationSizes: Record<string, number>;
  dt: number;
}

/** The footer form of an ActivityCounts: the per-step arrays are left out (the chunks hold them). */
export function activityToJson(a: ActivityCounts): ActivityJson {
  const byChip: ActivityJson['byChip'] = {};
  for (const [k, v] of Object.entries(a.byChip)) byChip[String(k)] = { ...v };
  return {
    steps: a.steps,
    totals: { ...a.totals },
    byPopulation: Object.fromEntries(Object.entries(a.byPopulation).map(([k, v]) => [k, { ...v }])),
    byChip,
    hardware: { ...a.hardware },
    populationSizes: { ...a.populationSizes },
    dt: a.dt,
  };
}

export interface TraceRecordingOptions {
  /** The network spec the run was prepared from (embedded in the header with its hash). */
  spec: NetworkSpec;
  /** Where the spec was read from (header networkPath). */
  networkPath?: string;
  /** Overwrite an existing trace file. */
  force?: boolean;
  /** Steps per chunk (default RECORDER_PARAMS.stepsPerChunk). */
  stepsPerChunk?: number;
  /** ISO time stamp for the header; left out by default so the same run gives a byte-identical trace. */
  created?: string;
}

/**
 * Records a prepared run into a trace file. Add probes to the emulator before constructing (they
 * are recorded when `probes` is listed); call `onStep(step)` after every step (it is the
 * `Emulator.run` callback shape), then `finish()`; on failure `abandon()` leaves a readable prefix.
 */
export class TraceRecording {
  readonly recorded: RunRecordKind[];
  private readonly writer: TraceWriter;
  private readonly recorder: ChunkedSpikeRecorder;
  private readonly emulator: Emulator;
  private readonly packets: boolean;
  private readonly counters: boolean;
  private readonly probeSizes: number[];
  private readonly counterValues = new Float64Array(STEP_COUNTERS.length);
  private readonly probeRows: Int32Array[];
  /** Per population: is it a spike source (whose updates are not compartment updates)? */
  private readonly isSource: Uint8Array;
  private prevActive = 0;
  private prevInactive = 0;

  constructor(
    prepared: { net: CompiledNetwork; arch: Arch; placement: Placement; emulator: Emulator },
    readonly path: string,
    record: string | readonly string[] | undefined,
    opts: TraceRecordingOptions,
  ) {
    const kinds = parseRecordList(record);
    const e = prepared.emulator;
    this.emulator = e;
    this.packets = kinds.includes('packets');
    this.counters = kinds.includes('counters');
    const probes: ProbeData[] = kinds.includes('probes') ? e.probeData() : [];
    if (kinds.includes('probes') && probes.length === 0) throw new InputError('--record', [{ where: 'probes', message: 'recording probes needs at least one --probe' }]);
    this.probeSizes = probes.map((p) => p.size);
    this.isSource = Uint8Array.from(prepared.net.populations, (q) => (q.kind === 'spike-source' ? 1 : 0));
    for (const c of e.cores) {
      c.segments.forEach((seg, k) => {
        if (this.isSource[seg.population]) return;
        this.prevActive += c.segActive[k];
        this.prevInactive += c.segInactive[k];
      });
    }
    // full views of the engine's probe buffers (probeData() trims them to the steps done so far)
    this.probeRows = probes.map((p) => new Int32Array(p.values.buffer, p.values.byteOffset));
    const recOpts: SpikeRecorderOptions = {
      stepsPerChunk: opts.stepsPerChunk,
      firstStep: e.stepsDone + 1,
      packets: this.packets,
      timing: true,
      counters: this.counters ? STEP_COUNTERS : undefined,
      probes: probes.map((p) => ({ name: p.name, width: p.size })),
    };
    const header: Omit<RunTraceHeader, 'kind' | 'format' | 'version' | 'timeUnit'> = {
      content: 'run',
      recorded: [],
      network: opts.spec,
      arch: { preset: prepared.arch.preset, values: { ...prepared.arch.spec.values } },
      seed: prepared.net.seed,
      dt: prepared.net.dt,
      meta: { placement: prepared.placement.strategy, firstStep: e.stepsDone + 1 },
    };
    if (opts.networkPath !== undefined) header.networkPath = opts.networkPath;
    if (opts.created !== undefined) header.created = opts.created;
    // the recorder decides the `recorded` list from its options: build it first (no file yet);
    // it hands chunks to the writer only from the first endStep on
    const rec = new ChunkedSpikeRecorder({ append: (c) => this.writer.append(c) }, recOpts);
    header.recorded = rec.recorded;
    this.recorded = rec.recorded;
    this.writer = TraceWriter.open(path, header, { force: opts.force });
    this.recorder = rec;
  }

  /** Record step `step` (just completed by the emulator). */
  onStep(step: number): void {
    const e = this.emulator;
    const rec = this.recorder;
    rec.recordSpikes(step, e.stepSpikes, e.stepSpikeCount);
    if (this.packets) {
      const b = e.batch;
      for (let i = 0; i < b.count; i++) rec.recordPacket(step, b.srcCore[i], b.dstCore[i], b.hops[i], b.arrivePs[i] - b.injectPs[i]);
    }
    if (this.probeSizes.length) {
      for (let k = 0; k < this.probeSizes.length; k++) {
        const w = this.probeSizes[k];
        rec.recordProbe(k, step, this.probeRows[k].subarray((step - 1) * w, step * w));
      }
    }
    let counters: Float64Array | undefined;
    if (this.counters) {
      counters = this.counterValues;
      counters.fill(0);
      // compartment updates: the step's growth of the cumulative per-segment counts (of neuron
      // segments only, as Emulator.activity counts them)
      let active = 0;
      let inactive = 0;
      for (let ci = 0; ci < e.cores.length; ci++) {
        const c = e.cores[ci];
        counters[0] += c.spikeCount;
        counters[1] += c.stepPacketsOut;
        counters[2] += c.stepPacketsIn;
        counters[3] += c.stepSynops;
        const segs = c.segments;
        for (let k = 0; k < segs.length; k++) {
          if (this.isSource[segs[k].population]) continue;
          active += c.segActive[k];
          inactive += c.segInactive[k];
        }
      }
      counters[4] = active - this.prevActive;
      counters[5] = inactive - this.prevInactive;
      this.prevActive = active;
      this.prevInactive = inactive;
    }
    rec.endStep(step, stepDurationPs(e, step), counters);
  }

  /** The `(step) => void` callback for Emulator.run. */
  get callback(): (step: number) => void {
    return (step) => this.onStep(step);
  }

  /**
   * Flush the last window and write the footer: the run's ActivityCounts (without per-step arrays)
   * and, when given, the run summary. Returns what was written.
   */
  finish(extra: { summary?: unknown } = {}): TraceWriteSummary {
    this.recorder.finish();
    const a = this.emulator.activity();
    let emulated = 0;
    for (let i = 0; i < a.stepDurationPs.length; i++) emulated += a.stepDurationPs[i];
    const footer: Record<string, unknown> = { totals: { emulatedTimePs: emulated }, activity: activityToJson(a) };
    if (extra.summary !== undefined) footer.summary = extra.summary;
    return this.writer.close(footer);
  }

  /** Close without a footer (after a failure): the trace reads as incomplete, every written chunk intact. */
  abandon(): void {
    this.writer.abandon();
  }

  get spikesRecorded(): number {
    return this.recorder.spikesRecorded;
  }
}

/** A recorded run's activity, rebuilt for a report: the footer's counts plus per-step timing and spikes from the chunks. */
export interface RecordedRun {
  header: RunTraceHeader;
  activity: ActivityCounts;
  /** The run summary the recorder stored in the footer, when there is one. */
  summary?: unknown;
}

/**
 * Read a complete run trace back into an ActivityCounts (streaming over its chunks). Refuses an
 * event trace, an incomplete trace (no footer: the run's totals were never written) and a footer
 * without activity.
 */
export function loadRecordedActivity(path: string): RecordedRun {
  const reader = TraceReader.open(path);
  const header = reader.header;
  if (header.content !== 'run') throw new InputError(path, [{ where: 'header.content', message: `expected a recorded run (content 'run'), this trace holds '${header.content}'` }]);
  if (!header.recorded.includes('timing')) throw new InputError(path, [{ where: 'header.recorded', message: 'the trace records no step timing, so no latency report can be made' }]);
  // the per-step arrays are sized from the footer once it is known; read the footer first
  reader.scan();
  if (!reader.complete || !reader.footer) {
    throw new InputError(path, [{ where: `byte ${reader.truncatedAt ?? reader.size}`, message: `the trace is incomplete (${reader.truncatedReason ?? 'no footer'}): its run totals were never written` }]);
  }
  const fa = reader.footer.activity as ActivityJson | undefined;
  if (!fa || typeof fa !== 'object' || typeof fa.steps !== 'number' || !fa.totals || !fa.hardware) {
    throw new InputError(path, [{ where: 'footer.activity', message: 'the footer holds no run activity (was the trace written by TraceRecording?)' }]);
  }
  const steps = fa.steps;
  const stepDurationPs = new Float64Array(steps);
  const spikesPerStep = new Uint32Array(steps);
  let base = -1;
  for (const chunk of reader.chunks()) {
    const c = chunk as RunChunk;
    if (base < 0) base = c.stepFrom;
    const put = (s: number): number => {
      const i = s - base;
      if (i < 0 || i >= steps) throw new InputError(path, [{ where: `chunk steps ${c.stepFrom}..${c.stepTo - 1}`, message: `step ${s} is beyond the ${steps} steps the footer counts` }]);
      return i;
    };
    if (c.timing) for (let k = 0; k < c.timing.step.length; k++) stepDurationPs[put(c.timing.step[k])] = c.timing.durationPs[k];
    if (c.spikes) for (let k = 0; k < c.spikes.step.length; k++) spikesPerStep[put(c.spikes.step[k])]++;
  }
  const byChip: Record<number, Partial<Record<ActionId, number>>> = {};
  for (const [k, v] of Object.entries(fa.byChip ?? {})) byChip[Number(k)] = v;
  const activity: ActivityCounts = {
    steps,
    totals: fa.totals,
    byPopulation: fa.byPopulation ?? {},
    byChip,
    hardware: fa.hardware,
    stepDurationPs,
    spikesPerStep,
    populationSizes: fa.populationSizes ?? {},
    dt: fa.dt,
  };
  return { header, activity, summary: reader.footer.summary };
}
