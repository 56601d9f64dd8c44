/**
 * The compiled rule against a straightforward reference evaluator written here from the
 * documented arithmetic (docs/LEARNING.md), on random rules, random traces and random synapses.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileRule, parseRule, type EpochView, type LearningRule, type Rounding, type SynapseArrays } from '../../emulator/core/learning/index.js';
import { quantizeWeight } from '../../emulator/core/synapse.js';
import { randU32, RNG_BLOCK } from '../../emulator/util/rng.js';
import type { SignMode } from '../../emulator/spec/network.js';

// magnitude widths of factors, scaling-mantissa width and accumulator width (Lava constants.py)
const WIDTH: Record<string, number> = { x0: 1, y0: 1, x1: 7, x2: 7, y1: 7, y2: 7, y3: 7, w: 9, d: 8, t: 9 };
const S_MANT = 4;
const ACC_U = 15;

function sat(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Reference: interpret the parsed rule synapse by synapse with BigInt arithmetic. */
function reference(rule: LearningRule, syn: SynapseArrays, v: EpochView, rounding: Rounding, signMode: SignMode, bits: number) {
  const W = Int16Array.from(syn.weight);
  const D = Uint8Array.from(syn.delay!);
  const T = Int16Array.from(syn.tag!);
  let count = 0;
  const accLo = -(2n ** 15n);
  const accHi = 2n ** 15n - 1n;
  for (let s = 0; s < syn.pre.length; s++) {
    const p = syn.pre[s];
    const q = syn.post[s];
    const tx = v.tx[p];
    const ty = v.ty[q];
    const at = syn.slot ? syn.slot[s] : s;
    const orig = { w: syn.weight[at], d: syn.delay![at], t: syn.tag![at] };
    const depActive = (dep: string, k: number) => (dep === 'x0' ? tx !== 0 : dep === 'y0' ? ty !== 0 : v.epochIndex % 2 ** k === 0);
    let any = false;
    for (const series of rule.series) for (const pr of series.products) if (depActive(pr.dependency, pr.decimate)) any = true;
    if (!any) continue;
    count++;
    for (const series of rule.series) {
      const A = series.target === 'dd' ? 8 : 7;
      const z = series.target === 'dw' ? orig.w : series.target === 'dd' ? orig.d : orig.t;
      let acc = BigInt(z) * 2n ** BigInt(A);
      for (const pr of series.products) {
        if (!depActive(pr.dependency, pr.decimate)) continue;
        const row = pr.dependency === 'x0' ? tx - 1 : pr.dependency === 'y0' ? ty - 1 : v.uRow;
        let mac = BigInt(pr.mantissa);
        let widths = S_MANT;
        for (const f of pr.factors) {
          let val: number;
          switch (f.variable) {
            case 'x0': val = tx ? 1 : 0; break;
            case 'y0': val = ty ? 1 : 0; break;
            case 'x1': val = v.xh[row * v.nPre + p]; break;
            case 'x2': val = v.xh[(v.epoch + row) * v.nPre + p]; break;
            case 'y1': val = v.yh[row * v.nPost + q]; break;
            case 'y2': val = v.yh[(v.epoch + row) * v.nPost + q]; break;
            case 'y3': val = v.yh[(2 * v.epoch + row) * v.nPost + q]; break;
            default: val = orig[f.variable as 'w' | 'd' | 't'];
          }
          const wd = WIDTH[f.variable];
          widths += wd;
          let fv = val + f.constant;
          if (f.sgn) fv = Math.sign(fv);
          else fv = Math.min(2 ** wd - 1, Math.max(-(2 ** wd), fv));
          mac *= BigInt(fv);
        }
        const shift = Math.max(0, widths - ACC_U);
        let m = floorDiv(mac, 2n ** BigInt(shift)) * 2n ** BigInt(pr.exponent + A);
        m = sat(m, accLo, accHi);
        acc = sat(acc + m, accLo, accHi);
      }
      // sign clamp, rounding to the grid, range clip
      let k = 0;
      let lo: number, hi: number;
      if (series.target === 'dw') {
        if (signMode === 'excitatory' && acc < 0n) acc = 0n;
        if (signMode === 'inhibitory' && acc > 0n) acc = 0n;
        k = 8 - bits + (signMode === 'mixed' ? 1 : 0);
        lo = quantizeWeight(-10000, signMode, bits);
        hi = quantizeWeight(10000, signMode, bits);
      } else if (series.target === 'dd') {
        if (acc < 0n) acc = 0n;
        lo = 0;
        hi = 62;
      } else {
        lo = -256;
        hi = 255;
      }
      const g = 2n ** BigInt(A + k);
      let qv = floorDiv(acc, g);
      const r = acc - qv * g;
      if (r !== 0n) {
        if (rounding === 'nearest' && 2n * r >= g) qv += 1n;
        if (rounding === 'stochastic') {
          const ti = series.target === 'dw' ? 0 : series.target === 'dd' ? 1 : 2;
          const draw = BigInt(randU32(v.seed, RNG_BLOCK.learning, v.step, 6 * s + 2 * ti + 1));
          if (draw * g < r * 2n ** 32n) qv += 1n;
        }
      }
      const out = Math.min(hi, Math.max(lo, Number(qv) * 2 ** k));
      if (series.target === 'dw') W[at] = out;
      else if (series.target === 'dd') D[at] = out;
      else T[at] = out;
    }
  }
  return { W, D, T, count };
}

