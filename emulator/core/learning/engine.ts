/**
 * The learning engine of one plastic projection (Loihi's per-core learning engine, Lava's
 * learning connection models). Every step it updates the traces and records which pre axons (x0)
 * and post compartments (y0) spiked and when; at the end of each learning epoch
 * (step % epoch == 0, steps counted from 1 as Lava's time_step) it applies the compiled rule to
 * every synapse once and clears the spike records.
 *
 * Traces read by a product are those at the time of its dependency (Lava's evaluation): for x0,
 * at the axon's last spike in the epoch; for y0, at the compartment's last spike; for u, at the
 * epoch's last step. The engine keeps one row of trace values per step of the epoch (7-bit
 * values, epoch ≤ 63 rows) so these reads are table lookups.
 *
 * Counters: `learnUpdates` counts synapses updated (synapses with an active dependency in an
 * epoch), the energy report's `core.learn_update`.
 */
import { InputError } from '../../errors.js';
import type { SignMode } from '../../spec/network.js';
import { compileRule, type CompiledRule, type EpochView, type Rounding, type SynapseArrays } from './compile.js';
import { parseRule, tracesUsed, type LearningRule, type TraceName } from './rule.js';
import { TraceBank, type TraceParams } from './traces.js';
import { EPOCH_MAX, EPOCH_MIN } from './widths.js';

/** Resolved learning parameters of a plastic projection (what the network spec's `learning:` block becomes). */
export interface LearningParams {
  rule: LearningRule;
  /** Learning epoch in steps, 1..63. */
  epoch: number;
  traces: Record<TraceName, TraceParams>;
  rounding: Rounding;
}

export interface LearningEngineOptions {
  /** Run seed; with `stream` it keys every stochastic-rounding draw. */
  seed: number;
  /** Distinguishes projections that share a seed (e.g. the projection's index). */
  stream?: number;
  signMode: SignMode;
  /** Weight width of the projection, 1..8 (as dense synapses). */
  numWeightBits: number;
  /** Label for errors (default `<network>`). */
  source?: string;
}

/** Per-stream seed: the run seed mixed with the stream number (golden-ratio step, then a hash round). */
export function streamSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream | 0, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

export class LearningEngine {
  readonly traces: TraceBank;
  readonly compiled: CompiledRule;
  readonly epoch: number;
  readonly nPre: number;
  readonly nPost: number;
  /** Per pre axon: within-epoch step (1-based) of its last spike this epoch, 0 = none. */
  readonly tx: Uint8Array;
  /** Per post compartment: within-epoch step of its last spike this epoch, 0 = none. */
  readonly ty: Uint8Array;
  /** Synapses updated so far (energy: core.learn_update). */
  learnUpdates = 0;
  /** Epochs at which the rule was applied so far. */
  epochs = 0;
  private phase = 0;
  private readonly xh: Uint8Array;
  private readonly yh: Uint8Array;
  private readonly view: EpochView;
  private readonly activeX1: boolean;
  private readonly activeX2: boolean;
  private readonly activeY1: boolean;
  private readonly activeY2: boolean;
  private readonly activeY3: boolean;

