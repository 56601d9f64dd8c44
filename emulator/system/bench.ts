/**
 * Benchmark of the step engine with and without on-chip learning: Poisson input into a recurrent
 * LIF population, the feed-forward projection static or plastic (pairwise STDP). Reports steps per
 * second of both runs and their ratio, so a slowdown of the non-learning path or of learning shows.
 */
import { NetworkBuilder, type LearningSpec } from '../spec/network.js';
import { compileNetwork } from '../spec/compile.js';
import { resolveArch } from '../spec/arch.js';
import { placeNetwork } from '../mapping/index.js';
import { Emulator } from './emulator.js';

export interface EngineBenchOptions {
  inputs?: number;
  neurons?: number;
  steps?: number;
  /** Connection probability of the plastic feed-forward projection. */
  p?: number;
  epoch?: number;
  seed?: number;
}

function network(o: Required<EngineBenchOptions>, plastic: boolean) {
  const b = new NetworkBuilder({ name: plastic ? 'bench-plastic' : 'bench-static', seed: o.seed });
  b.poissonSource('in', o.inputs, 20, o.seed + 1);
  b.lif('exc', o.neurons, { du: 400, dv: 200, vth: 400 });
  const learning: LearningSpec = {
    rule: 'dw = 2^-2*x1*y0 - 2^-2*y1*x0',
    epoch: o.epoch,
    rounding: 'stochastic',
    traces: { x1: { impulse: 16, tau: 10 }, y1: { impulse: 16, tau: 10 } },
  };
  b.project('in', 'exc', { name: 'ff', connect: { p: o.p, weight: { min: 0, max: 60 }, seed: o.seed + 2 }, sign_mode: 'excitatory', ...(plastic ? { learning } : {}) });
  b.project('exc', 'exc', { name: 'rec', connect: { p: 0.01, weight: 5, seed: o.seed + 3 } });
  return compileNetwork(b.build());
}

export function benchEngine(opts: EngineBenchOptions = {}): Record<string, number | string> {
  const o: Required<EngineBenchOptions> = { inputs: 500, neurons: 2048, steps: 300, p: 0.1, epoch: 4, seed: 1, ...opts };
  const arch = resolveArch('loihi');
  const out: Record<string, number | string> = { inputs: o.inputs, neurons: o.neurons, steps: o.steps };
  for (const plastic of [false, true]) {
    const net = network(o, plastic);
    const emu = new Emulator(net, arch, placeNetwork(net, arch, 'mesh'));
    const t0 = process.hrtime.bigint();
    emu.run(o.steps);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const a = emu.activity();
    const tag = plastic ? 'plastic' : 'static';
    out[`${tag}_steps_per_s`] = Math.round(o.steps / s);
    out[`${tag}_synops_per_s`] = Math.round((a.totals['core.synop'] ?? 0) / s);
    if (plastic) {
      out.plastic_synapses = net.projections[0].pre.length;
      out.learn_updates = a.totals['core.learn_update'] ?? 0;
      out.learn_updates_per_s = Math.round((a.totals['core.learn_update'] ?? 0) / s);
    }
  }
  out.plastic_slowdown = Number(((out.static_steps_per_s as number) / (out.plastic_steps_per_s as number)).toFixed(2));
  return out;
}

export interface CrossbarProjectionBenchOptions {
  inputs?: number;
  neurons?: number;
  steps?: number;
  /** Input rate (Hz) and connection probability of the feed-forward projection. */
  rateHz?: number;
  p?: number;
  seed?: number;
}

/**
 * Benchmark of crossbar-backed projections in the step engine: Poisson input → LIF layer, the
 * feed-forward projection in core synapse memory, on ideal crossbars (128×128, lossless ADC), and on
 * noisy crossbars (read noise and programming error). Reports steps per second of each run, the
 * slowdown against core synapses and the crossbar MVMs and output packets per second.
 */
export function benchCrossbarProjection(opts: CrossbarProjectionBenchOptions = {}): Record<string, number | string> {
  const o: Required<CrossbarProjectionBenchOptions> = { inputs: 512, neurons: 256, steps: 300, rateHz: 40, p: 0.3, seed: 1, ...opts };
  const arch = resolveArch('loihi');
  const out: Record<string, number | string> = { inputs: o.inputs, neurons: o.neurons, steps: o.steps };
  const variants: [string, Record<string, unknown> | null][] = [
    ['core', null],
    ['crossbar_ideal', { rows: 128, cols: 128, adcBits: 8 }],
    ['crossbar_noisy', { rows: 128, cols: 128, adcBits: 8, nonIdealities: { readNoise: { sigma: 0.05 }, programmingError: { sigma: 0.05 } } }],
    // binary (HDC) mode: random 0/1 weights, one Hamming search of the spike vector per step
    ['hdc_ideal', { mode: 'binary', rows: 128, cols: 128, adcBits: 7 }],
    ['hdc_noisy', { mode: 'binary', rows: 128, cols: 128, adcBits: 7, nonIdealities: { readNoise: { sigma: 0.05 } } }],
  ];
  for (const [tag, crossbar] of variants) {
    const b = new NetworkBuilder({ name: `bench-${tag}`, seed: o.seed });
    b.poissonSource('in', o.inputs, o.rateHz, o.seed + 1);
    b.lif('exc', o.neurons, { du: 400, dv: 200, vth: 800 });
    const weight = crossbar?.mode === 'binary' ? { min: 0, max: 1 } : { min: -40, max: 80 };
    b.project('in', 'exc', { name: 'ff', connect: { p: o.p, weight, seed: o.seed + 2 }, ...(crossbar ? { on: 'crossbar' as const, crossbar } : {}) });
    b.project('exc', 'exc', { name: 'rec', connect: { p: 0.02, weight: -10, seed: o.seed + 3 } });
    const net = compileNetwork(b.build());
    const emu = new Emulator(net, arch, placeNetwork(net, arch, 'mesh'));
    const t0 = process.hrtime.bigint();
    emu.run(o.steps);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    out[`${tag}_steps_per_s`] = Math.round(o.steps / s);
    if (emu.crossbar) {
      const info = emu.crossbar.info();
      out[`${tag}_arrays`] = info.arrays;
      out[`${tag}_mvms_per_s`] = Math.round(info.mvms / s);
      out[`${tag}_output_packets_per_s`] = Math.round(info.outputPackets / s);
      out[`${tag}_mae`] = Number(info.meanAbsError.toFixed(4));
      if (info.bitErrorRate !== undefined) {
        out[`${tag}_ber`] = Number(info.bitErrorRate.toPrecision(3));
        out[`${tag}_top1`] = Number((info.top1Agreement ?? 0).toFixed(3));
      }
    }
  }
  out.crossbar_slowdown = Number(((out.core_steps_per_s as number) / (out.crossbar_ideal_steps_per_s as number)).toFixed(2));
  return out;
}
