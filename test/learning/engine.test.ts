import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { LearningEngine, learningParams, type Rounding, type SynapseArrays } from '../../emulator/core/learning/index.js';
import type { SignMode } from '../../emulator/spec/network.js';

const STDP = 'dw = 2^-2*x1*y0 - 2^-2*y1*x0';

interface PairOpts {
  rule?: string;
  w?: number;
  epoch?: number;
  rounding?: Rounding;
  signMode?: SignMode;
  numWeightBits?: number;
  seed?: number;
  impulse?: number;
  decay?: number;
  delay?: number;
  tag?: number;
}

/** Two neurons, one plastic synapse; pre/post spike steps (1-based); returns weight after each step. */
function pair(preSteps: number[], postSteps: number[], steps: number, o: PairOpts = {}) {
  const params = learningParams({
    rule: o.rule ?? STDP,
    epoch: o.epoch ?? 1,
    rounding: o.rounding ?? 'floor',
    traces: { x1: { impulse: o.impulse ?? 64, decay: o.decay ?? 2048 }, y1: { impulse: o.impulse ?? 64, decay: o.decay ?? 2048 } },
  });
  const syn: SynapseArrays = {
    pre: new Uint32Array([0]),
    post: new Uint32Array([0]),
    weight: new Int16Array([o.w ?? 100]),
    delay: new Uint8Array([o.delay ?? 0]),
    tag: new Int16Array([o.tag ?? 0]),
  };
  const engine = new LearningEngine(params, syn, 1, 1, { seed: o.seed ?? 1, signMode: o.signMode ?? 'excitatory', numWeightBits: o.numWeightBits ?? 8 });
  const pre = new Uint8Array(1);
  const post = new Uint8Array(1);
  const w: number[] = [];
  const updates: number[] = [];
  for (let t = 1; t <= steps; t++) {
    pre[0] = preSteps.includes(t) ? 1 : 0;
    post[0] = postSteps.includes(t) ? 1 : 0;
    updates.push(engine.onStep(t, pre, post));
    w.push(syn.weight[0]);
  }
  return { w, updates, engine, syn };
}

