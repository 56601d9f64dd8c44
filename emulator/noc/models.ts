/**
 * The NoC as the step engine sees it: one interface (NocModel), two named implementations
 * ('analytic', 'cycle') built from the same arch parameters. Each routeStep() routes one step's
 * packets from an empty network (the step's traffic drains before the barrier), fills arrivePs and
 * hops, and adds to the cumulative counters. Times are picoseconds.
 */
import { InputError } from '../errors.js';
import { AnalyticNetwork } from './analytic.js';
import { NocCounters } from './counters.js';
import { CycleNetwork, type CycleConfig } from './cycle.js';
import { PacketBatch, wireFlits } from './packets.js';
import { deriveCycleConfig, type NocParams } from './params.js';
import { coreCount, coreRouter, type MeshTopology } from './topology.js';
import { createRouteKernel, routeModuleOrNull, type RouteKernel, type RouteKernelOptions } from './kernels/index.js';

export type NocModelName = 'analytic' | 'cycle';
export const NOC_MODEL_NAMES: readonly NocModelName[] = ['analytic', 'cycle'];

/**
 * The two implementations of the analytic model's step routing (bit-identical): 'wasm' the
 * WebAssembly kernel (emulator/noc/kernels/route.wat), 'typescript' the reference in this file.
 */
export type NocRouteImpl = 'wasm' | 'typescript';
export const NOC_ROUTE_IMPLS: readonly NocRouteImpl[] = ['wasm', 'typescript'];

export interface NocOptions {
  /** The analytic model's routeStep implementation; default 'wasm' when the kernel was built, else 'typescript'. */
  routeImpl?: NocRouteImpl;
  /** Sizing of the WebAssembly route kernel (packets per step, path cache words); tests shrink it. */
  routeKernel?: RouteKernelOptions;
}

/** The routeStep implementation createNoc picks for the analytic model when none is named. */
export function defaultRouteImpl(): NocRouteImpl {
  return routeModuleOrNull() ? 'wasm' : 'typescript';
}

export interface NocModel {
  readonly name: NocModelName;
  readonly topology: MeshTopology;
  /** Cycle model clock period (ps); the analytic model uses it for serialisation and link bandwidth. */
  readonly clockPs: number;
  /** Flits per packet on the wire. */
  readonly flitsPerPacket: number;
  /** The analytic model's routeStep implementation (undefined in the cycle model). */
  readonly routeImpl?: NocRouteImpl;
  /** Fill arrivePs and hops of every packet of the step; add to the counters. */
  routeStep(batch: PacketBatch): void;
  readonly counters: NocCounters;
  /** Clear the per-step statistics (the step latency histogram). */
  resetStepStats(): void;
  /**
   * Route one step with router back-pressure reaching the cores (cycle model only; undefined in the
   * analytic model): the model owns each core's bounded injection queue (see `SourceQueues`).
   */
  routeStepQueued?(batch: PacketBatch, queues: SourceQueues): void;
}

/**
 * Bounded per-core injection queues for `routeStepQueued` (docs/TIMING.md). Input: each packet's
 * `batch.injectPs` is its nominal production time — when the core's pipeline would produce it if
 * it never stalled — and a core's packets appear in the batch in production order. A core cannot
 * produce packet k until its queue has room, i.e. until packet k − capacity has left the queue
 * (its tail flit entered the router; the slot is free from the next cycle on). A stall delays the
 * rest of the core's pipeline: packet k is produced at max(produced(k−1) + nominal gap, room time).
 * Output: `batch.injectPs` = when the core really produced the packet into its queue (ps; packet
 * latency = arrival − this, so it includes the wait in the queue and at the router's shared
 * injection port, as the analytic model's injection term does); `enteredPs[i]` = when packet i's
 * head flit entered its router; `stallPs[core]` and `stalls[core]` = the step's stall time and
 * stalled packets per source core (global core id; all zero at the start of each call).
 */
export class SourceQueues {
  /** Stall time per global core id during the last routeStepQueued (ps). */
  readonly stallPs: Float64Array;
  /** Packets that waited for room, per global core id, during the last routeStepQueued. */
  readonly stalls: Int32Array;
  /** Per packet (batch index) of the last routeStepQueued: when its head flit entered its router (ps). */
  enteredPs = new Float64Array(64);

