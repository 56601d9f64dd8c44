/**
 * Compile a parsed learning rule, once, into a JavaScript function specialised to it: the
 * products, scaling shifts, constants and clip bounds are written into generated source as
 * literals and built with `new Function`, so applying the rule to a projection is one tight loop
 * over its synapse arrays with no interpretation per synapse.
 *
 * Per synapse s (pre axon p, post compartment q), for each target z in {w, d, t}, in the order
 * the products are written (Lava LearningRuleApplierBitApprox arithmetic):
 *
 *   acc  = z · 2^A                                   A = 7 for w and t, 8 for d
 *   for each product with an active dependency:
 *     m   = mantissa · Π clip(factor + C, −2^W, 2^W − 1)      W = factor magnitude width
 *     m   = floor(m / 2^max(0, ΣW + 4 − 15)) · 2^(exp + A)      4 = scaling mantissa bits
 *     acc = sat16(acc + sat16(m))                               sat16: −2^15..2^15 − 1
 *   acc  = sign-mode clamp (excitatory ≥ 0, inhibitory ≤ 0, delay ≥ 0)
 *   z'   = round(acc / 2^(A + k)) · 2^k, clipped to z's range   k = weight grid (num_weight_bits)
 *
 * Trace factors read the trace value at the time of the product's dependency: at the last pre
 * spike of the epoch for x0, the last post spike for y0, the end of the epoch for u.
 */
import type { SignMode } from '../../spec/network.js';
import { quantizeWeight, MAX_WEIGHT_BITS } from '../synapse.js';
import { randU32, RNG_BLOCK } from '../../util/rng.js';
import type { Factor, LearningRule, Product, Target } from './rule.js';
import {
  ACC_MAX,
  ACC_MIN,
  DELAY_ACC_SHIFT,
  DELAY_MAX,
  DELAY_MIN,
  FACTOR_WIDTH,
  SCALE_MANT_BITS,
  ACC_BITS_U,
  TAG_ACC_SHIFT,
  TAG_MAX,
  TAG_MIN,
  WEIGHT_ACC_SHIFT,
} from './widths.js';

/** How a value between two representable ones is resolved. */
export type Rounding = 'stochastic' | 'nearest' | 'floor';
export const ROUNDINGS: readonly Rounding[] = ['stochastic', 'nearest', 'floor'];

/** The synapses of one plastic projection, structure of arrays, indexed by synapse. */
export interface SynapseArrays {
  /** Pre-synaptic axon of each synapse (index into the x traces). */
  pre: Uint32Array;
  /** Post-synaptic compartment of each synapse (index into the y traces). */
  post: Uint32Array;
  weight: Int16Array;
  /** Needed when a rule reads d or targets dd. */
  delay?: Uint8Array;
  /** Needed when a rule reads t or targets dt. */
  tag?: Int16Array;
  /**
   * Where synapse s's weight/delay/tag live: weight[slot[s]] (default: weight[s]). Lets a plastic
   * projection's synapses stay inside a core's shared synapse memory (CSR by input axon).
   */
  slot?: Uint32Array;
}

/**
 * Epoch state the learning engine hands to a compiled rule. One object per engine, reused:
 * nothing is allocated per call.
 */
export interface EpochView {
  /** Per pre axon: within-epoch step (1..epoch) of its last spike in this epoch, 0 = none (x0). */
  tx: Uint8Array;
  /** Per post compartment: within-epoch step of its last spike, 0 = none (y0). */
  ty: Uint8Array;
  /** Pre trace history: x_k at within-epoch row r of axon i is xh[(k·epoch + r)·nPre + i] (k: x1 = 0, x2 = 1). */
  xh: Uint8Array;
  /** Post trace history: y_k at row r of compartment j is yh[(k·epoch + r)·nPost + j] (y1 = 0, y2 = 1, y3 = 2). */
  yh: Uint8Array;
  nPre: number;
  nPost: number;
  epoch: number;
  /** Row of the epoch's last step (where u products read their traces). */
  uRow: number;
  /** 1-based number of this epoch; u<k> is active when epochIndex is a multiple of 2^k. */
  epochIndex: number;
  /** Algorithmic step and seed for the stochastic-rounding draws (RNG_BLOCK.learning). */
  step: number;
  seed: number;
}

