/**
 * SANA-FE compatibility (issue 7): run SANA-FE architecture and SNN descriptions unchanged, with
 * SANA-FE's float neuron models, pipeline counters, per-event energies and detailed timing model.
 * See docs/SANAFE.md for what is supported and where aerie differs.
 */
export { parseSanafeArch, validateSanafeArch, sanafeToAerieArch, sanafeEnergyEntries, sanafeEnergyTable, syncLatency, isSanafeArchData, type SanafeArch, type SanafeCore, type SanafeTile, type SanafeUnit, type SanafeAxon, type SanafeEnergyEntry, type UnitKind } from './arch.js';
export { parseSanafeSnn, validateSanafeSnn, isSanafeSnnData, MAX_SANAFE_EDGES, MAX_SANAFE_NEURONS, type SanafeNetwork, type SanafeGroup, type NeuronTemplate, type AttrValue } from './snn.js';
export { SanafeSim, type SanafePerf, type SanafeTotals, type SanafeTiming } from './engine.js';
export { SomaState, SOMA_MODEL, RESET_MODE, STATUS, somaUpdate, lifUpdate, truenorthUpdate, inputUpdate } from './models.js';
export { DetailedScheduler, SimpleScheduler, MessageBatch, PLACEHOLDER, type SchedulerGeometry } from './scheduler.js';
export { spikesCsv, perfCsv, runSummaryYaml, sanafeOutputFiles, sci } from './output.js';
export { detectSanafeText, sanafeFileKind, loadSanafeRun, loadSanafeRunFromText, summarizeSanafe, formatSanafeSummary, runSanafe, type SanafeRun, type SanafeRunSummary, type SanafeRunOptions, type SanafeRunIo } from './load.js';
export { parseSanafeYaml, parseRange, expandRangedName } from './yaml.js';
export { ARCH_ATTRS, TILE_ATTRS, CORE_ATTRS, AXON_IN_ATTRS, AXON_OUT_ATTRS, SYNAPSE_ATTRS, DENDRITE_ATTRS, SOMA_ATTRS, NEURON_ATTRS, EDGE_ATTRS, SANAFE_MODELS, type AttrDecl } from './params.js';
export { benchSanafeLoad, syntheticSanafeArch, syntheticSanafeSnn, type SanafeBenchOptions } from './bench.js';
