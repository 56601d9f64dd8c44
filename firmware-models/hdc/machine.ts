/**
 * The in-memory HDC machine: three crossbar blocks of emulator/pim and their digital periphery.
 *
 * 1. Item memory (IM): a BinaryCrossbar in binary mode holding, for every symbol s and every
 *    n-gram position p, the permuted item vector ρ^p(I_s) as one row (n × symbols rows). An n-gram
 *    s_1 … s_n is bound as ρ^(n−1)(I_s1) ⊕ … ⊕ ρ^0(I_sn) by n XOR reads of the array: each read
 *    drives the search lines with the running vector and senses the row through 1-bit sense
 *    amplifiers (xorBind), so bind and permute happen in the array (the first read drives zeros:
 *    a plain row read).
 * 2. Bundler (BU): a TiledMatrix in analog mode, 4-bit signed weights (differential pairs of 4-bit
 *    cells), 1-bit unsigned inputs, an ADC wide enough to resolve every column sum. A bundle of m
 *    sources is formed by writing each source's bipolar count vector (+1 per one, −1 per zero,
 *    clamped to ±15) into a row and driving all written rows with 1: the column currents are the
 *    per-dimension sums, converted by the ADC; more than `rows` sources go in batches whose partial
 *    sums are added digitally (counted). The sign of the sum is the majority; a zero sum takes a
 *    seeded random bit (thresholdSums).
 * 3. Associative memory (AM): a BinaryCrossbar holding one prototype per class; cleanup is a
 *    Hamming search (match-line currents through the ADC).
 * The n-gram counts of one source (a word) are accumulated in D up/down counters in the IM's
 * periphery: one digital add per dimension per n-gram, counted as crossbar.shift_add.
 *
 * Latency of a query is the sum of the operations on its path (they are sequential); energy and
 * counts come from the blocks' CrossbarStats (one shared instance).
 */
import { BinaryCrossbar, CrossbarStats, TiledMatrix, makeCrossbarParams, crossbarCosts, type CrossbarParams, type SearchResult } from '../../emulator/pim/index.js';
import { A_SHIFT_ADD } from '../../emulator/pim/stats.js';
import { hvWords, permuteHv, randomHv, thresholdSums } from './vectors.js';

/** Parameters of the machine, each with unit, default and source. */
export const HDC_PARAMS = {
  dimension: { value: 10_000, unit: 'bit', source: 'Kanerva 2009; Karunaratne et al. 2020 (D = 10,000)' },
  ngram: { value: 3, unit: 'symbols', source: 'trigrams: Joshi, Halseth & Kanerva 2016 language recognition' },
  arrayRows: { value: 256, unit: 'cells', source: 'IM/AM arrays: CrossSim arrays up to 1024×1024; 256×256 assumption' },
  arrayCols: { value: 256, unit: 'cells', source: 'as arrayRows' },
  binaryAdcBits: { value: 8, unit: 'bit', source: 'derived: 2^8 − 1 ≥ 128 bits per 256-column segment, lossless partial Hamming distances' },
  bundlerRows: { value: 128, unit: 'cells', source: 'NeuroSim 128×128 sub-array rows' },
  bundlerCols: { value: 256, unit: 'cells', source: 'assumption: 256 columns = 128 differential weight columns' },
  bundlerCellBits: { value: 4, unit: 'bit', source: 'assumption: 16-level cells (multi-level PCM/RRAM, aihwkit PCM presets)' },
  countClamp: { value: 15, unit: 'count', source: 'derived: 4-bit magnitude of a differential weight' },
  bundlerAdcBits: { value: 11, unit: 'bit', source: 'derived: 2^11 − 1 ≥ 128 rows × 15, lossless column sums' },
} as const;

export interface HdcMachineOptions {
  dimension: number;
  /** Symbols in the alphabet (IM rows per n-gram position). */
  symbols: number;
  /** Classes in the associative memory. */
  classes: number;
  ngram?: number;
  seed: number;
}

/** RNG streams (step field of the hdc block). Item vectors use streams ITEM_STREAM + symbol. */
export const ITEM_STREAM = 0;
export const TIE_STREAM_BASE = 1 << 20;

