import { describe, expect, it } from 'vitest';
import { decayFromTau, splitImpulse, stepTrace, TraceBank, type TraceParams } from '../../emulator/core/learning/index.js';
import type { TraceName } from '../../emulator/core/learning/index.js';

const ONE = new Uint8Array([1]);
const ZERO = new Uint8Array([0]);

/** Run one trace element through a spike pattern; returns the value after each step. */
function run(pattern: number[], impulse: number, decay: number, rounding: 'stochastic' | 'nearest' | 'floor', seed = 1): number[] {
  const { int, frac } = splitImpulse(impulse);
  const v = new Uint8Array(1);
  return pattern.map((spk, t) => {
    stepTrace(v, spk ? ONE : ZERO, decay, int, frac, rounding, seed, t + 1, 0);
    return v[0];
  });
}

describe('trace arithmetic (7-bit, decay and impulse)', () => {
  it('decay halves with decay = 2048: exact values with floor and nearest', () => {
    expect(run([1, 0, 0, 0, 0, 0, 0, 0], 100, 2048, 'floor')).toEqual([100, 50, 25, 12, 6, 3, 1, 0]);
    expect(run([1, 0, 0, 0, 0, 0, 0, 0], 100, 2048, 'nearest')).toEqual([100, 50, 25, 13, 7, 4, 2, 1]);
  });

  it('applies decay before the impulse of the same step and saturates at 127', () => {
    // 64 → decays to 32 then +64 = 96; next: 48 + 64 = 112; next: 56 + 64 = 120 ; no decay: saturates
    expect(run([1, 1, 1, 1], 64, 2048, 'floor')).toEqual([64, 96, 112, 120]);
    expect(run([1, 1, 1], 100, 0, 'floor')).toEqual([100, 127, 127]);
    expect(run([1, 0, 0], 127, 0, 'stochastic')).toEqual([127, 127, 127]);
  });

  it('decay 4096 clears a trace every step; decay 0 keeps it', () => {
    expect(run([1, 0, 1, 0], 20, 4096, 'stochastic')).toEqual([20, 0, 20, 0]);
    expect(run([1, 0, 0], 20, 0, 'stochastic')).toEqual([20, 20, 20]);
  });

  it('uses 12-bit decay multipliers: 100 · (4096 − 1000) / 4096 = 75.59', () => {
    expect(run([1, 0], 100, 1000, 'floor')).toEqual([100, 75]);
    expect(run([1, 0], 100, 1000, 'nearest')).toEqual([100, 76]);
  });

  it('splits impulses into integer and 7 fractional bits (Lava)', () => {
    expect(splitImpulse(10.5)).toEqual({ int: 10, frac: 64 });
    expect(splitImpulse(3.25)).toEqual({ int: 3, frac: 32 });
    expect(splitImpulse(2.999)).toEqual({ int: 3, frac: 0 });
    expect(run([1], 10.5, 0, 'floor')).toEqual([10]);
    expect(run([1], 10.5, 0, 'nearest')).toEqual([11]);
    expect(run([1], 10.25, 0, 'nearest')).toEqual([10]);
  });

  it('derives decay from tau as round(4096·(1 − e^(−1/tau))), tau 0 = no decay', () => {
    expect(decayFromTau(10)).toBe(390);
    expect(decayFromTau(1)).toBe(2589);
    expect(decayFromTau(0)).toBe(0);
    expect(decayFromTau(1e6)).toBe(0);
  });
});

describe('stochastic rounding of traces', () => {
  const N = 20000;
  function decayMany(seed: number, step: number, value: number, decay: number): Uint8Array {
    const v = new Uint8Array(N).fill(value);
    stepTrace(v, new Uint8Array(N), decay, 0, 0, 'stochastic', seed, step, 0);
    return v;
  }

  it('is reproducible for a seed and differs across seeds and steps', () => {
    const a = decayMany(7, 3, 100, 1000);
    expect(decayMany(7, 3, 100, 1000)).toEqual(a);
    expect(decayMany(8, 3, 100, 1000)).not.toEqual(a);
    expect(decayMany(7, 4, 100, 1000)).not.toEqual(a);
    // only the two neighbours of the exact value occur
    expect(new Set(a)).toEqual(new Set([75, 76]));
  });

  it('is unbiased on average: decay and fractional impulses', () => {
    const v = decayMany(11, 1, 100, 1000);
    const mean = v.reduce((s, x) => s + x, 0) / N;
    expect(Math.abs(mean - (100 * 3096) / 4096)).toBeLessThan(0.02);

    const w = new Uint8Array(N);
    stepTrace(w, new Uint8Array(N).fill(1), 0, 10, 32, 'stochastic', 11, 1, 0); // impulse 10.25
    const meanW = w.reduce((s, x) => s + x, 0) / N;
    expect(Math.abs(meanW - 10.25)).toBeLessThan(0.02);
  });

  it('stochastic decay reaches 0 where round-to-nearest sticks at 2 (2·3096/4096 = 1.51)', () => {
    const spikes = [1, ...new Array(60).fill(0)];
    expect(run(spikes, 8, 1000, 'nearest').at(-1)).toBe(2);
    expect(run(spikes, 8, 1000, 'stochastic', 3).at(-1)).toBe(0);
  });

  it('a draw depends only on (seed, step, element): a trace element is the same alone or in a larger array', () => {
    const big = new Uint8Array(50).fill(90);
    stepTrace(big, new Uint8Array(50), 700, 0, 0, 'stochastic', 5, 9, 100);
    for (const i of [0, 17, 49]) {
      const one = new Uint8Array([90]);
      stepTrace(one, new Uint8Array(1), 700, 0, 0, 'stochastic', 5, 9, 100 + i);
      expect(one[0]).toBe(big[i]);
    }
  });
});

describe('TraceBank', () => {
  const params = (impulse: number, decay: number): Record<TraceName, TraceParams> => ({
    x1: { impulse, decay },
    x2: { impulse: impulse / 2, decay },
    y1: { impulse, decay },
    y2: { impulse: 3, decay: 0 },
    y3: { impulse: 5, decay: 4096 },
  });

  it('updates pre traces from pre spikes and post traces from post spikes, only the active ones', () => {
    const bank = new TraceBank(2, 3, params(40, 2048), new Set<TraceName>(['x1', 'x2', 'y1', 'y2']), 'floor', 1);
    bank.step(1, new Uint8Array([1, 0]), new Uint8Array([0, 1, 1]));
    expect([...bank.x1]).toEqual([40, 0]);
    expect([...bank.x2]).toEqual([20, 0]);
    expect([...bank.y1]).toEqual([0, 40, 40]);
    expect([...bank.y2]).toEqual([0, 3, 3]);
    expect([...bank.y3]).toEqual([0, 0, 0]); // inactive: never updated
    bank.step(2, new Uint8Array([0, 1]), new Uint8Array([0, 0, 1]));
    expect([...bank.x1]).toEqual([20, 40]);
    expect([...bank.y1]).toEqual([0, 20, 60]);
    expect([...bank.y2]).toEqual([0, 3, 6]);
    expect(bank.get('x2')).toBe(bank.x2);
  });

  it('gives each trace its own random stream (x1 and y1 with the same parameters round differently)', () => {
    const n = 200;
    const bank = new TraceBank(n, n, params(0, 1000), new Set<TraceName>(['x1', 'y1']), 'stochastic', 9);
    bank.x1.fill(100);
    bank.y1.fill(100);
    bank.step(1, new Uint8Array(n), new Uint8Array(n));
    expect([...bank.x1]).not.toEqual([...bank.y1]);
  });
});
