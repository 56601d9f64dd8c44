import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSweep, sweepCsv, sweepHtml, sweepJson, sweepDimensions, SWEEP_SCHEMA } from '../../firmware-models/dimension-sweep/index.js';
import { resolveArch } from '../../emulator/index.js';
import { runCli } from '../helpers/cli.js';

describe('dimension-sweep firmware model', () => {
  // 64 active units, 500 items, a query keeps 12 of 64 units, an item fires at overlap ≥ 9.
  // Spurious overlap of a query with a random item ≈ Poisson(64·64/N): at N = 1,000 (mean 4.1)
  // P(≥ 9) ≈ 0.016 per item → ~8 false items per query; at N = 5,000 (mean 0.82) P ≈ 1e-7.
  const rows = runSweep({ maxDimension: 5000, dimensions: [1000, 2000, 5000, 70_000], queries: 60, seed: 3, arch: resolveArch('loihi') });

  it('retrieval accuracy grows with the dimension at fixed activity (bounds from the overlap statistics)', () => {
    expect(rows.map((r) => r.dimension)).toEqual([1000, 2000, 5000, 70_000]);
    for (const r of rows) expect(r.hitRate).toBe(1); // the stored item always fires (overlap ≥ 12 > 8)
    expect(rows[0].accuracy).toBeLessThan(0.2);
    expect(rows[0].falseFiresPerQuery).toBeGreaterThan(3);
    expect(rows[0].falseFiresPerQuery).toBeLessThan(16);
    expect(rows[1].accuracy).toBeGreaterThan(0.7);
    expect(rows[2].accuracy).toBe(1);
    // beyond 64 cores (70,000 inputs): still exact (guards the population order work-around)
    expect(rows[3].accuracy).toBe(1);
  });

  it('event-driven work per step falls while the dense baselines grow with the dimension', () => {
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1];
      const b = rows[i];
      // synops per step ≈ K · M · K / N + K·(items touched): inversely proportional to N
      expect(b.synopsPerStep).toBeLessThan(a.synopsPerStep);
      expect(b.energyPerStepJ).toBeLessThan(a.energyPerStepJ);
      expect(b.cores).toBeGreaterThan(a.cores);
      for (let d = 0; d < a.denseNetwork.length; d++) {
        expect(b.denseNetwork[d].energyPerStepJ).toBeGreaterThan(a.denseNetwork[d].energyPerStepJ);
        expect(b.denseTask[d].energyPerStepJ).toBeGreaterThanOrEqual(a.denseTask[d].energyPerStepJ);
      }
    }
    const expected = (64 * 64 * 500) / 1000;
    expect(rows[0].synopsPerStep).toBeGreaterThan(0.8 * expected);
    expect(rows[0].synopsPerStep).toBeLessThan(1.2 * expected);
    expect(rows[0].compartmentUpdatesPerStep).toBeGreaterThanOrEqual(500);
  });

  it('emits a JSON table, CSV and a self-contained HTML chart', () => {
    const j = JSON.parse(sweepJson(rows, { seed: 3 }));
    expect(j.schema).toBe(SWEEP_SCHEMA);
    expect(j.rows.length).toBe(4);
    const csv = sweepCsv(rows).trim().split('\n');
    expect(csv.length).toBe(5);
    expect(csv[0]).toMatch(/^dimension,active_units,/);
    expect(csv[1].split(',').length).toBe(csv[0].split(',').length);
    expect(csv[1].startsWith('1000,64,500,60,')).toBe(true);
    const html = sweepHtml(rows, 'sweep <test>', ['a note']);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|src=|href=/); // self-contained
    expect((html.match(/<svg /g) ?? []).length).toBe(4);
    expect(html).toContain('sweep &lt;test&gt;');
    expect(html).toContain('<td>70000</td>');
  });

  it('sizes run from 1,000 to --size', () => {
    expect(sweepDimensions(100_000)).toEqual([1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]);
    expect(sweepDimensions(3000)).toEqual([1000, 2000, 3000]);
  });

  it('aerie model dimension-sweep writes the table and chart files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-sweep-'));
    try {
      const r = runCli(['model', 'dimension-sweep', '--size', '2000', '--json'], { env: { AERIE_MODEL_OUT: dir } });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.model).toBe('dimension-sweep');
      expect(out.metrics.dimensions).toEqual([1000, 2000]);
      for (const f of ['dimension-sweep.json', 'dimension-sweep.csv', 'dimension-sweep.html']) expect(fs.existsSync(path.join(dir, f))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'dimension-sweep.json'), 'utf8')).rows.length).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
