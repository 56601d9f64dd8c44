/**
 * Sparse block codes (one active unit per block of L units) bound on spiking compartments by
 * index addition, with delay lines and coincidence detection (after Renner et al., ICONS 2022).
 *
 * Codes: vector a arrives in *time code* — block k has one source that fires at step 1 + a_k
 * (phase a_k within a period of L steps); vector b arrives in *place code* — unit (k, b_k) of
 * block k fires once at step 1.
 * Network (built with NetworkBuilder, run through prepare):
 * - `gate` (B·L LIF compartments): gate (k, j) receives a_k's spike through a synaptic delay of j
 *   steps and b's unit (k, j) without delay. Its current does not decay (du = 0) and its voltage
 *   follows the current (dv = 4095), so it holds each input; either input alone stays below
 *   threshold, both together cross it: gate (k, b_k) — and only it — fires, at step 2 + a_k + b_k
 *   (a spike at step t lands in the accumulator of step t + 1 + delay). Refractory 63 steps keeps it
 *   to one spike.
 * - `out` (B compartments): OR of the block's gates (one spike is enough), firing one step later,
 *   at 3 + a_k + b_k: the bound vector in time code; its index is (t − 3) mod L (the phase in the
 *   period), which the host reads.
 */
import { NetworkBuilder, prepare, type Arch } from '../../emulator/index.js';
import type { ActivityCounts } from '../../emulator/energy/activity.js';
import type { DenseTaskSpec } from '../../emulator/energy/dense.js';
import { RNG_BLOCK, randInt } from '../../emulator/util/rng.js';
import { integerStepDurations } from './activity.js';

export const BLOCK_CODE_PARAMS = {
  blockSize: { value: 16, unit: 'units', source: 'assumption: L ≤ 62, the largest synaptic delay (NETWORK_LIMITS.maxDelay); torchhd uses 64' },
  weight: { value: 100, unit: 'weight mantissa', source: 'derived: one input gives u = 6,400 < vth·64 = 9,600 < two inputs' },
  vth: { value: 150, unit: 'mantissa (× 2^6)', source: 'derived, see weight' },
  refractory: { value: 63, unit: 'steps', source: 'Loihi 1 maximum (6-bit counter): one spike per binding' },
} as const;

export interface BlockBindOptions {
  /** Blocks per vector. */
  blocks: number;
  /** Units per block (2..62). */
  blockSize: number;
  /** Independent (a, b) pairs bound side by side in one network run. */
  pairs: number;
  seed: number;
  arch: Arch;
}

export interface BlockBindResult {
  blocks: number;
  blockSize: number;
  pairs: number;
  /** Blocks (over all pairs) whose output index equals (a + b) mod L. */
  correctBlocks: number;
  /** Blocks that fired exactly one output spike. */
  oneSpikeBlocks: number;
  totalBlocks: number;
  a: Int32Array;
  b: Int32Array;
  bound: Int32Array;
  steps: number;
  compartments: number;
  activity: ActivityCounts;
  denseTask: DenseTaskSpec;
  coresUsed: number;
}

/** Bind random block codes on the spiking cores; the inputs come from the counter-based RNG. */
export function runBlockBind(o: BlockBindOptions): BlockBindResult {
  const L = o.blockSize;
  const B = o.blocks * o.pairs;
  const P = BLOCK_CODE_PARAMS;
  const a = new Int32Array(B);
  const b = new Int32Array(B);
  for (let k = 0; k < B; k++) {
    a[k] = randInt(o.seed, RNG_BLOCK.hdc, 1 << 22, k, 0, L - 1);
    b[k] = randInt(o.seed, RNG_BLOCK.hdc, (1 << 22) + 1, k, 0, L - 1);
  }
  const nb = new NetworkBuilder({ name: 'hdc-block-bind', seed: o.seed });
  nb.spikeSource('a', B, Array.from(a, (i) => [1 + i]));
  const bSpikes: number[][] = [];
  for (let k = 0; k < B; k++) for (let j = 0; j < L; j++) bSpikes.push(j === b[k] ? [1] : []);
  nb.spikeSource('b', B * L, bSpikes);
  nb.lif('gate', B * L, { du: 0, dv: 4095, vth: P.vth.value, refractory: P.refractory.value });
  nb.lif('out', B, { du: 4095, dv: 4095, vth: P.vth.value, refractory: P.refractory.value });
  const delayLines: number[][] = [];
  const place: number[][] = [];
  const or: number[][] = [];
  for (let k = 0; k < B; k++) {
    for (let j = 0; j < L; j++) {
      delayLines.push([k, k * L + j, P.weight.value, j]);
      place.push([k * L + j, k * L + j, P.weight.value]);
      or.push([k * L + j, k, 2 * P.weight.value]);
    }
  }
  nb.project('a', 'gate', { name: 'delay_lines', synapses: delayLines });
  nb.project('b', 'gate', { name: 'place', synapses: place });
  nb.project('gate', 'out', { name: 'or', synapses: or });
  const sim = prepare(nb.build(), o.arch, { source: 'model hdc (block code)' });
  const steps = 3 + 2 * (L - 1) + 1;
  sim.emulator.addProbe({ population: 'out', variable: 'spikes' }, steps);
  sim.emulator.run(steps);
  const probe = sim.emulator.probeData()[0];
  const bound = new Int32Array(B).fill(-1);
  const spikesPerBlock = new Int32Array(B);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < B; k++) {
      if (probe.values[t * B + k]) {
        if (bound[k] < 0) bound[k] = (t + 1 - 3) % L; // probe row t is step t + 1
        spikesPerBlock[k]++;
      }
    }
  }
  let correct = 0;
  let one = 0;
  for (let k = 0; k < B; k++) {
    if (bound[k] === (a[k] + b[k]) % L) correct++;
    if (spikesPerBlock[k] === 1) one++;
  }
  const activity = integerStepDurations(sim.emulator.activity());
  return {
    blocks: o.blocks,
    blockSize: L,
    pairs: o.pairs,
    correctBlocks: correct,
    oneSpikeBlocks: one,
    totalBlocks: B,
    a,
    b,
    bound,
    steps,
    compartments: sim.net.totalCompartments,
    activity,
    denseTask: {
      name: 'dense block-code binding',
      description: `${B} block indices added mod ${L} (one int8 add each; 2 index bytes read, 1 written per block)`,
      macs: B,
      bytes: 3 * B,
      precision: 'int8',
      passes: 1,
    },
    coresUsed: activity.hardware.coresUsed,
  };
}
