/**
 * A logical weight matrix (rows = inputs × cols = outputs) larger than one array, tiled across
 * crossbar arrays: row tiles of `params.rows` inputs, column tiles of the array's weight columns.
 * Every tile computes its partial product in the analog model; the partial sums of the row tiles
 * are added digitally (counted as crossbar.shift_add and in partialSumAdds). The tiles work in
 * parallel, so an MVM takes the slowest tile plus an adder tree of ceil(log2(rowTiles)) adds.
 */
import { InputError } from '../errors.js';
import { Crossbar } from './crossbar.js';
import { crossbarGeometry, type CrossbarParams } from './params.js';
import { integerMatVec } from './accuracy.js';
import { A_SHIFT_ADD, CrossbarStats } from './stats.js';

export interface TilePlan {
  rowTiles: number;
  colTiles: number;
  arrays: number;
  /** Cells of all arrays (what the conductance state occupies, 8 bytes each). */
  cells: number;
}

export interface TiledMatrixOptions {
  rows: number;
  cols: number;
  seed?: number;
  /** RNG identity of the first array; tile t gets arrayIdBase + t (default 0). */
  arrayIdBase?: number;
  stats?: CrossbarStats;
  /** Keep a digital copy of the weights so exactMvm() can give the reference result (default false). */
  keepExact?: boolean;
}

const SOURCE = '<tiled-matrix>';
const INT32_MAX = 2147483647;

export class TiledMatrix {
  readonly params: CrossbarParams;
  readonly rows: number;
  readonly cols: number;
  readonly plan: TilePlan;
  /** Tiles in row-tile-major order: tiles[rt · colTiles + ct]. */
  readonly tiles: Crossbar[];
  readonly stats: CrossbarStats;
  /** Latency of one tiled MVM (parallel tiles + adder tree), ps. */
  readonly mvmLatencyPs: number;
  private readonly tileRows: number;
  private readonly tileCols: number;
  private readonly rowScratch: Int32Array[];
  /** Digital copy of the programmed weights (keepExact), else null. */
  readonly exactWeights: Int32Array | null;

  /** Arrays a rows × cols matrix needs with these parameters (no state is allocated). */
  static plan(params: CrossbarParams, rows: number, cols: number): TilePlan {
    const wc = crossbarGeometry(params).weightCols;
    const rowTiles = Math.ceil(rows / params.rows);
    const colTiles = Math.ceil(cols / wc);
    const arrays = rowTiles * colTiles;
    return { rowTiles, colTiles, arrays, cells: arrays * params.rows * params.cols };
  }

  constructor(params: CrossbarParams, opts: TiledMatrixOptions) {
    const problems = [];
    if (!Number.isInteger(opts.rows) || opts.rows < 1) problems.push({ where: 'rows', message: `${opts.rows} is not a positive integer` });
    if (!Number.isInteger(opts.cols) || opts.cols < 1) problems.push({ where: 'cols', message: `${opts.cols} is not a positive integer` });
    if (problems.length === 0 && Crossbar.worstCaseOutput(params, opts.rows) > INT32_MAX) {
      problems.push({ where: 'rows', message: `${opts.rows} inputs of ${params.inputBits} bits times ${params.weightBits}-bit weights can exceed a 32-bit output` });
    }
    if (problems.length) throw new InputError(SOURCE, problems);
    this.params = params;
    this.rows = opts.rows;
    this.cols = opts.cols;
    this.plan = TiledMatrix.plan(params, opts.rows, opts.cols);
    this.stats = opts.stats ?? new CrossbarStats();
    this.tileRows = params.rows;
    this.tileCols = crossbarGeometry(params).weightCols;
    const base = opts.arrayIdBase ?? 0;
    this.tiles = [];
    for (let t = 0; t < this.plan.arrays; t++) {
      this.tiles.push(new Crossbar(params, { seed: opts.seed, arrayId: base + t, stats: this.stats }));
    }
    this.exactWeights = opts.keepExact ? new Int32Array(opts.rows * opts.cols) : null;
    this.rowScratch = [];
    for (let ct = 0; ct < this.plan.colTiles; ct++) this.rowScratch.push(new Int32Array(this.colsOf(ct)));
    this.mvmLatencyPs = this.tiles[0].mvmLatencyPs + Math.ceil(Math.log2(this.plan.rowTiles)) * this.tiles[0].costs.shiftAdd.latencyPs;
  }

