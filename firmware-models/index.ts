/**
 * The firmware models `aerie model` runs. A model is either a network model (it builds an
 * aerie-network through the library API and the CLI runs it like `aerie run`) or a workload model
 * (it drives the emulated hardware itself — crossbars, cores — and returns its own result). Either
 * way it declares its task-equivalent dense computation for the energy report's dense baseline.
 */
import type { Arch, NetworkSpec } from '../emulator/index.js';
import type { ActivityCounts } from '../emulator/energy/activity.js';
import type { DenseTaskSpec } from '../emulator/energy/dense.js';
import { buildCuba, cubaDenseTask } from './cuba/index.js';
import { buildSynthetic } from './synthetic/index.js';
import { hdcModel } from './hdc/index.js';
import { dimensionSweepModel } from './dimension-sweep/index.js';
import { kwtaAttentionModel } from './kwta-attention/model.js';
import { lcaModel } from './lca/model.js';
import { stdpModel } from './stdp/model.js';

export interface ModelOptions {
  size: number;
  seed: number;
  steps?: number;
  arch: Arch;
}

/** What a workload model returns. */
export interface ModelResult {
  /** Human-readable result lines (task metric first). */
  text: string;
  /** The same as one JSON-able object (schema `aerie-model/1` fields: model, metrics, …). */
  json: Record<string, unknown>;
  /** What the emulated hardware did, for the energy report. */
  activity?: ActivityCounts;
  /** The task-equivalent dense computation, for baseline (b). */
  denseTask?: DenseTaskSpec;
}

export interface FirmwareModel {
  name: string;
  description: string;
  /** What `--size` means for this model, and its default. */
  size: { meaning: string; default: number; min: number; max: number };
  /** Default steps of a network model. */
  steps?: number;
  /** Network models: the network to run. */
  build?(size: number, seed: number): NetworkSpec;
  /** Network models: the task-equivalent dense computation for `steps` steps. */
  denseTask?(size: number, steps: number): DenseTaskSpec;
  /** Workload models: run on the emulated hardware and report. */
  run?(opts: ModelOptions): ModelResult | Promise<ModelResult>;
}

export const MODELS: FirmwareModel[] = [
  {
    name: 'cuba',
    description: 'CUBA benchmark network (Brette et al. 2007) in Loihi fixed point: 80 % excitatory, p = 0.02, 5–7 Hz',
    size: { meaning: 'compartments', default: 4000, min: 10, max: 1_000_000 },
    steps: 10_000,
    build: (size, seed) => buildCuba({ neurons: size, seed }),
    denseTask: (size, steps) => cubaDenseTask(size, steps),
  },
  {
    name: 'synthetic',
    description: 'bias-driven LIF populations of 1,024 compartments, 64 local synapses each, ~10 Hz (scale benchmark)',
    size: { meaning: 'cores (populations of 1,024)', default: 8, min: 1, max: 65_536 },
    steps: 1000,
    build: (size, seed) => buildSynthetic({ populations: size, size: 1024, fanIn: 64, seed }),
  },
  kwtaAttentionModel,
  lcaModel,
  hdcModel,
  dimensionSweepModel,
  stdpModel,
];

export function findModel(name: string): FirmwareModel | undefined {
  return MODELS.find((m) => m.name === name);
}
