/**
 * stdp: the learning engine finds a repeated spike pattern in noise. At a reduced size (150
 * afferents instead of 200, 20 s of training, 5 s of test stimulus) the frozen learned weights must
 * detect the pattern — hit rate ≥ 0.8, false alarms ≤ 5/s, ≥ 80 % of detector spikes inside pattern
 * windows — where the untrained detector fires indiscriminately (≥ 20 false alarms/s, precision below
 * 0.5), and STDP must have raised the weights of the afferents that fire just before detection above
 * all the others. Plus: the stimulus (pattern repeated exactly, determinism), the scorer, the CLI.
 */
import { describe, expect, it } from 'vitest';
import { resolveArch } from '../../emulator/index.js';
import { buildStdpNetwork, initialWeights, makePattern, makeStimulus, runStdp, scoreDetection, type StdpResult, type StimulusOptions, type Stimulus } from '../../firmware-models/stdp/index.js';
import { runCli } from '../helpers/cli.js';

const arch = resolveArch('loihi');

const STIM: StimulusOptions = {
  afferents: 40,
  steps: 3000,
  patternSteps: 50,
  patternFraction: 0.5,
  rateHz: 20,
  noiseHz: 5,
  gapMin: 50,
  gapMax: 250,
  seed: 7,
  patternSeed: 11,
  dt: 1e-3,
};

describe('stdp stimulus', () => {
  it('pastes the same frozen pattern into every window, on the pattern afferents only', () => {
    const s = makeStimulus(STIM);
    const pat = makePattern(STIM);
    expect(pat.length).toBe(20);
    expect(s.patternAfferents).toBe(20);
    expect(s.windows.length).toBeGreaterThan(8);
    for (let i = 1; i < s.windows.length; i++) {
      const gap = s.windows[i] - (s.windows[i - 1] + 50);
      expect(gap).toBeGreaterThanOrEqual(50);
      expect(gap).toBeLessThanOrEqual(250);
    }
    let patternSpikes = 0;
    for (let a = 0; a < 20; a++) {
      const set = new Set(s.spikes[a]);
      for (const w of s.windows)
        for (const k of pat[a]) {
          expect(set.has(w + k)).toBe(true);
          patternSpikes++;
        }
    }
    expect(patternSpikes).toBeGreaterThan(100);
    // rates inside and outside the windows agree (the pattern cannot be found from rates): within 30 %
    let inside = 0;
    let outside = 0;
    for (const tr of s.spikes) for (const t of tr) (s.inPattern[t - 1] ? inside++ : outside++);
    const insideSteps = s.windows.length * 50;
    const rIn = inside / insideSteps;
    const rOut = outside / (STIM.steps - insideSteps);
    expect(Math.abs(rIn / rOut - 1)).toBeLessThan(0.3);
  });

  it('is a pure function of its seeds; another stimulus seed keeps the pattern but changes the noise', () => {
    const a = makeStimulus(STIM);
    expect(makeStimulus(STIM).spikes).toEqual(a.spikes);
    const b = makeStimulus({ ...STIM, seed: 8 });
    expect(b.spikes).not.toEqual(a.spikes);
    expect(makePattern({ ...STIM, seed: 8 })).toEqual(makePattern(STIM));
  });
});

describe('stdp detection scoring', () => {
  const stim: Stimulus = { spikes: [], windows: [11, 101], inPattern: new Uint8Array(200), patternAfferents: 0, steps: 200, patternSteps: 50 };
  it('counts hits (window plus late tail), false alarms per second outside, latency of the first spike', () => {
    // window 1: steps 11..60 (+10 late → 70); window 2: 101..160 (→ 160)
    const d = scoreDetection([5, 20, 30, 68, 75, 171], stim, 10);
    expect(d.windows).toBe(2);
    expect(d.hitRate).toBe(0.5);
    expect(d.spikesIn).toBe(3);
    expect(d.spikesOut).toBe(3);
    // outside steps: 200 − 2·60 = 80 → 3 / 0.08 s
    expect(d.falseAlarmsPerS).toBeCloseTo(37.5, 9);
    expect(d.meanLatency).toBe(9);
    expect(scoreDetection([], stim, 10).hitRate).toBe(0);
  });
});

