/**
 * stdp — a LIF compartment learns, with the on-chip learning engine, to detect a repeated
 * spatiotemporal spike pattern hidden in Poisson noise (Masquelier, Guyonneau & Thorpe, PLoS ONE
 * 2008, "Spike timing dependent plasticity finds the start of repeated patterns in continuous spike
 * trains"), scaled down to a few hundred afferents and Loihi fixed point.
 *
 * Network: `input` (spike source, one compartment per afferent) → plastic projection `stdp`
 * (all-to-all, excitatory 8-bit weights, pairwise STDP with a longer depression window, rule below)
 * → `detector` (LIF compartments). Three runs on the emulated hardware:
 *   1. *before*: the initial weights, learning off, on a test stimulus;
 *   2. *training*: learning on, on a training stimulus (same pattern, other noise);
 *   3. *after*: the learned weights (read from the core's synapse memory), learning off, on the same
 *      test stimulus as 1.
 * Detection is scored from the detector spikes: a pattern window is *hit* when a detector fires
 * inside it (or up to `lateSteps` after its end); every spike outside those windows is a false alarm.
 */
import { NetworkBuilder, prepare, RNG_BLOCK, randU32, type Arch, type LearningSpec, type NetworkSpec } from '../../emulator/index.js';
import type { ActivityCounts } from '../../emulator/energy/activity.js';
import type { DenseTaskSpec } from '../../emulator/energy/dense.js';
import { makePattern, makeStimulus, type Stimulus, type StimulusOptions } from './stimulus.js';

export { makeStimulus, makePattern, type Stimulus, type StimulusOptions } from './stimulus.js';

export interface StdpParamDecl {
  unit: string;
  default: number;
  source: string;
}

const MASQ = 'Masquelier, Guyonneau & Thorpe 2008';

/** Every parameter of the model, declared once. */
export const STDP_PARAMS = {
  afferents: { unit: 'afferents', default: 200, source: `assumption: ${MASQ} use 2,000; scaled down 10×` },
  detectors: { unit: 'compartments', default: 1, source: `${MASQ}: one LIF output neuron` },
  patternSteps: { unit: 'steps (1 ms)', default: 50, source: `${MASQ}: a 50 ms pattern` },
  patternFraction: { unit: 'fraction of afferents', default: 0.5, source: `${MASQ}: half of the afferents take part in the pattern` },
  rateHz: { unit: 'Hz', default: 20, source: `assumption: ${MASQ} use rates varying in 0–90 Hz (mean 54 Hz); constant 20 Hz here` },
  noiseHz: { unit: 'Hz', default: 5, source: `assumption: ${MASQ} add 10 Hz spontaneous activity to every afferent; 5 Hz here` },
  gapMin: { unit: 'steps', default: 50, source: 'assumption: gaps between pattern windows uniform in 50–250 ms' },
  gapMax: { unit: 'steps', default: 250, source: 'assumption: mean gap 150 ms, so the pattern fills 25 % of the time as in Masquelier 2008' },
  trainSteps: { unit: 'steps (1 ms)', default: 20_000, source: 'assumption: 20 s of training (~100 pattern presentations)' },
  testSteps: { unit: 'steps (1 ms)', default: 10_000, source: 'assumption: 10 s of test stimulus (~50 presentations)' },
  leadSteps: { unit: 'steps', default: 17, source: 'x1 trace time constant (17 ms, Masquelier 2008 τ+ = 16.8 ms): the afferents whose pattern spikes precede detection by up to τ+ are the ones STDP potentiates' },
  lateSteps: { unit: 'steps', default: 10, source: 'assumption: a spike up to 10 ms after a window ends still counts as its detection (membrane latency)' },
  wInit: { unit: 'weight (8-bit)', default: 160, source: `assumption: ${MASQ} start all weights high (0.475 of max) so the neuron fires at first; here ~0.63 of 255` },
  wJitter: { unit: 'weight', default: 40, source: 'assumption: initial weights uniform in wInit ± 40' },
  du: { unit: '1/4096 per step', default: 745, source: 'τ_current 5 ms: 4096·(1 − e^(−1/5)) (Masquelier 2008 τs = 2.5 ms; assumption 5 ms)' },
  dv: { unit: '1/4096 per step', default: 390, source: `τm 10 ms: 4096·(1 − e^(−1/10)) (${MASQ}: τm = 10 ms)` },
  vthPerAfferent: { unit: 'vth (×64 units) per afferent', default: 175, source: 'assumption: tuned (vth 35,000 at 200 afferents; the mean input grows with the afferents) so the untrained detector fires at ~48 Hz, non-selective' },
  refractory: { unit: 'steps', default: 5, source: 'assumption: 5 ms refractory period' },
} as const satisfies Record<string, StdpParamDecl>;

