/**
 * How far the crossbar's results are from the exact digital ones (issue 5, item 4): mean and
 * largest absolute error of MVM outputs, bit-error rate of XOR binding, top-1 agreement of
 * searches. The meters only accumulate numbers; they allocate nothing per sample.
 */
import { popcount32 } from './popcount.js';

/** y = x · W over integers (W row-major rows × cols), the digital reference of an MVM. */
export function integerMatVec(weights: Int32Array, cols: number, input: Int32Array, out: Int32Array): void {
  out.fill(0, 0, cols);
  const rows = input.length;
  for (let r = 0; r < rows; r++) {
    const x = input[r];
    if (x === 0) continue;
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c] += x * weights[o + c];
  }
}

export interface MvmAccuracy {
  /** Output values compared. */
  samples: number;
  meanAbsError: number;
  maxAbsError: number;
  /** Σ|error| / Σ|exact| (0 when the exact outputs are all zero). */
  relativeError: number;
}

/** Accumulates the error of crossbar MVM outputs against the exact products. */
export class MvmAccuracyMeter {
  private samples = 0;
  private sumAbs = 0;
  private maxAbs = 0;
  private sumExact = 0;

  add(approx: Int32Array, exact: Int32Array, n = exact.length): void {
    for (let i = 0; i < n; i++) {
      const e = Math.abs(approx[i] - exact[i]);
      this.sumAbs += e;
      if (e > this.maxAbs) this.maxAbs = e;
      this.sumExact += Math.abs(exact[i]);
    }
    this.samples += n;
  }

  snapshot(): MvmAccuracy {
    return {
      samples: this.samples,
      meanAbsError: this.samples ? this.sumAbs / this.samples : 0,
      maxAbsError: this.maxAbs,
      relativeError: this.sumExact ? this.sumAbs / this.sumExact : 0,
    };
  }
}

export interface BinaryAccuracy {
  bitsCompared: number;
  bitErrors: number;
  bitErrorRate: number;
  searches: number;
  top1Agreements: number;
  top1Agreement: number;
}

/** Bit-error rate of binary reads and top-1 agreement of searches against the exact answers. */
export class BinaryAccuracyMeter {
  private bits = 0;
  private errors = 0;
  private searches = 0;
  private agree = 0;

  /** Compare the first `dimension` bits of two packed vectors. */
  addBits(approx: Uint32Array, exact: Uint32Array, dimension: number): void {
    const full = dimension >>> 5;
    for (let w = 0; w < full; w++) this.errors += popcount32(approx[w] ^ exact[w]);
    const rest = dimension & 31;
    if (rest) this.errors += popcount32((approx[full] ^ exact[full]) & ((1 << rest) - 1));
    this.bits += dimension;
  }

  /**
   * Count `errors` wrong comparisons out of `bits` (a Hamming search reports only each row's sum, so
   * a caller counts Σ|reported − exact distance|: the fewest cell comparisons read wrong that explain it).
   */
  addBitErrors(errors: number, bits: number): void {
    this.errors += errors;
    this.bits += bits;
  }

  addSearch(approxRow: number, exactRow: number): void {
    this.searches++;
    if (approxRow === exactRow) this.agree++;
  }

  snapshot(): BinaryAccuracy {
    return {
      bitsCompared: this.bits,
      bitErrors: this.errors,
      bitErrorRate: this.bits ? this.errors / this.bits : 0,
      searches: this.searches,
      top1Agreements: this.agree,
      top1Agreement: this.searches ? this.agree / this.searches : 0,
    };
  }
}

