/**
 * Synthetic traffic, the way NoC researchers validate a router on its own (BookSim2 conventions):
 * a node is a router (one traffic source and sink per router), `rate` is packets/node/cycle from a
 * Bernoulli process per node, uniform destinations include the source, hops = links traversed,
 * latency = tail delivery cycle - creation cycle (source queueing included; source queues are
 * unbounded). Statistics cover packets created in [warmup, cycles); throughput counts packets
 * delivered in that window. After `cycles` no new packet is created and the network drains the
 * measured packets for at most `drainCycles` more cycles (still-undelivered ones are reported).
 *
 * Randomness is counter-based (emulator/util/rng.ts): node n's k-th packet has its arrival gap from
 * randU32(seed, nocTraffic, n, 2k) and its destination from index 2k+1, so both models see exactly
 * the same packets and nothing depends on simulation order.
 */
import { InputError, type Problem } from '../errors.js';
import { RNG_BLOCK, randU32 } from '../util/rng.js';
import { AnalyticNetwork } from './analytic.js';
import { NocCounters, type LatencySummary } from './counters.js';
import { CycleNetwork, type CycleConfig } from './cycle.js';
import { getRouting, routingNames } from './routing.js';

export const TRAFFIC_PATTERNS = ['uniform', 'transpose', 'bitcomp', 'hotspot', 'neighbor'] as const;
export type TrafficPattern = (typeof TRAFFIC_PATTERNS)[number];

export interface SyntheticOptions {
  width: number;
  height: number;
  traffic: TrafficPattern;
  /** Offered load, packets/node/cycle (0 < rate <= 1). */
  rate: number;
  packetFlits: number;
  /** Cycles of traffic generation (warm-up included). */
  cycles: number;
  /** Leading cycles excluded from statistics. */
  warmup: number;
  /** Extra cycles allowed for measured packets to drain after `cycles`. */
  drainCycles: number;
  model: 'analytic' | 'cycle';
  vcs: number;
  bufferDepth: number;
  rcDelay: number;
  vaDelay: number;
  saDelay: number;
  stDelay: number;
  linkDelay: number;
  creditDelay: number;
  injectDelay: number;
  ejectDelay: number;
  routing: string;
  seed: number;
  /** hotspot: fraction of packets sent to the hotspot router (the centre, floor(W/2), floor(H/2)). */
  hotspotFraction: number;
  stallLimit: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  width: 8,
  height: 8,
  traffic: 'uniform',
  rate: 0.1,
  packetFlits: 1,
  cycles: 10000,
  warmup: 1000,
  drainCycles: 10000,
  model: 'analytic',
  vcs: 4,
  bufferDepth: 8,
  rcDelay: 1,
  vaDelay: 1,
  saDelay: 1,
  stDelay: 1,
  linkDelay: 1,
  creditDelay: 1,
  injectDelay: 1,
  ejectDelay: 1,
  routing: 'xy',
  seed: 1,
  hotspotFraction: 0.2,
  stallLimit: 10000,
};

export interface SyntheticResult {
  model: 'analytic' | 'cycle';
  traffic: TrafficPattern;
  mesh: string;
  packetFlits: number;
  /** 'ok', or the stall report of the cycle model. */
  status: string;
  /** Packets/node/cycle created in the measurement window. */
  offered: number;
  /** Packets/node/cycle delivered in the measurement window. */
  accepted: number;
  /**
   * Of `accepted`, the packets that crossed at least one link. Self-addressed packets (uniform's
   * self share, transpose's diagonal) never touch a link, so only this part is bound by the
   * channel-load bound.
   */
  acceptedRemote: number;
  /** Lowest per-source accepted rate (packets/cycle): the most throttled node (BookSim's min accepted). */
  minNodeAccepted: number;
  offeredFlits: number;
  acceptedFlits: number;
  latency: LatencySummary;
  /** Mean zero-load latency of the measured packets (same formula both models). */
  zeroLoadLatency: number;
  meanHops: number;
  /** Standard error of meanHops. */
  hopsStdErr: number;
  measuredPackets: number;
  undelivered: number;
  cyclesSimulated: number;
  routerCycles: number;
  counters: NocCounters;
}

