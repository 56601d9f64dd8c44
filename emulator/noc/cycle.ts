/**
 * Flit-level, cycle-by-cycle mesh of input-queued virtual-channel routers (BookSim2 `iq`-style).
 *
 * Per router: 5 input ports (E, W, N, S, local injection) x `vcs` virtual channels, each a FIFO of
 * `bufferDepth` flits; 5 output ports (E, W, N, S, local ejection). Pipeline of a head flit, each
 * stage with its own delay in cycles:
 *   arrive at t -> RC done at t+rc -> VA won at u >= t+rc -> SA won at w >= u+va
 *   -> switch traversal st -> link traversal lt(link) -> written into the downstream buffer at w+sa+st+lt.
 * Body flits skip RC and VA (they inherit the head's output VC) and enter SA at >= arrival+rc+va.
 * Zero-load packet latency, H links, F flits (docs/NOC.md):
 *   T0 = t_inject + (H+1)*(rc+va+sa+st) + sum(lt over the H links) + t_eject + (F-1)
 * Flow control: credit-based. A credit is modelled by the freed slot's timestamp: the upstream
 * router may use the downstream slot freed at cycle f from cycle f+creditDelay on (FIFO slots are
 * freed and refilled in the same order, so the slot to be written next is always the oldest freed).
 * Allocation: separable input-first round-robin allocators for VA (input VC picks a free output VC,
 * output VC grants one input VC) and SA (input port picks one VC, output port grants one input port).
 * Output VCs are released when the tail flit wins SA (wormhole, non-atomic buffer reuse).
 * Ejection: the local output port passes one flit per cycle to the sink, which never back-pressures.
 * Injection: one source queue per router (unbounded, BookSim-style; models.ts routeStepQueued bounds
 * each core's share of it); the source feeds one flit per cycle into a local input VC chosen
 * round-robin per packet, subject to credits. `accepted` lists the packets whose tail left a source
 * queue in the last cycle, so the caller can let the core produce its next packet.
 *
 * How it runs (event-driven, with results identical to visiting every router every cycle):
 * - A head flit can act (RC+VA, or SA) from a known cycle: arrival + rc, VA grant + va, or a credit's
 *   return. The VC is put in a calendar (a time wheel of intrusive lists, longer than the longest
 *   delay ahead) at that cycle; when the cycle comes, its bit in the port's ready mask (P_RDY) is set
 *   and its router is marked for a visit. A cycle visits only the marked routers, in ascending index
 *   order (as a full scan would), and a visit scans only the ready VCs; everything else costs nothing.
 * - A ready flit that does not move stays ready: a lost allocation marks its router for the next
 *   cycle, a missing credit lists the VC at the credit's arrival, a full downstream buffer records
 *   the waiting VC there (Q_FULLWAIT) and that buffer's next departure lists it, and a routed VC that
 *   finds every output VC held waits for a tail leaving its router. Stall cycles are counted across
 *   the cycles a router is not visited.
 * - A VC granted an output VC with va = 1 is SA-ready in the next cycle: it keeps its ready bit and its
 *   router is marked for the next cycle instead of going through the calendar.
 * - A router with one ready VC takes a short path (visitOne) that grants exactly what the separable
 *   allocators grant a lone requester and moves the same round-robin pointers.
 * - State is a few Int32Arrays of fixed-stride records (one per input VC with its slot ring, one per
 *   port, one per router, one per source queue), so the hot code indexes few arrays and a VC's fields
 *   share cache lines; routes come from a precomputed router x destination table; one cycle
 *   allocates nothing. When nothing can happen until a known future cycle the clock jumps there.
 * A configuration where no flit can ever move again (deadlock), or where no flit moved for
 * `stallLimit` cycles, stops the run with `stalled` set — never a hang.
 *
 * Not modelled: speculative allocation, router speedup, adaptive routing state, multicast, faults.
 */
import { DIR_DX, DIR_DY, OPPOSITE, PORT_LOCAL } from './topology.js';
import type { RoutingFunction } from './routing.js';
import { InputError } from '../errors.js';
import type { NocCounters } from './counters.js';

export interface CycleConfig {
  /** Routers across (x) and up (y) the mesh. */
  width: number;
  height: number;
  /** Virtual channels per input port (1..32). */
  vcs: number;
  /** Flits per VC input buffer (>= 1). */
  bufferDepth: number;
  /** Pipeline stage delays in cycles: route computation, VC allocation, switch allocation, switch traversal. */
  rcDelay: number;
  vaDelay: number;
  saDelay: number;
  stDelay: number;
  /** Cycles for a credit to reach the upstream router (>= 1). */
  creditDelay: number;
  /** Cycles from the source to the router's local input buffer (>= 1). */
  injectDelay: number;
  /** Cycles from the local output port to the destination core (>= 0). */
  ejectDelay: number;
  /** Link traversal cycles per output link, index router*4+dir (>= 1 where the link exists). */
  linkDelay: Int32Array;
  /** Per output link: -1 no link (mesh edge), 0 on-chip link, 1 chip-to-chip link. */
  linkKind: Int8Array;
  routing: RoutingFunction;
  /** Stop with `stalled` when flits are in the network and none moved for this many cycles. */
  stallLimit: number;
}

const PORTS = 5;
// module-local copies: the hot loop reads plain constants, not live import bindings
const LOCAL: number = PORT_LOCAL;
const OPP: Int32Array = Int32Array.from(OPPOSITE);

/** Index of the first set bit of `mask` at or after `ptr`, wrapping around `n` bits (`full` = all n bits). */
function pickRoundRobin(mask: number, ptr: number, n: number, full: number): number {
  const rot = ptr === 0 ? mask : ((mask >>> ptr) | (mask << (n - ptr))) & full;
  let i = 31 - Math.clz32(rot & -rot) + ptr;
  if (i >= n) i -= n;
  return i;
}
const ST_ROUTE = 0;
const ST_VA = 1;
const ST_ACTIVE = 2;
const NEVER = 2147483647;
/** Largest number of flit buffer slots the cycle model allocates (16 bytes each). */
const MAX_BUFFER_SLOTS = 1 << 25;
const LONG_AGO = -1073741824;
/** Route table entry of a route the plug-in got wrong (off the mesh, or ejecting at the wrong router). */
const BAD_ROUTE = 7;
/** Largest mesh (routers) whose routes are precomputed into a router x destination table (1 byte each). */
const MAX_ROUTE_TABLE_ROUTERS = 1024;

