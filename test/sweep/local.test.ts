import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tmpDir, writeSweep } from './helpers.js';

const dir = tmpDir('local');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SWEEP = `format: aerie-sweep/1
name: local
base: {network: tiny.yaml, steps: 20, arch: {chip: {tiles_x: 2, tiles_y: 1}}}
axes:
  core.compartments: [16, 64]
  seed: {from: 1, to: 3}
  placement: [mesh, traffic]
`;

describe('aerie sweep (local)', () => {
  const file = writeSweep(dir, SWEEP);
  const outA = path.join(dir, 'a');
  const outB = path.join(dir, 'b');

  it('runs every point, writes JSON, CSV and HTML, and --jobs 2 gives the identical table', () => {
    const a = runCli(['sweep', file, '--jobs', '1', '--out', outA, '--quiet']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/local: 12 points \(12 run, 0 reused\)/);
    const table = JSON.parse(fs.readFileSync(path.join(outA, 'results.json'), 'utf8'));
    expect(table.rows).toHaveLength(12);
    expect(table.rows.map((r: { point: number }) => r.point)).toEqual([...Array(12).keys()]);
    expect(table.rows.every((r: { error: unknown; spikes: unknown }) => r.error === null && typeof r.spikes === 'number')).toBe(true);
    expect(fs.readFileSync(path.join(outA, 'results.csv'), 'utf8').split('\r\n')).toHaveLength(14);
    expect(fs.readFileSync(path.join(outA, 'report.html'), 'utf8')).toContain('Energy–latency Pareto chart');
    expect(fs.readdirSync(path.join(outA, 'points'))).toHaveLength(12);
    const b = runCli(['sweep', file, '--jobs', '2', '--out', outB, '--quiet']);
    expect(b.code).toBe(0);
    expect(fs.readFileSync(path.join(outB, 'results.json'), 'utf8')).toBe(fs.readFileSync(path.join(outA, 'results.json'), 'utf8'));
    expect(fs.readFileSync(path.join(outB, 'results.csv'), 'utf8')).toBe(fs.readFileSync(path.join(outA, 'results.csv'), 'utf8'));
  });

  it('resumes: finished points are not run again', () => {
    const points = path.join(outA, 'points');
    const names = fs.readdirSync(points).sort();
    for (const n of names.slice(0, 3)) fs.rmSync(path.join(points, n));
    const kept = new Map(names.slice(3).map((n) => [n, fs.statSync(path.join(points, n)).mtimeMs]));
    const before = fs.readFileSync(path.join(outA, 'results.json'), 'utf8');
    const r = runCli(['sweep', file, '--jobs', '1', '--out', outA, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sweep local: 12 points, 3 to run with 1 job/);
    expect(r.stdout).toBe(before); // --json prints the same table
    expect(fs.readdirSync(points)).toHaveLength(12);
    for (const [n, t] of kept) expect(fs.statSync(path.join(points, n)).mtimeMs).toBe(t);
  });

  it('refuses another sweep’s folder, and bad sweep files with line:col', () => {
    const other = writeSweep(dir, SWEEP.replace('name: local', 'name: other'), 'other.yaml');
    const r = runCli(['sweep', other, '--out', outA, '--jobs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds the results of another sweep/);
    const bad = writeSweep(dir, SWEEP.replace('core.compartments', 'core.compartmens').replace('placement: [mesh', 'placement: [mush'), 'bad.yaml');
    const e = runCli(['sweep', bad, '--jobs', '1']);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: .*bad\.yaml: axes\.core\.compartmens \(line 5:\d+\): unknown axis path \(did you mean 'core\.compartments'\?\)/),
      expect.stringMatching(/^error: .*bad\.yaml: axes\.placement\[0\] \(line 7:\d+\): 'mush' is not one of mesh, traffic$/),
    ]);
  });
});
