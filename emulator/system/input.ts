/**
 * Input replay: drive a network's spike-source population from an event trace (an imported sensor
 * recording, docs/TRACE-FORMAT.md "Event chunk"). Each event (t µs, x, y, polarity) becomes one
 * spike of one source compartment:
 *
 *   source index = (p·height + y)·width + x      layout 'polarity-major' (default)
 *                = ((y·width + x)·2 + p)        layout 'interleaved'
 *                = y·width + x                  layout 'merged' (polarity ignored)
 *
 * with width × height the sensor size from the trace header (or given), and time binned into
 * steps: the first event (or `originUs`) falls in the first step run, and each `binUs` later is
 * one step later (default bin: the network's dt in µs). Several events on one source within a
 * step give one spike (a compartment fires at most once per step).
 *
 * It streams: one block of events is held at a time; each step sets NeuroCore.externalSpikes of
 * the cores holding the population and clears the flags it set after the step. While it runs,
 * every spike-source segment on those cores is driven by the stream (their own spike lists or
 * Poisson draws are replaced); other cores are untouched.
 */
import { InputError } from '../errors.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { Placement } from '../mapping/index.js';
import type { EventColumns, EventTraceHeader } from '../trace/records.js';
import { readEventTrace, type EventTraceReader } from '../trace/events.js';
import type { Emulator } from './emulator.js';

export const INPUT_LAYOUTS = ['polarity-major', 'interleaved', 'merged'] as const;
export type InputLayout = (typeof INPUT_LAYOUTS)[number];

/** Input replay parameters, declared once. */
export const INPUT_PARAMS = {
  binUs: { unit: 'µs', default: 'network dt × 10^6', description: 'event time per step', source: 'aerie convention: one step is dt of model time' },
  layout: { unit: '', default: 'polarity-major', description: 'how (x, y, p) maps to a source index', source: 'aerie convention ((p·height + y)·width + x, as N-MNIST-style 2×H×W inputs)' },
} as const;

export interface InputMapping {
  /** The spike-source population to drive (default: the first spike-source population). */
  population?: string;
  layout?: InputLayout;
  /** Sensor size used by the mapping (default: the trace header's sensor). */
  width?: number;
  height?: number;
  /** Events whose source index is outside the population: 'error' (default) or 'drop' (counted). */
  outside?: 'error' | 'drop';
}

export interface RunInputOptions {
  /** Event time per step in µs (default: network dt in µs). */
  binUs?: number;
  mapping?: InputMapping;
  /** Time of the first step's start in µs (default: the first event's time). */
  originUs?: number;
  /**
   * Steps to run. Default: until the step of the last event. With a number, events after the last
   * step are not read, and steps after the last event run without input.
   */
  steps?: number;
  /** Called after every step (the Emulator.run callback shape), e.g. TraceRecording.onStep. */
  onStep?: (step: number) => void;
}

export interface InputRunResult {
  steps: number;
  /** Events read from the trace. */
  events: number;
  /** Spikes injected (events merged per source and step counted once). */
  spikes: number;
  /** Events dropped as outside the population (mapping.outside 'drop'). */
  dropped: number;
  /** Events whose time fell before an already run step (out-of-order input): injected in the current step. */
  late: number;
  /** Events after the last step (only with `steps`): not injected. */
  afterEnd: number;
  population: string;
  binUs: number;
  originUs: number;
  /** The trace ended early (no footer): the input is the readable prefix. */
  incomplete: boolean;
}

interface Prep {
  net: CompiledNetwork;
  placement: Placement;
  emulator: Emulator;
}

/**
 * Drives the spike sources step by step from an event trace, through the Emulator.run callback:
 * the constructor loads the events of the next step to run, and `onStep(step)` (after each step)
 * clears that step's flags and loads the following step's events. So it works with any loop that
 * calls `emulator.run(n, onStep)` (progress bars, Ctrl-C handling) without an engine hook. Call
 * `finish()` at the end: it releases the cores' externalSpikes and returns the counts.
 */