// Record of input VC q = (router*5 + port)*V + v in `vc`, at q*VS (one Int32Array for all VC state,
// so a VC's fields share cache lines and the hot code indexes one array). Output VC o (same
// numbering: (router*5 + output port)*V + v) keeps its VA round-robin pointer in the record of the
// same index.
/** Ring index of the head flit. */
const Q_HEAD = 0;
/** Flits in the buffer (including flits still on the link, which count against credits). */
const Q_COUNT = 1;
/** ST_ROUTE (head not routed), ST_VA (routed, waiting for an output VC), ST_ACTIVE (holds one). */
const Q_STATE = 2;
const Q_OUTPORT = 3;
const Q_OUTVC = 4;
/** ST_ACTIVE: the cycle from which its flits may enter SA (VA grant + va). */
const Q_READYAT = 5;
/** The cycle from which the upstream router may write its next flit (its slot's credit is back), NEVER while full. */
const Q_CREDAT = 6;
/** VA stage-1 round-robin pointer over output VCs. */
const Q_VAIN = 7;
/** 1 + the upstream input VC whose head flit found this VC full (its next departure lists that VC at the credit's arrival), else 0. */
const Q_FULLWAIT = 8;
/** The calendar cycle this VC is listed at, -1 if not listed. */
const Q_WHEELAT = 9;
/** Next VC in the same calendar bucket, -1 ends. */
const Q_WHEELNEXT = 10;
/** Of the output VC with this index: VA stage-2 round-robin pointer over the router's input VCs. */
const Q_VAOUT = 11;
/** Then bufferDepth slots of 4: packet, flit index, arrival cycle, cycle freed. */
const Q_SLOTS = 12;

// Record of port index pi = router*5 + port in `pt`, at pi*PS
const PS = 8;
/** Bit v: input VC v holds flits. */
const P_OCC = 0;
/** Bit v: the head flit of input VC v can act now (RC/VA or SA); subset of P_OCC. */
const P_RDY = 1;
/** Bit v: input VC v holds an output VC (ST_ACTIVE). */
const P_ACT = 2;
/** Bit v: output VC v of this output port is free. */
const P_OVCFREE = 3;
/** SA stage-1 pointer of the input port (over its VCs). */
const P_SAIN = 4;
/** SA stage-2 pointer of the output port (over input ports). */
const P_SAOUT = 5;

// Record of router r in `rt`, at r*RS
const RS = 16;
/** Bit p: input port p holds flits. */
const R_PORTOCC = 0;
/** Flits held in (or on the way to) the router's input buffers. */
const R_FLITS = 1;
/** The cycle of its last visit if a ready flit could not move then, else -1 (stall accounting across skipped cycles). */
const R_STALLFROM = 2;
/** Input VCs whose head can act now (set bits of its P_RDY masks). */
const R_RDYN = 3;
/** Neighbour router by direction E, W, N, S (4 entries), -1 at a mesh edge. */
const R_NB = 4;
/** Link delay of each output link (4 entries). */
const R_LINK = 8;
/** Link kind of each output link (4 entries): -1 none, 0 on-chip, 1 chip-to-chip. */
const R_KIND = 12;

// Record of router r's source queue in `src`, at r*SS
const SS = 8;
const S_HEAD = 0;
const S_TAIL = 1;
/** Packet being injected, -1 if none. */
const S_CUR = 2;
/** Flits of S_CUR injected so far. */
const S_SENT = 3;
/** Local input VC that S_CUR goes into. */
const S_VC = 4;
/** Round-robin pointer for the next packet's local input VC. */
const S_VCPTR = 5;

export class CycleNetwork {
  readonly routers: number;
  /** Current cycle (the next cycle to simulate). */
  now = 0;
  /** Set when the network stopped making progress; `stallReason` says why. */
  stalled = false;
  stallReason = '';
  /** Packets delivered during the last cycle() call (ids), `deliveredCount` of them. */
  delivered: Int32Array = new Int32Array(64);
  deliveredCount = 0;
  /**
   * Packets whose tail flit left their source queue (entered the router's local input buffer) during
   * the last cycle() call (ids), `acceptedCount` of them: the source may reuse the queue slot.
   */
  accepted: Int32Array = new Int32Array(64);
  acceptedCount = 0;
  /** Flits buffered or in flight inside the mesh plus flits waiting in source queues. */
  flitsInNetwork = 0;
  packetsQueued = 0;

  private readonly V: number;
  private readonly B: number;
  /** Int32s per VC record: Q_SLOTS + 4 * bufferDepth. */
  private readonly VS: number;
  /** Bit v set for all V bits: (1 << V) - 1. */
  private readonly vcMask: number;
  /** Per input VC record (see Q_*). */
  private readonly vc: Int32Array;
  /** Per port record (see P_*). */
  private readonly pt: Int32Array;
  /** Per router record (see R_*). */
  private readonly rt: Int32Array;
  /** Per router source queue record (see S_*). */
  private readonly src: Int32Array;
  /**
   * Calendar of input VCs (a time wheel of intrusive lists, longer than the longest delay ahead):
   * VC q is listed at the cycle its head flit can act, or at the cycle a credit its ready head flit
   * waits for arrives. wheelHead[cycle & wheelMask] -> first VC, then Q_WHEELNEXT; a VC is listed at
   * most once (Q_WHEELAT).
   */
  private readonly wheelHead: Int32Array;
  private readonly wheelMask: number;
  private wheelCount = 0;
  /** Routers to visit in the current / next cycle: bit r&31 of word r>>5 (set by calendar entries and retries). */
  private readonly visit: Int32Array;
  /** Routers whose source queue holds a packet (being) injected: bit r&31 of word r>>5. */
  private readonly srcBusy: Int32Array;
  /** Earliest later cycle at which a waiting source can inject (set by injectSources). */
  private srcWake = NEVER;
  /**
   * Allocator scratch of one router visit: SA stage-1 choice per input port at [0, 5) (-1 none),
   * SA requests per output port at [8, 13) (bit = input port), then VA requests (input VC, output VC)
   * at [16, 16+PV) and [16+PV, 16+2PV), and the VA stage-2 best requester per output VC at
   * [16+2PV, 16+3PV) (-1 none).
   */
  private readonly scratch: Int32Array;
  private readonly rx: Int32Array;
  private readonly ry: Int32Array;
  /** routeTable[router * routers + destination] = output port, or BAD_ROUTE; null on meshes above MAX_ROUTE_TABLE_ROUTERS. */
  private readonly routeTable: Int8Array | null;
  // packet table (growable, recycled through a free list)
  pktSrc: Int32Array = new Int32Array(0);
  pktDst: Int32Array = new Int32Array(0);
  pktFlits: Int32Array = new Int32Array(0);
  pktCreated: Float64Array = new Float64Array(0);
  pktDone: Float64Array = new Float64Array(0);
  pktHops: Int32Array = new Int32Array(0);
  pktTag: Int32Array = new Int32Array(0);
  /** Cycle at which the packet's head flit left its source queue into the router (-1 before). */
  pktInjected: Int32Array = new Int32Array(0);
  private pktNext: Int32Array = new Int32Array(0);
  private pktDstX: Int32Array = new Int32Array(0);
  private pktDstY: Int32Array = new Int32Array(0);
  private freeHead = -1;
  private pktUsed = 0;
  private lastMove = 0;

