import { describe, expect, it } from 'vitest';
import { InputError, NetworkBuilder, parseNetwork, prepare, resolveArch, type LearningSpec, type NetworkSpec } from '../../emulator/index.js';

const STDP: LearningSpec = {
  rule: 'dw = 2^-2*x1*y0 - 2^-2*y1*x0',
  epoch: 1,
  rounding: 'floor',
  traces: { x1: { impulse: 64, decay: 2048 }, y1: { impulse: 64, decay: 2048 } },
};

/**
 * pre (source) --plastic, w0--> post (LIF) <--255-- drive (source).
 * post: du = 4095 (u = a·64 each step), dv = 4095, vth 200 (12800): only the drive makes it fire,
 * one step after the drive spike. Traces halve every step (decay 2048) from an impulse of 64.
 */
function stdpNet(preAt: number[], driveAt: number[], opts: { w0?: number; learning?: LearningSpec; sign_mode?: 'mixed' | 'excitatory' | 'inhibitory'; num_weight_bits?: number; weight_exp?: number } = {}): NetworkSpec {
  const b = new NetworkBuilder({ seed: 3 });
  b.spikeSource('pre', 1, [preAt]);
  b.spikeSource('drive', 1, [driveAt]);
  b.lif('post', 1, { du: 4095, dv: 4095, vth: 200 });
  b.project('drive', 'post', { weights: [[255]] });
  b.project('pre', 'post', {
    name: 'plastic',
    weights: [[opts.w0 ?? 100]],
    sign_mode: opts.sign_mode ?? 'excitatory',
    ...(opts.num_weight_bits !== undefined ? { num_weight_bits: opts.num_weight_bits } : {}),
    ...(opts.weight_exp !== undefined ? { weight_exp: opts.weight_exp } : {}),
    learning: opts.learning ?? STDP,
  });
  return b.build();
}

function run(spec: NetworkSpec, steps: number, probes: Parameters<ReturnType<typeof prepare>['emulator']['addProbe']>[0][]) {
  const p = prepare(spec, resolveArch('loihi'));
  for (const pr of probes) p.emulator.addProbe(pr, steps);
  p.emulator.run(steps);
  const out: Record<string, number[]> = {};
  for (const d of p.emulator.probeData()) out[d.name] = Array.from(d.values);
  return { out, p };
}

