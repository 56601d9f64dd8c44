/** Shared set-up of the trace-run tests: a small seeded network, temporary folders, reading traces back. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { archFromSpec, presetArch, prepare, type Arch, type NetworkSpec, type Prepared } from '../../emulator/index.js';
import { NetworkBuilder } from '../../emulator/spec/network.js';
import { TraceReader } from '../../emulator/trace/container.js';
import type { RunChunk } from '../../emulator/trace/records.js';

/** A temporary folder removed after the file's tests. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-trace-run-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** 60 Poisson inputs → 120 excitatory LIF (recurrent, with delays) → 40 inhibitory LIF: busy, seeded. */
export function smallNetwork(seed = 3): NetworkSpec {
  const b = new NetworkBuilder({ name: 'trace-run-net', dt: 1e-3, seed });
  const input = b.poissonSource('input', 60, 80, 21);
  const exc = b.lif('exc', 120, { du: 410, dv: 205, vth: 1500, refractory: 1 });
  const inh = b.lif('inh', 40, { du: 410, dv: 205, vth: 1500, refractory: 1 });
  b.project(input, exc, { connect: { p: 0.2, weight: { min: 40, max: 120 }, seed: 1 } });
  b.project(exc, exc, { connect: { p: 0.05, weight: { min: 5, max: 40 }, seed: 2 }, delay: 1 });
  b.project(exc, inh, { connect: { p: 0.1, weight: 30, seed: 3 } });
  b.project(inh, exc, { connect: { p: 0.1, weight: -40, seed: 4 } });
  return b.build();
}

/** The loihi preset with `compartments` per core (smaller cores spread a network over more cores). */
export function loihiWithCores(compartments?: number, chips?: [number, number]): Arch {
  const s = presetArch('loihi');
  if (compartments) s.values['core.compartments'] = compartments;
  if (chips) {
    s.values['board.chips_x'] = chips[0];
    s.values['board.chips_y'] = chips[1];
  }
  return archFromSpec(s);
}

export function prepareSmall(arch: Arch = loihiWithCores(), seed?: number): { spec: NetworkSpec; p: Prepared } {
  const spec = smallNetwork(seed);
  return { spec, p: prepare(spec, arch) };
}

/** Every spike of a run trace as "step:neuron" strings, in file order, plus the chunks' step ranges. */
export function readSpikes(file: string): { spikes: string[]; ranges: [number, number][]; reader: TraceReader } {
  const reader = TraceReader.open(file);
  const spikes: string[] = [];
  const ranges: [number, number][] = [];
  for (const c of reader.chunks()) {
    const rc = c as RunChunk;
    ranges.push([rc.stepFrom, rc.stepTo]);
    for (let i = 0; i < rc.spikes!.step.length; i++) spikes.push(`${rc.spikes!.step[i]}:${rc.spikes!.neuron[i]}`);
  }
  return { spikes, ranges, reader };
}