  constructor(
    readonly cfg: CycleConfig,
    readonly counters: NocCounters,
  ) {
    const R = cfg.width * cfg.height;
    this.routers = R;
    const V = (this.V = cfg.vcs);
    const B = (this.B = cfg.bufferDepth);
    const NQ = R * PORTS * V;
    if (NQ * B > MAX_BUFFER_SLOTS) {
      throw new InputError('<noc>', [
        { where: 'vcs x bufferDepth', message: `${R} routers x 5 ports x ${V} VCs x ${B} flits = ${NQ * B} buffer slots is more than the cycle model's ${MAX_BUFFER_SLOTS}; use fewer VCs, shallower buffers or the analytic model` },
      ]);
    }
    this.VS = Q_SLOTS + 4 * B;
    this.vcMask = V === 32 ? -1 : (1 << V) - 1;
    this.vc = new Int32Array(NQ * this.VS);
    this.pt = new Int32Array(R * PORTS * PS);
    this.rt = new Int32Array(R * RS);
    this.src = new Int32Array(R * SS);
    this.rx = new Int32Array(R);
    this.ry = new Int32Array(R);
    const rt = this.rt;
    for (let r = 0; r < R; r++) {
      const x = r % cfg.width;
      const y = (r - x) / cfg.width;
      this.rx[r] = x;
      this.ry[r] = y;
      for (let d = 0; d < 4; d++) {
        const nx = x + DIR_DX[d];
        const ny = y + DIR_DY[d];
        rt[r * RS + R_NB + d] = nx >= 0 && ny >= 0 && nx < cfg.width && ny < cfg.height ? ny * cfg.width + nx : -1;
        rt[r * RS + R_LINK + d] = cfg.linkDelay[r * 4 + d];
        rt[r * RS + R_KIND + d] = cfg.linkKind[r * 4 + d];
      }
    }
    // the farthest ahead a VC is ever listed: a flit written at t arrives by t + max(sa+st+link,
    // inject) and its head can act by arrival + rc + va; a credit arrives by t + creditDelay
    let maxLink = 0;
    for (let i = 0; i < cfg.linkDelay.length; i++) if (cfg.linkDelay[i] > maxLink) maxLink = cfg.linkDelay[i];
    const horizon = Math.max(cfg.saDelay + cfg.stDelay + maxLink, cfg.injectDelay) + cfg.rcDelay + cfg.vaDelay + cfg.creditDelay + 2;
    let wheelSize = 8;
    while (wheelSize <= horizon) wheelSize *= 2;
    this.wheelHead = new Int32Array(wheelSize);
    this.wheelMask = wheelSize - 1;
    this.visit = new Int32Array((R + 31) >>> 5);
    this.srcBusy = new Int32Array((R + 31) >>> 5);
    this.scratch = new Int32Array(16 + 3 * PORTS * V);
    // the routing plug-in is a pure function of (router, destination): precompute it once
    if (R <= MAX_ROUTE_TABLE_ROUTERS) {
      const table = new Int8Array(R * R);
      for (let r = 0; r < R; r++) for (let d = 0; d < R; d++) table[r * R + d] = this.checkedRoute(r, d);
      this.routeTable = table;
    } else this.routeTable = null;
    this.clearState();
    this.growPackets(256);
  }

  /** Empty buffers, free every VC, rewind every round-robin pointer, clear the calendar. */
  private clearState(): void {
    const { vc, pt, rt, src, VS, B } = this;
    vc.fill(0);
    const credit = LONG_AGO + this.cfg.creditDelay;
    for (let q = 0, n = vc.length / VS; q < n; q++) {
      const b = q * VS;
      vc[b + Q_CREDAT] = credit;
      vc[b + Q_WHEELAT] = -1;
      vc[b + Q_WHEELNEXT] = -1;
      for (let i = 0; i < B; i++) vc[b + Q_SLOTS + i * 4 + 3] = LONG_AGO;
    }
    pt.fill(0);
    for (let p = 0; p < pt.length; p += PS) pt[p + P_OVCFREE] = this.vcMask;
    for (let r = 0; r < this.routers; r++) {
      const b = r * RS;
      rt[b + R_PORTOCC] = 0;
      rt[b + R_FLITS] = 0;
      rt[b + R_STALLFROM] = -1;
      rt[b + R_RDYN] = 0;
    }
    src.fill(0);
    for (let r = 0; r < this.routers; r++) {
      src[r * SS + S_HEAD] = -1;
      src[r * SS + S_TAIL] = -1;
      src[r * SS + S_CUR] = -1;
    }
    this.wheelHead.fill(-1);
    this.wheelCount = 0;
    this.visit.fill(0);
    this.srcBusy.fill(0);
    this.scratch.fill(-1);
    this.scratch.fill(0, 8, 8 + PORTS); // SA requests per output port: none
  }

  /** Zero-load latency in cycles for H links with summed link delay `linkSum`, F flits. */
  zeroLoad(h: number, linkSum: number, flits: number): number {
    const c = this.cfg;
    return c.injectDelay + (h + 1) * (c.rcDelay + c.vaDelay + c.saDelay + c.stDelay) + linkSum + c.ejectDelay + (flits - 1);
  }

