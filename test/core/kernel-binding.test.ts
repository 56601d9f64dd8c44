/**
 * The bound form of the WebAssembly LIF kernel (what the step loop uses): same results as the
 * one-off update(), and with setInput(…, clear) it consumes the input in place (the core's
 * accumulator slot) — every word it read is zero afterwards, words outside [start, end) untouched.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KernelArena, LIF_GENERAL, LIF_UNIFORM, LIF_UNIFORM_ACTIVE, createLifKernel } from '../../emulator/core/kernels/index.js';
import { kernelArrays, loadState } from './lif-kernel-fixtures.js';

const N = 23; // not a multiple of 4: the scalar tail runs too

const arrays = (ar: KernelArena) => kernelArrays(ar, N);

const vec = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: N, maxLength: N });

describe('bound WebAssembly LIF kernel', () => {
  // two copies of the same state: one run by update(), one by a binding reading a separate slot
  const arena = new KernelArena(KernelArena.bytesFor([...Array(20).fill(N), N, 12]));
  const kernel = createLifKernel(arena)!;
  const a = arrays(arena);
  const b = arrays(arena);
  const slot = arena.int32(N);
  const bound = kernel.bind(b);

  it('agrees with update() and clears exactly the input words it read', () => {
    fc.assert(
      fc.property(
        fc.record({ u: vec(-(2 ** 23) + 1, 2 ** 23), v: vec(-(2 ** 23) + 1, 2 ** 23 - 1), a: vec(-(2 ** 17), 2 ** 17), ru: vec(0, 4095), rv: vec(1, 4096), bias: vec(-(2 ** 19), 2 ** 19), vth: vec(0, 2 ** 23), rc: vec(0, 3), refr: vec(0, 3) }),
        fc.nat(N),
        fc.nat(N),
        fc.boolean(),
        fc.constantFrom(LIF_GENERAL, LIF_UNIFORM, LIF_UNIFORM_ACTIVE),
        (s, x, y, clear, variant) => {
          const start = Math.min(x, y);
          const end = Math.max(x, y);
          // the uniform variants: the range shares the parameters of its first compartment (and, for
          // LIF_UNIFORM_ACTIVE, a non-zero bias)
          if (variant === LIF_UNIFORM_ACTIVE && s.bias[start] === 0) s.bias[start] = 5;
          if (variant !== LIF_GENERAL) for (const k of ['ru', 'rv', 'bias', 'vth', 'refr'] as const) for (let i = start; i < end; i++) s[k][i] = s[k][start];
          for (const c of [a, b]) loadState(c, s, false);
          a.input.set(s.a);
          slot.set(s.a);
          const [ns, active] = kernel.update(start, end, a, 0, variant);
          bound.setInput(slot.byteOffset, clear);
          const ns2 = bound.run(start, end, 0, variant);
          expect(ns2).toBe(ns);
          // the all-active variant leaves the count to the caller (update() returns the range's size)
          if (variant === LIF_UNIFORM_ACTIVE && end > start) expect(active).toBe(end - start);
          else expect(bound.active).toBe(active);
          expect(Array.from(b.spikeBuf.subarray(0, ns))).toEqual(Array.from(a.spikeBuf.subarray(0, ns)));
          expect(Array.from(b.u)).toEqual(Array.from(a.u));
          expect(Array.from(b.v)).toEqual(Array.from(a.v));
          expect(Array.from(b.refractoryCount)).toEqual(Array.from(a.refractoryCount));
          expect(Array.from(slot)).toEqual(s.a.map((w, i) => (clear && i >= start && i < end ? 0 : w)));
        },
      ),
      { numRuns: 300, seed: 78 },
    );
  });
});
