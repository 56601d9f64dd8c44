/**
 * lca: the spiking code's LASSO objective within 5 % of an exact float64 solver written here
 * (projected ISTA run to convergence), at the model's default size (64 atoms, 32-dimensional
 * signals) for two seeds and at a reduced size (32 atoms) for one; energy-delay product against
 * the FISTA dense baseline; determinism; CLI.
 */
import { describe, expect, it } from 'vitest';
import { resolveArch } from '../../emulator/index.js';
import { runLca, type LcaRun, type SparseCodingProblem } from '../../firmware-models/lca/index.js';
import { runCli } from '../helpers/cli.js';

const arch = resolveArch('loihi');

/** ½‖x − Φa‖² + λ‖a‖₁ (written here, independent of the model). */
function objective(p: SparseCodingProblem, a: ArrayLike<number>): number {
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

/** Projected ISTA for the non-negative LASSO, step 1/L with L = ‖Φ‖_F² ≥ ‖Φ‖₂², to convergence (float64). */
function exactSolve(p: SparseCodingProblem): Float64Array {
  const { m, n, phi, x, lambda } = p;
  let L = 0;
  for (let i = 0; i < m * n; i++) L += phi[i] * phi[i];
  let a = new Float64Array(n);
  const r = new Float64Array(m);
  for (let it = 0; it < 200_000; it++) {
    for (let i = 0; i < m; i++) {
      let s = -x[i];
      for (let j = 0; j < n; j++) s += phi[i * n + j] * a[j];
      r[i] = s;
    }
    const next = new Float64Array(n);
    let change = 0;
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let i = 0; i < m; i++) g += phi[i * n + j] * r[i];
      next[j] = Math.max(0, a[j] - (g + lambda) / L);
      change = Math.max(change, Math.abs(next[j] - a[j]));
    }
    a = next;
    if (change < 1e-13) break;
  }
  return a;
}

describe('lca firmware model', () => {
  const runs = new Map<string, LcaRun>();
  const run = (atoms: number, seed: number): LcaRun => {
    const key = `${atoms}/${seed}`;
    if (!runs.has(key)) runs.set(key, runLca({ atoms, seed, arch }));
    return runs.get(key)!;
  };

  it('objective within 5 % of the exact solver (64 atoms × 2 seeds, 32 atoms × 1)', () => {
    for (const [atoms, seed] of [[64, 1], [64, 2], [32, 3]] as const) {
      const r = run(atoms, seed);
      const exact = exactSolve(r.problem);
      const fStar = objective(r.problem, exact);
      const f = objective(r.problem, r.code);
      console.log(`lca ${atoms} atoms seed ${seed}: spiking ${f.toFixed(5)}, exact ${fStar.toFixed(5)}, ratio ${(f / fStar).toFixed(4)}`);
      expect(f).toBeGreaterThanOrEqual(fStar * (1 - 1e-9));
      expect(f).toBeLessThanOrEqual(1.05 * fStar);
      expect(r.objective).toBeCloseTo(f, 10);
      // the code is sparse and finds the large coefficients of the exact solution
      const nnz = r.code.filter((v) => v > 0).length;
      expect(nnz).toBeLessThan(atoms / 2);
      for (let j = 0; j < atoms; j++) if (exact[j] > 0.3) expect(r.code[j]).toBeGreaterThan(0);
      // the all-zero code is far worse: the bound is not trivially met
      expect(objective(r.problem, new Float64Array(atoms))).toBeGreaterThan(1.5 * fStar);
    }
  });

  it('energy-delay product against the FISTA dense baseline at iso-accuracy', () => {
    const r = run(64, 1);
    expect(r.denseIterations).toBeGreaterThan(0);
    const task = r.report.dense.baselines.find((b) => b.kind === 'task')!;
    expect(task.declared).toBe(true);
    expect(task.passes).toBe(r.denseIterations);
    expect(task.macs).toBe(r.denseIterations * (2 * 32 * 64 + 4 * 64));
    expect(r.report.energy.edpJs).toBeCloseTo(r.report.energy.totalJ * r.report.time.emulatedTimeS, 20);
    for (const d of task.devices) expect(d.ratio.edp).toBeCloseTo(d.edpJs / r.report.energy.edpJs, 6);
    // the run did its work on cores: every atom updated every step, spikes carried by synaptic ops
    expect(r.activity.totals['core.compartment_active']! + (r.activity.totals['core.compartment_inactive'] ?? 0)).toBe(64 * r.steps);
    expect(r.activity.totals['core.synop']).toBeGreaterThan(0);
    // b = Φᵀx: one MVM over ceil(64 / 31) = 3 column tiles (31 8-bit weights per 128-column array); Φ programmed at load
    expect(r.activity.totals['crossbar.read']).toBe(3);
    expect(r.activity.totals['crossbar.write']).toBeUndefined();
  });

  it('same seed → same code and energy; another seed → another problem', () => {
    const a = run(32, 3);
    const b = runLca({ atoms: 32, seed: 3, arch });
    expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
    expect(b.report.energy.totalFj).toBe(a.report.energy.totalFj);
    expect(Array.from(runLca({ atoms: 32, seed: 4, arch, window: 200 }).problem.x)).not.toEqual(Array.from(a.problem.x));
  });

  it('aerie model lca --size 32 --json', () => {
    const r = runCli(['model', 'lca', '--size', '32', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.model).toBe('lca');
    expect(j.params.atoms).toBe(32);
    expect(j.metrics.objective).toBeGreaterThan(0);
    expect(j.dense_task.spec.passes).toBe(j.metrics.dense_iterations);
  });
});
