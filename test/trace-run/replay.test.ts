/** Traffic replay: the recorded spikes re-injected into another mesh / placement / NoC model. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../emulator/index.js';
import { TraceRecording } from '../../emulator/system/recording.js';
import { replaySummary, replayTrace } from '../../emulator/system/replay.js';
import { TraceWriter, encodeFrame, tracePreamble } from '../../emulator/trace/container.js';
import { hashJson } from '../../emulator/trace/hash.js';
import { InputError } from '../../emulator/errors.js';
import { runCli } from '../helpers/cli.js';
import { loihiWithCores, prepareSmall, readSpikes, smallNetwork, tempDir } from './helpers.js';

const dir = tempDir();
const file = path.join(dir, 'run.trace');
const STEPS = 150;
let run: ReturnType<typeof summarize>;

beforeAll(() => {
  const { spec, p } = prepareSmall(loihiWithCores());
  const rec = new TraceRecording(p, file, 'spikes,counters', { spec, stepsPerChunk: 64 });
  p.emulator.run(STEPS, rec.callback);
  run = summarize(p, 0);
  rec.finish({ summary: run });
});

describe('replayTrace', () => {
  it('on the same placement regenerates exactly the run’s packets and synaptic ops', () => {
    const r = replayTrace(file, { arch: loihiWithCores() });
    const s = replaySummary(r, 0);
    expect(s.steps).toBe(STEPS);
    expect(s.spikes).toBe(run.spikes);
    expect(s.packets).toBe(run.packets);
    expect(s.synaptic_events).toBe(run.synaptic_events);
    expect(s.compartment_updates).toBe(run.compartment_updates);
    expect(s.compartment_updates_active).toBe(run.compartment_updates_active);
    for (const [name, pop] of Object.entries(run.populations)) expect(s.populations[name].spikes).toBe(pop.spikes);
    expect(r.assumptions.join(' ')).toMatch(/per-step active fraction/);
  });

  it('on a different mesh (smaller cores, two chips) gives the same spikes with a different latency', () => {
    const same = replayTrace(file, { arch: loihiWithCores() });
    const other = replayTrace(file, { arch: loihiWithCores(16, [2, 1]), placement: 'mesh' });
    expect(other.placement.cores.length).toBeGreaterThan(same.placement.cores.length);
    expect(other.spikes).toBe(same.spikes);
    expect(Array.from(other.activity.spikesPerStep)).toEqual(Array.from(same.activity.spikesPerStep));
    // per population spike counts are placement-independent
    for (const pop of Object.keys(same.activity.byPopulation)) expect(other.activity.byPopulation[pop]['core.spike_out']).toBe(same.activity.byPopulation[pop]['core.spike_out']);
    // more cores: more packets (fan-out per destination core), hops on the mesh, another step latency
    expect(other.packets).toBeGreaterThan(same.packets);
    expect(other.activity.totals['noc.hop_ew'] ?? 0).toBeGreaterThan(0);
    expect(other.latency.mean).toBeGreaterThan(same.latency.mean);
    const a = replaySummary(same, 0);
    const b = replaySummary(other, 0);
    expect(b.emulated_time_ps).not.toBe(a.emulated_time_ps);
    // synaptic ops are the same work wherever the synapses live
    expect(b.synaptic_events).toBe(a.synaptic_events);
  });

  it('the cycle-level NoC routes the same packets (same counts, its own latency), deterministically', () => {
    const arch = loihiWithCores(16);
    const an = replayTrace(file, { arch, noc: 'analytic' });
    const cy = replayTrace(file, { arch, noc: 'cycle' });
    const cy2 = replayTrace(file, { arch, noc: 'cycle' });
    expect(cy.packets).toBe(an.packets);
    expect(cy.activity.totals['core.synop']).toBe(an.activity.totals['core.synop']);
    expect(cy.latency.count).toBe(cy.packets);
    expect(Array.from(cy.activity.stepDurationPs)).toEqual(Array.from(cy2.activity.stepDurationPs));
  });

  it('refuses a trace whose network does not match its hash, one without spikes, and an event trace', () => {
    const spec = smallNetwork();
    const other = smallNetwork(9);
    const header = { kind: 'header', format: 'aerie-trace', version: 1, content: 'run', timeUnit: 'step', recorded: ['spikes'], network: spec, networkHash: hashJson(other) };
    const bad = path.join(dir, 'mismatch.trace');
    fs.writeFileSync(bad, Buffer.concat([tracePreamble(), encodeFrame(header)]));
    expect(() => replayTrace(bad, { arch: loihiWithCores() })).toThrow(/does not match the trace's network hash/);

    const empty = path.join(dir, 'empty.trace');
    const w = TraceWriter.open(empty, { content: 'run', recorded: ['spikes'], network: spec });
    w.append({ kind: 'chunk', stepFrom: 1, stepTo: 11, spikes: { step: new Uint32Array(0), neuron: new Uint32Array(0) } });
    w.close();
    expect(() => replayTrace(empty, { arch: loihiWithCores() })).toThrow(/no spikes/);

    const noNet = path.join(dir, 'nonet.trace');
    TraceWriter.open(noNet, { content: 'run', recorded: ['spikes'] }).close();
    expect(() => replayTrace(noNet, { arch: loihiWithCores() })).toThrow(InputError);

    const ev = path.join(dir, 'events.trace');
    TraceWriter.open(ev, { sensor: { width: 2, height: 2 }, source: { format: 'test', file: 'x' } }).close();
    expect(() => replayTrace(ev, { arch: loihiWithCores() })).toThrow(/expected a recorded run/);
  });

  it('refuses a spike of a compartment the network does not have', () => {
    const spec = smallNetwork();
    const f = path.join(dir, 'outside.trace');
    const w = TraceWriter.open(f, { content: 'run', recorded: ['spikes'], network: spec });
    w.append({ kind: 'chunk', stepFrom: 1, stepTo: 2, spikes: { step: Uint32Array.of(1), neuron: Uint32Array.of(100000) } });
    w.close();
    expect(() => replayTrace(f, { arch: loihiWithCores() })).toThrow(/network has 220 compartments/);
  });

  it('a trace cut off mid-run replays its readable prefix and says so', () => {
    const cut = path.join(dir, 'cut.trace');
    const bytes = fs.readFileSync(file);
    const whole = readSpikes(file).reader;
    // cut off the footer and the last few bytes of the last chunk (steps 129..150)
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - encodeFrame(whole.footer).length - 5));
    const r = replayTrace(cut, { arch: loihiWithCores() });
    expect(r.incomplete).toBe(true);
    expect(r.activity.steps).toBe(128);
    expect(readSpikes(cut).reader.complete).toBe(false);
  });
});

describe('aerie replay', () => {
  it('prints the summary (JSON) and writes a report', () => {
    const report = path.join(dir, 'replay.json');
    const r = runCli(['replay', file, '--arch', 'loihi', '--chips', '2x1', '--placement', 'traffic', '--json', '--report', report]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.schema).toBe('aerie-run/1');
    expect(s.spikes).toBe(run.spikes);
    expect(s.replay.placement).toBe('traffic');
    const rep = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(rep.summary ?? rep).toBeTruthy();
    expect(JSON.stringify(rep)).toMatch(/core\.synop/);
  });
});
