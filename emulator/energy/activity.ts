/**
 * What a run did, in exact integer counts: the seam between the emulator (which counts) and the
 * energy layer (which prices counts with an energy table at report time, so totals never depend
 * on the order events happened in).
 *
 * Action ids are `<unit>.<action>`; the unit says which hardware block owns the counter.
 * The step engine fills an ActivityCounts; the energy layer never looks at emulator state.
 */

/** Every action the emulator counts. Energy tables price these ids. */
export const ACTIONS = {
  'core.synop': { unit: 'op', description: 'synaptic operation: one synapse of an arriving spike accumulated into a dendrite' },
  'core.compartment_active': { unit: 'update', description: 'compartment update whose state or input was non-zero' },
  'core.compartment_inactive': { unit: 'update', description: 'compartment update with zero state, input and bias (Loihi still visits it)' },
  'core.spike_out': { unit: 'spike', description: 'compartment spike looked up in the output axon table' },
  'core.packet_out': { unit: 'packet', description: 'AER spike message injected into the NoC (one per destination core per spike)' },
  'core.packet_in': { unit: 'packet', description: 'AER spike message received by a core (input axon lookup)' },
  'core.learn_update': { unit: 'update', description: 'plastic synapse updated by the learning engine' },
  'noc.hop_ew': { unit: 'hop', description: 'flit crossing one tile boundary east or west' },
  'noc.hop_ns': { unit: 'hop', description: 'flit crossing one tile boundary north or south' },
  'noc.within_tile': { unit: 'delivery', description: 'message delivered between cores of the same router' },
  'noc.chip_link': { unit: 'hop', description: 'flit crossing a chip-to-chip link' },
  'noc.flit': { unit: 'flit', description: 'flit injected into the mesh' },
  'sync.barrier': { unit: 'barrier', description: 'end-of-step barrier synchronisation of the mesh (one per step per chip)' },
  'crossbar.read': { unit: 'op', description: 'crossbar array read (one MVM or search)' },
  'crossbar.write': { unit: 'cell', description: 'crossbar cell programmed' },
  'crossbar.dac': { unit: 'conversion', description: 'DAC input conversion (one row, one input bit-slice)' },
  'crossbar.adc': { unit: 'conversion', description: 'ADC conversion (one column, one cycle)' },
  'crossbar.shift_add': { unit: 'op', description: 'digital shift-and-add of a partial sum' },
} as const;

export type ActionId = keyof typeof ACTIONS;

/** Hardware powered during a run (static power is charged per powered unit). */
export interface HardwareInUse {
  chips: number;
  tilesUsed: number;
  coresUsed: number;
  routersUsed: number;
  crossbarsUsed: number;
}

/** Exact counts of one run (or one step range). All numbers are integers. */
export interface ActivityCounts {
  steps: number;
  /** Total count per action. */
  totals: Partial<Record<ActionId, number>>;
  /** The same counts attributed per population (by name); NoC actions attributed to the source population. */
  byPopulation: Record<string, Partial<Record<ActionId, number>>>;
  /** The same counts per chip index (chip-major numbering, see docs/NOC.md). */
  byChip: Record<number, Partial<Record<ActionId, number>>>;
  /** Hardware in use (static power is charged for what is powered). */
  hardware: HardwareInUse;
  /**
   * Optional: the same hardware-in-use counts per chip index (added by the energy layer). When given,
   * static energy is also reported per chip and the per-chip figures sum exactly to the total.
   */
  hardwareByChip?: Record<number, HardwareInUse>;
  /**
   * The core-level leaves of the counter tree chip > tile > core (global core id; its tile is
   * ⌊id / cores_per_tile⌋ and its chip ⌊id / cores_per_chip⌋): actions of the core's own units.
   */
  byCore?: Record<number, Partial<Record<ActionId, number>>>;
  /** Per core (global id): time its pipeline was busy and time it stalled on a full injection queue, integer ps. */
  coreTime?: Record<number, { busyPs: number; stallPs: number }>;
  /** Emulated duration of every step in integer picoseconds (length = steps). */
  stepDurationPs: Float64Array;
  /** Spikes per step (length = steps), and per population totals, for rates and the raster. */
  spikesPerStep: Uint32Array;
  /** Compartments per population (for firing rates). */
  populationSizes: Record<string, number>;
  /** Model time per step in seconds (network dt). */
  dt: number;
}
