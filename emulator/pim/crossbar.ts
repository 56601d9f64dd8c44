/**
 * One analog crossbar array (rows × cols cells) computing a signed integer matrix-vector product
 * the way the hardware does: bit-serial inputs through word-line DACs, column currents summed by
 * Kirchhoff's law over the programmed conductances, SAR ADCs shared by `columnsPerAdc` columns,
 * then digital shift-and-add over input cycles and weight slices, and digital subtraction of the
 * negative (differential) or reference column.
 *
 * Array layout (row-major Float64Array `conductance`, µS): logical weight column j, slice s,
 * polarity p sits in physical column (j·slices + s)·pairs + p; in reference-column mode the
 * reference columns (one per slice, storing the offset 2^(weightBits−1)) sit at
 * weightCols·slices + s. Slice s holds bits [s·cellBits, (s+1)·cellBits) of the weight magnitude
 * (differential) or of the offset-binary weight w + 2^(weightBits−1) (reference column).
 *
 * Inputs are two's complement: the inputBits−1 low bits are applied dacBits per cycle (digit k
 * weighted 2^(k·dacBits)); one last cycle applies the sign bit as code 1 on the rows of negative
 * inputs and its partial sum is subtracted with weight 2^(inputBits−1). Unsigned inputs
 * (signedInputs: false, e.g. spikes with inputBits 1) skip the sign cycle.
 *
 * Read noise is Gaussian per cell and pulse (sigma × G × V); the sum over a column of independent
 * Gaussians is drawn as one Gaussian per column and pulse with the exact variance Σ(σ·d·G)², which
 * has the same distribution as drawing every cell.
 *
 * Not modelled: IR drop on word/bit lines, drift, sneak paths, ADC offset/gain mismatch, temperature.
 */
import { InputError } from '../errors.js';
import { AdcModel, CellModel } from './cells.js';
import { crossbarCosts, type CrossbarCosts } from './converters.js';
import { crossbarGeometry, type CrossbarGeometry, type CrossbarParams } from './params.js';
import { A_ADC, A_DAC, A_READ, A_SHIFT_ADD, A_WRITE, CrossbarStats } from './stats.js';

export interface CrossbarOptions {
  /** Seed of every random draw of this array (default 1). */
  seed?: number;
  /** Identity of the array in RNG keys (the mapper gives each array its own; default 0). */
  arrayId?: number;
  /** Shared counters (default: a fresh CrossbarStats). */
  stats?: CrossbarStats;
}

const SOURCE = '<crossbar>';

export class Crossbar {
  readonly params: CrossbarParams;
  readonly geometry: CrossbarGeometry;
  readonly costs: CrossbarCosts;
  readonly stats: CrossbarStats;
  readonly arrayId: number;
  readonly seed: number;
  readonly cells: CellModel;
  readonly adc: AdcModel;
  /** Programmed conductance per physical cell, µS, row-major rows × cols. */
  readonly conductance: Float64Array;
  /** Stuck-at state per cell (STUCK_*), or null when no cell can be stuck. */
  readonly stuck: Uint8Array | null;
  /** Times each row has been written (keys the programming error of each write). */
  readonly generation: Uint32Array;
  /** Σ conductance over each row's cells (for the read energy). */
  private readonly rowG: Float64Array;
  /** Rows and logical weight columns in use (set by program()). */
  activeRows: number;
  activeCols: number;
  /** Reads done so far (keys the read noise). */
  opCount = 0;
  /** Latency of one MVM, integer ps. */
  readonly mvmLatencyPs: number;

  // scratch, allocated once
  private readonly colAcc: Float64Array;
  private readonly colVar: Float64Array;
  private readonly codeAcc: Float64Array;
  private readonly driveRow: Int32Array;
  private readonly driveCode: Int32Array;

