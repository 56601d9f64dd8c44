import { describe, expect, it } from 'vitest';
import { Checker } from '../../emulator/spec/validate.js';
import { parseStructured } from '../../emulator/spec/structured.js';
import { checkLearning, decayFromTau, formatRule, LEARNING_PARAMS } from '../../emulator/core/learning/index.js';

function check(v: unknown) {
  const ck = new Checker('net.yaml');
  const out = checkLearning(ck, v, ['projections', 0, 'learning']);
  return { out, problems: ck.problems.map((p) => `${p.where}: ${p.message}`) };
}

describe('the learning: block of a plastic projection', () => {
  it('resolves a full block with defaults for missing traces', () => {
    const { out, problems } = check({
      rule: 'dw = 2^-2*x1*y0 - 2^-2*y1*x0',
      epoch: 2,
      rounding: 'nearest',
      traces: { x1: { impulse: 16, tau: 10 }, y1: { impulse: 12.5, decay: 300 } },
    });
    expect(problems).toEqual([]);
    expect(out!.epoch).toBe(2);
    expect(out!.rounding).toBe('nearest');
    expect(out!.traces.x1).toEqual({ impulse: 16, decay: decayFromTau(10) });
    expect(out!.traces.y1).toEqual({ impulse: 12.5, decay: 300 });
    expect(out!.traces.y2).toEqual({ impulse: 0, decay: 0 });
    expect(formatRule(out!.rule)).toBe('dw = 2^-2*y0*x1 - 2^-2*x0*y1');
  });

  it('defaults to epoch 1 and stochastic rounding', () => {
    const { out } = check({ rule: 'dw = x0' });
    expect(out).toMatchObject({ epoch: 1, rounding: 'stochastic' });
  });

  it('reports every problem with its field path, rule errors with their column', () => {
    const { out, problems } = check({
      rule: 'dw = 2^-2*x1*y0 -* y1',
      epoch: 64,
      rounding: 'round',
      traces: { x1: { impulse: 200, tau: 3, decay: 5 }, z1: {}, y1: { impluse: 3 } },
      rate: 1,
    });
    expect(out).toBeUndefined();
    expect(problems).toEqual([
      "projections[0].learning.rate: unknown key (did you mean 'rule'?); allowed: rule, epoch, rounding, traces",
      "projections[0].learning.rule: col 18: unexpected '*'; expected a number, a name such as x1 or y0, or '('",
      'projections[0].learning.epoch: 64 is outside 1..63',
      "projections[0].learning.rounding: 'round' is not one of stochastic, nearest, floor",
      "projections[0].learning.traces.z1: unknown key (did you mean 'x1'?); allowed: x1, x2, y1, y2, y3",
      'projections[0].learning.traces.x1.impulse: 200 is outside 0..127',
      "projections[0].learning.traces.x1: give either 'tau' or 'decay', not both",
      "projections[0].learning.traces.y1.impluse: unknown key (did you mean 'impulse'?); allowed: impulse, tau, decay",
    ]);
  });

  it('points at the line of the rule in a YAML file', () => {
    const text = 'projections:\n  - learning:\n      rule: dw = x1*y1\n';
    const st = parseStructured(text, 'net.yaml');
    const ck = new Checker('net.yaml', st);
    const data = st.data as { projections: { learning: unknown }[] };
    checkLearning(ck, data.projections[0].learning, ['projections', 0, 'learning']);
    expect(ck.problems).toHaveLength(1);
    expect(ck.problems[0].where).toMatch(/^projections\[0\]\.learning\.rule \(line 3/);
    expect(ck.problems[0].message).toMatch(/^col 6: product has no dependency/);
  });

  it('declares each parameter once with unit, default and source', () => {
    for (const p of LEARNING_PARAMS) {
      expect(p.source.length).toBeGreaterThan(5);
      expect(p.description.length).toBeGreaterThan(5);
    }
    expect(LEARNING_PARAMS.find((p) => p.path === 'epoch')).toMatchObject({ min: 1, max: 63, default: 1, unit: 'steps' });
  });
});

describe('from a YAML learning block to learned weights', () => {
  it('a spec-configured engine potentiates pre-before-post by the hand-computed amount', async () => {
    const { LearningEngine } = await import('../../emulator/core/learning/index.js');
    const text = [
      'learning:',
      '  rule: dw = 2^-2*x1*y0 - 2^-2*y1*x0',
      '  epoch: 2',
      '  rounding: floor',
      '  traces:',
      '    x1: { impulse: 64, decay: 2048 }',
      '    y1: { impulse: 64, decay: 2048 }',
    ].join('\n');
    const st = parseStructured(text, 'net.yaml');
    const ck = new Checker('net.yaml', st);
    const params = checkLearning(ck, (st.data as { learning: unknown }).learning, ['learning']);
    expect(ck.problems).toEqual([]);
    const syn = { pre: new Uint32Array([0]), post: new Uint32Array([0]), weight: new Int16Array([50]) };
    const e = new LearningEngine(params!, syn, 1, 1, { seed: 4, signMode: 'excitatory', numWeightBits: 8 });
    const on = new Uint8Array([1]);
    const off = new Uint8Array([0]);
    e.onStep(1, on, off); // pre: x1 = 64
    e.onStep(2, off, off); // x1 = 32; epoch ends, nothing paired yet (x0 term reads y1 = 0)
    e.onStep(3, off, on); // x1 = 16 at the post spike
    expect(syn.weight[0]).toBe(50);
    e.onStep(4, off, off); // epoch end: +16/4
    expect(syn.weight[0]).toBe(54);
    expect(e.learnUpdates).toBe(2);
  });
});
