import { describe, expect, it } from 'vitest';
import { LOIHI_2018, MAX_LATENCY_POINTS, REPORT_SCHEMA, buildReport, summarizeEnergy, type ActivityCounts } from '../../emulator/energy/index.js';
import { InputError } from '../../emulator/errors.js';
import { handActivity } from './fixtures.js';

const DENSE = { denseWeights: 12, compartments: 5, steps: 4, weightBits: 8 };
const TASK = { name: 'dense GEMV', macs: 48, bytes: 400, description: 'the same 4-step readout as one GEMV per step', passes: 4 };

describe('report model', () => {
  const r = buildReport(handActivity(), LOIHI_2018, { run: 'fixture', denseNetwork: DENSE, denseTask: TASK });

  it('carries the schema, exact energies and the derived figures', () => {
    expect(r.schema).toBe(REPORT_SCHEMA);
    expect(r.energy.totalFj).toBe(2_858_920);
    expect(r.energy.dynamicFj + r.energy.staticFj).toBe(r.energy.totalFj);
    expect(r.energy.totalJ).toBeCloseTo(2.85892e-9, 20);
    expect(r.time.emulatedTimePs).toBe(6_000);
    expect(r.time.emulatedTimeS).toBeCloseTo(6e-9, 20);
    expect(r.time.stepLatencyPs).toEqual({ mean: 1_500, min: 1_000, max: 2_000 });
    expect(r.time.modelTimeS).toBeCloseTo(0.004, 12);
    expect(r.energy.edpJs).toBeCloseTo(2.85892e-9 * 6e-9, 30);
    expect(r.energy.perSynopFj.total).toBeCloseTo(2_858_920 / 11, 9);
    expect(r.energy.perSynopFj.dynamic).toBeCloseTo(2_852_500 / 11, 9);
    expect(r.energy.perSpikeFj.total).toBeCloseTo(2_858_920 / 4, 9);
    expect(r.energy.averagePowerW).toBeCloseTo(2.85892e-9 / 6e-9, 12);
  });

  it('reports firing rates per population and overall', () => {
    // in: 3 spikes / (2 compartments × 4 steps × 1 ms) = 375 Hz; out: 1 / (3 × 4 × 1 ms) = 83.3 Hz
    expect(r.energy.byPopulation.map((p) => [p.name, p.firingRateHz])).toEqual([
      ['in', 375],
      ['out', 1 / 0.012],
    ]);
    expect(r.activity.meanFiringRateHz).toBeCloseTo(200, 9); // 4 / (5 × 4 × 1 ms)
    expect(r.activity.synops).toBe(11);
    expect(r.activity.spikes).toBe(4);
  });

  it('counts sit next to energies and shares sum to the dynamic share', () => {
    const synop = r.energy.byAction.find((a) => a.action === 'core.synop')!;
    expect([synop.count, synop.fjPerEvent, synop.fj]).toEqual([11, 23_600, 259_600]);
    const shares = r.energy.byAction.reduce((s, a) => s + a.share, 0);
    expect(shares).toBeCloseTo(r.energy.dynamicFj / r.energy.totalFj, 12);
  });

  it('shows both dense baselines on every device with ratios against the event-driven run', () => {
    expect(r.dense.baselines.map((b) => [b.kind, b.declared])).toEqual([
      ['same-network', true],
      ['task', true],
    ]);
    for (const b of r.dense.baselines) {
      expect(b.devices.length).toBe(4);
      for (const d of b.devices) {
        expect(d.ratio.energy).toBeCloseTo(d.energyJ / r.energy.totalJ, 9);
        expect(d.ratio.latency).toBeCloseTo(d.latencyS / r.time.emulatedTimeS, 9);
        expect(d.ratio.edp).toBeCloseTo(d.edpJs / r.energy.edpJs, 9);
      }
    }
    expect(r.warnings).toEqual([]);
    // every assumption is printed: table, devices and derivations
    expect(r.assumptions.some((a) => a.startsWith('loihi-2018 sync.barrier'))).toBe(true);
    expect(r.assumptions.some((a) => a.startsWith('h100-sxm utilisation'))).toBe(true);
    expect(r.assumptions.some((a) => a.startsWith('same-network baseline:'))).toBe(true);
  });

  it('keeps two baseline sections when a baseline is missing, with a warning', () => {
    const m = buildReport(handActivity(), LOIHI_2018, { denseNetwork: DENSE });
    expect(m.dense.baselines.map((b) => b.declared)).toEqual([true, false]);
    expect(m.warnings[0]).toContain("dense baseline 'task' not available");
  });

  it('shows counts not attributed to a chip as their own chip row, with a warning', () => {
    const a = handActivity();
    delete a.byChip[0]['sync.barrier'];
    const m = buildReport(a, LOIHI_2018);
    expect(m.energy.byChip.map((c) => c.name)).toEqual(['chip 0', '(not attributed to a chip)']);
    expect(m.energy.byChip[1].dynamicFj).toBe(896_000);
    expect(m.energy.byChip.reduce((s, c) => s + c.dynamicFj, 0)).toBe(m.energy.dynamicFj);
    expect(m.warnings.some((w) => w.includes('sync.barrier 4'))).toBe(true);
  });

  it('summarizes energy by unit for the run --json summary', () => {
    const s = summarizeEnergy(r);
    expect(s.total_fj).toBe(2_858_920);
    expect(s.by_action_fj['core.synop']).toBe(259_600);
    expect(s.by_component_fj).toEqual({ core: 1_924_800, noc: 31_700, sync: 896_000, crossbar: 0, static: 6_420 });
    expect(Object.values(s.by_component_fj).reduce((a, b) => a + b, 0)).toBe(s.total_fj);
    expect(s.static_fj_by_part).toEqual({ core: 360, router: 60, chip: 6_000, crossbar: 0 });
  });

  it('is deterministic and JSON-able', () => {
    const again = buildReport(handActivity(), LOIHI_2018, { run: 'fixture', denseNetwork: DENSE, denseTask: TASK });
    expect(JSON.stringify(again)).toBe(JSON.stringify(r));
    expect(JSON.parse(JSON.stringify(r)).energy.totalFj).toBe(2_858_920);
  });

  it('buckets long step series to at most MAX_LATENCY_POINTS with min/mean/max', () => {
    const n = 2_500;
    const a: ActivityCounts = {
      ...handActivity(),
      steps: n,
      stepDurationPs: Float64Array.from({ length: n }, (_, i) => 1000 + (i % 3) * 300),
      spikesPerStep: Uint32Array.from({ length: n }, (_, i) => i % 2),
    };
    const rep = buildReport(a, LOIHI_2018);
    const c = rep.charts.stepLatency;
    expect(c.bucket).toBe(3);
    expect(c.meanPs.length).toBeLessThanOrEqual(MAX_LATENCY_POINTS);
    expect(c.minPs[0]).toBe(1000);
    expect(c.maxPs[0]).toBe(1600);
    expect(c.meanPs[0]).toBe(1300);
    expect(rep.charts.spikesPerStep.counts.reduce((s, x) => s + x, 0)).toBe(1_250);
  });

  it('validates optional raster and mesh inputs', () => {
    const ok = buildReport(handActivity(), LOIHI_2018, {
      raster: { steps: [0, 1, 3], ids: [0, 4, 2], rows: 5, groups: [{ name: 'in', start: 0, count: 2 }] },
      mesh: { width: 3, height: 2, routerFlits: [3, 3, 3, 0, 0, 3], eastLinks: [3, 3, 0, 0, 0, 0], northLinks: [0, 0, 3, 0, 0, 0] },
    });
    expect(ok.charts.raster!.ids).toEqual([0, 4, 2]);
    expect(ok.charts.mesh!.routerFlits).toEqual([3, 3, 3, 0, 0, 3]);
    expect(() => buildReport(handActivity(), LOIHI_2018, { raster: { steps: [9], ids: [0], rows: 5 } })).toThrow(InputError);
    expect(() => buildReport(handActivity(), LOIHI_2018, { mesh: { width: 3, height: 2, routerFlits: [1, 2] } })).toThrow(InputError);
  });
});