export class InputDriver {
  /** No events are left to inject (the trace was read to its end, or to the last step). */
  exhausted = false;
  private readonly res: InputRunResult;
  private readonly e: Emulator;
  private readonly flags: (Uint8Array | undefined)[];
  private readonly driven: number[];
  private readonly srcCore: Int32Array;
  private readonly srcLocal: Uint32Array;
  private readonly touched: Uint32Array;
  private nTouched = 0;
  private readonly blocks: Iterator<EventColumns, void, undefined>;
  private block: EventColumns | undefined;
  private at = 0;
  private origin: number | undefined;
  private readonly firstStep: number;
  private readonly lastStep: number;
  private readonly layout: InputLayout;
  private readonly width: number;
  private readonly height: number;
  private readonly outside: 'error' | 'drop';
  private readonly popSize: number;
  private readonly source: string;
  private cutShort = false;
  private released = false;

  constructor(
    p: Prep,
    private readonly reader: EventTraceReader,
    opts: Omit<RunInputOptions, 'onStep'> = {},
  ) {
    const src = reader.reader.source;
    this.source = src;
    const header: EventTraceHeader = reader.header;
    const m = opts.mapping ?? {};
    const problems: { where: string; message: string }[] = [];
    const sources = p.net.populations.filter((q) => q.kind === 'spike-source');
    const pop = m.population === undefined ? sources[0] : p.net.populations.find((q) => q.name === m.population);
    if (!pop) {
      if (m.population === undefined) throw new InputError('--input', [{ where: p.net.name, message: 'the network has no spike-source population to drive' }]);
      throw new InputError('--input', [{ where: 'population', message: `no population named '${m.population}' (spike sources: ${sources.map((q) => q.name).join(', ') || 'none'})` }]);
    }
    if (pop.kind !== 'spike-source') throw new InputError('--input', [{ where: 'population', message: `'${pop.name}' is a ${pop.kind} population; input replay drives spike-source populations` }]);
    const layout = m.layout ?? 'polarity-major';
    if (!INPUT_LAYOUTS.includes(layout)) problems.push({ where: 'layout', message: `'${String(layout)}' is not one of ${INPUT_LAYOUTS.join(', ')}` });
    const width = m.width ?? header.sensor.width;
    const height = m.height ?? header.sensor.height;
    for (const [k, v] of [['width', width], ['height', height]] as const) if (!Number.isInteger(v) || v < 1 || v > 65536) problems.push({ where: k, message: `expected a whole number 1..65536, got ${v}` });
    const binUs = opts.binUs ?? p.net.dt * 1e6;
    if (!(binUs > 0) || !Number.isFinite(binUs)) problems.push({ where: '--bin-us', message: `expected a positive number of µs, got ${binUs}` });
    if (opts.steps !== undefined && (!Number.isInteger(opts.steps) || opts.steps < 0)) problems.push({ where: 'steps', message: `expected a whole number >= 0, got ${opts.steps}` });
    if (opts.originUs !== undefined && !Number.isFinite(opts.originUs)) problems.push({ where: 'originUs', message: `expected a finite time in µs, got ${opts.originUs}` });
    const outside = m.outside ?? 'error';
    if (problems.length) throw new InputError('--input', problems);
    const channels = layout === 'merged' ? 1 : 2;
    const needed = width * height * channels;
    if (needed > pop.size && outside === 'error') {
      throw new InputError('--input', [
        {
          where: pop.name,
          message: `the ${width}×${height} sensor with ${channels} polarity channel(s) needs ${needed} sources but '${pop.name}' has ${pop.size} (enlarge the population, use layout 'merged', or drop events outside it)`,
        },
      ]);
    }
    this.layout = layout;
    this.width = width;
    this.height = height;
    this.outside = outside;
    this.popSize = pop.size;

    // where each source compartment lives: index into emulator.cores and local index
    const e = p.emulator;
    this.e = e;
    const coreIndexOfId = new Map<number, number>();
    e.cores.forEach((c, i) => coreIndexOfId.set(c.id, i));
    this.srcCore = new Int32Array(pop.size);
    this.srcLocal = new Uint32Array(pop.size);
    this.flags = e.cores.map(() => undefined);
    for (let i = 0; i < pop.size; i++) {
      const g = pop.offset + i;
      const ci = coreIndexOfId.get(p.placement.coreOf[g])!;
      this.srcCore[i] = ci;
      this.srcLocal[i] = p.placement.localOf[g];
      this.flags[ci] ??= new Uint8Array(e.cores[ci].nComp);
    }
    this.driven = [];
    this.flags.forEach((f, ci) => {
      if (f) this.driven.push(ci);
    });
    // sources set for the coming step (to clear after it): at most one entry per source
    this.touched = new Uint32Array(pop.size);
    this.res = { steps: 0, events: 0, spikes: 0, dropped: 0, late: 0, afterEnd: 0, population: pop.name, binUs, originUs: opts.originUs ?? NaN, incomplete: false };
    this.firstStep = e.stepsDone + 1;
    this.lastStep = opts.steps === undefined ? Infinity : e.stepsDone + opts.steps;
    this.origin = opts.originUs;
    this.blocks = reader.blocks()[Symbol.iterator]();
    for (const ci of this.driven) e.cores[ci].externalSpikes = this.flags[ci]!;
    try {
      this.load(this.firstStep);
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** Step `step` was run: clear its flags and load the events of step `step + 1`. */
  onStep(step: number): void {
    for (let k = 0; k < this.nTouched; k++) {
      const i = this.touched[k];
      this.flags[this.srcCore[i]]![this.srcLocal[i]] = 0;
    }
    this.nTouched = 0;
    this.res.steps++;
    try {
      if (step + 1 <= this.lastStep) this.load(step + 1);
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** The `(step) => void` callback for Emulator.run. */
  get callback(): (step: number) => void {
    return (step) => this.onStep(step);
  }

  /** Release the cores (their sources follow their own spikes again) and return the counts. */
  finish(): InputRunResult {
    this.release();
    if (!this.exhausted) {
      // stopped before the input ended: stop reading (closes the file)
      this.blocks.return?.();
      this.cutShort = true;
    }
    this.res.incomplete = !this.cutShort && !this.reader.complete;
    this.res.originUs = this.origin ?? NaN;
    return { ...this.res };
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    for (const ci of this.driven) this.e.cores[ci].externalSpikes = null;
  }

  /** Set the flags of every event up to step `step` (events of earlier steps are late). */
  private load(step: number): void {
    const res = this.res;
    for (;;) {
      if (!this.block || this.at >= this.block.t.length) {
        if (this.exhausted) return;
        const nx = this.blocks.next();
        if (nx.done) {
          this.exhausted = true;
          this.block = undefined;
          return;
        }
        this.block = nx.value;
        this.at = 0;
        continue;
      }
      const b = this.block;
      const k = this.at;
      if (this.origin === undefined) this.origin = b.t[k];
      const s = this.firstStep + Math.floor((b.t[k] - this.origin) / res.binUs);
      if (s > step) {
        if (s > this.lastStep) {
          // the rest of the input lies after the last step: not read
          res.afterEnd++;
          this.cutShort = true;
          this.exhausted = true;
          this.block = undefined;
          this.blocks.return?.();
        }
        return;
      }
      this.at++;
      if (s < step) res.late++;
      res.events++;
      const xi = b.x[k];
      const yi = b.y[k];
      if (xi >= this.width || yi >= this.height) {
        if (this.outside === 'drop') {
          res.dropped++;
          continue;
        }
        throw new InputError(this.source, [{ where: `event ${res.events - 1}`, message: `pixel (${xi}, ${yi}) is outside the ${this.width}×${this.height} mapping` }]);
      }
      const pol = b.p[k];
      const idx = this.layout === 'polarity-major' ? (pol * this.height + yi) * this.width + xi : this.layout === 'interleaved' ? (yi * this.width + xi) * 2 + pol : yi * this.width + xi;
      if (idx >= this.popSize) {
        res.dropped++;
        continue;
      }
      const f = this.flags[this.srcCore[idx]]!;
      const l = this.srcLocal[idx];
      if (f[l] === 0) {
        f[l] = 1;
        this.touched[this.nTouched++] = idx;
        res.spikes++;
      }
    }
  }

  /** Flags are set for the coming step (it holds input). */
  get pending(): boolean {
    return this.nTouched > 0;
  }
}

/**
 * Run the emulator driven by an event trace (a path or an open EventTraceReader): with `steps`,
 * exactly that many steps; otherwise until the step of the last event.
 */
export function runInput(p: Prep, trace: string | EventTraceReader, opts: RunInputOptions = {}): InputRunResult {
  const reader = typeof trace === 'string' ? readEventTrace(trace) : trace;
  const d = new InputDriver(p, reader, opts);
  const cb = opts.onStep
    ? (s: number): void => {
        d.onStep(s);
        opts.onStep!(s);
      }
    : d.callback;
  let res: InputRunResult | undefined;
  try {
    if (opts.steps !== undefined) p.emulator.run(opts.steps, cb);
    else while (!d.exhausted || d.pending) p.emulator.run(1, cb);
  } finally {
    res = d.finish();
  }
  return res;
}
