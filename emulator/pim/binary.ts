/**
 * Binary crossbar for hyperdimensional computing: an associative memory of `capacity` stored
 * D-bit rows, searched by Hamming distance (cleanup memory) and read out XOR-bound with a query.
 *
 * Device organisation (2T-2R XOR search, as in the in-memory HDC literature): every stored bit r_j
 * is a complementary pair of 1-bit cells, cell a programmed to r_j and cell b to ¬r_j, in adjacent
 * columns 2j and 2j+1 of the stored vector's row. The query drives the search lines: q_j = 1
 * selects cell b, q_j = 0 selects cell a, so the selected cell conducts exactly when q_j ≠ r_j.
 * The row's match line sums the selected cells' currents: its current is the Hamming distance
 * times gMax·V (plus gOff·V per matching bit when the on/off ratio is finite). Each match line is
 * converted by the ADC (shared by `columnsPerAdc` lines) within one array; a row wider than one
 * array (2·D > cols) is split into segments of floor(cols/2) bits on separate arrays whose partial
 * distances are added digitally (counted). Capacity beyond `rows` stacks arrays vertically.
 *
 * xorBind reads one stored row with the query on the search lines and senses every pair with a
 * 1-bit sense amplifier (threshold half of gMax·V): bit j of the result is q_j XOR r_j.
 *
 * Noise, stuck-at faults, programming error, on/off ratio and ADC quantisation/clipping come from
 * the same CellModel/AdcModel as the analog MVM. When none is active and the ADC resolves every
 * distance exactly, a packed-word XOR + SWAR popcount path gives the same results and counts.
 *
 * Not modelled: search-line and match-line parasitics, sense-amplifier offset, digital top-k
 * selection cost (the comparisons that pick the k best rows are not counted).
 */
import { InputError } from '../errors.js';
import { AdcModel, CellModel } from './cells.js';
import { crossbarCosts, type CrossbarCosts } from './converters.js';
import { noNonIdealities, type CrossbarParams } from './params.js';
import { getBit, hammingPacked, lastWordMask, popcount32, wordsFor } from './popcount.js';
import { A_ADC, A_DAC, A_READ, A_SHIFT_ADD, A_WRITE, CrossbarStats } from './stats.js';

export type BinaryPath = 'auto' | 'analog' | 'packed';

export interface BinaryCrossbarOptions {
  /** Bits per stored vector (D). */
  dimension: number;
  /** Number of stored rows. */
  capacity: number;
  seed?: number;
  /** RNG identity of the first array; the others follow (default 0). */
  arrayIdBase?: number;
  stats?: CrossbarStats;
  /** 'auto' (default) takes the packed path whenever it is exact; 'analog'/'packed' force one. */
  path?: BinaryPath;
}

export interface SearchResult {
  /** Row indices, best (smallest distance) first; ties broken by the lower row index. */
  rows: Int32Array;
  /** Their Hamming distances as the array reported them. */
  distances: Int32Array;
}

const SOURCE = '<binary-crossbar>';

export class BinaryCrossbar {
  readonly params: CrossbarParams;
  readonly dimension: number;
  readonly capacity: number;
  readonly words: number;
  /** Bits per segment (one array's width): floor(cols / 2). */
  readonly bitsPerSegment: number;
  readonly segments: number;
  /** Arrays stacked for capacity: ceil(capacity / rows). */
  readonly rowBlocks: number;
  readonly arrayCount: number;
  readonly arrayIdBase: number;
  readonly seed: number;
  readonly stats: CrossbarStats;
  readonly costs: CrossbarCosts;
  readonly cells: CellModel;
  readonly adc: AdcModel;
  /** Stored rows, packed (capacity × words); bits past D are zero. */
  readonly packed: Uint32Array;
  /** Cell conductances (capacity × 2D, µS) when the analog path is in use, else null. */
  readonly conductance: Float64Array | null;
  readonly generation: Uint32Array;
  /** True when searches run on the packed fast path. */
  readonly fastPath: boolean;
  readonly searchLatencyPs: number;
  readonly bindLatencyPs: number;
  opCount = 0;
  private readonly lastMask: number;
  private readonly stuck: Uint8Array | null;
  private readonly readsPerOp: number;
  /** Distances of every row for hammingSearch (allocated once). */
  private readonly scratch: Int32Array;