/** The learning block of the plastic projection (pairwise STDP, τ+ 17 ms, τ− 34 ms as Masquelier 2008). */
export const STDP_LEARNING: LearningSpec = {
  rule: 'dw = 2^-3*y0*(x1 - 16)',
  epoch: 1,
  rounding: 'stochastic',
  traces: { x1: { impulse: 32, tau: 17 } },
};

export interface StdpOptions {
  afferents?: number;
  detectors?: number;
  trainSteps?: number;
  testSteps?: number;
  seed?: number;
  arch: Arch;
  learning?: LearningSpec;
  vth?: number;
  wInit?: number;
}

export interface Detection {
  /** Fraction of pattern windows in which (or within lateSteps after which) the detector fired. */
  hitRate: number;
  /** Spikes outside those windows per second of non-pattern time. */
  falseAlarmsPerS: number;
  /** Spikes inside / outside the windows. */
  spikesIn: number;
  spikesOut: number;
  windows: number;
  /** Mean latency (steps) of the first spike after a window starts, over hit windows. */
  meanLatency: number;
}

export interface StdpResult {
  /** Per detector, before and after learning. */
  before: Detection[];
  after: Detection[];
  /** Mean weight of pattern afferents and of the other afferents, per detector, after training. */
  weightPattern: number[];
  weightOther: number[];
  /**
   * Per detector, after training: mean weight of the pattern afferents that fire in the pattern within
   * the `leadSteps` before the detector's mean first-spike latency (the ones STDP should select), and
   * the mean weight of all the other afferents.
   */
  weightLeading: number[];
  weightRest: number[];
  initialWeights: Int16Array;
  learnedWeights: Int16Array;
  trainWindows: number;
  learnUpdates: number;
  /** Training run's activity (for the energy report). */
  activity: ActivityCounts;
  cores: number;
  denseTask: DenseTaskSpec;
}

function stimulusOptions(afferents: number, steps: number, seed: number, patternSeed: number): StimulusOptions {
  const P = STDP_PARAMS;
  return {
    afferents,
    steps,
    patternSteps: P.patternSteps.default,
    patternFraction: P.patternFraction.default,
    rateHz: P.rateHz.default,
    noiseHz: P.noiseHz.default,
    gapMin: P.gapMin.default,
    gapMax: P.gapMax.default,
    seed,
    patternSeed,
    dt: 1e-3,
  };
}

/** Weights stored (pre, post) → the network format's rows (targets) of columns (sources). */
function toRows(w: Int16Array, afferents: number, detectors: number): number[][] {
  const rows: number[][] = [];
  for (let d = 0; d < detectors; d++) {
    const row: number[] = [];
    for (let a = 0; a < afferents; a++) row.push(w[a * detectors + d]);
    rows.push(row);
  }
  return rows;
}

/** Largest vth mantissa of a compartment (17 bits, Loihi). */
const VTH_MAX = 131_071;

