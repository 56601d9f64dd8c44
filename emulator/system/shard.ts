/**
 * Sharding the step engine (docs/SCALE-OUT.md "Sharded runs", docs/PERFORMANCE.md "Parallel"):
 * the cores of a placement are divided into N contiguous ranges of core index, one per shard
 * (a worker thread or a process). Every shard runs the update, fire, receive and learn phases for
 * its own cores only. Between fire and receive, the shards exchange what crosses the boundary —
 * the step's packets (packed columns, as in the PacketBatch), the step's spikes, and per owned core
 * the two times its fire phase ended with (compartments updated; last packet injected) — and meet
 * at a barrier: one meeting per step. With those times and the synapse counts of the input axons
 * (every shard holds every core's structure) each shard replays the receive timeline of every core,
 * so all shards agree on the step's critical path without a second meeting.
 *
 * Why the results are byte-identical to one process: the ranges are contiguous and in core order,
 * so concatenating the shards' parts in shard order gives exactly the batch (and spike list) one
 * process builds; every shard then routes that same batch through its own copy of the NoC model
 * (the routing is deterministic, so all copies agree) and delivers only to its own cores. Counters
 * of non-owned cores are gathered once, at the end of the run.
 */
import type { PacketBatch } from '../noc/packets.js';

/** The contiguous range of core indices [lo, hi) a shard owns. */
export interface ShardRange {
  index: number;
  count: number;
  lo: number;
  hi: number;
}

/**
 * Split `nCores` core indices into `count` contiguous ranges. With `chipOf` (core index → chip),
 * boundaries fall between chips where possible (a board's chips go to shards whole), balanced by
 * core count; otherwise by core count alone.
 */
