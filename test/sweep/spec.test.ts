import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../emulator/errors.js';
import { aerieVersion, checkJobs, parseSweep, runPoint, buildTable, tableCsv, flattenSummary, paretoFront, costColumn, sweepHtml, SweepStore, type Sweep } from '../../tools/sweep/index.js';
import { TINY_NETWORK, tmpDir } from './helpers.js';

const files: Record<string, string> = { '/sw/tiny.yaml': TINY_NETWORK };
const read = (f: string): string => {
  if (!(f in files)) throw new InputError(f, [{ where: '', message: 'file not found' }]);
  return files[f];
};
const parse = (text: string): Sweep => parseSweep(text, 'sweep.yaml', '/sw', read);

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof InputError) return err.lines();
    throw err;
  }
  throw new Error('expected an InputError');
}

const BASE = `format: aerie-sweep/1
base: {network: tiny.yaml, steps: 10}
`;

describe('sweep spec', () => {
  it('crosses axes in order, the last axis fastest', () => {
    const s = parse(BASE + 'axes:\n  core.compartments: [16, 32]\n  seed: {from: 1, to: 3}\n');
    expect(s.points.map((p) => [p.values['core.compartments'], p.values.seed])).toEqual([
      [16, 1], [16, 2], [16, 3], [32, 1], [32, 2], [32, 3],
    ]);
    expect(s.points[4].config.arch.values['core.compartments']).toBe(32);
    expect(s.points[4].config.network.seed).toBe(2);
    expect(s.points[4].config.steps).toBe(10);
    expect(new Set(s.points.map((p) => p.key)).size).toBe(6);
  });

  it('zips axes of equal length and refuses unequal ones', () => {
    const s = parse(BASE + 'combine: zipped\naxes:\n  board.chips_x: [1, 2]\n  steps: [5, 7]\n');
    expect(s.points.map((p) => [p.config.arch.values['board.chips_x'], p.config.steps])).toEqual([[1, 5], [2, 7]]);
    expect(problems(BASE + 'combine: zipped\naxes:\n  board.chips_x: [1, 2]\n  steps: [5]\n').join('\n')).toMatch(/axes\.steps .*zipped axes need equal lengths/);
  });

  it('expands fractional ranges without drift', () => {
    const s = parse(BASE + 'axes:\n  network.projections.in_exc.connect.p: {from: 0.1, to: 0.3, step: 0.1}\n');
    expect(s.points.map((p) => p.values['network.projections.in_exc.connect.p'])).toEqual([0.1, 0.2, 0.3]);
    expect(s.points[2].config.network.projections![0].connect!.p).toBe(0.3);
  });

  it('addresses network lists by name or index and re-validates the result', () => {
    const a = parse(BASE + 'axes:\n  network.populations.exc.params.vth: [500]\n');
    const b = parse(BASE + 'axes:\n  network.populations.1.params.vth: [500]\n');
    expect(a.points[0].key).toBe(b.points[0].key);
    expect(problems(BASE + 'axes:\n  network.populations.exc.params.vth: [-1]\n').join('\n')).toMatch(/network\.populations\.exc\.params\.vth=-1.*vth: -1 is outside/);
    expect(problems(BASE + 'axes:\n  network.populations.exz.params.vth: [1]\n')[0]).toMatch(/line 4:.*no entry named 'exz' \(names: input, exc\)/);
  });

  it('keys points by their full configuration', () => {
    const first = parse(BASE + 'axes:\n  seed: [1]\n').points[0];
    expect(first.config.aerie).toBe(aerieVersion());
    expect(first.config.aerie).toMatch(/^\d+\.\d+\.\d+/);
    const one = first.key;
    expect(parse(BASE + 'axes:\n  seed: [1]\n').points[0].key).toBe(one);
    files['/sw/tiny2.yaml'] = TINY_NETWORK.replace('vth: 1000', 'vth: 1001');
    expect(parse(BASE.replace('tiny.yaml', 'tiny2.yaml') + 'axes:\n  seed: [1]\n').points[0].key).not.toBe(one);
    // the same value set in the base or by an axis is the same configuration
    expect(parse(BASE.replace('steps: 10', 'steps: 10, arch: {core: {compartments: 64}}') + 'axes:\n  seed: [1]\n').points[0].key).toBe(
      parse(BASE + 'axes:\n  seed: [1]\n  core.compartments: [64]\n').points[0].key,
    );
  });

  it('reports every problem with its field path and line:col', () => {
    const lines = problems(`format: aerie-sweep/1
base:
  network: tiny.yaml
  arch: {preset: loihi, core: {compartmens: 5}}
  stepz: 3
axes:
  core.compartment: [128]
  board.chips_x: [0, 2.5]
  seed: {from: 5, to: 1}
combine: zipd
`);
    const text = lines.join('\n');
    expect(text).toMatch(/base\.arch\.core\.compartmens \(line 4:\d+\): unknown key \(did you mean 'compartments'\?\)/);
    expect(text).toMatch(/base\.stepz \(line 5:\d+\): unknown key \(did you mean 'steps'\?\)/);
    expect(text).toMatch(/axes\.core\.compartment \(line 7:\d+\): unknown axis path \(did you mean 'core\.compartments'\?\)/);
    expect(text).toMatch(/axes\.board\.chips_x\[0\] \(line 8:\d+\): 0 is outside 1\.\.128/);
    expect(text).toMatch(/axes\.board\.chips_x\[1\] \(line 8:\d+\): 2\.5 is not an integer/);
    expect(text).toMatch(/axes\.seed\.step: step 1 never reaches 1 from 5/);
    expect(text).toMatch(/combine \(line 10:\d+\): 'zipd' is not one of crossed, zipped/);
    expect(problems('format: aerie-sweep/1\nbase: {network: nope.yaml}\naxes: {seed: [1]}\n')[0]).toMatch(/base\.network .*nope\.yaml: file not found/);
    expect(problems(BASE + 'axes: {}\n')[0]).toMatch(/at least one axis/);
    expect(() => checkJobs(0)).toThrow(/--jobs 0: expected a whole number from 1 to 256/);
    expect(() => checkJobs(1.5)).toThrow(/--jobs 1.5/);
    expect(problems(BASE + 'axes:\n  placement: [mesh, snake]\n')[0]).toMatch(/axes\.placement\[1\].*'snake' is not one of mesh, traffic/);
    expect(problems(BASE + 'axes:\n  seed: {from: 0, to: 999}\n  steps: {from: 1, to: 1000}\n')[0]).toMatch(/more than the 100000 one sweep may hold/);
  });
});