  constructor(params: CrossbarParams, opts: BinaryCrossbarOptions) {
    const problems = [];
    if (!Number.isInteger(opts.dimension) || opts.dimension < 1 || opts.dimension > 1 << 24) problems.push({ where: 'dimension', message: `${opts.dimension} is not an integer in 1..${1 << 24}` });
    if (!Number.isInteger(opts.capacity) || opts.capacity < 1 || opts.capacity > 1 << 24) problems.push({ where: 'capacity', message: `${opts.capacity} is not an integer in 1..${1 << 24}` });
    if (problems.length) throw new InputError(SOURCE, problems);
    this.params = params;
    this.dimension = opts.dimension;
    this.capacity = opts.capacity;
    this.words = wordsFor(opts.dimension);
    this.lastMask = lastWordMask(opts.dimension);
    this.bitsPerSegment = Math.floor(params.cols / 2);
    this.segments = Math.ceil(this.dimension / this.bitsPerSegment);
    this.rowBlocks = Math.ceil(this.capacity / params.rows);
    this.arrayCount = this.segments * this.rowBlocks;
    this.arrayIdBase = opts.arrayIdBase ?? 0;
    this.seed = opts.seed ?? 1;
    this.stats = opts.stats ?? new CrossbarStats();
    this.costs = crossbarCosts(params);
    this.cells = new CellModel(params, 1, this.seed);
    this.adc = new AdcModel(params.adcBits, this.bitsPerSegment, params.nonIdealities.adcClip);
    const exact = noNonIdealities(params.nonIdealities) && this.adc.lossless;
    const path = opts.path ?? 'auto';
    if (path === 'packed' && !exact) {
      throw new InputError(SOURCE, [{ where: 'path', message: 'the packed path is exact only with every non-ideality off and an ADC that resolves every distance; use auto or analog' }]);
    }
    this.fastPath = path === 'packed' || (path === 'auto' && exact);
    this.packed = new Uint32Array(this.capacity * this.words);
    this.generation = new Uint32Array(this.capacity);
    this.readsPerOp = this.capacity * this.segments + this.dimension;
    this.scratch = new Int32Array(this.capacity);
    if (this.fastPath) {
      this.conductance = null;
      this.stuck = null;
    } else {
      const n = this.capacity * 2 * this.dimension;
      this.conductance = new Float64Array(n);
      this.stuck = this.cells.hasStuck ? new Uint8Array(n) : null;
      for (let row = 0; row < this.capacity; row++) {
        for (let j = 0; j < this.dimension; j++) {
          for (let p = 0; p < 2; p++) {
            const i = row * 2 * this.dimension + 2 * j + p;
            const arrayId = this.arrayIdOf(row, j);
            const cell = this.cellOf(row, j, p);
            const s = this.stuck ? (this.stuck[i] = this.cells.stuckState(arrayId, cell)) : 0;
            // a fresh row stores all zeros: cell a at level 0, cell b at level 1
            this.conductance[i] = this.cells.program(p, s, arrayId, cell, 0, this.cellsPerArray);
          }
        }
      }
    }
    const c = this.costs;
    this.searchLatencyPs = c.readPulsePs + params.columnsPerAdc * c.adc.latencyPs + Math.ceil(Math.log2(this.segments)) * c.shiftAdd.latencyPs;
    this.bindLatencyPs = c.readPulsePs + params.columnsPerAdc * c.sense.latencyPs;
  }

  private get cellsPerArray(): number {
    return this.params.rows * this.params.cols;
  }

  /** RNG identity of the array holding bit j of a stored row. */
  private arrayIdOf(row: number, j: number): number {
    return this.arrayIdBase + Math.floor(row / this.params.rows) * this.segments + Math.floor(j / this.bitsPerSegment);
  }

  /** Index, within its array, of pair cell p of bit j of a stored row. */
  private cellOf(row: number, j: number, p: number): number {
    return (row % this.params.rows) * this.params.cols + 2 * (j % this.bitsPerSegment) + p;
  }