/** Check options; all problems at once as an InputError. */
export function validateSynthetic(o: SyntheticOptions, source = 'aerie noc'): void {
  const p: Problem[] = [];
  const int = (k: keyof SyntheticOptions, lo: number, hi: number): void => {
    const v = o[k] as number;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) p.push({ where: `--${kebab(k)}`, message: `must be an integer in ${lo}..${hi}, got ${String(v)}` });
  };
  int('width', 1, 1024);
  int('height', 1, 1024);
  int('packetFlits', 1, 1024);
  int('cycles', 1, 1e9);
  int('warmup', 0, 1e9);
  int('drainCycles', 0, 1e9);
  int('vcs', 1, 32);
  int('bufferDepth', 1, 4096);
  int('rcDelay', 0, 1000);
  int('vaDelay', 0, 1000);
  int('saDelay', 0, 1000);
  int('stDelay', 0, 1000);
  int('linkDelay', 1, 100000);
  int('creditDelay', 1, 100000);
  int('injectDelay', 1, 100000);
  int('ejectDelay', 0, 100000);
  int('seed', -2147483648, 4294967295);
  int('stallLimit', 1, 1e9);
  if (!(typeof o.rate === 'number' && o.rate > 0 && o.rate <= 1)) p.push({ where: '--rate', message: `must be a number in (0, 1] packets/node/cycle, got ${String(o.rate)}` });
  if (!(typeof o.hotspotFraction === 'number' && o.hotspotFraction >= 0 && o.hotspotFraction <= 1)) p.push({ where: '--hotspot-fraction', message: `must be in [0, 1], got ${String(o.hotspotFraction)}` });
  if (Number.isInteger(o.warmup) && Number.isInteger(o.cycles) && o.warmup >= o.cycles) p.push({ where: '--warmup', message: `${o.warmup} leaves no measured cycles of the ${o.cycles}` });
  if (!TRAFFIC_PATTERNS.includes(o.traffic)) p.push({ where: '--traffic', message: `'${String(o.traffic)}' is not one of ${TRAFFIC_PATTERNS.join(', ')}` });
  if (o.traffic === 'transpose' && o.width !== o.height) p.push({ where: '--traffic', message: `transpose needs a square mesh, got ${o.width}x${o.height}` });
  if (o.model !== 'analytic' && o.model !== 'cycle') p.push({ where: '--noc', message: `'${String(o.model)}' is not analytic or cycle` });
  if (!getRouting(o.routing)) p.push({ where: '--routing', message: `unknown routing '${o.routing}'; known: ${routingNames().join(', ')}` });
  if (Number.isInteger(o.rcDelay) && o.rcDelay + o.vaDelay + o.saDelay + o.stDelay < 1) p.push({ where: '--pipeline', message: 'the router pipeline needs at least one cycle' });
  if (p.length) throw new InputError(source, p);
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** The CycleConfig of a synthetic run (uniform link delay, one chip). */
export function syntheticConfig(o: SyntheticOptions): CycleConfig {
  const R = o.width * o.height;
  const linkDelay = new Int32Array(R * 4);
  const linkKind = new Int8Array(R * 4);
  for (let r = 0; r < R; r++) {
    const x = r % o.width;
    const y = (r - x) / o.width;
    linkKind[r * 4 + 0] = x + 1 < o.width ? 0 : -1;
    linkKind[r * 4 + 1] = x > 0 ? 0 : -1;
    linkKind[r * 4 + 2] = y + 1 < o.height ? 0 : -1;
    linkKind[r * 4 + 3] = y > 0 ? 0 : -1;
    for (let d = 0; d < 4; d++) linkDelay[r * 4 + d] = linkKind[r * 4 + d] < 0 ? 0 : o.linkDelay;
  }
  return {
    width: o.width,
    height: o.height,
    vcs: o.vcs,
    bufferDepth: o.bufferDepth,
    rcDelay: o.rcDelay,
    vaDelay: o.vaDelay,
    saDelay: o.saDelay,
    stDelay: o.stDelay,
    creditDelay: o.creditDelay,
    injectDelay: o.injectDelay,
    ejectDelay: o.ejectDelay,
    linkDelay,
    linkKind,
    routing: getRouting(o.routing)!,
    stallLimit: o.stallLimit,
  };
}