export class HdcMachine {
  readonly dimension: number;
  readonly words: number;
  readonly symbols: number;
  readonly classes: number;
  readonly ngram: number;
  readonly seed: number;
  readonly stats = new CrossbarStats();
  readonly binaryParams: CrossbarParams;
  readonly bundlerParams: CrossbarParams;
  readonly itemMemory: BinaryCrossbar;
  readonly assocMemory: BinaryCrossbar;
  readonly bundler: TiledMatrix;
  /** Emulated latency of everything run so far on a query's path (ps), reset by the caller. */
  pathPs = 0;
  private readonly zero: Uint32Array;
  private readonly run: Uint32Array;
  private readonly next: Uint32Array;
  private readonly rowBuf: Int32Array;
  private readonly ones: Int32Array;
  private readonly colSums: Int32Array;
  private readonly partial: Int32Array;
  private batchRows = 0;
  private readonly search: SearchResult;
  private readonly addFJ: number;
  private readonly addPs: number;
  private readonly writeRowPs: number;

  constructor(o: HdcMachineOptions) {
    this.dimension = o.dimension;
    this.words = hvWords(o.dimension);
    this.symbols = o.symbols;
    this.classes = o.classes;
    this.ngram = o.ngram ?? HDC_PARAMS.ngram.value;
    this.seed = o.seed;
    this.binaryParams = makeCrossbarParams({ rows: HDC_PARAMS.arrayRows.value, cols: HDC_PARAMS.arrayCols.value, adcBits: HDC_PARAMS.binaryAdcBits.value });
    this.bundlerParams = makeCrossbarParams({
      rows: HDC_PARAMS.bundlerRows.value,
      cols: HDC_PARAMS.bundlerCols.value,
      cellBits: HDC_PARAMS.bundlerCellBits.value,
      weightBits: 4,
      signed: 'differential',
      inputBits: 1,
      signedInputs: false,
      adcBits: HDC_PARAMS.bundlerAdcBits.value,
    });
    this.itemMemory = new BinaryCrossbar(this.binaryParams, { dimension: o.dimension, capacity: this.ngram * o.symbols, seed: o.seed, arrayIdBase: 0, stats: this.stats });
    this.assocMemory = new BinaryCrossbar(this.binaryParams, { dimension: o.dimension, capacity: o.classes, seed: o.seed, arrayIdBase: 1 << 16, stats: this.stats });
    this.bundler = new TiledMatrix(this.bundlerParams, { rows: HDC_PARAMS.bundlerRows.value, cols: o.dimension, seed: o.seed, arrayIdBase: 2 << 16, stats: this.stats });
    // Library note: TiledMatrix.writeRow needs every tile's active block set by program() first
    // (a partial last column tile otherwise rejects the row); program zeros once (counted writes).
    this.bundler.program(new Int32Array(HDC_PARAMS.bundlerRows.value * o.dimension));
    this.zero = new Uint32Array(this.words);
    this.run = new Uint32Array(this.words);
    this.next = new Uint32Array(this.words);
    this.rowBuf = new Int32Array(o.dimension);
    this.ones = new Int32Array(HDC_PARAMS.bundlerRows.value);
    this.colSums = new Int32Array(o.dimension);
    this.partial = new Int32Array(o.dimension);
    this.search = { rows: new Int32Array(o.classes), distances: new Int32Array(o.classes) };
    const bc = crossbarCosts(this.bundlerParams);
    this.addFJ = bc.shiftAdd.energyFJ;
    this.addPs = bc.shiftAdd.latencyPs;
    this.writeRowPs = bc.cellWrite.latencyPs;
    // Item memory: ρ^p(I_s) in row p·symbols + s (p = n−1 … 0 is the position's rotation).
    const item = new Uint32Array(this.words);
    const perm = new Uint32Array(this.words);
    for (let s = 0; s < o.symbols; s++) {
      randomHv(o.dimension, o.seed, ITEM_STREAM + s, item);
      for (let p = 0; p < this.ngram; p++) {
        if (p === 0) this.itemMemory.writeRow(s, item);
        else this.itemMemory.writeRow(p * o.symbols + s, permuteHv(item, o.dimension, p, perm));
      }
    }
  }