  constructor(params: CrossbarParams, opts: CrossbarOptions = {}) {
    this.params = params;
    this.geometry = crossbarGeometry(params);
    this.costs = crossbarCosts(params);
    this.stats = opts.stats ?? new CrossbarStats();
    this.arrayId = opts.arrayId ?? 0;
    this.seed = opts.seed ?? 1;
    const g = this.geometry;
    this.cells = new CellModel(params, g.levelMax, this.seed);
    this.adc = new AdcModel(params.adcBits, params.rows * g.levelMax * g.dacMax, params.nonIdealities.adcClip);
    const n = params.rows * params.cols;
    this.conductance = new Float64Array(n);
    this.generation = new Uint32Array(params.rows);
    this.rowG = new Float64Array(params.rows);
    this.stuck = this.cells.hasStuck ? new Uint8Array(n) : null;
    for (let i = 0; i < n; i++) {
      const s = this.stuck ? (this.stuck[i] = this.cells.stuckState(this.arrayId, i)) : 0;
      this.conductance[i] = this.cells.program(0, s, this.arrayId, i, 0, n);
    }
    for (let r = 0; r < params.rows; r++) this.updateRowG(r);
    this.activeRows = params.rows;
    this.activeCols = g.weightCols;
    this.colAcc = new Float64Array(params.cols);
    this.colVar = new Float64Array(params.cols);
    this.codeAcc = new Float64Array(params.cols);
    this.driveRow = new Int32Array(params.rows);
    this.driveCode = new Int32Array(params.rows);
    const c = this.costs;
    this.mvmLatencyPs = g.cycles * (c.readPulsePs + c.dac.latencyPs + params.columnsPerAdc * c.adc.latencyPs) + c.shiftAdd.latencyPs;
  }

  /** Logical weight rows and columns one array holds. */
  get weightRows(): number {
    return this.params.rows;
  }
  get weightCols(): number {
    return this.geometry.weightCols;
  }

  /** True when the array reproduces the integer product exactly (no non-ideality, lossless ADC). */
  get ideal(): boolean {
    const n = this.params.nonIdealities;
    return this.adc.lossless && n.programmingError === null && n.readNoise === null && n.stuckAt === null && n.onOffRatio === null;
  }

  /**
   * Program a row-major nRows × nCols weight block (the rest of the array stays unused), counting
   * every programmed cell as a write.
   */
  program(weights: Int32Array, nRows = this.params.rows, nCols = this.geometry.weightCols): void {
    const g = this.geometry;
    if (!Number.isInteger(nRows) || nRows < 1 || nRows > this.params.rows) throw new InputError(SOURCE, [{ where: 'rows', message: `${nRows} rows do not fit the array's ${this.params.rows}` }]);
    if (!Number.isInteger(nCols) || nCols < 1 || nCols > g.weightCols) throw new InputError(SOURCE, [{ where: 'cols', message: `${nCols} weight columns do not fit the array's ${g.weightCols}` }]);
    if (weights.length !== nRows * nCols) throw new InputError(SOURCE, [{ where: 'weights', message: `expected ${nRows}×${nCols} = ${nRows * nCols} weights, got ${weights.length}` }]);
    this.checkWeights(weights, 0, weights.length, nCols);
    this.activeRows = nRows;
    this.activeCols = nCols;
    for (let r = 0; r < nRows; r++) {
      this.programRow(r, weights, r * nCols, true);
    }
  }

