/**
 * The firmware models `aerie model` runs. Each builds its network through the library API and says
 * how many steps make a run; models with a task-equivalent dense computation declare it for the
 * energy report's dense baseline.
 */
import type { NetworkSpec } from '../emulator/index.js';
import { buildCuba } from './cuba/index.js';
import { buildSynthetic } from './synthetic/index.js';

export interface FirmwareModel {
  name: string;
  description: string;
  /** What `--size` means for this model, and its default. */
  size: { meaning: string; default: number; min: number; max: number };
  steps: number;
  build(size: number, seed: number): NetworkSpec;
}

export const MODELS: FirmwareModel[] = [
  {
    name: 'cuba',
    description: 'CUBA benchmark network (Brette et al. 2007) in Loihi fixed point: 80 % excitatory, p = 0.02, 5–7 Hz',
    size: { meaning: 'compartments', default: 4000, min: 10, max: 1_000_000 },
    steps: 10_000,
    build: (size, seed) => buildCuba({ neurons: size, seed }),
  },
  {
    name: 'synthetic',
    description: 'bias-driven LIF populations of 1,024 compartments, 64 local synapses each, ~10 Hz (scale benchmark)',
    size: { meaning: 'cores (populations of 1,024)', default: 8, min: 1, max: 65_536 },
    steps: 1000,
    build: (size, seed) => buildSynthetic({ populations: size, size: 1024, fanIn: 64, seed }),
  },
];

export function findModel(name: string): FirmwareModel | undefined {
  return MODELS.find((m) => m.name === name);
}