describe('plastic projections in the step engine (pairwise STDP)', () => {
  it('pre before post potentiates by exactly 4 (x1 = 16 two steps after the pre spike, × 2^-2)', () => {
    const { out, p } = run(stdpNet([1], [2]), 6, [
      { projection: 'plastic', variable: 'weights' },
      { population: 'post', variable: 'spikes' },
    ]);
    // pre spike in step 1 (x1 = 64), post fires in step 3 (x1 = 16): +16/4 = +4, applied at step 3
    expect(out['post.spikes']).toEqual([0, 0, 1, 0, 0, 0]);
    expect(out['plastic.weights']).toEqual([100, 100, 104, 104, 104, 104]);
    // the synapse had an active dependency in two epochs (x0 at step 1, y0 at step 3)
    const a = p.emulator.activity();
    expect(a.byPopulation.post['core.learn_update']).toBe(2);
    expect(a.totals['core.learn_update']).toBe(2);
    expect(a.byPopulation.pre['core.learn_update']).toBeUndefined();
  });

  it('post before pre depresses by exactly 4', () => {
    const { out } = run(stdpNet([4], [1]), 6, [
      { projection: 'plastic', variable: 'weights' },
      { population: 'post', variable: 'spikes' },
    ]);
    expect(out['post.spikes']).toEqual([0, 1, 0, 0, 0, 0]);
    expect(out['plastic.weights']).toEqual([100, 100, 100, 96, 96, 96]);
  });

  it('a closer pair changes more: post one step after pre gives +8; coincident spikes cancel', () => {
    expect(run(stdpNet([2], [2]), 4, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights']).toEqual([100, 100, 108, 108]);
    expect(run(stdpNet([3], [2]), 4, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights']).toEqual([100, 100, 100, 100]);
  });

  it('rounding nearest vs floor on a half-unit change (x1 = 2 → +0.5)', () => {
    // pre at 1, post at 6: x1 = 64 / 2^5 = 2 → 2/4 = 0.5 weight units
    const floor = run(stdpNet([1], [5]), 6, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights'];
    const nearest = run(stdpNet([1], [5], { learning: { ...STDP, rounding: 'nearest' } }), 6, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights'];
    expect(floor[5]).toBe(100);
    expect(nearest[5]).toBe(101);
  });

  it('epoch 2: the update lands at the end of the epoch', () => {
    const { out } = run(stdpNet([1], [2], { learning: { ...STDP, epoch: 2 } }), 6, [{ projection: 'plastic', variable: 'weights' }]);
    // post at step 3 is in the epoch 3..4: applied at step 4 with the trace seen at step 3
    expect(out['plastic.weights']).toEqual([100, 100, 100, 104, 104, 104]);
  });

  it('learned weights change the synaptic input of later steps', () => {
    // pre spikes at 1 and 6; post driven at 2 → fires at 3 (+4). The second pre spike delivers 104.
    const { out } = run(stdpNet([1, 6], [2]), 8, [
      { projection: 'plastic', variable: 'weights' },
      { population: 'post', variable: 'u' },
    ]);
    expect(out['post.u'][1]).toBe(100 * 64);
    // step 6: pre spike after the post spike at 3: y1 = 64/8 = 8 → −2 → 102 (applied at step 6)
    expect(out['plastic.weights'].slice(2)).toEqual([104, 104, 104, 102, 102, 102]);
    // the packet of step 6 is accumulated before the learning phase of step 6 with the weight then stored (104)
    expect(out['post.u'][6]).toBe(104 * 64);
  });

  it('weights stay within num_weight_bits and the sign mode', () => {
    const grow: LearningSpec = { rule: 'dw = 4*x0', epoch: 1, rounding: 'floor' };
    const steps = 80;
    const every = Array.from({ length: steps }, (_, i) => i + 1);
    const up = run(stdpNet(every, [], { w0: 200, num_weight_bits: 6, learning: grow }), steps, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights'];
    for (const w of up) {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(252);
      expect(w % 4).toBe(0); // 6-bit excitatory weights are multiples of 2^2
    }
    expect(up[steps - 1]).toBe(252);
    const shrink: LearningSpec = { rule: 'dw = -4*x0', epoch: 1, rounding: 'floor' };
    const down = run(stdpNet(every, [], { w0: 20, learning: shrink }), steps, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights'];
    expect(Math.min(...down)).toBe(0); // excitatory: never below 0
    const mixed = run(stdpNet(every, [], { w0: 20, sign_mode: 'mixed', learning: shrink }), steps, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights'];
    expect(mixed[steps - 1]).toBe(-256);
    for (const w of mixed) expect(w).toBeGreaterThanOrEqual(-256);
    const inhib = run(stdpNet(every, [], { w0: -20, sign_mode: 'inhibitory', learning: grow }), steps, [{ projection: 'plastic', variable: 'weights' }]).out['plastic.weights'];
    expect(Math.max(...inhib)).toBe(0); // inhibitory: never above 0
  });

  it('a plastic projection keeps raw weights and applies weight_exp when gathering (both signs)', () => {
    const still: LearningSpec = { rule: 'dw = 0*x0', epoch: 1, rounding: 'floor' };
    for (const [e, u] of [
      [2, (100 << 2) * 64],
      [-2, (100 >> 2) * 64],
      [0, 100 * 64],
    ] as const) {
      const { out } = run(stdpNet([1], [], { learning: still, weight_exp: e }), 3, [
        { projection: 'plastic', variable: 'weights' },
        { population: 'post', variable: 'u' },
      ]);
      expect(out['plastic.weights']).toEqual([100, 100, 100]);
      expect(out['post.u'][1]).toBe(u);
    }
  });

  it('weights probes of static projections record their (constant) weights; unknown names are input errors', () => {
    const b = new NetworkBuilder();
    b.spikeSource('s', 2, [[1], [2]]);
    b.lif('t', 2);
    b.project('s', 't', { name: 'w', weights: [[1, 0], [3, 4]] });
    const p = prepare(b.build(), resolveArch('loihi'));
    p.emulator.addProbe({ projection: 'w', variable: 'weights' }, 2);
    expect(() => p.emulator.addProbe({ projection: 'nope', variable: 'weights' }, 2)).toThrow(InputError);
    expect(() => p.emulator.addProbe({ projection: 't', variable: 'weights' }, 2)).toThrow(/is a population/);
    p.emulator.run(2);
    // canonical (pre, post) order: (0,0)=1, (0,1)=3, (1,1)=4
    expect(Array.from(p.emulator.probeData()[0].values)).toEqual([1, 3, 4, 1, 3, 4]);
  });

  it('plastic synapses spread over several cores learn like on one core', () => {
    // 4 pre sources all-to-all to 4 post compartments; arch with 2 compartments per core splits post
    const mk = (): NetworkSpec => {
      const b = new NetworkBuilder({ seed: 5 });
      b.spikeSource('pre', 4, [[1], [2], [5], [6]]);
      b.spikeSource('drive', 4, [[2], [3], [3], [4]]);
      b.lif('post', 4, { du: 4095, dv: 4095, vth: 250 });
      b.project('drive', 'post', { synapses: [[0, 0, 255], [1, 1, 255], [2, 2, 255], [3, 3, 255]] });
      b.project('pre', 'post', { name: 'plastic', weights: [[50, 50, 50, 50], [50, 50, 50, 50], [50, 50, 50, 50], [50, 50, 50, 50]], sign_mode: 'excitatory', learning: STDP });
      return b.build();
    };
    const one = prepare(mk(), resolveArch('loihi'));
    const base = resolveArch('loihi');
    const split = prepare(mk(), { ...base, core: { ...base.core, compartments: 2 } });
    expect(split.emulator.cores.length).toBeGreaterThan(one.emulator.cores.length);
    for (const q of [one, split]) {
      q.emulator.addProbe({ projection: 'plastic', variable: 'weights' }, 8);
      q.emulator.run(8);
    }
    const a = one.emulator.probeData()[0].values;
    const b = split.emulator.probeData()[0].values;
    expect(Array.from(b)).toEqual(Array.from(a));
    // something learned: post j fires after pre 0 (step 1) → potentiated
    expect(a[7 * 16 + 0]).toBeGreaterThan(50);
    expect(one.emulator.activity().totals['core.learn_update']).toBe(split.emulator.activity().totals['core.learn_update']);
  });
});

describe('stochastic rounding in the engine', () => {
  it('is seeded: the same network and seed learn the same weights; another seed differs', () => {
    let n = 0;
    const mk = (seed: number): number[] => {
      const b = new NetworkBuilder({ seed });
      b.poissonSource('pre', 20, 200, 1);
      b.lif('post', 10, { du: 3000, dv: 3000, vth: 20 });
      b.project('pre', 'post', {
        name: 'p',
        connect: { p: 0.5, weight: { min: 20, max: 120 }, seed: 2 },
        sign_mode: 'excitatory',
        learning: { rule: 'dw = 2^-2*x1*y0 - 2^-2*y1*x0', epoch: 3, traces: { x1: { impulse: 10.5, tau: 4 }, y1: { impulse: 12.25, tau: 6 } } },
      });
      const p = prepare(b.build(), resolveArch('loihi'));
      p.emulator.addProbe({ projection: 'p', variable: 'weights' }, 60);
      p.emulator.run(60);
      n = p.emulator.probeData()[0].size;
      return Array.from(p.emulator.probeData()[0].values);
    };
    const a = mk(1);
    expect(mk(1)).toEqual(a);
    expect(mk(2)).not.toEqual(a);
    // learning happened: the last row differs from the first
    expect(n).toBeGreaterThan(50);
    expect(a.slice(-n)).not.toEqual(a.slice(0, n));
  });
});

describe('learning blocks in a network file', () => {
  const head = `format: aerie-network/1
populations:
  - {name: a, kind: spike-source, size: 1, spikes: [[1]]}
  - {name: b, kind: lif, size: 1}
projections:
  - from: a
    to: b
    weights: [[10]]
`;
  const bad = (learning: string): string[] => {
    try {
      parseNetwork(head + learning, 'net.yaml');
    } catch (e) {
      if (e instanceof InputError) return e.problems.map((p) => `${p.where}: ${p.message}`);
      throw e;
    }
    return [];
  };

  it('reports rule syntax errors, bad epochs, roundings, unknown traces and keys with field paths', () => {
    const probs = bad(`    learning:
      rule: dw = 2**x1
      epoch: 64
      rounding: up
      traces: {x3: {impulse: 1}, y1: {impulse: 200, tau: 2, decay: 3}}
      extra: 1
`);
    const text = probs.join('\n');
    expect(text).toMatch(/projections\[0\]\.learning\.rule.*'\*\*'/);
    expect(text).toMatch(/projections\[0\]\.learning\.epoch/);
    expect(text).toMatch(/projections\[0\]\.learning\.rounding/);
    expect(text).toMatch(/projections\[0\]\.learning\.traces.*x3/);
    expect(text).toMatch(/projections\[0\]\.learning\.traces\.y1\.impulse/);
    expect(text).toMatch(/projections\[0\]\.learning\.traces\.y1.*either 'tau' or 'decay'/);
    expect(text).toMatch(/extra/);
  });

  it('a learning block needs a rule', () => {
    expect(bad('    learning: {epoch: 2}\n').join('\n')).toMatch(/learning.*rule/);
  });

  it('a valid block parses and compiles into the projection', () => {
    const spec = parseNetwork(head + '    learning: {rule: "dw = 2^-2*x1*y0", epoch: 2, traces: {x1: {impulse: 16, tau: 10}}}\n', 'net.yaml');
    const p = prepare(spec, resolveArch('loihi'));
    expect(p.net.projections[0].learning?.epoch).toBe(2);
    expect(p.emulator.cores.some((c) => c.learners.length === 1)).toBe(true);
  });

  it('a rule that reads tags works against the core tag memory; learned delays widen the delay ring', () => {
    const spec = parseNetwork(head + '    learning: {rule: "dd = x0", epoch: 1, rounding: floor}\n', 'net.yaml');
    const p = prepare(spec, resolveArch('loihi'));
    const core = p.emulator.cores.find((c) => c.learners.length)!;
    expect(core.ringSlots).toBe(63);
    p.emulator.run(1);
    expect(Array.from(core.synDelay)).toContain(1);
  });
});