  constructor(
    /** Packets each core's injection queue holds (arch noc.injection_queue). */
    readonly capacity: number,
    /** Cores in the topology (coreCount). */
    cores: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new InputError('<noc>', [{ where: 'injection_queue', message: `queue capacity ${capacity} must be an integer >= 1` }]);
    this.stallPs = new Float64Array(cores);
    this.stalls = new Int32Array(cores);
  }
}

/**
 * Build a NoC model by name. Throws InputError for bad parameters or topology, or for
 * routeImpl 'wasm' when the kernel was not built.
 */
export function createNoc(name: NocModelName, topo: MeshTopology, params: NocParams, opts: NocOptions = {}): NocModel {
  const { cfg, clockPs } = deriveCycleConfig(topo, params);
  const flits = wireFlits(params.packetBits, params.flitBits);
  if (name === 'analytic') {
    const impl = opts.routeImpl ?? defaultRouteImpl();
    if (impl === 'typescript') return new AnalyticNoc(topo, cfg, clockPs, flits);
    if (impl === 'wasm') {
      const noc = WasmAnalyticNoc.create(topo, cfg, clockPs, flits, opts.routeKernel);
      if (noc) return noc;
      throw new InputError('<noc>', [{ where: 'routeImpl', message: 'the WebAssembly route kernel is not built (npm run build); use typescript' }]);
    }
    throw new InputError('<noc>', [{ where: 'routeImpl', message: `unknown routeStep implementation '${String(impl)}'; choose ${NOC_ROUTE_IMPLS.join(' or ')}` }]);
  }
  if (name === 'cycle') return new CycleNoc(topo, cfg, clockPs, flits);
  throw new InputError('<noc>', [{ where: 'model', message: `unknown NoC model '${String(name)}'; choose analytic or cycle` }]);
}

function checkBatch(topo: MeshTopology, batch: PacketBatch): void {
  const cores = coreCount(topo);
  for (let i = 0; i < batch.count; i++) {
    if (batch.srcCore[i] >= cores || batch.dstCore[i] >= cores) {
      throw new InputError('<packets>', [{ where: `packet ${i}`, message: `core ${Math.max(batch.srcCore[i], batch.dstCore[i])} is outside the ${cores} cores of the topology` }]);
    }
    const t = batch.injectPs[i];
    if (!(t >= 0) || !Number.isFinite(t)) throw new InputError('<packets>', [{ where: `packet ${i}`, message: `injectPs ${t} must be a finite time >= 0` }]);
  }
}

/** Packets per step the analytic model's routeStep scratch holds before it grows (~28 KB). */
const ROUTE_SCRATCH_PACKETS = 1024;

/** Router of every core of the topology. */
function routersOfCores(topology: MeshTopology): Int32Array {
  const routerOf = new Int32Array(coreCount(topology));
  for (let c = 0; c < routerOf.length; c++) routerOf[c] = coreRouter(topology, c);
  return routerOf;
}

class AnalyticNoc implements NocModel {
  readonly name = 'analytic' as const;
  readonly routeImpl = 'typescript' as const;
  readonly counters: NocCounters;
  private readonly net: AnalyticNetwork;
  /** Router of every core of the topology (routeStep looks it up twice per packet). */
  private readonly routerOf: Int32Array;

  constructor(
    readonly topology: MeshTopology,
    cfg: CycleConfig,
    readonly clockPs: number,
    readonly flitsPerPacket: number,
    /** Counters to add to (default: its own); the WebAssembly model passes its own for steps beyond its kernel's capacity. */
    counters?: NocCounters,
  ) {
    this.counters = counters ?? new NocCounters(cfg.width * cfg.height);
    this.net = new AnalyticNetwork(cfg, this.counters, clockPs);
    this.routerOf = routersOfCores(topology);
  }

  // routeStep scratch, reused across steps: the step's (source router, destination router) pairs in
  // an open-addressing table (slot -> pair index, -1 empty), and per pair its routers, packets,
  // latency and hops; per packet its pair
  // per step. Sized for ROUTE_SCRATCH_PACKETS packets from the start: growing them later replaces
  // fields that routeStep's optimised code depends on, so V8 throws that code away and compiles it
  // again (~17 ms of compilation in a fresh process); a step beyond it still grows them.
  private pairTable = new Int32Array(2 * ROUTE_SCRATCH_PACKETS).fill(-1);
  private pairSrc = new Int32Array(ROUTE_SCRATCH_PACKETS);
  private pairDst = new Int32Array(ROUTE_SCRATCH_PACKETS);
  private pairPackets = new Int32Array(ROUTE_SCRATCH_PACKETS);
  private pairLatency = new Float64Array(ROUTE_SCRATCH_PACKETS);
  private pairHops = new Int32Array(ROUTE_SCRATCH_PACKETS);
  private packetPair = new Int32Array(ROUTE_SCRATCH_PACKETS);
  /** Pairs in the table while a step's loads and latencies are computed (0 once it is cleared). */
  private openPairs = 0;

