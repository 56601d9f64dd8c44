/**
 * The input of the stdp model (Masquelier, Guyonneau & Thorpe 2008, scaled down): N afferents fire as
 * Poisson processes; a fixed spatiotemporal pattern — a frozen segment of the same Poisson process on
 * half of the afferents — is pasted in at random times, and extra Poisson "jitter" noise lies on top
 * of everything, pattern windows included. Rates are the same inside and outside the pattern, so the
 * pattern can only be found from spike *timing*.
 *
 * Every draw comes from the counter-based generator (RNG_BLOCK.workload) keyed by
 * (seed, phase, step, afferent): the stimulus depends only on the seed, never on call order.
 */
import { RNG_BLOCK, randU32 } from '../../emulator/index.js';

export interface StimulusOptions {
  /** Afferents (input spike trains). */
  afferents: number;
  /** Steps of the stimulus (1 ms each). */
  steps: number;
  /** Length of the pattern in steps. */
  patternSteps: number;
  /** Fraction of afferents that take part in the pattern. */
  patternFraction: number;
  /** Background Poisson rate per afferent, Hz (also the pattern's rate). */
  rateHz: number;
  /** Extra jitter noise on every afferent, Hz, inside and outside pattern windows. */
  noiseHz: number;
  /** Gap between two pattern windows: uniform in [gapMin, gapMax] steps. */
  gapMin: number;
  gapMax: number;
  /** Seed of the stimulus (the pattern itself depends on `patternSeed` only). */
  seed: number;
  /** Seed of the frozen pattern (training and test stimuli share it). */
  patternSeed: number;
  /** Step duration, s. */
  dt: number;
}

export interface Stimulus {
  /** Per afferent, the 1-based steps it fires on (ascending). */
  spikes: number[][];
  /** 1-based first step of every pattern window (each lasts patternSteps). */
  windows: number[];
  /** 1 for steps (1-based index − 1) inside a pattern window. */
  inPattern: Uint8Array;
  /** Afferents in the pattern (the first patternFraction·N). */
  patternAfferents: number;
  steps: number;
  patternSteps: number;
}

/** Draw phases (the `step` word of the key carries phase·2^24 + step). */
const PHASE = { pattern: 1, background: 2, jitter: 3, gap: 4 } as const;
const PHASE_SHIFT = 2 ** 24;

function fires(seed: number, phase: number, step: number, index: number, threshold: number): boolean {
  return randU32(seed, RNG_BLOCK.workload, phase * PHASE_SHIFT + step, index) < threshold;
}

/** The frozen pattern: for each pattern afferent, its spike offsets 0..patternSteps−1. */
export function makePattern(o: StimulusOptions): number[][] {
  const nPat = Math.round(o.afferents * o.patternFraction);
  const th = Math.floor(o.rateHz * o.dt * 2 ** 32);
  const out: number[][] = [];
  for (let a = 0; a < nPat; a++) {
    const s: number[] = [];
    for (let k = 0; k < o.patternSteps; k++) if (fires(o.patternSeed, PHASE.pattern, k, a, th)) s.push(k);
    out.push(s);
  }
  return out;
}

export function makeStimulus(o: StimulusOptions): Stimulus {
  if (o.steps >= PHASE_SHIFT) throw new RangeError(`stimulus of ${o.steps} steps is longer than ${PHASE_SHIFT - 1}`);
  const pattern = makePattern(o);
  const nPat = pattern.length;
  const inPattern = new Uint8Array(o.steps);
  const windows: number[] = [];
  // windows: gap, pattern, gap, pattern, … (a window must end inside the stimulus)
  let t = 0;
  for (let w = 0; ; w++) {
    const gap = o.gapMin + (randU32(o.seed, RNG_BLOCK.workload, PHASE.gap * PHASE_SHIFT, w) % (o.gapMax - o.gapMin + 1));
    t += gap;
    if (t + o.patternSteps > o.steps) break;
    windows.push(t + 1);
    inPattern.fill(1, t, t + o.patternSteps);
    t += o.patternSteps;
  }
  const bg = Math.floor(o.rateHz * o.dt * 2 ** 32);
  const jit = Math.floor(o.noiseHz * o.dt * 2 ** 32);
  const spikes: number[][] = [];
  for (let a = 0; a < o.afferents; a++) {
    const s: number[] = [];
    let w = 0;
    for (let k = 0; k < o.steps; k++) {
      let f = fires(o.seed, PHASE.jitter, k, a, jit);
      if (a < nPat && inPattern[k]) {
        while (w < windows.length && windows[w] - 1 + o.patternSteps <= k) w++;
        const off = k - (windows[w] - 1);
        if (pattern[a].includes(off)) f = true;
      } else if (fires(o.seed, PHASE.background, k, a, bg)) f = true;
      if (f) s.push(k + 1);
    }
    spikes.push(s);
  }
  return { spikes, windows, inPattern, patternAfferents: nPat, steps: o.steps, patternSteps: o.patternSteps };
}
