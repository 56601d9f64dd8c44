/**
 * Crossbar-backed projections inside the step engine (docs/PIM.md "Crossbar-backed projections"):
 * with ideal devices a projection on crossbars gives the same spikes and currents as the same
 * projection in core synapse memory, bit for bit; with noise the measured error is > 0, grows with
 * the noise and is reproducible by seed; capacity and validation errors name the projection.
 */
import { describe, expect, it } from 'vitest';
import { InputError, NetworkBuilder, parseArch, archFromSpec, parseNetwork, prepare, resolveArch, type NetworkSpec, type ProjectionSpec } from '../../emulator/index.js';

type Extra = Omit<ProjectionSpec, 'from' | 'to' | 'connect'>;

/** Poisson input → LIF layer with a recurrent core projection; the input projection on core or crossbar. */
function network(seed: number, on: 'core' | 'crossbar', extra: Extra = {}, crossbar: Record<string, unknown> = {}, sizes = { pre: 150, post: 70 }): NetworkSpec {
  const b = new NetworkBuilder({ seed, name: 'xb-test' });
  b.poissonSource('src', sizes.pre, 250, seed + 10);
  b.lif('exc', sizes.post, { du: 400, dv: 200, vth: 150, refractory: 1 });
  b.project('src', 'exc', {
    name: 'in',
    connect: { p: 0.3, weight: { min: -70, max: 120 }, seed: seed + 1 },
    ...extra,
    ...(on === 'crossbar' ? { on, crossbar: { rows: 64, cols: 64, adcBits: 8, ...crossbar } } : {}),
  });
  b.project('exc', 'exc', { connect: { p: 0.15, weight: { min: -30, max: 40 }, seed: seed + 2 } });
  return b.build();
}

interface Ran {
  spikes: string;
  u: Int32Array;
  p: ReturnType<typeof prepare>;
}

function run(spec: NetworkSpec, steps: number, opts: Parameters<typeof prepare>[2] = {}): Ran {
  const p = prepare(spec, resolveArch('loihi'), opts);
  p.emulator.addProbe({ population: 'exc', variable: 'u' }, steps);
  const out: number[] = [];
  p.emulator.run(steps, () => {
    for (let k = 0; k < p.emulator.stepSpikeCount; k++) out.push(p.emulator.stepSpikes[k]);
    out.push(-1);
  });
  return { spikes: out.join(','), u: p.emulator.probeData()[0].values, p };
}

