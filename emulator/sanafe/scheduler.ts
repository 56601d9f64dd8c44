/**
 * SANA-FE's "detailed" timing model (SANA-FE src/schedule.cpp, described in Boyle et al., "SANA-FE:
 * Simulating Advanced Neuromorphic Architectures for Fast Exploration", IEEE TCAD 2025), rewritten over
 * typed arrays. One step's messages are listed per sending core in the order the core made them; each
 * carries a generation delay (neuron processing on the sending core since its previous message) and a
 * processing delay (axon-in + synapse + dendrite time at the receiving core). Placeholders carry the
 * processing time of a core's trailing neurons that sent nothing.
 *
 * The scheduler pops the message with the earliest send time across cores (a min-heap, ties broken by
 * message order), then:
 *   1. retires every in-flight message received by that time from the NoC state;
 *   2. route congestion = the summed message density of the links on the message's XY route; beyond
 *      the path capacity ((hops + 1) × link_buffer_size) the sender blocks for
 *      (congestion − capacity) × mean in-flight processing delay;
 *   3. network delay = max(hop latency, congestion × mean delay / (hops + 1));
 *      received = max(destination free, sent + network); destination free += processing delay;
 *   4. the message enters the NoC state (density 1/(hops + 2) on each route link; running mean);
 *   5. the sender's next message is sent generation-delay after this one.
 * The step lasts until the last send or processing time, plus the sync latency.
 *
 * Differences from SANA-FE: in-flight messages are retired in received-time order (SANA-FE walks its
 * per-core lists), which only changes the floating-point order of the running mean; equal send times
 * are ordered by message order (SANA-FE's std::priority_queue leaves ties unspecified).
 */

/** Link directions of a tile router; links 4.. are the core ports of a tile. */
const NORTH = 0;
const EAST = 1;
const SOUTH = 2;
const WEST = 3;
const NDIR = 4;

/** One step's messages, structure of arrays, grouped by sending core (contiguous, in creation order). */
export class MessageBatch {
  count = 0;
  srcCore = new Uint32Array(0);
  dstCore = new Uint32Array(0);
  /** Axon index (non-placeholder) or 0xffffffff for a placeholder. */
  axon = new Uint32Array(0);
  generation = new Float64Array(0);
  processing = new Float64Array(0);
  minHop = new Float64Array(0);
  hops = new Uint32Array(0);
  constructor(capacity = 1024) {
    this.grow(capacity);
  }
  private grow(cap: number): void {
    const n = this.count;
    const u = (a: Uint32Array): Uint32Array<ArrayBuffer> => {
      const b = new Uint32Array(cap);
      b.set(a.subarray(0, n));
      return b;
    };
    const f = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, n));
      return b;
    };
    this.srcCore = u(this.srcCore);
    this.dstCore = u(this.dstCore);
    this.axon = u(this.axon);
    this.hops = u(this.hops);
    this.generation = f(this.generation);
    this.processing = f(this.processing);
    this.minHop = f(this.minHop);
  }
  clear(): void {
    this.count = 0;
  }
  /** Append a message (placeholder when axon = PLACEHOLDER); returns its index. */
  push(srcCore: number, dstCore: number, axon: number, generation: number): number {
    if (this.count === this.srcCore.length) this.grow(this.srcCore.length * 2);
    const i = this.count++;
    this.srcCore[i] = srcCore;
    this.dstCore[i] = dstCore;
    this.axon[i] = axon;
    this.generation[i] = generation;
    this.processing[i] = 0;
    this.minHop[i] = 0;
    this.hops[i] = 0;
    return i;
  }
}

export const PLACEHOLDER = 0xffffffff;

/** Geometry the scheduler needs: per core its tile x/y and offset within the tile. */
export interface SchedulerGeometry {
  width: number;
  height: number;
  maxCoresPerTile: number;
  linkBufferSize: number;
  coreX: Uint32Array;
  coreY: Uint32Array;
  coreOffset: Uint32Array;
  nCores: number;
}