  /**
   * Within a step a packet's latency depends only on its (source, destination) router pair (the
   * loads of the step's window and the pair's path), so the step's packets are grouped by pair and
   * each pair's path is walked twice (load, latency) however many packets it carries.
   */
  routeStep(batch: PacketBatch): void {
    const n = batch.count;
    const net = this.net;
    const routerOf = this.routerOf;
    const cores = routerOf.length;
    const F = this.flitsPerPacket;
    // a routing fault (thrown by the plug-in's walk) in the last step left its pairs in the table
    if (this.openPairs > 0) this.clearPairs(this.openPairs);
    this.reservePairs(n);
    const table = this.pairTable;
    const mask = table.length - 1;
    const pSrc = this.pairSrc;
    const pDst = this.pairDst;
    const pN = this.pairPackets;
    const pktPair = this.packetPair;
    let pairs = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const sc = batch.srcCore[i];
      const dc = batch.dstCore[i];
      const t = batch.injectPs[i];
      // the checks of checkBatch(), folded into this pass (it throws; the table is left empty)
      if (sc >= cores || dc >= cores || !(t >= 0 && t < Infinity)) {
        this.clearPairs(pairs);
        checkBatch(this.topology, batch);
      }
      const s = routerOf[sc];
      const d = routerOf[dc];
      let h = (Math.imul(s, 0x9e3779b1) ^ Math.imul(d, 0x85ebca77)) & mask;
      let k = table[h];
      while (k >= 0 && (pSrc[k] !== s || pDst[k] !== d)) {
        h = (h + 1) & mask;
        k = table[h];
      }
      if (k < 0) {
        k = pairs++;
        table[h] = k;
        pSrc[k] = s;
        pDst[k] = d;
        pN[k] = 0;
      }
      pN[k]++;
      pktPair[i] = k;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    this.openPairs = pairs;
    net.beginWindow();
    for (let k = 0; k < pairs; k++) net.addLoad(pSrc[k], pDst[k], F * pN[k], pN[k]);
    // window: the caller's, else the span of injection times plus one flit time
    const window = batch.windowPs > 0 ? batch.windowPs : n ? hi - lo + this.clockPs : this.clockPs;
    net.finishLoads(window, F);
    const pLat = this.pairLatency;
    const pHops = this.pairHops;
    for (let k = 0; k < pairs; k++) {
      // emulated time is integer picoseconds (the queueing term is fractional): nearest ps
      const lat = Math.round(net.latency(pSrc[k], pDst[k], F));
      pLat[k] = lat;
      pHops[k] = net.lastHops;
      this.counters.recordLatency(lat, pN[k]);
    }
    for (let i = 0; i < n; i++) {
      const k = pktPair[i];
      batch.arrivePs[i] = batch.injectPs[i] + pLat[k];
      batch.hops[i] = pHops[k];
    }
    this.clearPairs(pairs);
  }

  /** Empty the pair table for the next step: only the slots of its first `pairs` pairs. */
  private clearPairs(pairs: number): void {
    const table = this.pairTable;
    const mask = table.length - 1;
    for (let k = 0; k < pairs; k++) {
      let h = (Math.imul(this.pairSrc[k], 0x9e3779b1) ^ Math.imul(this.pairDst[k], 0x85ebca77)) & mask;
      while (table[h] !== k) h = (h + 1) & mask;
      table[h] = -1;
    }
    this.openPairs = 0;
  }

  /** Room for a step of n packets: the pair table at most half full, per-pair and per-packet arrays. */
  private reservePairs(n: number): void {
    if (this.packetPair.length < n) this.packetPair = new Int32Array(2 * n);
    if (this.pairSrc.length < n) {
      const m = 2 * n;
      this.pairSrc = new Int32Array(m);
      this.pairDst = new Int32Array(m);
      this.pairPackets = new Int32Array(m);
      this.pairLatency = new Float64Array(m);
      this.pairHops = new Int32Array(m);
    }
    if (this.pairTable.length < 2 * n) {
      let size = this.pairTable.length;
      while (size < 2 * n) size *= 2;
      this.pairTable = new Int32Array(size).fill(-1);
    }
  }

