/**
 * Counter-based random numbers: every draw is a pure function of (seed, block, step, index).
 *
 * This is aerie's determinism contract. A draw never depends on how many draws came before it,
 * so results do not depend on the order in which blocks run or on how cores are split across
 * threads, processes or machines. The mixer is a 32-bit integer hash (a chain of
 * multiply-xorshift rounds in the style of the murmur3 finaliser / "lowbias32"), fed one
 * key word at a time. It is not cryptographic; it passes the uniformity checks in
 * test/util/rng.test.ts.
 *
 * `block` identifies who draws (see RNG_BLOCK), `step` the algorithmic time step, `index` the
 * element (compartment, synapse, packet, ...).
 */

/** Stream identifiers, one per kind of randomness, so independent uses never share draws. */
export const RNG_BLOCK = {
  poissonSource: 1,
  connect: 2,
  connectWeight: 3,
  placement: 4,
  nocTraffic: 5,
  crossbar: 6,
  learning: 7,
  hdc: 8,
  workload: 9,
  sanafe: 10,
} as const;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform 32-bit unsigned integer for the key (seed, block, step, index). */
export function randU32(seed: number, block: number, step: number, index: number): number {
  let h = mix32((seed | 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(block | 0, 0x85ebca6b) ^ 0x27d4eb2f);
  h = mix32(h ^ (step | 0));
  h = mix32(h + Math.imul(index | 0, 0xc2b2ae35));
  // fold the high part of keys beyond 32 bits (large indices/steps stay distinct)
  const hiStep = Math.floor(step / 4294967296);
  const hiIndex = Math.floor(index / 4294967296);
  if (hiStep !== 0 || hiIndex !== 0) h = mix32(h ^ Math.imul(hiStep, 0x165667b1) ^ hiIndex);
  return h;
}

/** Uniform float in [0, 1) with 32 bits of resolution for the key. */
export function randUnit(seed: number, block: number, step: number, index: number): number {
  return randU32(seed, block, step, index) / 4294967296;
}

/** Uniform integer in [lo, hi] (inclusive) for the key. */
export function randInt(seed: number, block: number, step: number, index: number, lo: number, hi: number): number {
  const span = hi - lo + 1;
  return lo + Math.floor(randUnit(seed, block, step, index) * span);
}

/** Standard normal deviate for the key (Box–Muller over two counter draws). */
export function randNormal(seed: number, block: number, step: number, index: number): number {
  const u1 = (randU32(seed, block, step, 2 * index) + 1) / 4294967297;
  const u2 = randU32(seed, block, step, 2 * index + 1) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Threshold for a Bernoulli draw with probability p against randU32: `randU32(...) < threshold`.
 * p is clamped to [0, 1]; p = 1 always fires.
 */
export function bernoulliThreshold(p: number): number {
  if (!(p > 0)) return 0;
  if (p >= 1) return 4294967296;
  return Math.floor(p * 4294967296);
}
