/**
 * Per-core timelines within a step (docs/TIMING.md): when each packet leaves its core through a
 * bounded injection queue, and in which order a destination core takes its arriving packets.
 * Pure functions over typed arrays and preallocated scratch; nothing is allocated per step.
 */
import type { PacketBatch } from '../noc/packets.js';

/**
 * The injection queue of one core: a packet is produced by the core's pipeline at time `produced`;
 * it enters the network when the injection port is free (one packet per `serialPs`) — and the core
 * stalls when `depth` packets are already waiting, until the oldest of them has left.
 */
export class InjectionQueue {
  /** Injection times of the last `depth` packets (ring). */
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;
  private lastInject = -Infinity;
  /** Total stall of the core's pipeline caused by a full queue (ps), cumulative. */
  stallPs = 0;
  /** Stalls that happened (packets that had to wait for room), cumulative. */
  stalls = 0;

  constructor(
    readonly depth: number,
    readonly serialPs: number,
  ) {
    if (!(depth >= 1)) throw new RangeError('injection queue depth must be >= 1');
    this.ring = new Float64Array(depth);
  }

  /** Start a new step (the network drains at every barrier). */
  reset(): void {
    this.head = 0;
    this.count = 0;
    this.lastInject = -Infinity;
  }

  /**
   * A packet the pipeline is ready to produce at `ready`: returns when it is produced (the core may
   * have stalled for room) and stores its injection time in `injectOut` through the return of
   * `lastInjection`. The caller advances its own clock to the returned production time.
   */
  push(ready: number): number {
    let produced = ready;
    if (this.count === this.depth) {
      // full: wait until the oldest queued packet has been injected
      const oldest = this.ring[this.head];
      if (oldest > produced) {
        this.stallPs += oldest - produced;
        this.stalls++;
        produced = oldest;
      }
      this.head = this.head + 1 === this.depth ? 0 : this.head + 1;
      this.count--;
    }
    const earliest = this.lastInject + this.serialPs;
    const inject = produced > earliest ? produced : earliest;
    this.lastInject = inject;
    // head + count < 2·depth: one conditional subtraction instead of a modulo
    const at = this.head + this.count;
    this.ring[at >= this.depth ? at - this.depth : at] = inject;
    this.count++;
    return produced;
  }

  /** Injection time of the packet pushed last. */
  get lastInjection(): number {
    return this.lastInject;
  }
}

/** The arch times (ps) a core's output pipeline uses. */
export interface OutputTiming {
  spikeOutPs: number;
  messageOutPs: number;
}

/**
 * A core's output pipeline within a step (docs/TIMING.md): from `updateEnd` (its compartments are
 * updated), per spiking compartment an axon lookup (spikeOutPs), then per destination core a packet
 * (messageOutPs) through the core's injection queue `q` — or, with `nominal` (the cycle NoC applies
 * the queue: router back-pressure), at its nominal production time. Writes each packet's time into
 * `injectPs` from `first` on, in the order NeuroCore.fire() pushed them; returns when the pipeline
 * finishes.
 */
export function outputTimeline(
  spikes: Int32Array,
  nSpikes: number,
  outStart: Uint32Array,
  updateEnd: number,
  tm: OutputTiming,
  q: InjectionQueue,
  nominal: boolean,
  injectPs: Float64Array,
  first: number,
): number {
  let clock = updateEnd;
  let p = first;
  q.reset();
  for (let k = 0; k < nSpikes; k++) {
    const comp = spikes[k];
    clock += tm.spikeOutPs;
    const nOut = outStart[comp + 1] - outStart[comp];
    for (let j = 0; j < nOut; j++) {
      if (nominal) {
        clock += tm.messageOutPs;
        injectPs[p++] = clock;
      } else {
        clock = q.push(clock + tm.messageOutPs);
        injectPs[p++] = q.lastInjection;
      }
    }
  }
  return clock;
}

/**
 * Order packets for delivery: grouped by destination core (in core-index order) and, within a core,
 * by arrival time (stable: ties keep batch order). Fills `order[0..count)` with packet indices and
 * `coreStart[ci..ci+1]` with each core's range. `coreIndexOf` maps a global core id to a core index.
 */
export class DeliveryOrder {
  order = new Uint32Array(64);
  private scratch = new Uint32Array(64);
  readonly coreStart: Uint32Array;

  /**
   * With `crossbarBucket`, the last of the nCores buckets takes the packets addressed to crossbars
   * (axon field with the top bit set, see crossbar-stage.ts) whatever their destination core id.
   */
  constructor(
    readonly nCores: number,
    readonly crossbarBucket = false,
  ) {
    this.coreStart = new Uint32Array(nCores + 1);
  }

  sort(batch: PacketBatch, coreIndexOf: Int32Array): void {
    const n = batch.count;
    // scratch is both the merge buffer (n) and the per-core fill cursor (nCores)
    const need = Math.max(n, this.nCores);
    if (this.order.length < need) {
      let cap = this.order.length;
      while (cap < need) cap *= 2;
      this.order = new Uint32Array(cap);
      this.scratch = new Uint32Array(cap);
    }
    const start = this.coreStart;
    start.fill(0);
    const dst = batch.dstCore;
    const axon = batch.dstAxon;
    const xb = this.crossbarBucket ? this.nCores - 1 : -1;
    for (let i = 0; i < n; i++) start[(xb >= 0 && axon[i] >= 0x80000000 ? xb : coreIndexOf[dst[i]]) + 1]++;
    for (let c = 0; c < this.nCores; c++) start[c + 1] += start[c];
    // counting sort by destination (stable), using scratch as the fill cursor
    const order = this.order;
    const cursor = this.scratch;
    for (let c = 0; c < this.nCores; c++) cursor[c] = start[c];
    for (let i = 0; i < n; i++) order[cursor[xb >= 0 && axon[i] >= 0x80000000 ? xb : coreIndexOf[dst[i]]]++] = i;
    // within each core: stable merge sort by arrival time
    const arrive = batch.arrivePs;
    for (let c = 0; c < this.nCores; c++) {
      const a = start[c];
      const b = start[c + 1];
      if (b - a > 1) this.mergeSort(order, a, b, arrive);
    }
  }

  private mergeSort(order: Uint32Array, a: number, b: number, key: Float64Array): void {
    // insertion sort for short runs (the common case: a few packets per core per step)
    if (b - a <= 16) {
      for (let i = a + 1; i < b; i++) {
        const v = order[i];
        const k = key[v];
        let j = i - 1;
        while (j >= a && key[order[j]] > k) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      return;
    }
    const mid = (a + b) >>> 1;
    this.mergeSort(order, a, mid, key);
    this.mergeSort(order, mid, b, key);
    const tmp = this.scratch;
    let i = a;
    let j = mid;
    let k = a;
    while (i < mid && j < b) tmp[k++] = key[order[j]] < key[order[i]] ? order[j++] : order[i++];
    while (i < mid) tmp[k++] = order[i++];
    while (j < b) tmp[k++] = order[j++];
    for (let m = a; m < b; m++) order[m] = tmp[m];
  }
}