  resetStepStats(): void {
    this.counters.stepLatency.clear();
  }
}

/**
 * The analytic model with its step routing in WebAssembly (emulator/noc/kernels). The per-step
 * glue copies the batch's source, destination and injection columns into the kernel memory, makes
 * one kernel call and copies arrival times and hops back. The counters' arrays and latency
 * histograms are views into the kernel memory, which the kernel adds to in place; the three scalar
 * counters are copied in and out around the call, so the counters stay the one state
 * shared with the TypeScript routeStep, which routes any step with more packets than the kernel's
 * capacity: a step depends on nothing else that an earlier step left (its window starts empty; the
 * path caches only repeat what the routing function returns), so the two can take turns.
 */
class WasmAnalyticNoc implements NocModel {
  readonly name = 'analytic' as const;
  readonly routeImpl = 'wasm' as const;
  readonly counters: NocCounters;
  /** TypeScript routeStep on the same counters, built on the first step beyond the kernel's capacity. */
  private reference: AnalyticNoc | null = null;

  static create(topology: MeshTopology, cfg: CycleConfig, clockPs: number, flitsPerPacket: number, opts?: RouteKernelOptions): WasmAnalyticNoc | null {
    const kernel = createRouteKernel(cfg, routersOfCores(topology), clockPs, flitsPerPacket, opts);
    return kernel ? new WasmAnalyticNoc(topology, cfg, clockPs, flitsPerPacket, kernel) : null;
  }

  private constructor(
    readonly topology: MeshTopology,
    private readonly cfg: CycleConfig,
    readonly clockPs: number,
    readonly flitsPerPacket: number,
    private readonly kernel: RouteKernel,
  ) {
    this.counters = new NocCounters(cfg.width * cfg.height, kernel.counterStorage);
  }

  routeStep(batch: PacketBatch): void {
    const n = batch.count;
    const k = this.kernel;
    if (n > k.capacity) {
      this.reference ??= new AnalyticNoc(this.topology, this.cfg, this.clockPs, this.flitsPerPacket, this.counters);
      this.reference.routeStep(batch);
      return;
    }
    const c = this.counters;
    const s = k.scalars;
    // plain loops, not set(subarray): a step has a few dozen packets, and a view per copy costs more
    const src = k.src;
    const dst = k.dst;
    const inject = k.inject;
    for (let i = 0; i < n; i++) {
      src[i] = batch.srcCore[i];
      dst[i] = batch.dstCore[i];
      inject[i] = batch.injectPs[i];
    }
    s[0] = c.flits;
    s[1] = c.packets;
    s[2] = c.withinTile;
    const pairs = k.routeStep(n, batch.windowPs);
    if (pairs < 0) {
      checkBatch(this.topology, batch);
      throw new Error(`route kernel rejected packet ${-1 - pairs}, which checkBatch accepts`);
    }
    c.flits = s[0];
    c.packets = s[1];
    c.withinTile = s[2];
    const arrive = k.arrive;
    const hops = k.hops;
    for (let i = 0; i < n; i++) {
      batch.arrivePs[i] = arrive[i];
      batch.hops[i] = hops[i];
    }
  }

  resetStepStats(): void {
    this.counters.stepLatency.clear();
  }
}

class CycleNoc implements NocModel {
  readonly name = 'cycle' as const;
  readonly counters: NocCounters;
  private readonly net: CycleNetwork;
  private order = new Uint32Array(64);
  private startCycle = new Float64Array(64);
  private counts = new Int32Array(1024);

  constructor(
    readonly topology: MeshTopology,
    cfg: CycleConfig,
    readonly clockPs: number,
    readonly flitsPerPacket: number,
  ) {
    this.counters = new NocCounters(cfg.width * cfg.height);
    this.net = new CycleNetwork(cfg, this.counters);
  }