describe('crossbar-backed projection with ideal devices', () => {
  it.each([1, 2, 3])('gives the same spikes and currents as core synapses (seed %i, matrix tiled over several arrays)', (seed) => {
    const core = run(network(seed, 'core'), 40);
    const xb = run(network(seed, 'crossbar'), 40);
    const plan = xb.p.placement.crossbars[0];
    expect(plan.rowTiles).toBe(3); // 150 inputs on 64-row arrays
    expect(plan.colTiles).toBeGreaterThan(1);
    expect(xb.spikes).toBe(core.spikes);
    expect(Buffer.from(xb.u.buffer).equals(Buffer.from(core.u.buffer))).toBe(true);
    expect(core.spikes.split(',').filter((s) => Number(s) >= 150).length).toBeGreaterThan(50); // the layer fires
    const info = xb.p.emulator.crossbar!.info();
    expect(info.mvms).toBeGreaterThan(30);
    expect(info.samples).toBe(info.mvms * 70);
    expect(info.meanAbsError).toBe(0);
    expect(info.maxAbsError).toBe(0);
    // partial sums of the 3 row tiles are added digitally and counted
    expect(info.partialSumAdds).toBe(info.mvms * 2 * 70);
  });

  it.each<[string, Extra]>([
    ['weight_exp −2', { weight_exp: -2 }],
    ['weight_exp +2', { weight_exp: 2 }],
    ['delay 3', { delay: 3 }],
    ['weight_exp −1 with delay 1, 6-bit weights', { weight_exp: -1, delay: 1, num_weight_bits: 6 }],
  ])('keeps core semantics with %s', (_, extra) => {
    const core = run(network(4, 'core', extra), 40);
    const xb = run(network(4, 'crossbar', extra), 40);
    expect(xb.spikes).toBe(core.spikes);
    expect(Buffer.from(xb.u.buffer).equals(Buffer.from(core.u.buffer))).toBe(true);
  });

  it('is identical under every NoC choice and with differential weights on 2-bit cells', () => {
    const core = run(network(5, 'core'), 30);
    for (const noc of ['none', 'cycle'] as const) expect(run(network(5, 'crossbar', {}, { signed: 'differential', cellBits: 2 }), 30, { noc }).spikes).toBe(core.spikes);
  });

  it('is identical for a sigma-delta target on Loihi 2 with the arrays spread over several chips', () => {
    const arch = archFromSpec(parseArch('format: aerie-arch/1\npreset: loihi2\nchip: {tiles_x: 2, tiles_y: 1}\nboard: {chips_x: 4, chips_y: 2}\ncrossbar: {per_tile: 2}\n', 'a.yaml'));
    const spec = (on: 'core' | 'crossbar'): NetworkSpec => {
      const b = new NetworkBuilder({ seed: 3 });
      b.poissonSource('src', 150, 200, 3);
      b.sigmaDelta('exc', 70, { vth: 50 });
      b.project('src', 'exc', { name: 'in', connect: { p: 0.3, weight: { min: -60, max: 120 }, seed: 4 }, weight_exp: -1, ...(on === 'crossbar' ? { on, crossbar: { rows: 64, cols: 64, adcBits: 8 } } : {}) });
      return b.build();
    };
    const runOn = (on: 'core' | 'crossbar') => {
      const p = prepare(spec(on), arch);
      p.emulator.addProbe({ population: 'exc', variable: 'u' }, 12);
      p.emulator.run(12);
      return p;
    };
    const core = runOn('core');
    const xb = runOn('crossbar');
    const tilesPerChip = 2;
    expect(new Set(Array.from(xb.placement.crossbars[0].tileOf, (t) => Math.floor(t / tilesPerChip))).size).toBeGreaterThan(1); // arrays on several chips
    expect(xb.emulator.activity().totals['noc.chip_link']).toBeGreaterThan(0);
    const u = xb.emulator.probeData()[0].values;
    expect(Array.from(u)).toEqual(Array.from(core.emulator.probeData()[0].values));
    // sigma after step 2 is exactly the summed input of the sources that fired at step 1 (binary spikes
    // of a source sharing a core with graded compartments carry no payload), floored by weight_exp −1
    const pr = xb.net.projections[0];
    const fired = new Set<number>();
    const src = xb.net.population('src');
    const first = prepare(spec('core'), arch);
    first.emulator.run(1);
    for (let k = 0; k < first.emulator.stepSpikeCount; k++) fired.add(first.emulator.stepSpikes[k] - src.offset);
    const a = new Array<number>(70).fill(0);
    for (let i = 0; i < pr.pre.length; i++) if (fired.has(pr.pre[i])) a[pr.post[i]] += pr.weight[i];
    expect(fired.size).toBeGreaterThan(5);
    expect(Array.from(u.subarray(70, 140))).toEqual(a.map((x) => x >> 1));
  });

  it('counts crossbar activity, routes the graded outputs and charges the step with the MVM', () => {
    const core = run(network(6, 'core'), 30).p.emulator;
    const { p } = run(network(6, 'crossbar'), 30);
    const a = p.emulator.activity();
    const info = p.emulator.crossbar!.info();
    expect(a.hardware.crossbarsUsed).toBe(p.placement.crossbars[0].arrays);
    expect(a.totals['crossbar.read']).toBe(info.mvms * info.arrays);
    expect(a.totals['crossbar.write']).toBeGreaterThan(0);
    expect(a.totals['crossbar.adc']).toBeGreaterThan(0);
    expect(a.totals['core.synop'] ?? 0).toBeLessThan(core.activity().totals['core.synop']!); // the input projection does no synops
    // every output packet is a flit in the mesh and a packet in at its target core
    const coreOut = a.totals['core.packet_out']!;
    expect(a.totals['noc.flit']).toBe(coreOut + info.outputPackets);
    // crossbar counts are attributed to the target population; the sums still match the totals
    expect(a.byPopulation.exc['crossbar.read']).toBe(a.totals['crossbar.read']);
    // an MVM takes time: steps with crossbar work are not shorter than the MVM latency
    const lat = p.emulator.crossbar!.projections[0].tm!.mvmLatencyPs;
    const durations = a.stepDurationPs;
    expect(Math.max(...durations)).toBeGreaterThan(lat);
    expect(Number.isNaN(p.emulator.crossbar!.stepMeanAbsError(1))).toBe(false);
  });
});

describe('crossbar-backed projection with non-idealities', () => {
  const noisy = (sigma: number, seed = 7) => run(network(seed, 'crossbar', {}, { nonIdealities: { readNoise: { sigma }, programmingError: { sigma: sigma / 2 } } }), 30).p.emulator.crossbar!.info();

  it('reports an error that is > 0 and grows with the noise sigma', () => {
    const maes = [0.05, 0.1, 0.2].map((s) => noisy(s).meanAbsError);
    expect(maes[0]).toBeGreaterThan(0);
    expect(maes[1]).toBeGreaterThan(maes[0]);
    expect(maes[2]).toBeGreaterThan(maes[1]);
  });

  it('is reproducible by seed', () => {
    const a = noisy(0.1, 8);
    const b = noisy(0.1, 8);
    expect(b).toEqual(a);
    expect(noisy(0.1, 9).meanAbsError).not.toBe(a.meanAbsError);
  });

  it('a lossy ADC alone gives an error, which clipping the ADC range removes for sparse inputs', () => {
    const lossy = run(network(3, 'crossbar', {}, { adcBits: 4 }), 20).p.emulator.crossbar!.info();
    expect(lossy.meanAbsError).toBeGreaterThan(0);
    const clipped = run(network(3, 'crossbar', {}, { adcBits: 4, nonIdealities: { adc: { clip: 0.25 } } }), 20).p.emulator.crossbar!.info();
    expect(clipped.meanAbsError).toBeLessThan(lossy.meanAbsError);
  });
});