export interface CompileOptions {
  rounding: Rounding;
  /** Weight sign mode and width (same rules as dense synapses, see core/synapse.ts). */
  signMode: SignMode;
  numWeightBits: number;
}

/** Applies the rule to every synapse; returns how many synapses had an active dependency. */
export type ApplyFn = (syn: SynapseArrays, view: EpochView) => number;

export interface CompiledRule {
  rule: LearningRule;
  apply: ApplyFn;
  /** The generated source (for inspection and `aerie info`). */
  source: string;
  /** Which synaptic variables the rule reads or writes (so the caller can check the arrays exist). */
  needsDelay: boolean;
  needsTag: boolean;
}

/** Fixed-point description of one target: accumulator shift, grid, range, sign clamp. */
export interface TargetFormat {
  accShift: number;
  /** Values are multiples of 2^gridShift (weights truncated to num_weight_bits). */
  gridShift: number;
  min: number;
  max: number;
  /** Clamp the accumulator at 0 from below (+1) or above (−1) before rounding; 0 = none. */
  signClamp: 1 | -1 | 0;
}

/** The weight/delay/tag formats used by the engine (exported so tests can check against them). */
export function targetFormat(target: Target, signMode: SignMode, numWeightBits: number): TargetFormat {
  if (target === 'dw') {
    return {
      accShift: WEIGHT_ACC_SHIFT,
      gridShift: MAX_WEIGHT_BITS - numWeightBits + (signMode === 'mixed' ? 1 : 0),
      min: quantizeWeight(-1 << 20, signMode, numWeightBits),
      max: quantizeWeight(1 << 20, signMode, numWeightBits),
      signClamp: signMode === 'excitatory' ? 1 : signMode === 'inhibitory' ? -1 : 0,
    };
  }
  if (target === 'dd') return { accShift: DELAY_ACC_SHIFT, gridShift: 0, min: DELAY_MIN, max: DELAY_MAX, signClamp: 1 };
  return { accShift: TAG_ACC_SHIFT, gridShift: 0, min: TAG_MIN, max: TAG_MAX, signClamp: 0 };
}

/** Right shift applied to a product's MAC before its exponent (Lava: ΣW + W_S_MANT − W_ACCUMULATOR_U, at least 0). */
export function productShift(p: Product): number {
  let widths = SCALE_MANT_BITS;
  for (const f of p.factors) widths += FACTOR_WIDTH[f.variable];
  return Math.max(0, widths - ACC_BITS_U);
}

const TARGET_INDEX: Record<Target, number> = { dw: 0, dd: 1, dt: 2 };
const VAR_OF_TARGET: Record<Target, string> = { dw: 'W', dd: 'D', dt: 'T' };

function factorExpr(f: Factor, dep: Product['dependency']): string {
  const rowX = dep === 'x0' ? 'xa' : dep === 'y0' ? 'xb' : 'xc';
  const rowY = dep === 'x0' ? 'ya' : dep === 'y0' ? 'yb' : 'yc';
  switch (f.variable) {
    case 'x0':
      return '(tx !== 0 ? 1 : 0)';
    case 'y0':
      return '(ty !== 0 ? 1 : 0)';
    case 'x1':
      return `xh[${rowX}]`;
    case 'x2':
      return `xh[XS + ${rowX}]`;
    case 'y1':
      return `yh[${rowY}]`;
    case 'y2':
      return `yh[YS + ${rowY}]`;
    case 'y3':
      return `yh[YS2 + ${rowY}]`;
    case 'w':
      return 'w0';
    case 'd':
      return 'd0';
    case 't':
      return 't0';
  }
}

