import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import fc from 'fast-check';
import {
  ACTION_IDS,
  ENERGY_PRESETS,
  ENERGY_PRESET_NAMES,
  HOROWITZ_45NM,
  LOIHI_2018,
  LOIHI_SANAFE,
  STATIC_PART_NAMES,
  isAssumption,
  loadEnergyTable,
  parseEnergyTableText,
  pjToFj,
  tableAssumptions,
} from '../../emulator/energy/index.js';
import { InputError } from '../../emulator/errors.js';
import { SHARED_DIR } from '../helpers/cli.js';

function problemsOf(fn: () => unknown): { where: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('energy presets', () => {
  it('every preset prices every action with an integer fJ figure and a source', () => {
    for (const name of ENERGY_PRESET_NAMES) {
      const t = ENERGY_PRESETS[name];
      expect(t.name).toBe(name);
      for (const a of ACTION_IDS) {
        const e = t.actions[a];
        expect(e, `${name} ${a}`).toBeDefined();
        expect(Number.isSafeInteger(e!.fj) && e!.fj >= 0, `${name} ${a} fj`).toBe(true);
        expect(e!.source.length, `${name} ${a} source`).toBeGreaterThan(10);
      }
      for (const p of STATIC_PART_NAMES) {
        expect(Number.isSafeInteger(t.staticPower[p].nw)).toBe(true);
        expect(t.staticPower[p].source.length).toBeGreaterThan(10);
      }
    }
  });

  it('loihi-2018 holds the Davies 2018 Table 2 figures exactly', () => {
    const fj = (a: (typeof ACTION_IDS)[number]) => LOIHI_2018.actions[a]!.fj;
    expect(fj('core.synop')).toBe(23_600);
    expect(fj('core.compartment_active')).toBe(81_000);
    expect(fj('core.compartment_inactive')).toBe(52_000);
    expect(fj('noc.within_tile')).toBe(1_700);
    expect(fj('noc.hop_ew')).toBe(3_000);
    expect(fj('noc.hop_ns')).toBe(4_000);
    expect(fj('core.learn_update')).toBe(120_000);
    // figures Table 2 does not give are labelled assumptions
    expect(isAssumption(LOIHI_2018.actions['sync.barrier']!.source)).toBe(true);
    expect(isAssumption(LOIHI_2018.actions['core.spike_out']!.source)).toBe(true);
    expect(isAssumption(LOIHI_2018.actions['core.synop']!.source)).toBe(false);
    for (const p of STATIC_PART_NAMES) expect(isAssumption(LOIHI_2018.staticPower[p].source)).toBe(true);
    expect(tableAssumptions(LOIHI_2018).some((l) => l.includes('sync.barrier'))).toBe(true);
  });

  it('horowitz-45nm compositions add up to the stated per-action energies', () => {
    expect(HOROWITZ_45NM.actions['core.synop']!.fj).toBe(5_000 + 100);
    expect(HOROWITZ_45NM.actions['core.compartment_active']!.fj).toBe(26_500);
    expect(HOROWITZ_45NM.actions['noc.hop_ew']!.fj).toBe(762 + 534 + 221 + 60 + 1_562);
    expect(HOROWITZ_45NM.actions['core.learn_update']!.source).toContain('15.56 pJ');
    expect(HOROWITZ_45NM.actions['core.learn_update']!.fj).toBe(15_560);
  });

  const sanafeArch = path.join(SHARED_DIR, 'data', 'sanafe', 'arch_loihi.yaml');
  it.skipIf(!fs.existsSync(sanafeArch))('loihi-sanafe matches the per-event values of SANA-FE arch_loihi.yaml (skipped without ../shared)', () => {
    const arch = parseYaml(fs.readFileSync(sanafeArch, 'utf8')) as {
      architecture: { tile: { attributes: Record<string, number>; core: { axon_out: { attributes: Record<string, number> }[]; soma: { name: string; attributes: Record<string, number> }[]; synapse: { name: string; attributes: Record<string, number> }[] }[] }[] };
    };
    const tile = arch.architecture.tile[0];
    const core = tile.core[0];
    const lif = core.soma.find((s) => s.name === 'loihi_lif')!.attributes;
    const sparse = core.synapse.find((s) => s.name === 'loihi_sparse_synapse')!.attributes;
    const toFj = (j: number) => pjToFj(j * 1e12);
    const t = LOIHI_SANAFE.actions;
    expect(t['noc.hop_ew']!.fj).toBe(toFj(tile.attributes.energy_east_hop));
    expect(t['noc.hop_ew']!.fj).toBe(toFj(tile.attributes.energy_west_hop));
    expect(t['noc.hop_ns']!.fj).toBe(toFj(tile.attributes.energy_north_hop));
    expect(t['noc.hop_ns']!.fj).toBe(toFj(tile.attributes.energy_south_hop));
    expect(t['core.synop']!.fj).toBe(toFj(sparse.energy_process_spike));
    expect(t['core.compartment_inactive']!.fj).toBe(toFj(lif.energy_access_neuron));
    expect(t['core.compartment_active']!.fj).toBe(toFj(lif.energy_access_neuron + lif.energy_update_neuron));
    expect(t['core.spike_out']!.fj).toBe(toFj(lif.energy_spike_out));
    expect(t['core.packet_out']!.fj).toBe(toFj(core.axon_out[0].attributes.energy_message_out));
  });
});

describe('user energy tables', () => {
  const good = `format: aerie-energy/1
name: my-chip
description: measured on my bench
extends: loihi-2018
actions:
  core:
    synop: { pj: 20.125, source: "bench measurement, 2026" }
  noc:
    hop_ew: { fj: 2500, source: "bench measurement, 2026" }
static:
  core: { uw: 12.5, source: "assumption: scaled from loihi-2018" }
`;

  it('extends a preset, overriding only the given entries, with exact fJ/nW', () => {
    const t = parseEnergyTableText(good, 'my.yaml');
    expect(t.name).toBe('my-chip');
    expect(t.extends).toBe('loihi-2018');
    expect(t.actions['core.synop']).toEqual({ fj: 20_125, source: 'bench measurement, 2026' });
    expect(t.actions['noc.hop_ew']!.fj).toBe(2_500);
    expect(t.actions['noc.hop_ns']).toEqual(LOIHI_2018.actions['noc.hop_ns']);
    expect(t.staticPower.core.nw).toBe(12_500);
    expect(t.staticPower.chip).toEqual(LOIHI_2018.staticPower.chip);
    // presets are not modified by a derived table
    expect(LOIHI_2018.actions['core.synop']!.fj).toBe(23_600);
  });

  it('loads from a file and accepts preset names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-energy-'));
    try {
      const f = path.join(dir, 't.yaml');
      fs.writeFileSync(f, good);
      expect(loadEnergyTable(f).actions['core.synop']!.fj).toBe(20_125);
      expect(loadEnergyTable('loihi-sanafe')).toBe(LOIHI_SANAFE);
      const missing = problemsOf(() => loadEnergyTable(path.join(dir, 'nope.yaml')));
      expect(missing[0].message).toBe('file not found');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports unknown actions and keys with a did-you-mean hint and line:col', () => {
    const p = problemsOf(() =>
      parseEnergyTableText(
        `format: aerie-energy/1
name: t
extends: loihi-2018
actions:
  core:
    synopp: { pj: 1, source: "x y z" }
  nco:
    hop_ew: { pj: 1, source: "x y z" }
`,
        't.yaml',
      ),
    );
    // the unknown component is found first (while checking 'actions'), then the unknown action
    expect(p.map((x) => x.where)).toEqual(['actions.nco (line 8:5)', 'actions.core.synopp (line 6:13)']);
    expect(p[0].message).toContain("did you mean 'noc'");
    expect(p[1].message).toContain("did you mean 'synop'");
  });

  it('rejects negative, NaN, sub-femtojoule and doubly-given energies, and missing sources', () => {
    const p = problemsOf(() =>
      parseEnergyTableText(
        `format: aerie-energy/1
name: t
extends: loihi-2018
actions:
  core:
    synop: { pj: -1, source: "paper" }
    spike_out: { pj: .nan, source: "paper" }
    packet_out: { pj: 1.0005, source: "paper" }
    packet_in: { pj: 1, fj: 1000, source: "paper" }
    learn_update: { pj: 3 }
    compartment_active: { fj: 2.5, source: "paper" }
static:
  router: { uw: 1, source: "" }
`,
        't.yaml',
      ),
    );
    const where = p.map((x) => x.where);
    expect(where).toContain('actions.core.synop.pj (line 6:18)');
    expect(p.find((x) => x.where.startsWith('actions.core.synop.pj'))!.message).toContain('outside');
    expect(p.find((x) => x.where.startsWith('actions.core.spike_out.pj'))!.message).toContain('NaN');
    expect(p.find((x) => x.where.startsWith('actions.core.packet_out.pj'))!.message).toContain('finer than 1 fJ');
    expect(p.find((x) => x.where.startsWith('actions.core.packet_in'))!.message).toContain('exactly one of');
    expect(p.find((x) => x.where.startsWith('actions.core.learn_update'))!.message).toContain("missing required key 'source'");
    expect(p.find((x) => x.where.startsWith('actions.core.compartment_active.fj'))!.message).toContain('not an integer');
    expect(p.find((x) => x.where.startsWith('static.router.source'))!.message).toContain('at least 3 characters');
    expect(p).toHaveLength(7);
  });

  it('rejects a wrong format, an unknown preset, and a standalone table without static power', () => {
    const p = problemsOf(() => parseEnergyTableText('format: aerie-energy/2\nname: t\nextends: loihi-2019\n', 't.yaml'));
    expect(p[0].where).toBe('format (line 1:9)');
    expect(p[1].message).toContain("unknown preset 'loihi-2019'");
    const s = problemsOf(() => parseEnergyTableText('format: aerie-energy/1\nname: t\nstatic:\n  core: { uw: 1, source: "paper" }\n', 't.yaml'));
    expect(s.map((x) => x.message.match(/'(\w+)'/)?.[1])).toEqual(['router', 'chip', 'crossbar']);
  });

  it('reports YAML syntax errors with line:col and never throws a TypeError', () => {
    const p = problemsOf(() => parseEnergyTableText('format: aerie-energy/1\nname: [unclosed\n', 't.yaml'));
    expect(p[0].where).toMatch(/^\d+:\d+$/);
    for (const text of ['', '42', '- a\n- b\n', 'null', 'format: aerie-energy/1\nname: t\nactions: 3\n', 'format: aerie-energy/1\nname: t\nactions:\n  core: [1]\n']) {
      expect(() => parseEnergyTableText(text, 't.yaml')).toThrow(InputError);
    }
  });
});

