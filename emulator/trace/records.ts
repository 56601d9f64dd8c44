/**
 * The records a trace holds — header, chunks, footer — their TypeScript shapes and their
 * validation. docs/TRACE-FORMAT.md describes every field with its unit; this file is the
 * executable form of that page.
 *
 * All bulk data is held in typed arrays (structure of arrays, one array per field), never in
 * arrays of objects: that is what msgpackr packs as raw little-endian bytes and what the reader
 * hands back without per-event work.
 *
 * Validation is used twice: strictly by the writer (unknown fields are refused so a typo never
 * silently drops data) and leniently by the reader (unknown fields are ignored: the versioning rule
 * lets a later minor revision add optional fields that an older reader skips).
 */
import type { Problem } from '../errors.js';
import { Checker, describe, type Path } from '../spec/validate.js';

/** The `format` field of every header. */
export const TRACE_FORMAT_NAME = 'aerie-trace';
/** Version of the record schema this code writes and the newest it reads. */
export const TRACE_RECORD_VERSION = 1;

/** What a run trace can record (the `recorded` list of its header). */
export const RUN_RECORD_KINDS = ['spikes', 'packets', 'probes', 'timing', 'counters'] as const;
export type RunRecordKind = (typeof RUN_RECORD_KINDS)[number];

/** Largest step number a chunk may cover: steps are stored as Uint32. */
export const MAX_TRACE_STEP = 0xffffffff;
/** Largest sensor side: event coordinates are stored as Uint16. */
export const MAX_SENSOR_SIDE = 65536;

interface HeaderCommon {
  kind: 'header';
  format: typeof TRACE_FORMAT_NAME;
  /** Record schema version (see TRACE_RECORD_VERSION). */
  version: number;
  /** When the trace was made, ISO 8601. Optional so that same seed + same input gives a byte-identical trace. */
  created?: string;
  /** Free-form extra facts (JSON-like data) a writer wants to keep; readers carry it along unread. */
  meta?: Record<string, unknown>;
}

/** Header of a recorded emulator run: chunks hold per-step-range spikes, packets, probes, timing, counters. */
export interface RunTraceHeader extends HeaderCommon {
  content: 'run';
  timeUnit: 'step';
  /** Which record kinds the chunks carry; a chunk carrying anything else is refused. */
  recorded: RunRecordKind[];
  /** The network itself (compiled spec as plain data), embedded so replay needs nothing else. */
  network?: unknown;
  /** Where the network spec was read from, when it is referenced rather than (or as well as) embedded. */
  networkPath?: string;
  /** hashJson() of the network spec: 64 lowercase hex digits (SHA-256 of canonical JSON). */
  networkHash?: string;
  /** The architecture: a preset name or the arch spec as plain data. */
  arch?: unknown;
  /** Seed of the run (counter-based RNG). */
  seed?: number;
  /** Model time per step in seconds (network dt), when known. */
  dt?: number;
}

/** Header of an imported sensor recording: chunks hold blocks of events. */
export interface EventTraceHeader extends HeaderCommon {
  content: 'events';
  timeUnit: 'us';
  recorded: ['events'];
  /** Sensor size in pixels: every x < width, y < height. */
  sensor: { width: number; height: number };
  /** Where the events came from: the importer's format name and the source file name. */
  source: { format: string; file: string };
}

export type TraceHeader = RunTraceHeader | EventTraceHeader;

/** What a caller supplies to open a writer: the header less the fields the writer fills in. */
export type RunTraceHeaderInit = Omit<RunTraceHeader, 'kind' | 'format' | 'version' | 'timeUnit'> & { timeUnit?: 'step' };
export type EventTraceHeaderInit = Omit<EventTraceHeader, 'kind' | 'format' | 'version' | 'timeUnit' | 'content' | 'recorded'> & {
  content?: 'events';
  timeUnit?: 'us';
  recorded?: ['events'];
};
export type TraceHeaderInit = RunTraceHeaderInit | EventTraceHeaderInit;

/** Spikes of a chunk, ordered by step: spike i is compartment `neuron[i]` firing at `step[i]`. */
export interface SpikeColumns {
  step: Uint32Array;
  /** Global compartment index (the compiled network's numbering). */
  neuron: Uint32Array;
}

/** AER packets of a chunk, ordered by step (injection step). */
export interface PacketColumns {
  step: Uint32Array;
  srcCore: Uint32Array;
  dstCore: Uint32Array;
  /** Mesh hops travelled (0 for a delivery within a tile). */
  hops: Uint16Array;
  /** Injection-to-delivery latency in picoseconds. */
  latencyPs: Float64Array;
}

