/**
 * Hand-written ActivityCounts for the energy tests.
 *
 * `handActivity()`: 4 steps (dt 1 ms) on one chip, two populations on two cores in two tiles.
 *  - population `in` (2 compartments, core in tile (0,0)) spikes 3 times; each spike is one packet
 *    to the core of `out` in tile (2,1): 2 E-W hops + 1 N-S hop, delivered to 3 synapses.
 *    → spike_out 3, packet_out 3, flits 3, hop_ew 6, hop_ns 3, packet_in 3, synop 9.
 *  - population `out` (3 compartments) spikes once, to a core in its own tile (within-tile
 *    delivery), 2 synapses → spike_out 1, packet_out 1, within_tile 1, packet_in 1, synop 2.
 *  - compartment updates: `in` 5 active + 3 inactive, `out` 7 active + 5 inactive (5 × 4 = 20 in all).
 *  - 4 barriers (one per step), not attributed to a population.
 *  - step durations 1000, 1500, 2000, 1500 ps (6000 ps in all).
 */
import type { ActivityCounts } from '../../emulator/energy/index.js';

export function handActivity(): ActivityCounts {
  return {
    steps: 4,
    totals: {
      'core.synop': 11,
      'core.compartment_active': 12,
      'core.compartment_inactive': 8,
      'core.spike_out': 4,
      'core.packet_out': 4,
      'core.packet_in': 4,
      'noc.hop_ew': 6,
      'noc.hop_ns': 3,
      'noc.within_tile': 1,
      'noc.flit': 3,
      'sync.barrier': 4,
    },
    byPopulation: {
      in: {
        'core.synop': 2,
        'core.compartment_active': 5,
        'core.compartment_inactive': 3,
        'core.spike_out': 3,
        'core.packet_out': 3,
        'noc.hop_ew': 6,
        'noc.hop_ns': 3,
        'noc.flit': 3,
        'core.packet_in': 1,
      },
      out: {
        'core.synop': 9,
        'core.compartment_active': 7,
        'core.compartment_inactive': 5,
        'core.spike_out': 1,
        'core.packet_out': 1,
        'noc.within_tile': 1,
        'core.packet_in': 3,
      },
    },
    byChip: {
      0: {
        'core.synop': 11,
        'core.compartment_active': 12,
        'core.compartment_inactive': 8,
        'core.spike_out': 4,
        'core.packet_out': 4,
        'core.packet_in': 4,
        'noc.hop_ew': 6,
        'noc.hop_ns': 3,
        'noc.within_tile': 1,
        'noc.flit': 3,
        'sync.barrier': 4,
      },
    },
    hardware: { chips: 1, tilesUsed: 2, coresUsed: 2, routersUsed: 2, crossbarsUsed: 0 },
    stepDurationPs: Float64Array.from([1000, 1500, 2000, 1500]),
    spikesPerStep: Uint32Array.from([1, 1, 1, 1]),
    populationSizes: { in: 2, out: 3 },
    dt: 0.001,
  };
}

/** A two-chip variant: the same traffic split over two chips, with per-chip hardware. */
export function twoChipActivity(): ActivityCounts {
  const a = handActivity();
  a.byChip = {
    0: { 'core.synop': 2, 'core.compartment_active': 5, 'core.compartment_inactive': 3, 'core.spike_out': 3, 'core.packet_out': 3, 'noc.hop_ew': 6, 'noc.hop_ns': 2, 'noc.flit': 3, 'core.packet_in': 1, 'sync.barrier': 2 },
    1: { 'core.synop': 9, 'core.compartment_active': 7, 'core.compartment_inactive': 5, 'core.spike_out': 1, 'core.packet_out': 1, 'noc.within_tile': 1, 'core.packet_in': 3, 'noc.hop_ns': 1, 'sync.barrier': 2 },
  };
  a.totals['noc.chip_link'] = 0;
  a.hardware = { chips: 2, tilesUsed: 2, coresUsed: 2, routersUsed: 2, crossbarsUsed: 0 };
  a.hardwareByChip = {
    0: { chips: 1, tilesUsed: 1, coresUsed: 1, routersUsed: 1, crossbarsUsed: 0 },
    1: { chips: 1, tilesUsed: 1, coresUsed: 1, routersUsed: 1, crossbarsUsed: 0 },
  };
  return a;
}