function constText(c: number): string {
  return c === 0 ? '' : c < 0 ? ` - ${-c}` : ` + ${c}`;
}

function depCondition(p: Product): string {
  if (p.dependency === 'x0') return 'tx !== 0';
  if (p.dependency === 'y0') return 'ty !== 0';
  return `u${p.decimate}`;
}

function productCode(p: Product, accShift: number): string {
  const lines: string[] = [];
  lines.push(`if (${depCondition(p)}) {`);
  lines.push(`  m = ${p.mantissa};`);
  for (const f of p.factors) {
    const v = factorExpr(f, p.dependency);
    const wdt = FACTOR_WIDTH[f.variable];
    if (f.sgn) {
      lines.push(`  m *= Math.sign(${v}${constText(f.constant)});`);
    } else if (f.constant !== 0) {
      lines.push(`  f = ${v}${constText(f.constant)}; if (f < ${-(2 ** wdt)}) f = ${-(2 ** wdt)}; else if (f > ${2 ** wdt - 1}) f = ${2 ** wdt - 1};`);
      lines.push('  m *= f;');
    } else {
      lines.push(`  m *= ${v};`);
    }
  }
  const shift = productShift(p);
  const mul = 2 ** (p.exponent + accShift);
  // mul ≥ 1 always: exponent ≥ −7 and accShift ≥ 7
  if (shift > 0) lines.push(`  m = Math.floor(m / ${2 ** shift}) * ${mul};`);
  else if (mul !== 1) lines.push(`  m *= ${mul};`);
  lines.push(`  if (m < ${ACC_MIN}) m = ${ACC_MIN}; else if (m > ${ACC_MAX}) m = ${ACC_MAX};`);
  lines.push(`  a += m; if (a < ${ACC_MIN}) a = ${ACC_MIN}; else if (a > ${ACC_MAX}) a = ${ACC_MAX};`);
  lines.push('}');
  return lines.map((l) => '      ' + l).join('\n');
}

function writeBackCode(target: Target, fmt: TargetFormat, rounding: Rounding): string {
  const arr = VAR_OF_TARGET[target];
  const g = 2 ** (fmt.accShift + fmt.gridShift);
  const lines: string[] = [];
  if (fmt.signClamp === 1) lines.push('if (a < 0) a = 0;');
  if (fmt.signClamp === -1) lines.push('if (a > 0) a = 0;');
  lines.push(`q = Math.floor(a / ${g}); r = a - q * ${g};`);
  if (rounding === 'stochastic') {
    // P(round up) = r / g exactly: compare a 32-bit draw with r · 2^32 / g
    lines.push(`if (r !== 0 && rnd(seed, BLOCK, step, ${2 * 3} * s + ${2 * TARGET_INDEX[target] + 1}) < r * ${2 ** 32 / g}) q += 1;`);
  } else if (rounding === 'nearest') {
    lines.push(`if (r * 2 >= ${g}) q += 1;`);
  }
  if (fmt.gridShift > 0) lines.push(`q *= ${2 ** fmt.gridShift};`);
  lines.push(`if (q < ${fmt.min}) q = ${fmt.min}; else if (q > ${fmt.max}) q = ${fmt.max};`);
  lines.push(`${arr}[k] = q;`);
  return lines.map((l) => '      ' + l).join('\n');
}

