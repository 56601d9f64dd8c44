/** Network and architecture specs: schemas, loading, validation, presets. */
export * from './network.js';
export * from './arch.js';
export { compileNetwork, type CompiledNetwork, type CompiledPopulation, type CompiledProjection } from './compile.js';
export { parseStructured, formatPath } from './structured.js';
export { Checker } from './validate.js';
