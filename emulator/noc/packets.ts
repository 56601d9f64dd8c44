/**
 * AER packets of one algorithmic step, as a structure of typed arrays (never one object per
 * packet). Produced by source fan-out: one packet per destination core per spike.
 *
 * In-memory record (index i, all columns the same length):
 *   srcCore[i]  u32  global id of the core that sent the spike
 *   dstCore[i]  u32  global id of the destination core (its chip and router follow from the topology)
 *   dstAxon[i]  u32  input axon at the destination core
 *   payload[i]  i32  graded-spike payload (0 for binary spikes)
 *   injectPs[i] f64  when the source core injects it, integer ps from the start of the step
 *   arrivePs[i] f64  filled by the NoC: when its last flit reaches the destination core
 *   hops[i]     u16  filled by the NoC: links traversed (0 within a tile)
 * plus `step` for the whole batch. The wire format (how many bits/flits a packet takes on a link)
 * is separate: see wireFlits() and docs/NOC.md.
 */
export class PacketBatch {
  count = 0;
  /** Algorithmic step these packets belong to. */
  step = 0;
  /**
   * Optional: the time window (ps) over which this step's traffic is spread, used by the analytic
   * model's contention term. 0 = derive it from the injection times (see docs/NOC.md).
   */
  windowPs = 0;
  srcCore: Uint32Array;
  dstCore: Uint32Array;
  dstAxon: Uint32Array;
  payload: Int32Array;
  injectPs: Float64Array;
  arrivePs: Float64Array;
  hops: Uint16Array;

  constructor(capacity = 64) {
    const c = Math.max(1, Math.floor(capacity));
    this.srcCore = new Uint32Array(c);
    this.dstCore = new Uint32Array(c);
    this.dstAxon = new Uint32Array(c);
    this.payload = new Int32Array(c);
    this.injectPs = new Float64Array(c);
    this.arrivePs = new Float64Array(c);
    this.hops = new Uint16Array(c);
  }

  get capacity(): number {
    return this.srcCore.length;
  }

  /** Forget the packets (keeps the storage). */
  clear(): void {
    this.count = 0;
    this.windowPs = 0;
  }

  /** Append one packet; storage doubles when full (amortised, no per-packet allocation). */
  push(src: number, dst: number, axon: number, payload: number, injectPs: number): void {
    if (this.count === this.srcCore.length) this.grow(this.count * 2);
    const i = this.count++;
    this.srcCore[i] = src;
    this.dstCore[i] = dst;
    this.dstAxon[i] = axon;
    this.payload[i] = payload;
    this.injectPs[i] = injectPs;
    this.arrivePs[i] = 0;
    this.hops[i] = 0;
  }

  /**
   * Append `n` binary packets whose source and destination cores, axons and injection times are the
   * first n entries of the given columns (the fire kernel's output). A plain loop: a core makes a
   * few packets per step, for which builtin copies (a subarray view per column) cost more.
   */
  appendFrom(srcCore: Uint32Array, dstCore: Uint32Array, dstAxon: Uint32Array, injectPs: Float64Array, n: number): void {
    const i0 = this.count;
    this.reserve(i0 + n);
    for (let k = 0; k < n; k++) {
      const i = i0 + k;
      this.srcCore[i] = srcCore[k];
      this.dstCore[i] = dstCore[k];
      this.dstAxon[i] = dstAxon[k];
      this.payload[i] = 0;
      this.injectPs[i] = injectPs[k];
      this.arrivePs[i] = 0;
      this.hops[i] = 0;
    }
    this.count = i0 + n;
  }

  /** Make room for at least `n` packets. */
  reserve(n: number): void {
    if (n > this.srcCore.length) this.grow(Math.max(n, this.srcCore.length * 2));
  }

  private grow(n: number): void {
    const copy = <T extends Uint32Array | Int32Array | Float64Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.count) as never);
      return b;
    };
    this.srcCore = copy(this.srcCore, (k) => new Uint32Array(k));
    this.dstCore = copy(this.dstCore, (k) => new Uint32Array(k));
    this.dstAxon = copy(this.dstAxon, (k) => new Uint32Array(k));
    this.payload = copy(this.payload, (k) => new Int32Array(k));
    this.injectPs = copy(this.injectPs, (k) => new Float64Array(k));
    this.arrivePs = copy(this.arrivePs, (k) => new Float64Array(k));
    this.hops = copy(this.hops, (k) => new Uint16Array(k));
  }
}

/** Flits a packet of `packetBits` takes on links of `flitBits` (Loihi: 32-bit message, 32-bit flits -> 1). */
export function wireFlits(packetBits: number, flitBits: number): number {
  return Math.max(1, Math.ceil(packetBits / flitBits));
}
