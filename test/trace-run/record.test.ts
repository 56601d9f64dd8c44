/** Recording a run: spikes, packets, probes, counters, timing and the footer read back as the run made them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../emulator/index.js';
import { TraceRecording, parseRecordList, loadRecordedActivity, stepDurationPs, STEP_COUNTERS } from '../../emulator/system/recording.js';
import { RunStreams, type StepReport } from '../../emulator/system/streams.js';
import { TraceReader } from '../../emulator/trace/container.js';
import { hashJson } from '../../emulator/trace/hash.js';
import type { RunChunk, RunTraceHeader } from '../../emulator/trace/records.js';
import { InputError } from '../../emulator/errors.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { loihiWithCores, prepareSmall, readSpikes, smallNetwork, tempDir } from './helpers.js';

const dir = tempDir();
const STEPS = 120;

describe('TraceRecording', () => {
  it('records the spikes the run probes, step by step, with header, timing and footer', () => {
    const { spec, p } = prepareSmall(loihiWithCores(64));
    for (const pop of ['input', 'exc', 'inh']) p.emulator.addProbe({ population: pop, variable: 'spikes' }, STEPS);
    const file = path.join(dir, 'spikes.trace');
    const rec = new TraceRecording(p, file, 'spikes', { spec, networkPath: 'net.yaml', stepsPerChunk: 25 });
    p.emulator.run(STEPS, rec.callback);
    const w = rec.finish({ summary: summarize(p, 0) });
    expect(w.chunks).toBe(Math.ceil(STEPS / 25));

    // the probes as "step:global index", in the engine's order within a step (sorted here)
    const expected: string[] = [];
    for (const d of p.emulator.probeData()) {
      const pop = p.net.population(d.name.split('.')[0]);
      for (let s = 0; s < d.steps; s++) for (let i = 0; i < d.size; i++) if (d.values[s * d.size + i]) expected.push(`${s + 1}:${pop.offset + i}`);
    }
    const { spikes, ranges, reader } = readSpikes(file);
    expect(expected.length).toBeGreaterThan(500);
    expect([...spikes].sort()).toEqual([...expected].sort());
    expect(ranges[0]).toEqual([1, 26]);
    expect(ranges.at(-1)![1]).toBe(STEPS + 1);
    expect(reader.complete).toBe(true);

    const h = reader.header as RunTraceHeader;
    expect(h.recorded).toEqual(['spikes', 'timing']);
    expect(h.network).toEqual(spec);
    expect(h.networkHash).toBe(hashJson(spec));
    expect(h.networkPath).toBe('net.yaml');
    expect(h.seed).toBe(3);
    expect(h.dt).toBe(1e-3);
    expect((h.arch as { values: Record<string, number> }).values['core.compartments']).toBe(64);

    // footer: the run's activity and summary; the per-step timing equals the engine's
    const footer = reader.footer!;
    const a = p.emulator.activity();
    expect((footer.activity as { totals: unknown }).totals).toEqual(a.totals);
    expect((footer.summary as { spikes: number }).spikes).toBe(p.emulator.spikes);
    expect(footer.totals.spikes).toBe(p.emulator.spikes);
    const back = loadRecordedActivity(file);
    expect(Array.from(back.activity.stepDurationPs)).toEqual(Array.from(a.stepDurationPs));
    expect(Array.from(back.activity.spikesPerStep)).toEqual(Array.from(a.spikesPerStep));
    expect(stepDurationPs(p.emulator, 7)).toBe(a.stepDurationPs[6]);
  });

  it('records packets (latency = arrive − inject), probe rows and per-step counters', () => {
    const { spec, p } = prepareSmall(loihiWithCores(64));
    p.emulator.addProbe({ population: 'exc', variable: 'v' }, 40);
    const file = path.join(dir, 'all.trace');
    const rec = new TraceRecording(p, file, 'spikes,packets,probes,counters', { spec, stepsPerChunk: 16 });
    const perStep: { packets: number[]; latency: number[] }[] = [];
    p.emulator.run(40, (s) => {
      rec.onStep(s);
      const b = p.emulator.batch;
      perStep.push({ packets: Array.from(b.dstCore.subarray(0, b.count)), latency: Array.from(b.arrivePs.subarray(0, b.count), (t, i) => t - b.injectPs[i]) });
    });
    rec.finish();
    const r = TraceReader.open(file);
    expect((r.header as RunTraceHeader).recorded).toEqual(['spikes', 'packets', 'probes', 'timing', 'counters']);
    const v = p.emulator.probeData()[0];
    const dst: number[][] = perStep.map(() => []);
    const totals = new Float64Array(STEP_COUNTERS.length);
    for (const c of r.chunks()) {
      const rc = c as RunChunk;
      for (let i = 0; i < rc.packets!.step.length; i++) dst[rc.packets!.step[i] - 1].push(rc.packets!.dstCore[i]);
      for (let i = 0; i < rc.packets!.step.length; i++) expect(rc.packets!.latencyPs[i]).toBe(perStep[rc.packets!.step[i] - 1].latency.shift());
      const pr = rc.probes![0];
      expect(pr.name).toBe('exc.v');
      expect(Array.from(pr.values)).toEqual(Array.from(v.values.subarray((rc.stepFrom - 1) * 120, (rc.stepTo - 1) * 120)));
      for (let k = 0; k < rc.counters!.values.length; k++) totals[k % STEP_COUNTERS.length] += rc.counters!.values[k];
    }
    expect(dst).toEqual(perStep.map((s) => s.packets));
    const a = p.emulator.activity().totals;
    STEP_COUNTERS.forEach((name, k) => expect(totals[k], name).toBe(a[name] ?? 0));
    expect(totals[STEP_COUNTERS.indexOf('core.compartment_active')] + totals[STEP_COUNTERS.indexOf('core.compartment_inactive')]).toBe(160 * 40);
  });

  it('the same seed gives a byte-identical trace; another seed a different one', () => {
    const make = (name: string, seed: number): Buffer => {
      const { spec, p } = prepareSmall(undefined, seed);
      const file = path.join(dir, name);
      const rec = new TraceRecording(p, file, ['spikes', 'packets'], { spec });
      p.emulator.run(50, rec.callback);
      rec.finish();
      return fs.readFileSync(file);
    };
    const first = make('d1.trace', 5);
    expect(first.equals(make('d2.trace', 5))).toBe(true);
    expect(make('d3.trace', 6).equals(first)).toBe(false);
  });

  it('refuses unknown record kinds, probes without a probe, and an existing file without force', () => {
    expect(parseRecordList(undefined)).toEqual(['spikes']);
    expect(parseRecordList('packets, counters')).toEqual(['spikes', 'packets', 'counters']);
    expect(() => parseRecordList('spikes,packet')).toThrow(InputError);
    const { spec, p } = prepareSmall();
    expect(() => new TraceRecording(p, path.join(dir, 'np.trace'), 'probes', { spec })).toThrow(/needs at least one --probe/);
    expect(fs.existsSync(path.join(dir, 'np.trace'))).toBe(false);
    fs.writeFileSync(path.join(dir, 'exists.trace'), 'x');
    expect(() => new TraceRecording(p, path.join(dir, 'exists.trace'), 'spikes', { spec })).toThrow(InputError);
    expect(fs.readFileSync(path.join(dir, 'exists.trace'), 'utf8')).toBe('x');
  });

  it('a recording killed mid-run leaves a readable prefix of whole chunks', () => {
    const file = path.join(dir, 'killed.trace');
    const script = `
      import { prepare } from './emulator/index.js';
      import { TraceRecording } from './emulator/system/recording.js';
      import { NetworkBuilder } from './emulator/spec/network.js';
      const b = new NetworkBuilder({ name: 'k', seed: 1 });
      const src = b.poissonSource('input', 50, 200, 4);
      const exc = b.lif('exc', 50, { du: 410, dv: 205, vth: 800 });
      b.project(src, exc, { connect: { p: 0.3, weight: 100, seed: 1 } });
      const spec = b.build();
      const p = prepare(spec, (await import('./emulator/index.js')).resolveArch('loihi'));
      const rec = new TraceRecording(p, ${JSON.stringify(file)}, 'spikes,packets', { spec, stepsPerChunk: 10 });
      p.emulator.run(1000, (s) => { rec.onStep(s); if (s === 57) process.kill(process.pid, 'SIGKILL'); });
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const { spikes, ranges, reader } = readSpikes(file);
    expect(reader.complete).toBe(false);
    expect(reader.truncatedReason).toMatch(/ends before the footer/);
    expect(ranges).toEqual([1, 11, 21, 31, 41].map((s) => [s, s + 10]));
    expect(spikes.length).toBeGreaterThan(0);
    // the incomplete trace is refused by the report (its totals were never written) with the reason
    expect(() => loadRecordedActivity(file)).toThrow(/incomplete/);
  });
});

describe('RunStreams', () => {
  it('emits one batch per step, only while subscribed, matching the engine', () => {
    const { p } = prepareSmall();
    const streams = new RunStreams(p.emulator);
    const seen: number[][] = [];
    const reports: StepReport[] = [];
    p.emulator.run(5, streams.callback); // nobody listens: nothing emitted
    const a = streams.spikes$.subscribe((b) => seen.push([b.step, ...b.neurons]));
    const b = streams.steps$.subscribe((r) => reports.push({ ...r }));
    p.emulator.run(10, (s) => {
      streams.emit(s);
      expect(seen.at(-1)).toEqual([s, ...p.emulator.stepSpikes.subarray(0, p.emulator.stepSpikeCount)]);
    });
    a.unsubscribe();
    p.emulator.run(3, streams.callback);
    b.unsubscribe();
    streams.complete();
    expect(seen.map((x) => x[0])).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(reports.map((r) => r.step)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const act = p.emulator.activity();
    for (const r of reports) {
      expect(r.durationPs).toBe(act.stepDurationPs[r.step - 1]);
      expect(r.spikes).toBe(act.spikesPerStep[r.step - 1]);
    }
    expect(reports.reduce((n, r) => n + r.spikes, 0)).toBeGreaterThan(0);
    expect(smallNetwork().name).toBe('trace-run-net');
  });

  it('probes$ emits each step’s probe rows', () => {
    const { p } = prepareSmall();
    p.emulator.addProbe({ population: 'exc', variable: 'v' }, 12);
    p.emulator.addProbe({ population: 'inh', variable: 'spikes' }, 12);
    const streams = new RunStreams(p.emulator);
    const rows: { step: number; v: number[]; s: number[] }[] = [];
    const sub = streams.probes$.subscribe((b) => rows.push({ step: b.step, v: Array.from(b.rows[0].values), s: Array.from(b.rows[1].values) }));
    p.emulator.run(12, streams.callback);
    sub.unsubscribe();
    const [v, s] = p.emulator.probeData();
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const r of rows) {
      expect(r.v).toEqual(Array.from(v.values.subarray((r.step - 1) * 120, r.step * 120)));
      expect(r.s).toEqual(Array.from(s.values.subarray((r.step - 1) * 40, r.step * 40)));
    }
    expect(rows.some((r) => r.v.some((x) => x !== 0))).toBe(true);
  });
});
