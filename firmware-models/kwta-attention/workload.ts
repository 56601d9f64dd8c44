/**
 * The k-WTA attention workload in float64: a token sequence, a query and the three projection
 * matrices, all drawn from the counter-based generator. The emulated hardware runs on the 8-bit
 * quantized form (index.ts); the dense softmax reference (tests, README numbers) runs on these
 * floats.
 *
 * Tokens are binary spike vectors: d_model input axons of which `density` · d_model fire (a fixed
 * number per token, at random positions), as a spike-encoded token embedding of a spiking
 * transformer block. W_Q, W_K, W_V are d_model × d_model with N(0, 1/active) entries, so every
 * projected component has unit variance (the usual initialisation), and the reference softmax uses
 * the standard 1/sqrt(d_model) temperature.
 */
import { RNG_BLOCK, randNormal, randU32 } from '../../emulator/index.js';

/** Fraction of the d_model input axons one token drives (1/8; assumption: a sparse spike code). */
export const TOKEN_DENSITY = 1 / 8;

/** RNG steps of this workload's draws (block RNG_BLOCK.workload is shared by the models; these step ids keep them apart). */
const STEP_TOKENS = 0x4b57_0001;
const STEP_QUERY = 0x4b57_0002;
const STEP_WQ = 0x4b57_0003;
const STEP_WK = 0x4b57_0004;
const STEP_WV = 0x4b57_0005;

export interface AttentionWorkload {
  tokens: number;
  dModel: number;
  /** Active axons per token. */
  active: number;
  /** tokens × dModel, row-major, 0/1. */
  x: Uint8Array;
  /** The query token, dModel, 0/1. */
  xq: Uint8Array;
  /** dModel (input) × dModel (output), row-major: q_j = Σ_i x_i · wq[i·d + j]. */
  wq: Float64Array;
  wk: Float64Array;
  wv: Float64Array;
}

/** Draw `active` distinct positions of 0..n-1 into a 0/1 row (partial Fisher–Yates on counter-based draws). */
function spikeRow(out: Uint8Array, off: number, n: number, active: number, seed: number, block: number, step: number, row: number, perm: Int32Array): void {
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < active; i++) {
    const j = i + Math.floor((randU32(seed, block, step, row * n + i) / 2 ** 32) * (n - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
    out[off + perm[i]] = 1;
  }
}

export function makeAttentionWorkload(tokens: number, dModel: number, seed: number): AttentionWorkload {
  const active = Math.max(1, Math.round(dModel * TOKEN_DENSITY));
  const x = new Uint8Array(tokens * dModel);
  const xq = new Uint8Array(dModel);
  const perm = new Int32Array(dModel);
  for (let t = 0; t < tokens; t++) spikeRow(x, t * dModel, dModel, active, seed, RNG_BLOCK.workload, STEP_TOKENS, t, perm);
  spikeRow(xq, 0, dModel, active, seed, RNG_BLOCK.workload, STEP_QUERY, 0, perm);
  const mat = (step: number): Float64Array => {
    const m = new Float64Array(dModel * dModel);
    const sd = 1 / Math.sqrt(active);
    for (let i = 0; i < m.length; i++) m[i] = sd * randNormal(seed, RNG_BLOCK.workload, step, i);
    return m;
  };
  return { tokens, dModel, active, x, xq, wq: mat(STEP_WQ), wk: mat(STEP_WK), wv: mat(STEP_WV) };
}

export interface AttentionReference {
  /** q·k_t / sqrt(d_model) per token. */
  scores: Float64Array;
  /** Token indices of the k largest scores. */
  topK: number[];
  /** Σ_t softmax(scores)_t · v_t. */
  softmaxOut: Float64Array;
  /** Σ over topK of v_t (what an exact k-WTA would output). */
  topKSum: Float64Array;
}

/** Dense float64 softmax attention of the query over the sequence (the report's reference). */
export function referenceAttention(wl: AttentionWorkload, k: number): AttentionReference {
  const { tokens: T, dModel: d } = wl;
  const project = (x: Uint8Array, off: number, w: Float64Array): Float64Array => {
    const out = new Float64Array(d);
    for (let i = 0; i < d; i++) if (x[off + i]) for (let j = 0; j < d; j++) out[j] += w[i * d + j];
    return out;
  };
  const q = project(wl.xq, 0, wl.wq);
  const scores = new Float64Array(T);
  const values: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const kt = project(wl.x, t * d, wl.wk);
    let s = 0;
    for (let j = 0; j < d; j++) s += q[j] * kt[j];
    scores[t] = s / Math.sqrt(d);
    values.push(project(wl.x, t * d, wl.wv));
  }
  const order = Array.from({ length: T }, (_, t) => t).sort((a, b) => scores[b] - scores[a] || a - b);
  const topK = order.slice(0, k);
  let mx = -Infinity;
  for (let t = 0; t < T; t++) mx = Math.max(mx, scores[t]);
  let z = 0;
  const softmaxOut = new Float64Array(d);
  for (let t = 0; t < T; t++) z += Math.exp(scores[t] - mx);
  for (let t = 0; t < T; t++) {
    const p = Math.exp(scores[t] - mx) / z;
    for (let j = 0; j < d; j++) softmaxOut[j] += p * values[t][j];
  }
  const topKSum = new Float64Array(d);
  for (const t of topK) for (let j = 0; j < d; j++) topKSum[j] += values[t][j];
  return { scores, topK, softmaxOut, topKSum };
}

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
