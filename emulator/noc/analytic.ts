/**
 * Analytic router model: a closed-form latency per packet, with no cycle-by-cycle simulation.
 * It shares the cycle model's configuration (CycleConfig), so both models have the same zero-load
 * latency by construction. Times are in cycles multiplied by `unit` (1 for `aerie noc`, the clock
 * period in ps inside createNoc).
 *
 * For a packet of F flits entering router r_0 (its source) by the injection port, crossing links
 * l_1..l_H (from the routing plug-in) and leaving r_H by the ejection port, in a window of length W
 * (model time). Each output (a link, or a router's ejection port) carries n flits in the window, of
 * which n_ip entered its router by input port ip; the injection port of router r carries n_inj flits.
 *   latency = T0 + Wq_inj(r_0) + sum over the outputs o_1..o_H, eject(r_H) of Wq(o, ip)
 *   T0      = (t_inject + t_eject + (H+1)*t_router + sum lt(l_i) + (F-1)) * unit
 *   rho     = n * unit / W            utilisation of the output (one flit per cycle)
 *   rho_o   = (n - n_ip) * unit / W   share of it from the other input ports
 *   S       = F * unit                service time of one packet
 *   Wq(o, ip) = min( rho_o*S / (2*(1-rho)), (n - n_ip)/2 * unit )   if rho < 1
 *             = (n - n_ip)/2 * unit                                 if rho >= 1
 *   Wq_inj(r) = the same with n = n_inj and n_ip = F (a source queue waits behind its own traffic)
 * The first term is the M/D/1 mean wait counting only the residual work of competing inputs (flits
 * that arrive by the same port were already spaced one per cycle upstream, so a flow never queues
 * behind itself twice); the cap is the mean wait when all competing flits arrive at once and drain
 * one per cycle, the most a queue can hold within the window. A packet alone on its path waits 0.
 */
import { DIR_DX as DIR_DX_, DIR_DY as DIR_DY_, OPPOSITE as OPPOSITE_, PORT_LOCAL as PORT_LOCAL_ } from './topology.js';
import type { CycleConfig } from './cycle.js';
import type { NocCounters } from './counters.js';

// module-local copies: the per-hop loops read plain constants, not live import bindings
const DIR_DX: Int32Array = Int32Array.from(DIR_DX_);
const DIR_DY: Int32Array = Int32Array.from(DIR_DY_);
const OPPOSITE: Int32Array = Int32Array.from(OPPOSITE_);
const PORT_LOCAL: number = PORT_LOCAL_;
/** Meshes up to this many routers cache their paths per router pair (a dense R × R index). */
export const PATH_CACHE_ROUTERS = 1024;
/** Largest path cache (32-bit words); pairs beyond it are walked every time. */
export const PATH_CACHE_WORDS = 1 << 22;

export class AnalyticNetwork {
  readonly routers: number;
  /** Flits per resource in the current window: links 0..4R-1, then injection R, then ejection R. */
  readonly load: Float64Array;
  /** Flits per (router, output port 0..4, input port 0..4): index (r*5 + out)*5 + in. */
  readonly portLoad: Float64Array;
  /** Mean queueing wait (model time) per (router, output, input) and per injection port, from finishLoads(). */
  readonly wait: Float64Array;
  readonly injWait: Float64Array;
  /** Hops of the packet last passed to latency(). */
  lastHops = 0;
  private readonly routerT: number;
  /**
   * Resources loaded since the last beginWindow(), each listed once: (router, output) pairs
   * r*5 + out, injection routers, and `load` indices. finishLoads() computes waits of the listed
   * pairs only and beginWindow() clears only what was listed: the arrays then hold exactly what a
   * sweep over every router would (a window of a few packets costs a few entries, not the mesh).
   */
  private readonly outUsed: Int32Array;
  private readonly outMark: Uint8Array;
  private nOutUsed = 0;
  private readonly injUsed: Int32Array;
  private readonly injMark: Uint8Array;
  private nInjUsed = 0;
  private readonly loadUsed: Int32Array;
  private readonly loadMark: Uint8Array;
  private nLoadUsed = 0;
  /**
   * Paths by (source, destination) router pair, from the routing function (pure): a path record at
   * offset o of pathData is [H, then per router visited (H + 1 of them) r, out, (r·5 + out)·5 + in].
   * pathAt[src·R + dst] is the record's offset, or −1 before the pair's first packet. Offset 0 holds a
   * scratch record for pairs that are not cached (meshes beyond PATH_CACHE_ROUTERS routers, or a full
   * cache). Paths are validated once, when first walked.
   */
  private readonly pathAt: Int32Array | null;
  private pathData: Int32Array;
  private pathEnd: number;