/**
 * Packet source: node n's k-th packet. Arrival gaps are geometric (Bernoulli injection per cycle).
 * State per node is two numbers (next arrival, k) in typed arrays.
 */
class TrafficSource {
  readonly next: Float64Array;
  readonly k: Float64Array;
  private readonly logq: number;
  private readonly N: number;
  private readonly hot: number;

  constructor(private readonly o: SyntheticOptions) {
    this.N = o.width * o.height;
    this.next = new Float64Array(this.N);
    this.k = new Float64Array(this.N);
    this.logq = o.rate >= 1 ? 0 : Math.log1p(-o.rate);
    this.hot = Math.floor(o.height / 2) * o.width + Math.floor(o.width / 2);
    for (let n = 0; n < this.N; n++) this.next[n] = this.gap(n, 0);
  }

  /** Cycles from the earliest possible slot to the k-th arrival (geometric, >= 0). */
  private gap(n: number, k: number): number {
    if (this.logq === 0) return 0;
    const u = (randU32(this.o.seed, RNG_BLOCK.nocTraffic, n, 2 * k) + 1) / 4294967296; // (0, 1]
    return Math.floor(Math.log(u) / this.logq);
  }

  /** Destination router of node n's current packet. */
  dest(n: number): number {
    const o = this.o;
    const k = this.k[n];
    const w = o.width;
    const x = n % w;
    const y = (n - x) / w;
    switch (o.traffic) {
      case 'uniform':
        return Math.floor((randU32(o.seed, RNG_BLOCK.nocTraffic, n, 2 * k + 1) / 4294967296) * this.N);
      case 'transpose':
        return x * w + y;
      case 'bitcomp':
        return (o.height - 1 - y) * w + (w - 1 - x);
      case 'neighbor':
        return ((y + 1) % o.height) * w + ((x + 1) % w);
      case 'hotspot': {
        const u = randU32(o.seed, RNG_BLOCK.nocTraffic, n, 2 * k + 1) / 4294967296;
        const h = o.hotspotFraction;
        return u < h ? this.hot : Math.min(this.N - 1, Math.floor(((u - h) / (1 - h)) * this.N));
      }
    }
  }

  /** Move node n to its next packet. */
  advance(n: number): void {
    const k = ++this.k[n];
    this.next[n] += 1 + this.gap(n, k);
  }
}

/** Run synthetic traffic through one model. */
export function runSynthetic(opts: Partial<SyntheticOptions>): SyntheticResult {
  const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, ...opts };
  validateSynthetic(o);
  const cfg = syntheticConfig(o);
  const counters = new NocCounters(o.width * o.height);
  return o.model === 'cycle' ? runCycle(o, cfg, counters) : runAnalytic(o, cfg, counters);
}

interface Acc {
  created: number;
  deliveredInWindow: number;
  remoteInWindow: number;
  /** Packets delivered in the window, per source node. */
  perNode: Float64Array;
  measured: number;
  delivered: number;
  hopSum: number;
  hopSq: number;
  zeroSum: number;
}

function finish(o: SyntheticOptions, a: Acc, counters: NocCounters, status: string, cyclesSimulated: number): SyntheticResult {
  const N = o.width * o.height;
  const span = o.cycles - o.warmup;
  const n = a.delivered;
  const meanHops = n ? a.hopSum / n : 0;
  const varHops = n > 1 ? Math.max(0, (a.hopSq - n * meanHops * meanHops) / (n - 1)) : 0;
  return {
    model: o.model,
    traffic: o.traffic,
    mesh: `${o.width}x${o.height}`,
    packetFlits: o.packetFlits,
    status,
    offered: a.created / (N * span),
    accepted: a.deliveredInWindow / (N * span),
    acceptedRemote: a.remoteInWindow / (N * span),
    minNodeAccepted: a.perNode.reduce((m, v) => (v < m ? v : m), Infinity) / span,
    offeredFlits: (a.created * o.packetFlits) / (N * span),
    acceptedFlits: (a.deliveredInWindow * o.packetFlits) / (N * span),
    latency: counters.latency.summary(),
    zeroLoadLatency: n ? a.zeroSum / n : 0,
    meanHops,
    hopsStdErr: n > 1 ? Math.sqrt(varHops / n) : 0,
    measuredPackets: a.measured,
    undelivered: a.measured - a.delivered,
    cyclesSimulated,
    routerCycles: cyclesSimulated * N,
    counters,
  };
}

