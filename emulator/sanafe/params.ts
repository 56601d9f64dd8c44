/**
 * SANA-FE description vocabulary, declared once: which attributes each section of an architecture
 * or SNN file may carry (with unit and meaning), which hardware models exist in SANA-FE and which of
 * them aerie runs. Unknown attributes are errors with a did-you-mean hint, except the ones SANA-FE
 * itself accepts and ignores (listed as `ignored`), so SANA-FE's own example files load unchanged.
 *
 * Source of the vocabulary: SANA-FE's architecture and SNN description docs and its model code
 * (SLAM-Lab/SANA-FE, src/models.cpp, src/pipeline.hpp, src/yaml_arch.cpp, src/yaml_snn.cpp).
 */

/** Where the vocabulary and the defaults come from. */
export const SANAFE_SOURCE = 'SANA-FE (SLAM-Lab, Boyle et al., IEEE TCAD 2025): description docs, src/models.hpp/.cpp, src/pipeline.hpp';

export interface AttrDecl {
  unit: string;
  description: string;
  /** SANA-FE's default when the attribute is absent (source: SANAFE_SOURCE). */
  default?: number | string | boolean;
  /** Accepted (SANA-FE accepts it) but has no effect in aerie's SANA-FE mode. */
  ignored?: boolean;
}

const J = 'J per event';
const S = 's per event';

export const ARCH_ATTRS: Record<string, AttrDecl> = {
  topology: { default: 'mesh', unit: '', description: "NoC topology (only 'mesh')" },
  width: { default: 1, unit: 'tiles', description: 'mesh width (x)' },
  height: { default: 1, unit: 'tiles', description: 'mesh height (y)' },
  link_buffer_size: { default: 16, unit: 'messages', description: 'buffer depth per NoC link (detailed timing: path capacity)' },
  sync_model: { default: 'fixed', unit: '', description: "end-of-step synchronisation cost: 'fixed' or 'table' (by tiles in use)" },
  latency_sync: { default: 0, unit: 's', description: 'sync latency: a number (fixed) or a map tiles → seconds (table)' },
  log_energy: { unit: '', description: 'per-unit energy trace columns', ignored: true },
  log_latency: { unit: '', description: 'per-unit latency trace columns', ignored: true },
};

export const TILE_ATTRS: Record<string, AttrDecl> = {
  energy_north_hop: { unit: 'J per hop', description: 'energy of one hop north (charged at the receiving tile)' },
  energy_east_hop: { unit: 'J per hop', description: 'energy of one hop east' },
  energy_south_hop: { unit: 'J per hop', description: 'energy of one hop south' },
  energy_west_hop: { unit: 'J per hop', description: 'energy of one hop west' },
  latency_north_hop: { unit: 's per hop', description: 'latency of one hop north (of the sending tile)' },
  latency_east_hop: { unit: 's per hop', description: 'latency of one hop east' },
  latency_south_hop: { unit: 's per hop', description: 'latency of one hop south' },
  latency_west_hop: { unit: 's per hop', description: 'latency of one hop west' },
  log_energy: { unit: '', description: 'energy trace column', ignored: true },
  log_latency: { unit: '', description: 'latency trace column', ignored: true },
};

export const CORE_ATTRS: Record<string, AttrDecl> = {
  buffer_position: { default: 'soma', unit: '', description: "where the timestep buffer sits: 'soma' (supported) or 'dendrite'/'axon_out'" },
  buffer_inside_unit: { default: false, unit: '', description: 'buffer held inside the unit (only false is supported)' },
  max_neurons_supported: { default: 1024, unit: 'neurons', description: 'neurons one core holds' },
  log_energy: { unit: '', description: 'energy trace column', ignored: true },
  log_latency: { unit: '', description: 'latency trace column', ignored: true },
};

const UNIT_COMMON: Record<string, AttrDecl> = {
  model: { unit: '', description: 'hardware model name' },
  plugin: { unit: '', description: 'shared-library model (not supported by aerie)' },
  log_energy: { unit: '', description: 'energy trace column', ignored: true },
  log_latency: { unit: '', description: 'latency trace column', ignored: true },
};

export const AXON_IN_ATTRS: Record<string, AttrDecl> = {
  energy_message_in: { unit: J, description: 'energy to receive one spike message' },
  latency_message_in: { unit: S, description: 'time to receive one spike message' },
};

export const AXON_OUT_ATTRS: Record<string, AttrDecl> = {
  energy_message_out: { unit: J, description: 'energy to send one spike message' },
  latency_message_out: { unit: S, description: 'time to send one spike message' },
};

export const SYNAPSE_ATTRS: Record<string, AttrDecl> = {
  ...UNIT_COMMON,
  energy_process_spike: { unit: J, description: 'energy per synapse read (synaptic event)' },
  latency_process_spike: { unit: S, description: 'time per synapse read' },
  latency_concurrent_access: { unit: 's', description: "'loihi' synapse model: parallel read time", ignored: true },
  weight_bits: { unit: 'bits', description: 'weight resolution (SANA-FE records it, never applies it)', ignored: true },
};

export const DENDRITE_ATTRS: Record<string, AttrDecl> = {
  ...UNIT_COMMON,
  energy_update: { unit: J, description: 'energy per dendrite update (one per synaptic event)' },
  latency_update: { unit: S, description: 'time per dendrite update' },
  dendrite_leak_decay: { default: 0, unit: 'factor per step', description: 'accumulator decay per step (default 0: charge lasts one step)' },
  update_every_timestep: { unit: '', description: 'legacy flag, ignored by SANA-FE', ignored: true },
  taps: { unit: '', description: "'taps' model (not supported)", ignored: true },
  time_constants: { unit: '', description: "'taps' model (not supported)", ignored: true },
  space_constants: { unit: '', description: "'taps' model (not supported)", ignored: true },
};

