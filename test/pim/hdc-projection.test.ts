/**
 * Binary (HDC) mode of crossbar-backed projections (docs/PIM.md "Crossbar-backed projections",
 * binary mode): the step's spikes are the query, every post compartment's 0/1 weight column a stored
 * row, and post j receives its match count D − Hamming distance. With ideal devices the result equals
 * an equivalent core-synapse network bit for bit, with bit-error rate 0 and top-1 agreement 100 %;
 * with read noise the bit-error rate is > 0, grows with sigma and is reproducible by seed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, NetworkBuilder, archFromSpec, parseArch, parseNetwork, prepare, resolveArch, type NetworkSpec } from '../../emulator/index.js';
import { BinaryCrossbar, makeCrossbarParams } from '../../emulator/pim/index.js';
import { randU32 } from '../../emulator/util/rng.js';
import { runCli } from '../helpers/cli.js';

const D = 100; // query bits (pre compartments): 2 segments of 64 bits on 128-column arrays
const N = 80; // stored rows (post compartments): 2 row blocks of 64 rows
const STEPS = 40;

/** Seeded 0/1 weights W[j][i] (rows = targets, columns = sources, as the spec's `weights`). */
function bits(seed: number): number[][] {
  return Array.from({ length: N }, (_, j) => Array.from({ length: D }, (_, i) => randU32(seed, 1, j, i) & 1));
}

/** Explicit spikes of the D inputs: each fires with probability 1/8 per step, except in steps 5 and 6 (silent). */
function spikes(seed: number): number[][] {
  return Array.from({ length: D }, (_, i) => {
    const out: number[] = [];
    for (let t = 1; t <= STEPS; t++) if (t !== 5 && t !== 6 && randU32(seed, 2, t, i) % 8 === 0) out.push(t);
    return out;
  });
}

/**
 * The same inputs into N LIF compartments either through the binary crossbar (weight_exp 1: input
 * 2·m_j) or through core synapses that compute the same: pre → post weights 2·(2W − 1) give
 * 2·(2 x·W_j − |x|), and a clock source that fires in every step with a query spike adds
 * 2·(D − |W_j|); together 2·(D − Hamming(x, W_j)) = 2·m_j.
 */
function network(seed: number, on: 'crossbar' | 'core', crossbar: Record<string, unknown> = {}): NetworkSpec {
  const W = bits(seed);
  const s = spikes(seed);
  const active = new Set(s.flat());
  const b = new NetworkBuilder({ seed, name: 'hdc-test' });
  b.spikeSource('clock', 1, [[...active].sort((x, y) => x - y)]);
  b.spikeSource('query', D, s);
  b.lif('items', N, { du: 1024, dv: 512, vth: 900, refractory: 1 });
  if (on === 'crossbar') {
    b.project('query', 'items', { name: 'hdc', weights: W, weight_exp: 1, on: 'crossbar', crossbar: { mode: 'binary', rows: 64, cols: 128, adcBits: 7, ...crossbar } });
  } else {
    b.project('query', 'items', { name: 'hdc', weights: W.map((row) => row.map((w) => 2 * (2 * w - 1))), sign_mode: 'mixed' });
    b.project('clock', 'items', { name: 'bias', weights: W.map((row) => [2 * (D - row.reduce((a, w) => a + w, 0))]) });
  }
  return b.build();
}

function run(spec: NetworkSpec, steps = STEPS, opts: Parameters<typeof prepare>[2] = {}) {
  const p = prepare(spec, resolveArch('loihi'), opts);
  p.emulator.addProbe({ population: 'items', variable: 'u' }, steps);
  const out: number[] = [];
  p.emulator.run(steps, () => {
    for (let k = 0; k < p.emulator.stepSpikeCount; k++) out.push(p.emulator.stepSpikes[k]);
    out.push(-1);
  });
  return { spikes: out.join(','), u: p.emulator.probeData()[0].values, p };
}