function runCycle(o: SyntheticOptions, cfg: CycleConfig, counters: NocCounters): SyntheticResult {
  const net = new CycleNetwork(cfg, counters);
  const src = new TrafficSource(o);
  const N = o.width * o.height;
  const F = o.packetFlits;
  const C = o.cycles;
  const W = o.warmup;
  const end = C + o.drainCycles;
  const a: Acc = { created: 0, deliveredInWindow: 0, remoteInWindow: 0, perNode: new Float64Array(o.width * o.height), measured: 0, delivered: 0, hopSum: 0, hopSq: 0, zeroSum: 0 };
  const next = src.next;
  let outstanding = 0;
  while (net.now < end) {
    const now = net.now;
    if (now >= C && outstanding === 0) break;
    // hand each idle source queue its next packet once it has arrived (the rest wait implicitly)
    let soonest = 2147483647;
    for (let n = 0; n < N; n++) {
      let t = next[n];
      if (t < C && t <= now && net.sourceQueueEmpty(n)) {
        const measured = t >= W ? 1 : 0;
        net.addPacket(n, src.dest(n), F, t, measured);
        // no branch: code first reached when the warm-up ends would deoptimise the loop there
        a.measured += measured;
        outstanding += measured;
        src.advance(n);
        t = next[n];
      }
      if (t < C && t < soonest) soonest = t > now ? t : now + 1;
    }
    net.cycle(soonest);
    if (net.stalled) return finish(o, a, counters, net.stallReason, net.now);
    for (let k = 0; k < net.deliveredCount; k++) {
      const id = net.delivered[k];
      const done = net.pktDone[id];
      // delivered in the window [W, C)? (W < C, so the two comparisons agree only inside it; both
      // run every time, so the optimised loop meets no untried branch when the window opens)
      const inWindow = (done >= W) === (done < C) ? 1 : 0;
      a.deliveredInWindow += inWindow;
      a.perNode[net.pktSrc[id]] += inWindow;
      a.remoteInWindow += net.pktHops[id] > 0 ? inWindow : 0;
      if (net.pktTag[id] === 1) {
        const h = net.pktHops[id];
        const lat = done - net.pktCreated[id];
        counters.recordLatency(lat);
        outstanding--;
        a.delivered++;
        a.hopSum += h;
        a.hopSq += h * h;
        a.zeroSum += net.zeroLoad(h, h * o.linkDelay, F);
      }
      net.release(id);
    }
  }
  // offered: every arrival in the window, including those still waiting at their source (continue
  // each node's arrival sequence from where the run stopped)
  a.created = a.measured;
  for (let n = 0; n < N; n++) {
    while (next[n] < C) {
      if (next[n] >= W) a.created++;
      src.advance(n);
    }
  }
  return finish(o, a, counters, 'ok', Math.min(net.now, end));
}

function runAnalytic(o: SyntheticOptions, cfg: CycleConfig, counters: NocCounters): SyntheticResult {
  const net = new AnalyticNetwork(cfg, counters, 1);
  const N = o.width * o.height;
  const F = o.packetFlits;
  const span = o.cycles - o.warmup;
  const a: Acc = { created: 0, deliveredInWindow: 0, remoteInWindow: 0, perNode: new Float64Array(o.width * o.height), measured: 0, delivered: 0, hopSum: 0, hopSq: 0, zeroSum: 0 };
  // pass 1: the window's load on every link and port
  net.beginWindow();
  let src = new TrafficSource(o);
  for (let n = 0; n < N; n++) {
    while (src.next[n] < o.cycles) {
      if (src.next[n] >= o.warmup) net.addLoad(n, src.dest(n), F);
      src.advance(n);
    }
  }
  net.finishLoads(span, F);
  // pass 2: each packet's latency (the same packets, regenerated from their keys)
  src = new TrafficSource(o);
  for (let n = 0; n < N; n++) {
    while (src.next[n] < o.cycles) {
      if (src.next[n] >= o.warmup) {
        const d = src.dest(n);
        const lat = net.latency(n, d, F);
        const h = net.lastHops;
        a.deliveredInWindow++;
        a.perNode[n]++;
        if (h > 0) a.remoteInWindow++;
        counters.recordLatency(lat);
        a.measured++;
        a.delivered++;
        a.hopSum += h;
        a.hopSq += h * h;
        a.zeroSum += net.zeroLoad(h, h * o.linkDelay, F);
      }
      src.advance(n);
    }
  }
  a.created = a.measured;
  // accepted: the network saturates when its busiest resource does (one flit per cycle); beyond
  // that every source is throttled by the same factor
  const rho = net.maxUtilisation(span);
  if (rho > 1) {
    a.deliveredInWindow /= rho;
    a.remoteInWindow /= rho;
    for (let n = 0; n < N; n++) a.perNode[n] /= rho;
  }
  return finish(o, a, counters, 'ok', o.cycles);
}

