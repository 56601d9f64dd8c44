/** Speed of the stdp model (wall clock; the lead wires it into `npm run bench`). */
import { resolveArch } from '../../emulator/index.js';
import { runStdp, STDP_PARAMS } from './index.js';

export function benchStdp(opts: { afferents?: number; trainSteps?: number; seed?: number } = {}): Record<string, number | string> {
  const afferents = opts.afferents ?? STDP_PARAMS.afferents.default;
  const trainSteps = opts.trainSteps ?? STDP_PARAMS.trainSteps.default;
  const testSteps = STDP_PARAMS.testSteps.default;
  const t0 = process.hrtime.bigint();
  const r = runStdp({ afferents, trainSteps, seed: opts.seed ?? 1, arch: resolveArch('loihi') });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const steps = trainSteps + 2 * testSteps;
  return {
    model: 'stdp',
    afferents,
    wall_s: wall,
    steps,
    steps_per_s: steps / wall,
    learn_updates: r.learnUpdates,
    synops: r.activity.totals['core.synop'] ?? 0,
    hit_rate_after: r.after[0].hitRate,
    false_alarms_per_s_after: r.after[0].falseAlarmsPerS,
  };
}
