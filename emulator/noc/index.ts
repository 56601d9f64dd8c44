/**
 * The mesh network-on-chip: topology and core numbering, routing plug-ins, AER packet batches,
 * the analytic and cycle-level router models behind one interface, counters, and synthetic traffic.
 * See docs/NOC.md.
 */
export {
  type MeshTopology,
  LOIHI_TOPOLOGY,
  DIR_E,
  DIR_W,
  DIR_N,
  DIR_S,
  PORT_LOCAL,
  DIRECTION_NAMES,
  coreLocation,
  coreId,
  coreRouter,
  coreCount,
  routerCount,
  meshWidth,
  meshHeight,
  linkKinds,
  validateTopology,
} from './topology.js';
export { type RoutingFunction, registerRouting, getRouting, routingNames } from './routing.js';
export { PacketBatch, wireFlits } from './packets.js';
export { type NocParams, type ParamDecl, NOC_PARAMS, LOIHI_NOC_PARAMS, validateNocParams, deriveClockPs, deriveCycleConfig, routerCycles } from './params.js';
export { NocCounters, type NocCounterStorage, LatencyHistogram, type LatencySummary } from './counters.js';
export { type NocModel, type NocModelName, NOC_MODEL_NAMES, type NocRouteImpl, NOC_ROUTE_IMPLS, type NocOptions, defaultRouteImpl, createNoc, SourceQueues } from './models.js';
export { RouteKernel, type RouteKernelOptions, ROUTE_KERNEL_PACKETS, createRouteKernel, routeKernelPath } from './kernels/index.js';
export { CycleNetwork, type CycleConfig } from './cycle.js';
export { AnalyticNetwork } from './analytic.js';
export {
  type SyntheticOptions,
  type SyntheticResult,
  type TrafficPattern,
  TRAFFIC_PATTERNS,
  SYNTHETIC_DEFAULTS,
  runSynthetic,
  syntheticConfig,
  validateSynthetic,
  channelLoadBound,
} from './traffic.js';
export { benchNocCycle, type BenchNocOptions } from './bench.js';