export function shardRanges(nCores: number, count: number, chipOf?: ArrayLike<number>): ShardRange[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a whole number >= 1, got ${count}`);
  const n = Math.min(count, Math.max(1, nCores));
  const cuts: number[] = [0];
  for (let s = 1; s < n; s++) {
    let cut = Math.round((s * nCores) / n);
    if (chipOf && nCores > 0) {
      // move the cut to the nearest chip boundary that keeps every range non-empty
      let best = -1;
      for (let d = 0; d < nCores && best < 0; d++) {
        for (const c of [cut - d, cut + d]) {
          if (c <= cuts[cuts.length - 1] || c >= nCores - (n - 1 - s)) continue;
          if (chipOf[c] !== chipOf[c - 1]) {
            best = c;
            break;
          }
        }
      }
      if (best > 0) cut = best;
    }
    if (cut <= cuts[cuts.length - 1]) cut = cuts[cuts.length - 1] + 1;
    cuts.push(cut);
  }
  cuts.push(nCores);
  return cuts.slice(0, -1).map((lo, index) => ({ index, count: n, lo, hi: cuts[index + 1] }));
}

/** Bytes before the columns of a packed part. */
const HEADER = 16;

/**
 * One shard's share of a step, as packed columns: its packets (the PacketBatch columns the NoC
 * needs, plus the sending population) and its spikes (global compartment indices). The arrays can
 * live in a SharedArrayBuffer (threads) or be packed into one byte buffer (processes).
 */
export class StepPart {
  packets = 0;
  spikes = 0;
  srcCore: Uint32Array;
  dstCore: Uint32Array;
  dstAxon: Uint32Array;
  payload: Int32Array;
  pop: Uint32Array;
  injectPs: Float64Array;
  spikeIds: Uint32Array;
  /** Per owned core, in core order: [free, finish] after its fire phase (ps). */
  coreTimes: Float64Array;

  /** Capacity in packets, spikes and cores; `buffer` (shared or not) is laid out by StepPart.bytesFor. */
  constructor(
    readonly packetCapacity: number,
    readonly spikeCapacity: number,
    readonly cores: number,
    buffer?: ArrayBufferLike,
    byteOffset = 0,
  ) {
    const P = packetCapacity;
    const buf = buffer ?? new ArrayBuffer(StepPart.bytesFor(P, spikeCapacity, cores));
    let off = byteOffset;
    this.coreTimes = new Float64Array(buf, off, 2 * cores);
    off += 16 * cores;
    this.injectPs = new Float64Array(buf, off, P);
    off += 8 * P;
    const u32 = (n: number): Uint32Array => {
      const a = new Uint32Array(buf, off, n);
      off += 4 * n;
      return a;
    };
    this.srcCore = u32(P);
    this.dstCore = u32(P);
    this.dstAxon = u32(P);
    this.payload = new Int32Array(buf, off, P);
    off += 4 * P;
    this.pop = u32(P);
    this.spikeIds = u32(spikeCapacity);
  }

  static bytesFor(packets: number, spikes: number, cores: number): number {
    return 16 * cores + 8 * packets + 4 * 5 * packets + 4 * spikes;
  }

  /** Pack the used part into one byte buffer (header: packets, spikes, cores as u32, 4 spare bytes), for a process link. */
  pack(): Uint8Array {
    const P = this.packets;
    const S = this.spikes;
    const out = new Uint8Array(HEADER + StepPart.bytesFor(P, S, this.cores));
    const dv = new DataView(out.buffer);
    dv.setUint32(0, P, true);
    dv.setUint32(4, S, true);
    dv.setUint32(8, this.cores, true);
    copyPart(this, new StepPart(P, S, this.cores, out.buffer, HEADER));
    return out;
  }

  /** Read a buffer made by pack() (throws RangeError on a malformed buffer). */
  static unpack(bytes: Uint8Array): StepPart {
    if (bytes.byteLength < HEADER) throw new RangeError(`step part of ${bytes.byteLength} bytes: shorter than its ${HEADER}-byte header`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const P = dv.getUint32(0, true);
    const S = dv.getUint32(4, true);
    const C = dv.getUint32(8, true);
    if (bytes.byteLength !== HEADER + StepPart.bytesFor(P, S, C)) throw new RangeError(`step part of ${bytes.byteLength} bytes: header says ${P} packets, ${S} spikes and ${C} cores`);
    // typed views need aligned offsets: copy when the bytes arrived at an odd offset
    const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const part = new StepPart(P, S, C, own.buffer, own.byteOffset + HEADER);
    part.packets = P;
    part.spikes = S;
    return part;
  }
}

/** The packet columns a StepPart and a PacketBatch share. */
export interface PacketColumns {
  srcCore: Uint32Array;
  dstCore: Uint32Array;
  dstAxon: Uint32Array;
  payload: Int32Array;
  injectPs: Float64Array;
}

/** Copy packets [0, P) of `from` into `to` from packet `at` on (to's capacity must suffice). */
export function copyPacketColumns(from: PacketColumns, to: PacketColumns, P: number, at = 0): void {
  to.srcCore.set(from.srcCore.subarray(0, P), at);
  to.dstCore.set(from.dstCore.subarray(0, P), at);
  to.dstAxon.set(from.dstAxon.subarray(0, P), at);
  to.payload.set(from.payload.subarray(0, P), at);
  to.injectPs.set(from.injectPs.subarray(0, P), at);
}

/** Copy the used columns of `a` into `b` (b's capacity must suffice). */
export function copyPart(a: StepPart, b: StepPart): void {
  const P = a.packets;
  b.coreTimes.set(a.coreTimes);
  b.packets = P;
  b.spikes = a.spikes;
  copyPacketColumns(a, b, P);
  b.pop.set(a.pop.subarray(0, P));
  b.spikeIds.set(a.spikeIds.subarray(0, a.spikes));
}

/** Append a part's packets to a batch (and its populations to `pops` at the same indices). */
export function appendPart(part: StepPart, batch: PacketBatch, pops: Uint16Array): void {
  const P = part.packets;
  const at = batch.count;
  batch.reserve(at + P);
  copyPacketColumns(part, batch, P, at);
  batch.arrivePs.fill(0, at, at + P);
  batch.hops.fill(0, at, at + P);
  for (let i = 0; i < P; i++) pops[at + i] = part.pop[i];
  batch.count = at + P;
}

/**
 * How a shard meets the others each step: `exchange` publishes this shard's part and returns every
 * shard's part in shard order (the own one included). A thread link answers synchronously; a
 * process link answers with a promise.
 */
export interface ShardLink {
  readonly range: ShardRange;
  exchange(step: number, own: StepPart): readonly StepPart[] | Promise<readonly StepPart[]>;
}

/** What one shard counted for its own cores, sent once at the end of a run (structured-cloneable). */
export interface ShardCounters {
  lo: number;
  hi: number;
  steps: number;
  /** Per owned core (index − lo): its segment counters. */
  segActive: Float64Array[];
  segInactive: Float64Array[];
  segSynops: Float64Array[];
  segSpikes: Float64Array[];
  segPacketsOut: Float64Array[];
  segPacketsIn: Float64Array[];
  busyPs: Float64Array;
  stalls: Float64Array;
  stallPs: Float64Array;
  /** learnUpdates of every learning engine on an owned core, in (projection, engine) order. */
  learnUpdates: number[];
  /** Per probe: its whole value buffer (only the owned compartments' columns are read). */
  probes: Int32Array[];
}
