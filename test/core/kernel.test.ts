/** The WebAssembly SIMD LIF kernel agrees bit for bit with the TypeScript reference model. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KernelArena, LIF_UNIFORM, LIF_UNIFORM_ACTIVE, createLifKernel, lifVariant, uniformParameters } from '../../emulator/core/kernels/index.js';
import { decay, MAX_UV, V_MAX, V_MIN } from '../../emulator/core/lif.js';
import { kernelArrays, loadState, type KernelState } from './lif-kernel-fixtures.js';

/** Scalar reference of one LIF update (emulator/core/lif.ts semantics). */
function reference(s: KernelState, start: number, end: number) {
  const spikes: number[] = [];
  let active = 0;
  for (let i = start; i < end; i++) {
    if (s.u[i] !== 0 || s.v[i] !== 0 || s.a[i] !== 0 || s.bias[i] !== 0) active++;
    let un = (decay(s.u[i], s.ru[i]) + (s.a[i] << 6)) | 0;
    if (un > MAX_UV) un -= 2 * MAX_UV;
    else if (un <= -MAX_UV) un += 2 * MAX_UV;
    s.u[i] = un;
    if (s.rc[i] > 0) {
      s.rc[i]--;
      s.v[i] = 0;
      continue;
    }
    let vn = decay(s.v[i], s.rv[i]) + un + s.bias[i];
    vn = Math.min(V_MAX, Math.max(V_MIN, vn));
    if (vn > s.vth[i]) {
      s.v[i] = 0;
      s.rc[i] = s.refr[i];
      spikes.push(i);
    } else s.v[i] = vn;
  }
  return { spikes, active };
}

const state = (n: number) =>
  fc.record({
    u: fc.array(fc.integer({ min: -(2 ** 23) + 1, max: 2 ** 23 }), { minLength: n, maxLength: n }),
    v: fc.array(fc.integer({ min: V_MIN, max: V_MAX }), { minLength: n, maxLength: n }),
    a: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 17), max: 2 ** 17 }), fc.integer({ min: -(2 ** 25), max: 2 ** 25 })), { minLength: n, maxLength: n }),
    ru: fc.array(fc.integer({ min: 0, max: 4095 }), { minLength: n, maxLength: n }),
    rv: fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: n, maxLength: n }),
    bias: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -4096 * 128, max: 4095 * 128 })), { minLength: n, maxLength: n }),
    vth: fc.array(fc.integer({ min: 0, max: (2 ** 17 - 1) * 64 }), { minLength: n, maxLength: n }),
    rc: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 63 })), { minLength: n, maxLength: n }),
    refr: fc.array(fc.integer({ min: 0, max: 63 }), { minLength: n, maxLength: n }),
  });

describe('WebAssembly LIF kernel', () => {
  const N = 23; // not a multiple of 4: the scalar tail runs too
  const arena = new KernelArena(KernelArena.bytesFor(Array(10).fill(N)));
  const kernel = createLifKernel(arena);

  it('is built (npm run build / the test setup compiles lif.wat)', () => {
    expect(kernel).not.toBeNull();
  });

  it('spikes only strictly above threshold, in SIMD lanes and the scalar tail', () => {
    const n = 8;
    const ar = new KernelArena(KernelArena.bytesFor(Array(10).fill(n)));
    const k = createLifKernel(ar)!;
    const c = kernelArrays(ar, n);
    // v' = bias exactly (no decay of a zero state): equal to the threshold on even lanes, one above on odd
    c.decayV.fill(4096);
    c.vthScaled.fill(640);
    for (let i = 0; i < n; i++) c.bias[i] = i % 2 ? 641 : 640;
    const [ns, active] = k.update(0, 7, c, 0); // lanes 0-3 in SIMD, 4-6 scalar
    expect(Array.from(c.spikeBuf.subarray(0, ns))).toEqual([1, 3, 5]);
    expect(active).toBe(7);
    expect(Array.from(c.v.subarray(0, 7))).toEqual([640, 0, 640, 0, 640, 0, 640]);
  });

  it('agrees with the reference on random states, ranges and inputs', () => {
    const arr = kernelArrays(arena, N);
    fc.assert(
      fc.property(state(N), fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: 3 }), (s, x, y, base) => {
        const start = Math.min(x, y);
        const end = Math.max(x, y);
        loadState(arr, s);
        const [ns, active] = kernel!.update(start, end, arr, base);
        const ref = reference(s, start, end);
        expect(Array.from(arr.u)).toEqual(s.u);
        expect(Array.from(arr.v)).toEqual(s.v);
        expect(Array.from(arr.refractoryCount)).toEqual(s.rc);
        expect(Array.from(arr.spikeBuf.subarray(base, ns))).toEqual(ref.spikes);
        expect(ns - base).toBe(ref.spikes.length);
        expect(active).toBe(ref.active);
      }),
      { numRuns: 400, seed: 77, endOnFailure: true },
    );
  });

  it('uniform variants (parameters broadcast from the first compartment of the range) agree with the reference', () => {
    const arr = kernelArrays(arena, N);
    // uniform over [start, end): the range's parameters are one draw; outside it they differ (the
    // variant must read the range's own values, not those of compartment 0). LIF_UNIFORM_ACTIVE
    // ranges have a non-zero bias (every compartment active, which the variant does not count).
    fc.assert(
      fc.property(state(N), state(1), fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(LIF_UNIFORM, LIF_UNIFORM_ACTIVE), (s, p, x, y, base, variant) => {
        const start = Math.min(x, y);
        const end = Math.max(x, y);
        const bias = variant === LIF_UNIFORM_ACTIVE && p.bias[0] === 0 ? -77 : p.bias[0];
        for (let i = start; i < end; i++) {
          s.ru[i] = p.ru[0];
          s.rv[i] = p.rv[0];
          s.bias[i] = bias;
          s.vth[i] = p.vth[0];
          s.refr[i] = p.refr[0];
        }
        loadState(arr, s);
        expect(uniformParameters(arr, start, end)).toBe(end > start);
        if (end > start) expect(lifVariant(arr, start, end)).toBe(bias !== 0 ? LIF_UNIFORM_ACTIVE : LIF_UNIFORM);
        const [ns, active] = kernel!.update(start, end, arr, base, variant);
        const ref = reference(s, start, end);
        expect(Array.from(arr.u)).toEqual(s.u);
        expect(Array.from(arr.v)).toEqual(s.v);
        expect(Array.from(arr.refractoryCount)).toEqual(s.rc);
        expect(Array.from(arr.spikeBuf.subarray(base, ns))).toEqual(ref.spikes);
        expect(active).toBe(ref.active);
      }),
      { numRuns: 400, seed: 79, endOnFailure: true },
    );
  });

  it('uniformParameters() sees a difference in any one parameter at any position', () => {
    const n = 9;
    const ar = new KernelArena(KernelArena.bytesFor(Array(10).fill(n)));
    const c = kernelArrays(ar, n);
    expect(uniformParameters(c, 0, n)).toBe(true);
    expect(uniformParameters(c, 3, 3)).toBe(false); // an empty range takes the general kernel
    for (const p of [c.decayU, c.decayV, c.bias, c.vthScaled, c.refractory]) {
      for (const i of [0, 4, n - 1]) {
        p[i] = 7;
        expect(uniformParameters(c, 0, n)).toBe(false);
        p[i] = 0;
      }
    }
    c.bias[8] = 1;
    expect(uniformParameters(c, 0, 8)).toBe(true);
  });
});