describe('binary (HDC) crossbar projection with ideal devices', () => {
  it.each([1, 2])('equals the equivalent core-synapse network bit for bit, BER 0, top-1 100 % (seed %i)', (seed) => {
    const core = run(network(seed, 'core'));
    const xb = run(network(seed, 'crossbar'));
    const plan = xb.p.placement.crossbars[0];
    expect([plan.rowTiles, plan.colTiles, plan.arrays]).toEqual([2, 2, 4]); // 2 segments × 2 row blocks
    expect(xb.spikes).toBe(core.spikes);
    expect(Buffer.from(xb.u.buffer).equals(Buffer.from(core.u.buffer))).toBe(true);
    expect(xb.spikes.split(',').filter((x) => Number(x) > D).length).toBeGreaterThan(20); // the items fire
    const info = xb.p.emulator.crossbar!.info();
    const steps = new Set(spikes(seed).flat()).size;
    expect(info.mvms).toBe(steps); // one search per step with a query spike, none in silent steps
    expect(info.searches).toBe(steps);
    expect(info.bitErrorRate).toBe(0);
    expect(info.top1Agreement).toBe(1);
    expect(info.meanAbsError).toBe(0);
    const p = info.projections[0];
    expect(p).toMatchObject({ mode: 'binary', searches: steps, bitsCompared: steps * N * D, bitErrors: 0, top1Agreements: steps });
    // two segments per stored row are added digitally per search
    expect(info.partialSumAdds).toBe(steps * N);
  });

  it('delivers the hand-computed match counts with weight_exp 0 and a delay', () => {
    // 3 inputs, 2 stored rows: row 0 = 110, row 1 = 001; steps 1: {0}, 2: {0, 1}, 3: {2}
    const b = new NetworkBuilder({ seed: 3, name: 'hdc-hand' });
    b.spikeSource('q', 3, [[1, 2], [2], [3]]);
    b.lif('r', 2, { du: 4095, dv: 0, vth: 100000 });
    b.project('q', 'r', { weights: [[1, 1, 0], [0, 0, 1]], delay: 1, on: 'crossbar', crossbar: { mode: 'binary', rows: 64, cols: 64 } });
    const p = prepare(b.build(), resolveArch('loihi'));
    p.emulator.addProbe({ population: 'r', variable: 'u' }, 6);
    p.emulator.run(6);
    const u = Array.from(p.emulator.probeData()[0].values);
    // match counts: step 1 query 100 → (2, 1); step 2 query 110 → (3, 0); step 3 query 001 → (0, 3)
    // a spike at t enters u at t + 1 + delay; du 4095 keeps u at (input + u·1/4096 floored)
    const m = [[2, 1], [3, 0], [0, 3]];
    const info = p.emulator.crossbar!.info();
    expect(info.bitErrorRate).toBe(0);
    expect(info.top1Agreement).toBe(1);
    // u of step t at u[2(t − 1) + j]; a weight-1 synapse adds 1 << 6 to u on Loihi (6-bit weight scaling)
    const scale = 64;
    for (let k = 0; k < 3; k++) for (let j = 0; j < 2; j++) expect(u[(k + 2) * 2 + j]).toBe(m[k][j] * scale);
    expect(u[0]).toBe(0);
    expect(u[1]).toBe(0);
  });
});

describe('binary (HDC) crossbar projection with read noise', () => {
  const noisy = (sigma: number, seed = 4) => run(network(seed, 'crossbar', { nonIdealities: { readNoise: { sigma } } }), 20).p.emulator.crossbar!.info();

  it('has a bit-error rate > 0 that grows with sigma; top-1 agreement falls at high noise', () => {
    const r = [0.05, 0.15, 0.4].map((s) => noisy(s));
    expect(r[0].bitErrorRate!).toBeGreaterThan(0);
    expect(r[1].bitErrorRate!).toBeGreaterThan(r[0].bitErrorRate!);
    expect(r[2].bitErrorRate!).toBeGreaterThan(r[1].bitErrorRate!);
    expect(r[2].top1Agreement!).toBeLessThan(1);
    expect(r[2].meanAbsError).toBeGreaterThan(0);
  });

  it('is reproducible by seed', () => {
    const a = noisy(0.2, 5);
    expect(noisy(0.2, 5)).toEqual(a);
    expect(a.bitErrorRate!).toBeGreaterThan(0);
    expect(noisy(0.2, 6).bitErrorRate).not.toBe(a.bitErrorRate);
  });
});