/** Binary min-heap of message indices keyed by a Float64Array (ties: lower index first). */
class IndexHeap {
  items: Uint32Array;
  size = 0;
  constructor(
    cap: number,
    private key: Float64Array,
  ) {
    this.items = new Uint32Array(Math.max(16, cap));
  }
  setKey(key: Float64Array): void {
    this.key = key;
  }
  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && a < b);
  }
  push(i: number): void {
    if (this.size === this.items.length) {
      const b = new Uint32Array(this.items.length * 2);
      b.set(this.items);
      this.items = b;
    }
    let k = this.size++;
    const it = this.items;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(i, it[p])) break;
      it[k] = it[p];
      k = p;
    }
    it[k] = i;
  }
  top(): number {
    return this.items[0];
  }
  pop(): number {
    const it = this.items;
    const out = it[0];
    const last = it[--this.size];
    let k = 0;
    const n = this.size;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(it[c + 1], it[c])) c++;
      if (!this.less(it[c], last)) break;
      it[k] = it[c];
      k = c;
    }
    if (n > 0) it[k] = last;
    return out;
  }
}

export class DetailedScheduler {
  private readonly density: Float64Array;
  private readonly finished: Float64Array;
  private readonly coreFirst: Int32Array;
  private sent = new Float64Array(1024);
  private received = new Float64Array(1024);
  private readonly sendHeap: IndexHeap;
  private readonly flightHeap: IndexHeap;
  private readonly linkStride: number;

  constructor(private readonly g: SchedulerGeometry) {
    this.linkStride = NDIR + g.maxCoresPerTile;
    this.density = new Float64Array(g.width * g.height * this.linkStride);
    this.finished = new Float64Array(g.nCores);
    this.coreFirst = new Int32Array(g.nCores);
    this.sendHeap = new IndexHeap(g.nCores, this.sent);
    this.flightHeap = new IndexHeap(1024, this.received);
  }

  private idx(x: number, y: number, link: number): number {
    return (x * this.g.height + y) * this.linkStride + link;
  }

  /** Walk the XY route's links (SANA-FE's link choice) adding `adjust` (adjust ≠ 0) or summing densities (adjust = 0). */
  private route(sx: number, sy: number, dx: number, dy: number, srcOffset: number, adjust: number): number {
    const d = this.density;
    const coreLink = NDIR + srcOffset;
    const xi = sx < dx ? 1 : -1;
    const yi = sy < dy ? 1 : -1;
    let prev = coreLink;
    let sum = 0;
    for (let x = sx; x !== dx; x += xi) {
      const dir = xi > 0 ? EAST : WEST;
      const k = x === sx ? this.idx(x, sy, coreLink) : this.idx(x, sy, dir);
      if (adjust !== 0) d[k] += adjust;
      else sum += d[k];
      prev = dir;
    }
    for (let y = sy; y !== dy; y += yi) {
      const dir = yi > 0 ? NORTH : SOUTH;
      const k = sx === dx && y === sy ? this.idx(dx, y, coreLink) : this.idx(dx, y, prev);
      if (adjust !== 0) d[k] += adjust;
      else sum += d[k];
      prev = dir;
    }
    const k = sx === dx && sy === dy ? this.idx(dx, dy, coreLink) : this.idx(dx, dy, prev);
    if (adjust !== 0) d[k] += adjust;
    else sum += d[k];
    return sum;
  }