  /**
   * Empty the network, rewind every round-robin pointer and set the clock to `start` (keeps storage
   * and counters), so a run from here does not depend on what the network did before.
   */
  reset(start = 0): void {
    this.clearState();
    this.now = start;
    this.lastMove = start;
    this.stalled = false;
    this.stallReason = '';
    this.flitsInNetwork = 0;
    this.packetsQueued = 0;
    this.deliveredCount = 0;
    this.acceptedCount = 0;
    this.freeHead = -1;
    this.pktUsed = 0;
  }

  /**
   * Queue a packet at router `src`'s injection port, created at cycle `created` (<= the cycle it
   * may first be injected; the caller adds packets in creation order). Returns its id.
   */
  addPacket(src: number, dst: number, flits: number, created: number, tag: number): number {
    let id = this.freeHead;
    if (id >= 0) this.freeHead = this.pktNext[id];
    else {
      if (this.pktUsed === this.pktSrc.length) this.growPackets(this.pktUsed * 2);
      id = this.pktUsed++;
    }
    this.pktSrc[id] = src;
    this.pktDst[id] = dst;
    this.pktDstX[id] = this.rx[dst];
    this.pktDstY[id] = this.ry[dst];
    this.pktFlits[id] = flits;
    this.pktCreated[id] = created;
    this.pktDone[id] = -1;
    this.pktHops[id] = 0;
    this.pktTag[id] = tag;
    this.pktInjected[id] = -1;
    this.pktNext[id] = -1;
    const s = src * SS;
    const tail = this.src[s + S_TAIL];
    if (tail < 0) this.src[s + S_HEAD] = id;
    else this.pktNext[tail] = id;
    this.src[s + S_TAIL] = id;
    this.srcBusy[src >>> 5] |= 1 << (src & 31);
    this.flitsInNetwork += flits;
    this.packetsQueued++;
    return id;
  }

  /** Return a delivered packet's id to the free list. */
  release(id: number): void {
    this.pktNext[id] = this.freeHead;
    this.freeHead = id;
  }

  private growPackets(n: number): void {
    const g32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.pktSrc = g32(this.pktSrc);
    this.pktDst = g32(this.pktDst);
    this.pktFlits = g32(this.pktFlits);
    this.pktCreated = g64(this.pktCreated);
    this.pktDone = g64(this.pktDone);
    this.pktHops = g32(this.pktHops);
    this.pktTag = g32(this.pktTag);
    this.pktInjected = g32(this.pktInjected);
    this.pktNext = g32(this.pktNext);
    this.pktDstX = g32(this.pktDstX);
    this.pktDstY = g32(this.pktDstY);
  }

  /** Is router r's source queue empty (its current packet, if any, may still be injecting)? */
  sourceQueueEmpty(r: number): boolean {
    return this.src[r * SS + S_HEAD] < 0;
  }

  private pushAccepted(id: number): void {
    if (this.acceptedCount === this.accepted.length) {
      const b = new Int32Array(this.accepted.length * 2);
      b.set(this.accepted);
      this.accepted = b;
    }
    this.accepted[this.acceptedCount++] = id;
  }

  private pushDelivered(id: number): void {
    if (this.deliveredCount === this.delivered.length) {
      const b = new Int32Array(this.delivered.length * 2);
      b.set(this.delivered);
      this.delivered = b;
    }
    this.delivered[this.deliveredCount++] = id;
  }

  /** List input VC q (record at qb = q*VS) in the calendar at cycle t (> now; q is not listed). */
  private listAt(q: number, qb: number, t: number): void {
    const b = t & this.wheelMask;
    const vc = this.vc;
    vc[qb + Q_WHEELNEXT] = this.wheelHead[b];
    vc[qb + Q_WHEELAT] = t;
    this.wheelHead[b] = q;
    this.wheelCount++;
  }

  /**
   * Simulate cycle `now` and advance. `nextCreate` is the earliest cycle at which the caller will add
   * a new packet (NEVER if none); the clock may jump ahead to the next cycle where something can
   * happen, but never past nextCreate. Returns the number of flit moves and VC allocations made
   * (0 = no progress this cycle).
   */
  cycle(nextCreate: number): number {
    const now = this.now;
    this.deliveredCount = 0;
    this.acceptedCount = 0;
    const visit = this.visit;
    const RW = visit.length;
    const rt = this.rt;

    // 0. the calendar's VCs for this cycle: a head flit that can act now (its ready bit is set), or a
    // ready head flit whose credit arrives now; either way its router is visited this cycle
    const wheelHead = this.wheelHead;
    const b = now & this.wheelMask;
    let q = wheelHead[b];
    if (q >= 0) {
      wheelHead[b] = -1;
      const vc = this.vc;
      const pt = this.pt;
      const V = this.V;
      const VS = this.VS;
      let n = 0;
      while (q >= 0) {
        const qb = q * VS;
        const nq = vc[qb + Q_WHEELNEXT];
        vc[qb + Q_WHEELAT] = -1;
        const pi = (q / V) | 0;
        const bit = 1 << (q - pi * V);
        const r = (pi / PORTS) | 0;
        const pb = pi * PS + P_RDY;
        if ((pt[pb] & bit) === 0) {
          pt[pb] |= bit;
          rt[r * RS + R_RDYN]++;
        }
        visit[r >>> 5] |= 1 << (r & 31);
        n++;
        q = nq;
      }
      this.wheelCount -= n;
    }

    // 1. sources inject one flit per cycle into the local input port
    let moved = this.injectSources(now);
    let wake = this.srcWake;

    // 2. routers: those the calendar or a retry listed for this cycle, in ascending order (a router
    // lists itself again for the next cycle after its word was read); a router with a single ready
    // VC takes the short path (the same allocation outcome without the allocators' bookkeeping)
    const oneOk = this.cfg.vaDelay !== 0;
    for (let w = 0; w < RW; w++) {
      let bits = visit[w];
      if (bits === 0) continue;
      visit[w] = 0;
      while (bits !== 0) {
        const rbit = bits & -bits;
        bits ^= rbit;
        const r = (w << 5) + 31 - Math.clz32(rbit);
        moved += oneOk && rt[r * RS + R_RDYN] === 1 ? this.visitOne(r, now) : this.visitRouter(r, now);
      }
    }

    if (moved > 0) {
      this.lastMove = now;
      this.now = now + 1;
      return moved;
    }
    // nothing moved: the next cycle at which anything can happen
    let again = false;
    for (let w = 0; w < RW; w++) if (visit[w] !== 0) again = true;
    if (again) wake = now + 1;
    else if (this.wheelCount > 0) {
      for (let t = now + 1; t < wake; t++) {
        if (wheelHead[t & this.wheelMask] >= 0) {
          wake = t;
          break;
        }
      }
    }
    const cfg = this.cfg;
    if (this.flitsInNetwork > 0) {
      if (wake === NEVER) {
        this.stalled = true;
        this.stallReason = `stalled: no flit can move at cycle ${now} (deadlock: every waiting flit needs a buffer or VC held by another waiting flit)`;
      } else if (now - this.lastMove >= cfg.stallLimit) {
        this.stalled = true;
        this.stallReason = `stalled: no flit moved for ${now - this.lastMove} cycles`;
      }
    }
    let next = wake < nextCreate ? wake : nextCreate;
    if (next <= now) next = now + 1;
    if (this.flitsInNetwork > 0 && next - this.lastMove > cfg.stallLimit + 1) next = this.lastMove + cfg.stallLimit + 1;
    if (next === NEVER) next = now + 1;
    this.now = next;
    return 0;
  }

