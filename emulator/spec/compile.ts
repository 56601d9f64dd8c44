/**
 * Compile a validated NetworkSpec into flat typed arrays: per-compartment parameters and the
 * synapses of every projection (after Lava's weight quantisation). The compiled network does not
 * know about hardware; the mapper places it and the system builds cores from it.
 */
import { InputError } from '../errors.js';
import { RNG_BLOCK, bernoulliThreshold, randUnit } from '../util/rng.js';
import { inferSignMode, quantizeWeight } from '../core/synapse.js';
import { NEURON_PARAMS, withoutMode, type CrossbarMode, type LifParamName, type NetworkSpec, type PerCompartment, type SignMode, type NeuronKind } from './network.js';
import { checkLearning } from '../core/learning/spec.js';
import type { LearningParams } from '../core/learning/engine.js';
import { Checker } from './validate.js';
import { crossbarGeometry, parseCrossbarParams, type CrossbarParams } from '../pim/params.js';

export interface CompiledPopulation {
  index: number;
  name: string;
  kind: NeuronKind | 'spike-source';
  size: number;
  /** First global compartment index of the population. */
  offset: number;
  /** LIF parameters per compartment (only for kind 'lif'; the same object as `params`). */
  lif?: Record<LifParamName, Int32Array>;
  /** Declared parameters per compartment of a neuron kind (lif, alif, sigma-delta; NEURON_PARAMS). */
  params?: Record<string, Int32Array>;
  /** Graded spike-source: the payload each source index's spikes carry. */
  payload?: Int32Array;
  /** True when the population's spikes carry a payload (Loihi 2 graded spikes). */
  graded: boolean;
  /** Spike source: explicit spike steps in CSR form (per index: steps sorted ascending). */
  spikeStart?: Uint32Array;
  spikeSteps?: Uint32Array;
  /** Spike source: Poisson firing threshold per index against randU32 (per-step probability × 2^32). */
  poissonThreshold?: Float64Array;
  poissonSeed?: number;
}

export interface CompiledProjection {
  index: number;
  name: string;
  from: number;
  to: number;
  signMode: SignMode;
  numWeightBits: number;
  weightExp: number;
  /** Synapses (COO, sorted by pre then post): local indices within the source / target population. */
  pre: Uint32Array;
  post: Uint32Array;
  weight: Int16Array;
  delay: Uint8Array;
  maxDelay: number;
  /** Plastic projections: the resolved learning parameters (docs/LEARNING.md). */
  learning?: LearningParams;
  /** Where the weights live: core synapse memory or crossbar arrays (docs/PIM.md "Crossbar-backed projections"). */
  on: 'core' | 'crossbar';
  /** Crossbar projections: the resolved array parameters (1-bit unsigned inputs, weightBits holding the weights). */
  crossbar?: CrossbarParams;
  /** Crossbar projections: 'analog' (MVM of spikes × weights) or 'binary' (HDC match counts against 0/1 rows). */
  crossbarMode?: CrossbarMode;
}

export interface CompiledNetwork {
  name: string;
  dt: number;
  seed: number;
  populations: CompiledPopulation[];
  projections: CompiledProjection[];
  totalCompartments: number;
  totalSynapses: number;
  /** Lookup by name. */
  population(name: string): CompiledPopulation;
}

/** Largest number of synapses one projection may generate (guards memory before allocation). */
export const MAX_SYNAPSES_PER_PROJECTION = 2 ** 31 - 1;