describe('user table fuzz', () => {
  it('any document shape gives a table or an InputError, never another exception', () => {
    const leaf = fc.oneof(fc.integer({ min: -5, max: 1e13 }), fc.double(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null));
    const entry = fc.oneof(leaf, fc.record({ pj: leaf, fj: leaf, source: leaf }, { requiredKeys: [] }), fc.array(leaf, { maxLength: 2 }));
    const names = fc.constantFrom('synop', 'hop_ew', 'barrier', 'read', 'nope', 'core', 'uw');
    const group = fc.oneof(leaf, fc.dictionary(names, entry, { maxKeys: 3 }));
    const doc = fc.record(
      {
        format: fc.oneof(fc.constant('aerie-energy/1'), leaf),
        name: fc.oneof(fc.constant('t'), leaf),
        extends: fc.oneof(fc.constantFrom(...ENERGY_PRESET_NAMES, 'nope'), leaf),
        actions: fc.oneof(leaf, fc.dictionary(fc.constantFrom('core', 'noc', 'sync', 'crossbar', 'cpu'), group, { maxKeys: 3 })),
        static: fc.oneof(leaf, fc.dictionary(fc.constantFrom('core', 'router', 'chip', 'crossbar', 'rooter'), entry, { maxKeys: 3 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(doc, (d) => {
        let text: string;
        try {
          text = toYaml(d);
        } catch {
          return; // not representable as YAML (e.g. some doubles); nothing to parse
        }
        try {
          const t = parseEnergyTableText(text, 'fuzz.yaml');
          for (const e of Object.values(t.actions)) expect(Number.isSafeInteger(e!.fj) && e!.fj >= 0).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: Number(process.env.AERIE_FUZZ_RUNS ?? 300), seed: 4242 },
    );
  });
});
