/**
 * The analytic NoC model's step routing in WebAssembly (route.wat beside this file, built by
 * `npm run build`, tools/build-wasm.ts; nothing binary is committed). The TypeScript routeStep of
 * emulator/noc/models.ts stays the reference: test/noc/route-wasm.test.ts checks that both agree bit
 * for bit on every output.
 *
 * One WebAssembly.Memory per model, sized once at construction and never grown (JavaScript holds
 * typed-array views into it, which growth would detach). It holds the step's packet columns (a fixed
 * capacity), the pair table and per-pair scratch, the AnalyticNetwork state (loads, waits, the lists
 * of resources used in the window), the path cache, the link tables and the NocCounters arrays
 * (the counters' views: readers see the kernel's sums directly).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledKernel } from '../../core/kernels/index.js';
import { PATH_CACHE_ROUTERS, PATH_CACHE_WORDS, pathScratchWords, walkRoute } from '../analytic.js';
import type { CycleConfig } from '../cycle.js';
import { bucketOf, HISTOGRAM_BUCKETS, HISTOGRAM_STATS, type HistogramStorage, type NocCounterStorage } from '../counters.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where the built route kernel lives (next to the compiled module, or next to the source). */
export function routeKernelPath(): string {
  return path.join(HERE, 'route.wasm');
}

/** The compiled route kernel, or null when it was not built (the TypeScript routeStep runs then). */
export function routeModuleOrNull(): WebAssembly.Module | null {
  return compiledKernel(routeKernelPath());
}

/** Packets per step the kernel's packet columns hold by default; a larger step runs the TypeScript routeStep. */
export const ROUTE_KERNEL_PACKETS = 4096;

/** Sizing of a route kernel (both optional; tests shrink them to reach the fallbacks). */
export interface RouteKernelOptions {
  /** Packets per step the kernel routes (default ROUTE_KERNEL_PACKETS). */
  packets?: number;
  /** Words of the path cache after its scratch record (default: every minimal path of the mesh, at most PATH_CACHE_WORDS). */
  pathCacheWords?: number;
}

type RouteStepFn = (n: number, windowPs: number) => number;

// descriptor: i32 word indices (route.wat lists them) and the f64 block at byte 256
const D_WORDS = 44;
const D_F64 = 256;
const DESCRIPTOR_BYTES = 320;

/**
 * One model's kernel instance and the views into its memory. The step glue (models.ts) copies the
 * batch columns into src/dst/inject, the counters' scalars into `scalars`, calls routeStep, and
 * copies arrive/hops and the scalars back; the kernel adds to the counters' arrays and histograms
 * in place.
 */
export class RouteKernel {
  readonly memory: WebAssembly.Memory;
  /** Packets per step the columns hold. */
  readonly capacity: number;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly inject: Float64Array;
  readonly arrive: Float64Array;
  readonly hops: Uint16Array;
  /** The NocCounters scalars while the kernel runs: flits, packets, withinTile. */
  readonly scalars: Float64Array;
  /** The NocCounters arrays (views into the kernel memory). */
  readonly counterStorage: NocCounterStorage;
  /** The last window's state as AnalyticNetwork holds it (load, portLoad, wait, injWait), for inspection and tests. */
  readonly window: { load: Float64Array; portLoad: Float64Array; wait: Float64Array; injWait: Float64Array };
  /** Path records (word offsets; scratch record at 0), and the cache index by src·R + dst (null beyond PATH_CACHE_ROUTERS routers). */
  readonly pathData: Int32Array;
  readonly pathAt: Int32Array | null;
  private pathEnd: number;
  private readonly run: RouteStepFn;
  private readonly abandonFn: () => void;
  /** The kernel's Math.round emulation and histogram bucket (exported for tests). */
  readonly round: (x: number) => number;
  readonly bucket: (v: number) => number;