  private checkVector(v: Uint32Array, what: string): void {
    if (v.length !== this.words) throw new InputError(SOURCE, [{ where: what, message: `expected ${this.words} packed words for D = ${this.dimension}, got ${v.length}` }]);
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.capacity) throw new InputError(SOURCE, [{ where: 'row', message: `row ${row} is outside 0..${this.capacity - 1}` }]);
  }

  /** Store a D-bit vector in a row (both cells of every pair are programmed). */
  writeRow(row: number, bits: Uint32Array): void {
    this.checkRow(row);
    this.checkVector(bits, 'bits');
    const off = row * this.words;
    for (let w = 0; w < this.words; w++) this.packed[off + w] = bits[w];
    this.packed[off + this.words - 1] &= this.lastMask;
    const gen = ++this.generation[row];
    if (this.conductance) {
      const base = row * 2 * this.dimension;
      for (let j = 0; j < this.dimension; j++) {
        const b = getBit(bits, j);
        for (let p = 0; p < 2; p++) {
          const i = base + 2 * j + p;
          const s = this.stuck ? this.stuck[i] : 0;
          this.conductance[i] = this.cells.program(p === 0 ? b : 1 - b, s, this.arrayIdOf(row, j), this.cellOf(row, j, p), gen, this.cellsPerArray);
        }
      }
    }
    const cells = 2 * this.dimension;
    const c = this.costs.cellWrite;
    this.stats.add(A_WRITE, cells, cells * c.energyFJ);
    this.stats.busyPs += c.latencyPs;
  }

  /** The stored bits of a row (what was written, not what the devices hold). */
  storedRow(row: number): Uint32Array {
    this.checkRow(row);
    return this.packed.subarray(row * this.words, (row + 1) * this.words);
  }

  /** out = query XOR stored[row], read through the cells and 1-bit sense amplifiers. */
  xorBind(query: Uint32Array, row: number, out: Uint32Array): void {
    this.checkRow(row);
    this.checkVector(query, 'query');
    this.checkVector(out, 'out');
    const p = this.params;
    const op = this.opCount++;
    let selectedG = 0;
    if (!this.conductance) {
      const off = row * this.words;
      let mism = 0;
      for (let w = 0; w < this.words; w++) {
        const v = (query[w] ^ this.packed[off + w]) >>> 0;
        out[w] = v;
      }
      out[this.words - 1] = (out[this.words - 1] & this.lastMask) >>> 0;
      for (let w = 0; w < this.words; w++) mism += popcount32(out[w]);
      selectedG = mism * this.cells.gOn;
    } else {
      const G = this.conductance;
      const base = row * 2 * this.dimension;
      const sigma = this.cells.readSigma;
      const gUnit = this.cells.gUnit;
      out.fill(0);
      for (let j = 0; j < this.dimension; j++) {
        const g = G[base + 2 * j + getBit(query, j)];
        selectedG += g;
        let v = g / gUnit;
        if (sigma > 0) v += sigma * v * this.cells.readNormal(this.arrayIdBase, op, this.readsPerOp, this.capacity * this.segments + j);
        if (v > 0.5) out[j >>> 5] |= 1 << (j & 31);
      }
    }
    const c = this.costs;
    const st = this.stats;
    const D = this.dimension;
    st.add(A_READ, this.segments, selectedG * p.readVoltage * p.readVoltage * 1e-6 * p.readPulseNs * 1e-9 * 1e15);
    st.add(A_DAC, D, D * c.dac.energyFJ);
    st.add(A_ADC, D, D * c.sense.energyFJ);
    st.cellReads += D;
    st.busyPs += this.bindLatencyPs;
  }

  /** Arrays a D-bit × capacity memory needs on these arrays (no allocation): segments × row blocks. */
  static plan(params: CrossbarParams, dimension: number, capacity: number): { segments: number; rowBlocks: number; bitsPerSegment: number; arrays: number } {
    const bitsPerSegment = Math.floor(params.cols / 2);
    const segments = Math.ceil(dimension / bitsPerSegment);
    const rowBlocks = Math.ceil(capacity / params.rows);
    return { segments, rowBlocks, bitsPerSegment, arrays: segments * rowBlocks };
  }

  /**
   * The k stored rows nearest to `query` in Hamming distance, as the array computes them
   * (match-line currents through the ADC, partial distances of segments added digitally).
   */
  hammingSearch(query: Uint32Array, k: number, result?: SearchResult): SearchResult {
    this.checkVector(query, 'query');
    if (!Number.isInteger(k) || k < 1 || k > this.capacity) throw new InputError(SOURCE, [{ where: 'k', message: `k = ${k} is outside 1..${this.capacity}` }]);
    const rows = result && result.rows.length === k ? result.rows : new Int32Array(k);
    const dists = result && result.distances.length === k ? result.distances : new Int32Array(k);
    rows.fill(-1);
    dists.fill(0x7fffffff);
    const all = this.scratch;
    this.distances(query, all);
    for (let r = 0; r < this.capacity; r++) {
      const d = all[r];
      if (d < dists[k - 1]) insertTopK(rows, dists, k, r, d);
    }
    return { rows, distances: dists };
  }

  /**
   * The Hamming distance of `query` to every stored row as the array reports it (one search
   * operation: every match line read and converted, segments added digitally), into out[0..capacity).
   */
  distances(query: Uint32Array, out: Int32Array): void {
    this.checkVector(query, 'query');
    if (out.length < this.capacity) throw new InputError(SOURCE, [{ where: 'out', message: `expected room for ${this.capacity} distances, got ${out.length}` }]);
    const op = this.opCount++;
    let totalSelectedG = 0;
    if (!this.conductance) {
      const words = this.words;
      const m = this.packed;
      const mask = this.lastMask;
      let sumD = 0;
      for (let r = 0; r < this.capacity; r++) {
        const d = hammingPacked(query, m, r * words, words, mask);
        sumD += d;
        out[r] = d;
      }
      totalSelectedG = sumD * this.cells.gOn;
    } else {
      const G = this.conductance;
      const D = this.dimension;
      const bps = this.bitsPerSegment;
      const sigma = this.cells.readSigma;
      const gUnit = this.cells.gUnit;
      const adc = this.adc;
      for (let r = 0; r < this.capacity; r++) {
        const base = r * 2 * D;
        let codes = 0;
        for (let seg = 0; seg < this.segments; seg++) {
          const j0 = seg * bps;
          const j1 = Math.min(D, j0 + bps);
          let sum = 0;
          let sq = 0;
          for (let j = j0; j < j1; j++) {
            const g = G[base + 2 * j + ((query[j >>> 5] >>> (j & 31)) & 1)];
            sum += g;
            sq += g * g;
          }
          totalSelectedG += sum;
          let v = sum / gUnit;
          if (sigma > 0) v += (sigma * Math.sqrt(sq) / gUnit) * this.cells.readNormal(this.arrayIdBase, op, this.readsPerOp, r * this.segments + seg);
          codes += adc.convert(v);
        }
        out[r] = Math.round(codes * adc.lsb);
      }
    }
    const p = this.params;
    const c = this.costs;
    const st = this.stats;
    const conversions = this.capacity * this.segments;
    const adds = this.capacity * (this.segments - 1);
    const lines = this.dimension * this.rowBlocks;
    st.add(A_READ, this.arrayCount, totalSelectedG * p.readVoltage * p.readVoltage * 1e-6 * p.readPulseNs * 1e-9 * 1e15);
    st.add(A_DAC, lines, lines * c.dac.energyFJ);
    st.add(A_ADC, conversions, conversions * c.adc.energyFJ);
    st.add(A_SHIFT_ADD, adds, adds * c.shiftAdd.energyFJ);
    st.partialSumAdds += adds;
    st.cellReads += this.capacity * this.dimension;
    st.busyPs += this.searchLatencyPs;
  }

  /** The exact Hamming distances of `query` to the stored bits (digital reference; not hardware activity). */
  exactDistances(query: Uint32Array, out: Int32Array): void {
    this.checkVector(query, 'query');
    const words = this.words;
    for (let r = 0; r < this.capacity; r++) out[r] = hammingPacked(query, this.packed, r * words, words, this.lastMask);
  }
}

/** Insert (row, d) into the ascending top-k lists (d < dists[k−1]; rows arrive in increasing order, so ties keep the lower row). */
function insertTopK(rows: Int32Array, dists: Int32Array, k: number, row: number, d: number): void {
  let i = k - 1;
  while (i > 0 && dists[i - 1] > d) {
    dists[i] = dists[i - 1];
    rows[i] = rows[i - 1];
    i--;
  }
  dists[i] = d;
  rows[i] = row;
}
