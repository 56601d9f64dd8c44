/**
 * Benchmark of the learning engine: an all-to-all plastic projection driven by random spikes,
 * pairwise STDP with traces. Reports trace-update and rule-application throughput.
 */
import { randU32, RNG_BLOCK, bernoulliThreshold } from '../../util/rng.js';
import { LearningEngine, learningParams } from './engine.js';
import type { Rounding } from './compile.js';

export interface LearningBenchOptions {
  nPre?: number;
  nPost?: number;
  steps?: number;
  epoch?: number;
  /** Spike probability per neuron per step. */
  rate?: number;
  rounding?: Rounding;
  rule?: string;
  seed?: number;
}

export function benchLearning(opts: LearningBenchOptions = {}): Record<string, number | string> {
  const nPre = opts.nPre ?? 256;
  const nPost = opts.nPost ?? 256;
  const steps = opts.steps ?? 200;
  const epoch = opts.epoch ?? 4;
  const rate = opts.rate ?? 0.05;
  const seed = opts.seed ?? 1;
  const rule = opts.rule ?? 'dw = 2^-2*x1*y0 - 2^-2*y1*x0';
  const params = learningParams({
    rule,
    epoch,
    rounding: opts.rounding ?? 'stochastic',
    traces: { x1: { impulse: 20, decay: 400 }, y1: { impulse: 20, decay: 400 } },
  });
  const n = nPre * nPost;
  const pre = new Uint32Array(n);
  const post = new Uint32Array(n);
  for (let s = 0; s < n; s++) {
    pre[s] = s % nPre;
    post[s] = Math.floor(s / nPre);
  }
  const syn = { pre, post, weight: new Int16Array(n).fill(64) };
  const engine = new LearningEngine(params, syn, nPre, nPost, { seed, signMode: 'excitatory', numWeightBits: 8 });
  const preSpikes = new Uint8Array(nPre);
  const postSpikes = new Uint8Array(nPost);
  const thr = bernoulliThreshold(rate);
  let learnNs = 0;
  let traceNs = 0;
  const t0 = process.hrtime.bigint();
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < nPre; i++) preSpikes[i] = randU32(seed, RNG_BLOCK.workload, t, i) < thr ? 1 : 0;
    for (let j = 0; j < nPost; j++) postSpikes[j] = randU32(seed, RNG_BLOCK.workload, t, nPre + j) < thr ? 1 : 0;
    const a = process.hrtime.bigint();
    const updated = engine.onStep(t, preSpikes, postSpikes);
    const b = process.hrtime.bigint();
    if (updated > 0 || t % epoch === 0) learnNs += Number(b - a);
    else traceNs += Number(b - a);
  }
  const totalNs = Number(process.hrtime.bigint() - t0);
  const epochs = engine.epochs;
  return {
    rule,
    synapses: n,
    steps,
    epoch,
    rate,
    learn_updates: engine.learnUpdates,
    ms_total: totalNs / 1e6,
    ns_per_trace_step: traceNs / Math.max(1, steps - epochs),
    ns_per_learn_update: learnNs / Math.max(1, engine.learnUpdates),
    learn_updates_per_s: engine.learnUpdates / (learnNs / 1e9),
    mean_weight: syn.weight.reduce((s, w) => s + w, 0) / n,
  };
}
