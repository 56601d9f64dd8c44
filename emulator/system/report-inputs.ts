/**
 * What the energy report needs from a run besides its counts: the dense baseline of the same
 * network, the mesh load for the heatmap, and a sampled spike raster. Kept apart from the step
 * engine: the raster sampler is fed once per step from the run's spike stream (RunStreams.spikes$).
 */
import type { CompiledNetwork } from '../spec/compile.js';
import type { DenseNetworkSpec } from '../energy/dense.js';
import type { MeshLoadInput, SpikeRasterInput } from '../energy/report.js';
import { MAX_RASTER_POINTS } from '../energy/report.js';
import type { Emulator } from './emulator.js';

/** Baseline (a): every weight × every input, every step (Σ over projections of pre × post). */
export function denseNetworkOf(net: CompiledNetwork, steps: number): DenseNetworkSpec {
  let dense = 0;
  let bits = 1;
  for (const p of net.projections) {
    dense += net.populations[p.from].size * net.populations[p.to].size;
    bits = Math.max(bits, p.numWeightBits + (p.signMode === 'mixed' ? 1 : 0));
  }
  let compartments = 0;
  for (const p of net.populations) if (p.kind !== 'spike-source') compartments += p.size;
  return { denseWeights: dense, compartments, steps, weightBits: bits };
}

/** Flits per router and per link of the run (when a NoC model timed it). */
export function meshLoadOf(e: Emulator): MeshLoadInput | undefined {
  const noc = e.noc;
  if (!noc) return undefined;
  const width = e.arch.chipsX * e.arch.tilesX;
  const height = e.arch.chipsY * e.arch.tilesY;
  const n = width * height;
  const c = noc.counters;
  const eastLinks = new Float64Array(n);
  const northLinks = new Float64Array(n);
  // link ids are router * 4 + direction (E 0, W 1, N 2, S 3); a link between (x,y) and (x+1,y)
  // carries the E flits of (x,y) and the W flits of (x+1,y)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const r = y * width + x;
      if (x + 1 < width) eastLinks[r] = c.linkFlits[r * 4] + c.linkFlits[(r + 1) * 4 + 1];
      if (y + 1 < height) northLinks[r] = c.linkFlits[r * 4 + 2] + c.linkFlits[(r + width) * 4 + 3];
    }
  return { width, height, routerFlits: c.routerFlits, eastLinks, northLinks };
}

/**
 * Records the spikes of up to `rows` compartments spread evenly over the network (every
 * population represented in order), up to MAX_RASTER_POINTS points.
 */
export class RasterSampler {
  private readonly rowOf: Int32Array;
  private readonly steps: Uint32Array;
  private readonly ids: Uint32Array;
  private n = 0;
  readonly rows: number;
  readonly groups: { name: string; start: number; count: number }[] = [];

  constructor(
    private readonly emulator: Emulator,
    maxRows = 256,
  ) {
    const net = emulator.net;
    const total = net.totalCompartments;
    const stride = Math.max(1, Math.ceil(total / maxRows));
    this.rowOf = new Int32Array(total).fill(-1);
    let row = 0;
    for (const p of net.populations) {
      const start = row;
      for (let i = 0; i < p.size; i += stride) this.rowOf[p.offset + i] = row++;
      if (row > start) this.groups.push({ name: p.name, start, count: row - start });
    }
    this.rows = row;
    this.steps = new Uint32Array(MAX_RASTER_POINTS);
    this.ids = new Uint32Array(MAX_RASTER_POINTS);
  }

  /** Record one step's spikes (global compartment indices), e.g. from RunStreams.spikes$. */
  recordSpikes(step: number, neurons: Uint32Array): void {
    for (let k = 0; k < neurons.length && this.n < MAX_RASTER_POINTS; k++) {
      const r = this.rowOf[neurons[k]];
      if (r >= 0) {
        this.steps[this.n] = step - 1; // the report counts steps from 0
        this.ids[this.n] = r;
        this.n++;
      }
    }
  }

  raster(): SpikeRasterInput {
    return { steps: this.steps.subarray(0, this.n), ids: this.ids.subarray(0, this.n), rows: this.rows, groups: this.groups };
  }
}
