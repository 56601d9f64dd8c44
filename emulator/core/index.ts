/** The neuromorphic core: compartments, synapse memory, axon tables, compartment models. */
export { NeuroCore, type CompartmentModel, type Segment } from './neurocore.js';
export { lifBitAccurate, decay, effectiveBias, DECAY_UNITY, DU_OFFSET, ACT_SHIFT, VTH_SHIFT, MAX_UV, V_MAX, V_MIN } from './lif.js';
export { spikeSource } from './spike-source.js';
export { inferSignMode, quantizeWeight, scaleByWeightExp, MAX_WEIGHT_BITS } from './synapse.js';
export { alifFixed, ALIF_STATE_MAX } from './alif.js';
export { sigmaDeltaFixed } from './sigma-delta.js';