/** One probed variable: `width` columns, one row per step of the chunk (row r is step stepFrom + r), row-major. */
export interface ProbeBlock {
  name: string;
  width: number;
  values: Int32Array;
}

/** Emulated duration of steps (one entry per step that was timed, strictly increasing steps). */
export interface TimingColumns {
  step: Uint32Array;
  /** Emulated step duration in picoseconds (critical path + barrier). */
  durationPs: Float64Array;
}

/** Per-step counter values: one row per step of the chunk, one column per name, row-major. */
export interface CounterBlock {
  names: string[];
  values: Float64Array;
}

/** A chunk of a run trace: everything recorded for the steps [stepFrom, stepTo). */
export interface RunChunk {
  kind: 'chunk';
  stepFrom: number;
  /** Exclusive end: the chunk covers steps stepFrom … stepTo − 1. */
  stepTo: number;
  spikes?: SpikeColumns;
  packets?: PacketColumns;
  probes?: ProbeBlock[];
  timing?: TimingColumns;
  counters?: CounterBlock;
}

/** A block of sensor events, as recorded (time order is the source's). */
export interface EventColumns {
  /** Timestamp in microseconds. */
  t: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  /** Polarity: 1 = ON (brightness increase), 0 = OFF. */
  p: Uint8Array;
}

export interface EventChunk {
  kind: 'chunk';
  events: EventColumns;
}

export type TraceChunk = RunChunk | EventChunk;

/** Last record of a complete trace. */
export interface TraceFooter {
  kind: 'footer';
  complete: true;
  /** Number of chunk records before the footer. */
  chunks: number;
  /** Totals: counts filled by the writer (spikes, packets, steps, events) plus the caller's own. */
  totals: Record<string, number | string>;
  /** Extra facts the caller passed to close(). */
  [extra: string]: unknown;
}

const HEADER_COMMON_KEYS = ['kind', 'format', 'version', 'content', 'timeUnit', 'recorded', 'created', 'meta'];
const RUN_HEADER_KEYS = [...HEADER_COMMON_KEYS, 'network', 'networkPath', 'networkHash', 'arch', 'seed', 'dt'];
const EVENT_HEADER_KEYS = [...HEADER_COMMON_KEYS, 'sensor', 'source'];
const RUN_CHUNK_KEYS = ['kind', 'stepFrom', 'stepTo', 'spikes', 'packets', 'probes', 'timing', 'counters'];
const EVENT_CHUNK_KEYS = ['kind', 'events'];

/** Is `v` a plain (non-list) map? */
function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Describe a value including typed-array kinds, for messages. */
function kindOf(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return describe(v);
}

/**
 * Validation context. `strict` (writer) refuses unknown fields; the reader ignores them.
 * Problems carry field paths; the caller prefixes the byte offset of the record.
 */
class RecordChecker extends Checker {
  constructor(
    source: string,
    readonly strict: boolean,
  ) {
    super(source);
  }

  keys(rec: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
    if (!this.strict) return;
    this.object(rec, path, allowed);
  }

  map(v: unknown, path: Path): Record<string, unknown> | undefined {
    if (!isMap(v)) return this.fail(path, `expected a map, got ${kindOf(v)}`);
    return v;
  }

  typed<T extends ArrayBufferView>(v: unknown, path: Path, ctor: new (src: ArrayLike<number>) => T, name: string): T | undefined {
    if (!(v instanceof (ctor as unknown as typeof Uint8Array))) return this.fail(path, `expected a ${name}, got ${kindOf(v)}`);
    // A subclass (msgpackr hands plain binary data back as a Buffer viewing the frame): make a plain copy.
    if (v.constructor !== ctor) return new ctor(v as unknown as ArrayLike<number>);
    return v as unknown as T;
  }

  sameLength(path: Path, cols: Record<string, { length: number } | undefined>): number | undefined {
    let n: number | undefined;
    for (const [k, a] of Object.entries(cols)) {
      if (!a) return undefined;
      if (n === undefined) n = a.length;
      else if (a.length !== n) return this.fail([...path, k], `has ${a.length} entries but the other columns have ${n}`);
    }
    return n;
  }

