/**
 * NoC counters: what the network did, for the energy layer to price and reports to draw as a mesh
 * heatmap. All cumulative over the run except the `step` latency histogram, which
 * NocModel.resetStepStats() clears. Indexing follows topology.ts (router = gy*meshW+gx,
 * link = router*4 + direction E/W/N/S).
 */

/** Values below this are counted exactly (one bucket per integer). */
const EXACT_LIMIT = 128;
/** Sub-buckets per power of two above EXACT_LIMIT: relative resolution 1/64. */
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
const BUCKETS = EXACT_LIMIT + (53 - 7) * SUB;
/** Buckets of a LatencyHistogram. */
export const HISTOGRAM_BUCKETS = BUCKETS;
/** Words of a LatencyHistogram's `stats`: count, sum, min, max, buckets listed in `used`. */
export const HISTOGRAM_STATS = 5;

/**
 * Where a LatencyHistogram keeps its arrays when they live elsewhere (the analytic model's
 * WebAssembly kernel memory, whose kernel records latencies in place): `buckets` (HISTOGRAM_BUCKETS
 * zeros), `used` (HISTOGRAM_BUCKETS), `stats` (HISTOGRAM_STATS: 0, 0, +Infinity, −Infinity, 0).
 */
export interface HistogramStorage {
  buckets: Float64Array;
  used: Uint16Array;
  stats: Float64Array;
}

/**
 * Latency distribution without per-packet storage: a log-linear histogram (exact below 128,
 * 1/64 relative resolution above), with exact count, min, max and sum.
 * Percentiles return the lower edge of the bucket holding the rank (clamped to [min, max]).
 * clear() zeroes only the buckets used since the last clear (a per-step histogram of a few packets
 * costs a few stores, not a sweep of all buckets). The scalars live in a typed array (`stats`), so
 * the whole histogram can live in another memory (HistogramStorage).
 */
export class LatencyHistogram {
  readonly buckets: Float64Array;
  /** Buckets that went from 0 to non-zero since the last clear (each listed once). */
  private readonly used: Uint16Array;
  /** count, sum, min, max, and how many buckets `used` lists. */
  private readonly stats: Float64Array;

  constructor(storage?: HistogramStorage) {
    this.buckets = storage ? storage.buckets : new Float64Array(BUCKETS);
    this.used = storage ? storage.used : new Uint16Array(BUCKETS);
    this.stats = storage ? storage.stats : new Float64Array(HISTOGRAM_STATS);
    if (this.buckets.length !== BUCKETS || this.used.length !== BUCKETS || this.stats.length !== HISTOGRAM_STATS) {
      throw new RangeError('LatencyHistogram storage has the wrong size');
    }
    if (!storage) this.clear();
  }

  get count(): number {
    return this.stats[0];
  }
  get sum(): number {
    return this.stats[1];
  }
  get min(): number {
    return this.stats[2];
  }
  get max(): number {
    return this.stats[3];
  }

  /** Count `n` samples of value v (default one; integer samples sum exactly either way). */
  add(v: number, n = 1): void {
    const b = bucketOf(v);
    const st = this.stats;
    if (this.buckets[b] === 0) this.used[st[4]++] = b;
    this.buckets[b] += n;
    st[0] += n;
    st[1] += n === 1 ? v : v * n;
    if (v < st[2]) st[2] = v;
    if (v > st[3]) st[3] = v;
  }

  clear(): void {
    const used = this.used;
    const st = this.stats;
    for (let k = 0; k < st[4]; k++) this.buckets[used[k]] = 0;
    st[0] = 0;
    st[1] = 0;
    st[2] = Infinity;
    st[3] = -Infinity;
    st[4] = 0;
  }

