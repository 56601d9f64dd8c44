/** Input replay: an event trace drives a network's spike sources, step-binned and mapped from (x, y, p). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare, resolveArch, type Prepared } from '../../emulator/index.js';
import { NetworkBuilder } from '../../emulator/spec/network.js';
import { runInput } from '../../emulator/system/input.js';
import { TraceRecording } from '../../emulator/system/recording.js';
import { writeEventTrace, readEventTrace } from '../../emulator/trace/events.js';
import { InputError } from '../../emulator/errors.js';
import { encodeFrame } from '../../emulator/trace/container.js';
import { runCli, SHARED_DIR } from '../helpers/cli.js';
import { readSpikes, tempDir } from './helpers.js';

const dir = tempDir();
const W = 4;
const H = 3;

/** A camera-fed network: `size` sources, each driving one LIF compartment that fires on every input spike. */
function cameraNet(size: number, hidden = 20): Prepared {
  const b = new NetworkBuilder({ name: 'camera', dt: 1e-3, seed: 1 });
  const cam = b.spikeSource('cam', size, Array.from({ length: size }, () => []));
  const other = b.spikeSource('clock', 2, [[1, 2, 3], [5]]);
  const out = b.lif('out', hidden, { du: 4095, dv: 0, vth: 100 });
  b.project(cam, out, { synapses: Array.from({ length: size }, (_, i) => [i, i % hidden, 200]) });
  b.project(other, out, { synapses: [[0, 0, 1]] });
  return prepare(b.build(), resolveArch('loihi'));
}

/** A synthetic 4×3 recording: t µs, x, y, p (two events on one source within one bin, one out of order). */
const EVENTS: [number, number, number, number][] = [
  [1000, 0, 0, 1],
  [1200, 3, 2, 0],
  [1900, 0, 0, 1], // same source, same 1 ms bin as the first: one spike
  [2500, 1, 1, 1],
  [5000, 2, 0, 0],
  [4100, 3, 1, 1], // out of order: earlier than the previous event's step
  [7999, 1, 2, 1],
];

function writeSynthetic(name: string): string {
  const file = path.join(dir, name);
  const cols = (k: number) => EVENTS.map((e) => e[k]);
  const blocks = [
    { t: Float64Array.from(cols(0).slice(0, 3)), x: Uint16Array.from(cols(1).slice(0, 3)), y: Uint16Array.from(cols(2).slice(0, 3)), p: Uint8Array.from(cols(3).slice(0, 3)) },
    { t: Float64Array.from(cols(0).slice(3)), x: Uint16Array.from(cols(1).slice(3)), y: Uint16Array.from(cols(2).slice(3)), p: Uint8Array.from(cols(3).slice(3)) },
  ];
  writeEventTrace(file, { sensor: { width: W, height: H }, source: { format: 'synthetic', file: 'test' } }, blocks);
  return file;
}

function camSpikes(p: Prepared): string[] {
  const d = p.emulator.probeData().find((x) => x.name === 'cam.spikes')!;
  const out: string[] = [];
  for (let s = 0; s < d.steps; s++) for (let i = 0; i < d.size; i++) if (d.values[s * d.size + i]) out.push(`${s + 1}:${i}`);
  return out;
}