describe('BinaryCrossbar.distances', () => {
  it('reports every row distance; with ideal devices equal to the exact distances and consistent with hammingSearch', () => {
    const params = makeCrossbarParams({ rows: 64, cols: 64, adcBits: 6 });
    const words = 4;
    const dimension = 100;
    const rows = 70;
    const mk = (analog: boolean) => new BinaryCrossbar(params, { dimension, capacity: rows, seed: 3, path: analog ? 'analog' : 'auto' });
    const xa = mk(true);
    const xp = mk(false);
    const v = new Uint32Array(words);
    for (let r = 0; r < rows; r++) {
      for (let w = 0; w < words; w++) v[w] = randU32(9, 1, r, w);
      xa.writeRow(r, v);
      xp.writeRow(r, v);
    }
    for (let w = 0; w < words; w++) v[w] = randU32(9, 2, 0, w);
    const da = new Int32Array(rows);
    const dp = new Int32Array(rows);
    const ex = new Int32Array(rows);
    xa.distances(v, da);
    xp.distances(v, dp);
    xp.exactDistances(v, ex);
    expect(Array.from(da)).toEqual(Array.from(ex));
    expect(Array.from(dp)).toEqual(Array.from(ex));
    expect(xa.stats.snapshot()).toEqual(xp.stats.snapshot());
    const best = xp.hammingSearch(v, 3);
    const sorted = Array.from(ex, (d, r) => [d, r]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(Array.from(best.rows)).toEqual(sorted.slice(0, 3).map((x) => x[1]));
    expect(() => xp.distances(v, new Int32Array(rows - 1))).toThrow(InputError);
  });
});

describe('binary (HDC) mode validation', () => {
  const base = `format: aerie-network/1
populations:
  - {name: a, kind: spike-source, size: 3, spikes: [[1]]}
  - {name: b, kind: lif, size: 2}
projections:
`;
  const problems = (proj: string): string => {
    try {
      prepare(parseNetwork(base + proj, 'net.yaml'), resolveArch('loihi'));
      return '';
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.problems.map((p) => `${p.where}: ${p.message}`).join('\n');
    }
  };

  it('rejects weights other than 0/1 with their field path', () => {
    expect(problems('  - {from: a, to: b, weights: [[1, 0, 2], [0, 1, 1]], on: crossbar, crossbar: {mode: binary}}')).toMatch(/projections\[0\]\.weights\[0\]\[2\].*: binary \(HDC\) mode stores the weights as bits: each must be 0 or 1, got 2/);
    expect(problems('  - {from: a, to: b, synapses: [[0, 1, 1], [1, 0, -1]], on: crossbar, crossbar: {mode: binary}}')).toMatch(/projections\[0\]\.synapses\[1\]\[2\].*got -1/);
    expect(problems('  - {from: a, to: b, connect: {p: 0.5, weight: {min: 0, max: 3}}, on: crossbar, crossbar: {mode: binary}}')).toMatch(/projections\[0\]\.connect\.weight\.max.*got 3/);
    expect(problems("  - {from: a, to: b, weights: [[1, 0, 1], [0, 1, 1]], sign_mode: mixed, on: crossbar, crossbar: {mode: binary}}")).toMatch(/projections\[0\]\.sign_mode.*'excitatory'/);
  });

  it('reports too few arrays for the binary rows as an input error naming the projection and the numbers', () => {
    const arch = archFromSpec(parseArch('format: aerie-arch/1\npreset: loihi\nchip: {tiles_x: 1, tiles_y: 1}\ncrossbar: {per_tile: 2}\n', 'small.yaml'));
    let msg = '';
    try {
      prepare(network(1, 'crossbar', { cols: 64 }), arch);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      msg = e.problems.map((p) => `${p.where}: ${p.message}`).join('\n');
    }
    expect(msg).toMatch(/projection 'hdc'.*needs 8 crossbar arrays \(4 segments of 32 bits × 2 blocks of 64 stored rows on 64×64 arrays for its 80 binary rows of 100 bits\) but only 2 of the 2 arrays/);
  });

  it('rejects an unknown mode and array keys that do not apply in binary mode', () => {
    expect(problems('  - {from: a, to: b, weights: [[1, 0, 1], [0, 1, 1]], on: crossbar, crossbar: {mode: binery}}')).toMatch(/projections\[0\]\.crossbar\.mode.*binary/);
    expect(problems('  - {from: a, to: b, weights: [[1, 0, 1], [0, 1, 1]], on: crossbar, crossbar: {mode: binary, weightBits: 4}}')).toMatch(/projections\[0\]\.crossbar\.weightBits.*complementary pair of 1-bit cells/);
    expect(problems('  - {from: a, to: b, weights: [[1, 0, 1], [0, 1, 1]], on: crossbar, crossbar: {mode: binary}}')).toBe('');
    expect(problems('  - {from: a, to: b, weights: [[1, 0, 1], [0, 1, 1]], on: crossbar, crossbar: {mode: analog}}')).toBe('');
  });
});

describe('binary (HDC) crossbar projection on the command line', () => {
  const NET = 'firmware-models/examples/hdc-crossbar-network.yaml';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-hdc-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('aerie run prints the bit-error rate and top-1 agreement; --json and aerie report carry them', () => {
    const trace = path.join(dir, 'run.trace');
    const r = runCli(['run', NET, '--steps', '40', '--trace', trace]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/crossbar binary \(HDC\) bit-error rate 0\.0\d+, top-1 agreement [\d.]+ % over 40 searches vs the exact match counts/);
    expect(r.stdout).toMatch(/item_memory \(features → classes\)\s+4\s+4 × 1\s+binary\s+64×128, 1-bit pairs/);
    const rep = runCli(['report', trace]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/binary \(HDC\) mode: bit-error rate 0\.0\d+, top-1 agreement [\d.]+ % over 40 searches/);
    expect(runCli(['map', NET]).stdout).toMatch(/item_memory \(features → classes\): 4 arrays of 64×128 \(binary: 4 query segments × 1 blocks of stored rows\)/);
    const html = path.join(dir, 'report.html');
    expect(runCli(['report', trace, '-o', html]).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/<th class="n">BER<\/th><th class="n">top-1<\/th>/);
    const j = runCli(['run', NET, '--steps', '20', '--json']);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.stdout);
    expect(s.crossbar.bit_error_rate).toBeGreaterThan(0);
    expect(s.crossbar.top1_agreement).toBeGreaterThan(0);
    expect(s.crossbar.projections[0]).toMatchObject({ name: 'item_memory', mode: 'binary', searches: 20, bits_compared: 20 * 24 * 256 });
  });
});
