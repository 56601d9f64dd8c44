/** SANA-FE description import on fixtures built here: formats, edge expansion orders, mappings, errors. */
import { describe, it, expect } from 'vitest';
import { parseSanafeArch, parseSanafeSnn, sanafeToAerieArch, sanafeEnergyEntries, detectSanafeText, expandRangedName, parseRange, loadSanafeRunFromText } from '../../emulator/sanafe/index.js';
import { InputError } from '../../emulator/errors.js';
import { archText } from './fixtures.js';

const arch = parseSanafeArch(archText(), 'a.yaml');

function snn(groups: string, edges: string, mappings: string): string {
  return `network:\n  name: t\n  groups:\n${groups}\n  edges:\n${edges}\nmappings:\n${mappings}\n`;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.lines();
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('architecture import', () => {
  it('expands ranged tiles and cores, lays tiles out as SANA-FE does, and keeps unit costs', () => {
    const a = parseSanafeArch(archText({ width: 2, height: 2, tiles: [['t[0..3]', 3, 1e-12, 1e-9]] }), 'a.yaml');
    expect(a.tiles.map((t) => [t.name, t.x, t.y])).toEqual([
      ['t[0]', 0, 0],
      ['t[1]', 0, 1],
      ['t[2]', 1, 0],
      ['t[3]', 1, 1],
    ]);
    expect(a.cores.length).toBe(12);
    expect(a.cores[4]).toMatchObject({ id: 4, tile: 1, offset: 1, name: 'c[1]', maxNeurons: 16 });
    expect(a.cores[4].synapses[0]).toMatchObject({ name: 'syn', model: 'current_based', costs: { energy_process_spike: 1e-12, latency_process_spike: 1e-9 } });
    expect(a.maxCoresPerTile).toBe(3);
  });

  it('maps onto aerie arch values and energy entries keyed by action id', () => {
    const a = parseSanafeArch(archText({ width: 2, height: 1, soma: { access: 2e-12, update: 3e-12, spike: 4e-12, accessL: 1e-9, updateL: 2e-9, spikeL: 3e-9 }, synE: 5e-12, dendE: 1e-12, outE: 7e-12, inE: 0.5e-12 }), 'a.yaml');
    const arch = sanafeToAerieArch(a);
    expect([arch.tilesX, arch.tilesY, arch.coresPerTile, arch.core.compartments]).toEqual([2, 1, 2, 16]);
    expect(arch.timing).toMatchObject({ synopPs: 1000, compartmentActivePs: 3000, compartmentInactivePs: 1000, spikeOutPs: 3000, messageOutPs: 5000 });
    expect(arch.noc.hopEwPs).toBe(1000);
    expect(arch.noc.hopNsPs).toBe(4000);
    const e = Object.fromEntries(sanafeEnergyEntries(a).map((x) => [x.action, x.fj]));
    expect(e).toMatchObject({ 'core.synop': 6000, 'core.compartment_inactive': 2000, 'core.compartment_active': 5000, 'core.spike_out': 4000, 'core.packet_out': 7000, 'core.packet_in': 500 });
  });

  it('reports unknown attributes, bad ranges, model typos and missing soma metrics with field path and line', () => {
    const bad = archText()
      .replace('link_buffer_size: 4', 'link_bufer_size: 4')
      .replace('name: t[0..1]', 'name: t[3..1]')
      .replace('model: current_based', 'model: curent_based')
      .replace('energy_spike_out: 3e-12,', '');
    const p = problems(() => parseSanafeArch(bad, 'bad.yaml'));
    expect(p).toContainEqual(expect.stringMatching(/^bad\.yaml: architecture\.attributes\.link_bufer_size \(line 6:\d+\): unknown architecture attribute \(did you mean 'link_buffer_size'\?\)/));
    expect(p).toContainEqual(expect.stringMatching(/architecture\.tile\[0\]\.name \(line \d+:\d+\): 't\[3\.\.1\]' is not a valid ranged name/));
    expect(p).toContainEqual(expect.stringMatching(/synapse\[0\]\.attributes\.model \(line \d+:\d+\): 'curent_based' is not a SANA-FE synapse model \(did you mean 'current_based'\?\)/));
    expect(p).toContainEqual(expect.stringMatching(/soma\[0\]\.attributes \(line \d+:\d+\): missing 'energy_spike_out'/));
  });

  it('reports YAML syntax errors with line:col, and a file that is not an architecture', () => {
    expect(problems(() => parseSanafeArch('architecture:\n  name: [x\n', 's.yaml'))[0]).toMatch(/^s\.yaml: \d+:\d+: /);
    expect(problems(() => parseSanafeArch('network: {}\n', 'n.yaml'))[0]).toMatch(/unknown key/);
  });

  it('rejects tiles that do not fit the mesh', () => {
    expect(problems(() => parseSanafeArch(archText({ width: 1, height: 1 }), 'a.yaml'))[0]).toMatch(/tile 1 \('t\[1\]'\) does not fit a 1×1 mesh/);
  });
});

describe('SNN import', () => {
  it('reads attributes as lists or maps, ranges, per-neuron overrides and soma/dendrite sub-maps', () => {
    const net = parseSanafeSnn(
      snn(
        `    - name: a
      attributes: [threshold: 2.0, log_spikes: true]
      neurons:
        - 0..2
        - 3: {bias: 0.5, threshold: 3.0}
        - 4: [soma: {reset: -1.0}, dendrite: {threshold: 9.0}]
    - name: b
      attributes: {threshold: 1.0}
      neurons: [0, 1]`,
        '    []',
        '  - a: {core: 0.0}\n  - b.0..1: [core: 0.1]',
      ),
      arch,
      's.yaml',
    );
    expect(net.groups.map((g) => [g.name, g.size, g.offset])).toEqual([
      ['a', 5, 0],
      ['b', 2, 5],
    ]);
    const t = (i: number): Record<string, unknown> => Object.fromEntries(Object.entries(net.templates[net.templateOf[i]]).map(([k, v]) => [k, v.value]));
    expect(t(0)).toEqual({ threshold: 2, log_spikes: true });
    expect(t(3)).toEqual({ threshold: 3, log_spikes: true, bias: 0.5 });
    expect(net.templates[net.templateOf[4]].reset).toEqual({ value: -1, soma: true, dendrite: false });
    expect(net.templates[net.templateOf[4]].threshold).toEqual({ value: 9, soma: false, dendrite: true });
    expect(Array.from(net.coreOf)).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(net.mapOrder)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps SANA-FE addresses as text: neuron 1.0 and core 0.10 are not numbers', () => {
    const big = parseSanafeArch(archText({ tiles: [['t[0..1]', 12, 1e-12, 1e-9]] }), 'a.yaml');
    const net = parseSanafeSnn(snn('    - name: 1\n      neurons: [0..1]', '    - 1.0 -> 1.1: [weight: 2.5]', '  - 1.0: {core: 0.10}\n  - 1.1: {core: 1.1}'), big, 's.yaml');
    expect(net.coreOf[0]).toBe(10);
    expect(net.coreOf[1]).toBe(13);
    expect(net.nEdges).toBe(1);
    expect([net.pre[0], net.post[0], net.weight[0]]).toEqual([0, 1, 2.5]);
  });

  it('expands dense edges source-major over every pair (zero weights included)', () => {
    const net = parseSanafeSnn(snn('    - name: a\n      neurons: [0..1]\n    - name: b\n      neurons: [0..2]', '    - a -> b: [type: dense, weight: [1, 0, 3, 4, 5, 6]]', '  - a: {core: 0.0}\n  - b: {core: 0.0}'), arch, 's.yaml');
    const e = Array.from({ length: net.nEdges }, (_, k) => [net.pre[k], net.post[k], net.weight[k]]);
    expect(e).toEqual([
      [0, 2, 1],
      [0, 3, 0],
      [0, 4, 3],
      [1, 2, 4],
      [1, 3, 5],
      [1, 4, 6],
    ]);
  });

  it("expands conv2d edges in SANA-FE's order with the kernel laid out [ky][kx][c_in][c_out]", () => {
    // 1 channel 3×3 input, 2 kernels of 2×2, stride 1 → 2 × 2×2 outputs, each with 4 synapses
    const w = Array.from({ length: 8 }, (_, i) => i + 1);
    const net = parseSanafeSnn(
      snn(
        '    - name: in\n      neurons: [0..8]\n    - name: out\n      neurons: [0..7]',
        `    - in -> out:\n        type: conv2d\n        input_height: 3\n        input_width: 3\n        input_channels: 1\n        kernel_count: 2\n        kernel_height: 2\n        kernel_width: 2\n        stride_height: 1\n        stride_width: 1\n        weight: [${w.join(', ')}]`,
        '  - in: {core: 0.0}\n  - out: {core: 0.1}',
      ),
      arch,
      's.yaml',
    );
    expect(net.nEdges).toBe(32);
    const edges = Array.from({ length: net.nEdges }, (_, k) => [net.pre[k], net.post[k] - 9, net.weight[k]]);
    // output channel 1, y 0, x 1 (index 1·4 + 1 = 5): inputs (0,1),(0,2),(1,1),(1,2) with kernel weights
    // w[ky·2·1·2 + kx·1·2 + 0·2 + 1] = w[1], w[3], w[5], w[7] → 2, 4, 6, 8
    expect(edges.filter((e) => e[1] === 5)).toEqual([
      [1, 5, 2],
      [2, 5, 4],
      [4, 5, 6],
      [5, 5, 8],
    ]);
    // creation order: output channel, then y, then x
    expect(edges.slice(0, 4).map((e) => e[1])).toEqual([0, 0, 0, 0]);
    expect(edges[4][1]).toBe(1);
  });

  it('expands sparse edges by source_target_pairs with one weight per pair', () => {
    const net = parseSanafeSnn(snn('    - name: a\n      neurons: [0..4]\n    - name: b\n      neurons: [0..1]', '    - a -> b:\n        type: sparse\n        source_target_pairs: [[0, 1], [4, 0]]\n        weight: [1.5, -2]\n        dendrite: {delay: [0, 0]}', '  - a: {core: 0.0}\n  - b: {core: 0.0}'), arch, 's.yaml');
    expect(Array.from({ length: net.nEdges }, (_, k) => [net.pre[k], net.post[k], net.weight[k]])).toEqual([
      [0, 6, 1.5],
      [4, 5, -2],
    ]);
    expect(net.warnings).toEqual([]);
  });

  it('notes neuron-level synapse attributes, which SANA-FE never forwards to a synapse unit', () => {
    const net = parseSanafeSnn(snn('    - name: a\n      attributes: [synapse: {weight: 2}]\n      neurons: [0]', '    []', '  - a: {core: 0.0}'), arch, 's.yaml');
    expect(net.warnings[0]).toMatch(/neuron-level 'synapse:' attributes have no effect/);
  });

  it('notes delays it cannot honour instead of dropping them silently', () => {
    const net = parseSanafeSnn(snn('    - name: a\n      neurons: [0..1]', '    - a.0 -> a.1: [weight: 1, dendrite: {delay: 2}]', '  - a: {core: 0.0}'), arch, 's.yaml');
    expect(net.warnings[0]).toMatch(/accumulator' dendrite ignores delays/);
  });

  it('reports format errors with the field path and line:col', () => {
    const text = snn(
      `    - name: a
      attributes: [treshold: 1.0]
      neurons: [5..2, 0..1]
    - name: b
      neurons: [0]`,
      '    - a.0 -> c.0: [weight: 1]\n    - a.0 -> b.7: [weight: 1]\n    - a -> b: [type: dense, weight: [1]]\n    - a -> b: [type: ring]',
      '  - a: {core: 0.9}\n  - b: {cores: 0.0}',
    );
    const p = problems(() => parseSanafeSnn(text, arch, 'bad.yaml'));
    const has = (re: RegExp): void => expect(p).toContainEqual(expect.stringMatching(re));
    has(/^bad\.yaml: network\.groups\[0\]\.attributes\[0\]\.treshold \(line 5:\d+\): unknown neuron attribute 'treshold' \(did you mean 'threshold'\?\)/);
    has(/network\.groups\[0\]\.neurons\[0\] \(line 6:\d+\): '5\.\.2' is not a neuron id or a range a\.\.b/);
    has(/network\.edges\[0\]\.a\.0 -> c\.0 \(line \d+:\d+\): no group named 'c'/);
    has(/network\.edges\[1\]\.a\.0 -> b\.7 \(line 11:\d+\): 'b\.7': group 'b' has neurons 0\.\.0/);
    has(/network\.edges\[2\]\.a -> b\[1\]\.weight \(line \d+:\d+\): has 1 entries but the dense edge needs 2/);
    has(/network\.edges\[3\]\.a -> b\[0\]\.type \(line \d+:\d+\): 'ring' is not one of dense, sparse, conv2d/);
    has(/mappings\[0\]\.a\[0\]\.core|mappings\[0\]\.a\.core/);
    has(/core 0\.9 does not exist \(tile 0 has cores 0\.\.1\)/);
    has(/mappings\[1\]\.b\.cores \(line \d+:\d+\): unknown mapping key 'cores' \(did you mean 'core'\?\)/);
  });

  it('requires every neuron to be mapped and cores to hold their max_neurons_supported', () => {
    expect(problems(() => parseSanafeSnn(snn('    - name: a\n      neurons: [0..2]', '    []', '  - a.0..1: {core: 0.0}'), arch, 's.yaml'))[0]).toMatch(/neuron a\.2 is not mapped to a core/);
    const small = archText({ maxNeurons: 2 });
    expect(problems(() => loadSanafeRunFromText(snn('    - name: a\n      neurons: [0..2]', '    []', '  - a: {core: 0.0}'), small, 's.yaml', 'a.yaml'))[0]).toMatch(/core 0\.0 gets 3 neurons, more than its max_neurons_supported 2/);
  });

  it('detects which SANA-FE description a text is', () => {
    expect(detectSanafeText(archText())).toBe('arch');
    expect(detectSanafeText(snn('    - name: a\n      neurons: [0]', '    []', '  - a: {core: 0.0}'))).toBe('snn');
    expect(detectSanafeText('format: aerie-network/1\npopulations: []\n')).toBeUndefined();
  });

  it('parses ranges and ranged names strictly', () => {
    expect(parseRange('0..15')).toEqual([0, 15]);
    expect(parseRange('3..1')).toBeUndefined();
    expect(parseRange('a..b')).toBeUndefined();
    expect(expandRangedName('x[2..4]')).toEqual(['x[2]', 'x[3]', 'x[4]']);
    expect(expandRangedName('plain')).toEqual(['plain']);
    expect(expandRangedName('x[4..2]')).toBeUndefined();
  });
});

describe('resource guards', () => {
  it('refuses networks larger than the neuron limit before allocating', () => {
    const p = problems(() => parseSanafeSnn(snn('    - name: a\n      neurons: [0..4294967295]', '    []', '  - a: {core: 0.0}'), arch, 's.yaml'));
    expect(p[0]).toMatch(/network\.groups\[0\]\.neurons \(line \d+:\d+\): defines 4294967296 neurons; a network may hold at most 16777216/);
  });
});