  constructor(
    readonly cfg: CycleConfig,
    readonly counters: NocCounters,
    readonly unit: number,
  ) {
    this.routers = cfg.width * cfg.height;
    this.load = new Float64Array(this.routers * 6);
    this.portLoad = new Float64Array(this.routers * 25);
    this.wait = new Float64Array(this.routers * 25);
    this.injWait = new Float64Array(this.routers);
    this.routerT = cfg.rcDelay + cfg.vaDelay + cfg.saDelay + cfg.stDelay;
    this.outUsed = new Int32Array(this.routers * 5);
    this.outMark = new Uint8Array(this.routers * 5);
    this.injUsed = new Int32Array(this.routers);
    this.injMark = new Uint8Array(this.routers);
    this.loadUsed = new Int32Array(this.routers * 6);
    this.loadMark = new Uint8Array(this.routers * 6);
    this.pathAt = this.routers <= PATH_CACHE_ROUTERS ? new Int32Array(this.routers * this.routers).fill(-1) : null;
    this.pathEnd = pathScratchWords(this.routers);
    this.pathData = new Int32Array(this.pathAt ? Math.max(1024, 2 * this.pathEnd) : this.pathEnd);
  }

  /** Offset in pathData of the path record from router src to router dst (see pathAt). */
  private resolve(src: number, dst: number): number {
    const R = this.routers;
    const k = src * R + dst;
    if (this.pathAt !== null && this.pathAt[k] >= 0) return this.pathAt[k];
    // walk the route into the scratch record at offset 0, validating every hop
    const P = this.pathData;
    const q = walkRoute(this.cfg, src, dst, P);
    if (this.pathAt === null || this.pathEnd + q > PATH_CACHE_WORDS) return 0;
    if (this.pathEnd + q > P.length) {
      const grown = new Int32Array(Math.min(PATH_CACHE_WORDS, Math.max(2 * P.length, this.pathEnd + q)));
      grown.set(P.subarray(0, this.pathEnd));
      this.pathData = grown;
    }
    this.pathData.copyWithin(this.pathEnd, 0, q);
    this.pathAt[k] = this.pathEnd;
    this.pathEnd += q;
    return this.pathAt[k];
  }

  /** Start a new window (a step, or the measurement window of a synthetic run). */
  beginWindow(): void {
    for (let k = 0; k < this.nOutUsed; k++) {
      const ro = this.outUsed[k];
      this.outMark[ro] = 0;
      // five input ports: plain stores (a builtin fill() call costs more than the five stores)
      const base = ro * 5;
      for (let ip = 0; ip < 5; ip++) {
        this.portLoad[base + ip] = 0;
        this.wait[base + ip] = 0;
      }
    }
    this.nOutUsed = 0;
    for (let k = 0; k < this.nInjUsed; k++) {
      const r = this.injUsed[k];
      this.injMark[r] = 0;
      this.injWait[r] = 0;
    }
    this.nInjUsed = 0;
    for (let k = 0; k < this.nLoadUsed; k++) {
      const i = this.loadUsed[k];
      this.loadMark[i] = 0;
      this.load[i] = 0;
    }
    this.nLoadUsed = 0;
  }

  private addTo(i: number, flits: number): void {
    this.load[i] += flits;
    if (this.loadMark[i] === 0) {
      this.loadMark[i] = 1;
      this.loadUsed[this.nLoadUsed++] = i;
    }
  }

  /**
   * Add packets' flits to the load of every resource on their path, and count them: `flits` in all,
   * from `packets` packets of the same source and destination (default one).
   */
  addLoad(src: number, dst: number, flits: number, packets = 1): void {
    const o = this.resolve(src, dst);
    const P = this.pathData;
    const cfg = this.cfg;
    const R = this.routers;
    const c = this.counters;
    this.addTo(4 * R + src, flits);
    this.addTo(5 * R + dst, flits);
    if (this.injMark[src] === 0) {
      this.injMark[src] = 1;
      this.injUsed[this.nInjUsed++] = src;
    }
    c.flits += flits;
    c.packets += packets;
    if (src === dst) c.withinTile += packets;
    const end = o + 1 + 3 * (P[o] + 1);
    for (let q = o + 1; q < end; q += 3) {
      const r = P[q];
      const out = P[q + 1];
      c.routerFlits[r] += flits;
      this.portLoad[P[q + 2]] += flits;
      const ro = r * 5 + out;
      if (this.outMark[ro] === 0) {
        this.outMark[ro] = 1;
        this.outUsed[this.nOutUsed++] = ro;
      }
      if (out === PORT_LOCAL) break;
      const link = r * 4 + out;
      this.addTo(link, flits);
      c.linkFlits[link] += flits;
      c.hopsByDir[out] += flits;
      if (cfg.linkKind[link] === 1) c.chipHopsByDir[out] += flits;
    }
  }

  /** Turn the window's loads into waits; `window` is the window length in model time. */
  finishLoads(window: number, flits: number): void {
    const u = this.unit;
    const S = flits * u;
    const W = window > 0 ? window : u;
    const R = this.routers;
    // resources not loaded in the window wait 0 (beginWindow cleared them)
    for (let k = 0; k < this.nInjUsed; k++) {
      const r = this.injUsed[k];
      this.injWait[r] = queueWait(this.load[4 * R + r], flits, S, u, W);
    }
    for (let k = 0; k < this.nOutUsed; k++) {
      const base = this.outUsed[k] * 5;
      let n = 0;
      for (let ip = 0; ip < 5; ip++) n += this.portLoad[base + ip];
      for (let ip = 0; ip < 5; ip++) {
        const others = n - this.portLoad[base + ip];
        if (others <= 0) {
          this.wait[base + ip] = 0;
          continue;
        }
        const rho = (n * u) / W;
        const burst = (others / 2) * u;
        this.wait[base + ip] = rho < 1 ? Math.min(((others * u) / W) * S / (2 * (1 - rho)), burst) : burst;
      }
    }
  }