describe('pairwise STDP on two neurons (worked by hand)', () => {
  // impulse 64, decay 2048 (trace halves every step): a trace is 64, 32, 16, 8, 4, … after a spike.
  // dw = 2^-2 · x1 at a post spike (y0) − 2^-2 · y1 at a pre spike (x0).
  it('pre before post potentiates: pre at 1, post at 3 → x1 = 16 → dw = +4', () => {
    const { w, updates } = pair([1], [3], 5);
    expect(w).toEqual([100, 100, 104, 104, 104]);
    expect(updates).toEqual([1, 0, 1, 0, 0]); // the step-1 pre spike is an (empty) update of the synapse
  });

  it('post before pre depresses: post at 1, pre at 3 → y1 = 16 → dw = −4', () => {
    const { w } = pair([3], [1], 5);
    expect(w).toEqual([100, 100, 96, 96, 96]);
  });

  it('the change shrinks with the interval: Δt = 1, 2, 4 → +8, +4, +1', () => {
    expect(pair([1], [2], 3).w.at(-1)).toBe(108); // x1 = 32
    expect(pair([1], [3], 3).w.at(-1)).toBe(104); // x1 = 16
    expect(pair([1], [5], 5).w.at(-1)).toBe(101); // x1 = 4
    expect(pair([2], [1], 3).w.at(-1)).toBe(92); // y1 = 32
  });

  it('coincident spikes cancel (both traces include their own impulse): 64/4 − 64/4 = 0', () => {
    expect(pair([2], [2], 3).w).toEqual([100, 100, 100]);
  });

  it('a fractional change is rounded: x1 = 2 → dw = 0.5 (floor 0, nearest 1, stochastic 0 or 1 with mean 0.5)', () => {
    expect(pair([1], [6], 6, { rounding: 'floor' }).w.at(-1)).toBe(100);
    expect(pair([1], [6], 6, { rounding: 'nearest' }).w.at(-1)).toBe(101);
    let ups = 0;
    const runs = 400;
    for (let seed = 0; seed < runs; seed++) {
      const last = pair([1], [6], 6, { rounding: 'stochastic', seed }).w.at(-1) as number;
      expect([100, 101]).toContain(last);
      if (last === 101) ups++;
    }
    expect(ups / runs).toBeGreaterThan(0.4);
    expect(ups / runs).toBeLessThan(0.6);
    // the same seed gives the same result
    expect(pair([1], [6], 6, { rounding: 'stochastic', seed: 3 }).w).toEqual(pair([1], [6], 6, { rounding: 'stochastic', seed: 3 }).w);
  });

  it('with an epoch of 4 the change appears at step 4, from traces at the spike times', () => {
    const { w, updates, engine } = pair([1], [3], 8, { epoch: 4 });
    expect(w).toEqual([100, 100, 100, 104, 104, 104, 104, 104]);
    expect(updates).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(engine.learnUpdates).toBe(1);
    expect(engine.epochs).toBe(2);
    // post before pre inside one epoch depresses by the post trace at the pre spike
    expect(pair([3], [1], 4, { epoch: 4 }).w.at(-1)).toBe(96);
  });

  it('uses the last spike of each neuron in an epoch (Lava tx/ty)', () => {
    // pre at 1 and 3 (x1: 64, 32, 64+16=80, 40), post at 4: dw = +40/4 = +10; x0 term reads y1 at step 3 = 0
    expect(pair([1, 3], [4], 4, { epoch: 4 }).w.at(-1)).toBe(110);
  });

  it('keeps weights inside the sign mode and weight width', () => {
    expect(pair([1], [2], 2, { w: 250 }).w.at(-1)).toBe(255); // excitatory, 8 bits: 258 clipped
    expect(pair([2], [1], 2, { w: 3 }).w.at(-1)).toBe(0); // excitatory never goes negative
    expect(pair([1], [2], 2, { w: -100, signMode: 'inhibitory' }).w.at(-1)).toBe(-92);
    expect(pair([1], [2], 2, { w: -4, signMode: 'inhibitory' }).w.at(-1)).toBe(0);
    // mixed, 8 bits: k = 1, weights are even; +8 from 100 → 108; −8 from −250 → −256 (clip −256)
    expect(pair([1], [2], 2, { w: 100, signMode: 'mixed' }).w.at(-1)).toBe(108);
    expect(pair([2], [1], 2, { w: -250, signMode: 'mixed' }).w.at(-1)).toBe(-256);
    // excitatory, 6 bits: k = 2, multiples of 4; +4 from 100 → 104, +1 (x1 = 4) floors to 100
    expect(pair([1], [3], 3, { numWeightBits: 6 }).w.at(-1)).toBe(104);
    expect(pair([1], [5], 5, { numWeightBits: 6 }).w.at(-1)).toBe(100);
    expect(pair([1], [5], 5, { numWeightBits: 6, rounding: 'nearest' }).w.at(-1)).toBe(100);
    expect(pair([1], [4], 4, { numWeightBits: 6, rounding: 'nearest' }).w.at(-1)).toBe(104); // +2 of a grid of 4 rounds up
  });

  it('saturates the accumulator at 15 bits + sign', () => {
    // 7·2^8 · y0 = 1792 weight units → accumulator saturates at 32767 → 255
    expect(pair([], [1], 1, { rule: 'dw = 7*2^8*y0', w: 0 }).w).toEqual([255]);
    expect(pair([], [1], 1, { rule: 'dw = -7*2^8*y0', w: -100, signMode: 'mixed' }).w).toEqual([-256]);
    // one product changes the accumulator by at most 2^15 − 1 units = 256 weight units: 200 → −56
    expect(pair([], [1], 1, { rule: 'dw = -7*2^8*y0', w: 200, signMode: 'mixed' }).w).toEqual([-56]);
  });
});

