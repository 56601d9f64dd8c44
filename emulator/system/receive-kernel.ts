/**
 * The receive phase in WebAssembly (emulator/core/kernels/deliver.wat): for one step, the delivery
 * order (DeliveryOrder's: by destination core index, then by arrival, stable), the synaptic ops and
 * counters of the owned cores (NeuroCore.receive / receiveGraded) and the receive timeline of every
 * core, in one call. Emulator.deliverPhase's TypeScript path is the reference; both are bit-identical
 * (test/system/receive-kernel.test.ts).
 *
 * Everything the kernel reads or writes lives in the system's kernel arena (build.ts sizes it): the
 * cores' synapse memory, rings and receive counters (views the cores, learning engines and probes
 * use as before), the engine's per-core times (coreFree, coreFinish, coreBusyPs: the Emulator's own
 * arrays then), and a packet scratch of fixed capacity. Per step the JavaScript copies the batch's
 * destination core, axon, payload and arrival columns into the scratch and makes one call; a step
 * with more packets than the scratch holds runs the TypeScript path (identical results).
 */
import { arenaBytes, deliverModuleOrNull, type KernelArena } from '../core/kernels/index.js';
import type { NeuroCore } from '../core/neurocore.js';
import type { PacketBatch } from '../noc/packets.js';

/** Words of the system descriptor and of each core's descriptor (deliver.wat). */
const SYS_WORDS = 16;
const CORE_WORDS = 16;

/** Largest packet scratch (packets per step the kernel takes; more run the TypeScript path). */
export const RECEIVE_PACKETS_MAX = 1 << 20;

type DeliverFn = (sys: number, t: number, n: number, lo: number, hi: number, messageInPs: number, synopPs: number) => number;
type OrderFn = (sys: number, n: number) => void;

export class ReceiveKernel {
  /** Per core index: when its synapse (input) pipeline is free, when it finishes, its busy time summed over steps (ps). */
  readonly coreFree: Float64Array;
  readonly coreFinish: Float64Array;
  readonly coreBusyPs: Float64Array;
  /** Packets per step the scratch holds. */
  readonly capacity: number;
  private readonly dstCore: Uint32Array;
  private readonly dstAxon: Uint32Array;
  private readonly payload: Int32Array;
  private readonly arrivePs: Float64Array;
  /** False when no core sends graded spikes: every payload is 0 and the payload column is not copied. */
  private readonly graded: boolean;
  private readonly sys: number;
  private readonly fn: DeliverFn;
  private readonly orderFn: OrderFn;
  /** The delivery order of the last call (packet indices, see DeliveryOrder.order) and each core's range in it. */
  private readonly order: Uint32Array;
  private readonly coreStart: Uint32Array;

  /** Arena bytes for `cores` cores of a system with `totalCores` core ids and a scratch of `capacity` packets. */
  static bytesFor(cores: number, totalCores: number, capacity: number): number {
    return (
      arenaBytes(SYS_WORDS * 4) +
      arenaBytes(CORE_WORDS * 4 * cores) +
      arenaBytes(totalCores * 4) +
      // coreStart, fill cursor
      arenaBytes((cores + 1) * 4) +
      arenaBytes(cores * 4) +
      3 * arenaBytes(cores * 8) +
      // per packet: dstCore, dstAxon, payload, core index, order, merge buffer; arrivePs
      6 * arenaBytes(capacity * 4) +
      arenaBytes(capacity * 8)
    );
  }

  /**
   * Bind the kernel to `cores` (whose synapse memory, ring and receive counters are views into
   * `arena`; learners attached) and `coreIndexOf` (global core id → core index). Null when
   * deliver.wat was not built.
   */
  static create(arena: KernelArena, cores: readonly NeuroCore[], coreIndexOf: Int32Array, capacity: number): ReceiveKernel | null {
    const mod = deliverModuleOrNull();
    return mod ? new ReceiveKernel(arena, mod, cores, coreIndexOf, capacity) : null;
  }

