/** tools/run-trace.ts: what `aerie run --trace/--record/--input/--bin-us` calls. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare, resolveArch, summarize } from '../../emulator/index.js';
import { NetworkBuilder } from '../../emulator/spec/network.js';
import { writeEventTrace } from '../../emulator/trace/events.js';
import { TraceReader } from '../../emulator/trace/container.js';
import type { RunTraceHeader } from '../../emulator/trace/records.js';
import { checkTraceArgs, formatInput, runTraced, startTrace } from '../../tools/run-trace.js';
import { UsageError } from '../../tools/cli-support.js';
import { readSpikes, tempDir } from './helpers.js';

const dir = tempDir();

function net() {
  const b = new NetworkBuilder({ name: 'rt', seed: 4 });
  const cam = b.spikeSource('cam', 8, Array.from({ length: 8 }, () => []));
  const out = b.lif('out', 4, { du: 4095, dv: 0, vth: 100 });
  b.project(cam, out, { synapses: Array.from({ length: 8 }, (_, i) => [i, i % 4, 200]) });
  return b.build();
}

const events = path.join(dir, 'ev.trace');
writeEventTrace(events, { sensor: { width: 2, height: 2 }, source: { format: 'synthetic', file: 't' } }, [
  { t: Float64Array.of(0, 1500, 3000, 9000), x: Uint16Array.of(0, 1, 1, 0), y: Uint16Array.of(0, 0, 1, 1), p: Uint8Array.of(1, 0, 1, 0) },
]);

describe('runTraced', () => {
  it('--input with --trace --record: runs exactly --steps steps and records what the input drove', () => {
    const spec = net();
    const p = prepare(spec, resolveArch('loihi'));
    const trace = path.join(dir, 'rt.trace');
    const steps: number[] = [];
    const t = runTraced(p, spec, { trace, record: 'spikes,packets', input: events, 'bin-us': 1000, steps: 20, force: false }, 'net.yaml', (s) => steps.push(s));
    const done = t.finish(summarize(p, 0));
    expect(done.trace?.chunks).toBe(1);
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(done.input!.spikes).toBe(4);
    expect(formatInput(done.input!)).toMatch(/4 events → 4 spikes into 'cam'/);
    for (const c of p.emulator.cores) expect(c.externalSpikes).toBeNull();
    const { spikes, reader } = readSpikes(trace);
    expect(reader.complete).toBe(true);
    expect((reader.header as RunTraceHeader).recorded).toEqual(['spikes', 'packets', 'timing']);
    expect((reader.header as RunTraceHeader).networkPath).toBe('net.yaml');
    // sensor (x, y, p) → (p·2 + y)·2 + x: events at steps 1, 2, 4, 10
    expect(spikes.filter((s) => Number(s.split(':')[1]) < 8)).toEqual(['1:4', '2:1', '4:7', '10:2']);
  });

  it('startTrace works with any step loop (chunks of steps, as executeRun runs them): the same trace', () => {
    const spec = net();
    const p = prepare(spec, resolveArch('loihi'));
    const trace = path.join(dir, 'chunked.trace');
    const session = startTrace(p, spec, { trace, input: events, 'bin-us': 1000, steps: 20, force: false });
    for (let done = 0; done < 20; done += 3) p.emulator.run(Math.min(3, 20 - done), session.onStep);
    const done = session.finish({});
    expect(done.input!.spikes).toBe(4);
    expect(readSpikes(trace).spikes).toEqual(readSpikes(path.join(dir, 'rt.trace')).spikes);
  });

  it('without --input runs the emulator for --steps; without --trace records nothing', () => {
    const spec = net();
    const p = prepare(spec, resolveArch('loihi'));
    const t = runTraced(p, spec, { steps: 7, force: false });
    expect(p.emulator.stepsDone).toBe(7);
    expect(t.finish({})).toEqual({ input: undefined, trace: undefined });
  });

  it('a failure mid-run leaves the trace as a readable, incomplete prefix', () => {
    const spec = net();
    const p = prepare(spec, resolveArch('loihi'));
    const trace = path.join(dir, 'failed.trace');
    expect(() =>
      runTraced(p, spec, { trace, steps: 50, force: false }, undefined, (s) => {
        if (s === 30) throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    const r = TraceReader.open(trace);
    r.scan();
    expect(r.complete).toBe(false);
    expect(fs.existsSync(trace)).toBe(true);
  });

  it('refuses option combinations that make no sense', () => {
    const base = { steps: 10, force: false };
    expect(() => checkTraceArgs({ ...base, record: 'packets' })).toThrow(UsageError);
    expect(() => checkTraceArgs({ ...base, 'bin-us': 100 })).toThrow(/--bin-us needs --input/);
    expect(() => checkTraceArgs({ ...base, input: 'a', 'bin-us': -1 })).toThrow(/positive/);
    expect(() => checkTraceArgs({ ...base, input: 'a', trace: 'a' })).toThrow(/same file/);
    expect(() => checkTraceArgs({ ...base, input: 'a', trace: 'b', record: 'spikes' })).not.toThrow();
  });
});
