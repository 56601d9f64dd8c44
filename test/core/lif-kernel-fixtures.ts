/** Shared pieces of the LIF kernel tests: a core's kernel arrays in an arena, and loading a drawn state. */
import type { CoreKernelArrays, KernelArena } from '../../emulator/core/kernels/index.js';

/** One core's kernel arrays of n compartments, allocated in `ar`. */
export function kernelArrays(ar: KernelArena, n: number): CoreKernelArrays {
  return {
    u: ar.int32(n), v: ar.int32(n), input: ar.int32(n), decayU: ar.int32(n), decayV: ar.int32(n),
    bias: ar.int32(n), vthScaled: ar.int32(n), refractoryCount: ar.int32(n), refractory: ar.int32(n), spikeBuf: ar.int32(n),
  };
}

/** A drawn compartment state: per-compartment values of every kernel array (a = input). */
export interface KernelState {
  u: number[]; v: number[]; a: number[]; ru: number[]; rv: number[]; bias: number[]; vth: number[]; rc: number[]; refr: number[];
}

/** Write a state into the arrays (the input only when `input`, default true; spike buffer poisoned). */
export function loadState(arr: CoreKernelArrays, s: KernelState, input = true): void {
  arr.u.set(s.u);
  arr.v.set(s.v);
  if (input) arr.input.set(s.a);
  arr.decayU.set(s.ru);
  arr.decayV.set(s.rv);
  arr.bias.set(s.bias);
  arr.vthScaled.set(s.vth);
  arr.refractoryCount.set(s.rc);
  arr.refractory.set(s.refr);
  arr.spikeBuf.fill(-1);
}
