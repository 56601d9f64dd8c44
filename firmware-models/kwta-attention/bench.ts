/** Speed of the kwta-attention model (wall clock; the lead wires it into `npm run bench`). */
import { resolveArch } from '../../emulator/index.js';
import { runKwtaAttention } from './index.js';

export function benchKwtaAttention(opts: { tokens?: number; dModel?: number; seed?: number } = {}): Record<string, number | string> {
  const t0 = process.hrtime.bigint();
  const r = runKwtaAttention({ tokens: opts.tokens ?? 64, dModel: opts.dModel ?? 256, seed: opts.seed ?? 1, arch: resolveArch('loihi') });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    model: 'kwta-attention',
    tokens: r.workload.tokens,
    d_model: r.workload.dModel,
    wall_s: wall,
    kwta_steps: r.steps,
    crossbar_mvms: r.activity.totals['crossbar.read'] ?? 0,
    queries_per_s: 1 / wall,
  };
}