// ------------------------------------------------------------------ random rules and states

const factorArb = fc.oneof(
  fc.constantFrom('x1', 'x2', 'y1', 'y2', 'y3', 'w', 'd', 't', 'x0', 'y0'),
  fc.tuple(fc.constantFrom('x1', 'x2', 'y1', 'y2', 'y3', 'w', 'd', 't', 'x0'), fc.integer({ min: -256, max: 255 })).map(([n, c]) => `(${n} ${c < 0 ? '-' : '+'} ${Math.abs(c)})`),
  fc.tuple(fc.constantFrom('w', 'd', 't'), fc.integer({ min: -256, max: 255 })).map(([n, c]) => `sgn(${n} ${c < 0 ? '-' : '+'} ${Math.abs(c)})`),
);
const productArb = fc.record({
  dep: fc.constantFrom('x0', 'y0', 'u'),
  mant: fc.integer({ min: -8, max: 7 }),
  exp: fc.integer({ min: -7, max: 8 }),
  factors: fc.array(factorArb, { maxLength: 4 }),
});
const seriesArb = (target: string) =>
  fc.tuple(fc.array(productArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 2 })).map(([ps, k]) =>
    `${target} = ` +
    ps
      .map((p, i) => {
        const dep = p.dep === 'u' ? (k === 0 ? 'u' : `u${k}`) : p.dep;
        const body = [String(Math.abs(p.mant)), `2^${p.exp}`, dep, ...p.factors].join('*');
        return (i === 0 ? (p.mant < 0 ? '-' : '') : p.mant < 0 ? ' - ' : ' + ') + body;
      })
      .join(''),
  );
const ruleArb = fc
  .tuple(seriesArb('dw'), fc.option(seriesArb('dd'), { nil: undefined }), fc.option(seriesArb('dt'), { nil: undefined }))
  .map((parts) => parts.filter((x) => x !== undefined).join('; '));