export function compileNetwork(spec: NetworkSpec, source = '<network>'): CompiledNetwork {
  const dt = spec.dt ?? 1e-3;
  const seed = spec.seed ?? 0;
  const byName = new Map<string, CompiledPopulation>();
  const populations: CompiledPopulation[] = [];
  let offset = 0;
  spec.populations.forEach((p, index) => {
    const cp: CompiledPopulation = { index, name: p.name, kind: p.kind, size: p.size, offset, graded: p.kind === 'sigma-delta' };
    offset += p.size;
    if (p.kind !== 'spike-source') {
      const decls = NEURON_PARAMS[p.kind];
      const given = (p.params ?? {}) as Record<string, PerCompartment | undefined>;
      const params: Record<string, Int32Array> = {};
      for (const k of Object.keys(decls)) params[k] = expand(given[k], p.size, decls[k].default);
      cp.params = params;
      if (p.kind === 'lif') cp.lif = params as Record<LifParamName, Int32Array>;
    } else if (p.spikes) {
      const start = new Uint32Array(p.size + 1);
      let n = 0;
      for (let i = 0; i < p.size; i++) {
        start[i] = n;
        n += p.spikes[i]?.length ?? 0;
      }
      start[p.size] = n;
      const steps = new Uint32Array(n);
      for (let i = 0; i < p.size; i++) {
        const l = p.spikes[i] ?? [];
        const sorted = [...new Set(l)].sort((a, b) => a - b);
        steps.set(sorted, start[i]);
        // duplicates removed: shift the following starts down
        if (sorted.length !== l.length) throw new InputError(source, [{ where: `populations[${index}].spikes[${i}]`, message: 'lists the same step twice' }]);
      }
      cp.spikeStart = start;
      cp.spikeSteps = steps;
    } else if (p.poisson) {
      const th = new Float64Array(p.size);
      const rates = p.poisson.rate;
      for (let i = 0; i < p.size; i++) {
        const r = Array.isArray(rates) ? rates[i] : rates;
        const prob = r * dt;
        if (prob > 1)
          throw new InputError(source, [{ where: `populations[${index}].poisson.rate`, message: `${r} Hz × dt ${dt} s is a probability above 1 per step; lower the rate or dt` }]);
        th[i] = bernoulliThreshold(prob);
      }
      cp.poissonThreshold = th;
      cp.poissonSeed = p.poisson.seed ?? seed;
    }
    if (p.kind === 'spike-source' && p.payload !== undefined) {
      cp.payload = expand(p.payload, p.size, 0);
      cp.graded = true;
    }
    populations.push(cp);
    byName.set(p.name, cp);
  });

  const projections: CompiledProjection[] = [];
  let totalSynapses = 0;
  (spec.projections ?? []).forEach((pr, index) => {
    const where = `projections[${index}]`;
    const from = byName.get(pr.from)!;
    const to = byName.get(pr.to)!;
    if (to.kind === 'spike-source')
      throw new InputError(source, [{ where: `${where}.to`, message: `'${to.name}' is a spike-source; projections must target a lif population (or alif, sigma-delta)` }]);
    let learning: LearningParams | undefined;
    if (pr.learning !== undefined) {
      const ck = new Checker(source);
      learning = checkLearning(ck, pr.learning, ['projections', index, 'learning']);
      ck.throwIfAny();
    }
    const { pre, post, weight, delay } = generateSynapses(pr, from, to, seed, source, where);
    const signMode = pr.sign_mode ?? inferSignMode(weight);
    const nwb = pr.num_weight_bits ?? 8;
    const q = new Int16Array(weight.length);
    for (let i = 0; i < weight.length; i++) q[i] = quantizeWeight(weight[i], signMode, nwb);
    let maxDelay = 0;
    for (let i = 0; i < delay.length; i++) if (delay[i] > maxDelay) maxDelay = delay[i];
    const crossbarMode: CrossbarMode = (pr.crossbar as { mode?: CrossbarMode } | undefined)?.mode ?? 'analog';
    const crossbar = pr.on === 'crossbar' ? resolveCrossbar(pr, index, q, delay, from, source, crossbarMode) : undefined;
    projections.push({
      index,
      name: pr.name ?? `${pr.from}->${pr.to}${spec.projections!.filter((x) => x.from === pr.from && x.to === pr.to).length > 1 ? `#${index}` : ''}`,
      from: from.index,
      to: to.index,
      signMode,
      numWeightBits: nwb,
      weightExp: pr.weight_exp ?? 0,
      pre,
      post,
      weight: q,
      delay,
      maxDelay,
      ...(learning ? { learning } : {}),
      on: crossbar ? 'crossbar' : 'core',
      ...(crossbar ? { crossbar, crossbarMode } : {}),
    });
    totalSynapses += pre.length;
  });

  return {
    name: spec.name ?? 'network',
    dt,
    seed,
    populations,
    projections,
    totalCompartments: offset,
    totalSynapses,
    population(name: string) {
      const p = byName.get(name);
      if (!p) throw new InputError(source, [{ where: '', message: `no population named '${name}'` }]);
      return p;
    },
  };
}

/**
 * The array parameters of a crossbar-backed projection: the block's parameters with 1-bit unsigned
 * inputs (spikes); `weightBits`, when not given, is the smallest width whose signed range holds the
 * projection's quantised weights. Input errors name the projection: graded sources (the word lines
 * take binary spikes), per-synapse delays (one output per column and step), weights out of range.
 */