/** Generate the source of the apply function body for a rule. */
export function generateSource(rule: LearningRule, opts: CompileOptions): string {
  const deps = new Set<string>();
  const decimates = new Set<number>();
  let readsW = false;
  let readsD = false;
  let readsT = false;
  for (const s of rule.series) {
    if (s.target === 'dw') readsW = true;
    if (s.target === 'dd') readsD = true;
    if (s.target === 'dt') readsT = true;
    for (const p of s.products) {
      deps.add(p.dependency);
      if (p.dependency === 'u') decimates.add(p.decimate);
      for (const f of p.factors) {
        if (f.variable === 'w') readsW = true;
        if (f.variable === 'd') readsD = true;
        if (f.variable === 't') readsT = true;
      }
    }
  }
  const out: string[] = [];
  out.push('"use strict";');
  out.push('const n = syn.pre.length, pre = syn.pre, post = syn.post, W = syn.weight, D = syn.delay, T = syn.tag, I = syn.slot;');
  out.push('const txA = view.tx, tyA = view.ty, xh = view.xh, yh = view.yh, nPre = view.nPre, nPost = view.nPost;');
  out.push('const XS = view.epoch * nPre, YS = view.epoch * nPost, YS2 = 2 * YS, uRow = view.uRow;');
  out.push('const ep = view.epochIndex, seed = view.seed, step = view.step;');
  for (const k of [...decimates].sort((a, b) => a - b)) out.push(`const u${k} = ep % ${2 ** k} === 0;`);
  const uAny = [...decimates].map((k) => `u${k}`).join(' || ');
  if (deps.has('u')) out.push(`const uc = (uRow * nPre), ud = (uRow * nPost);`);
  out.push('let count = 0, m = 0, f = 0, a = 0, q = 0, r = 0;');
  out.push('for (let s = 0; s < n; s++) {');
  out.push('  const p = pre[s], qq = post[s];');
  out.push('  const tx = txA[p], ty = tyA[qq];');
  const active: string[] = [];
  if (deps.has('x0')) active.push('tx !== 0');
  if (deps.has('y0')) active.push('ty !== 0');
  if (deps.has('u')) active.push(uAny);
  out.push(`  if (!(${active.join(' || ')})) continue;`);
  out.push('  count++;');
  out.push('  const k = I === undefined ? s : I[s];');
  if (readsW) out.push('  const w0 = W[k];');
  if (readsD) out.push('  const d0 = D[k];');
  if (readsT) out.push('  const t0 = T[k];');
  if (deps.has('x0')) out.push('  const xa = (tx - 1) * nPre + p, ya = (tx - 1) * nPost + qq;');
  if (deps.has('y0')) out.push('  const xb = (ty - 1) * nPre + p, yb = (ty - 1) * nPost + qq;');
  if (deps.has('u')) out.push('  const xc = uc + p, yc = ud + qq;');
  for (const s of rule.series) {
    const fmt = targetFormat(s.target, opts.signMode, opts.numWeightBits);
    const start = s.target === 'dw' ? 'w0' : s.target === 'dd' ? 'd0' : 't0';
    out.push(`  {  // ${s.target}`);
    out.push(`      a = ${start} * ${2 ** fmt.accShift};`);
    for (const p of s.products) out.push(productCode(p, fmt.accShift));
    out.push(writeBackCode(s.target, fmt, opts.rounding));
    out.push('  }');
  }
  out.push('}');
  out.push('return count;');
  return out.join('\n');
}

/** Compile a parsed rule once for a projection's weight format and rounding mode. */
export function compileRule(rule: LearningRule, opts: CompileOptions): CompiledRule {
  const source = generateSource(rule, opts);
  const body = new Function('rnd', 'BLOCK', `return function applyRule(syn, view) {\n${source}\n};`) as (
    rnd: typeof randU32,
    block: number,
  ) => ApplyFn;
  const apply = body(randU32, RNG_BLOCK.learning);
  let needsDelay = false;
  let needsTag = false;
  for (const s of rule.series) {
    if (s.target === 'dd') needsDelay = true;
    if (s.target === 'dt') needsTag = true;
    for (const p of s.products)
      for (const f of p.factors) {
        if (f.variable === 'd') needsDelay = true;
        if (f.variable === 't') needsTag = true;
      }
  }
  return { rule, apply, source, needsDelay, needsTag };
}
