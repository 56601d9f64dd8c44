/**
 * Energy table presets. Every figure names its source; figures with no published value are
 * labelled `assumption:` with the reasoning. docs/ENERGY-MODEL.md lists all of them.
 *
 * - `loihi-2018`: Davies et al., IEEE Micro 2018, Table 2 (pre-silicon, 0.75 V).
 * - `loihi-sanafe`: the per-event values of SANA-FE's arch/loihi.yaml (Boyle et al., IEEE TCAD 2025),
 *   mapped onto aerie's actions the way SANA-FE charges them (soma access per neuron per step,
 *   soma update per updated neuron, spike out per fired neuron, message out per packet, hops).
 * - `horowitz-45nm`: per-action energies composed from Horowitz (ISSCC 2014, 45 nm, 0.9 V) arithmetic
 *   and SRAM reads, with the NoC from Noxim's 45 nm router/link tables; each composition is written out.
 */
import type { ActionId } from './activity.js';
import { loadEnergyTableFile, parseEnergyTable, type EnergyEntry, type EnergyTable, type StaticPart, type StaticPowerEntry } from './table.js';

const DAVIES = 'Davies et al., IEEE Micro 2018, Table 2';
const SANAFE = 'SANA-FE arch/loihi.yaml (Boyle et al., IEEE TCAD 2025)';
const HOROWITZ = 'Horowitz, ISSCC 2014, 45 nm';
const NOXIM = 'Noxim 45 nm router/link tables (32-bit flit)';

const e = (fj: number, source: string): EnergyEntry => ({ fj, source });
const p = (uw: number, source: string): StaticPowerEntry => ({ nw: Math.round(uw * 1000), source });

/**
 * Crossbar (PIM) actions. Loihi has no crossbars; these entries let a Loihi-preset run that also
 * instantiates crossbar blocks be priced, and are meant to be overridden by a PIM table.
 */
const CROSSBAR_ENTRIES: Partial<Record<ActionId, EnergyEntry>> = {
  'crossbar.read': e(1764, 'SpikeSim (Moitra et al. 2023) RRAM crossbar read, 1.764 pJ per read'),
  'crossbar.adc': e(2031, 'SpikeSim (Moitra et al. 2023) ADC, 2.031 pJ per conversion'),
  'crossbar.dac': e(94, 'assumption: 1-bit input driver priced as SpikeSim\'s mux energy (0.094 pJ); NeuroSim applies inputs one bit per cycle without a multi-bit DAC'),
  'crossbar.shift_add': e(100, `${HOROWITZ}: one 32-bit add (0.1 pJ)`),
  'crossbar.write': e(10000, 'assumption: 10 pJ per RRAM cell program pulse (order of magnitude of published SET/RESET energies; no figure in the reference set)'),
};

/** Static power defaults for the Loihi presets: no published per-core leakage figure exists. */
const LOIHI_STATIC: Record<StaticPart, StaticPowerEntry> = {
  core: p(30, 'assumption: ~30 µW leakage per 14 nm neurocore (≈208 KB SRAM); no published per-core figure, override in a user table'),
  router: p(5, 'assumption: ~5 µW leakage per mesh router; no published figure'),
  chip: p(1000, 'assumption: ~1 mW always-on per chip (clock tree, 3 x86 management cores idle, I/O); no published figure'),
  crossbar: p(0, 'assumption: Loihi has no crossbars; a PIM table sets this'),
};

const BARRIER_ASSUMPTION =
  'assumption: no published barrier energy; 32 tiles × 2 barrier phases × one ~3.5 pJ tile hop ≈ 224 pJ per chip per step';
const CHIP_LINK_ASSUMPTION = 'assumption: no published chip-to-chip energy; 10 pJ/bit off-chip SerDes × 32-bit message = 320 pJ';