describe('points, tables and the report', () => {
  const sweep = parse(BASE.replace('steps: 10', 'steps: 10, arch: {chip: {tiles_x: 1, tiles_y: 1}}') + 'axes:\n  core.compartments: [1, 64]\n  seed: [1, 2]\n');

  it('runs a point deterministically and turns a misfit into an input error', () => {
    const a = runPoint(sweep.points[2].key, sweep.points[2].config);
    const b = runPoint(sweep.points[2].key, structuredClone(sweep.points[2].config));
    expect(a.summary).toBeDefined();
    expect({ ...a.summary, run: null }).toEqual({ ...b.summary, run: null });
    const misfit = runPoint(sweep.points[0].key, sweep.points[0].config);
    expect(misfit.summary).toBeUndefined();
    expect(misfit.error?.kind).toBe('input');
    expect(misfit.error?.message).toMatch(/does not fit/);
  });

  it('builds one row per point with every summary total and no wall time', () => {
    const results = new Map(sweep.points.map((p) => [p.key, runPoint(p.key, p.config)]));
    const t = buildTable(sweep, results);
    expect(t.rows).toHaveLength(4);
    expect(t.columns.slice(0, 5)).toEqual(['point', 'key', 'core.compartments', 'seed', 'error']);
    for (const c of ['spikes', 'synaptic_events', 'emulated_time_ps', 'step_latency_ps.mean', 'counters.core.synop', 'populations.exc.spikes']) expect(t.columns).toContain(c);
    expect(t.columns.some((c) => c.startsWith('run.'))).toBe(false);
    expect(t.rows[0].error).toMatch(/^input: /);
    expect(t.rows[0].spikes).toBeNull();
    expect(t.rows[2].synaptic_events).toBe(results.get(sweep.points[2].key)!.summary!.synaptic_events);
    const csv = tableCsv(t).split('\r\n');
    expect(csv[0].split(',')).toEqual(t.columns);
    expect(csv).toHaveLength(6); // header, 4 rows, trailing empty
    const quoted = tableCsv({ ...t, columns: ['point', 'error'], rows: [{ point: 0, error: 'a, "b"\nc' }, { point: 1, error: null }] });
    expect(quoted).toBe('point,error\r\n0,"a, ""b""\nc"\r\n1,\r\n');
    const html = sweepHtml(t);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('synaptic events (cost stand-in');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const missing = buildTable(sweep, new Map());
    expect(missing.rows.every((r) => r.error === 'not run')).toBe(true);
  });

  it('flattens sections added to the summary later and prefers energy as the cost axis', () => {
    const s = runPoint(sweep.points[2].key, sweep.points[2].config).summary!;
    const withEnergy = { ...s, energy: { total_fj: 1234, by_unit: { core: 1000 } } };
    const flat = Object.fromEntries(flattenSummary(withEnergy));
    expect(flat['energy.total_fj']).toBe(1234);
    expect(flat['energy.by_unit.core']).toBe(1000);
    const t = buildTable(sweep, new Map([[sweep.points[2].key, { format: 'aerie-sweep-result/1' as const, key: sweep.points[2].key, summary: withEnergy }]]));
    expect(costColumn(t).column).toBe('energy.total_fj');
  });

  it('finds the Pareto front minimising both axes', () => {
    expect([...paretoFront([1, 2, 3, 2, 4], [5, 3, 1, 4, 1])].sort()).toEqual([0, 1, 2]);
    expect([...paretoFront([1, 1], [2, 2])]).toEqual([0]);
  });

  it('stores finished points atomically, never internal failures, and refuses a foreign folder', () => {
    const dir = tmpDir('store');
    const store = new SweepStore(path.join(dir, 'out'));
    store.open(sweep, false);
    const p = sweep.points[2];
    const r = runPoint(p.key, p.config);
    expect(store.put(r)).toBe(true);
    expect(store.get(p.key)).toEqual(r);
    expect(store.put({ format: 'aerie-sweep-result/1', key: sweep.points[3].key, error: { kind: 'internal', message: 'x' } })).toBe(false);
    expect(store.get(sweep.points[3].key)).toBeUndefined();
    fs.writeFileSync(store.file(sweep.points[1].key), '{"format":"aerie-sweep-result/1","ke'); // a torn file from elsewhere
    expect(store.get(sweep.points[1].key)).toBeUndefined();
    expect(fs.readdirSync(store.pointsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const other = parseSweep(BASE + 'axes:\n  seed: [9]\n', 'other.yaml', '/sw', read);
    expect(() => new SweepStore(path.join(dir, 'out')).open(other, false)).toThrow(/holds the results of another sweep/);
    new SweepStore(path.join(dir, 'out')).open(other, true);
    fs.writeFileSync(path.join(dir, 'plain', ), 'x');
    expect(() => new SweepStore(path.join(dir, 'plain')).open(sweep, false)).toThrow(/is a file/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
