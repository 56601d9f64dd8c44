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
  }

  /** Start a new window (a step, or the measurement window of a synthetic run). */
  beginWindow(): void {
    this.load.fill(0);
    this.portLoad.fill(0);
  }

  /** Add one packet's flits to the load of every resource on its path, and count it. */
  addLoad(src: number, dst: number, flits: number): void {
    const cfg = this.cfg;
    const w = cfg.width;
    const R = this.routers;
    const c = this.counters;
    let x = src % w;
    let y = (src - x) / w;
    const dx = dst % w;
    const dy = (dst - dx) / w;
    this.load[4 * R + src] += flits;
    this.load[5 * R + dst] += flits;
    c.flits += flits;
    c.packets++;
    if (src === dst) c.withinTile++;
    let r = src;
    let hops = 0;
    let inPort = PORT_LOCAL;
    for (;;) {
      c.routerFlits[r] += flits;
      const out = cfg.routing.route(x, y, dx, dy);
      this.portLoad[(r * 5 + (out >= 0 && out <= 4 ? out : 0)) * 5 + inPort] += flits;
      if (out === PORT_LOCAL) {
        if (r !== dst) this.fault(src, dst, r, out);
        break;
      }
      if (!(out >= 0 && out < 4) || cfg.linkKind[r * 4 + out] < 0 || ++hops > 4 * R) this.fault(src, dst, r, out);
      const link = r * 4 + out;
      this.load[link] += flits;
      c.linkFlits[link] += flits;
      c.hopsByDir[out] += flits;
      if (cfg.linkKind[link] === 1) c.chipHopsByDir[out] += flits;
      x += DIR_DX[out];
      y += DIR_DY[out];
      r = y * w + x;
      inPort = OPPOSITE[out];
    }
  }

  /** Turn the window's loads into waits; `window` is the window length in model time. */
  finishLoads(window: number, flits: number): void {
    const u = this.unit;
    const S = flits * u;
    const W = window > 0 ? window : u;
    const R = this.routers;
    for (let r = 0; r < R; r++) {
      this.injWait[r] = queueWait(this.load[4 * R + r], flits, S, u, W);
      for (let out = 0; out < 5; out++) {
        const base = (r * 5 + out) * 5;
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
  }

  /** Zero-load latency (model time) of a packet over H links whose traversal delays sum to linkSum cycles. */
  zeroLoad(h: number, linkSum: number, flits: number): number {
    const c = this.cfg;
    return (c.injectDelay + c.ejectDelay + (h + 1) * this.routerT + linkSum + (flits - 1)) * this.unit;
  }

  /** Latency (model time) of one packet in the current window; sets lastHops. */
  latency(src: number, dst: number, flits: number): number {
    const cfg = this.cfg;
    const w = cfg.width;
    const R = this.routers;
    let x = src % w;
    let y = (src - x) / w;
    const dx = dst % w;
    const dy = (dst - dx) / w;
    let r = src;
    let hops = 0;
    let linkSum = 0;
    let inPort = PORT_LOCAL;
    let wq = this.injWait[src];
    for (;;) {
      const out = cfg.routing.route(x, y, dx, dy);
      wq += this.wait[(r * 5 + out) * 5 + inPort];
      if (out === PORT_LOCAL) break;
      const link = r * 4 + out;
      linkSum += cfg.linkDelay[link];
      hops++;
      x += DIR_DX[out];
      y += DIR_DY[out];
      r = y * w + x;
      inPort = OPPOSITE[out];
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

  private fault(src: number, dst: number, r: number, out: number): never {
    throw new Error(`routing '${this.cfg.routing.name}' sent packet ${src}->${dst} out of port ${out} at router ${r}: not a valid route`);
  }
}

/** Mean wait (model time) in a queue that gets n flits in a window W, for a packet of F flits (see the header). */
function queueWait(n: number, F: number, S: number, u: number, W: number): number {
  if (n <= F) return 0;
  const rho = (n * u) / W;
  const burst = ((n - F) / 2) * u;
  return rho < 1 ? Math.min((rho * S) / (2 * (1 - rho)), burst) : burst;
}
