/**
 * Binary spatter-code hypervectors (BSC), packed 32 bits per word, bit j of a vector in word
 * j >>> 5 at bit j & 31. These are the *reference* operations: the model computes on the emulated
 * crossbars (machine.ts); the tests compare the hardware results against these.
 *
 * - random: every bit from the counter-based generator, key (seed, RNG_BLOCK.hdc, stream, bit index);
 * - bind: XOR (self-inverse);
 * - bundle: bitwise majority; a dimension with as many ones as zeros takes a seeded random bit,
 *   key (seed, RNG_BLOCK.hdc, tieStream, dimension) — never call order;
 * - permute: cyclic rotation by k positions (bit j moves to (j + k) mod D).
 */
import { RNG_BLOCK, randU32 } from '../../emulator/util/rng.js';
import { lastWordMask, popcount32, wordsFor } from '../../emulator/pim/popcount.js';

export function hvWords(dimension: number): number {
  return wordsFor(dimension);
}

/** A random D-bit hypervector: bit j = low bit of randU32(seed, hdc, stream, j). */
export function randomHv(dimension: number, seed: number, stream: number, out = new Uint32Array(wordsFor(dimension))): Uint32Array {
  out.fill(0);
  for (let j = 0; j < dimension; j++) if (randU32(seed, RNG_BLOCK.hdc, stream, j) & 1) out[j >>> 5] |= 1 << (j & 31);
  return out;
}

export function getHvBit(v: Uint32Array, j: number): number {
  return (v[j >>> 5] >>> (j & 31)) & 1;
}

/** out = a XOR b. */
export function bindHv(a: Uint32Array, b: Uint32Array, out = new Uint32Array(a.length)): Uint32Array {
  for (let w = 0; w < a.length; w++) out[w] = (a[w] ^ b[w]) >>> 0;
  return out;
}

/** out = ρ^k(v): bit j of v moves to position (j + k) mod D. */
export function permuteHv(v: Uint32Array, dimension: number, k: number, out = new Uint32Array(v.length)): Uint32Array {
  if (out === v) throw new Error('permuteHv: out must not alias v');
  out.fill(0);
  const s = ((k % dimension) + dimension) % dimension;
  for (let j = 0; j < dimension; j++) {
    if ((v[j >>> 5] >>> (j & 31)) & 1) {
      const t = j + s >= dimension ? j + s - dimension : j + s;
      out[t >>> 5] |= 1 << (t & 31);
    }
  }
  return out;
}

/**
 * Majority of bipolar sums: bit j = 1 when sums[j] > 0, 0 when < 0, a seeded random bit when 0.
 * `sums[j]` = (#ones − #zeros) over the bundled vectors.
 */
export function thresholdSums(sums: Int32Array, dimension: number, seed: number, tieStream: number, out: Uint32Array): Uint32Array {
  out.fill(0);
  for (let j = 0; j < dimension; j++) {
    const s = sums[j];
    const bit = s > 0 ? 1 : s < 0 ? 0 : randU32(seed, RNG_BLOCK.hdc, tieStream, j) & 1;
    if (bit) out[j >>> 5] |= 1 << (j & 31);
  }
  return out;
}

/** Reference bundle: majority of `vectors` with the seeded tie-break of thresholdSums. */
export function bundleHv(vectors: Uint32Array[], dimension: number, seed: number, tieStream: number): Uint32Array {
  const sums = new Int32Array(dimension);
  for (const v of vectors) for (let j = 0; j < dimension; j++) sums[j] += getHvBit(v, j) ? 1 : -1;
  return thresholdSums(sums, dimension, seed, tieStream, new Uint32Array(wordsFor(dimension)));
}

export function hammingHv(a: Uint32Array, b: Uint32Array, dimension: number): number {
  const mask = lastWordMask(dimension);
  let d = 0;
  const last = a.length - 1;
  for (let w = 0; w < last; w++) d += popcount32((a[w] ^ b[w]) >>> 0);
  d += popcount32(((a[last] ^ b[last]) & mask) >>> 0);
  return d;
}
