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
 * Hot state is in typed arrays (structure of arrays); one cycle allocates nothing. Dense per-VC
 * summaries (headAt: when the head flit can act; credAt: when the next slot's credit is back) let a
 * scan skip a waiting VC without touching its slot ring; routes come from a precomputed table. Idle routers
 * (no buffered flit) are skipped, and each router keeps the earliest cycle at which one of its flits
 * can act (arrival + rc, VA done, credit return; a departure wakes the upstream router), so it is
 * visited only then; when nothing anywhere can happen until a known future cycle the clock jumps there. A configuration where no flit can ever move again (deadlock), or where no flit moved
 * for `stallLimit` cycles, stops the run with `stalled` set — never a hang.
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

  // per input VC q = (router*5 + port)*V + v
  private readonly V: number;
  private readonly B: number;
  /** Per buffer slot (q*B + i), interleaved so one cache line serves a slot: [packet, flit index, arrival cycle, cycle freed]. */
  private readonly slots: Int32Array;
  private readonly qHead: Int32Array;
  private readonly qCount: Int32Array;
  private readonly vcState: Int8Array;
  private readonly vcOutPort: Int8Array;
  private readonly vcOutVc: Int16Array;
  private readonly vcReadyAt: Int32Array;
  /**
   * Per input VC: the cycle from which the upstream router may write its next flit (the credit of
   * the slot to be written next has arrived: that slot's free time + creditDelay), NEVER while full.
   */
  private readonly credAt: Int32Array;
  /**
   * Per input VC: the cycle from which its head flit can act in its current state (route/VA:
   * arrival + rc; holding an output VC: max(arrival + rc + va, VA grant + va)), so a scan skips
   * a waiting VC with one read. Valid while the VC holds flits.
   */
  private readonly headAt: Int32Array;
  private readonly vaInPtr: Int32Array;
  /** Per input VC: 1 = an upstream flit found this VC full and waits for its next departure (which wakes the upstream router). */
  private readonly fullWait: Uint8Array;
  /** Bit v set when all V bits are in use: (1 << V) - 1. */
  private readonly vcMask: number;
  // per output VC o = (router*5 + port)*V + v
  private readonly vaOutPtr: Int32Array;
  // per port (router*5 + port): bit v set = input VC v holds flits / output VC v is free
  private readonly occ: Int32Array;
  private readonly ovcFree: Int32Array;
  /** Per port: bit v set = input VC v holds an output VC (state active). */
  private readonly act: Int32Array;
  /** Per router: bit p set = input port p holds flits. */
  private readonly portOcc: Int32Array;
  // per port
  private readonly saInPtr: Int32Array;
  private readonly saOutPtr: Int32Array;
  // per router
  private readonly rFlits: Int32Array;
  /** Earliest cycle at which the router may be able to act (idle routers are skipped until then). */
  private readonly rWake: Int32Array;
  private readonly rx: Int32Array;
  private readonly ry: Int32Array;
  private readonly neighbour: Int32Array; // router*4+dir -> router or -1
  /** routeTable[router * routers + destination] = output port, or BAD_ROUTE; null on meshes above MAX_ROUTE_TABLE_ROUTERS. */
  private readonly routeTable: Int8Array | null;
  private readonly srcHead: Int32Array;
  private readonly srcTail: Int32Array;
  private readonly srcCur: Int32Array;
  private readonly srcSent: Int32Array;
  private readonly srcVc: Int32Array;
  private readonly srcVcPtr: Int32Array;
  // allocator scratch (per router, reused)
  private readonly reqQ: Int32Array;
  private readonly reqO: Int32Array;
  private readonly bestQ: Int32Array;
  private readonly saReqVc: Int32Array; // per input port: chosen local VC or -1
  private readonly outReq: Int32Array; // per output port: bit ip set = input port ip requests it
  /** Per router: the cycle of its last visit if a ready flit could not move then, else -1 (stall accounting across skipped cycles). */
  private readonly stallFrom: Int32Array;
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
    this.slots = new Int32Array(NQ * B * 4);
    for (let i = 3; i < this.slots.length; i += 4) this.slots[i] = LONG_AGO;
    this.qHead = new Int32Array(NQ);
    this.qCount = new Int32Array(NQ);
    this.vcState = new Int8Array(NQ);
    this.vcOutPort = new Int8Array(NQ);
    this.vcOutVc = new Int16Array(NQ);
    this.vcReadyAt = new Int32Array(NQ);
    this.headAt = new Int32Array(NQ);
    this.credAt = new Int32Array(NQ).fill(LONG_AGO + cfg.creditDelay);
    this.vaInPtr = new Int32Array(NQ);
    this.fullWait = new Uint8Array(NQ);
    this.vcMask = V === 32 ? -1 : (1 << V) - 1;
    this.occ = new Int32Array(R * PORTS);
    this.ovcFree = new Int32Array(R * PORTS).fill(this.vcMask);
    this.act = new Int32Array(R * PORTS);
    this.portOcc = new Int32Array(R);
    this.vaOutPtr = new Int32Array(NQ);
    this.saInPtr = new Int32Array(R * PORTS);
    this.saOutPtr = new Int32Array(R * PORTS);
    this.rFlits = new Int32Array(R);
    this.rWake = new Int32Array(R);
    this.rx = new Int32Array(R);
    this.ry = new Int32Array(R);
    this.neighbour = new Int32Array(R * 4).fill(-1);
    for (let r = 0; r < R; r++) {
      const x = r % cfg.width;
      const y = (r - x) / cfg.width;
      this.rx[r] = x;
      this.ry[r] = y;
      for (let d = 0; d < 4; d++) {
        const nx = x + DIR_DX[d];
        const ny = y + DIR_DY[d];
        if (nx >= 0 && ny >= 0 && nx < cfg.width && ny < cfg.height) this.neighbour[r * 4 + d] = ny * cfg.width + nx;
      }
    }
    // the routing plug-in is a pure function of (router, destination): precompute it once
    if (R <= MAX_ROUTE_TABLE_ROUTERS) {
      const table = new Int8Array(R * R);
      for (let r = 0; r < R; r++) for (let d = 0; d < R; d++) table[r * R + d] = this.checkedRoute(r, d);
      this.routeTable = table;
    } else this.routeTable = null;
    this.srcHead = new Int32Array(R).fill(-1);
    this.srcTail = new Int32Array(R).fill(-1);
    this.srcCur = new Int32Array(R).fill(-1);
    this.srcSent = new Int32Array(R);
    this.srcVc = new Int32Array(R);
    this.srcVcPtr = new Int32Array(R);
    this.reqQ = new Int32Array(PORTS * V);
    this.reqO = new Int32Array(PORTS * V);
    this.bestQ = new Int32Array(PORTS * V).fill(-1);
    this.saReqVc = new Int32Array(PORTS);
    this.outReq = new Int32Array(PORTS);
    this.stallFrom = new Int32Array(R).fill(-1);
    this.growPackets(256);
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
    this.qHead.fill(0);
    this.qCount.fill(0);
    this.vcState.fill(0);
    this.occ.fill(0);
    this.ovcFree.fill(this.vcMask);
    this.act.fill(0);
    this.portOcc.fill(0);
    this.rWake.fill(0);
    this.stallFrom.fill(-1);
    this.vaInPtr.fill(0);
    this.fullWait.fill(0);
    this.vaOutPtr.fill(0);
    this.saInPtr.fill(0);
    this.saOutPtr.fill(0);
    this.srcVcPtr.fill(0);
    for (let i = 3; i < this.slots.length; i += 4) this.slots[i] = LONG_AGO;
    this.credAt.fill(LONG_AGO + this.cfg.creditDelay);
    this.rFlits.fill(0);
    this.srcHead.fill(-1);
    this.srcTail.fill(-1);
    this.srcCur.fill(-1);
    this.srcSent.fill(0);
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
    if (this.srcTail[src] < 0) this.srcHead[src] = id;
    else this.pktNext[this.srcTail[src]] = id;
    this.srcTail[src] = id;
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
    return this.srcHead[r] < 0;
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

  /** Can a flit be written into input VC q now (a credit for its oldest free slot has arrived)? */
  private hasCredit(q: number, now: number): boolean {
    return this.credAt[q] <= now;
  }

  /** Cycle at which input VC q will have a credit, if only time is missing (NEVER if it is full). */
  private creditAt(q: number): number {
    return this.credAt[q];
  }

  /** After a write into input VC q: the credit for the next slot (NEVER if q is now full). */
  private nextCredit(q: number): number {
    const c = this.qCount[q];
    if (c >= this.B) return NEVER;
    let s = this.qHead[q] + c;
    if (s >= this.B) s -= this.B;
    return this.slots[(q * this.B + s) * 4 + 3] + this.cfg.creditDelay;
  }

  /**
   * The cycle from which a flit that arrives at `arrive` and is the head of input VC q can act:
   * a packet's head after route computation; a body flit of a packet holding an output VC after RC
   * and VA time and not before its VC was allocated.
   */
  private headReady(q: number, arrive: number): number {
    if (this.vcState[q] !== ST_ACTIVE) return arrive + this.cfg.rcDelay;
    const t = arrive + this.cfg.rcDelay + this.cfg.vaDelay;
    return t > this.vcReadyAt[q] ? t : this.vcReadyAt[q];
  }

  /** Write a flit into input VC v of `port` at `router`, visible from cycle `arrive`. */
  private writeFlit(router: number, port: number, v: number, pkt: number, flit: number, arrive: number): void {
    const q = (router * PORTS + port) * this.V + v;
    let s = this.qHead[q] + this.qCount[q];
    if (s >= this.B) s -= this.B;
    const slot = q * this.B + s;
    this.slots[slot * 4] = pkt;
    this.slots[slot * 4 + 1] = flit;
    this.slots[slot * 4 + 2] = arrive;
    if (this.qCount[q]++ === 0) {
      this.occ[router * PORTS + port] |= 1 << v;
      this.portOcc[router] |= 1 << port;
      this.headAt[q] = this.headReady(q, arrive);
    }
    this.credAt[q] = this.nextCredit(q);
    // nothing can happen to this flit before its route is computed
    const t = arrive + this.cfg.rcDelay;
    if (t < this.rWake[router]) this.rWake[router] = t;
    const n = ++this.rFlits[router];
    if (n > this.counters.peakBufferFlits[router]) this.counters.peakBufferFlits[router] = n;
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
    let moved = 0;
    let wake = NEVER;
    const R = this.routers;
    const V = this.V;
    const PV = PORTS * V;
    const cfg = this.cfg;
    const injectDelay = cfg.injectDelay;
    const counters = this.counters;

    // 1. sources inject one flit per cycle into the local input port
    const srcCur = this.srcCur;
    const srcHead = this.srcHead;
    const pktCreated = this.pktCreated;
    for (let r = 0; r < R; r++) {
      let p = srcCur[r];
      if (p < 0) {
        p = srcHead[r];
        if (p < 0) continue;
        if (pktCreated[p] > now) {
          if (pktCreated[p] < wake) wake = pktCreated[p];
          continue;
        }
        // pick a local input VC with a credit, round-robin from the pointer
        const base = (r * PORTS + LOCAL) * V;
        let chosen = -1;
        let soonest = NEVER;
        for (let i = 0, v = this.srcVcPtr[r]; i < V; i++, v = v + 1 === V ? 0 : v + 1) {
          if (this.hasCredit(base + v, now)) {
            chosen = v;
            break;
          }
          const t = this.creditAt(base + v);
          if (t < soonest) soonest = t;
        }
        if (chosen < 0) {
          if (soonest < wake) wake = soonest;
          continue;
        }
        this.srcHead[r] = this.pktNext[p];
        if (this.srcHead[r] < 0) this.srcTail[r] = -1;
        this.srcCur[r] = p;
        this.srcSent[r] = 0;
        this.srcVc[r] = chosen;
        this.srcVcPtr[r] = chosen + 1 === V ? 0 : chosen + 1;
        this.packetsQueued--;
        this.pktInjected[p] = now;
      }
      const q = (r * PORTS + LOCAL) * V + this.srcVc[r];
      if (!this.hasCredit(q, now)) {
        const t = this.creditAt(q);
        if (t < wake) wake = t;
        continue;
      }
      const k = this.srcSent[r]++;
      this.writeFlit(r, LOCAL, this.srcVc[r], p, k, now + injectDelay);
      counters.flits++;
      moved++;
      if (k + 1 === this.pktFlits[p]) {
        this.srcCur[r] = -1;
        this.pushAccepted(p);
      } else if (now + 1 < wake) wake = now + 1;
    }

    // 2. routers
    const rcva = cfg.rcDelay + cfg.vaDelay;
    const rc = cfg.rcDelay;
    const va = cfg.vaDelay;
    const toLink = cfg.saDelay + cfg.stDelay;
    const ejectLat = toLink + cfg.ejectDelay;
    const creditDelay = cfg.creditDelay;
    const B = this.B;
    const full = this.vcMask;
    const slots = this.slots;
    const qHead = this.qHead;
    const qCount = this.qCount;
    const occ = this.occ;
    const act = this.act;
    const ovcFree = this.ovcFree;
    const rWake = this.rWake;
    const rFlits = this.rFlits;
    const vcState = this.vcState;
    const vcOutPort = this.vcOutPort;
    const vcOutVc = this.vcOutVc;
    const vcReadyAt = this.vcReadyAt;
    const reqQ = this.reqQ;
    const reqO = this.reqO;
    const bestQ = this.bestQ;
    const saReqVc = this.saReqVc;
    const outReq = this.outReq;
    const routing = cfg.routing;
    const neighbour = this.neighbour;
    const pktFlits = this.pktFlits;
    const rx = this.rx;
    const ry = this.ry;
    const pktDstX = this.pktDstX;
    const pktDstY = this.pktDstY;
    const pktDst = this.pktDst;
    const vaInPtr = this.vaInPtr;
    const vaOutPtr = this.vaOutPtr;
    const saInPtr = this.saInPtr;
    const saOutPtr = this.saOutPtr;
    const portOcc = this.portOcc;
    const stallFrom = this.stallFrom;
    const cStall = counters.stallCycles;
    const pktHops = this.pktHops;
    const pktDone = this.pktDone;
    const linkDelay = cfg.linkDelay;
    const linkKind = cfg.linkKind;
    const cRouterFlits = counters.routerFlits;
    const cLinkFlits = counters.linkFlits;
    const cHops = counters.hopsByDir;
    const cChipHops = counters.chipHopsByDir;
    const peak = counters.peakBufferFlits;
    const fullWait = this.fullWait;
    const routeTable = this.routeTable;
    const credAt = this.credAt;
    const headAt = this.headAt;
    for (let r = 0; r < R; r++) {
      if (rFlits[r] === 0) continue;
      if (rWake[r] > now) {
        if (rWake[r] < wake) wake = rWake[r];
        continue;
      }
      const rq = r * PV;
      const rp = r * PORTS;
      let local = NEVER; // earliest future cycle at which this router can act
      let retry = false; // something ready lost an allocation: try again next cycle
      let vaWaiting = false; // a routed VC found every output VC held
      if (stallFrom[r] >= 0) cStall[r] += now - stallFrom[r] - 1; // stalled through the skipped cycles
      let nReq = 0;
      // One pass over the occupied VCs in round-robin order per input port: routed-but-unallocated VCs
      // make VA stage-1 requests (RC, then ask for one free output VC), VCs holding an output VC make
      // SA stage-1 requests (each input port picks the first eligible VC from its pointer). With a
      // zero-cycle VA delay, VCs allocated in this cycle may also compete for the switch, so SA
      // stage 1 runs again after the VA grants (pass 1).
      const ports = portOcc[r];
      let granted = 0;
      let readyVa = 0; // VA candidates this cycle
      let readySa = 0; // SA candidates this cycle
      let outs = 0;
      for (let pass = 0; pass < 2; pass++) {
        if (pass === 1) {
          if (va !== 0 || granted === 0) break;
          for (let o = 0; o < PORTS; o++) outReq[o] = 0;
          outs = 0;
          readySa = 0;
        }
        saReqVc[0] = -1;
        saReqVc[1] = -1;
        saReqVc[2] = -1;
        saReqVc[3] = -1;
        saReqVc[4] = -1;
        for (let pm = ports; pm !== 0; ) {
          const pbit = pm & -pm;
          pm ^= pbit;
          const ip = 31 - Math.clz32(pbit);
          const m0 = occ[rp + ip];
          const actMask = act[rp + ip];
          const ptr = saInPtr[rp + ip];
          let m = ptr === 0 ? m0 : ((m0 >>> ptr) | (m0 << (V - ptr))) & full;
          while (m !== 0) {
            const bit = m & -m;
            m ^= bit;
            let v = 31 - Math.clz32(bit) + ptr;
            if (v >= V) v -= V;
            const q = rq + ip * V + v;
            if (((actMask >>> v) & 1) === 0) {
              if (pass === 1) continue;
              // RC and VA stage 1: route computation ends at arrival + rc (headAt); the route (a
              // pure function) is computed then
              const t = headAt[q];
              if (t > now) {
                if (t < local) local = t;
                continue;
              }
              if (vcState[q] === ST_ROUTE) {
                const pkt = slots[(q * B + qHead[q]) * 4];
                const outp = routeTable !== null ? routeTable[r * R + pktDst[pkt]] : this.checkedRoute(r, pktDst[pkt]);
                if (outp === BAD_ROUTE) this.routingFault(r, pkt, routing.route(rx[r], ry[r], pktDstX[pkt], pktDstY[pkt]));
                vcOutPort[q] = outp;
                vcReadyAt[q] = t;
                vcState[q] = ST_VA;
              }
              readyVa++;
              const outp = vcOutPort[q];
              const fm = ovcFree[rp + outp];
              if (fm === 0) {
                vaWaiting = true; // every output VC is held: a tail leaving this router frees one
                continue;
              }
              const ov = pickRoundRobin(fm, vaInPtr[q], V, full);
              reqQ[nReq] = ip * V + v;
              reqO[nReq] = outp * V + ov;
              nReq++;
              continue;
            }
            // SA stage 1
            const t = headAt[q];
            if (t > now) {
              if (t < local) local = t;
              continue;
            }
            readySa++;
            const outp = vcOutPort[q];
            if (outp !== LOCAL) {
              const dq = (neighbour[r * 4 + outp] * PORTS + OPP[outp]) * V + vcOutVc[q];
              const ct = credAt[dq];
              if (ct === NEVER) {
                fullWait[dq] = 1; // downstream full: its next departure wakes this router
                continue;
              }
              if (ct > now) {
                if (ct < local) local = ct;
                continue;
              }
            }
            if (saReqVc[ip] < 0) {
              saReqVc[ip] = v;
              outReq[outp] |= 1 << ip;
              outs |= 1 << outp;
            } else retry = true; // input-port conflict: the loser tries again next cycle
          }
        }
        if (pass === 1) break;
        // VA stage 2: each requested output VC grants one input VC, round-robin from its pointer
        for (let k = 0; k < nReq; k++) {
          const ol = reqO[k];
          const b = bestQ[ol];
          if (b < 0) bestQ[ol] = reqQ[k];
          else {
            const ptr = vaOutPtr[rq + ol];
            const db = b >= ptr ? b - ptr : b - ptr + PV;
            const dk = reqQ[k] >= ptr ? reqQ[k] - ptr : reqQ[k] - ptr + PV;
            if (dk < db) bestQ[ol] = reqQ[k];
          }
        }
        for (let k = 0; k < nReq; k++) {
          const ol = reqO[k];
          const w = bestQ[ol];
          if (w < 0) continue;
          bestQ[ol] = -1;
          const q = rq + w;
          const outp = (ol / V) | 0;
          const ov = ol - outp * V;
          const wip = (w / V) | 0;
          ovcFree[rp + outp] &= ~(1 << ov);
          vaOutPtr[rq + ol] = w + 1 === PV ? 0 : w + 1;
          vaInPtr[q] = ov + 1 === V ? 0 : ov + 1;
          vcOutVc[q] = ov;
          vcState[q] = ST_ACTIVE;
          act[rp + wip] |= 1 << (w - wip * V);
          vcReadyAt[q] = now + va;
          headAt[q] = now + va; // >= arrival + rc + va, since VA starts at >= arrival + rc
          if (now + va < local) local = now + va;
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
        const reqs = outReq[op];
        outReq[op] = 0;
        const win = pickRoundRobin(reqs, saOutPtr[rp + op], PORTS, 31);
        if (reqs !== 1 << win) retry = true;
        saOutPtr[rp + op] = win + 1 === PORTS ? 0 : win + 1;
        const v = saReqVc[win];
        saInPtr[rp + win] = v + 1 === V ? 0 : v + 1;
        const q = rq + win * V + v;
        // the head flit of q leaves its buffer
        const h = qHead[q];
        const slot = q * B + h;
        const pkt = slots[slot * 4];
        const flit = slots[slot * 4 + 1];
        slots[slot * 4 + 3] = now;
        qHead[q] = h + 1 === B ? 0 : h + 1;
        // a full buffer's next write goes to the slot freed now
        if (qCount[q] === B) credAt[q] = now + creditDelay;
        if (--qCount[q] === 0) {
          occ[rp + win] &= ~(1 << v);
          if (occ[rp + win] === 0) portOcc[r] &= ~(1 << win);
        }
        rFlits[r]--;
        if (win !== LOCAL && fullWait[q] !== 0) {
          // the upstream router has a flit waiting for this full buffer: its credit arrives then
          fullWait[q] = 0;
          const up = neighbour[r * 4 + win];
          if (now + creditDelay < rWake[up]) rWake[up] = now + creditDelay;
        }
        cRouterFlits[r]++;
        moved++;
        ready--;
        const tail = flit + 1 === pktFlits[pkt];
        const ov = vcOutVc[q];
        if (op === LOCAL) {
          this.flitsInNetwork--;
          if (tail) {
            pktDone[pkt] = now + ejectLat;
            counters.packets++;
            if (pktHops[pkt] === 0) counters.withinTile++;
            this.pushDelivered(pkt);
          }
        } else {
          const link = r * 4 + op;
          const n = neighbour[link];
          // write the flit into the downstream input VC (inlined writeFlit)
          const ip2 = OPP[op];
          const dq = (n * PORTS + ip2) * V + ov;
          let ds = qHead[dq] + qCount[dq];
          if (ds >= B) ds -= B;
          const dslot = dq * B + ds;
          const arrive = now + toLink + linkDelay[link];
          slots[dslot * 4] = pkt;
          slots[dslot * 4 + 1] = flit;
          slots[dslot * 4 + 2] = arrive;
          const dc = ++qCount[dq];
          if (dc === 1) {
            occ[n * PORTS + ip2] |= 1 << ov;
            portOcc[n] |= 1 << ip2;
            if (vcState[dq] !== ST_ACTIVE) headAt[dq] = arrive + rc;
            else headAt[dq] = arrive + rcva > vcReadyAt[dq] ? arrive + rcva : vcReadyAt[dq];
          }
          if (dc >= B) credAt[dq] = NEVER;
          else {
            let ns = ds + 1;
            if (ns >= B) ns -= B;
            credAt[dq] = slots[(dq * B + ns) * 4 + 3] + creditDelay;
          }
          if (arrive + rc < rWake[n]) rWake[n] = arrive + rc;
          const nf = ++rFlits[n];
          if (nf > peak[n]) peak[n] = nf;
          cLinkFlits[link]++;
          cHops[op]++;
          if (linkKind[link] === 1) cChipHops[op]++;
          if (flit === 0) {
            const hops = ++pktHops[pkt];
            if (hops > 4 * R) this.routingFault(r, pkt, op);
          }
        }
        if (tail) {
          ovcFree[rp + op] |= 1 << ov;
          vcState[q] = ST_ROUTE;
          act[rp + win] &= ~(1 << v);
          if (vaWaiting) retry = true;
        }
        // the next flit of this VC: when can it act?
        if (qCount[q] > 0) {
          const arr = slots[(q * B + qHead[q]) * 4 + 2];
          let t: number;
          if (tail) t = arr + rc;
          else {
            t = arr + rcva;
            if (vcReadyAt[q] > t) t = vcReadyAt[q];
          }
          headAt[q] = t;
          if (t <= now) t = now + 1;
          if (t < local) local = t;
        }
      }
      if (ready > 0) {
        cStall[r]++;
        stallFrom[r] = now;
      } else stallFrom[r] = -1;
      rWake[r] = retry ? now + 1 : local;
      if (rWake[r] < wake) wake = rWake[r];
    }

    if (moved > 0) {
      this.lastMove = now;
      this.now = now + 1;
      return moved;
    }
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

  /** The plug-in's output port at router r for destination router d, or BAD_ROUTE if that port is not a valid move. */
  private checkedRoute(r: number, d: number): number {
    const outp = this.cfg.routing.route(this.rx[r], this.ry[r], this.rx[d], this.ry[d]);
    if (outp === LOCAL) return d === r ? LOCAL : BAD_ROUTE;
    if (!(outp >= 0 && outp < 4) || this.neighbour[r * 4 + outp] < 0) return BAD_ROUTE;
    return outp;
  }

  private routingFault(r: number, pkt: number, outp: number): never {
    throw new Error(
      `routing '${this.cfg.routing.name}' sent packet ${this.pktSrc[pkt]}->${this.pktDst[pkt]} out of port ${outp} at router ${r} ` +
        `(${this.pktHops[pkt]} hops so far): not a valid route`,
    );
  }
}