describe('mapping and validation of crossbar projections', () => {
  it('reports too few arrays as an input error naming the projection and the numbers', () => {
    const arch = archFromSpec(parseArch('format: aerie-arch/1\npreset: loihi\nchip: {tiles_x: 2, tiles_y: 1}\ncrossbar: {per_tile: 2}\n', 'small.yaml'));
    let err: unknown;
    try {
      prepare(network(1, 'crossbar'), arch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as InputError).problems.map((p) => `${p.where}: ${p.message}`).join('\n');
    expect(msg).toMatch(/projection 'in'/);
    expect(msg).toMatch(/needs \d+ crossbar arrays \(3 row tiles × \d+ column tiles of 64×64 arrays for its 150×70 matrix\) but only 4 of the 4 arrays \(crossbar.per_tile 2 × 2 tiles\) are free/);
  });

  it('places the arrays near the target cores, within crossbar.per_tile', () => {
    const p = prepare(network(1, 'crossbar'), resolveArch('loihi'));
    const x = p.placement.crossbars[0];
    const count = new Map<number, number>();
    for (const t of x.tileOf) count.set(t, (count.get(t) ?? 0) + 1);
    for (const n of count.values()) expect(n).toBeLessThanOrEqual(p.arch.crossbar.perTile);
    expect(x.tileOf[0]).toBe(Math.floor(p.placement.coreOf[p.net.population('exc').offset] / p.arch.coresPerTile));
  });

  const base = `format: aerie-network/1
populations:
  - {name: a, kind: spike-source, size: 4, spikes: [[1]]}
  - {name: b, kind: lif, size: 3}
projections:
`;
  const problems = (proj: string, arch = 'loihi'): string => {
    try {
      const spec = parseNetwork(base + proj, 'net.yaml');
      prepare(spec, resolveArch(arch));
      return '';
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.problems.map((p) => `${p.where}: ${p.message}`).join('\n');
    }
  };

  it('validates the crossbar block with field paths', () => {
    expect(problems('  - {from: a, to: b, connect: {p: 1, weight: 3}, crossbar: {rows: 64}}')).toMatch(/projections\[0\]\.crossbar.*need 'on: crossbar'/);
    expect(problems('  - {from: a, to: b, connect: {p: 1, weight: 3}, on: crossbar, crossbar: {adcBitz: 4}}')).toMatch(/projections\[0\]\.crossbar\.adcBitz.*did you mean 'adcBits'/);
    expect(problems('  - {from: a, to: b, connect: {p: 1, weight: 3}, on: crossbar, crossbar: {rows: 8}}')).toMatch(/projections\[0\]\.crossbar\.rows.*outside 64\.\.1024/);
    expect(problems('  - {from: a, to: b, connect: {p: 1, weight: 3}, on: crossbar, crossbar: {inputBits: 8}}')).toMatch(/crossbar\.inputBits.*1-bit/);
    expect(problems('  - {from: a, to: b, connect: {p: 1, weight: 3}, on: flash}')).toMatch(/projections\[0\]\.on/);
    expect(problems('  - {from: a, to: b, connect: {p: 1, weight: 3}, on: crossbar, learning: {rule: dw = x1*y0}}')).toMatch(/projections\[0\]\.learning.*cannot be plastic/);
    expect(problems('  - {from: a, to: b, weights: [[100, 0, 0, 0], [0, -100, 0, 0], [0, 0, 0, 1]], on: crossbar, crossbar: {weightBits: 4}}')).toMatch(
      /projections\[0\]\.crossbar\.weightBits: the projection's weights span -100\.\.100 but 4-bit reference-column weights hold -8\.\.7/,
    );
    expect(problems('  - {from: a, to: b, synapses: [[0, 0, 5, 1], [1, 1, 5, 2]], on: crossbar}')).toMatch(/per-synapse delays are not supported/);
    expect(problems('  - {from: a, to: b, weights: [[100, 0, 0, 0], [0, -100, 0, 0], [0, 0, 0, 1]], on: crossbar}')).toBe('');
  });
});
