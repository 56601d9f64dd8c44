import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTION_IDS,
  LOIHI_2018,
  LOIHI_SANAFE,
  checkActivity,
  parseEnergyTableText,
  priceActivity,
  type ActionId,
  type ActivityCounts,
} from '../../emulator/energy/index.js';
import { InputError } from '../../emulator/errors.js';
import { handActivity, twoChipActivity } from './fixtures.js';

const byAction = (p: ReturnType<typeof priceActivity>, a: ActionId) => p.actions.find((x) => x.action === a)!;

describe('hand-computed example (3 + 1 spikes over known hops), to the femtojoule', () => {
  // Static, identical for both Loihi presets (assumption figures 30 µW/core, 5 µW/router, 1 mW/chip),
  // over 6000 ps emulated: core 30 000 nW × 2 × 6000 ps / 10^6 = 360 fJ; router 5000 × 2 × 6000 / 10^6 = 60 fJ;
  // chip 1 000 000 × 1 × 6000 / 10^6 = 6000 fJ; crossbar 0 → 6420 fJ.
  const STATIC = 6_420;

  it('loihi-2018', () => {
    const p = priceActivity(handActivity(), LOIHI_2018);
    // synop 11 × 23.6 pJ = 259 600; active 12 × 81 pJ = 972 000; inactive 8 × 52 pJ = 416 000;
    // spike_out 4 × 69.3 pJ = 277 200; packets 0; hop E-W 6 × 3.0 pJ = 18 000; hop N-S 3 × 4.0 pJ = 12 000;
    // within tile 1 × 1.7 pJ = 1 700; flits 0; barrier 4 × 224 pJ = 896 000  → 2 852 500 fJ
    expect(byAction(p, 'core.synop').fj).toBe(259_600);
    expect(byAction(p, 'core.compartment_active').fj).toBe(972_000);
    expect(byAction(p, 'core.compartment_inactive').fj).toBe(416_000);
    expect(byAction(p, 'core.spike_out').fj).toBe(277_200);
    expect(byAction(p, 'noc.hop_ew').fj).toBe(18_000);
    expect(byAction(p, 'noc.hop_ns').fj).toBe(12_000);
    expect(byAction(p, 'noc.within_tile').fj).toBe(1_700);
    expect(byAction(p, 'sync.barrier').fj).toBe(896_000);
    expect(p.dynamicFj).toBe(2_852_500);
    expect(p.static.map((s) => [s.part, s.fj])).toEqual([
      ['core', 360],
      ['router', 60],
      ['chip', 6_000],
      ['crossbar', 0],
    ]);
    expect(p.staticFj).toBe(STATIC);
    expect(p.totalFj).toBe(2_858_920);
    expect(p.emulatedTimePs).toBe(6_000);
    expect(p.exact).toBe(true);
  });

  it('loihi-sanafe', () => {
    const p = priceActivity(handActivity(), LOIHI_SANAFE);
    // synop 11 × 33.6 = 369 600; active 12 × 72.8 = 873 600; inactive 8 × 51.2 = 409 600; spike_out 4 × 69.3 = 277 200;
    // packet_out 4 × 111 = 444 000; hop E-W 6 × 3.0 = 18 000; hop N-S 3 × 4.2 = 12 600; within tile 0;
    // barrier 4 × 224 = 896 000 → 3 300 600 fJ
    expect(byAction(p, 'core.packet_out').fj).toBe(444_000);
    expect(byAction(p, 'noc.hop_ns').fj).toBe(12_600);
    expect(byAction(p, 'noc.within_tile').fj).toBe(0);
    expect(p.dynamicFj).toBe(3_300_600);
    expect(p.staticFj).toBe(STATIC);
    expect(p.totalFj).toBe(3_307_020);
  });

  it('per population + unattributed and per chip sum exactly to the totals', () => {
    for (const act of [handActivity(), twoChipActivity()]) {
      for (const table of [LOIHI_2018, LOIHI_SANAFE]) {
        const p = priceActivity(act, table);
        expect(p.byPopulation.reduce((s, x) => s + x.dynamicFj, 0) + p.unattributed.dynamicFj).toBe(p.dynamicFj);
        expect(p.byChip.reduce((s, x) => s + x.dynamicFj, 0)).toBe(p.dynamicFj);
        expect(p.actions.reduce((s, x) => s + x.fj, 0)).toBe(p.dynamicFj);
        expect(p.byComponent.reduce((s, x) => s + x.fj, 0)).toBe(p.dynamicFj);
        for (const a of ACTION_IDS) {
          const pops = p.byPopulation.reduce((s, x) => s + (x.byAction[a]?.count ?? 0), 0) + (p.unattributed.byAction[a]?.count ?? 0);
          expect(pops, a).toBe(act.totals[a] ?? 0);
        }
      }
    }
    // barriers are the only unattributed counts in the fixture
    const p = priceActivity(handActivity(), LOIHI_2018);
    expect(Object.keys(p.unattributed.byAction)).toEqual(['sync.barrier']);
    expect(p.byPopulation.map((x) => [x.name, x.spikes])).toEqual([
      ['in', 3],
      ['out', 1],
    ]);
  });

  it('counts the engine does not attribute to a chip are kept as their own group, so chips + rest = totals', () => {
    const a = handActivity();
    delete a.byChip[0]['sync.barrier'];
    a.byChip[0]['noc.hop_ew'] = 4;
    const p = priceActivity(a, LOIHI_2018);
    expect(p.chipUnattributed.byAction).toEqual({ 'noc.hop_ew': { count: 2, fj: 6_000 }, 'sync.barrier': { count: 4, fj: 896_000 } });
    expect(p.byChip[0].dynamicFj + p.chipUnattributed.dynamicFj).toBe(p.dynamicFj);
  });

  it('per-chip static energy is reported and sums to the static total', () => {
    const p = priceActivity(twoChipActivity(), LOIHI_2018);
    // per chip: core 30 000 × 1 × 6000 / 10^6 = 180, router 30, chip 6000 → 6210 each
    expect(p.byChip.map((c) => c.staticFj)).toEqual([6_210, 6_210]);
    expect(p.staticFj).toBe(12_420);
    expect(p.byChip.reduce((s, c) => s + c.dynamicFj + (c.staticFj ?? 0), 0)).toBe(p.totalFj);
  });
});

