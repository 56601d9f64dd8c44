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

export type NocModelName = 'analytic' | 'cycle';
export const NOC_MODEL_NAMES: readonly NocModelName[] = ['analytic', 'cycle'];

export interface NocModel {
  readonly name: NocModelName;
  readonly topology: MeshTopology;
  /** Cycle model clock period (ps); the analytic model uses it for serialisation and link bandwidth. */
  readonly clockPs: number;
  /** Flits per packet on the wire. */
  readonly flitsPerPacket: number;
  /** Fill arrivePs and hops of every packet of the step; add to the counters. */
  routeStep(batch: PacketBatch): void;
  readonly counters: NocCounters;
  /** Clear the per-step statistics (the step latency histogram). */
  resetStepStats(): void;
}

/** Build a NoC model by name. Throws InputError for bad parameters or topology. */
export function createNoc(name: NocModelName, topo: MeshTopology, params: NocParams): NocModel {
  const { cfg, clockPs } = deriveCycleConfig(topo, params);
  const flits = wireFlits(params.packetBits, params.flitBits);
  if (name === 'analytic') return new AnalyticNoc(topo, cfg, clockPs, flits);
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

class AnalyticNoc implements NocModel {
  readonly name = 'analytic' as const;
  readonly counters: NocCounters;
  private readonly net: AnalyticNetwork;
  /** Router of every core of the topology (routeStep looks it up twice per packet). */
  private readonly routerOf: Int32Array;

  constructor(
    readonly topology: MeshTopology,
    cfg: CycleConfig,
    readonly clockPs: number,
    readonly flitsPerPacket: number,
  ) {
    this.counters = new NocCounters(cfg.width * cfg.height);
    this.net = new AnalyticNetwork(cfg, this.counters, clockPs);
    this.routerOf = new Int32Array(coreCount(topology));
    for (let c = 0; c < this.routerOf.length; c++) this.routerOf[c] = coreRouter(topology, c);
  }

  routeStep(batch: PacketBatch): void {
    checkBatch(this.topology, batch);
    const net = this.net;
    const routerOf = this.routerOf;
    const F = this.flitsPerPacket;
    net.beginWindow();
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < batch.count; i++) {
      net.addLoad(routerOf[batch.srcCore[i]], routerOf[batch.dstCore[i]], F);
      const t = batch.injectPs[i];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    // window: the caller's, else the span of injection times plus one flit time
    const window = batch.windowPs > 0 ? batch.windowPs : batch.count ? hi - lo + this.clockPs : this.clockPs;
    net.finishLoads(window, F);
    for (let i = 0; i < batch.count; i++) {
      // emulated time is integer picoseconds (the queueing term is fractional): nearest ps
      const lat = Math.round(net.latency(routerOf[batch.srcCore[i]], routerOf[batch.dstCore[i]], F));
      batch.arrivePs[i] = batch.injectPs[i] + lat;
      batch.hops[i] = net.lastHops;
      this.counters.recordLatency(lat);
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
      for (let k = 0; k < net.deliveredCount; k++) {
        const id = net.delivered[k];
        const i = net.pktTag[id];
        batch.arrivePs[i] = net.pktDone[id] * clock;
        batch.hops[i] = net.pktHops[id];
        this.counters.recordLatency(batch.arrivePs[i] - batch.injectPs[i]);
        net.release(id);
        done++;
      }
    }
  }

  resetStepStats(): void {
    this.counters.stepLatency.clear();
  }
}