  /** steps all within [from, to), non-decreasing (or strictly increasing). */
  stepsInRange(steps: Uint32Array, path: Path, from: number, to: number, strictlyIncreasing: boolean): void {
    let prev = -1;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s < from || s >= to) {
        this.fail([...path, i], `step ${s} is outside the chunk's steps ${from}..${to - 1}`);
        return;
      }
      if (s < prev || (strictlyIncreasing && s === prev)) {
        this.fail([...path, i], `step ${s} comes after step ${prev}: steps must be ${strictlyIncreasing ? 'strictly increasing' : 'in non-decreasing order'}`);
        return;
      }
      prev = s;
    }
  }

  finiteNonNegative(a: Float64Array, path: Path, unit: string): void {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!(v >= 0) || v === Infinity) {
        this.fail([...path, i], `${v} is not a finite non-negative ${unit}`);
        return;
      }
    }
  }

  finite(a: Float64Array, path: Path): void {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        this.fail([...path, i], `${a[i]} is not a finite number`);
        return;
      }
    }
  }

  stringList(v: unknown, path: Path): string[] | undefined {
    const arr = this.array(v, path);
    if (!arr) return undefined;
    const seen = new Set<string>();
    for (let i = 0; i < arr.length; i++) {
      const s = this.string(arr[i], [...path, i]);
      if (s === undefined) return undefined;
      if (seen.has(s)) return this.fail([...path, i], `'${s}' is listed twice`);
      seen.add(s);
    }
    return arr as string[];
  }
}

export interface ValidationResult<T> {
  value?: T;
  problems: Problem[];
}