  /** Schedule one step's messages; returns the step's duration without the sync latency (seconds). */
  schedule(b: MessageBatch): number {
    const g = this.g;
    const n = b.count;
    if (this.sent.length < n) {
      this.sent = new Float64Array(n * 2);
      this.received = new Float64Array(n * 2);
      this.sendHeap.setKey(this.sent);
      this.flightHeap.setKey(this.received);
    }
    this.density.fill(0);
    this.finished.fill(0);
    this.coreFirst.fill(-1);
    // messages of a core are contiguous: next[i] = i + 1 while the source core stays the same
    for (let i = n - 1; i >= 0; i--) this.coreFirst[b.srcCore[i]] = i;
    const sent = this.sent;
    const received = this.received;
    const heap = this.sendHeap;
    const flight = this.flightHeap;
    heap.size = 0;
    flight.size = 0;
    for (let c = 0; c < g.nCores; c++) {
      const i = this.coreFirst[c];
      if (i >= 0) {
        sent[i] = b.generation[i];
        heap.push(i);
      }
    }
    let mean = 0;
    let inNoc = 0;
    let last = 0;
    const cx = g.coreX;
    const cy = g.coreY;
    const co = g.coreOffset;
    while (heap.size > 0) {
      const i = heap.pop();
      const t = sent[i];
      if (t > last) last = t;
      // retire messages received by t
      while (flight.size > 0 && received[flight.top()] <= t) {
        const m = flight.pop();
        const s = b.srcCore[m];
        const d = b.dstCore[m];
        this.route(cx[s], cy[s], cx[d], cy[d], co[s], -1 / (2 + b.hops[m]));
        if (inNoc > 1) mean += (mean - b.processing[m]) / (inNoc - 1);
        else mean = 0;
        inNoc--;
      }
      if (b.axon[i] !== PLACEHOLDER) {
        const s = b.srcCore[i];
        const d = b.dstCore[i];
        const hops = b.hops[i];
        const along = this.route(cx[s], cy[s], cx[d], cy[d], co[s], 0);
        const capacity = (hops + 1) * g.linkBufferSize;
        if (along > capacity) sent[i] += (along - capacity) * mean;
        const congestion = (along * mean) / (hops + 1);
        const network = b.minHop[i] > congestion ? b.minHop[i] : congestion;
        const earliest = sent[i] + network;
        const fin = this.finished[d];
        received[i] = fin > earliest ? fin : earliest;
        const proc = b.processing[i];
        this.finished[d] = fin + proc > earliest + proc ? fin + proc : earliest + proc;
        if (this.finished[d] > last) last = this.finished[d];
        this.route(cx[s], cy[s], cx[d], cy[d], co[s], 1 / (2 + hops));
        mean += (proc - mean) / (inNoc + 1);
        inNoc++;
        flight.push(i);
      }
      const nx = i + 1;
      if (nx < n && b.srcCore[nx] === b.srcCore[i]) {
        sent[nx] = sent[i] + b.generation[nx];
        if (sent[nx] > last) last = sent[nx];
        heap.push(nx);
      }
    }
    return last;
  }
}

/**
 * SANA-FE's "simple" timing model (`sim -t simple`): every core's neuron processing (the sum of its
 * messages' generation delays, placeholders included) and message processing (the sum of the
 * processing delays it receives) run in parallel; the step lasts as long as the slowest of either,
 * with no network or blocking delay. Returns the duration without the sync latency (seconds).
 */
export class SimpleScheduler {
  private readonly neuron: Float64Array;
  private readonly message: Float64Array;
  constructor(nCores: number) {
    this.neuron = new Float64Array(nCores);
    this.message = new Float64Array(nCores);
  }
  schedule(b: MessageBatch): number {
    this.neuron.fill(0);
    this.message.fill(0);
    for (let i = 0; i < b.count; i++) {
      this.neuron[b.srcCore[i]] += b.generation[i];
      if (b.axon[i] !== PLACEHOLDER) this.message[b.dstCore[i]] += b.processing[i];
    }
    let m = 0;
    for (let c = 0; c < this.neuron.length; c++) {
      if (this.neuron[c] > m) m = this.neuron[c];
      if (this.message[c] > m) m = this.message[c];
    }
    return m;
  }
}