  routeStep(batch: PacketBatch): void {
    checkBatch(this.topology, batch);
    const n = batch.count;
    if (n === 0) return;
    if (this.order.length < n) {
      this.order = new Uint32Array(n * 2);
      this.startCycle = new Float64Array(n * 2);
    }
    const order = this.order;
    const start = this.startCycle;
    const clock = this.clockPs;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      // a packet cannot enter the network before the source produced it: round up to a clock edge
      const c = Math.ceil(batch.injectPs[i] / clock);
      start[i] = c;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    if (hi > 2 ** 30) throw new InputError('<packets>', [{ where: 'injectPs', message: `injection times beyond ${2 ** 30} cycles of ${clock} ps are not supported` }]);
    // creation order: by start cycle, ties by packet index (deterministic). Counting sort into
    // reused arrays when the span is modest (the usual step); a comparison sort otherwise.
    const span = hi - lo + 1;
    if (span <= Math.max(1 << 16, 4 * n)) {
      if (this.counts.length < span + 1) this.counts = new Int32Array(Math.max(span + 1, this.counts.length * 2));
      const counts = this.counts;
      counts.fill(0, 0, span + 1);
      for (let i = 0; i < n; i++) counts[start[i] - lo + 1]++;
      for (let k = 1; k <= span; k++) counts[k] += counts[k - 1];
      for (let i = 0; i < n; i++) order[counts[start[i] - lo]++] = i;
    } else {
      for (let i = 0; i < n; i++) order[i] = i;
      order.subarray(0, n).sort((a, b) => start[a] - start[b] || a - b);
    }
    const net = this.net;
    const topo = this.topology;
    const F = this.flitsPerPacket;
    net.reset(start[order[0]]);
    let next = 0;
    let done = 0;
    while (done < n) {
      while (next < n && start[order[next]] <= net.now) {
        const i = order[next++];
        net.addPacket(coreRouter(topo, batch.srcCore[i]), coreRouter(topo, batch.dstCore[i]), F, start[i], i);
      }
      net.cycle(next < n ? start[order[next]] : 2147483647);
      if (net.stalled) {
        throw new InputError('<noc>', [{ where: `step ${batch.step}`, message: `${net.stallReason}; ${n - done} of ${n} packets undelivered (check routing, vcs and bufferDepth)` }]);
      }
      done += this.takeDelivered(batch, clock);
    }
  }

  /** Arrival times and hops of the packets the network delivered this cycle, into the batch; returns how many. */
  private takeDelivered(batch: PacketBatch, clock: number): number {
    const net = this.net;
    const n = net.deliveredCount;
    for (let k = 0; k < n; k++) {
      const id = net.delivered[k];
      const i = net.pktTag[id];
      batch.arrivePs[i] = net.pktDone[id] * clock;
      batch.hops[i] = net.pktHops[id];
      this.counters.recordLatency(batch.arrivePs[i] - batch.injectPs[i]);
      net.release(id);
    }
    return n;
  }

  resetStepStats(): void {
    this.counters.stepLatency.clear();
  }

  // routeStepQueued scratch, reused across steps: per packet (batch index) the next packet of its
  // core, its start cycle and a binary heap of produced packets waiting to enter their router; per
  // core (global id) its queue state
  private qNext = new Int32Array(64);
  private qStart = new Float64Array(64);
  private heap = new Int32Array(64);
  private heapSize = 0;
  private usedCores = new Int32Array(64);
  private coreHead = new Int32Array(0);
  private coreTail = new Int32Array(0);
  private coreInQueue = new Int32Array(0);
  private coreProduced = new Float64Array(0);
  private coreNominal = new Float64Array(0);