/** Validate (and normalise) a header record. */
export function checkHeader(v: unknown, source: string, strict: boolean): ValidationResult<TraceHeader> {
  const c = new RecordChecker(source, strict);
  const rec = c.map(v, ['header']);
  if (!rec) return { problems: c.problems };
  const p = (k: string): Path => ['header', k];
  if (rec.kind !== 'header') c.fail(p('kind'), `expected 'header', got ${describe(rec.kind)}`);
  if (rec.format !== TRACE_FORMAT_NAME) c.fail(p('format'), `expected '${TRACE_FORMAT_NAME}', got ${describe(rec.format)}`);
  const version = c.integer(rec.version, p('version'), 1);
  if (version !== undefined && version > TRACE_RECORD_VERSION)
    c.fail(p('version'), `record version ${version} is newer than this aerie reads (${TRACE_RECORD_VERSION}); use a newer aerie`);
  const content = c.oneOf(rec.content, p('content'), ['run', 'events'] as const);
  if (rec.created !== undefined) c.string(rec.created, p('created'));
  if (rec.meta !== undefined) c.map(rec.meta, p('meta'));
  if (content === 'run') {
    c.keys(rec, ['header'], RUN_HEADER_KEYS);
    if (rec.timeUnit !== 'step') c.fail(p('timeUnit'), `a run trace counts time in 'step', got ${describe(rec.timeUnit)}`);
    const recorded = c.stringList(rec.recorded, p('recorded'));
    if (recorded) recorded.forEach((r, i) => c.oneOf(r, [...p('recorded'), i], RUN_RECORD_KINDS));
    if (rec.networkPath !== undefined) c.string(rec.networkPath, p('networkPath'));
    if (rec.networkHash !== undefined) c.string(rec.networkHash, p('networkHash'), { pattern: /^[0-9a-f]{64}$/, patternHint: '64 lowercase hex digits (SHA-256)' });
    if (rec.seed !== undefined) c.integer(rec.seed, p('seed'), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (rec.dt !== undefined) c.number(rec.dt, p('dt'), 0, Infinity, ' s');
  } else if (content === 'events') {
    c.keys(rec, ['header'], EVENT_HEADER_KEYS);
    if (rec.timeUnit !== 'us') c.fail(p('timeUnit'), `an event trace counts time in 'us', got ${describe(rec.timeUnit)}`);
    const recorded = c.stringList(rec.recorded, p('recorded'));
    if (recorded && (recorded.length !== 1 || recorded[0] !== 'events')) c.fail(p('recorded'), `an event trace records ['events'], got [${recorded.join(', ')}]`);
    const sensor = c.map(rec.sensor, p('sensor'));
    if (sensor) {
      c.keys(sensor, p('sensor'), ['width', 'height']);
      c.integer(sensor.width, [...p('sensor'), 'width'], 1, MAX_SENSOR_SIDE);
      c.integer(sensor.height, [...p('sensor'), 'height'], 1, MAX_SENSOR_SIDE);
    }
    const src = c.map(rec.source, p('source'));
    if (src) {
      c.keys(src, p('source'), ['format', 'file']);
      c.string(src.format, [...p('source'), 'format']);
      c.string(src.file, [...p('source'), 'file']);
    }
  }
  return c.ok ? { value: rec as unknown as TraceHeader, problems: [] } : { problems: c.problems };
}

/** Where the previous chunk ended (run traces: chunks cover increasing, non-overlapping step ranges). */
export interface ChunkContext {
  prevStepTo: number;
}

/** Validate (and normalise: only known fields, plain typed arrays) a chunk record of a trace with this header. */
export function checkChunk(v: unknown, header: TraceHeader, ctx: ChunkContext, source: string, strict: boolean): ValidationResult<TraceChunk> {
  const c = new RecordChecker(source, strict);
  const rec = c.map(v, ['chunk']);
  if (!rec) return { problems: c.problems };
  if (rec.kind !== 'chunk') c.fail(['chunk', 'kind'], `expected 'chunk', got ${describe(rec.kind)}`);
  const out = header.content === 'run' ? checkRunChunk(c, rec, header, ctx) : checkEventChunk(c, rec, header);
  return c.ok && out ? { value: out, problems: [] } : { problems: c.problems };
}

function checkRunChunk(c: RecordChecker, rec: Record<string, unknown>, header: RunTraceHeader, ctx: ChunkContext): RunChunk | undefined {
  c.keys(rec, ['chunk'], RUN_CHUNK_KEYS);
  const from = c.integer(rec.stepFrom, ['chunk', 'stepFrom'], 0, MAX_TRACE_STEP);
  const to = c.integer(rec.stepTo, ['chunk', 'stepTo'], 0, MAX_TRACE_STEP + 1);
  if (from === undefined || to === undefined) return undefined;
  if (to < from) return c.fail(['chunk', 'stepTo'], `stepTo ${to} is before stepFrom ${from}`);
  if (from < ctx.prevStepTo) return c.fail(['chunk', 'stepFrom'], `step range ${from}..${to - 1} overlaps or precedes the previous chunk (which ended before step ${ctx.prevStepTo})`);
  const steps = to - from;
  const out: RunChunk = { kind: 'chunk', stepFrom: from, stepTo: to };
  const allowed = new Set<string>(header.recorded);
  const present = (k: RunRecordKind): boolean => {
    if (rec[k] === undefined) return false;
    if (!allowed.has(k)) {
      c.fail(['chunk', k], `the header's recorded list [${header.recorded.join(', ')}] does not include '${k}'`);
      return false;
    }
    return true;
  };
  if (present('spikes')) {
    const path = ['chunk', 'spikes'];
    const m = c.map(rec.spikes, path);
    if (m) {
      c.keys(m, path, ['step', 'neuron']);
      const step = c.typed(m.step, [...path, 'step'], Uint32Array, 'Uint32Array');
      const neuron = c.typed(m.neuron, [...path, 'neuron'], Uint32Array, 'Uint32Array');
      if (c.sameLength(path, { step, neuron }) !== undefined && step && neuron) {
        c.stepsInRange(step, [...path, 'step'], from, to, false);
        out.spikes = { step, neuron };
      }
    }
  }
  if (present('packets')) {
    const path = ['chunk', 'packets'];
    const m = c.map(rec.packets, path);
    if (m) {
      c.keys(m, path, ['step', 'srcCore', 'dstCore', 'hops', 'latencyPs']);
      const step = c.typed(m.step, [...path, 'step'], Uint32Array, 'Uint32Array');
      const srcCore = c.typed(m.srcCore, [...path, 'srcCore'], Uint32Array, 'Uint32Array');
      const dstCore = c.typed(m.dstCore, [...path, 'dstCore'], Uint32Array, 'Uint32Array');
      const hops = c.typed(m.hops, [...path, 'hops'], Uint16Array, 'Uint16Array');
      const latencyPs = c.typed(m.latencyPs, [...path, 'latencyPs'], Float64Array, 'Float64Array');
      if (c.sameLength(path, { step, srcCore, dstCore, hops, latencyPs }) !== undefined && step && srcCore && dstCore && hops && latencyPs) {
        c.stepsInRange(step, [...path, 'step'], from, to, false);
        c.finiteNonNegative(latencyPs, [...path, 'latencyPs'], 'latency in ps');
        out.packets = { step, srcCore, dstCore, hops, latencyPs };
      }
    }
  }
  if (present('probes')) {
    const path = ['chunk', 'probes'];
    const arr = c.array(rec.probes, path);
    if (arr) {
      const probes: ProbeBlock[] = [];
      const names = new Set<string>();
      arr.forEach((item, i) => {
        const ip = [...path, i];
        const m = c.map(item, ip);
        if (!m) return;
        c.keys(m, ip, ['name', 'width', 'values']);
        const name = c.string(m.name, [...ip, 'name']);
        if (name !== undefined && names.has(name)) c.fail([...ip, 'name'], `probe '${name}' appears twice in the chunk`);
        if (name !== undefined) names.add(name);
        const width = c.integer(m.width, [...ip, 'width'], 0, 0xffffffff);
        const values = c.typed(m.values, [...ip, 'values'], Int32Array, 'Int32Array');
        if (name === undefined || width === undefined || !values) return;
        if (values.length !== steps * width) {
          c.fail([...ip, 'values'], `has ${values.length} entries, expected ${steps} steps × ${width} columns = ${steps * width}`);
          return;
        }
        probes.push({ name, width, values });
      });
      out.probes = probes;
    }
  }
  if (present('timing')) {
    const path = ['chunk', 'timing'];
    const m = c.map(rec.timing, path);
    if (m) {
      c.keys(m, path, ['step', 'durationPs']);
      const step = c.typed(m.step, [...path, 'step'], Uint32Array, 'Uint32Array');
      const durationPs = c.typed(m.durationPs, [...path, 'durationPs'], Float64Array, 'Float64Array');
      if (c.sameLength(path, { step, durationPs }) !== undefined && step && durationPs) {
        c.stepsInRange(step, [...path, 'step'], from, to, true);
        c.finiteNonNegative(durationPs, [...path, 'durationPs'], 'duration in ps');
        out.timing = { step, durationPs };
      }
    }
  }
  if (present('counters')) {
    const path = ['chunk', 'counters'];
    const m = c.map(rec.counters, path);
    if (m) {
      c.keys(m, path, ['names', 'values']);
      const names = c.stringList(m.names, [...path, 'names']);
      const values = c.typed(m.values, [...path, 'values'], Float64Array, 'Float64Array');
      if (names && values) {
        if (values.length !== steps * names.length) c.fail([...path, 'values'], `has ${values.length} entries, expected ${steps} steps × ${names.length} counters = ${steps * names.length}`);
        else {
          c.finite(values, [...path, 'values']);
          out.counters = { names: [...names], values };
        }
      }
    }
  }
  return out;
}

function checkEventChunk(c: RecordChecker, rec: Record<string, unknown>, header: EventTraceHeader): EventChunk | undefined {
  c.keys(rec, ['chunk'], EVENT_CHUNK_KEYS);
  const path = ['chunk', 'events'];
  const m = c.map(rec.events, path);
  if (!m) return undefined;
  c.keys(m, path, ['t', 'x', 'y', 'p']);
  const t = c.typed(m.t, [...path, 't'], Float64Array, 'Float64Array');
  const x = c.typed(m.x, [...path, 'x'], Uint16Array, 'Uint16Array');
  const y = c.typed(m.y, [...path, 'y'], Uint16Array, 'Uint16Array');
  const p = c.typed(m.p, [...path, 'p'], Uint8Array, 'Uint8Array');
  if (c.sameLength(path, { t, x, y, p }) === undefined || !t || !x || !y || !p) return undefined;
  c.finite(t, [...path, 't']);
  const { width, height } = header.sensor;
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= width) return c.fail([...path, 'x', i], `x ${x[i]} is outside the ${width}-pixel-wide sensor`);
    if (y[i] >= height) return c.fail([...path, 'y', i], `y ${y[i]} is outside the ${height}-pixel-high sensor`);
    if (p[i] > 1) return c.fail([...path, 'p', i], `polarity ${p[i]} is not 0 (OFF) or 1 (ON)`);
  }
  return { kind: 'chunk', events: { t, x, y, p } };
}

/** Validate a footer record against the number of chunks actually read. */
export function checkFooter(v: unknown, chunksRead: number, source: string, strict: boolean): ValidationResult<TraceFooter> {
  const c = new RecordChecker(source, strict);
  const rec = c.map(v, ['footer']);
  if (!rec) return { problems: c.problems };
  if (rec.complete !== true) c.fail(['footer', 'complete'], `expected true, got ${describe(rec.complete)}`);
  const chunks = c.integer(rec.chunks, ['footer', 'chunks'], 0);
  if (chunks !== undefined && chunks !== chunksRead) c.fail(['footer', 'chunks'], `says ${chunks} chunks but the trace holds ${chunksRead}`);
  const totals = c.map(rec.totals, ['footer', 'totals']);
  if (totals) {
    for (const [k, t] of Object.entries(totals)) {
      if (typeof t !== 'string' && (typeof t !== 'number' || !Number.isFinite(t))) c.fail(['footer', 'totals', k], `expected a finite number or a string, got ${describe(t)}`);
    }
  }
  return c.ok ? { value: rec as unknown as TraceFooter, problems: [] } : { problems: c.problems };
}
