/**
 * ChunkedSpikeRecorder: the step engine's side of a run trace. It buffers what a run produces —
 * spikes, and optionally packets, probe rows, step timing and per-step counters — for a window of
 * `stepsPerChunk` steps in preallocated typed arrays, and hands one RunChunk per window to a sink
 * (a TraceWriter). Recording an event is a few typed-array stores: nothing is allocated per spike
 * or per packet (buffers double, rarely, when a window holds more events than ever before).
 *
 * Contract with the step engine: steps are recorded in order. Everything for step s is recorded
 * before `endStep(s)`; `endStep` is called for every step (also steps without spikes), which is
 * what closes a window and flushes its chunk. `finish()` flushes the last, partial window.
 */
import type { RunChunk, RunRecordKind } from './records.js';

/** Where chunks go (TraceWriter is one). The chunk's arrays belong to the sink once handed over. */
export interface ChunkSink {
  append(chunk: RunChunk): void;
}

/** Recorder parameters, declared once. */
export const RECORDER_PARAMS = {
  stepsPerChunk: {
    value: 1000,
    unit: 'step',
    description: 'steps buffered per chunk (a crash loses at most this many steps)',
    source: 'assumption: 1000 steps per chunk keeps a chunk at a few MB for busy networks and bounds what a crash can lose',
  },
  initialSpikeCapacity: { value: 65536, unit: 'spike', description: 'spike buffer preallocated per window', source: 'assumption: starting buffer; doubles when a window holds more' },
  initialPacketCapacity: { value: 65536, unit: 'packet', description: 'packet buffer preallocated per window', source: 'assumption: starting buffer; doubles when a window holds more' },
} as const;

export interface SpikeRecorderOptions {
  /** Steps per chunk (default RECORDER_PARAMS.stepsPerChunk). */
  stepsPerChunk?: number;
  /** First step of the run (default 0). */
  firstStep?: number;
  /** Initial spike buffer capacity (default RECORDER_PARAMS.initialSpikeCapacity). */
  spikeCapacity?: number;
  /** Initial packet buffer capacity (default RECORDER_PARAMS.initialPacketCapacity). */
  packetCapacity?: number;
  /** Record packets (recordPacket). */
  packets?: boolean;
  /** Record each step's emulated duration (endStep's durationPs). */
  timing?: boolean;
  /** Record these counters every step (endStep's counterValues, in this order). */
  counters?: readonly string[];
  /** Probed variables: name and number of columns (compartments) per row. */
  probes?: readonly { name: string; width: number }[];
}

export class ChunkedSpikeRecorder {
  readonly stepsPerChunk: number;
  private stepFrom: number;
  private windowEnd: number;
  /** Lowest step that may still be recorded. */
  private at: number;
  /** Exclusive end of the steps seen in this window. */
  private hi: number;

  private spikeStep: Uint32Array;
  private spikeNeuron: Uint32Array;
  private nSpikes = 0;

  private readonly packets: boolean;
  private pStep: Uint32Array;
  private pSrc: Uint32Array;
  private pDst: Uint32Array;
  private pHops: Uint16Array;
  private pLatency: Float64Array;
  private nPackets = 0;

  private readonly timing: boolean;
  private readonly tStep: Uint32Array;
  private readonly tDuration: Float64Array;
  private nTimed = 0;

  private readonly counterNames: string[];
  private readonly counterValues: Float64Array;

  private readonly probeDefs: { name: string; width: number }[];
  private readonly probeValues: Int32Array[];

  private totalSpikes = 0;
  private totalPackets = 0;
  private chunks = 0;

