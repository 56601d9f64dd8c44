/**
 * Processing-in-memory crossbars: the public face of emulator/pim.
 *
 * - `CROSSBAR_PARAMS` / `parseCrossbarParams` / `makeCrossbarParams`: the block's declaration and validation.
 * - `Crossbar`: one analog array (bit-serial DAC, column currents, shared SAR ADC, shift-and-add).
 * - `TiledMatrix`: a logical matrix larger than one array, tiled with digital partial-sum adds.
 * - `BinaryCrossbar`: binary HDC mode (complementary cells, XOR bind, Hamming search, packed fast path).
 * - accuracy meters: MAE of MVM outputs, bit-error rate and top-1 agreement against the exact results.
 * - `CrossbarStats`: counts in the crossbar.* action ids with energy (fJ) and latency (ps).
 * - converter models: NeuroSim SAR ADC, ISAAC/MNSIM table presets with a named formula, DAC, adder, cell write.
 * See docs/PIM.md.
 */
export {
  CROSSBAR_PARAMS, SIGNED_MODES, ADC_MODELS, ADC_FORMULAS, ADC_PRESET_BITS, PROGRAMMING_ERROR_MODES,
  parseCrossbarParams, makeCrossbarParams, crossbarGeometry, noNonIdealities,
  type ParamDecl, type CrossbarParams, type CrossbarGeometry, type NonIdealities, type SignedMode,
  type AdcModel as AdcModelName, type AdcFormula, type ProgrammingErrorMode,
} from './params.js';
export {
  neurosimSarAdc, tableAdc, adcCost, dacCost, shiftAddCost, cellWriteCost, crossbarCosts, accumulatorBits,
  NEUROSIM_SAR, ADC_TABLE, ISAAC_DAC, HOROWITZ_ADD_FJ, type OpCost, type CrossbarCosts,
} from './converters.js';
export { CellModel, AdcModel, STUCK_NONE, STUCK_LOW, STUCK_HIGH } from './cells.js';
export { Crossbar, type CrossbarOptions } from './crossbar.js';
export { TiledMatrix, type TilePlan, type TiledMatrixOptions } from './tiled.js';
export { BinaryCrossbar, type BinaryCrossbarOptions, type BinaryPath, type SearchResult } from './binary.js';
export { popcount32, hammingPacked, wordsFor, lastWordMask, getBit } from './popcount.js';
export { integerMatVec, MvmAccuracyMeter, BinaryAccuracyMeter, type MvmAccuracy, type BinaryAccuracy } from './accuracy.js';
export { CrossbarStats, CROSSBAR_ACTIONS, type CrossbarAction, type CrossbarStatsSnapshot } from './stats.js';