  /** Merge another histogram into this one. */
  merge(o: LatencyHistogram): void {
    const st = this.stats;
    for (let i = 0; i < BUCKETS; i++) {
      if (o.buckets[i] !== 0 && this.buckets[i] === 0) this.used[st[4]++] = i;
      this.buckets[i] += o.buckets[i];
    }
    st[0] += o.count;
    st[1] += o.sum;
    if (o.min < st[2]) st[2] = o.min;
    if (o.max > st[3]) st[3] = o.max;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  /** The q-quantile (0 <= q <= 1); 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let acc = 0;
    for (let i = 0; i < BUCKETS; i++) {
      acc += this.buckets[i];
      if (acc >= rank) return Math.min(this.max, Math.max(this.min, bucketLow(i)));
    }
    return this.max;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p99: 0, max: 0 };
    return { count: this.count, min: this.min, mean: this.mean, p50: this.quantile(0.5), p99: this.quantile(0.99), max: this.max };
  }
}

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** The bucket of value v (exported for the WebAssembly route kernel, which calls it for v >= 2^32). */
export function bucketOf(v: number): number {
  const u = v > 0 ? Math.floor(v) : 0;
  if (u < EXACT_LIMIT) return u;
  if (u < 4294967296) {
    // integer math below 2^32: e = floor(log2 u) >= 7, the sub-bucket is the next SUB_BITS bits
    const e = 31 - Math.clz32(u);
    return EXACT_LIMIT + (e - 7) * SUB + ((u >>> (e - SUB_BITS)) - SUB);
  }
  const e = Math.floor(Math.log2(u));
  const sub = Math.floor(u / 2 ** (e - SUB_BITS)) - SUB;
  const i = EXACT_LIMIT + (e - 7) * SUB + sub;
  return i < BUCKETS ? i : BUCKETS - 1;
}

function bucketLow(i: number): number {
  if (i < EXACT_LIMIT) return i;
  const j = i - EXACT_LIMIT;
  const e = 7 + Math.floor(j / SUB);
  return (SUB + (j % SUB)) * 2 ** (e - SUB_BITS);
}

/**
 * Where a NocCounters keeps its per-router, per-link and per-direction arrays when they live
 * elsewhere (the analytic model's WebAssembly kernel memory: the kernel adds to them in place).
 * Each array must have the length the constructor would give it and hold zeros.
 */
export interface NocCounterStorage {
  linkFlits: Float64Array;
  routerFlits: Float64Array;
  hopsByDir: Float64Array;
  chipHopsByDir: Float64Array;
  latency: HistogramStorage;
  stepLatency: HistogramStorage;
}

/** Counters of one NoC model instance. */
export class NocCounters {
  /** Flits that left each router by each output link (index router*4 + dir). */
  readonly linkFlits: Float64Array;
  /** Flits switched by each router (including injection-to-ejection within a tile). */
  readonly routerFlits: Float64Array;
  /** Link traversals (flits) by direction E, W, N, S, including chip-to-chip links. */
  readonly hopsByDir: Float64Array;
  /** Of hopsByDir, those over chip-to-chip links, by direction. */
  readonly chipHopsByDir: Float64Array;
  /** Packets delivered between cores of the same router (no link traversed). */
  withinTile = 0;
  /** Packets delivered. */
  packets = 0;
  /** Flits injected. */
  flits = 0;
  /** Largest number of flits held in a router's input buffers at once (cycle model; 0 in analytic). */
  readonly peakBufferFlits: Int32Array;
  /** Cycles in which a router held a flit that was ready to move but could not (cycle model). */
  readonly stallCycles: Float64Array;
  /** Packet latency over the whole run (model time unit: ps in createNoc models, cycles in `aerie noc`). */
  readonly latency: LatencyHistogram;
  /** Packet latency of the current step (cleared by resetStepStats). */
  readonly stepLatency: LatencyHistogram;

  constructor(
    readonly routers: number,
    storage?: NocCounterStorage,
  ) {
    this.linkFlits = storage ? storage.linkFlits : new Float64Array(routers * 4);
    this.routerFlits = storage ? storage.routerFlits : new Float64Array(routers);
    this.hopsByDir = storage ? storage.hopsByDir : new Float64Array(4);
    this.chipHopsByDir = storage ? storage.chipHopsByDir : new Float64Array(4);
    this.latency = new LatencyHistogram(storage?.latency);
    this.stepLatency = new LatencyHistogram(storage?.stepLatency);
    if (this.linkFlits.length !== routers * 4 || this.routerFlits.length !== routers || this.hopsByDir.length !== 4 || this.chipHopsByDir.length !== 4) {
      throw new RangeError(`NocCounters storage does not fit ${routers} routers`);
    }
    this.peakBufferFlits = new Int32Array(routers);
    this.stallCycles = new Float64Array(routers);
  }

  /** Chip-to-chip link traversals (all directions). */
  get chipHops(): number {
    return this.chipHopsByDir[0] + this.chipHopsByDir[1] + this.chipHopsByDir[2] + this.chipHopsByDir[3];
  }
  /** Tile (on-chip) link traversals east or west. */
  get tileHopsEW(): number {
    return this.hopsByDir[0] + this.hopsByDir[1] - this.chipHopsByDir[0] - this.chipHopsByDir[1];
  }
  /** Tile (on-chip) link traversals north or south. */
  get tileHopsNS(): number {
    return this.hopsByDir[2] + this.hopsByDir[3] - this.chipHopsByDir[2] - this.chipHopsByDir[3];
  }

  /** Record delivered packets' latency (run and step histograms): `n` packets of latency v (default one). */
  recordLatency(v: number, n = 1): void {
    this.latency.add(v, n);
    this.stepLatency.add(v, n);
  }

  /** A plain-data snapshot (JSON-ready). */
  snapshot(): Record<string, unknown> {
    return {
      packets: this.packets,
      flits: this.flits,
      withinTile: this.withinTile,
      hopsByDir: { E: this.hopsByDir[0], W: this.hopsByDir[1], N: this.hopsByDir[2], S: this.hopsByDir[3] },
      chipHops: this.chipHops,
      tileHopsEW: this.tileHopsEW,
      tileHopsNS: this.tileHopsNS,
      peakBufferFlits: this.peakBufferFlits.reduce((a, b) => (b > a ? b : a), 0),
      stallCycles: this.stallCycles.reduce((a, b) => a + b, 0),
      latency: this.latency.summary(),
      stepLatency: this.stepLatency.summary(),
    };
  }
}
