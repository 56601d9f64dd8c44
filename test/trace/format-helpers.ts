/** Shared builders for the trace-format tests: deterministic chunks and small traces. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randU32, randUnit } from '../../emulator/util/rng.js';
import {
  encodeFrame,
  tracePreamble,
  TraceWriter,
  type EventColumns,
  type RunChunk,
  type RunTraceHeaderInit,
  type TraceChunk,
  type TraceHeader,
} from '../../emulator/trace/index.js';

const BLOCK = 901; // test-only RNG block id

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aerie-${tag}-`));
}

export const FULL_RUN_HEADER: RunTraceHeaderInit = {
  content: 'run',
  recorded: ['spikes', 'packets', 'probes', 'timing', 'counters'],
  network: { populations: [{ name: 'in', size: 4 }], weights: [1, -2, 3] },
  arch: 'loihi',
  seed: 42,
  dt: 0.001,
  meta: { note: 'test' },
};

/** A run chunk with every record kind, steps [from, from + steps), contents drawn from the RNG. */
export function fullRunChunk(from: number, steps: number, seed: number, spikesPerStep = 3): RunChunk {
  const n = steps * spikesPerStep;
  const step = new Uint32Array(n);
  const neuron = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    step[i] = from + Math.floor(i / spikesPerStep);
    neuron[i] = randU32(seed, BLOCK, from, i);
  }
  const np = n * 2;
  const pstep = new Uint32Array(np);
  const src = new Uint32Array(np);
  const dst = new Uint32Array(np);
  const hops = new Uint16Array(np);
  const lat = new Float64Array(np);
  for (let i = 0; i < np; i++) {
    pstep[i] = from + Math.floor(i / (2 * spikesPerStep));
    src[i] = randU32(seed, BLOCK + 1, from, i) % 128;
    dst[i] = randU32(seed, BLOCK + 2, from, i) % 128;
    hops[i] = randU32(seed, BLOCK + 3, from, i) & 0xffff;
    lat[i] = randUnit(seed, BLOCK + 4, from, i) * 1e6;
  }
  const v = new Int32Array(steps * 5);
  for (let i = 0; i < v.length; i++) v[i] = randU32(seed, BLOCK + 5, from, i) | 0;
  const u = new Int32Array(steps * 2);
  for (let i = 0; i < u.length; i++) u[i] = -(randU32(seed, BLOCK + 6, from, i) >>> 8);
  const tstep = new Uint32Array(steps).map((_, i) => from + i);
  const dur = new Float64Array(steps).map((_, i) => 1000 + randUnit(seed, BLOCK + 7, from, i));
  const counters = new Float64Array(steps * 3).map((_, i) => randU32(seed, BLOCK + 8, from, i) % 1000);
  return {
    kind: 'chunk',
    stepFrom: from,
    stepTo: from + steps,
    spikes: { step, neuron },
    packets: { step: pstep, srcCore: src, dstCore: dst, hops, latencyPs: lat },
    probes: [
      { name: 'v', width: 5, values: v },
      { name: 'u', width: 2, values: u },
    ],
    timing: { step: tstep, durationPs: dur },
    counters: { names: ['core.synop', 'noc.hop_ew', 'sync.barrier'], values: counters },
  };
}

/** An event block of n events on a width × height sensor. */
export function eventBlock(n: number, seed: number, width = 346, height = 260, t0 = 0): EventColumns {
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = t0 + i * 1.5;
    x[i] = randU32(seed, BLOCK + 9, 0, i) % width;
    y[i] = randU32(seed, BLOCK + 10, 0, i) % height;
    p[i] = randU32(seed, BLOCK + 11, 0, i) & 1;
  }
  return { t, x, y, p };
}

/**
 * A small multi-chunk run trace written through TraceWriter to a file, returned as bytes with the
 * byte offsets where each frame starts (header, chunks…, footer) and its end.
 */
export function smallRunTrace(dir: string, chunks = 3, stepsPerChunk = 2): { bytes: Uint8Array; file: string; frameStarts: number[]; chunks: RunChunk[] } {
  const file = path.join(dir, `small-${chunks}-${stepsPerChunk}.aerietrace`);
  const w = TraceWriter.open(file, { content: 'run', recorded: ['spikes', 'packets', 'timing'], seed: 3 }, { force: true });
  const starts = [12];
  const written: RunChunk[] = [];
  for (let c = 0; c < chunks; c++) {
    const full = fullRunChunk(c * stepsPerChunk, stepsPerChunk, 5 + c, 2);
    const chunk: RunChunk = { kind: 'chunk', stepFrom: full.stepFrom, stepTo: full.stepTo, spikes: full.spikes, packets: full.packets, timing: full.timing };
    starts.push(w.bytesWritten);
    w.append(chunk);
    written.push(chunk);
  }
  starts.push(w.bytesWritten);
  w.close();
  const bytes = new Uint8Array(fs.readFileSync(file));
  return { bytes, file, frameStarts: starts, chunks: written };
}

/** Assemble a trace in memory from raw records (no validation: for building bad traces). */
export function assemble(records: unknown[], preamble = tracePreamble()): Uint8Array {
  const frames = records.map((r) => encodeFrame(r).slice());
  const total = preamble.length + frames.reduce((a, f) => a + f.length, 0);
  const out = new Uint8Array(total);
  out.set(preamble, 0);
  let off = preamble.length;
  for (const f of frames) {
    out.set(f, off);
    off += f.length;
  }
  return out;
}

export function runHeaderRecord(recorded: string[] = ['spikes']): TraceHeader {
  return { kind: 'header', format: 'aerie-trace', version: 1, content: 'run', timeUnit: 'step', recorded } as TraceHeader;
}

/** Typed arrays compared by kind and bytes. */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Deep comparison of chunks where every typed array must match byte for byte and by kind. */
export function expectSameChunk(got: TraceChunk, want: TraceChunk): string[] {
  const diffs: string[] = [];
  walk(got, want, 'chunk', diffs);
  return diffs;
}

function walk(a: unknown, b: unknown, p: string, diffs: string[]): void {
  if (ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !sameBytes(a, b)) diffs.push(`${p}: typed array differs`);
    return;
  }
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) {
      diffs.push(`${p}: list differs`);
      return;
    }
    b.forEach((v, i) => walk(a[i], v, `${p}[${i}]`, diffs));
    return;
  }
  if (b !== null && typeof b === 'object') {
    if (a === null || typeof a !== 'object') {
      diffs.push(`${p}: expected a map`);
      return;
    }
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) diffs.push(`${p}: keys ${ka} vs ${kb}`);
    for (const k of kb) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${p}.${k}`, diffs);
    return;
  }
  if (!Object.is(a, b)) diffs.push(`${p}: ${String(a)} vs ${String(b)}`);
}
