/**
 * Trace write and read throughput: a synthetic run of `spikes` spike events (default 10 M) recorded
 * through ChunkedSpikeRecorder into a TraceWriter, then read back chunk by chunk with TraceReader.
 * Spike compartments come from the counter-based RNG, so the file is the same on every run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randU32, RNG_BLOCK } from '../util/rng.js';
import { TraceReader, TraceWriter } from './container.js';
import { ChunkedSpikeRecorder } from './recorder.js';
import type { RunChunk } from './records.js';

export interface TraceBenchOptions {
  /** Spike events to write (default 10 M). */
  spikes?: number;
  /** Spikes per step (default 1000). */
  spikesPerStep?: number;
  /** Steps per chunk (default 100: 100 k spikes, 800 kB per chunk). */
  stepsPerChunk?: number;
  /** Compartments the spikes are drawn from (default 1 M). */
  compartments?: number;
  /** Folder for the temporary trace (default the OS temp folder); the file is removed afterwards. */
  dir?: string;
  seed?: number;
}

export function benchTrace(opts: TraceBenchOptions = {}): Record<string, number | string> {
  const spikes = opts.spikes ?? 10_000_000;
  const perStep = opts.spikesPerStep ?? 1000;
  const stepsPerChunk = opts.stepsPerChunk ?? 100;
  const compartments = opts.compartments ?? 1_000_000;
  const seed = opts.seed ?? 1;
  const steps = Math.ceil(spikes / perStep);
  const dir = fs.mkdtempSync(path.join(opts.dir ?? os.tmpdir(), 'aerie-trace-bench-'));
  const file = path.join(dir, 'bench.aerietrace');
  // Draw the compartments up front so the timing covers the recorder and the writer only.
  const ids = new Uint32Array(perStep);
  try {
    const writer = TraceWriter.open(file, { content: 'run', recorded: ['spikes'], seed }, { force: false });
    const recorder = new ChunkedSpikeRecorder(writer, { stepsPerChunk, spikeCapacity: perStep * stepsPerChunk });
    let drawMs = 0;
    const t0 = performance.now();
    let left = spikes;
    for (let s = 0; s < steps; s++) {
      const n = Math.min(perStep, left);
      const d0 = performance.now();
      for (let i = 0; i < n; i++) ids[i] = randU32(seed, RNG_BLOCK.workload, s, i) % compartments;
      drawMs += performance.now() - d0;
      for (let i = 0; i < n; i++) recorder.recordSpike(s, ids[i]);
      recorder.endStep(s);
      left -= n;
    }
    recorder.finish();
    const summary = writer.close();
    const writeMs = performance.now() - t0 - drawMs;
    const bytes = fs.statSync(file).size;

    const t1 = performance.now();
    const reader = TraceReader.open(file);
    let readSpikes = 0;
    let check = 0;
    for (const c of reader.chunks()) {
      const sp = (c as RunChunk).spikes;
      if (!sp) continue;
      readSpikes += sp.step.length;
      check = (check + sp.neuron[sp.neuron.length - 1]) >>> 0;
    }
    const readMs = performance.now() - t1;
    if (!reader.complete || readSpikes !== spikes) throw new Error(`bench trace read back ${readSpikes} of ${spikes} spikes (complete: ${reader.complete})`);
    return {
      spikes,
      chunks: summary.chunks,
      fileMB: round(bytes / 1e6, 2),
      bytesPerSpike: round(bytes / spikes, 3),
      writeMs: round(writeMs, 1),
      writeEventsPerS: Math.round(spikes / (writeMs / 1000)),
      writeMBPerS: round(bytes / 1e6 / (writeMs / 1000), 1),
      readMs: round(readMs, 1),
      readEventsPerS: Math.round(spikes / (readMs / 1000)),
      readMBPerS: round(bytes / 1e6 / (readMs / 1000), 1),
      checksum: check,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
