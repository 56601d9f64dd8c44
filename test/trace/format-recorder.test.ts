import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randU32 } from '../../emulator/util/rng.js';
import { ChunkedSpikeRecorder, TraceReader, TraceWriter, RECORDER_PARAMS, type RunChunk } from '../../emulator/trace/index.js';
import { tmpDir } from './format-helpers.js';

const dir = tmpDir('trace-recorder');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sink that keeps the chunks (the recorder hands each one over; it never reuses them). */
function collector(): { chunks: RunChunk[]; append(c: RunChunk): void } {
  const chunks: RunChunk[] = [];
  return { chunks, append: (c) => chunks.push(c) };
}

describe('ChunkedSpikeRecorder', () => {
  it('flushes one chunk per window of steps, and the partial last window on finish', () => {
    const sink = collector();
    const r = new ChunkedSpikeRecorder(sink, { stepsPerChunk: 4, firstStep: 10 });
    expect(r.recorded).toEqual(['spikes']);
    for (let s = 10; s < 21; s++) {
      for (let k = 0; k < s % 3; k++) r.recordSpike(s, s * 100 + k);
      r.endStep(s);
    }
    expect(sink.chunks.map((c) => [c.stepFrom, c.stepTo])).toEqual([
      [10, 14],
      [14, 18],
    ]);
    r.finish();
    expect(sink.chunks.map((c) => [c.stepFrom, c.stepTo])).toEqual([
      [10, 14],
      [14, 18],
      [18, 21],
    ]);
    const all = sink.chunks.flatMap((c) => Array.from(c.spikes!.neuron));
    const want: number[] = [];
    for (let s = 10; s < 21; s++) for (let k = 0; k < s % 3; k++) want.push(s * 100 + k);
    expect(all).toEqual(want);
    expect(r.spikesRecorded).toBe(want.length);
    expect(r.chunksWritten).toBe(3);
    r.finish(); // nothing left: no empty extra chunk
    expect(sink.chunks.length).toBe(3);
  });

  it('grows past its initial capacity without losing spikes, and batches a step at once', () => {
    const sink = collector();
    const r = new ChunkedSpikeRecorder(sink, { stepsPerChunk: 3, spikeCapacity: 2 });
    const batch = new Uint32Array(50).map((_, i) => i * 3);
    for (let s = 0; s < 6; s++) {
      r.recordSpikes(s, batch, 10 + s);
      r.recordSpike(s, 999);
      r.endStep(s);
    }
    r.finish();
    expect(sink.chunks.length).toBe(2);
    const c0 = sink.chunks[0].spikes!;
    expect(c0.step.length).toBe(11 + 12 + 13);
    expect(Array.from(c0.step.subarray(0, 11))).toEqual(Array(11).fill(0));
    expect(Array.from(c0.neuron.subarray(0, 11))).toEqual([...Array.from(batch.subarray(0, 10)), 999]);
    expect(sink.chunks[1].spikes!.step[0]).toBe(3);
  });

  it('records packets, probes, timing and counters aligned with the steps', () => {
    const sink = collector();
    const r = new ChunkedSpikeRecorder(sink, {
      stepsPerChunk: 2,
      packets: true,
      packetCapacity: 1,
      timing: true,
      counters: ['core.synop', 'noc.flit'],
      probes: [
        { name: 'v', width: 3 },
        { name: 'u', width: 1 },
      ],
    });
    expect(r.recorded).toEqual(['spikes', 'packets', 'probes', 'timing', 'counters']);
    for (let s = 0; s < 3; s++) {
      r.recordSpike(s, s);
      r.recordPacket(s, s, s + 1, s + 2, 1000.5 * s);
      r.recordPacket(s, 7, 8, 9, 1);
      r.recordProbe(0, s, [s, -s, 2 * s]);
      if (s !== 1) r.recordProbe(1, s, [100 + s]);
      r.endStep(s, 5000 + s, [s * 10, s * 20]);
    }
    r.finish();
    const [a, b] = sink.chunks;
    expect(a.packets!.srcCore).toEqual(new Uint32Array([0, 7, 1, 7]));
    expect(a.packets!.latencyPs).toEqual(new Float64Array([0, 1, 1000.5, 1]));
    expect(a.probes).toEqual([
      { name: 'v', width: 3, values: new Int32Array([0, 0, 0, 1, -1, 2]) },
      { name: 'u', width: 1, values: new Int32Array([100, 0]) }, // step 1 not sampled: row left at 0
    ]);
    expect(a.timing).toEqual({ step: new Uint32Array([0, 1]), durationPs: new Float64Array([5000, 5001]) });
    expect(a.counters).toEqual({ names: ['core.synop', 'noc.flit'], values: new Float64Array([0, 0, 10, 20]) });
    expect([b.stepFrom, b.stepTo]).toEqual([2, 3]);
    expect(b.probes![0].values).toEqual(new Int32Array([2, -2, 4]));
    expect(b.probes![1].values).toEqual(new Int32Array([102]));
    expect(b.counters!.values).toEqual(new Float64Array([20, 40]));
    expect(r.packetsRecorded).toBe(6);
  });

  it('refuses out-of-order steps and missing per-step data', () => {
    const r = new ChunkedSpikeRecorder(collector(), { stepsPerChunk: 4, timing: true, counters: ['a'] });
    r.recordSpike(2, 1);
    expect(() => r.recordSpike(1, 1)).toThrow(/in order/);
    expect(() => r.recordSpike(4, 1)).toThrow(/window 0..3/);
    expect(() => r.recordSpike(NaN, 1)).toThrow(/in order/);
    expect(() => r.endStep(2)).toThrow(/duration/);
    expect(() => r.endStep(2, 1, [])).toThrow(/expected 1 counter values/);
    expect(() => r.recordPacket(2, 0, 0, 0, 0)).toThrow(/without packets/);
    expect(() => r.recordProbe(0, 2, [])).toThrow(/no probe number 0/);
    expect(() => new ChunkedSpikeRecorder(collector(), { stepsPerChunk: 0 })).toThrow(/positive integer/);
    expect(RECORDER_PARAMS.stepsPerChunk.source).toMatch(/assumption/);
  });

  it('drives a TraceWriter end to end: the file holds every spike in order', () => {
    const file = path.join(dir, 'recorded.aerietrace');
    const opts = { stepsPerChunk: 16, timing: true, packets: true };
    const w = TraceWriter.open(file, { content: 'run', recorded: new ChunkedSpikeRecorder(collector(), opts).recorded, seed: 9 });
    const r = new ChunkedSpikeRecorder(w, opts);
    let expected = 0;
    let sum = 0;
    for (let s = 0; s < 100; s++) {
      const n = randU32(9, 900, s, 0) % 20;
      for (let i = 0; i < n; i++) {
        const id = randU32(9, 900, s, i + 1) % 1000;
        r.recordSpike(s, id);
        r.recordPacket(s, id % 16, (id + 1) % 16, id % 7, id * 10);
        sum += id;
      }
      expected += n;
      r.endStep(s, 1e6 + s);
    }
    r.finish();
    const summary = w.close();
    expect(summary.totals).toEqual({ spikes: expected, packets: expected, steps: 100 });
    const rd = TraceReader.open(file);
    let got = 0;
    let gotSum = 0;
    let steps = 0;
    for (const c of rd.chunks()) {
      const rc = c as RunChunk;
      got += rc.spikes!.neuron.length;
      for (const v of rc.spikes!.neuron) gotSum += v;
      steps += rc.timing!.step.length;
    }
    expect(rd.complete).toBe(true);
    expect([got, gotSum, steps]).toEqual([expected, sum, 100]);
  });
});