describe('other targets, factors and dependencies', () => {
  it('dd learns delays in delay units, clipped to 0..62', () => {
    const up = pair([1], [1], 1, { rule: 'dd = x0*y0', delay: 5 });
    expect(up.syn.delay![0]).toBe(6);
    expect(pair([1], [], 1, { rule: 'dd = -2*x0', delay: 1 }).syn.delay![0]).toBe(0);
    expect(pair([1], [], 1, { rule: 'dd = 4*x0', delay: 61 }).syn.delay![0]).toBe(62);
  });

  it('dt learns tags (9-bit signed)', () => {
    expect(pair([1], [], 1, { rule: 'dt = 3*x0 - y0', tag: 10 }).syn.tag![0]).toBe(13);
    expect(pair([], [1], 1, { rule: 'dt = 3*x0 - 2^7*y0', tag: -200 }).syn.tag![0]).toBe(-256);
  });

  it('reads w, constants and sgn: weight decay towards 64 at each pre spike', () => {
    // dw = -2^-2 · x0 · (w − 64): 100 → 100 − 9 = 91 → 91 − 6.75 → floor 84.25 = 84
    const { w } = pair([1, 2], [], 2, { rule: 'dw = -2^-2*x0*(w - 64)' });
    expect(w).toEqual([91, 84]);
    // sgn(w - 64) pushes away from 64 by 1 per pre spike
    expect(pair([1, 2], [], 2, { rule: 'dw = x0*sgn(w - 64)', w: 70 }).w).toEqual([71, 72]);
    expect(pair([1, 2], [], 2, { rule: 'dw = x0*sgn(w - 64)', w: 60 }).w).toEqual([59, 58]);
  });

  it('u applies every epoch; u1 every second epoch; traces read at the epoch end', () => {
    // dw = u · 2^-2 · x1 with epoch 2: pre at 1 → x1 at step 2 = 32 → +8 at step 2; at step 4 x1 = 8 → +2
    expect(pair([1], [], 4, { rule: 'dw = 2^-2*u*x1', epoch: 2 }).w).toEqual([100, 108, 108, 110]);
    // u1: active on epochs 2, 4, … (epoch index a multiple of 2^1): steps 4 and 8
    const { w, engine } = pair([], [], 8, { rule: 'dw = u1', epoch: 2 });
    expect(w).toEqual([100, 100, 100, 101, 101, 101, 101, 102]);
    expect(engine.learnUpdates).toBe(2);
  });

  it('counts only synapses with an active dependency', () => {
    const params = learningParams({ rule: STDP, traces: { x1: { impulse: 8 }, y1: { impulse: 8 } }, rounding: 'floor' });
    // 3 pre axons × 2 post compartments, all-to-all
    const pre = new Uint32Array([0, 0, 1, 1, 2, 2]);
    const post = new Uint32Array([0, 1, 0, 1, 0, 1]);
    const syn = { pre, post, weight: new Int16Array(6).fill(50) };
    const e = new LearningEngine(params, syn, 3, 2, { seed: 0, signMode: 'excitatory', numWeightBits: 8 });
    expect(e.onStep(1, new Uint8Array([1, 0, 0]), new Uint8Array([0, 0]))).toBe(2);
    expect(e.onStep(2, new Uint8Array([0, 0, 0]), new Uint8Array([0, 1]))).toBe(3);
    expect(e.learnUpdates).toBe(5);
    // pre 0 (x1 = 8, no decay) and post 1: +2 on synapse (0 → 1); the others stay
    expect([...syn.weight]).toEqual([50, 52, 50, 50, 50, 50]);
  });

  it('refuses rules that need delays or tags the projection lacks, and bad epochs', () => {
    const syn = { pre: new Uint32Array([0]), post: new Uint32Array([0]), weight: new Int16Array([0]) };
    const opts = { seed: 0, signMode: 'mixed' as const, numWeightBits: 8 };
    expect(() => new LearningEngine(learningParams({ rule: 'dd = x0' }), syn, 1, 1, opts)).toThrow(InputError);
    expect(() => new LearningEngine(learningParams({ rule: 'dw = x0*t' }), syn, 1, 1, opts)).toThrow(/tag/);
    expect(() => new LearningEngine(learningParams({ rule: 'dw = x0', epoch: 64 }), syn, 1, 1, opts)).toThrow(/1\.\.63/);
    expect(() => new LearningEngine(learningParams({ rule: 'dw = x0' }), syn, 1, 0, opts)).toThrow(/outside/);
  });

  it('is deterministic: same seed and spikes give identical weights; other streams differ', () => {
    const runOnce = (stream: number) => {
      const n = 40;
      const params = learningParams({ rule: STDP, traces: { x1: { impulse: 20.3, decay: 500 }, y1: { impulse: 17.7, decay: 700 } } });
      const pre = new Uint32Array(n * n);
      const post = new Uint32Array(n * n);
      for (let i = 0; i < n * n; i++) {
        pre[i] = i % n;
        post[i] = Math.floor(i / n);
      }
      const syn = { pre, post, weight: new Int16Array(n * n).fill(120) };
      const e = new LearningEngine(params, syn, n, n, { seed: 77, stream, signMode: 'excitatory', numWeightBits: 8 });
      const ps = new Uint8Array(n);
      const qs = new Uint8Array(n);
      for (let t = 1; t <= 30; t++) {
        for (let i = 0; i < n; i++) {
          ps[i] = (i * 7 + t * 3) % 11 === 0 ? 1 : 0;
          qs[i] = (i * 5 + t * 2) % 13 === 0 ? 1 : 0;
        }
        e.onStep(t, ps, qs);
      }
      return [...syn.weight];
    };
    expect(runOnce(0)).toEqual(runOnce(0));
    expect(runOnce(1)).not.toEqual(runOnce(0));
  });
});