export function buildStdpNetwork(stim: Stimulus, weights: Int16Array, detectors: number, opts: { learning?: LearningSpec; vth?: number; seed: number }): NetworkSpec {
  const P = STDP_PARAMS;
  const b = new NetworkBuilder({ name: 'stdp', dt: 1e-3, seed: opts.seed });
  b.spikeSource('input', stim.spikes.length, stim.spikes);
  // vth is 17 bits: past ~750 afferents, halve the synaptic input (weight_exp −e) and the threshold with it
  const vthFull = opts.vth ?? P.vthPerAfferent.default * stim.spikes.length;
  const e = Math.max(0, Math.ceil(Math.log2(vthFull / VTH_MAX)));
  b.lif('detector', detectors, { du: P.du.default, dv: P.dv.default, vth: Math.round(vthFull / 2 ** e), refractory: P.refractory.default });
  b.project('input', 'detector', {
    name: 'stdp',
    weights: toRows(weights, stim.spikes.length, detectors),
    sign_mode: 'excitatory',
    ...(e > 0 ? { weight_exp: -e } : {}),
    ...(opts.learning ? { learning: opts.learning } : {}),
  });
  return b.build();
}

/** Run a network on a stimulus; returns the detector spike steps (per detector) and the prepared emulator. */
function runNetwork(spec: NetworkSpec, arch: Arch, steps: number, detectors: number) {
  const p = prepare(spec, arch, { source: 'model stdp' });
  const det = p.net.populations.find((q) => q.name === 'detector')!;
  const spikes: number[][] = Array.from({ length: detectors }, () => []);
  const lo = det.offset;
  const hi = det.offset + detectors;
  const em = p.emulator;
  em.run(steps, (t) => {
    for (let i = 0; i < em.stepSpikeCount; i++) {
      const g = em.stepSpikes[i];
      if (g >= lo && g < hi) spikes[g - lo].push(t);
    }
  });
  return { p, spikes };
}

/** Score detector spikes against the pattern windows of a stimulus. */
export function scoreDetection(spikes: number[], stim: Stimulus, lateSteps: number = STDP_PARAMS.lateSteps.default): Detection {
  const covered = new Int32Array(stim.steps + 1).fill(-1); // step → window index (window + late tail)
  stim.windows.forEach((w0, wi) => {
    for (let t = w0; t < w0 + stim.patternSteps + lateSteps && t <= stim.steps; t++) covered[t] = wi;
  });
  const firstSpike = new Int32Array(stim.windows.length).fill(-1);
  let spikesIn = 0;
  let spikesOut = 0;
  for (const t of spikes) {
    const wi = covered[t];
    if (wi >= 0) {
      spikesIn++;
      if (firstSpike[wi] < 0) firstSpike[wi] = t - stim.windows[wi];
    } else spikesOut++;
  }
  let hits = 0;
  let lat = 0;
  for (const f of firstSpike)
    if (f >= 0) {
      hits++;
      lat += f;
    }
  let outsideSteps = 0;
  for (let t = 1; t <= stim.steps; t++) if (covered[t] < 0) outsideSteps++;
  return {
    hitRate: stim.windows.length ? hits / stim.windows.length : 0,
    falseAlarmsPerS: outsideSteps ? spikesOut / (outsideSteps * 1e-3) : 0,
    spikesIn,
    spikesOut,
    windows: stim.windows.length,
    meanLatency: hits ? lat / hits : 0,
  };
}

/** Initial weights: wInit ± wJitter, uniform, from the counter-based generator. (pre, post) order. */
export function initialWeights(afferents: number, detectors: number, seed: number, wInit: number = STDP_PARAMS.wInit.default): Int16Array {
  const j = STDP_PARAMS.wJitter.default;
  const w = new Int16Array(afferents * detectors);
  for (let i = 0; i < w.length; i++) w[i] = Math.max(0, Math.min(255, wInit - j + (randU32(seed, RNG_BLOCK.workload, 0x7fff_ffff, i) % (2 * j + 1))));
  return w;
}