const stateArb = fc
  .record({
    nPre: fc.integer({ min: 1, max: 4 }),
    nPost: fc.integer({ min: 1, max: 4 }),
    epoch: fc.integer({ min: 1, max: 5 }),
    nSyn: fc.integer({ min: 1, max: 12 }),
    epochIndex: fc.integer({ min: 1, max: 8 }),
    step: fc.integer({ min: 1, max: 1000 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    signMode: fc.constantFrom<SignMode>('mixed', 'excitatory', 'inhibitory'),
    bits: fc.integer({ min: 1, max: 8 }),
    rounding: fc.constantFrom<Rounding>('stochastic', 'nearest', 'floor'),
    noise: fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 64, maxLength: 64 }),
  })
  .map((r) => {
    // deterministic fill from the noise words
    let c = 0;
    const next = (mod: number) => randU32(r.noise[c % 64], 99, c++, r.noise[(c * 7) % 64]) % mod;
    const tx = Uint8Array.from({ length: r.nPre }, () => (next(3) === 0 ? 0 : 1 + next(r.epoch)));
    const ty = Uint8Array.from({ length: r.nPost }, () => (next(3) === 0 ? 0 : 1 + next(r.epoch)));
    const xh = Uint8Array.from({ length: 2 * r.epoch * r.nPre }, () => next(128));
    const yh = Uint8Array.from({ length: 3 * r.epoch * r.nPost }, () => next(128));
    // half of the cases keep the synapses inside a larger shared memory, at distinct slots
    const shared = next(2) === 1;
    const store = shared ? r.nSyn + next(6) : r.nSyn;
    const perm = Array.from({ length: store }, (_, i) => i);
    for (let i = store - 1; i > 0; i--) {
      const j = next(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const syn: SynapseArrays = {
      pre: Uint32Array.from({ length: r.nSyn }, () => next(r.nPre)),
      post: Uint32Array.from({ length: r.nSyn }, () => next(r.nPost)),
      weight: Int16Array.from({ length: store }, () => quantizeWeight(next(512) - 256, r.signMode, r.bits)),
      delay: Uint8Array.from({ length: store }, () => next(63)),
      tag: Int16Array.from({ length: store }, () => next(512) - 256),
      ...(shared ? { slot: Uint32Array.from(perm.slice(0, r.nSyn)) } : {}),
    };
    const view: EpochView = { tx, ty, xh, yh, nPre: r.nPre, nPost: r.nPost, epoch: r.epoch, uRow: next(r.epoch), epochIndex: r.epochIndex, step: r.step, seed: r.seed };
    return { ...r, syn, view };
  });

describe('compiled rule = reference evaluator', () => {
  it('agrees exactly on random rules, traces, synapses, sign modes, widths and rounding modes', () => {
    fc.assert(
      fc.property(ruleArb, stateArb, (text, st) => {
        const rule = parseRule(text);
        const ref = reference(rule, st.syn, st.view, st.rounding, st.signMode, st.bits);
        const compiled = compileRule(rule, { rounding: st.rounding, signMode: st.signMode, numWeightBits: st.bits });
        const count = compiled.apply(st.syn, st.view);
        expect(count).toBe(ref.count);
        expect([...st.syn.weight]).toEqual([...ref.W]);
        expect([...st.syn.delay!]).toEqual([...ref.D]);
        expect([...st.syn.tag!]).toEqual([...ref.T]);
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });

  it('the reference is not trivially equal: random rules do change weights', () => {
    // guards against both sides doing nothing
    let changed = 0;
    fc.assert(
      fc.property(ruleArb, stateArb, (text, st) => {
        const before = [...st.syn.weight];
        compileRule(parseRule(text), { rounding: st.rounding, signMode: st.signMode, numWeightBits: st.bits }).apply(st.syn, st.view);
        if (before.some((w, i) => w !== st.syn.weight[i])) changed++;
      }),
      { numRuns: 100, seed: 5 },
    );
    expect(changed).toBeGreaterThan(30);
  });

  it('generates straight-line code: no loop over products or factors at run time', () => {
    const c = compileRule(parseRule('dw = 2^-2*x1*y0 - 2^-2*y1*x0'), { rounding: 'stochastic', signMode: 'mixed', numWeightBits: 8 });
    expect(c.source.match(/for \(/g)).toHaveLength(1); // the single synapse loop
    expect(c.source).toContain('m *= xh[xb];');
    expect(c.source).toContain('m *= yh[ya];');
  });
});
