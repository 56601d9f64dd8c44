/** Seeded test data for the crossbar suites (counter-based RNG, so every vector is reproducible). */
import { RNG_BLOCK, randInt, randU32 } from '../../emulator/util/rng.js';
import type { Crossbar } from '../../emulator/pim/index.js';

/** n integers uniform in [lo, hi], keyed by (seed, stream). */
export function randomInts(seed: number, stream: number, n: number, lo: number, hi: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = randInt(seed, RNG_BLOCK.workload, stream, i, lo, hi);
  return out;
}

/** Random weights in the array's range, rows × weightCols. */
export function randomWeights(xb: Crossbar, seed: number): Int32Array {
  const g = xb.geometry;
  return randomInts(seed, 1, xb.params.rows * g.weightCols, g.weightMin, g.weightMax);
}

/** Random inputs in the array's input range. */
export function randomInputs(xb: Crossbar, seed: number, stream = 2): Int32Array {
  const g = xb.geometry;
  return randomInts(seed, stream, xb.params.rows, g.inputMin, g.inputMax);
}

/** Plain integer product y = x · W (W row-major rows × cols). */
export function matVec(x: Int32Array, w: Int32Array, cols: number): Int32Array {
  const y = new Int32Array(cols);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const o = i * cols;
    for (let j = 0; j < cols; j++) y[j] += xi * w[o + j];
  }
  return y;
}

/** Mean absolute difference. */
export function mae(a: Int32Array, b: Int32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** A random packed D-bit vector (bits past D zero). */
export function randomBits(seed: number, stream: number, dimension: number): Uint32Array {
  const words = (dimension + 31) >>> 5;
  const v = new Uint32Array(words);
  for (let k = 0; k < words; k++) v[k] = randU32(seed, RNG_BLOCK.hdc, stream, k);
  const r = dimension & 31;
  if (r) v[words - 1] &= (1 << r) - 1;
  return v;
}

/** Copy of v with exactly `count` distinct bits (of the first D) flipped. */
export function flipBits(v: Uint32Array, dimension: number, count: number, seed: number): Uint32Array {
  const out = new Uint32Array(v);
  const idx = Array.from({ length: dimension }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + (randU32(seed, RNG_BLOCK.hdc, 999_999, i) % (dimension - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
    out[idx[i] >>> 5] ^= 1 << (idx[i] & 31);
  }
  return out;
}

/** Reference Hamming distance, bit by bit. */
export function hammingRef(a: Uint32Array, b: Uint32Array, dimension: number): number {
  let d = 0;
  for (let j = 0; j < dimension; j++) d += ((a[j >>> 5] ^ b[j >>> 5]) >>> (j & 31)) & 1;
  return d;
}