  /**
   * Each source with a packet feeds one flit into a local input VC of its router (round-robin per
   * packet, subject to credits). Returns the flits injected; sets `srcWake` to the earliest later
   * cycle at which a waiting source can inject (NEVER if none).
   */
  private injectSources(now: number): number {
    const V = this.V;
    const VS = this.VS;
    const B = this.B;
    const vc = this.vc;
    const src = this.src;
    const pktCreated = this.pktCreated;
    const srcBusy = this.srcBusy;
    const RW = srcBusy.length;
    const cfg = this.cfg;
    const injectDelay = cfg.injectDelay;
    const creditDelay = cfg.creditDelay;
    let wake = NEVER;
    let moved = 0;
    for (let w = 0; w < RW; w++) {
      for (let bits = srcBusy[w]; bits !== 0; ) {
        const bit = bits & -bits;
        bits ^= bit;
        const r = (w << 5) + 31 - Math.clz32(bit);
        const s = r * SS;
        let p = src[s + S_CUR];
        if (p < 0) {
          p = src[s + S_HEAD];
          if (p < 0) {
            srcBusy[w] &= ~bit; // nothing left to inject
            continue;
          }
          if (pktCreated[p] > now) {
            if (pktCreated[p] < wake) wake = pktCreated[p];
            continue;
          }
          // pick a local input VC with a credit, round-robin from the pointer
          const base = (r * PORTS + LOCAL) * V;
          let chosen = -1;
          let soonest = NEVER;
          for (let i = 0, v = src[s + S_VCPTR]; i < V; i++, v = v + 1 === V ? 0 : v + 1) {
            const t = vc[(base + v) * VS + Q_CREDAT];
            if (t <= now) {
              chosen = v;
              break;
            }
            if (t < soonest) soonest = t;
          }
          if (chosen < 0) {
            if (soonest < wake) wake = soonest;
            continue;
          }
          const nh = this.pktNext[p];
          src[s + S_HEAD] = nh;
          if (nh < 0) src[s + S_TAIL] = -1;
          src[s + S_CUR] = p;
          src[s + S_SENT] = 0;
          src[s + S_VC] = chosen;
          src[s + S_VCPTR] = chosen + 1 === V ? 0 : chosen + 1;
          this.packetsQueued--;
          this.pktInjected[p] = now;
        }
        const lv = src[s + S_VC];
        const q = (r * PORTS + LOCAL) * V + lv;
        const qb = q * VS;
        const ct = vc[qb + Q_CREDAT];
        if (ct > now) {
          if (ct < wake) wake = ct;
          continue;
        }
        // write flit k into the local input VC, visible from now + injectDelay
        const k = src[s + S_SENT]++;
        const arrive = now + injectDelay;
        const c = vc[qb + Q_COUNT];
        let sl = vc[qb + Q_HEAD] + c;
        sl -= B & ((B - 1 - sl) >> 31); // wrap (branch-free: no late deopt on first wrap)
        const so = qb + Q_SLOTS + sl * 4;
        vc[so] = p;
        vc[so + 1] = k;
        vc[so + 2] = arrive;
        vc[qb + Q_COUNT] = c + 1;
        if (c === 0) {
          const pi = r * PORTS + LOCAL;
          this.pt[pi * PS + P_OCC] |= 1 << lv;
          this.rt[r * RS + R_PORTOCC] |= 1 << LOCAL;
          let t = arrive + cfg.rcDelay;
          if (vc[qb + Q_STATE] === ST_ACTIVE) {
            t += cfg.vaDelay;
            if (vc[qb + Q_READYAT] > t) t = vc[qb + Q_READYAT];
          }
          this.listAt(q, qb, t);
        }
        if (c + 1 >= B) vc[qb + Q_CREDAT] = NEVER;
        else {
          let ns = sl + 1;
          ns -= B & ((B - 1 - ns) >> 31);
          vc[qb + Q_CREDAT] = vc[qb + Q_SLOTS + ns * 4 + 3] + creditDelay;
        }
        const nf = ++this.rt[r * RS + R_FLITS];
        if (nf > this.counters.peakBufferFlits[r]) this.counters.peakBufferFlits[r] = nf;
        this.counters.flits++;
        moved++;
        if (k + 1 === this.pktFlits[p]) {
          src[s + S_CUR] = -1;
          if (src[s + S_HEAD] < 0) srcBusy[w] &= ~bit;
          this.pushAccepted(p);
        } else if (now + 1 < wake) wake = now + 1;
      }
    }
    this.srcWake = wake;
    return moved;
  }

