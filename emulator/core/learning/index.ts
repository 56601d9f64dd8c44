/**
 * The on-chip learning engine (public face): the rule language, its compiler, traces and the
 * per-projection engine. See docs/LEARNING.md.
 *
 *   const params = learningParams({ rule: 'dw = 2^-2*x1*y0 - 2^-2*y1*x0', epoch: 1,
 *     traces: { x1: { impulse: 16, decay: 410 }, y1: { impulse: 16, decay: 410 } } });
 *   const engine = new LearningEngine(params, synapses, nPre, nPost,
 *     { seed, stream: projIndex, signMode: 'mixed', numWeightBits: 8 });
 *   engine.onStep(step, preSpikeFlags, postSpikeFlags);   // every step; learns on epoch ends
 */
export {
  parseRule,
  formatRule,
  tracesUsed,
  columnOf,
  TARGETS,
  TRACE_NAMES,
  PRE_TRACES,
  POST_TRACES,
  type LearningRule,
  type ProductSeries,
  type Product,
  type Factor,
  type Target,
  type Dependency,
  type TraceName,
  type FactorVar,
  type SynapticVar,
  type ParseOptions,
} from './rule.js';
export {
  compileRule,
  generateSource,
  targetFormat,
  productShift,
  ROUNDINGS,
  type Rounding,
  type SynapseArrays,
  type EpochView,
  type CompileOptions,
  type CompiledRule,
  type ApplyFn,
  type TargetFormat,
} from './compile.js';
export { TraceBank, stepTrace, decayFromTau, splitImpulse, TRACE_ORDER, type TraceParams } from './traces.js';
export { LearningEngine, learningParams, streamSeed, type LearningParams, type LearningEngineOptions } from './engine.js';
export { checkLearning, LEARNING_PARAMS, type LearningParamDecl } from './spec.js';
export * as LEARNING_WIDTHS from './widths.js';
