/**
 * The sparse-coding problem of the lca model, in float64: a random dictionary Φ (M × N, unit-norm
 * columns, M = N/2: twice overcomplete) and a signal x = Φa₀ + noise with a sparse non-negative
 * a₀, all drawn from the counter-based generator. The task is the non-negative LASSO
 *
 *   min_a ½‖x − Φa‖² + λ‖a‖₁   subject to a ≥ 0
 *
 * (spiking neurons have non-negative rates, so spiking LCA solves the non-negative form; Tang,
 * Lin & Davies 2017).
 */
import { RNG_BLOCK, randNormal, randU32 } from '../../emulator/index.js';

const STEP_DICT = 0x4c43_0001;
const STEP_SUPPORT = 0x4c43_0002;
const STEP_AMPL = 0x4c43_0003;
const STEP_NOISE = 0x4c43_0004;

export interface SparseCodingProblem {
  /** Signal dimension. */
  m: number;
  /** Dictionary atoms. */
  n: number;
  /** M × N row-major, unit-norm columns. */
  phi: Float64Array;
  x: Float64Array;
  /** The sparse code the signal was made from. */
  a0: Float64Array;
  lambda: number;
}

/** Fraction of atoms active in a₀ (1/8; assumption), amplitudes uniform in [0.5, 1.5], noise σ 0.02 per component. */
export const PROBLEM_DEFAULTS = { activeFraction: 1 / 8, amplitudeMin: 0.5, amplitudeMax: 1.5, noiseSigma: 0.02, lambda: 0.1 } as const;

export function makeProblem(n: number, seed: number, lambda: number = PROBLEM_DEFAULTS.lambda): SparseCodingProblem {
  const m = Math.max(2, Math.round(n / 2));
  const phi = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = 0; i < m; i++) {
      const v = randNormal(seed, RNG_BLOCK.workload, STEP_DICT, i * n + j);
      phi[i * n + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) phi[i * n + j] /= norm;
  }
  const a0 = new Float64Array(n);
  const active = Math.max(1, Math.round(n * PROBLEM_DEFAULTS.activeFraction));
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < active; i++) {
    const j = i + Math.floor((randU32(seed, RNG_BLOCK.workload, STEP_SUPPORT, i) / 2 ** 32) * (n - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
    const u = randU32(seed, RNG_BLOCK.workload, STEP_AMPL, i) / 2 ** 32;
    a0[perm[i]] = PROBLEM_DEFAULTS.amplitudeMin + u * (PROBLEM_DEFAULTS.amplitudeMax - PROBLEM_DEFAULTS.amplitudeMin);
  }
  const x = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += phi[i * n + j] * a0[j];
    x[i] = s + PROBLEM_DEFAULTS.noiseSigma * randNormal(seed, RNG_BLOCK.workload, STEP_NOISE, i);
  }
  return { m, n, phi, x, a0, lambda };
}

/** ½‖x − Φa‖² + λ‖a‖₁. */
export function lassoObjective(p: SparseCodingProblem, a: ArrayLike<number>): number {
  let r2 = 0;
  for (let i = 0; i < p.m; i++) {
    let s = -p.x[i];
    for (let j = 0; j < p.n; j++) s += p.phi[i * p.n + j] * a[j];
    r2 += s * s;
  }
  let l1 = 0;
  for (let j = 0; j < p.n; j++) l1 += Math.abs(a[j]);
  return 0.5 * r2 + p.lambda * l1;
}

/**
 * FISTA (Beck & Teboulle 2009) on the non-negative LASSO, step 1/L with L = ‖Φ‖₂² (power iteration),
 * run until its objective is at most `target` (iso-accuracy with the spiking solution) or
 * `maxIterations`. This is the dense baseline's iteration count, not the model's result.
 */
export function fistaIterationsTo(p: SparseCodingProblem, target: number, maxIterations = 100_000): { iterations: number; objective: number } {
  const { m, n, phi, x, lambda } = p;
  // Lipschitz constant by power iteration on ΦᵀΦ
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  const t1 = new Float64Array(m);
  let L = 1;
  for (let it = 0; it < 100; it++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += phi[i * n + j] * v[j];
      t1[i] = s;
    }
    const w = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += phi[i * n + j] * t1[i];
      w[j] = s;
    }
    let nn = 0;
    for (let j = 0; j < n; j++) nn += w[j] * w[j];
    L = Math.sqrt(nn);
    for (let j = 0; j < n; j++) w[j] /= L;
    v = w;
  }
  L *= 1.0001;
  let a = new Float64Array(n);
  let yv = new Float64Array(n);
  let tk = 1;
  const r = new Float64Array(m);
  for (let it = 1; it <= maxIterations; it++) {
    for (let i = 0; i < m; i++) {
      let s = -x[i];
      for (let j = 0; j < n; j++) s += phi[i * n + j] * yv[j];
      r[i] = s;
    }
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let i = 0; i < m; i++) g += phi[i * n + j] * r[i];
      const z = yv[j] - (g + lambda) / L;
      next[j] = z > 0 ? z : 0;
    }
    const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    for (let j = 0; j < n; j++) yv[j] = next[j] + ((tk - 1) / tn) * (next[j] - a[j]);
    a = next;
    tk = tn;
    const f = lassoObjective(p, a);
    if (f <= target) return { iterations: it, objective: f };
  }
  return { iterations: maxIterations, objective: lassoObjective(p, a) };
}