  /**
   * Router r in cycle `now`: VA and SA over its ready VCs, then the switch winners move. Lists the
   * router for the next cycle when something ready lost an allocation or can act again then.
   * Returns the number of flit moves and VC allocations.
   */
  private visitRouter(r: number, now: number): number {
    const V = this.V;
    const VS = this.VS;
    const PV = PORTS * V;
    const va = this.cfg.vaDelay;
    const full = this.vcMask;
    const vc = this.vc;
    const pt = this.pt;
    const rt = this.rt;
    const sc = this.scratch;
    const REQ_Q = 16;
    const REQ_O = 16 + PV;
    const BEST = 16 + 2 * PV;
    const rb = r * RS;
    const rq = r * PV;
    const rp = r * PORTS;
    const cStall = this.counters.stallCycles;
    let moved = 0;
    let retry = false; // something ready lost an allocation, or can act again next cycle
    let vaWaiting = false; // a routed VC found every output VC held
    if (rt[rb + R_STALLFROM] >= 0) cStall[r] += now - rt[rb + R_STALLFROM] - 1; // stalled through the skipped cycles
    let nReq = 0;
    // One pass over the ready VCs in round-robin order per input port: routed-but-unallocated VCs
    // make VA stage-1 requests (RC, then ask for one free output VC), VCs holding an output VC make
    // SA stage-1 requests (each input port picks the first eligible VC from its pointer). With a
    // zero-cycle VA delay, VCs allocated in this cycle may also compete for the switch, so SA
    // stage 1 runs again after the VA grants (pass 1).
    const ports = rt[rb + R_PORTOCC];
    let granted = 0;
    let readyVa = 0; // VA candidates this cycle
    let readySa = 0; // SA candidates this cycle
    let outs = 0;
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) {
        if (va !== 0 || granted === 0) break;
        for (let o = 0; o < PORTS; o++) sc[8 + o] = 0;
        outs = 0;
        readySa = 0;
      }
      sc[0] = -1;
      sc[1] = -1;
      sc[2] = -1;
      sc[3] = -1;
      sc[4] = -1;
      for (let pm = ports; pm !== 0; ) {
        const pbit = pm & -pm;
        pm ^= pbit;
        const ip = 31 - Math.clz32(pbit);
        const pb = (rp + ip) * PS;
        const m0 = pt[pb + P_RDY];
        if (m0 === 0) continue;
        const actMask = pt[pb + P_ACT];
        const ptr = pt[pb + P_SAIN];
        let m = ptr === 0 ? m0 : ((m0 >>> ptr) | (m0 << (V - ptr))) & full;
        while (m !== 0) {
          const bit = m & -m;
          m ^= bit;
          let v = 31 - Math.clz32(bit) + ptr;
          if (v >= V) v -= V;
          const q = rq + ip * V + v;
          const qb = q * VS;
          if (((actMask >>> v) & 1) === 0) {
            if (pass === 1) continue;
            // RC and VA stage 1: route computation has ended (the VC is ready); the route (a pure
            // function) is computed then
            if (vc[qb + Q_STATE] === ST_ROUTE) this.route(r, qb);
            readyVa++;
            const outp = vc[qb + Q_OUTPORT];
            const fm = pt[(rp + outp) * PS + P_OVCFREE];
            if (fm === 0) {
              vaWaiting = true; // every output VC is held: a tail leaving this router frees one
              continue;
            }
            const ov = pickRoundRobin(fm, vc[qb + Q_VAIN], V, full);
            sc[REQ_Q + nReq] = ip * V + v;
            sc[REQ_O + nReq] = outp * V + ov;
            nReq++;
            continue;
          }
          // SA stage 1
          readySa++;
          const outp = vc[qb + Q_OUTPORT];
          if (outp !== LOCAL) {
            const dqb = ((rt[rb + R_NB + outp] * PORTS + OPP[outp]) * V + vc[qb + Q_OUTVC]) * VS;
            const ct = vc[dqb + Q_CREDAT];
            if (ct === NEVER) {
              vc[dqb + Q_FULLWAIT] = q + 1; // downstream full: its next departure lists q at the credit's arrival
              continue;
            }
            if (ct > now) {
              if (vc[qb + Q_WHEELAT] < 0) this.listAt(q, qb, ct); // the credit arrives then
              continue;
            }
          }
          if (sc[ip] < 0) {
            sc[ip] = v;
            sc[8 + outp] |= 1 << ip;
            outs |= 1 << outp;
          } else retry = true; // input-port conflict: the loser tries again next cycle
        }
      }
      if (pass === 1) break;
      if (nReq === 0) continue;
      // VA stage 2: each requested output VC grants one input VC, round-robin from its pointer (a
      // single request is granted as it is)
      if (nReq > 1) {
        for (let k = 0; k < nReq; k++) {
          const ol = sc[REQ_O + k];
          const b = sc[BEST + ol];
          const kq = sc[REQ_Q + k];
          if (b < 0) sc[BEST + ol] = kq;
          else {
            // distances from the output VC's pointer, mod PV (branch-free: no late deopt)
            const ptr = vc[(rq + ol) * VS + Q_VAOUT];
            let db = b - ptr;
            db += PV & (db >> 31);
            let dk = kq - ptr;
            dk += PV & (dk >> 31);
            if (dk < db) sc[BEST + ol] = kq;
          }
        }
      } else sc[BEST + sc[REQ_O]] = sc[REQ_Q];
      for (let k = 0; k < nReq; k++) {
        const ol = sc[REQ_O + k];
        const wq = sc[BEST + ol];
        if (wq < 0) continue;
        sc[BEST + ol] = -1;
        const q = rq + wq;
        const qb = q * VS;
        const outp = (ol / V) | 0;
        const ov = ol - outp * V;
        const wip = (wq / V) | 0;
        const wv = wq - wip * V;
        pt[(rp + outp) * PS + P_OVCFREE] &= ~(1 << ov);
        vc[(rq + ol) * VS + Q_VAOUT] = wq + 1 === PV ? 0 : wq + 1;
        vc[qb + Q_VAIN] = ov + 1 === V ? 0 : ov + 1;
        vc[qb + Q_OUTVC] = ov;
        vc[qb + Q_STATE] = ST_ACTIVE;
        pt[(rp + wip) * PS + P_ACT] |= 1 << wv;
        vc[qb + Q_READYAT] = now + va;
        if (va > 1) {
          // SA from now + va (>= arrival + rc + va, since VA starts at >= arrival + rc)
          pt[(rp + wip) * PS + P_RDY] &= ~(1 << wv);
          rt[rb + R_RDYN]--;
          this.listAt(q, qb, now + va);
        } else retry = true; // va = 1: SA-ready next cycle, it stays ready and the router is visited then; va = 0: may win the switch in pass 1, else tries next cycle
        moved++;
        granted++;
      }
      if (granted < nReq) retry = true; // lost VC allocation
    }
    let ready = readyVa - granted + readySa;
    // SA stage 2: each output port grants one requesting input port, round-robin; winners move
    while (outs !== 0) {
      const obit = outs & -outs;
      outs ^= obit;
      const op = 31 - Math.clz32(obit);
      const reqs = sc[8 + op];
      sc[8 + op] = 0;
      const ob = (rp + op) * PS;
      let win: number;
      if ((reqs & (reqs - 1)) === 0) win = 31 - Math.clz32(reqs); // a single requester wins
      else {
        win = pickRoundRobin(reqs, pt[ob + P_SAOUT], PORTS, 31);
        retry = true; // the others try again next cycle
      }
      pt[ob + P_SAOUT] = win + 1 === PORTS ? 0 : win + 1;
      const v = sc[win];
      pt[(rp + win) * PS + P_SAIN] = v + 1 === V ? 0 : v + 1;
      const s = this.sendFlit(r, win, v, op, now);
      // the VC's next flit can act at once, or a tail freed an output VC a routed VC waits for
      if ((s & 1) !== 0 || ((s & 2) !== 0 && vaWaiting)) retry = true;
      moved++;
      ready--;
    }
    if (ready > 0) {
      cStall[r]++;
      rt[rb + R_STALLFROM] = now;
    } else rt[rb + R_STALLFROM] = -1;
    if (retry) this.visit[r >>> 5] |= 1 << (r & 31);
    return moved;
  }

  /**
   * Router r in cycle `now` when exactly one of its VCs is ready and VA takes at least a cycle: what
   * visitRouter() does in that case, without its request lists. Alone, the VC's VA request (if it
   * finds a free output VC) or its SA request (if the downstream VC has a credit) is granted, and
   * the round-robin pointers move exactly as the separable allocators move them.
   */
  private visitOne(r: number, now: number): number {
    const V = this.V;
    const VS = this.VS;
    const vc = this.vc;
    const pt = this.pt;
    const rt = this.rt;
    const rb = r * RS;
    const rp = r * PORTS;
    const cStall = this.counters.stallCycles;
    const sf = rt[rb + R_STALLFROM];
    if (sf >= 0) cStall[r] += now - sf - 1; // stalled through the skipped cycles
    // the ready VC: the only set bit of the router's ready masks
    let ip = 0;
    while (pt[(rp + ip) * PS + P_RDY] === 0) ip++;
    const pb = (rp + ip) * PS;
    const m0 = pt[pb + P_RDY];
    const v = 31 - Math.clz32(m0);
    const q = (rp + ip) * V + v;
    const qb = q * VS;
    let moved = 0;
    let stalled = false;
    if (((pt[pb + P_ACT] >>> v) & 1) === 0) {
      // RC and VA
      if (vc[qb + Q_STATE] === ST_ROUTE) this.route(r, qb);
      const outp = vc[qb + Q_OUTPORT];
      const ob = (rp + outp) * PS;
      const fm = pt[ob + P_OVCFREE];
      if (fm === 0) stalled = true; // every output VC is held (only a tail leaving this router frees one)
      else {
        const ov = pickRoundRobin(fm, vc[qb + Q_VAIN], V, this.vcMask);
        const w = ip * V + v;
        const PV = PORTS * V;
        pt[ob + P_OVCFREE] = fm & ~(1 << ov);
        vc[(r * PV + outp * V + ov) * VS + Q_VAOUT] = w + 1 === PV ? 0 : w + 1;
        vc[qb + Q_VAIN] = ov + 1 === V ? 0 : ov + 1;
        vc[qb + Q_OUTVC] = ov;
        vc[qb + Q_STATE] = ST_ACTIVE;
        pt[pb + P_ACT] |= 1 << v;
        const t = now + this.cfg.vaDelay;
        vc[qb + Q_READYAT] = t;
        if (t === now + 1) this.visit[r >>> 5] |= 1 << (r & 31); // SA-ready next cycle: it stays ready, the router is visited then
        else {
          pt[pb + P_RDY] = m0 & ~(1 << v);
          rt[rb + R_RDYN]--;
          this.listAt(q, qb, t);
        }
        moved = 1;
      }
    } else {
      // SA
      const op = vc[qb + Q_OUTPORT];
      if (op !== LOCAL) {
        const dqb = ((rt[rb + R_NB + op] * PORTS + OPP[op]) * V + vc[qb + Q_OUTVC]) * VS;
        const ct = vc[dqb + Q_CREDAT];
        if (ct === NEVER) {
          vc[dqb + Q_FULLWAIT] = q + 1; // downstream full: its next departure lists q at the credit's arrival
          stalled = true;
        } else if (ct > now) {
          if (vc[qb + Q_WHEELAT] < 0) this.listAt(q, qb, ct); // the credit arrives then
          stalled = true;
        }
      }
      if (!stalled) {
        pt[(rp + op) * PS + P_SAOUT] = ip + 1 === PORTS ? 0 : ip + 1;
        pt[pb + P_SAIN] = v + 1 === V ? 0 : v + 1;
        if ((this.sendFlit(r, ip, v, op, now) & 1) !== 0) this.visit[r >>> 5] |= 1 << (r & 31);
        moved = 1;
      }
    }
    if (stalled) {
      cStall[r]++;
      rt[rb + R_STALLFROM] = now;
    } else rt[rb + R_STALLFROM] = -1;
    return moved;
  }

  /** Route computation for the head packet of the input VC whose record is at qb (router r): state ST_VA with its output port. */
  private route(r: number, qb: number): void {
    const vc = this.vc;
    const pkt = vc[qb + Q_SLOTS + vc[qb + Q_HEAD] * 4];
    const dst = this.pktDst[pkt];
    const outp = this.routeTable !== null ? this.routeTable[r * this.routers + dst] : this.checkedRoute(r, dst);
    if (outp === BAD_ROUTE) this.routingFault(r, pkt, this.cfg.routing.route(this.rx[r], this.ry[r], this.pktDstX[pkt], this.pktDstY[pkt]));
    vc[qb + Q_OUTPORT] = outp;
    vc[qb + Q_STATE] = ST_VA;
  }

  /**
   * The head flit of input VC v at port `win` of router r won the switch for output port `op`: it
   * leaves its buffer, and is delivered (op = local) or written into the downstream input VC. Returns
   * bit 0 set if the VC's next flit can act at once (it stays ready), bit 1 set if the flit was a tail.
   */
  private sendFlit(r: number, win: number, v: number, op: number, now: number): number {
    const V = this.V;
    const B = this.B;
    const VS = this.VS;
    const cfg = this.cfg;
    const vc = this.vc;
    const pt = this.pt;
    const rt = this.rt;
    const counters = this.counters;
    const rb = r * RS;
    const rp = r * PORTS;
    const q = (rp + win) * V + v;
    const qb = q * VS;
    const creditDelay = cfg.creditDelay;
    const h = vc[qb + Q_HEAD];
    const so = qb + Q_SLOTS + h * 4;
    const pkt = vc[so];
    const flit = vc[so + 1];
    vc[so + 3] = now;
    vc[qb + Q_HEAD] = h + 1 === B ? 0 : h + 1;
    const c = vc[qb + Q_COUNT];
    // a full buffer's next write goes to the slot freed now
    if (c === B) vc[qb + Q_CREDAT] = now + creditDelay;
    vc[qb + Q_COUNT] = c - 1;
    const pb = (rp + win) * PS;
    if (c === 1) {
      const o = pt[pb + P_OCC] & ~(1 << v);
      pt[pb + P_OCC] = o;
      if (o === 0) rt[rb + R_PORTOCC] &= ~(1 << win);
    }
    rt[rb + R_FLITS]--;
    if (win !== LOCAL) {
      const fw = vc[qb + Q_FULLWAIT];
      if (fw !== 0) {
        // an upstream head flit waits for this full buffer: list it at the credit's arrival
        vc[qb + Q_FULLWAIT] = 0;
        const ub = (fw - 1) * VS;
        if (vc[ub + Q_WHEELAT] < 0) this.listAt(fw - 1, ub, now + creditDelay);
      }
    }
    counters.routerFlits[r]++;
    const pktHops = this.pktHops;
    const tail = flit + 1 === this.pktFlits[pkt];
    const ov = vc[qb + Q_OUTVC];
    if (op === LOCAL) {
      this.flitsInNetwork--;
      if (tail) {
        this.pktDone[pkt] = now + cfg.saDelay + cfg.stDelay + cfg.ejectDelay;
        counters.packets++;
        if (pktHops[pkt] === 0) counters.withinTile++;
        this.pushDelivered(pkt);
      }
    } else {
      const n = rt[rb + R_NB + op];
      // write the flit into the downstream input VC
      const ip2 = OPP[op];
      const dq = (n * PORTS + ip2) * V + ov;
      const dqb = dq * VS;
      const dc = vc[dqb + Q_COUNT];
      let ds = vc[dqb + Q_HEAD] + dc;
      ds -= B & ((B - 1 - ds) >> 31);
      const dso = dqb + Q_SLOTS + ds * 4;
      const arrive = now + cfg.saDelay + cfg.stDelay + rt[rb + R_LINK + op];
      vc[dso] = pkt;
      vc[dso + 1] = flit;
      vc[dso + 2] = arrive;
      vc[dqb + Q_COUNT] = dc + 1;
      if (dc === 0) {
        pt[(n * PORTS + ip2) * PS + P_OCC] |= 1 << ov;
        rt[n * RS + R_PORTOCC] |= 1 << ip2;
        let t = arrive + cfg.rcDelay;
        if (vc[dqb + Q_STATE] === ST_ACTIVE) {
          t += cfg.vaDelay;
          if (vc[dqb + Q_READYAT] > t) t = vc[dqb + Q_READYAT];
        }
        this.listAt(dq, dqb, t);
      }
      if (dc + 1 >= B) vc[dqb + Q_CREDAT] = NEVER;
      else {
        let ns = ds + 1;
        ns -= B & ((B - 1 - ns) >> 31);
        vc[dqb + Q_CREDAT] = vc[dqb + Q_SLOTS + ns * 4 + 3] + creditDelay;
      }
      const nf = ++rt[n * RS + R_FLITS];
      if (nf > counters.peakBufferFlits[n]) counters.peakBufferFlits[n] = nf;
      counters.linkFlits[r * 4 + op]++;
      counters.hopsByDir[op]++;
      if (rt[rb + R_KIND + op] === 1) counters.chipHopsByDir[op]++;
      if (flit === 0) {
        const hops = ++pktHops[pkt];
        if (hops > 4 * this.routers) this.routingFault(r, pkt, op);
      }
    }
    if (tail) {
      pt[(rp + op) * PS + P_OVCFREE] |= 1 << ov;
      vc[qb + Q_STATE] = ST_ROUTE;
      pt[pb + P_ACT] &= ~(1 << v);
    }
    // the next flit of this VC: when can it act? (already: it stays ready and its router is
    // visited again next cycle; later: the calendar lists it then)
    let res = tail ? 2 : 0;
    if (c > 1) {
      let t = vc[qb + Q_SLOTS + vc[qb + Q_HEAD] * 4 + 2] + cfg.rcDelay;
      if (!tail) {
        t += cfg.vaDelay;
        if (vc[qb + Q_READYAT] > t) t = vc[qb + Q_READYAT];
      }
      if (t <= now) res |= 1;
      else {
        pt[pb + P_RDY] &= ~(1 << v);
        rt[rb + R_RDYN]--;
        this.listAt(q, qb, t);
      }
    } else {
      pt[pb + P_RDY] &= ~(1 << v);
      rt[rb + R_RDYN]--;
    }
    return res;
  }

  /** The plug-in's output port at router r for destination router d, or BAD_ROUTE if that port is not a valid move. */
  private checkedRoute(r: number, d: number): number {
    const outp = this.cfg.routing.route(this.rx[r], this.ry[r], this.rx[d], this.ry[d]);
    if (outp === LOCAL) return d === r ? LOCAL : BAD_ROUTE;
    if (!(outp >= 0 && outp < 4) || this.rt[r * RS + R_NB + outp] < 0) return BAD_ROUTE;
    return outp;
  }

  private routingFault(r: number, pkt: number, outp: number): never {
    throw new Error(
      `routing '${this.cfg.routing.name}' sent packet ${this.pktSrc[pkt]}->${this.pktDst[pkt]} out of port ${outp} at router ${r} ` +
        `(${this.pktHops[pkt]} hops so far): not a valid route`,
    );
  }
}