describe('static energy rounding', () => {
  const table = (uw: number) =>
    parseEnergyTableText(
      `format: aerie-energy/1\nname: s\nextends: loihi-2018\nstatic:\n  core: { uw: ${uw}, source: "test" }\n  router: { uw: 0, source: "test" }\n  chip: { uw: 0, source: "test" }\n`,
      't.yaml',
    );
  const oneCore = (ps: number[]): ActivityCounts => ({
    ...handActivity(),
    steps: ps.length,
    stepDurationPs: Float64Array.from(ps),
    spikesPerStep: new Uint32Array(ps.length),
    hardware: { chips: 1, tilesUsed: 1, coresUsed: 1, routersUsed: 1, crossbarsUsed: 0 },
  });
  it('rounds nW × ps / 10^6 to the nearest fJ, halves up, once over the whole run', () => {
    // 0.5 µW = 500 nW × 1000 ps = 500 000 → 0.5 fJ → 1 fJ (half up)
    expect(priceActivity(oneCore([1000]), table(0.5)).staticFj).toBe(1);
    // 499 nW × 1000 ps = 499 000 → 0.499 fJ → 0
    expect(priceActivity(oneCore([1000]), table(0.499)).staticFj).toBe(0);
    // once over the run: 3 steps of 1000 ps at 0.5 µW = 1.5 fJ → 2 (not 3 × round(0.5) = 3)
    expect(priceActivity(oneCore([1000, 1000, 1000]), table(0.5)).staticFj).toBe(2);
  });
});

