/** The registry entry of stdp (`aerie model stdp --size AFFERENTS [--steps TRAINING_STEPS]`). */
import { InputError } from '../../emulator/errors.js';
import { buildReport, loadEnergyTable, DEFAULT_ENERGY_PRESET } from '../../emulator/energy/index.js';
import type { FirmwareModel, ModelOptions, ModelResult } from '../index.js';
import { formatEnergyLines, taskBaselineRows } from '../kwta-attention/model.js';
import { STDP_LEARNING, STDP_PARAMS, runStdp, type Detection } from './index.js';

/** Largest training stimulus the model accepts (the stimulus keys carry the step in 24 bits). */
export const STDP_MAX_TRAIN_STEPS = 10_000_000;

function line(label: string, d: Detection): string {
  const precision = d.spikesIn + d.spikesOut ? d.spikesIn / (d.spikesIn + d.spikesOut) : 0;
  return `  ${label.padEnd(16)} hit rate ${d.hitRate.toFixed(3)} (${Math.round(d.hitRate * d.windows)}/${d.windows} windows), false alarms ${d.falseAlarmsPerS.toFixed(2)}/s, spikes in/out of windows ${d.spikesIn}/${d.spikesOut} (precision ${precision.toFixed(3)})${d.hitRate > 0 ? `, mean latency ${d.meanLatency.toFixed(1)} ms` : ''}`;
}

function json(d: Detection): Record<string, number> {
  return { hit_rate: d.hitRate, false_alarms_per_s: d.falseAlarmsPerS, spikes_in: d.spikesIn, spikes_out: d.spikesOut, windows: d.windows, mean_latency_steps: d.meanLatency };
}

export const stdpModel: FirmwareModel = {
  name: 'stdp',
  description: 'STDP on the learning engine finds a repeated 50 ms spike pattern hidden in Poisson noise (Masquelier et al. 2008)',
  size: { meaning: 'afferents (input spike trains)', default: STDP_PARAMS.afferents.default, min: 10, max: 4096 },
  run(opts: ModelOptions): ModelResult {
    const trainSteps = opts.steps ?? STDP_PARAMS.trainSteps.default;
    if (trainSteps > STDP_MAX_TRAIN_STEPS) throw new InputError('--steps', [{ where: '--steps', message: `stdp trains for at most ${STDP_MAX_TRAIN_STEPS} steps (got ${trainSteps})` }]);
    const r = runStdp({ afferents: opts.size, seed: opts.seed, arch: opts.arch, trainSteps });
    const report = buildReport(r.activity, loadEnergyTable(DEFAULT_ENERGY_PRESET), {
      run: `stdp training (${opts.size} afferents, ${trainSteps} steps)`,
      denseTask: r.denseTask,
      assumptions: ['stdp: energy and latency are of the training run only (the before/after test runs have learning off)'],
    });
    const text = [
      `stdp: ${opts.size} afferents (${Math.round(opts.size * STDP_PARAMS.patternFraction.default)} in the ${STDP_PARAMS.patternSteps.default} ms pattern), ${r.before.length} detector, seed ${opts.seed}`,
      `rule ${STDP_LEARNING.rule}; trained ${trainSteps} steps (${r.trainWindows} pattern presentations), ${r.learnUpdates} synapse updates, ${r.cores} cores`,
      `detection on ${r.before[0].windows} test windows (${STDP_PARAMS.testSteps.default} steps, weights frozen):`,
      ...r.before.map((d, i) => line(r.before.length > 1 ? `before [${i}]` : 'before learning', d)),
      ...r.after.map((d, i) => line(r.after.length > 1 ? `after [${i}]` : 'after learning', d)),
      `mean learned weight: pattern afferents ${r.weightPattern.map((w) => w.toFixed(1)).join(', ')}, others ${r.weightOther.map((w) => w.toFixed(1)).join(', ')} (initial ${STDP_PARAMS.wInit.default} ± ${STDP_PARAMS.wJitter.default})`,
      `  pattern afferents firing in the ${STDP_PARAMS.leadSteps.default} ms before detection: ${r.weightLeading.map((w) => w.toFixed(1)).join(', ')}; all the others: ${r.weightRest.map((w) => w.toFixed(1)).join(', ')}`,
      ...formatEnergyLines(report),
    ].join('\n');
    return {
      text,
      json: {
        metrics: { before: r.before.map(json), after: r.after.map(json), train_windows: r.trainWindows, learn_updates: r.learnUpdates },
        params: { afferents: opts.size, train_steps: trainSteps, test_steps: STDP_PARAMS.testSteps.default, rule: STDP_LEARNING.rule },
        weights: { pattern_mean: r.weightPattern, other_mean: r.weightOther, leading_mean: r.weightLeading, rest_mean: r.weightRest },
        hardware: { cores: r.cores },
        energy: { total_j: report.energy.totalJ, dynamic_j: report.energy.dynamicJ, latency_s: report.time.emulatedTimeS, edp_js: report.energy.edpJs, table: report.table.name },
        dense_task: { spec: r.denseTask, devices: taskBaselineRows(report) },
      },
      activity: r.activity,
      denseTask: r.denseTask,
    };
  },
};