export const LOIHI_2018: EnergyTable = {
  name: 'loihi-2018',
  description: 'Loihi 1, Davies et al. IEEE Micro 2018 Table 2 (pre-silicon, 0.75 V)',
  actions: {
    'core.synop': e(23_600, `${DAVIES}: energy per synaptic spike op (min) 23.6 pJ`),
    'core.compartment_active': e(81_000, `${DAVIES}: energy per neuron update, active 81 pJ`),
    'core.compartment_inactive': e(52_000, `${DAVIES}: energy per neuron update, inactive 52 pJ`),
    'core.spike_out': e(69_300, `assumption: Table 2 has no spike-out figure; SANA-FE's energy_spike_out 69.3 pJ (${SANAFE}) is used`),
    'core.packet_out': e(0, 'assumption: Table 2 prices a spike message as within-tile energy plus per-hop energy (noc.within_tile, noc.hop_*); injection is taken as included there'),
    'core.packet_in': e(0, 'assumption: the input axon lookup is taken as included in the synaptic spike op energy (Table 2 quotes energy per synaptic spike op)'),
    'core.learn_update': e(120_000, `${DAVIES}: energy per synaptic update (pairwise STDP) 120 pJ`),
    'noc.hop_ew': e(3_000, `${DAVIES}: energy per tile hop E-W 3.0 pJ`),
    'noc.hop_ns': e(4_000, `${DAVIES}: energy per tile hop N-S 4.0 pJ`),
    'noc.within_tile': e(1_700, `${DAVIES}: within-tile spike energy 1.7 pJ`),
    'noc.chip_link': e(320_000, CHIP_LINK_ASSUMPTION),
    'noc.flit': e(0, `${DAVIES}: per-hop energies already cover a flit's traversal; injection is not charged separately`),
    'sync.barrier': e(224_000, BARRIER_ASSUMPTION),
    ...CROSSBAR_ENTRIES,
  },
  staticPower: LOIHI_STATIC,
};

export const LOIHI_SANAFE: EnergyTable = {
  name: 'loihi-sanafe',
  description: "Loihi 1, the per-event energies of SANA-FE's arch/loihi.yaml (SPICE/Davies 2018, silicon-calibrated by Boyle et al. 2025)",
  actions: {
    'core.synop': e(33_600, `${SANAFE}: loihi_sparse_synapse energy_process_spike 33.6 pJ (dense 35.5 pJ and conv 24.0 pJ encodings can be set in a user table)`),
    'core.compartment_active': e(72_800, `${SANAFE}: soma energy_access_neuron 51.2 pJ + energy_update_neuron 21.6 pJ (SANA-FE charges access for every neuron and update for updated neurons)`),
    'core.compartment_inactive': e(51_200, `${SANAFE}: soma energy_access_neuron 51.2 pJ (access only)`),
    'core.spike_out': e(69_300, `${SANAFE}: soma energy_spike_out 69.3 pJ`),
    'core.packet_out': e(111_000, `${SANAFE}: axon_out energy_message_out 111 pJ`),
    'core.packet_in': e(0, `${SANAFE}: axon_in energy_message_in 0.0 pJ`),
    'core.learn_update': e(120_000, `SANA-FE models no learning; ${DAVIES}: synaptic update (pairwise STDP) 120 pJ`),
    'noc.hop_ew': e(3_000, `${SANAFE}: energy_east_hop / energy_west_hop 3.0 pJ`),
    'noc.hop_ns': e(4_200, `${SANAFE}: energy_north_hop / energy_south_hop 4.2 pJ`),
    'noc.within_tile': e(0, `${SANAFE}: a message between cores of one tile crosses no hop and is charged no network energy`),
    'noc.chip_link': e(320_000, CHIP_LINK_ASSUMPTION),
    'noc.flit': e(0, `${SANAFE}: network energy is charged per hop only`),
    'sync.barrier': e(224_000, `${BARRIER_ASSUMPTION} (SANA-FE gives barrier latency only)`),
    ...CROSSBAR_ENTRIES,
  },
  staticPower: LOIHI_STATIC,
};

/* Horowitz 45 nm building blocks, in fJ. */
const H_ADD8 = 30;
const H_ADD16 = 50;
const H_ADD32 = 100;
const H_MUL8 = 200;
const H_MUL32 = 3_100;
const H_SRAM32 = 5_000; // 32-bit read from an 8 KB SRAM
const NOXIM_PUSH = 762;
const NOXIM_POP = 534;
const NOXIM_XBAR = 221;
const NOXIM_ROUTE = 60;
const NOXIM_LINK32 = 1_562; // 0.0488 pJ per bit-line × 32 bits = 1.5616 pJ, rounded to 1 fJ