  /** Arrays in use by the three blocks. */
  get arrays(): number {
    return this.itemMemory.arrayCount + this.assocMemory.arrayCount + this.bundler.arrayCount;
  }

  /**
   * Accumulate the n-grams of one source (symbol indices) into `counts` (bipolar, D entries):
   * n XOR reads of the IM per n-gram, one periphery add per dimension. Returns the n-grams bound.
   */
  accumulateNgrams(symbols: ArrayLike<number>, length: number, counts: Int32Array): number {
    const n = this.ngram;
    const S = this.symbols;
    const im = this.itemMemory;
    const D = this.dimension;
    let grams = 0;
    for (let i = 0; i + n <= length; i++) {
      // ρ^(n−1)(s_i) ⊕ ρ^(n−2)(s_{i+1}) ⊕ … ⊕ s_{i+n−1}: first read with zeros on the search lines
      im.xorBind(this.zero, (n - 1) * S + symbols[i], this.run);
      for (let k = 1; k < n; k++) {
        im.xorBind(this.run, (n - 1 - k) * S + symbols[i + k], this.next);
        this.run.set(this.next);
      }
      const v = this.run;
      for (let j = 0; j < D; j++) counts[j] += ((v[j >>> 5] >>> (j & 31)) & 1) === 1 ? 1 : -1;
      grams++;
    }
    if (grams > 0) {
      this.stats.add(A_SHIFT_ADD, grams * D, grams * D * this.addFJ);
      this.pathPs += grams * (n * im.bindLatencyPs + this.addPs);
    }
    return grams;
  }

  /** Start a bundle in the bundler (clears the digital partial sums). */
  beginBundle(): void {
    this.batchRows = 0;
    this.partial.fill(0);
  }

  /** Write one source's bipolar counts into the next bundler row (clamped to ±15); flushes a full batch. */
  addToBundle(counts: Int32Array): void {
    const c = HDC_PARAMS.countClamp.value;
    const row = this.rowBuf;
    for (let j = 0; j < this.dimension; j++) {
      const v = counts[j];
      row[j] = v > c ? c : v < -c ? -c : v;
    }
    this.bundler.writeRow(this.batchRows, row);
    this.pathPs += this.writeRowPs;
    this.batchRows++;
    if (this.batchRows === this.bundler.rows) this.flush();
  }

  /** Column sums of the rows written since the last flush, added to the digital partial sums. */
  private flush(): void {
    if (this.batchRows === 0) return;
    this.ones.fill(0);
    for (let r = 0; r < this.batchRows; r++) this.ones[r] = 1;
    this.pathPs += this.bundler.mvm(this.ones, this.colSums);
    const D = this.dimension;
    for (let j = 0; j < D; j++) this.partial[j] += this.colSums[j];
    this.stats.add(A_SHIFT_ADD, D, D * this.addFJ);
    this.stats.partialSumAdds += D;
    this.pathPs += this.addPs;
    this.batchRows = 0;
  }

  /** Finish the bundle: majority (sign of the column sums), ties → seeded random bit of `tieStream`. */
  endBundle(tieStream: number, out: Uint32Array): Uint32Array {
    this.flush();
    this.pathPs += this.addPs; // one compare per dimension, in parallel
    return thresholdSums(this.partial, this.dimension, this.seed, TIE_STREAM_BASE + tieStream, out);
  }

  /** The last bundle's column sums (for tests). */
  get bundleSums(): Int32Array {
    return this.partial;
  }

  storePrototype(cls: number, hv: Uint32Array): void {
    this.assocMemory.writeRow(cls, hv);
  }

  /** Hamming search of the AM: the best class (ties → lower index) and every distance. */
  classify(query: Uint32Array, distances?: Int32Array): number {
    const r = this.assocMemory.hammingSearch(query, this.classes, this.search);
    this.pathPs += this.assocMemory.searchLatencyPs;
    if (distances) for (let i = 0; i < this.classes; i++) distances[r.rows[i]] = r.distances[i];
    return r.rows[0];
  }
}
