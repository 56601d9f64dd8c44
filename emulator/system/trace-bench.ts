/**
 * Benchmark of the run-trace paths: recording overhead on the built-in example network (steps/s
 * without and with `--trace --record spikes,packets,counters`), traffic replay speed (steps/s and
 * packets/s, analytic NoC, smaller cores so packets cross the mesh) and input replay speed
 * (events/s driving a 2 × 34 × 34 source population from a synthetic event trace).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNetworkFile } from '../spec/network.js';
import { archFromSpec, presetArch } from '../spec/arch.js';
import { compileNetwork } from '../spec/compile.js';
import { placeNetwork } from '../mapping/index.js';
import { NetworkBuilder } from '../spec/network.js';
import { randU32, RNG_BLOCK } from '../util/rng.js';
import { writeEventTrace } from '../trace/events.js';
import type { NetworkSpec } from '../spec/network.js';
import type { Arch } from '../spec/arch.js';
import { Emulator } from './emulator.js';
import { TraceRecording } from './recording.js';
import { replayTrace } from './replay.js';
import { runInput } from './input.js';

export interface TraceRunBenchOptions {
  /** Network file (default: firmware-models/examples/ei-network.yaml under `root`). */
  network?: string;
  /** Package root (default: the current folder). */
  root?: string;
  steps?: number;
  /** Events of the synthetic input trace (default 1 M). */
  events?: number;
  dir?: string;
}

function prep(spec: NetworkSpec, arch: Arch) {
  const net = compileNetwork(spec);
  const placement = placeNetwork(net, arch, 'mesh');
  return { net, arch, placement, emulator: new Emulator(net, arch, placement) };
}

export function benchTraceRun(opts: TraceRunBenchOptions = {}): Record<string, number | string> {
  const steps = opts.steps ?? 2000;
  const file = opts.network ?? path.join(opts.root ?? process.cwd(), 'firmware-models', 'examples', 'ei-network.yaml');
  const spec = loadNetworkFile(file);
  const arch = archFromSpec(presetArch('loihi'));
  const dir = fs.mkdtempSync(path.join(opts.dir ?? os.tmpdir(), 'aerie-trace-run-bench-'));
  try {
    const plain = prep(spec, arch);
    let t0 = performance.now();
    plain.emulator.run(steps);
    const plainS = (performance.now() - t0) / 1e3;

    const rec = prep(spec, arch);
    const trace = path.join(dir, 'run.trace');
    t0 = performance.now();
    const r = new TraceRecording(rec, trace, 'spikes,packets,counters', { spec });
    rec.emulator.run(steps, r.callback);
    const w = r.finish();
    const recS = (performance.now() - t0) / 1e3;

    const small = presetArch('loihi');
    small.values['core.compartments'] = 64;
    t0 = performance.now();
    const rp = replayTrace(trace, { arch: archFromSpec(small) });
    const replayS = (performance.now() - t0) / 1e3;

    // input replay: uniform random events on a 34 × 34 sensor, 1 event per µs
    const nEvents = opts.events ?? 1_000_000;
    const block = 1 << 16;
    const blocks = function* () {
      for (let from = 0; from < nEvents; from += block) {
        const n = Math.min(block, nEvents - from);
        const t = new Float64Array(n);
        const x = new Uint16Array(n);
        const y = new Uint16Array(n);
        const p = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const u = randU32(1, RNG_BLOCK.workload, from + i, 0);
          t[i] = from + i;
          x[i] = u % 34;
          y[i] = (u >>> 8) % 34;
          p[i] = (u >>> 16) & 1;
        }
        yield { t, x, y, p };
      }
    };
    const events = path.join(dir, 'events.trace');
    writeEventTrace(events, { sensor: { width: 34, height: 34 }, source: { format: 'synthetic', file: 'bench' } }, blocks());
    const b = new NetworkBuilder({ name: 'bench-input', seed: 1 });
    const cam = b.spikeSource('cam', 2312, []);
    const hidden = b.lif('hidden', 256, { du: 2048, dv: 256, vth: 400 });
    b.project(cam, hidden, { connect: { fan_in: 40, weight: 20, seed: 3 } });
    const ip = prep(b.build(), arch);
    t0 = performance.now();
    const ir = runInput(ip, events, { binUs: 1000 });
    const inputS = (performance.now() - t0) / 1e3;

    return {
      steps,
      run_steps_per_s: Math.round(steps / plainS),
      recorded_steps_per_s: Math.round(steps / recS),
      record_overhead_pct: Math.round((recS / plainS - 1) * 1000) / 10,
      trace_bytes: w.bytes,
      replay_steps_per_s: Math.round(rp.activity.steps / replayS),
      replay_packets_per_s: Math.round(rp.packets / replayS),
      input_events: ir.events,
      input_steps: ir.steps,
      input_events_per_s: Math.round(ir.events / inputS),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