  constructor(mod: WebAssembly.Module, cfg: CycleConfig, routerOf: Int32Array, unit: number, flits: number, opts: RouteKernelOptions = {}) {
    const R = cfg.width * cfg.height;
    const cap = Math.max(1, Math.floor(opts.packets ?? ROUTE_KERNEL_PACKETS));
    let tableSize = 1;
    while (tableSize < 2 * cap) tableSize *= 2;
    const cached = R <= PATH_CACHE_ROUTERS;
    const scratch = pathScratchWords(R);
    // every minimal path: 1 + 3(H + 1) words with H <= width + height − 2
    const allPaths = R * R * (1 + 3 * (cfg.width + cfg.height - 1));
    const cacheWords = cached ? Math.max(0, Math.floor(opts.pathCacheWords ?? Math.min(PATH_CACHE_WORDS, allPaths))) : 0;
    // bump allocation, 8-byte aligned; `at` lists the arrays in descriptor order (route.wat words 6..43)
    let top = DESCRIPTOR_BYTES;
    const take = (bytes: number): number => {
      const at = top;
      top += Math.ceil(bytes / 8) * 8;
      return at;
    };
    const at = {
      routerOf: take(4 * routerOf.length),
      src: take(4 * cap),
      dst: take(4 * cap),
      inject: take(8 * cap),
      arrive: take(8 * cap),
      hops: take(2 * cap),
      table: take(4 * tableSize),
      pSrc: take(4 * cap),
      pDst: take(4 * cap),
      pN: take(4 * cap),
      pLat: take(8 * cap),
      pHops: take(4 * cap),
      pktPair: take(4 * cap),
      load: take(8 * 6 * R),
      portLoad: take(8 * 25 * R),
      wait: take(8 * 25 * R),
      injWait: take(8 * R),
      outUsed: take(4 * 5 * R),
      outMark: take(5 * R),
      injUsed: take(4 * R),
      injMark: take(R),
      loadUsed: take(4 * 6 * R),
      loadMark: take(6 * R),
      pathAt: take(cached ? 4 * R * R : 0),
      pathData: take(4 * (scratch + cacheWords)),
      linkKind: take(4 * R),
      linkDelay: take(4 * 4 * R),
      linkFlits: take(8 * 4 * R),
      routerFlits: take(8 * R),
      hopsByDir: take(8 * 4),
      chipHopsByDir: take(8 * 4),
      scalars: take(8 * 3),
      hRun: take(8 * HISTOGRAM_BUCKETS),
      hRunUsed: take(2 * HISTOGRAM_BUCKETS),
      hRunStats: take(8 * HISTOGRAM_STATS),
      hStep: take(8 * HISTOGRAM_BUCKETS),
      hStepUsed: take(2 * HISTOGRAM_BUCKETS),
      hStepStats: take(8 * HISTOGRAM_STATS),
    };
    const pages = Math.ceil(top / 65536);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const buf = this.memory.buffer;
    const d = new Int32Array(buf, 0, D_WORDS);
    d.set([R, routerOf.length, flits, cap, tableSize - 1, cached ? 1 : 0]);
    d.set(Object.values(at), 6);
    new Float64Array(buf, D_F64, 5).set([unit, cfg.rcDelay + cfg.vaDelay + cfg.saDelay + cfg.stDelay, cfg.injectDelay, cfg.ejectDelay, flits]);
    new Int32Array(buf, at.routerOf, routerOf.length).set(routerOf);
    new Int32Array(buf, at.table, tableSize).fill(-1);
    new Int8Array(buf, at.linkKind, 4 * R).set(cfg.linkKind);
    new Int32Array(buf, at.linkDelay, 4 * R).set(cfg.linkDelay);
    this.capacity = cap;
    this.src = new Uint32Array(buf, at.src, cap);
    this.dst = new Uint32Array(buf, at.dst, cap);
    this.inject = new Float64Array(buf, at.inject, cap);
    this.arrive = new Float64Array(buf, at.arrive, cap);
    this.hops = new Uint16Array(buf, at.hops, cap);
    this.scalars = new Float64Array(buf, at.scalars, 3);
    const histogram = (buckets: number, used: number, stats: number): HistogramStorage => ({
      buckets: new Float64Array(buf, buckets, HISTOGRAM_BUCKETS),
      used: new Uint16Array(buf, used, HISTOGRAM_BUCKETS),
      stats: new Float64Array(buf, stats, HISTOGRAM_STATS).fill(0).fill(Infinity, 2, 3).fill(-Infinity, 3, 4),
    });
    this.counterStorage = {
      linkFlits: new Float64Array(buf, at.linkFlits, 4 * R),
      routerFlits: new Float64Array(buf, at.routerFlits, R),
      hopsByDir: new Float64Array(buf, at.hopsByDir, 4),
      chipHopsByDir: new Float64Array(buf, at.chipHopsByDir, 4),
      latency: histogram(at.hRun, at.hRunUsed, at.hRunStats),
      stepLatency: histogram(at.hStep, at.hStepUsed, at.hStepStats),
    };
    this.window = {
      load: new Float64Array(buf, at.load, 6 * R),
      portLoad: new Float64Array(buf, at.portLoad, 25 * R),
      wait: new Float64Array(buf, at.wait, 25 * R),
      injWait: new Float64Array(buf, at.injWait, R),
    };
    this.pathData = new Int32Array(buf, at.pathData, scratch + cacheWords);
    this.pathAt = cached ? new Int32Array(buf, at.pathAt, R * R).fill(-1) : null;
    this.pathEnd = scratch;
    const inst = new WebAssembly.Instance(mod, { env: { memory: this.memory, walk: (s: number, t: number) => this.walk(cfg, R, s, t), bucket: bucketOf } });
    (inst.exports.setup as (d: number) => void)(0);
    this.run = inst.exports.route_step as RouteStepFn;
    this.abandonFn = inst.exports.abandon as () => void;
    this.round = inst.exports.round as (x: number) => number;
    this.bucket = inst.exports.bucket as (v: number) => number;
  }

  /**
   * Route the first n packets of the columns (n <= capacity) in a window of windowPs (0 = derived).
   * Returns the number of router pairs, or −1 − i when packet i is invalid (nothing changed).
   * A routing fault (thrown by the plug-in walk) leaves the kernel ready for the next step.
   */
  routeStep(n: number, windowPs: number): number {
    try {
      return this.run(n, windowPs);
    } catch (e) {
      this.abandonFn();
      throw e;
    }
  }

  /**
   * The kernel's cache miss (AnalyticNetwork.resolve on the kernel's memory): walk the pair's path
   * into the scratch record, keep it when the cache has room, return its word offset.
   */
  private walk(cfg: CycleConfig, R: number, src: number, dst: number): number {
    const P = this.pathData;
    const q = walkRoute(cfg, src, dst, P);
    if (this.pathAt === null || this.pathEnd + q > P.length) return 0;
    P.copyWithin(this.pathEnd, 0, q);
    const o = this.pathEnd;
    this.pathAt[src * R + dst] = o;
    this.pathEnd += q;
    return o;
  }
}

/** A route kernel for one analytic model, or null when the kernel was not built. */
export function createRouteKernel(cfg: CycleConfig, routerOf: Int32Array, unit: number, flits: number, opts: RouteKernelOptions = {}): RouteKernel | null {
  const mod = routeModuleOrNull();
  return mod ? new RouteKernel(mod, cfg, routerOf, unit, flits, opts) : null;
}
