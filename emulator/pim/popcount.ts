/**
 * Packed-bit helpers for the binary (hyperdimensional) mode: vectors of D bits in ceil(D/32)
 * Uint32 words, bit j in word j >>> 5 at position j & 31.
 */

/** Set bits of a 32-bit word (SWAR: pairs, nibbles, then a byte-sum multiply). */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Words needed for D bits. */
export function wordsFor(dimension: number): number {
  return (dimension + 31) >>> 5;
}

/** Mask of the valid bits of the last word of a D-bit vector. */
export function lastWordMask(dimension: number): number {
  const r = dimension & 31;
  return r === 0 ? 0xffffffff : ((1 << r) - 1) >>> 0;
}

/**
 * Hamming distance of `q` to the row starting at word `off` of `m`, over `words` words, the last
 * one masked. This is the memory-speed fast path: blocks of 8 words go through a Harley–Seal
 * carry-save adder tree (ones/twos/fours/eights bit-planes, 5 logic ops per word) and only the
 * "eights" plane is popcounted per block; the planes left over and the tail use SWAR popcount.
 */
export function hammingPacked(q: Uint32Array, m: Uint32Array, off: number, words: number, lastMask: number): number {
  const last = words - 1;
  let ones = 0;
  let twos = 0;
  let fours = 0;
  let eights = 0;
  let w = 0;
  for (; w + 7 < last; w += 8) {
    const a0 = q[w] ^ m[off + w];
    const a1 = q[w + 1] ^ m[off + w + 1];
    const a2 = q[w + 2] ^ m[off + w + 2];
    const a3 = q[w + 3] ^ m[off + w + 3];
    const a4 = q[w + 4] ^ m[off + w + 4];
    const a5 = q[w + 5] ^ m[off + w + 5];
    const a6 = q[w + 6] ^ m[off + w + 6];
    const a7 = q[w + 7] ^ m[off + w + 7];
    // carry-save adds: (carry, sum) = CSA(x, y, z), carry = (x & y) | ((x ^ y) & z), sum = x ^ y ^ z
    let u = ones ^ a0;
    const tA = (ones & a0) | (u & a1);
    ones = u ^ a1;
    u = ones ^ a2;
    const tB = (ones & a2) | (u & a3);
    ones = u ^ a3;
    u = twos ^ tA;
    const fA = (twos & tA) | (u & tB);
    twos = u ^ tB;
    u = ones ^ a4;
    const tC = (ones & a4) | (u & a5);
    ones = u ^ a5;
    u = ones ^ a6;
    const tD = (ones & a6) | (u & a7);
    ones = u ^ a7;
    u = twos ^ tC;
    const fB = (twos & tC) | (u & tD);
    twos = u ^ tD;
    u = fours ^ fA;
    const e = (fours & fA) | (u & fB);
    fours = u ^ fB;
    eights += popcount32(e);
  }
  let d = 8 * eights + 4 * popcount32(fours) + 2 * popcount32(twos) + popcount32(ones);
  for (; w < last; w++) d += popcount32(q[w] ^ m[off + w]);
  return d + popcount32((q[last] ^ m[off + last]) & lastMask);
}

/** Bit j of a packed vector (0 or 1). */
export function getBit(v: Uint32Array, j: number): number {
  return (v[j >>> 5] >>> (j & 31)) & 1;
}