  constructor(
    private readonly sink: ChunkSink,
    opts: SpikeRecorderOptions = {},
  ) {
    this.stepsPerChunk = positiveInt(opts.stepsPerChunk ?? RECORDER_PARAMS.stepsPerChunk.value, 'stepsPerChunk');
    const first = opts.firstStep ?? 0;
    if (!Number.isInteger(first) || first < 0) throw new Error(`firstStep must be a non-negative integer, got ${first}`);
    this.stepFrom = this.at = this.hi = first;
    this.windowEnd = first + this.stepsPerChunk;
    const sc = positiveInt(opts.spikeCapacity ?? RECORDER_PARAMS.initialSpikeCapacity.value, 'spikeCapacity');
    this.spikeStep = new Uint32Array(sc);
    this.spikeNeuron = new Uint32Array(sc);
    this.packets = Boolean(opts.packets);
    const pc = this.packets ? positiveInt(opts.packetCapacity ?? RECORDER_PARAMS.initialPacketCapacity.value, 'packetCapacity') : 0;
    this.pStep = new Uint32Array(pc);
    this.pSrc = new Uint32Array(pc);
    this.pDst = new Uint32Array(pc);
    this.pHops = new Uint16Array(pc);
    this.pLatency = new Float64Array(pc);
    this.timing = Boolean(opts.timing);
    this.tStep = new Uint32Array(this.timing ? this.stepsPerChunk : 0);
    this.tDuration = new Float64Array(this.timing ? this.stepsPerChunk : 0);
    this.counterNames = [...(opts.counters ?? [])];
    this.counterValues = new Float64Array(this.stepsPerChunk * this.counterNames.length);
    this.probeDefs = (opts.probes ?? []).map((p) => ({ name: p.name, width: p.width }));
    for (const p of this.probeDefs) if (!Number.isInteger(p.width) || p.width < 0) throw new Error(`probe '${p.name}': width must be a non-negative integer, got ${p.width}`);
    this.probeValues = this.probeDefs.map((p) => new Int32Array(this.stepsPerChunk * p.width));
  }

  /** The header's `recorded` list matching these options. */
  get recorded(): RunRecordKind[] {
    const r: RunRecordKind[] = ['spikes'];
    if (this.packets) r.push('packets');
    if (this.probeDefs.length) r.push('probes');
    if (this.timing) r.push('timing');
    if (this.counterNames.length) r.push('counters');
    return r;
  }

  get spikesRecorded(): number {
    return this.totalSpikes + this.nSpikes;
  }
  get packetsRecorded(): number {
    return this.totalPackets + this.nPackets;
  }
  get chunksWritten(): number {
    return this.chunks;
  }

  /** Compartment `neuron` fired at `step`. */
  recordSpike(step: number, neuron: number): void {
    if (!(step >= this.at && step < this.windowEnd)) this.badStep(step, 'recordSpike');
    if (step >= this.hi) this.hi = step + 1;
    this.at = step;
    if (this.nSpikes === this.spikeStep.length) this.growSpikes();
    this.spikeStep[this.nSpikes] = step;
    this.spikeNeuron[this.nSpikes] = neuron;
    this.nSpikes++;
  }

  /** The first `count` compartments of `neurons` fired at `step` (a step's batch). */
  recordSpikes(step: number, neurons: ArrayLike<number>, count = neurons.length): void {
    if (!(step >= this.at && step < this.windowEnd)) this.badStep(step, 'recordSpikes');
    if (step >= this.hi) this.hi = step + 1;
    this.at = step;
    while (this.nSpikes + count > this.spikeStep.length) this.growSpikes();
    const base = this.nSpikes;
    this.spikeStep.fill(step, base, base + count);
    for (let i = 0; i < count; i++) this.spikeNeuron[base + i] = neurons[i];
    this.nSpikes += count;
  }

  /** An AER packet injected at `step` from `srcCore` to `dstCore`, `hops` hops, delivered after `latencyPs` ps. */
  recordPacket(step: number, srcCore: number, dstCore: number, hops: number, latencyPs: number): void {
    if (!this.packets) throw new Error('recordPacket: this recorder was made without packets: true');
    if (!(step >= this.at && step < this.windowEnd)) this.badStep(step, 'recordPacket');
    if (step >= this.hi) this.hi = step + 1;
    this.at = step;
    if (this.nPackets === this.pStep.length) this.growPackets();
    const i = this.nPackets++;
    this.pStep[i] = step;
    this.pSrc[i] = srcCore;
    this.pDst[i] = dstCore;
    this.pHops[i] = hops;
    this.pLatency[i] = latencyPs;
  }

