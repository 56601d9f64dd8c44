/** The registry entry of lca (`aerie model lca --size ATOMS`). */
import type { FirmwareModel, ModelOptions, ModelResult } from '../index.js';
import { formatEnergyLines, taskBaselineRows } from '../kwta-attention/model.js';
import { LCA_PARAMS, runLca } from './index.js';

export const lcaModel: FirmwareModel = {
  name: 'lca',
  description: 'spiking LCA sparse coding (Rozell 2008; Davies 2018): non-negative LASSO on LIF compartments, EDP vs FISTA',
  size: { meaning: 'dictionary atoms (signal dimension = atoms/2)', default: LCA_PARAMS.atoms.default, min: 4, max: 1024 },
  run(opts: ModelOptions): ModelResult {
    const r = runLca({ atoms: opts.size, seed: opts.seed, arch: opts.arch, ...(opts.steps !== undefined ? { window: opts.steps } : {}) });
    const window = opts.steps ?? LCA_PARAMS.window.default;
    const nnz = r.code.reduce((c, v) => c + (v > 0 ? 1 : 0), 0);
    const text = [
      `lca: ${r.problem.n} atoms, ${r.problem.m}-dimensional signal, λ ${r.problem.lambda}, seed ${opts.seed}`,
      `objective ½‖x − Φa‖² + λ‖a‖₁ of the spiking code: ${r.objective.toFixed(5)} (${nnz} non-zero coefficients), spikes counted over ${window} steps after a ${r.steps - window}-step warm-up`,
      `FISTA (float64) needs ${r.denseIterations} iterations to reach the same objective (the dense baseline)`,
      ...formatEnergyLines(r.report),
    ].join('\n');
    return {
      text,
      json: {
        metrics: { objective: r.objective, nonzeros: nnz, steps: r.steps, dense_iterations: r.denseIterations, code: Array.from(r.code) },
        params: { atoms: r.problem.n, signal_dim: r.problem.m, lambda: r.problem.lambda, fixed_point: r.fixedPoint },
        energy: { total_j: r.report.energy.totalJ, dynamic_j: r.report.energy.dynamicJ, latency_s: r.report.time.emulatedTimeS, edp_js: r.report.energy.edpJs, table: r.report.table.name },
        dense_task: { spec: r.denseTask, devices: taskBaselineRows(r.report) },
      },
      activity: r.activity,
      denseTask: r.denseTask,
    };
  },
};