describe('runInput', () => {
  const trace = writeSynthetic('synthetic.trace');

  it('maps (x, y, p) to (p·H + y)·W + x and bins µs into steps of dt, from the first event', () => {
    const p = cameraNet(2 * W * H);
    p.emulator.addProbe({ population: 'cam', variable: 'spikes' }, 10);
    p.emulator.addProbe({ population: 'clock', variable: 'spikes' }, 10);
    const r = runInput(p, trace);
    // last event at 7999 µs: step 1 + floor(6999 / 1000) = 7
    expect(r.steps).toBe(7);
    expect(r.events).toBe(7);
    expect(r.spikes).toBe(6);
    expect(r.late).toBe(1);
    expect(r.binUs).toBe(1000);
    expect(r.originUs).toBe(1000);
    expect(r.incomplete).toBe(false);
    const idx = (x: number, y: number, pol: number) => (pol * H + y) * W + x;
    expect(camSpikes(p).sort()).toEqual(
      [`1:${idx(0, 0, 1)}`, `1:${idx(3, 2, 0)}`, `2:${idx(1, 1, 1)}`, `5:${idx(2, 0, 0)}`, `5:${idx(3, 1, 1)}`, `7:${idx(1, 2, 1)}`].sort(),
    );
    // the other source population sits on the same core and is driven by the stream too (silenced)
    expect(p.emulator.probeData()[1].values.every((v) => v === 0)).toBe(true);
    // the flags are cleared and released after the run
    for (const c of p.emulator.cores) expect(c.externalSpikes).toBeNull();
    // the driven sources make the LIF layer fire
    expect(p.emulator.activity().byPopulation.out['core.spike_out']).toBeGreaterThan(0);
  });

  it('is deterministic, honours --bin-us, a step limit, layouts and an origin', () => {
    const runOnce = (opts: Parameters<typeof runInput>[2]) => {
      const p = cameraNet(2 * W * H);
      p.emulator.addProbe({ population: 'cam', variable: 'spikes' }, 40);
      p.emulator.addProbe({ population: 'out', variable: 'v' }, 40);
      const r = runInput(p, trace, opts);
      return { r, cam: camSpikes(p), v: Array.from(p.emulator.probeData()[1].values) };
    };
    const a = runOnce({});
    expect(runOnce({})).toEqual(a);
    const coarse = runOnce({ binUs: 2500 });
    expect(coarse.r.steps).toBe(3);
    expect(coarse.cam.every((s) => Number(s.split(':')[0]) <= 3)).toBe(true);
    const limited = runOnce({ steps: 4 });
    expect(limited.r.steps).toBe(4);
    expect(limited.r.afterEnd).toBe(1);
    const longer = runOnce({ steps: 12 });
    expect(longer.r.steps).toBe(12);
    const inter = runOnce({ mapping: { layout: 'interleaved' } });
    expect(inter.cam).toContain(`1:${(0 * W + 0) * 2 + 1}`);
    const shifted = runOnce({ originUs: 0 });
    expect(shifted.cam).toContain(`2:${(1 * H + 0) * W + 0}`);
  });

  it('drives a recording: the trace holds the injected spikes at their steps', () => {
    const b = new NetworkBuilder({ name: 'camera', dt: 1e-3, seed: 1 });
    const cam = b.spikeSource('cam', 24, Array.from({ length: 24 }, () => []));
    const out = b.lif('out', 4, { du: 4095, dv: 0, vth: 100 });
    b.project(cam, out, { connect: { p: 0.5, weight: 200, seed: 1 } });
    const netSpec = b.build();
    const q = prepare(netSpec, resolveArch('loihi'));
    const file = path.join(dir, 'driven.trace');
    const rec = new TraceRecording(q, file, 'spikes', { spec: netSpec });
    const r = runInput(q, readEventTrace(trace), { onStep: rec.callback });
    rec.finish();
    const { spikes } = readSpikes(file);
    const camSpikesInTrace = spikes.filter((s) => Number(s.split(':')[1]) < 24);
    expect(camSpikesInTrace.length).toBe(r.spikes);
    expect(spikes.length).toBeGreaterThan(r.spikes);
  });

  it('refuses a population too small for the sensor, a non-source population, and a bad bin', () => {
    const small = cameraNet(10);
    expect(() => runInput(small, trace)).toThrow(/needs 24 sources but 'cam' has 10/);
    const dropped = runInput(small, trace, { mapping: { outside: 'drop', layout: 'merged' } });
    expect(dropped.dropped).toBeGreaterThan(0);
    expect(dropped.spikes + dropped.dropped).toBeLessThanOrEqual(dropped.events);
    expect(() => runInput(cameraNet(24), trace, { mapping: { population: 'out' } })).toThrow(/drives spike-source populations/);
    expect(() => runInput(cameraNet(24), trace, { mapping: { population: 'nope' } })).toThrow(InputError);
    expect(() => runInput(cameraNet(24), trace, { binUs: 0 })).toThrow(/positive number/);
  });

  it('reads the readable prefix of a cut event trace and says it is incomplete', () => {
    const cut = path.join(dir, 'cut-events.trace');
    const bytes = fs.readFileSync(trace);
    const whole = readEventTrace(trace);
    for (const _ of whole.blocks()) {
      /* read to the footer */
    }
    // cut off the footer and the end of the second block
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - encodeFrame(whole.reader.footer).length - 5));
    const p = cameraNet(24);
    const r = runInput(p, cut);
    expect(r.incomplete).toBe(true);
    expect(r.events).toBe(3);
  });
});