/**
 * Channel-load bound: the largest offered rate (packets/node/cycle) that no link, injection port or
 * ejection port would need more than one flit per cycle for, given the pattern's destination
 * distribution and the routing function (exact expected loads, Dally & Towles ch. 3).
 * Uniform k x k mesh, k even, XY: 4/(k*F); transpose under XY: 1/((k-1)*F).
 */
export function channelLoadBound(opts: Partial<SyntheticOptions>): number {
  const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, ...opts };
  const N = o.width * o.height;
  const W = o.width;
  const H = o.height;
  if (o.traffic === 'uniform' && (o.routing === 'xy' || o.routing === 'yx')) {
    // closed form (both orders): an x link between columns x and x+1 carries (x+1)(W-1-x)H/N
    // packets per unit rate, a y link between rows y and y+1 carries (y+1)(H-1-y)W/N; each node
    // injects and ejects 1 per unit rate
    let g = 1;
    for (let x = 0; x + 1 < W; x++) g = Math.max(g, ((x + 1) * (W - 1 - x) * H) / N);
    for (let y = 0; y + 1 < H; y++) g = Math.max(g, ((y + 1) * (H - 1 - y) * W) / N);
    return 1 / (g * o.packetFlits);
  }
  const pairs = o.traffic === 'uniform' || o.traffic === 'hotspot' ? N * N : N;
  if (pairs * (W + H) > 5e7) return Number.NaN; // too large to enumerate
  const cfg = syntheticConfig(o);
  const load = new Float64Array(N * 6); // links 0..4N-1, injection, ejection (flits per cycle at rate 1)
  const F = o.packetFlits;
  const add = (src: number, dst: number, p: number): void => {
    if (p === 0) return;
    load[4 * N + src] += p * F;
    load[5 * N + dst] += p * F;
    let x = src % o.width;
    let y = (src - x) / o.width;
    const dx = dst % o.width;
    const dy = (dst - dx) / o.width;
    for (let hop = 0; hop <= 4 * N; hop++) {
      const out = cfg.routing.route(x, y, dx, dy);
      if (out < 0 || out >= 4) return;
      load[(y * o.width + x) * 4 + out] += p * F;
      x += out === 0 ? 1 : out === 1 ? -1 : 0;
      y += out === 2 ? 1 : out === 3 ? -1 : 0;
    }
  };
  const hot = Math.floor(o.height / 2) * o.width + Math.floor(o.width / 2);
  for (let n = 0; n < N; n++) {
    const x = n % o.width;
    const y = (n - x) / o.width;
    switch (o.traffic) {
      case 'uniform':
        for (let d = 0; d < N; d++) add(n, d, 1 / N);
        break;
      case 'hotspot':
        add(n, hot, o.hotspotFraction);
        for (let d = 0; d < N; d++) add(n, d, (1 - o.hotspotFraction) / N);
        break;
      case 'transpose':
        add(n, x * o.width + y, 1);
        break;
      case 'bitcomp':
        add(n, (o.height - 1 - y) * o.width + (o.width - 1 - x), 1);
        break;
      case 'neighbor':
        add(n, ((y + 1) % o.height) * o.width + ((x + 1) % o.width), 1);
        break;
    }
  }
  let max = 0;
  for (let i = 0; i < load.length; i++) if (load[i] > max) max = load[i];
  return 1 / max;
}