export const SOMA_ATTRS: Record<string, AttrDecl> = {
  ...UNIT_COMMON,
  energy_access_neuron: { unit: J, description: 'energy to read a neuron, every neuron every step' },
  energy_update_neuron: { unit: J, description: 'energy of an update (neuron updated or fired)' },
  energy_spike_out: { unit: J, description: 'energy per spike' },
  latency_access_neuron: { unit: S, description: 'time to read a neuron' },
  latency_update_neuron: { unit: S, description: 'time of an update' },
  latency_spike_out: { unit: S, description: 'time per spike' },
  noise: { unit: '', description: 'noise stream file (not supported)' },
};

/** Neuron attributes (group `attributes:` and per-neuron entries). */
export const NEURON_ATTRS: Record<string, AttrDecl> = {
  threshold: { default: 0, unit: 'potential', description: 'fire when potential > threshold (TrueNorth: ≥)' },
  reverse_threshold: { default: 0, unit: 'potential', description: 'lower bound checked after firing (default 0, no effect with reset mode none)' },
  reset: { default: 0, unit: 'potential', description: 'potential after a hard reset' },
  reverse_reset: { default: 0, unit: 'potential', description: 'potential after a hard reverse reset' },
  reset_mode: { default: 'hard', unit: '', description: "none | soft | hard (default) | saturate" },
  reverse_reset_mode: { default: 'none', unit: '', description: "none (default) | soft | hard | saturate" },
  leak_decay: { default: 1, unit: 'factor per step', description: 'potential decay (default 1: no leak)' },
  input_decay: { default: 0, unit: 'factor per step', description: 'current decay (default 0: current lasts one step)' },
  bias: { default: 0, unit: 'potential per step', description: 'added to the potential every step' },
  refractory_delay: { default: 0, unit: 'steps', description: 'steps after a spike without integration' },
  leak: { default: 0, unit: 'potential per step', description: 'TrueNorth additive leak' },
  leak_towards_zero: { default: true, unit: '', description: 'TrueNorth: leak toward zero instead of adding' },
  random_mask: { default: 0, unit: '', description: 'TrueNorth: random threshold mask' },
  spikes: { unit: 'list of 0/1', description: "input model: spike train, one entry per update of the unit" },
  poisson: { default: 0, unit: 'probability per step', description: 'input model: Poisson probability' },
  rate: { default: 0, unit: 'spikes per step', description: 'input model: regular rate (fires when step % round(1/rate) = 0)' },
  force_update: { default: false, unit: '', description: 'count the neuron as updated every step' },
  force_soma_update: { default: false, unit: '', description: 'count the neuron as updated every step' },
  force_synapse_update: { default: false, unit: '', description: 'update the synapse unit every step (energy only)' },
  force_dendrite_update: { default: false, unit: '', description: 'update the dendrite unit every step (energy only)' },
  log_spikes: { default: false, unit: '', description: 'write this neuron to spikes.csv' },
  log_potential: { unit: '', description: 'potential trace (not written by aerie)', ignored: true },
  log_v: { unit: '', description: 'legacy potential trace flag', ignored: true },
  log_u: { unit: '', description: 'legacy current trace flag', ignored: true },
  synapse_hw_name: { unit: '', description: 'synapse unit for connections into this neuron' },
  dendrite_hw_name: { unit: '', description: 'dendrite unit of this neuron' },
  soma_hw_name: { unit: '', description: 'soma unit of this neuron' },
  dendrite_leak_decay: { default: 0, unit: 'factor per step', description: 'accumulator decay per step' },
};

/** Edge attributes (on `a.i -> b.j` edges and hyper-edges). */
export const EDGE_ATTRS: Record<string, AttrDecl> = {
  weight: { default: 0, unit: 'current', description: 'synaptic weight (current_based synapse)' },
  w: { default: 0, unit: 'current', description: 'synaptic weight (short name)' },
  delay: { default: 0, unit: 'steps', description: "dendritic delay (only the 'accumulator_with_delay' model reads it; must be 0 here)" },
  mixed: { unit: '', description: "'loihi' synapse sign mode", ignored: true },
  latency: { unit: 's', description: "'loihi' synapse per-edge latency", ignored: true },
  g: { unit: '', description: "'loihi' synapse group", ignored: true },
  tap: { unit: '', description: "'taps' dendrite tap", ignored: true },
};

export const CONV2D_KEYS = ['input_height', 'input_width', 'input_channels', 'kernel_count', 'kernel_height', 'kernel_width', 'stride_height', 'stride_width', 'pad_height', 'pad_width'] as const;

/** Every hardware model SANA-FE defines, and the ones aerie runs. */
export const SANAFE_MODELS = {
  synapse: { known: ['current_based', 'loihi'], supported: ['current_based'] },
  dendrite: { known: ['accumulator', 'accumulator_with_delay', 'taps'], supported: ['accumulator'] },
  soma: { known: ['leaky_integrate_fire', 'loihi_lif', 'truenorth', 'input'], supported: ['leaky_integrate_fire', 'loihi_lif', 'truenorth', 'input'] },
} as const;