  private constructor(arena: KernelArena, mod: WebAssembly.Module, cores: readonly NeuroCore[], coreIndexOf: Int32Array, capacity: number) {
    const inst = new WebAssembly.Instance(mod, { env: { memory: arena.memory } });
    this.fn = inst.exports.deliver as DeliverFn;
    this.orderFn = inst.exports.delivery_order as OrderFn;
    this.capacity = capacity;
    const nc = cores.length;
    const sys = arena.int32(SYS_WORDS);
    const desc = arena.int32(CORE_WORDS * nc);
    const cio = arena.int32(coreIndexOf.length);
    cio.set(coreIndexOf);
    const coreStart = (this.coreStart = arena.uint32(nc + 1));
    const cursor = arena.uint32(nc);
    this.coreFree = arena.float64(nc);
    this.coreFinish = arena.float64(nc);
    this.coreBusyPs = arena.float64(nc);
    this.dstCore = arena.uint32(capacity);
    this.dstAxon = arena.uint32(capacity);
    this.payload = arena.int32(capacity);
    const pktCore = arena.int32(capacity);
    const order = (this.order = arena.uint32(capacity));
    const tmp = arena.uint32(capacity);
    this.arrivePs = arena.float64(capacity);
    sys.set([nc, cio.byteOffset, desc.byteOffset, this.dstCore.byteOffset, this.dstAxon.byteOffset, this.payload.byteOffset, this.arrivePs.byteOffset, order.byteOffset, tmp.byteOffset, coreStart.byteOffset, cursor.byteOffset, pktCore.byteOffset, this.coreFree.byteOffset, this.coreFinish.byteOffset, this.coreBusyPs.byteOffset]);
    this.sys = sys.byteOffset;
    const inArena = (name: string, a: ArrayBufferView, ci: number): number => {
      if (a.buffer !== arena.memory.buffer) throw new Error(`receive kernel: ${name} of core index ${ci} is not in the kernel arena (build bug)`);
      return a.byteOffset;
    };
    cores.forEach((c, ci) => {
      const d = desc.subarray(CORE_WORDS * ci, CORE_WORDS * (ci + 1));
      d[0] = inArena('synStart', c.synStart, ci);
      d[1] = inArena('synDest', c.synDest, ci);
      d[2] = c.synDest instanceof Uint32Array ? 1 : 0;
      d[3] = inArena('synWeight', c.synWeight, ci);
      d[4] = inArena('synDelay', c.synDelay, ci);
      d[5] = inArena('axonSegSynapses', c.axonSegSynapses, ci);
      d[6] = c.segments.length;
      d[7] = inArena('ring', c.ring, ci);
      d[8] = c.ringSlots;
      d[9] = c.groupExp.length * c.nComp;
      // learning flags only for cores that learn (0: none; no allocation is at byte 0)
      d[10] = c.axonSpiked ? inArena('axonSpiked', c.axonSpiked, ci) : 0;
      d[11] = inArena('segSynops', c.segSynops, ci);
      d[12] = inArena('segPacketsIn', c.segPacketsIn, ci);
      d[13] = inArena('stepIn', c.stepIn, ci);
    });
    this.graded = cores.some((c) => c.graded);
  }

  /**
   * The receive phase of step `t` for the batch's packets (arrival times filled by the NoC): cores
   * [lo, hi) run their synaptic ops; every core its timeline (coreFree, coreFinish, coreBusyPs).
   * Returns the step's critical path (the latest core finish, ps). Needs batch.count <= capacity.
   */
  deliver(batch: PacketBatch, t: number, lo: number, hi: number, messageInPs: number, synopPs: number): number {
    const n = batch.count;
    // plain loops, not set(subarray): a step has a few dozen packets, and a view per copy costs more
    const dstCore = this.dstCore;
    const dstAxon = this.dstAxon;
    const arrivePs = this.arrivePs;
    for (let i = 0; i < n; i++) {
      dstCore[i] = batch.dstCore[i];
      dstAxon[i] = batch.dstAxon[i];
      arrivePs[i] = batch.arrivePs[i];
    }
    if (this.graded) {
      const payload = this.payload;
      for (let i = 0; i < n; i++) payload[i] = batch.payload[i];
    }
    return this.fn(this.sys, t, n, lo, hi, messageInPs, synopPs);
  }

  /**
   * The delivery order of a batch alone, as the kernel computes it inside deliver() (no synaptic
   * ops, no timeline): packet indices grouped by destination core index, each core's by arrival
   * (stable), and each core's range — DeliveryOrder's `order` and `coreStart`. Views valid until the
   * next call. Needs batch.count <= capacity.
   */
  deliveryOrder(batch: PacketBatch): { order: Uint32Array; coreStart: Uint32Array } {
    const n = batch.count;
    this.dstCore.set(batch.dstCore.subarray(0, n));
    this.arrivePs.set(batch.arrivePs.subarray(0, n));
    this.orderFn(this.sys, n);
    return { order: this.order.subarray(0, n), coreStart: this.coreStart };
  }
}