  routeStepQueued(batch: PacketBatch, queues: SourceQueues): void {
    checkBatch(this.topology, batch);
    const topo = this.topology;
    const cores = coreCount(topo);
    if (queues.stallPs.length !== cores) {
      throw new InputError('<noc>', [{ where: 'SourceQueues', message: `built for ${queues.stallPs.length} cores; the topology has ${cores}` }]);
    }
    queues.stallPs.fill(0);
    queues.stalls.fill(0);
    const n = batch.count;
    if (n === 0) return;
    if (queues.enteredPs.length < n) queues.enteredPs = new Float64Array(n * 2);
    const entered = queues.enteredPs;
    if (this.coreHead.length !== cores) {
      this.coreHead = new Int32Array(cores).fill(-1);
      this.coreTail = new Int32Array(cores).fill(-1);
      this.coreInQueue = new Int32Array(cores);
      this.coreProduced = new Float64Array(cores);
      this.coreNominal = new Float64Array(cores);
    }
    if (this.qNext.length < n) {
      this.qNext = new Int32Array(n * 2);
      this.qStart = new Float64Array(n * 2);
      this.heap = new Int32Array(n * 2);
      this.usedCores = new Int32Array(n * 2);
    }
    const src = batch.srcCore;
    const dst = batch.dstCore;
    const head = this.coreHead;
    const tail = this.coreTail;
    const inQueue = this.coreInQueue;
    const qNext = this.qNext;
    const used = this.usedCores;
    const clock = this.clockPs;
    const cap = queues.capacity;
    // each core's packets in batch (= production) order, as a linked list
    let nUsed = 0;
    for (let i = 0; i < n; i++) {
      const c = src[i];
      if (tail[c] < 0) {
        head[c] = i;
        inQueue[c] = 0;
        this.coreProduced[c] = 0;
        this.coreNominal[c] = 0;
        used[nUsed++] = c;
      } else qNext[tail[c]] = i;
      tail[c] = i;
      qNext[i] = -1;
    }
    for (let k = 0; k < nUsed; k++) tail[used[k]] = -1; // ready for the next step
    // the first `capacity` packets of every core fit in its queue: produced when the pipeline is ready
    this.heapSize = 0;
    for (let k = 0; k < nUsed; k++) {
      const c = used[k];
      while (head[c] >= 0 && inQueue[c] < cap) this.produce(c, -Infinity, batch, queues);
    }
    const net = this.net;
    const F = this.flitsPerPacket;
    const heap = this.heap;
    const start = this.qStart;
    net.reset(start[heap[0]]);
    let done = 0;
    while (done < n) {
      while (this.heapSize > 0 && start[heap[0]] <= net.now) {
        const i = this.heapPop();
        net.addPacket(coreRouter(topo, src[i]), coreRouter(topo, dst[i]), F, start[i], i);
      }
      const cyc = net.now;
      net.cycle(this.heapSize > 0 ? start[heap[0]] : 2147483647);
      if (net.stalled) {
        throw new InputError('<noc>', [{ where: `step ${batch.step}`, message: `${net.stallReason}; ${n - done} of ${n} packets undelivered (check routing, vcs and bufferDepth)` }]);
      }
      // a packet whose tail left its queue in cycle `cyc` frees a slot from cycle cyc + 1 on: its
      // core may produce its next packet (stalled until then if its pipeline was ready earlier)
      for (let k = 0; k < net.acceptedCount; k++) {
        const id = net.accepted[k];
        const i = net.pktTag[id];
        const c = src[i];
        entered[i] = net.pktInjected[id] * clock;
        inQueue[c]--;
        if (head[c] >= 0) this.produce(c, (cyc + 1) * clock, batch, queues);
      }
      done += this.takeDelivered(batch, clock);
    }
  }

  /**
   * Core c produces its next packet: when its pipeline is ready (the previous production plus the
   * nominal gap between the two packets), or at `roomPs` if its queue had no room until then (a
   * stall that delays the rest of its pipeline). The packet enters the heap of packets waiting to
   * enter the router, at the first clock edge at or after its production.
   */
  private produce(c: number, roomPs: number, batch: PacketBatch, queues: SourceQueues): void {
    const i = this.coreHead[c];
    this.coreHead[c] = this.qNext[i];
    const nominal = batch.injectPs[i];
    const ready = this.coreProduced[c] + (nominal - this.coreNominal[c]);
    let t = ready;
    if (roomPs > ready) {
      queues.stallPs[c] += roomPs - ready;
      queues.stalls[c]++;
      t = roomPs;
    }
    this.coreProduced[c] = t;
    this.coreNominal[c] = nominal;
    batch.injectPs[i] = t; // the real production time (nominal read above)
    this.coreInQueue[c]++;
    const startCycle = Math.ceil(t / this.clockPs);
    if (startCycle > 2 ** 30) throw new InputError('<packets>', [{ where: 'injectPs', message: `injection times beyond ${2 ** 30} cycles of ${this.clockPs} ps are not supported` }]);
    this.qStart[i] = startCycle;
    this.heapPush(i);
  }

  /** Heap order: start cycle, then batch index (the order routeStep uses). */
  private before(a: number, b: number): boolean {
    const sa = this.qStart[a];
    const sb = this.qStart[b];
    return sa < sb || (sa === sb && a < b);
  }

  private heapPush(i: number): void {
    const h = this.heap;
    let k = this.heapSize++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.before(i, h[parent])) break;
      h[k] = h[parent];
      k = parent;
    }
    h[k] = i;
  }

  private heapPop(): number {
    const h = this.heap;
    const top = h[0];
    const last = h[--this.heapSize];
    const size = this.heapSize;
    let k = 0;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= size) break;
      if (child + 1 < size && this.before(h[child + 1], h[child])) child++;
      if (!this.before(h[child], last)) break;
      h[k] = h[child];
      k = child;
    }
    if (size > 0) h[k] = last;
    return top;
  }
}
