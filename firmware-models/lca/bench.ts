/** Speed of the lca model (wall clock; the lead wires it into `npm run bench`). */
import { resolveArch } from '../../emulator/index.js';
import { runLca } from './index.js';

export function benchLca(opts: { atoms?: number; seed?: number } = {}): Record<string, number | string> {
  const t0 = process.hrtime.bigint();
  const r = runLca({ atoms: opts.atoms ?? 64, seed: opts.seed ?? 1, arch: resolveArch('loihi') });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    model: 'lca',
    atoms: r.problem.n,
    wall_s: wall,
    steps: r.steps,
    steps_per_s: r.steps / wall,
    synops: r.activity.totals['core.synop'] ?? 0,
  };
}