export const HOROWITZ_45NM: EnergyTable = {
  name: 'horowitz-45nm',
  description: 'Per-action energies composed from Horowitz ISSCC 2014 45 nm arithmetic and 8 KB SRAM reads; NoC from Noxim 45 nm',
  actions: {
    'core.synop': e(H_SRAM32 + H_ADD32, `${HOROWITZ}: 32b SRAM read of the synapse word (5 pJ) + 32b accumulate add (0.1 pJ) = 5.1 pJ`),
    'core.compartment_active': e(
      4 * H_SRAM32 + 2 * H_MUL32 + 3 * H_ADD32,
      `${HOROWITZ}: read u,v (2 × 5 pJ) + write u,v (2 × 5 pJ, assumption: write ≈ read) + 2 decay 32b mults (2 × 3.1 pJ) + 3 32b adds (input, bias, threshold compare: 3 × 0.1 pJ) = 26.5 pJ`,
    ),
    'core.compartment_inactive': e(2 * H_SRAM32 + H_ADD32, `${HOROWITZ}: read u,v (2 × 5 pJ) + zero test as one 32b add (0.1 pJ) = 10.1 pJ`),
    'core.spike_out': e(H_SRAM32, `${HOROWITZ}: one 32b SRAM read of the output axon table (5 pJ)`),
    'core.packet_out': e(H_SRAM32 + H_ADD16, `${HOROWITZ}: routing-table 32b SRAM read (5 pJ) + 16b address add (0.05 pJ) = 5.05 pJ`),
    'core.packet_in': e(H_SRAM32, `${HOROWITZ}: input axon table 32b SRAM read (5 pJ)`),
    'core.learn_update': e(
      3 * H_SRAM32 + 2 * H_MUL8 + 2 * H_ADD8 + H_ADD32,
      `${HOROWITZ}: read weight + trace word (2 × 5 pJ) + 2 trace products as 8b mults (2 × 0.2 pJ) + 2 8b adds (2 × 0.03 pJ) + weight update 32b add (0.1 pJ) + write weight (5 pJ, assumption: write ≈ read) = 15.56 pJ`,
    ),
    'noc.hop_ew': e(
      NOXIM_PUSH + NOXIM_POP + NOXIM_XBAR + NOXIM_ROUTE + NOXIM_LINK32,
      `${NOXIM}: buffer push 0.762 + pop 0.534 + crossbar 0.221 + XY routing 0.060 + 1 mm link 32 × 0.0488 pJ = 3.139 pJ per flit-hop`,
    ),
    'noc.hop_ns': e(
      NOXIM_PUSH + NOXIM_POP + NOXIM_XBAR + NOXIM_ROUTE + NOXIM_LINK32,
      `${NOXIM}: same as E-W (square tiles assumed): 3.139 pJ per flit-hop`,
    ),
    'noc.within_tile': e(
      NOXIM_PUSH + NOXIM_POP + NOXIM_XBAR + NOXIM_ROUTE,
      `${NOXIM}: one router traversal without a link: push 0.762 + pop 0.534 + crossbar 0.221 + routing 0.060 = 1.577 pJ`,
    ),
    'noc.chip_link': e(320_000, CHIP_LINK_ASSUMPTION),
    'noc.flit': e(0, `${NOXIM}: the router traversal is charged per hop; injection is not charged separately`),
    'sync.barrier': e(
      64 * (NOXIM_PUSH + NOXIM_POP + NOXIM_XBAR + NOXIM_ROUTE + NOXIM_LINK32),
      `assumption: 32 tiles × 2 barrier phases × one flit-hop (${NOXIM}, 3.139 pJ) = 200.896 pJ per chip per step`,
    ),
    ...CROSSBAR_ENTRIES,
  },
  staticPower: {
    core: p(50, 'assumption: ~50 µW leakage per core-sized 45 nm SRAM + logic block; no published figure, override in a user table'),
    router: p(10, 'assumption: ~10 µW leakage per 45 nm router; no published figure'),
    chip: p(1000, 'assumption: ~1 mW always-on per chip (clock tree, I/O); no published figure'),
    crossbar: p(0, 'assumption: no crossbar leakage modelled in this preset; a PIM table sets this'),
  },
};

export const ENERGY_PRESETS: Readonly<Record<string, EnergyTable>> = {
  'loihi-2018': LOIHI_2018,
  'loihi-sanafe': LOIHI_SANAFE,
  'horowitz-45nm': HOROWITZ_45NM,
};

export const ENERGY_PRESET_NAMES = Object.keys(ENERGY_PRESETS);

/** The default preset used when a run names none. */
export const DEFAULT_ENERGY_PRESET = 'loihi-2018';

export function energyPreset(name: string): EnergyTable | undefined {
  return Object.prototype.hasOwnProperty.call(ENERGY_PRESETS, name) ? ENERGY_PRESETS[name] : undefined;
}

/** Parse a user table (YAML/JSON text) that may extend one of the presets. */
export function parseEnergyTableText(text: string, source: string): EnergyTable {
  return parseEnergyTable(text, source, energyPreset, ENERGY_PRESET_NAMES);
}

/** Load an energy table: a preset name, or a YAML/JSON file (`format: aerie-energy/1`). */
export function loadEnergyTable(nameOrFile: string): EnergyTable {
  return energyPreset(nameOrFile) ?? loadEnergyTableFile(nameOrFile, energyPreset, ENERGY_PRESET_NAMES);
}
