/** Chips and boards assembled from cores and routers; the timestep engine. */
export { Emulator, MAX_PROBE_VALUES, type EmulatorOptions, type ProbeData, type ProbeRequest, type ProbeVar, type StepRouter } from './emulator.js';
export { buildCores, buildSystem, COMPARTMENT_MODELS, type BuiltSystem, type PlasticBinding } from './build.js';
export { CrossbarStage, XBAR_AXON_FLAG, type CrossbarRunInfo, type CrossbarProjectionInfo } from './crossbar-stage.js';
export { crossbarSummary, crossbarFromSummary, type CrossbarSummary } from './summary.js';