function resolveCrossbar(
  pr: NonNullable<NetworkSpec['projections']>[number],
  index: number,
  weights: Int16Array,
  delay: Uint8Array,
  from: CompiledPopulation,
  source: string,
  mode: CrossbarMode,
): CrossbarParams {
  const where = `projections[${index}]`;
  const raw = { ...withoutMode(pr.crossbar ?? {}), inputBits: 1, signedInputs: false };
  const ck = new Checker(source);
  const params = parseCrossbarParams(raw, ck, ['projections', index, 'crossbar']);
  ck.throwIfAny();
  const problems = [];
  if (from.graded) problems.push({ where: `${where}.from`, message: `'${from.name}' sends graded spikes; a crossbar's word lines take binary spikes (use on: core)` });
  for (let i = 1; i < delay.length; i++)
    if (delay[i] !== delay[0]) {
      problems.push({ where: `${where}.synapses`, message: 'per-synapse delays are not supported on a crossbar (one output per column and step); give one projection delay' });
      break;
    }
  if (mode === 'binary') {
    // each stored bit is a complementary pair of 1-bit cells (emulator/pim/binary.ts); the spec checked the 0/1 weights
    const p = params!;
    p.cellBits = 1;
    p.weightBits = 1;
    p.dacBits = 1;
    for (let i = 0; i < weights.length; i++)
      if (weights[i] !== 0 && weights[i] !== 1) {
        problems.push({ where: `${where}.weights`, message: `binary (HDC) mode stores the weights as bits; weight ${weights[i]} (after quantisation) is not 0 or 1` });
        break;
      }
    if (problems.length) throw new InputError(source, problems);
    return p;
  }
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] < lo) lo = weights[i];
    if (weights[i] > hi) hi = weights[i];
  }
  const p = params!;
  const fits = (wb: number): boolean => {
    const g = crossbarGeometry({ ...p, weightBits: wb });
    return lo >= g.weightMin && hi <= g.weightMax && g.weightCols >= 1;
  };
  if (pr.crossbar?.weightBits === undefined) {
    let wb = 1;
    while (wb < 16 && !fits(wb)) wb++;
    p.weightBits = wb;
  } else if (!fits(p.weightBits)) {
    const g = crossbarGeometry(p);
    problems.push({ where: `${where}.crossbar.weightBits`, message: `the projection's weights span ${lo}..${hi} but ${p.weightBits}-bit ${p.signed} weights hold ${g.weightMin}..${g.weightMax}` });
  }
  if (crossbarGeometry(p).weightCols < 1) problems.push({ where: `${where}.crossbar`, message: `an array of ${p.cols} columns cannot hold one ${p.weightBits}-bit weight column` });
  if (problems.length) throw new InputError(source, problems);
  return p;
}

function expand(v: PerCompartment | undefined, size: number, dflt: number): Int32Array {
  const out = new Int32Array(size);
  if (v === undefined) out.fill(dflt);
  else if (Array.isArray(v)) out.set(v);
  else out.fill(v);
  return out;
}

interface RawSynapses {
  pre: Uint32Array;
  post: Uint32Array;
  weight: Int32Array;
  delay: Uint8Array;
}