  constructor(
    readonly params: LearningParams,
    readonly synapses: SynapseArrays,
    nPre: number,
    nPost: number,
    opts: LearningEngineOptions,
  ) {
    const source = opts.source ?? '<network>';
    if (!Number.isInteger(params.epoch) || params.epoch < EPOCH_MIN || params.epoch > EPOCH_MAX) {
      throw new InputError(source, [{ where: 'learning.epoch', message: `${params.epoch} is outside ${EPOCH_MIN}..${EPOCH_MAX}` }]);
    }
    const n = synapses.pre.length;
    if (synapses.post.length !== n) throw new Error('LearningEngine: synapse arrays pre and post must have the same length');
    const slots = synapses.slot;
    if (slots) {
      if (slots.length !== n) throw new Error('LearningEngine: synapse array slot must have one entry per synapse');
      for (let s = 0; s < n; s++) if (slots[s] >= synapses.weight.length) throw new Error(`LearningEngine: slot ${slots[s]} of synapse ${s} is outside the weight array`);
    } else if (synapses.weight.length !== n) {
      throw new Error('LearningEngine: synapse arrays pre, post and weight must have the same length (or give slot)');
    }
    const nStore = synapses.weight.length;
    for (let s = 0; s < n; s++) {
      if (synapses.pre[s] >= nPre || synapses.post[s] >= nPost) throw new Error(`LearningEngine: synapse ${s} refers to axon ${synapses.pre[s]} / compartment ${synapses.post[s]} outside ${nPre} × ${nPost}`);
    }
    this.compiled = compileRule(params.rule, { rounding: params.rounding, signMode: opts.signMode, numWeightBits: opts.numWeightBits });
    if (this.compiled.needsDelay && (!synapses.delay || synapses.delay.length !== nStore)) {
      throw new InputError(source, [{ where: 'learning.rule', message: 'the rule reads or learns delays (d, dd) but the projection has no delays' }]);
    }
    if (this.compiled.needsTag && (!synapses.tag || synapses.tag.length !== nStore)) {
      throw new InputError(source, [{ where: 'learning.rule', message: 'the rule reads or learns tags (t, dt) but the projection has no tag array' }]);
    }
    this.epoch = params.epoch;
    this.nPre = nPre;
    this.nPost = nPost;
    const seed = streamSeed(opts.seed, opts.stream ?? 0);
    const used = tracesUsed(params.rule);
    this.traces = new TraceBank(nPre, nPost, params.traces, used, params.rounding, seed);
    this.activeX1 = used.has('x1');
    this.activeX2 = used.has('x2');
    this.activeY1 = used.has('y1');
    this.activeY2 = used.has('y2');
    this.activeY3 = used.has('y3');
    this.tx = new Uint8Array(nPre);
    this.ty = new Uint8Array(nPost);
    this.xh = new Uint8Array(2 * this.epoch * nPre);
    this.yh = new Uint8Array(3 * this.epoch * nPost);
    this.view = { tx: this.tx, ty: this.ty, xh: this.xh, yh: this.yh, nPre, nPost, epoch: this.epoch, uRow: 0, epochIndex: 0, step: 0, seed };
  }

  /**
   * One algorithmic step (1-based, consecutive): `preSpikes[i]` non-zero when input axon i
   * received a spike this step, `postSpikes[j]` when compartment j fired. Returns the number of
   * synapses updated (non-zero only at the end of an epoch).
   */
  onStep(step: number, preSpikes: Uint8Array, postSpikes: Uint8Array): number {
    if (preSpikes.length < this.nPre || postSpikes.length < this.nPost) throw new Error(`LearningEngine.onStep: spike flags need ${this.nPre} pre and ${this.nPost} post entries`);
    this.traces.step(step, preSpikes, postSpikes);
    const row = this.phase;
    const mark = row + 1;
    const tx = this.tx;
    const ty = this.ty;
    for (let i = 0; i < this.nPre; i++) if (preSpikes[i] !== 0) tx[i] = mark;
    for (let j = 0; j < this.nPost; j++) if (postSpikes[j] !== 0) ty[j] = mark;
    const E = this.epoch;
    const tr = this.traces;
    if (this.activeX1) this.xh.set(tr.x1, row * this.nPre);
    if (this.activeX2) this.xh.set(tr.x2, (E + row) * this.nPre);
    if (this.activeY1) this.yh.set(tr.y1, row * this.nPost);
    if (this.activeY2) this.yh.set(tr.y2, (E + row) * this.nPost);
    if (this.activeY3) this.yh.set(tr.y3, (2 * E + row) * this.nPost);
    this.phase = row + 1;
    if (step % E === 0 || this.phase >= E) return this.learn(step);
    return 0;
  }

  /** Apply the rule at the end of an epoch and start the next one. */
  private learn(step: number): number {
    const view = this.view;
    view.uRow = this.phase - 1;
    view.epochIndex = ++this.epochs;
    view.step = step;
    const updated = this.compiled.apply(this.synapses, view);
    this.learnUpdates += updated;
    this.tx.fill(0);
    this.ty.fill(0);
    this.phase = 0;
    return updated;
  }
}

/** Convenience: parse rule text and fill defaults (impulse 0, no decay, stochastic rounding, epoch 1). */
export function learningParams(opts: {
  rule: string | LearningRule;
  epoch?: number;
  traces?: Partial<Record<TraceName, Partial<TraceParams>>>;
  rounding?: Rounding;
}): LearningParams {
  const rule = typeof opts.rule === 'string' ? parseRule(opts.rule) : opts.rule;
  const traces = {} as Record<TraceName, TraceParams>;
  for (const name of ['x1', 'x2', 'y1', 'y2', 'y3'] as const) {
    traces[name] = { impulse: opts.traces?.[name]?.impulse ?? 0, decay: opts.traces?.[name]?.decay ?? 0 };
  }
  return { rule, epoch: opts.epoch ?? 1, traces, rounding: opts.rounding ?? 'stochastic' };
}
