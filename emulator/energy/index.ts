/**
 * Energy accounting: sourced energy tables (presets and user YAML), exact integer-femtojoule
 * pricing of a run's ActivityCounts, dense baselines on labelled device models, and the report
 * model that tools/report renders. See docs/ENERGY-MODEL.md for every coefficient and formula.
 */
export { ACTIONS, type ActionId, type ActivityCounts, type HardwareInUse } from './activity.js';
export {
  ACTION_IDS,
  COMPONENTS,
  ENERGY_FORMAT,
  STATIC_PARTS,
  STATIC_PART_NAMES,
  actionName,
  componentOf,
  isAssumption,
  pjToFj,
  tableAssumptions,
  type Component,
  type EnergyEntry,
  type EnergyTable,
  type StaticPart,
  type StaticPowerEntry,
} from './table.js';
export {
  DEFAULT_ENERGY_PRESET,
  ENERGY_PRESETS,
  ENERGY_PRESET_NAMES,
  HOROWITZ_45NM,
  LOIHI_2018,
  LOIHI_SANAFE,
  energyPreset,
  loadEnergyTable,
  parseEnergyTableText,
} from './presets.js';
export { checkActivity, priceActivity, type PricedActivity, type PricedAction } from './price.js';
export {
  DEFAULT_DEVICES,
  DENSE_STATE_BYTES_PER_COMPARTMENT,
  H100_SXM,
  HOROWITZ_DEVICE,
  KERASSPIKING_CPU,
  KERASSPIKING_GPU,
  priceDense,
  rooflineLatency,
  sameNetworkWorkload,
  taskWorkload,
  type DenseNetworkSpec,
  type DensePrice,
  type DenseTaskSpec,
  type DenseWorkload,
  type DeviceModel,
  type Precision,
} from './dense.js';
export {
  MAX_LATENCY_POINTS,
  MAX_RASTER_POINTS,
  REPORT_SCHEMA,
  buildReport,
  summarizeEnergy,
  type EnergySummary,
  type MeshLoadInput,
  type Report,
  type ReportBaseline,
  type ReportOptions,
  type SpikeRasterInput,
  type ReportCrossbar,
  type ReportCrossbarProjection,
} from './report.js';