describe('pricing errors and exactness', () => {
  it('refuses an action the table does not price, naming it', () => {
    const t = parseEnergyTableText(
      'format: aerie-energy/1\nname: tiny\nactions:\n  core:\n    synop: { fj: 1, source: "test" }\nstatic:\n  core: { uw: 0, source: "test" }\n  router: { uw: 0, source: "test" }\n  chip: { uw: 0, source: "test" }\n  crossbar: { uw: 0, source: "test" }\n',
      't.yaml',
    );
    try {
      priceActivity(handActivity(), t);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      const wheres = (err as InputError).problems.map((p) => p.where);
      expect(wheres).toContain('core.compartment_active');
      expect(wheres).not.toContain('core.synop');
    }
  });

  it('checks counters: negative or fractional counts, bad lengths, chips that do not sum to totals', () => {
    const a = handActivity();
    a.totals['core.synop'] = -1;
    a.byPopulation.in['core.spike_out'] = 1.5;
    a.stepDurationPs = Float64Array.from([1, 2]);
    const p = checkActivity(a);
    expect(p.map((x) => x.where)).toEqual(['totals.core.synop', 'byPopulation.in.core.spike_out', 'stepDurationPs']);
    const b = handActivity();
    b.byChip[0]['noc.hop_ew'] = 7;
    expect(checkActivity(b).map((x) => x.where)).toEqual(['byChip (noc.hop_ew)']);
    const c = handActivity();
    c.byPopulation.in['core.synop'] = 50;
    expect(checkActivity(c)[0].message).toContain('populations count 59 but the total is 11');
    expect(() => priceActivity(c, LOIHI_2018)).toThrow(InputError);
  });

  it('totals beyond 2^53 fJ are flagged as not exact', () => {
    const a = handActivity();
    a.totals['core.learn_update'] = 2 ** 50;
    a.byChip[0]['core.learn_update'] = 2 ** 50;
    const p = priceActivity(a, LOIHI_2018);
    expect(p.exact).toBe(false);
  });

  it('property: totals are exact integer sums and do not depend on population or chip order', () => {
    const actionArb = fc.constantFrom(...ACTION_IDS.filter((a) => !a.startsWith('crossbar')));
    const groupArb = fc.dictionary(actionArb, fc.integer({ min: 0, max: 1_000_000 }), { maxKeys: 8 });
    fc.assert(
      fc.property(fc.array(groupArb, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }), (groups, durations) => {
        const totals: Partial<Record<ActionId, number>> = {};
        const byPopulation: ActivityCounts['byPopulation'] = {};
        const sizes: Record<string, number> = {};
        const byChip: ActivityCounts['byChip'] = {};
        groups.forEach((g, i) => {
          byPopulation[`p${i}`] = g;
          sizes[`p${i}`] = 10;
          byChip[i] = g;
          for (const [k, v] of Object.entries(g)) totals[k as ActionId] = (totals[k as ActionId] ?? 0) + v;
        });
        const act: ActivityCounts = {
          steps: durations.length,
          totals,
          byPopulation,
          byChip,
          hardware: { chips: groups.length, tilesUsed: 1, coresUsed: 3, routersUsed: 2, crossbarsUsed: 0 },
          stepDurationPs: Float64Array.from(durations),
          spikesPerStep: new Uint32Array(durations.length),
          populationSizes: sizes,
          dt: 1e-3,
        };
        const p = priceActivity(act, LOIHI_SANAFE);
        let expected = 0n;
        for (const [k, v] of Object.entries(totals)) expected += BigInt(v) * BigInt(LOIHI_SANAFE.actions[k as ActionId]!.fj);
        expect(BigInt(p.dynamicFj)).toBe(expected);
        expect(p.byPopulation.reduce((s, x) => s + x.dynamicFj, 0)).toBe(p.dynamicFj);
        expect(p.byChip.reduce((s, x) => s + x.dynamicFj, 0)).toBe(p.dynamicFj);
        // reversed population/chip order → identical totals
        const rev: ActivityCounts = {
          ...act,
          byPopulation: Object.fromEntries(Object.entries(byPopulation).reverse()),
          populationSizes: Object.fromEntries(Object.entries(sizes).reverse()),
          byChip: Object.fromEntries(Object.entries(byChip).reverse()),
        };
        const q = priceActivity(rev, LOIHI_SANAFE);
        expect(q.totalFj).toBe(p.totalFj);
        expect(q.staticFj).toBe(p.staticFj);
      }),
      { numRuns: 150, seed: 20261128 },
    );
  });
});