describe('synapses inside a shared synapse memory', () => {
  it('updates weight[slot[s]] and leaves the other slots alone', () => {
    const params = learningParams({ rule: STDP, traces: { x1: { impulse: 8 }, y1: { impulse: 8 } }, rounding: 'floor' });
    // memory of 5 synapses; the plastic projection owns slots 3 and 1
    const weight = new Int16Array([10, 20, 30, 40, 50]);
    const syn = { pre: new Uint32Array([0, 1]), post: new Uint32Array([0, 0]), weight, slot: new Uint32Array([3, 1]) };
    const e = new LearningEngine(params, syn, 2, 1, { seed: 0, signMode: 'excitatory', numWeightBits: 8 });
    e.onStep(1, new Uint8Array([1, 0]), new Uint8Array([0]));
    e.onStep(2, new Uint8Array([0, 0]), new Uint8Array([1]));
    // axon 0 spiked at step 1 (x1 = 8, no decay), the compartment at step 2: slot 3 gets +2; axon 1 never spiked
    expect([...weight]).toEqual([10, 20, 30, 42, 50]);
    expect(() => new LearningEngine(params, { ...syn, slot: new Uint32Array([3, 9]) }, 2, 1, { seed: 0, signMode: 'excitatory', numWeightBits: 8 })).toThrow(/outside the weight array/);
  });
});

describe('invariants under random rules and spike trains (fuzz)', () => {
  it('weights stay on the grid and in range, delays 0..62, tags −256..255, traces 0..127', async () => {
    const fc = (await import('fast-check')).default;
    const { quantizeWeight } = await import('../../emulator/core/synapse.js');
    const name = fc.constantFrom('x1', 'x2', 'y1', 'y2', 'y3', 'w', 'd', 't', '(w - 100)', 'sgn(w + 3)', '(y2 + 40)');
    const product = fc.tuple(fc.constantFrom('x0', 'y0', 'u'), fc.integer({ min: -8, max: 7 }), fc.integer({ min: -7, max: 8 }), fc.array(name, { maxLength: 3 }));
    const series = (t: string) =>
      fc.array(product, { minLength: 1, maxLength: 3 }).map((ps) => `${t} = ` + ps.map(([d, m, e, f]) => `${m < 0 ? '-' : '+'}${Math.abs(m)}*2^${e}*${[d, ...f].join('*')}`).join(' '));
    fc.assert(
      fc.property(
        series('dw'),
        series('dd'),
        series('dt'),
        fc.record({
          epoch: fc.integer({ min: 1, max: 6 }),
          signMode: fc.constantFrom<SignMode>('mixed', 'excitatory', 'inhibitory'),
          bits: fc.integer({ min: 1, max: 8 }),
          rounding: fc.constantFrom<Rounding>('stochastic', 'nearest', 'floor'),
          seed: fc.integer({ min: 0, max: 1e6 }),
          impulse: fc.double({ min: 0, max: 127, noNaN: true }),
          decay: fc.integer({ min: 0, max: 4096 }),
        }),
        (dw, dd, dt, o) => {
          const nPre = 3;
          const nPost = 3;
          const tr = { impulse: o.impulse, decay: o.decay };
          const params = learningParams({ rule: `${dw}; ${dd}; ${dt}`, epoch: o.epoch, rounding: o.rounding, traces: { x1: tr, x2: tr, y1: tr, y2: tr, y3: tr } });
          const n = nPre * nPost;
          const syn = {
            pre: Uint32Array.from({ length: n }, (_, i) => i % nPre),
            post: Uint32Array.from({ length: n }, (_, i) => Math.floor(i / nPre)),
            weight: Int16Array.from({ length: n }, (_, i) => quantizeWeight(((i * 97) % 511) - 255, o.signMode, o.bits)),
            delay: new Uint8Array(n).fill(30),
            tag: new Int16Array(n),
          };
          const e = new LearningEngine(params, syn, nPre, nPost, { seed: o.seed, signMode: o.signMode, numWeightBits: o.bits });
          const lo = quantizeWeight(-1000, o.signMode, o.bits);
          const hi = quantizeWeight(1000, o.signMode, o.bits);
          const grid = 2 ** (8 - o.bits + (o.signMode === 'mixed' ? 1 : 0));
          const ps = new Uint8Array(nPre);
          const qs = new Uint8Array(nPost);
          for (let t = 1; t <= 12; t++) {
            for (let i = 0; i < 3; i++) {
              ps[i] = (o.seed + i * 5 + t * 3) % 4 === 0 ? 1 : 0;
              qs[i] = (o.seed + i * 7 + t) % 5 === 0 ? 1 : 0;
            }
            e.onStep(t, ps, qs);
            const bad: string[] = [];
            for (const w of syn.weight) if (w < lo || w > hi || w % grid !== 0) bad.push(`weight ${w}`);
            for (const d of syn.delay) if (d > 62) bad.push(`delay ${d}`);
            for (const tg of syn.tag) if (tg < -256 || tg > 255) bad.push(`tag ${tg}`);
            for (const arr of [e.traces.x1, e.traces.x2, e.traces.y1, e.traces.y2, e.traces.y3]) for (const x of arr) if (x > 127) bad.push(`trace ${x}`);
            expect(bad).toEqual([]);
          }
        },
      ),
      { numRuns: 120, seed: 99 },
    );
  });
});