  /** Row of probe number `probe` (order of the options) at `step`: `width` values (Int32). */
  recordProbe(probe: number, step: number, row: ArrayLike<number>): void {
    const def = this.probeDefs[probe];
    if (!def) throw new Error(`recordProbe: no probe number ${probe} (this recorder has ${this.probeDefs.length})`);
    if (row.length !== def.width) throw new Error(`recordProbe: probe '${def.name}' has width ${def.width}, got a row of ${row.length}`);
    if (!(step >= this.at && step < this.windowEnd)) this.badStep(step, 'recordProbe');
    if (step >= this.hi) this.hi = step + 1;
    this.at = step;
    const vals = this.probeValues[probe];
    const base = (step - this.stepFrom) * def.width;
    for (let i = 0; i < def.width; i++) vals[base + i] = row[i];
  }

  /**
   * Step `step` is over: record its duration and counters (when enabled) and flush the chunk when
   * the window is full.
   */
  endStep(step: number, durationPs?: number, counterValues?: ArrayLike<number>): void {
    if (!(step >= this.at && step < this.windowEnd)) this.badStep(step, 'endStep');
    if (this.timing) {
      if (durationPs === undefined) throw new Error('endStep: this recorder records timing; pass the step duration in ps');
      this.tStep[this.nTimed] = step;
      this.tDuration[this.nTimed] = durationPs;
      this.nTimed++;
    }
    const nc = this.counterNames.length;
    if (nc) {
      if (!counterValues || counterValues.length !== nc) throw new Error(`endStep: expected ${nc} counter values (${this.counterNames.join(', ')}), got ${counterValues?.length ?? 'none'}`);
      const base = (step - this.stepFrom) * nc;
      for (let i = 0; i < nc; i++) this.counterValues[base + i] = counterValues[i];
    }
    this.at = step + 1;
    this.hi = step + 1;
    if (this.at === this.windowEnd) this.flush(this.windowEnd);
  }

  /** Flush what the last, partial window holds (nothing if it is empty). Call once at the end of the run. */
  finish(): void {
    if (this.hi > this.stepFrom) this.flush(this.hi);
  }

  private flush(stepTo: number): void {
    const rows = stepTo - this.stepFrom;
    const chunk: RunChunk = {
      kind: 'chunk',
      stepFrom: this.stepFrom,
      stepTo,
      spikes: { step: this.spikeStep.slice(0, this.nSpikes), neuron: this.spikeNeuron.slice(0, this.nSpikes) },
    };
    if (this.packets) {
      const n = this.nPackets;
      chunk.packets = {
        step: this.pStep.slice(0, n),
        srcCore: this.pSrc.slice(0, n),
        dstCore: this.pDst.slice(0, n),
        hops: this.pHops.slice(0, n),
        latencyPs: this.pLatency.slice(0, n),
      };
    }
    if (this.probeDefs.length) {
      chunk.probes = this.probeDefs.map((d, i) => ({ name: d.name, width: d.width, values: this.probeValues[i].slice(0, rows * d.width) }));
    }
    if (this.timing) chunk.timing = { step: this.tStep.slice(0, this.nTimed), durationPs: this.tDuration.slice(0, this.nTimed) };
    if (this.counterNames.length) chunk.counters = { names: [...this.counterNames], values: this.counterValues.slice(0, rows * this.counterNames.length) };
    this.sink.append(chunk);
    this.chunks++;
    this.totalSpikes += this.nSpikes;
    this.totalPackets += this.nPackets;
    this.nSpikes = this.nPackets = this.nTimed = 0;
    this.counterValues.fill(0);
    for (const v of this.probeValues) v.fill(0);
    this.stepFrom = this.at = this.hi = stepTo;
    this.windowEnd = stepTo + this.stepsPerChunk;
  }

  private growSpikes(): void {
    this.spikeStep = grow(this.spikeStep);
    this.spikeNeuron = grow(this.spikeNeuron);
  }

  private growPackets(): void {
    this.pStep = grow(this.pStep);
    this.pSrc = grow(this.pSrc);
    this.pDst = grow(this.pDst);
    this.pHops = grow(this.pHops);
    this.pLatency = grow(this.pLatency);
  }

  private badStep(step: number, what: string): never {
    throw new Error(
      `${what}(step ${step}): steps must be recorded in order, within the open window ${this.stepFrom}..${this.windowEnd - 1}, ` +
        `not before step ${this.at} (call endStep for every step)`,
    );
  }
}

function grow<T extends Uint32Array | Uint16Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(16, a.length * 2));
  b.set(a as never);
  return b;
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return v;
}