const EVENTS_DIR = path.join(SHARED_DIR, 'data', 'events');
const NMNIST = path.join(EVENTS_DIR, 'sample_nmnist.bin');
const AEDAT4 = path.join(EVENTS_DIR, 'sample.aedat4');
const missing = (f: string): boolean => {
  const gone = !fs.existsSync(f);
  if (gone) console.warn(`skipping: ${f} not found (../shared/data/events is not present)`);
  return gone;
};

/** Import with the CLI, then drive a sources → LIF network with the event trace. */
function importAndDrive(src: string, name: string, sources: number, layout: 'polarity-major' | 'merged', binUs: number) {
  const out = path.join(dir, name);
  const imp = runCli(['import', src, '-o', out, '--quiet']);
  expect(imp.stderr).toBe('');
  expect(imp.code).toBe(0);
  const b = new NetworkBuilder({ name: 'driven', dt: 1e-3, seed: 2 });
  const cam = b.spikeSource('cam', sources, []);
  const hidden = b.lif('hidden', 64, { du: 2048, dv: 256, vth: 400 });
  b.project(cam, hidden, { connect: { fan_in: 40, weight: 60, seed: 3 } });
  const p = prepare(b.build(), resolveArch('loihi'));
  const r = runInput(p, out, { binUs, mapping: { layout } });
  return { r, p, header: readEventTrace(out).header };
}

describe('real recordings drive a network end to end', () => {
  it.skipIf(missing(NMNIST))('N-MNIST sample (34×34, both polarities)', () => {
    const { r, p, header } = importAndDrive(NMNIST, 'nmnist.trace', 2 * 34 * 34, 'polarity-major', 5000);
    expect(header.sensor).toEqual({ width: 34, height: 34 });
    expect(r.events).toBe(4325);
    expect(r.steps).toBeGreaterThan(40);
    expect(r.spikes).toBeGreaterThan(1000);
    expect(r.dropped).toBe(0);
    const a = p.emulator.activity();
    expect(a.byPopulation.cam['core.spike_out']).toBe(r.spikes);
    expect(a.byPopulation.hidden['core.spike_out']).toBeGreaterThan(0);
  });

  it.skipIf(missing(AEDAT4))('AEDAT 4 sample (320×240, polarity merged)', () => {
    const { r, p, header } = importAndDrive(AEDAT4, 'aedat4.trace', 320 * 240, 'merged', 20000);
    expect(header.sensor).toEqual({ width: 320, height: 240 });
    expect(r.events).toBe(111954);
    expect(r.spikes).toBeGreaterThan(10000);
    expect(r.steps).toBeGreaterThan(20);
    const a = p.emulator.activity();
    expect(a.byPopulation.cam['core.spike_out']).toBe(r.spikes);
    expect(a.byPopulation.hidden['core.spike_out']).toBeGreaterThan(0);
  });
});