  get arrayCount(): number {
    return this.plan.arrays;
  }

  private rowsOf(rt: number): number {
    return Math.min(this.tileRows, this.rows - rt * this.tileRows);
  }

  private colsOf(ct: number): number {
    return Math.min(this.tileCols, this.cols - ct * this.tileCols);
  }

  /** Program the whole row-major rows × cols matrix. */
  program(weights: Int32Array): void {
    if (weights.length !== this.rows * this.cols) {
      throw new InputError(SOURCE, [{ where: 'weights', message: `expected ${this.rows}×${this.cols} = ${this.rows * this.cols} weights, got ${weights.length}` }]);
    }
    for (let rt = 0; rt < this.plan.rowTiles; rt++) {
      const nr = this.rowsOf(rt);
      for (let ct = 0; ct < this.plan.colTiles; ct++) {
        const nc = this.colsOf(ct);
        const block = new Int32Array(nr * nc);
        for (let r = 0; r < nr; r++) {
          const src = (rt * this.tileRows + r) * this.cols + ct * this.tileCols;
          block.set(weights.subarray(src, src + nc), r * nc);
        }
        this.tiles[rt * this.plan.colTiles + ct].program(block, nr, nc);
      }
    }
    this.exactWeights?.set(weights);
  }

  /** Re-program one logical row (cols weights) across its column tiles. */
  writeRow(row: number, weights: Int32Array): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) throw new InputError(SOURCE, [{ where: 'row', message: `row ${row} is outside 0..${this.rows - 1}` }]);
    if (weights.length !== this.cols) throw new InputError(SOURCE, [{ where: 'weights', message: `expected ${this.cols} weights, got ${weights.length}` }]);
    const rt = Math.floor(row / this.tileRows);
    for (let ct = 0; ct < this.plan.colTiles; ct++) {
      const s = this.rowScratch[ct];
      const c0 = ct * this.tileCols;
      for (let j = 0; j < s.length; j++) s[j] = weights[c0 + j];
      this.tiles[rt * this.plan.colTiles + ct].writeRow(row - rt * this.tileRows, s);
    }
    this.exactWeights?.set(weights, row * this.cols);
  }

  /** The exact integer product with the programmed weights (needs keepExact; not counted as hardware activity). */
  exactMvm(input: Int32Array, out: Int32Array): void {
    if (!this.exactWeights) throw new Error('TiledMatrix.exactMvm needs the keepExact option');
    if (input.length !== this.rows || out.length !== this.cols) throw new InputError(SOURCE, [{ where: 'input', message: `expected ${this.rows} inputs and ${this.cols} outputs` }]);
    integerMatVec(this.exactWeights, this.cols, input, out);
  }

  /** out = input · W through every tile; returns the latency in ps. */
  mvm(input: Int32Array, out: Int32Array): number {
    if (input.length !== this.rows) throw new InputError(SOURCE, [{ where: 'input', message: `expected ${this.rows} inputs, got ${input.length}` }]);
    if (out.length !== this.cols) throw new InputError(SOURCE, [{ where: 'out', message: `expected ${this.cols} outputs, got ${out.length}` }]);
    const ct = this.plan.colTiles;
    for (let rt = 0; rt < this.plan.rowTiles; rt++) {
      for (let c = 0; c < ct; c++) {
        this.tiles[rt * ct + c].mvm(input, out, rt * this.tileRows, c * this.tileCols, rt > 0);
      }
    }
    const adds = (this.plan.rowTiles - 1) * this.cols;
    if (adds > 0) {
      this.stats.add(A_SHIFT_ADD, adds, adds * this.tiles[0].costs.shiftAdd.energyFJ);
      this.stats.partialSumAdds += adds;
    }
    return this.mvmLatencyPs;
  }
}