function generateSynapses(pr: NetworkSpec['projections'] extends (infer T)[] | undefined ? T : never, from: CompiledPopulation, to: CompiledPopulation, netSeed: number, source: string, where: string): RawSynapses {
  const d0 = pr.delay ?? 0;
  if (pr.weights) {
    // dense: rows = targets, cols = sources; zero entries are "no synapse"
    let n = 0;
    for (const row of pr.weights) for (const w of row) if (w !== 0) n++;
    const out = alloc(n);
    let k = 0;
    for (let s = 0; s < from.size; s++)
      for (let t = 0; t < to.size; t++) {
        const w = pr.weights[t][s];
        if (w !== 0) {
          out.pre[k] = s;
          out.post[k] = t;
          out.weight[k] = w;
          out.delay[k] = d0;
          k++;
        }
      }
    return out;
  }
  if (pr.synapses) {
    const list = [...pr.synapses].map((s, i) => ({ s, i }));
    list.sort((a, b) => a.s[0] - b.s[0] || a.s[1] - b.s[1] || a.i - b.i);
    const out = alloc(list.length);
    for (let k = 0; k < list.length; k++) {
      const s = list[k].s;
      if (k > 0 && s[0] === list[k - 1].s[0] && s[1] === list[k - 1].s[1])
        throw new InputError(source, [{ where: `${where}.synapses[${list[k].i}]`, message: `duplicates the synapse ${s[0]} -> ${s[1]} at synapses[${list[k - 1].i}]` }]);
      out.pre[k] = s[0];
      out.post[k] = s[1];
      out.weight[k] = s[2];
      out.delay[k] = s.length > 3 ? s[3] : d0;
    }
    return out;
  }
  const c = pr.connect!;
  const seed = c.seed ?? netSeed;
  const self = from.index === to.index && !c.allow_self;
  const wLo = typeof c.weight === 'number' ? c.weight : c.weight.min;
  const wHi = typeof c.weight === 'number' ? c.weight : c.weight.max;
  const drawWeight = (t: number, s: number): number => (wLo === wHi ? wLo : wLo + Math.floor(randUnit(seed, RNG_BLOCK.connectWeight, t, s) * (wHi - wLo + 1)));
  if (c.p !== undefined) {
    const expected = c.p * from.size * to.size;
    if (expected > MAX_SYNAPSES_PER_PROJECTION)
      throw new InputError(source, [{ where: `${where}.connect.p`, message: `would create about ${Math.round(expected)} synapses, more than the ${MAX_SYNAPSES_PER_PROJECTION} one projection may hold` }]);
    // Bernoulli(p) per (source, target) pair, sampled per target by geometric skips: the k-th gap of
    // target t is a keyed draw (seed, t, k), so the result depends on nothing but the seed, and the
    // cost is O(synapses + targets) instead of O(sources × targets).
    const gapPre: number[] = [];
    const gapPost: number[] = [];
    if (c.p > 0) {
      const logq = c.p < 1 ? Math.log1p(-c.p) : -Infinity;
      for (let t = 0; t < to.size; t++) {
        let pos = -1;
        for (let k = 0; ; k++) {
          const u = randUnit(seed, RNG_BLOCK.connect, t, k);
          const gap = c.p >= 1 ? 0 : Math.floor(Math.log1p(-u) / logq);
          pos += gap + 1;
          if (pos >= from.size) break;
          if (self && pos === t) continue;
          gapPre.push(pos);
          gapPost.push(t);
        }
      }
    }
    return sortedBySource(gapPre, gapPost, from.size, drawWeight, d0);
  }
  // fixed fan-in: for each target, fan_in distinct sources drawn by rejection (keyed draws)
  const fanIn = c.fan_in!;
  const avail = from.size - (self ? 1 : 0);
  if (fanIn > avail)
    throw new InputError(source, [{ where: `${where}.connect.fan_in`, message: `${fanIn} partners requested but only ${avail} sources are available` }]);
  const total = fanIn * to.size;
  if (total > MAX_SYNAPSES_PER_PROJECTION)
    throw new InputError(source, [{ where: `${where}.connect.fan_in`, message: `would create ${total} synapses, more than the ${MAX_SYNAPSES_PER_PROJECTION} one projection may hold` }]);
  const pre = new Uint32Array(total);
  const post = new Uint32Array(total);
  const chosen = new Int32Array(fanIn);
  for (let t = 0; t < to.size; t++) {
    let m = 0;
    for (let attempt = 0; m < fanIn; attempt++) {
      const s = Math.floor(randUnit(seed, RNG_BLOCK.connect, t, attempt) * from.size);
      if (self && s === t) continue;
      let dup = false;
      for (let j = 0; j < m; j++) if (chosen[j] === s) dup = true;
      if (!dup) chosen[m++] = s;
    }
    for (let j = 0; j < fanIn; j++) {
      pre[t * fanIn + j] = chosen[j];
      post[t * fanIn + j] = t;
    }
  }
  return sortedBySource(pre, post, from.size, drawWeight, d0);
}

/** Counting sort of (pre, post) pairs by pre (stable, so post stays ascending), with weights drawn per pair. */
function sortedBySource(pre: ArrayLike<number>, post: ArrayLike<number>, nPre: number, drawWeight: (t: number, s: number) => number, d0: number): RawSynapses {
  const n = pre.length;
  const start = new Uint32Array(nPre + 1);
  for (let i = 0; i < n; i++) start[pre[i] + 1]++;
  for (let i = 0; i < nPre; i++) start[i + 1] += start[i];
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const k = start[pre[i]]++;
    out.pre[k] = pre[i];
    out.post[k] = post[i];
    out.weight[k] = drawWeight(post[i], pre[i]);
    out.delay[k] = d0;
  }
  return out;
}

function alloc(n: number): RawSynapses {
  return { pre: new Uint32Array(n), post: new Uint32Array(n), weight: new Int32Array(n), delay: new Uint8Array(n) };
}