export function runStdp(opts: StdpOptions): StdpResult {
  const P = STDP_PARAMS;
  const N = opts.afferents ?? P.afferents.default;
  const D = opts.detectors ?? P.detectors.default;
  const seed = opts.seed ?? 1;
  const trainSteps = opts.trainSteps ?? P.trainSteps.default;
  const testSteps = opts.testSteps ?? P.testSteps.default;
  const patternSeed = seed * 3 + 1;
  const train = makeStimulus(stimulusOptions(N, trainSteps, seed * 3 + 2, patternSeed));
  const test = makeStimulus(stimulusOptions(N, testSteps, seed * 3 + 3, patternSeed));
  const w0 = initialWeights(N, D, seed, opts.wInit);
  const common = { seed, ...(opts.vth !== undefined ? { vth: opts.vth } : {}) };

  const before = runNetwork(buildStdpNetwork(test, w0, D, common), opts.arch, testSteps, D).spikes.map((s) => scoreDetection(s, test));

  const tr = runNetwork(buildStdpNetwork(train, w0, D, { ...common, learning: opts.learning ?? STDP_LEARNING }), opts.arch, trainSteps, D);
  const proj = tr.p.net.projections.find((q) => q.name === 'stdp')!;
  const bind = tr.p.emulator.plastic[proj.index]!;
  // read the learned weights from the cores' synapse memory, in the projection's canonical (pre, post) order
  const learned = new Int16Array(N * D);
  for (let s = 0; s < proj.pre.length; s++) learned[proj.pre[s] * D + proj.post[s]] = tr.p.emulator.cores[bind.coreIndex[s]].synWeight[bind.slot[s]];

  const after = runNetwork(buildStdpNetwork(test, learned, D, common), opts.arch, testSteps, D).spikes.map((s) => scoreDetection(s, test));

  const activity = tr.p.emulator.activity();
  const weightPattern: number[] = [];
  const weightOther: number[] = [];
  for (let d = 0; d < D; d++) {
    let sp = 0;
    let so = 0;
    for (let a = 0; a < N; a++) {
      if (a < train.patternAfferents) sp += learned[a * D + d];
      else so += learned[a * D + d];
    }
    weightPattern.push(sp / Math.max(1, train.patternAfferents));
    weightOther.push(so / Math.max(1, N - train.patternAfferents));
  }
  const pattern = makePattern(stimulusOptions(N, testSteps, seed * 3 + 3, patternSeed));
  const lead = P.leadSteps.default;
  const weightLeading: number[] = [];
  const weightRest: number[] = [];
  for (let d = 0; d < D; d++) {
    const L = after[d].hitRate > 0 ? after[d].meanLatency : P.patternSteps.default;
    let sl = 0;
    let nl = 0;
    let sr = 0;
    for (let a = 0; a < N; a++) {
      const w = learned[a * D + d];
      if (a < pattern.length && pattern[a].some((k) => k < L && k >= L - lead)) {
        sl += w;
        nl++;
      } else sr += w;
    }
    weightLeading.push(nl ? sl / nl : 0);
    weightRest.push(N > nl ? sr / (N - nl) : 0);
  }
  return {
    before,
    after,
    weightPattern,
    weightOther,
    weightLeading,
    weightRest,
    initialWeights: w0,
    learnedWeights: learned,
    trainWindows: train.windows.length,
    learnUpdates: tr.p.emulator.learnUpdates(proj.index),
    activity,
    cores: activity.hardware.coresUsed,
    denseTask: stdpDenseTask(N, D, trainSteps),
  };
}

/**
 * The task-equivalent dense computation of training, one pass per step (training is sequential):
 * the N × D weight matrix times the input spike vector (N·D MACs), the N pre-synaptic traces decayed
 * and bumped (N MACs) and every weight updated from its trace (N·D MACs), fp32; bytes per step: every
 * weight read and written (8 B) and every trace read and written (8 B).
 */
export function stdpDenseTask(afferents: number, detectors: number, steps: number): DenseTaskSpec {
  const syn = afferents * detectors;
  return {
    name: 'stdp-dense',
    macs: (2 * syn + afferents) * steps,
    bytes: (8 * syn + 8 * afferents) * steps,
    passes: steps,
    description: `dense STDP training: ${afferents}×${detectors} weights, input MVM + trace and weight update every step, ${steps} sequential steps (fp32)`,
  };
}
