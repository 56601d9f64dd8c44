import { describe, expect, it } from 'vitest';
import { InputError, parseNetwork, parseArch, NetworkBuilder, compileNetwork, checkNetwork } from '../../emulator/index.js';

function problems(text: string): string[] {
  try {
    parseNetwork(text, 'net.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.lines();
    throw e;
  }
  return [];
}

const base = `format: aerie-network/1
populations:
  - {name: in, kind: spike-source, size: 2, spikes: [[1], [2]]}
  - {name: exc, kind: lif, size: 3, params: {du: 100}}
projections:
  - {from: in, to: exc, weights: [[1, 2], [3, 4], [5, 6]]}
`;

describe('network spec validation', () => {
  it('accepts a valid network', () => {
    expect(problems(base)).toEqual([]);
  });

  const cases: [string, string, RegExp][] = [
    ['out-of-range du with its path', base.replace('du: 100', 'du: 5000'), /net\.yaml: populations\[1\]\.params\.du \(line 4:\d+\): 5000 is outside 0\.\.4095/],
    ['unknown key with a hint', base.replace('params: {du: 100}', 'params: {duu: 100}'), /populations\[1\]\.params\.duu.*unknown key \(did you mean 'du'\?\)/],
    ['unknown top-level key', base + 'extra: 1\n', /extra.*unknown key/],
    ['wrong format', base.replace('aerie-network/1', 'aerie-network/9'), /format.*expected 'aerie-network\/1'/],
    ['YAML syntax error with line:col', base.replace('[[1], [2]]', '[[1], [2]'), /net\.yaml: \d+:\d+: /],
    ['NaN value', base.replace('du: 100', 'du: .nan'), /params\.du.*expected an integer, got NaN/],
    ['infinite value', base.replace('du: 100', 'du: .inf'), /params\.du.*not a finite number/],
    ['non-integer', base.replace('du: 100', 'du: 1.5'), /params\.du.*1\.5 is not an integer/],
    ['wrong type', base.replace('size: 3', 'size: three'), /populations\[1\]\.size.*expected an integer/],
    ['negative size', base.replace('size: 3', 'size: -3'), /populations\[1\]\.size.*-3 is outside 1\.\./],
    ['unknown population', base.replace('to: exc', 'to: ex'), /projections\[0\]\.to.*no population named 'ex'/],
    ['matrix shape', base.replace('[[1, 2], [3, 4], [5, 6]]', '[[1, 2], [3, 4]]'), /weights.*has 2 rows but 'exc' has 3/],
    ['per-compartment array length', base.replace('du: 100', 'du: [1, 2]'), /params\.du.*has 2 values for a population of size 3/],
    ['two connectivity forms', base.replace('weights: [[1, 2], [3, 4], [5, 6]]', 'weights: [[1, 2], [3, 4], [5, 6]], synapses: [[0, 0, 1]]'), /exactly one of 'weights'/],
    ['bad sign mode', base.replace('weights:', 'sign_mode: both, weights:'), /sign_mode.*not one of mixed, excitatory, inhibitory/],
    ['num_weight_bits range', base.replace('weights:', 'num_weight_bits: 9, weights:'), /num_weight_bits.*9 is outside 1\.\.8/],
    ['weight_exp range', base.replace('weights:', 'weight_exp: -9, weights:'), /weight_exp.*-9 is outside -8\.\.7/],
    ['delay range', base.replace('weights:', 'delay: 63, weights:'), /delay.*63 is outside 0\.\.62/],
    ['bias_exp range', base.replace('du: 100', 'bias_exp: 8'), /bias_exp.*8 is outside -7\.\.7/],
    ['vth range', base.replace('du: 100', 'vth: 131072'), /vth.*131072 is outside 0\.\.131071/],
    ['duplicate population', base.replace('name: exc', 'name: in'), /defined twice/],
    ['spike step zero', base.replace('[[1], [2]]', '[[0], [2]]'), /spikes\[0\]\[0\].*0 is outside 1\.\./],
    ['source without spikes', base.replace(', spikes: [[1], [2]]', ''), /needs 'spikes'/],
    ['empty document', '', /expected a map/],
    ['a list instead of a map', '[1, 2]', /expected a map, got a list/],
    ['missing populations', 'format: aerie-network/1\n', /missing required key 'populations'/],
    ['connect without p or fan_in', base.replace('weights: [[1, 2], [3, 4], [5, 6]]', 'connect: {weight: 3}'), /exactly one of 'p'.*or 'fan_in'/],
    ['connect probability above 1', base.replace('weights: [[1, 2], [3, 4], [5, 6]]', 'connect: {p: 1.5, weight: 3}'), /connect\.p.*1\.5 is outside 0\.\.1/],
    ['absurd size', base.replace('size: 3', 'size: 1e12'), /size.*outside 1\.\.268435456/],
  ];
  for (const [name, text, re] of cases) {
    it(`rejects ${name}`, () => {
      const lines = problems(text);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).toMatch(re);
    });
  }

  it('reports every problem, one line each', () => {
    const lines = problems(base.replace('du: 100', 'du: 5000, dv: -1').replace('size: 2', 'size: 0'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l).not.toContain('\n');
  });

  it('the builder produces the same network a file does', () => {
    const b = new NetworkBuilder();
    b.spikeSource('in', 2, [[1], [2]]);
    b.lif('exc', 3, { du: 100 });
    b.project('in', 'exc', { weights: [[1, 2], [3, 4], [5, 6]] });
    const built = b.build();
    const parsed = parseNetwork(base);
    expect({ ...built, projections: built.projections }).toEqual({ ...parsed, projections: parsed.projections, format: 'aerie-network/1' });
  });

  it('rejects a projection into a spike source at compile time', () => {
    const spec = checkNetwork({ format: 'aerie-network/1', populations: [{ name: 'a', kind: 'spike-source', size: 1, spikes: [[1]] }], projections: [{ from: 'a', to: 'a', weights: [[1]] }] });
    expect(() => compileNetwork(spec, 'x')).toThrow(/spike-source; projections must target a lif population/);
  });

  it('random connectivity is a pure function of the seed', () => {
    const mk = (seed: number) =>
      compileNetwork(checkNetwork({ format: 'aerie-network/1', populations: [{ name: 'a', kind: 'lif', size: 200 }], projections: [{ from: 'a', to: 'a', connect: { p: 0.05, weight: { min: -5, max: 5 }, seed } }] }));
    const a = mk(1).projections[0];
    const b = mk(1).projections[0];
    const c = mk(2).projections[0];
    expect(Array.from(a.pre)).toEqual(Array.from(b.pre));
    expect(Array.from(a.weight)).toEqual(Array.from(b.weight));
    expect(Array.from(a.pre)).not.toEqual(Array.from(c.pre));
    // about p·n² synapses, no self connections
    expect(a.pre.length).toBeGreaterThan(0.04 * 200 * 199);
    expect(a.pre.length).toBeLessThan(0.06 * 200 * 199);
    for (let i = 0; i < a.pre.length; i++) expect(a.pre[i]).not.toBe(a.post[i]);
  });

  it('fan_in gives exactly that many distinct partners per target', () => {
    const net = compileNetwork(checkNetwork({ format: 'aerie-network/1', populations: [{ name: 'a', kind: 'lif', size: 50 }], projections: [{ from: 'a', to: 'a', connect: { fan_in: 7, weight: 1, seed: 3 } }] }));
    const p = net.projections[0];
    const per = new Map<number, Set<number>>();
    for (let i = 0; i < p.pre.length; i++) (per.get(p.post[i]) ?? per.set(p.post[i], new Set()).get(p.post[i])!).add(p.pre[i]);
    expect(per.size).toBe(50);
    for (const [t, s] of per) {
      expect(s.size).toBe(7);
      expect(s.has(t)).toBe(false);
    }
  });
});

describe('arch spec', () => {
  it('overrides a preset parameter and rejects unknown ones with their path', () => {
    const a = parseArch('format: aerie-arch/1\npreset: loihi2\ncore: {compartments: 512}\n');
    expect(a.values['core.compartments']).toBe(512);
    expect(a.values['core.payload_bits']).toBe(24);
    expect(() => parseArch('format: aerie-arch/1\ncore: {compartmets: 512}\n', 'a.yaml')).toThrow(/a\.yaml: core\.compartmets.*did you mean 'compartments'/);
    expect(() => parseArch('format: aerie-arch/1\ncore: {compartments: 0}\n', 'a.yaml')).toThrow(/core\.compartments.*0 is outside 1\.\.65536/);
    expect(() => parseArch('format: aerie-arch/1\npreset: loihi9\n', 'a.yaml')).toThrow(/preset.*not one of loihi, loihi2/);
  });
});