describe('stdp on the learning engine (150 afferents, 20 s training, 5 s test)', () => {
  let r: StdpResult;
  it('learns to detect the pattern: hit rate ≥ 0.8, ≤ 5 false alarms/s, far better than before learning', () => {
    r = runStdp({ afferents: 150, trainSteps: 20_000, testSteps: 5000, seed: 1, arch });
    const [b] = r.before;
    const [a] = r.after;
    const precision = (d: typeof a): number => d.spikesIn / Math.max(1, d.spikesIn + d.spikesOut);
    // before: the untrained detector fires everywhere — not a detector
    expect(b.falseAlarmsPerS).toBeGreaterThanOrEqual(20);
    expect(precision(b)).toBeLessThan(0.5);
    // after: selective
    expect(a.windows).toBeGreaterThanOrEqual(20);
    expect(a.hitRate).toBeGreaterThanOrEqual(0.8);
    expect(a.falseAlarmsPerS).toBeLessThanOrEqual(5);
    expect(a.falseAlarmsPerS).toBeLessThanOrEqual(b.falseAlarmsPerS / 5);
    expect(precision(a)).toBeGreaterThanOrEqual(0.8);
    // the engine did the learning
    expect(r.learnUpdates).toBeGreaterThan(0);
    expect(r.activity.totals['core.learn_update']).toBe(r.learnUpdates);
  });

  it('STDP selected the afferents that fire just before detection', () => {
    expect(r.weightLeading[0]).toBeGreaterThan(r.weightRest[0] + 60);
    // weights stay in the 8-bit excitatory range
    for (const w of r.learnedWeights) {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(255);
    }
  });

  it('is deterministic by seed', () => {
    const small = { afferents: 60, trainSteps: 2000, testSteps: 1000, arch };
    const x = runStdp({ ...small, seed: 3 });
    expect(Array.from(runStdp({ ...small, seed: 3 }).learnedWeights)).toEqual(Array.from(x.learnedWeights));
    expect(Array.from(runStdp({ ...small, seed: 4 }).learnedWeights)).not.toEqual(Array.from(x.learnedWeights));
  });
});

describe('stdp network', () => {
  it('keeps vth within 17 bits past ~750 afferents by halving the synaptic input (weight_exp) with the threshold', () => {
    for (const [n, e, vth] of [
      [200, 0, 35_000],
      [800, -1, 70_000],
      [3000, -3, 65_625],
    ] as const) {
      const stim = makeStimulus({ ...STIM, afferents: n, steps: 100 });
      const spec = buildStdpNetwork(stim, initialWeights(n, 1, 1), 1, { seed: 1 });
      const det = spec.populations.find((p) => p.name === 'detector')!;
      expect((det as { params: { vth: number } }).params.vth).toBe(vth);
      expect(spec.projections![0].weight_exp ?? 0).toBe(e);
    }
  });
});

describe('aerie model stdp', () => {
  it('is listed, and refuses an over-long training run as an input error (exit 2)', () => {
    const list = runCli(['model', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/stdp\s+STDP/);
    const bad = runCli(['model', 'stdp', '--steps', '20000000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--steps.*at most 10000000/);
  });

  it('reports detection before and after learning in JSON', () => {
    const r = runCli(['model', 'stdp', '--size', '60', '--steps', '1000', '--json', '--seed', '2']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      model: string;
      metrics: { before: { false_alarms_per_s: number; windows: number }[]; after: { windows: number }[]; learn_updates: number };
      params: { afferents: number; train_steps: number };
      energy: { total_j: number };
    };
    expect(j.model).toBe('stdp');
    expect(j.params).toMatchObject({ afferents: 60, train_steps: 1000 });
    expect(j.metrics.before).toHaveLength(1);
    // the untrained detector fires everywhere; both test runs see the same windows
    expect(j.metrics.before[0].false_alarms_per_s).toBeGreaterThan(10);
    expect(j.metrics.after[0].windows).toBe(j.metrics.before[0].windows);
    expect(j.metrics.learn_updates).toBeGreaterThan(0);
    expect(j.energy.total_j).toBeGreaterThan(0);
  });
});