  /** Zero-load latency (model time) of a packet over H links whose traversal delays sum to linkSum cycles. */
  zeroLoad(h: number, linkSum: number, flits: number): number {
    const c = this.cfg;
    return (c.injectDelay + c.ejectDelay + (h + 1) * this.routerT + linkSum + (flits - 1)) * this.unit;
  }

  /** Latency (model time) of one packet in the current window; sets lastHops. */
  latency(src: number, dst: number, flits: number): number {
    const o = this.resolve(src, dst);
    const P = this.pathData;
    const linkDelay = this.cfg.linkDelay;
    const hops = P[o];
    let linkSum = 0;
    let wq = this.injWait[src];
    const end = o + 1 + 3 * (hops + 1);
    for (let q = o + 1; q < end; q += 3) {
      wq += this.wait[P[q + 2]];
      const out = P[q + 1];
      if (out !== PORT_LOCAL) linkSum += linkDelay[P[q] * 4 + out];
    }
    this.lastHops = hops;
    return this.zeroLoad(hops, linkSum, flits) + wq;
  }

  /** Largest utilisation of the resources on a packet's path (injection, links, ejection) in a window. */
  pathUtilisation(src: number, dst: number, window: number): number {
    const cfg = this.cfg;
    const w = cfg.width;
    const R = this.routers;
    let x = src % w;
    let y = (src - x) / w;
    const dx = dst % w;
    const dy = (dst - dx) / w;
    let m = Math.max(this.load[4 * R + src], this.load[5 * R + dst]);
    let r = src;
    for (;;) {
      const out = cfg.routing.route(x, y, dx, dy);
      if (out === PORT_LOCAL) break;
      if (this.load[r * 4 + out] > m) m = this.load[r * 4 + out];
      x += DIR_DX[out];
      y += DIR_DY[out];
      r = y * w + x;
    }
    return (m * this.unit) / (window > 0 ? window : this.unit);
  }

  /** Largest utilisation of any resource in a window of length `window` (model time). */
  maxUtilisation(window: number): number {
    let m = 0;
    for (let i = 0; i < this.load.length; i++) if (this.load[i] > m) m = this.load[i];
    return (m * this.unit) / (window > 0 ? window : this.unit);
  }
}

/**
 * Walk the routing plug-in from router src to router dst into the path record at offset 0 of P
 * ([H, then per router visited r, out, (r·5 + out)·5 + in]; P holds at least pathScratchWords(R)),
 * validating every hop: a port without a link, a path longer than 4R hops or a local port before the
 * destination throws the routing fault (an Error: a broken plug-in, not bad input). Returns the
 * record's length in words. The analytic model's path cache (TypeScript and WebAssembly) fills from it.
 */
export function walkRoute(cfg: CycleConfig, src: number, dst: number, P: Int32Array): number {
  const w = cfg.width;
  const R = cfg.width * cfg.height;
  let x = src % w;
  let y = (src - x) / w;
  const dx = dst % w;
  const dy = (dst - dx) / w;
  let r = src;
  let hops = 0;
  let inPort = PORT_LOCAL;
  let q = 1;
  for (;;) {
    const out = cfg.routing.route(x, y, dx, dy);
    if (out === PORT_LOCAL) {
      if (r !== dst) routeFault(cfg, src, dst, r, out);
    } else if (!(out >= 0 && out < 4) || cfg.linkKind[r * 4 + out] < 0 || ++hops > 4 * R) routeFault(cfg, src, dst, r, out);
    P[q] = r;
    P[q + 1] = out;
    P[q + 2] = (r * 5 + out) * 5 + inPort;
    q += 3;
    if (out === PORT_LOCAL) break;
    x += DIR_DX[out];
    y += DIR_DY[out];
    r = y * w + x;
    inPort = OPPOSITE[out];
  }
  P[0] = hops;
  return q;
}

/** Words of the scratch record at offset 0 of a path cache: the longest valid path (4R hops). */
export function pathScratchWords(routers: number): number {
  return 1 + 3 * (4 * routers + 2);
}

function routeFault(cfg: CycleConfig, src: number, dst: number, r: number, out: number): never {
  throw new Error(`routing '${cfg.routing.name}' sent packet ${src}->${dst} out of port ${out} at router ${r}: not a valid route`);
}

/** Mean wait (model time) in a queue that gets n flits in a window W, for a packet of F flits (see the header). */
function queueWait(n: number, F: number, S: number, u: number, W: number): number {
  if (n <= F) return 0;
  const rho = (n * u) / W;
  const burst = ((n - F) / 2) * u;
  return rho < 1 ? Math.min((rho * S) / (2 * (1 - rho)), burst) : burst;
}