  /** Re-program one logical row of the active block with nCols (= activeCols) weights. */
  writeRow(row: number, weights: Int32Array): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.activeRows) throw new InputError(SOURCE, [{ where: 'row', message: `row ${row} is outside 0..${this.activeRows - 1}` }]);
    if (weights.length !== this.activeCols) throw new InputError(SOURCE, [{ where: 'weights', message: `expected ${this.activeCols} weights, got ${weights.length}` }]);
    this.checkWeights(weights, 0, weights.length, this.activeCols);
    this.programRow(row, weights, 0, false);
  }

  private checkWeights(w: Int32Array, from: number, to: number, nCols: number): void {
    const g = this.geometry;
    const problems = [];
    for (let i = from; i < to && problems.length < 10; i++) {
      if (w[i] < g.weightMin || w[i] > g.weightMax) {
        problems.push({ where: `weights[${Math.floor(i / nCols)}][${i % nCols}]`, message: `${w[i]} is outside the ${this.params.signed} range ${g.weightMin}..${g.weightMax} of ${this.params.weightBits}-bit weights` });
      }
    }
    if (problems.length) throw new InputError(SOURCE, problems);
  }

  private programRow(r: number, weights: Int32Array, off: number, withReference: boolean): void {
    const p = this.params;
    const g = this.geometry;
    const cols = p.cols;
    const n = p.rows * cols;
    const gen = ++this.generation[r];
    const base = r * cols;
    const cb = p.cellBits;
    const diff = g.pairs === 2;
    for (let j = 0; j < this.activeCols; j++) {
      const w = weights[off + j];
      const mag = diff ? (w < 0 ? -w : w) : w + g.weightOffset;
      for (let s = 0; s < g.slices; s++) {
        const digit = Math.floor(mag / 2 ** (s * cb)) & g.levelMax;
        const c0 = base + (j * g.slices + s) * g.pairs;
        if (diff) {
          this.setCell(c0, w > 0 ? digit : 0, gen, n);
          this.setCell(c0 + 1, w < 0 ? digit : 0, gen, n);
        } else {
          this.setCell(c0, digit, gen, n);
        }
      }
    }
    let cells = this.activeCols * g.colsPerWeight;
    if (withReference && g.refCols > 0) {
      const refStart = base + g.weightCols * g.colsPerWeight;
      for (let s = 0; s < g.slices; s++) {
        this.setCell(refStart + s, Math.floor(g.weightOffset / 2 ** (s * cb)) & g.levelMax, gen, n);
      }
      cells += g.refCols;
    }
    this.updateRowG(r);
    const c = this.costs.cellWrite;
    this.stats.add(A_WRITE, cells, cells * c.energyFJ);
    this.stats.busyPs += c.latencyPs;
  }

  private setCell(i: number, level: number, gen: number, n: number): void {
    const s = this.stuck ? this.stuck[i] : 0;
    this.conductance[i] = this.cells.program(level, s, this.arrayId, i, gen, n);
  }

  private updateRowG(r: number): void {
    const cols = this.params.cols;
    let sum = 0;
    for (let c = r * cols, e = c + cols; c < e; c++) sum += this.conductance[c];
    this.rowG[r] = sum;
  }

  /**
   * out[outOffset + j] (+)= Σ_r input[inOffset + r] · W[r][j] for the active block, through the
   * analog model. With `accumulate` the result is added to `out` (tiling adds partial sums).
   * Returns the latency of the operation in ps.
   */
  mvm(input: Int32Array, out: Int32Array, inOffset = 0, outOffset = 0, accumulate = false): number {
    const p = this.params;
    const g = this.geometry;
    const rowsIn = this.activeRows;
    const nOut = this.activeCols;
    if (inOffset < 0 || inOffset + rowsIn > input.length) throw new InputError(SOURCE, [{ where: 'input', message: `needs ${rowsIn} inputs from offset ${inOffset}, got length ${input.length}` }]);
    if (outOffset < 0 || outOffset + nOut > out.length) throw new InputError(SOURCE, [{ where: 'out', message: `needs ${nOut} outputs from offset ${outOffset}, got length ${out.length}` }]);
    for (let r = 0; r < rowsIn; r++) {
      const x = input[inOffset + r];
      if (x < g.inputMin || x > g.inputMax) throw new InputError(SOURCE, [{ where: `input[${inOffset + r}]`, message: `${x} is outside the ${p.inputBits}-bit input range ${g.inputMin}..${g.inputMax}` }]);
    }
    const cols = p.cols;
    const G = this.conductance;
    const colAcc = this.colAcc;
    const colVar = this.colVar;
    const codeAcc = this.codeAcc;
    const driveRow = this.driveRow;
    const driveCode = this.driveCode;
    const adc = this.adc;
    const gUnit = this.cells.gUnit;
    const sigma = this.cells.readSigma;
    const noisy = sigma > 0;
    const usedPhys = nOut * g.colsPerWeight;
    const refStart = g.weightCols * g.colsPerWeight;
    const physEnd = g.refCols > 0 ? refStart + g.refCols : usedPhys;
    const lowMask = 2 ** g.magnitudeBits - 1;
    const op = this.opCount++;
    const readsPerOp = g.cycles * cols;
    codeAcc.fill(0, 0, physEnd);
    let energyUnits = 0; // Σ code² · rowG over driven rows and cycles
    let driven = 0;

    for (let cyc = 0; cyc < g.cycles; cyc++) {
      const sign = cyc === g.lowCycles; // only reached with signed inputs
      const shift = cyc * p.dacBits;
      const cycleWeight = sign ? -(2 ** (p.inputBits - 1)) : 2 ** shift;
      let nd = 0;
      for (let r = 0; r < rowsIn; r++) {
        const x = input[inOffset + r];
        const d = sign ? (x < 0 ? 1 : 0) : ((x & lowMask) >>> shift) & g.dacMax;
        if (d !== 0) {
          driveRow[nd] = r;
          driveCode[nd] = d;
          nd++;
        }
      }
      if (nd === 0) continue; // every column current is zero: the ADCs read code 0
      driven += nd;
      colAcc.fill(0, 0, physEnd);
      if (noisy) colVar.fill(0, 0, physEnd);
      for (let k = 0; k < nd; k++) {
        const r = driveRow[k];
        const d = driveCode[k];
        energyUnits += d * d * this.rowG[r];
        const base = r * cols;
        if (noisy) {
          for (let c = 0; c < physEnd; c++) {
            const i = d * G[base + c];
            colAcc[c] += i;
            colVar[c] += i * i;
          }
        } else if (d === 1) {
          // unrolled by 4: V8 keeps the four independent adds in flight (about 1.6× faster)
          let c = 0;
          for (; c + 3 < physEnd; c += 4) {
            colAcc[c] += G[base + c];
            colAcc[c + 1] += G[base + c + 1];
            colAcc[c + 2] += G[base + c + 2];
            colAcc[c + 3] += G[base + c + 3];
          }
          for (; c < physEnd; c++) colAcc[c] += G[base + c];
        } else {
          let c = 0;
          for (; c + 3 < physEnd; c += 4) {
            colAcc[c] += d * G[base + c];
            colAcc[c + 1] += d * G[base + c + 1];
            colAcc[c + 2] += d * G[base + c + 2];
            colAcc[c + 3] += d * G[base + c + 3];
          }
          for (; c < physEnd; c++) colAcc[c] += d * G[base + c];
        }
      }
      for (let c = 0; c < physEnd; c++) {
        if (c >= usedPhys && c < refStart) continue;
        let v = colAcc[c] / gUnit;
        if (noisy) v += (sigma * Math.sqrt(colVar[c]) / gUnit) * this.cells.readNormal(this.arrayId, op, readsPerOp, cyc * cols + c);
        codeAcc[c] += adc.convert(v) * cycleWeight;
      }
    }

    // digital shift-and-add over slices, then subtract the negative / reference column
    const cb = p.cellBits;
    let ref = 0;
    if (g.refCols > 0) for (let s = 0; s < g.slices; s++) ref += codeAcc[refStart + s] * 2 ** (s * cb);
    const lsb = adc.lsb;
    for (let j = 0; j < nOut; j++) {
      let pos = 0;
      let neg = 0;
      for (let s = 0; s < g.slices; s++) {
        const c = (j * g.slices + s) * g.pairs;
        const scale = 2 ** (s * cb);
        pos += codeAcc[c] * scale;
        if (g.pairs === 2) neg += codeAcc[c + 1] * scale;
      }
      const y = Math.round(lsb * (g.pairs === 2 ? pos - neg : pos - ref));
      out[outOffset + j] = accumulate ? out[outOffset + j] + y : y;
    }

    // accounting
    const c = this.costs;
    const st = this.stats;
    const vStep = p.readVoltage / g.dacMax;
    const readFJ = energyUnits * vStep * vStep * 1e-6 * p.readPulseNs * 1e-9 * 1e15;
    const conversions = g.cycles * (usedPhys + g.refCols);
    const dacs = g.cycles * rowsIn;
    const shiftAdds = conversions + nOut;
    st.add(A_READ, 1, readFJ);
    st.add(A_DAC, dacs, dacs * c.dac.energyFJ);
    st.add(A_ADC, conversions, conversions * c.adc.energyFJ);
    st.add(A_SHIFT_ADD, shiftAdds, shiftAdds * c.shiftAdd.energyFJ);
    st.cellReads += driven * cols;
    st.busyPs += this.mvmLatencyPs;
    return this.mvmLatencyPs;
  }

  /** Worst-case |output| of one MVM over the active rows (for overflow checks by callers). */
  static worstCaseOutput(params: CrossbarParams, rows: number): number {
    const g = crossbarGeometry(params);
    return rows * Math.max(-g.weightMin, g.weightMax) * Math.max(-g.inputMin, g.inputMax);
  }
}
