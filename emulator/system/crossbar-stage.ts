/**
 * The crossbar stage of the step engine: crossbar-backed projections (docs/PIM.md
 * "Crossbar-backed projections"). Within step t:
 *
 *   1. the pre population's spikes leave their cores as ordinary AER packets (output axon tables,
 *      injection queues, NoC) addressed to the tiles that hold the projection's arrays: the packet's
 *      axon field is XBAR_AXON_FLAG | global crossbar row;
 *   2. on arrival (`process`) each packet sets its row's input to 1; once the step's last input of a
 *      projection has arrived, its tiled matrix runs one analog MVM (latency from the pim block), and
 *      the exact integer product of the same weights runs alongside for the accuracy meters;
 *   3. every non-zero column output leaves the tile of its column tile as a graded packet (payload =
 *      the column's output, saturated to crossbar.output_bits) through the tile's injection queue,
 *      routed and timed by the same NoC model as spikes (a second routing pass of the step);
 *   4. target cores take them (`deliver`) after their spike packets of the step: the value enters the
 *      dendritic accumulator of step t + 1 + delay in the projection's accumulator group, so
 *      weight_exp applies as for a core projection (a spike at t changes u at t + 1).
 *
 * A projection in binary (HDC) mode (`crossbar: {mode: binary}`) holds a BinaryCrossbar instead of a
 * TiledMatrix: step 2 becomes one Hamming search of the step's spike vector over the stored 0/1 rows
 * (one per post compartment), and the column outputs are the match counts D − distance; the exact
 * counts alongside give the bit-error rate and top-1 agreement (`search`).
 *
 * Everything per packet works on typed arrays allocated at build time (the output batch grows by
 * doubling, amortised).
 */
import type { Arch } from '../spec/arch.js';
import type { CompiledNetwork } from '../spec/compile.js';
import { crossbarPlanOf, type Placement } from '../mapping/index.js';
import type { NeuroCore } from '../core/neurocore.js';
import { PacketBatch } from '../noc/packets.js';
import type { NocModel } from '../noc/index.js';
import type { ActionId } from '../energy/activity.js';
import type { ReportCrossbar as CrossbarRunInfo, ReportCrossbarProjection as CrossbarProjectionInfo } from '../energy/report.js';
import { TiledMatrix } from '../pim/tiled.js';
import { BinaryCrossbar } from '../pim/binary.js';
import type { CrossbarParams } from '../pim/params.js';
import { CrossbarStats } from '../pim/stats.js';
import { BinaryAccuracyMeter, MvmAccuracyMeter } from '../pim/accuracy.js';
import { DeliveryOrder, InjectionQueue } from './timeline.js';
import { attributePacket, NOC_ACTIONS, NOC_ATTR, type CorePlaces } from './noc.js';
import { addAttributionRows } from './counts.js';

/** Axon field of a packet addressed to a crossbar: this flag | global crossbar row. */
export const XBAR_AXON_FLAG = 0x80000000;

/** NoC actions attributed per population and chip (same order as the engine's). */
const NA = NOC_ATTR;

/**
 * The router port of every tile that holds crossbar arrays, as a core id on that tile (the NoC
 * routes by a core's router): the tile's first core in use, else its first core. `virtual` lists
 * the port ids that are not cores in use (the engine gives them places of their own).
 */
export function crossbarPorts(arch: Arch, placement: Placement): { portOfTile: Map<number, number>; virtual: number[] } {
  const used = new Map<number, number>();
  for (const c of placement.cores) {
    const t = Math.floor(c.core / arch.coresPerTile);
    if (!used.has(t) || c.core < used.get(t)!) used.set(t, c.core);
  }
  const portOfTile = new Map<number, number>();
  const virtual: number[] = [];
  for (const x of placement.crossbars)
    for (const t of x.tileOf) {
      if (portOfTile.has(t)) continue;
      const u = used.get(t);
      if (u !== undefined) portOfTile.set(t, u);
      else {
        portOfTile.set(t, t * arch.coresPerTile);
        virtual.push(t * arch.coresPerTile);
      }
    }
  return { portOfTile, virtual };
}

/**
 * Output axon entries toward crossbars, CSR by global source compartment: one per distinct tile
 * holding arrays of the source's row tile (source fan-out, as for cores).
 */
export function crossbarDestinations(net: CompiledNetwork, arch: Arch, placement: Placement): { start: Uint32Array; core: Uint32Array; axon: Uint32Array } {
  const n = net.totalCompartments;
  const start = new Uint32Array(n + 1);
  if (placement.crossbars.length === 0) return { start, core: new Uint32Array(0), axon: new Uint32Array(0) };
  const { portOfTile } = crossbarPorts(arch, placement);
  const each = (fn: (src: number, tile: number, row: number) => void): void => {
    let rowBase = 0;
    for (const x of placement.crossbars) {
      const p = net.projections[x.projection];
      const pre = net.populations[p.from];
      const rows = crossbarPlanOf(p, pre.size, net.populations[p.to].size).inputsPerRowTile;
      for (let i = 0; i < pre.size; i++) {
        const rt = Math.floor(i / rows);
        for (let k = x.rowTileTileStart[rt]; k < x.rowTileTileStart[rt + 1]; k++) fn(pre.offset + i, x.rowTileTiles[k], rowBase + i);
      }
      rowBase += pre.size;
    }
  };
  each((src) => start[src + 1]++);
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const core = new Uint32Array(start[n]);
  const axon = new Uint32Array(start[n]);
  each((src, tile, row) => {
    const k = fill[src]++;
    core[k] = portOfTile.get(tile)!;
    axon[k] = (XBAR_AXON_FLAG | row) >>> 0;
  });
  return { start, core, axon };
}

export type { ReportCrossbar as CrossbarRunInfo, ReportCrossbarProjection as CrossbarProjectionInfo } from '../energy/report.js';

/** One crossbar-backed projection inside the stage. */
interface XProj {
  index: number;
  name: string;
  prePop: number;
  postPop: number;
  rowBase: number;
  colBase: number;
  params: CrossbarParams;
  arrays: number;
  rowTiles: number;
  colTiles: number;
  /** Analog mode: the tiled matrix (null in binary mode). */
  tm: TiledMatrix | null;
  /** Binary (HDC) mode: one stored row per post compartment (null in analog mode), its query and distances. */
  bx: BinaryCrossbar | null;
  query: Uint32Array;
  dist: Int32Array;
  exactDist: Int32Array;
  binMeter: BinaryAccuracyMeter;
  stats: CrossbarStats;
  meter: MvmAccuracyMeter;
  input: Int32Array;
  out: Int32Array;
  exact: Int32Array;
  touched: boolean;
  startPs: number;
  mvms: number;
  outputPackets: number;
  /** Σ|crossbar − exact| and Σ|exact| over every output compared. */
  sumAbs: number;
  sumExact: number;
  tileCols: number;
  /** Per column tile: the port core id and the queue index of the tile of its first array. */
  colPort: Uint32Array;
  colQueue: Uint32Array;
  /** Chip of the projection's first array (crossbar counts are attributed there). */
  chip: number;
}

export class CrossbarStage {
  readonly projections: XProj[] = [];
  readonly arrays: number;
  /** Latest MVM end of the step (bounds the step like a core's finish), ps. */
  stepFinishPs = 0;
  /** Delivery state handed back by deliver(). */
  free = 0;
  finish = 0;
  private readonly rowProj: Uint16Array;
  // per global output column g (colBase + j): destination core index, accumulator, segment, shift, delay
  private readonly colCore: Int32Array;
  private readonly colDest: Uint32Array;
  private readonly colSeg: Uint16Array;
  private readonly colShift: Uint8Array;
  private readonly colDelay: Uint8Array;
  private readonly queues: InjectionQueue[];
  private readonly queueClock: Float64Array;
  private readonly outBatch = new PacketBatch(256);
  private outProj = new Uint16Array(256);
  private readonly delivery: DeliveryOrder;
  private readonly payloadMax: number;
  private readonly nocByPop: Float64Array;
  private readonly nocByChip: Float64Array;
  private readonly queueChipX: Int32Array;
  private stepAbsErr = new Float64Array(0);
  private stepSamples = new Float64Array(0);

  constructor(
    private readonly net: CompiledNetwork,
    private readonly arch: Arch,
    placement: Placement,
    private readonly cores: NeuroCore[],
    groupOf: Int16Array[],
    private readonly coreIndexOf: Int32Array,
    private readonly places: CorePlaces,
    private readonly router: { routeStep(b: PacketBatch): void } | undefined,
    private readonly noc: NocModel | undefined,
    serialPs: number,
  ) {
    const { portOfTile } = crossbarPorts(arch, placement);
    const tiles = [...portOfTile.keys()];
    const queueOfTile = new Map(tiles.map((t, i) => [t, i]));
    this.queues = tiles.map(() => new InjectionQueue(arch.noc.injectionQueue, serialPs));
    this.queueClock = new Float64Array(tiles.length);
    this.queueChipX = new Int32Array(tiles.length);
    const tilesPerChip = arch.tilesX * arch.tilesY;
    tiles.forEach((t, i) => (this.queueChipX[i] = Math.floor(t / tilesPerChip)));
    this.payloadMax = 2 ** (arch.crossbar.outputBits - 1) - 1;
    let rows = 0;
    let cols = 0;
    let arrays = 0;
    for (const x of placement.crossbars) {
      const p = net.projections[x.projection];
      rows += net.populations[p.from].size;
      cols += net.populations[p.to].size;
    }
    this.rowProj = new Uint16Array(rows);
    this.colCore = new Int32Array(cols);
    this.colDest = new Uint32Array(cols);
    this.colSeg = new Uint16Array(cols);
    this.colShift = new Uint8Array(cols);
    this.colDelay = new Uint8Array(cols);
    let rowBase = 0;
    let colBase = 0;
    placement.crossbars.forEach((x, k) => {
      const p = net.projections[x.projection];
      const pre = net.populations[p.from];
      const post = net.populations[p.to];
      const stats = new CrossbarStats();
      const plan = crossbarPlanOf(p, pre.size, post.size);
      let tm: TiledMatrix | null = null;
      let bx: BinaryCrossbar | null = null;
      // each array has its own RNG identity: arrayIdBase counts the arrays placed before it
      if (p.crossbarMode === 'binary') {
        // binary (HDC) mode: post compartment j stores the D = pre-size bits of its weight column
        bx = new BinaryCrossbar(p.crossbar!, { dimension: pre.size, capacity: post.size, seed: net.seed, arrayIdBase: arrays, stats });
        const rowsBits = new Uint32Array(post.size * bx.words);
        for (let i = 0; i < p.pre.length; i++) if (p.weight[i] !== 0) rowsBits[p.post[i] * bx.words + (p.pre[i] >>> 5)] |= 1 << (p.pre[i] & 31);
        for (let j = 0; j < post.size; j++) bx.writeRow(j, rowsBits.subarray(j * bx.words, (j + 1) * bx.words));
      } else {
        tm = new TiledMatrix(p.crossbar!, { rows: pre.size, cols: post.size, seed: net.seed, arrayIdBase: arrays, stats, keepExact: true });
        const w = new Int32Array(pre.size * post.size);
        for (let i = 0; i < p.pre.length; i++) w[p.pre[i] * post.size + p.post[i]] = p.weight[i];
        tm.program(w);
      }
      const tileCols = plan.outputsPerColTile;
      const colPort = new Uint32Array(x.colTiles);
      const colQueue = new Uint32Array(x.colTiles);
      for (let ct = 0; ct < x.colTiles; ct++) {
        const t = x.tileOf[ct];
        colPort[ct] = portOfTile.get(t)!;
        colQueue[ct] = queueOfTile.get(t)!;
      }
      this.rowProj.fill(k, rowBase, rowBase + pre.size);
      const delay = p.delay.length ? p.delay[0] : 0;
      for (let j = 0; j < post.size; j++) {
        const g = post.offset + j;
        const ci = coreIndexOf[placement.coreOf[g]];
        const core = cores[ci];
        const local = placement.localOf[g];
        const group = groupOf[ci][p.index];
        let seg = 0;
        while (seg + 1 < core.segments.length && core.segments[seg + 1].local <= local) seg++;
        this.colCore[colBase + j] = ci;
        this.colDest[colBase + j] = group * core.nComp + local;
        this.colSeg[colBase + j] = seg;
        // group 0 holds weights pre-shifted by a non-negative weight_exp; other groups shift when gathered
        this.colShift[colBase + j] = group === 0 && p.weightExp > 0 ? p.weightExp : 0;
        this.colDelay[colBase + j] = delay;
      }
      this.projections.push({
        index: p.index,
        name: p.name,
        prePop: p.from,
        postPop: p.to,
        rowBase,
        colBase,
        params: p.crossbar!,
        arrays: plan.arrays,
        rowTiles: plan.rowTiles,
        colTiles: plan.colTiles,
        tm,
        bx,
        query: new Uint32Array(bx ? bx.words : 0),
        dist: new Int32Array(bx ? post.size : 0),
        exactDist: new Int32Array(bx ? post.size : 0),
        binMeter: new BinaryAccuracyMeter(),
        stats,
        meter: new MvmAccuracyMeter(),
        input: new Int32Array(pre.size),
        out: new Int32Array(post.size),
        exact: new Int32Array(post.size),
        touched: false,
        startPs: 0,
        mvms: 0,
        outputPackets: 0,
        sumAbs: 0,
        sumExact: 0,
        tileCols,
        colPort,
        colQueue,
        chip: Math.floor(x.tileOf[0] / tilesPerChip),
      });
      rowBase += pre.size;
      colBase += post.size;
      arrays += x.arrays;
    });
    this.arrays = arrays;
    this.delivery = new DeliveryOrder(cores.length);
    this.nocByPop = new Float64Array(net.populations.length * NA);
    this.nocByChip = new Float64Array(arch.chipsX * arch.chipsY * NA);
  }

  /**
   * Step t, after the spike packets are routed: `order[a..b)` are the packets addressed to crossbars
   * (batch indices, in arrival order). Runs the MVMs, emits and routes the output packets.
   */
  process(t: number, batch: PacketBatch, order: Uint32Array, a: number, b: number): void {
    const P = this.projections;
    const rowProj = this.rowProj;
    for (let k = a; k < b; k++) {
      const i = order[k];
      const row = batch.dstAxon[i] & 0x7fffffff;
      const x = P[rowProj[row]];
      x.input[row - x.rowBase] = 1;
      if (!x.touched) {
        x.touched = true;
        x.startPs = batch.arrivePs[i];
      } else if (batch.arrivePs[i] > x.startPs) x.startPs = batch.arrivePs[i];
    }
    const out = this.outBatch;
    out.clear();
    out.step = t;
    this.stepFinishPs = 0;
    for (let q = 0; q < this.queues.length; q++) {
      this.queues[q].reset();
      this.queueClock[q] = 0;
    }
    let stepErr = 0;
    let stepN = 0;
    for (let k = 0; k < P.length; k++) {
      const x = P[k];
      if (!x.touched) continue;
      x.touched = false;
      let end: number;
      if (x.tm) {
        end = x.startPs + x.tm.mvm(x.input, x.out);
        x.tm.exactMvm(x.input, x.exact);
      } else end = x.startPs + this.search(x);
      x.meter.add(x.out, x.exact);
      x.input.fill(0);
      x.mvms++;
      const y = x.out;
      const ex = x.exact;
      let err = 0;
      let mag = 0;
      for (let j = 0; j < y.length; j++) {
        err += Math.abs(y[j] - ex[j]);
        mag += Math.abs(ex[j]);
      }
      x.sumAbs += err;
      x.sumExact += mag;
      stepErr += err;
      stepN += y.length;
      if (end > this.stepFinishPs) this.stepFinishPs = end;
      // outputs: one graded packet per non-zero column, from the tile of its column tile
      const max = this.payloadMax;
      for (let j = 0; j < y.length; j++) {
        let v = y[j];
        if (v === 0) continue;
        if (v > max) v = max;
        else if (v < -max) v = -max;
        const ct = Math.floor(j / x.tileCols);
        const qi = x.colQueue[ct];
        const ready = end > this.queueClock[qi] ? end : this.queueClock[qi];
        this.queueClock[qi] = this.queues[qi].push(ready);
        const g = x.colBase + j;
        out.push(x.colPort[ct], this.cores[this.colCore[g]].id, g, v, this.queues[qi].lastInjection);
        if (out.count > this.outProj.length) this.growOutProj(out.capacity);
        this.outProj[out.count - 1] = k;
        x.outputPackets++;
      }
    }
    this.recordStepError(t, stepErr, stepN);
    if (out.count > 0) {
      if (this.router) this.router.routeStep(out);
      else for (let i = 0; i < out.count; i++) out.arrivePs[i] = out.injectPs[i];
      if (this.noc) this.attributeNoc(out);
    }
    this.delivery.sort(out, this.coreIndexOf);
  }

  /**
   * Binary (HDC) mode: the step's spikes as the query (bit i = pre i spiked), one Hamming search over
   * every stored row; out[j] = D − distance (match count) as the array reports it, exact[j] the same
   * from the stored bits. Counts the bit errors (Σ|reported − exact distance| over the N·D cell
   * comparisons) and top-1 agreement (argmax, ties to the lowest j, in both). Returns the latency, ps.
   */
  private search(x: XProj): number {
    const bx = x.bx!;
    const q = x.query;
    const input = x.input;
    q.fill(0);
    for (let i = 0; i < input.length; i++) if (input[i] !== 0) q[i >>> 5] |= 1 << (i & 31);
    bx.distances(q, x.dist);
    bx.exactDistances(q, x.exactDist);
    const D = bx.dimension;
    const n = x.out.length;
    let errors = 0;
    let best = 0;
    let bestExact = 0;
    for (let j = 0; j < n; j++) {
      const m = D - x.dist[j];
      const e = D - x.exactDist[j];
      x.out[j] = m;
      x.exact[j] = e;
      errors += Math.abs(m - e);
      if (m > x.out[best]) best = j;
      if (e > x.exact[bestExact]) bestExact = j;
    }
    x.binMeter.addBitErrors(errors, n * D);
    x.binMeter.addSearch(best, bestExact);
    return bx.searchLatencyPs;
  }

  /**
   * Core `ci` (after its spike packets of step t) takes its crossbar outputs in arrival order:
   * each costs a message-in time from max(arrival, core free). Reads and updates `free`/`finish`.
   */
  deliver(ci: number, t: number, free: number, finish: number): void {
    const out = this.outBatch;
    const order = this.delivery.order;
    const core = this.cores[ci];
    const msgIn = this.arch.timing.messageInPs;
    for (let k = this.delivery.coreStart[ci]; k < this.delivery.coreStart[ci + 1]; k++) {
      const i = order[k];
      const g = out.dstAxon[i];
      core.receiveValue(this.colDest[g], this.colSeg[g], t, this.colDelay[g], out.payload[i] * 2 ** this.colShift[g]);
      const arrive = out.arrivePs[i];
      const start = arrive > free ? arrive : free;
      free = start + msgIn;
      if (free > finish) finish = free;
      if (arrive > finish) finish = arrive;
    }
    this.free = free;
    this.finish = finish;
  }

  private growOutProj(n: number): void {
    const a = new Uint16Array(Math.max(n, this.outProj.length * 2));
    a.set(this.outProj);
    this.outProj = a;
  }

  private recordStepError(t: number, err: number, n: number): void {
    if (t > this.stepAbsErr.length) {
      const cap = Math.max(64, this.stepAbsErr.length * 2, t);
      const e = new Float64Array(cap);
      e.set(this.stepAbsErr);
      const s = new Float64Array(cap);
      s.set(this.stepSamples);
      this.stepAbsErr = e;
      this.stepSamples = s;
    }
    this.stepAbsErr[t - 1] = err;
    this.stepSamples[t - 1] = n;
  }

  /** Mean absolute error of the crossbar outputs in step t (1-based); NaN when no MVM ran in it. */
  stepMeanAbsError(t: number): number {
    const n = t >= 1 && t <= this.stepSamples.length ? this.stepSamples[t - 1] : 0;
    return n ? this.stepAbsErr[t - 1] / n : NaN;
  }

  /** Flits and hops of the output packets, attributed to the projection's pre population and the port's chip. */
  private attributeNoc(batch: PacketBatch): void {
    const F = this.noc!.flitsPerPacket;
    const cio = this.coreIndexOf;
    for (let i = 0; i < batch.count; i++)
      attributePacket(this.places, cio[batch.srcCore[i]], cio[batch.dstCore[i]], F, this.projections[this.outProj[i]].prePop, this.arch.chipsX, this.nocByPop, this.nocByChip);
  }

  /** Add crossbar and output-packet NoC counts to an activity (crossbar counts go to the target population). */
  addActivity(
    totals: Partial<Record<ActionId, number>>,
    byPopulation: Record<string, Partial<Record<ActionId, number>>>,
    byChip: Record<number, Partial<Record<ActionId, number>>>,
  ): void {
    for (const x of this.projections) {
      x.stats.addTo(totals);
      x.stats.addTo((byPopulation[this.net.populations[x.postPop].name] ??= {}));
      x.stats.addTo((byChip[x.chip] ??= {}));
    }
    addAttributionRows(NOC_ACTIONS, this.net, this.nocByPop, this.nocByChip, { totals, byPopulation, byChip });
  }

  /** Accuracy and activity of every crossbar-backed projection so far. */
  info(): CrossbarRunInfo {
    const projections = this.projections.map((x): CrossbarProjectionInfo => {
      const a = x.meter.snapshot();
      const s = x.stats.snapshot();
      const p = x.params;
      const b = x.bx ? x.binMeter.snapshot() : undefined;
      return {
        name: x.name,
        from: this.net.populations[x.prePop].name,
        to: this.net.populations[x.postPop].name,
        mode: x.bx ? 'binary' : 'analog',
        arrays: x.arrays,
        rowTiles: x.rowTiles,
        colTiles: x.colTiles,
        rows: p.rows,
        cols: p.cols,
        adcBits: p.adcBits,
        weightBits: p.weightBits,
        mvms: x.mvms,
        outputPackets: x.outputPackets,
        partialSumAdds: s.partialSumAdds,
        modelEnergyFj: s.totalEnergyFJ,
        samples: a.samples,
        meanAbsError: a.meanAbsError,
        maxAbsError: a.maxAbsError,
        relativeError: a.relativeError,
        ...(b
          ? { searches: b.searches, bitsCompared: b.bitsCompared, bitErrors: b.bitErrors, bitErrorRate: b.bitErrorRate, top1Agreements: b.top1Agreements, top1Agreement: b.top1Agreement }
          : {}),
      };
    });
    let bits = 0;
    let bitErrors = 0;
    let searches = 0;
    let agree = 0;
    for (const p of projections)
      if (p.mode === 'binary') {
        bits += p.bitsCompared!;
        bitErrors += p.bitErrors!;
        searches += p.searches!;
        agree += p.top1Agreements!;
      }
    const binary = projections.some((p) => p.mode === 'binary');
    let samples = 0;
    let sumAbs = 0;
    let sumExact = 0;
    let maxAbs = 0;
    for (const x of this.projections) {
      sumAbs += x.sumAbs;
      sumExact += x.sumExact;
    }
    for (const p of projections) {
      samples += p.samples;
      if (p.maxAbsError > maxAbs) maxAbs = p.maxAbsError;
    }
    let maxStep = 0;
    for (let t = 0; t < this.stepSamples.length; t++) if (this.stepSamples[t] && this.stepAbsErr[t] / this.stepSamples[t] > maxStep) maxStep = this.stepAbsErr[t] / this.stepSamples[t];
    const sum = (f: (p: CrossbarProjectionInfo) => number): number => projections.reduce((acc, p) => acc + f(p), 0);
    return {
      arrays: this.arrays,
      mvms: sum((p) => p.mvms),
      outputPackets: sum((p) => p.outputPackets),
      partialSumAdds: sum((p) => p.partialSumAdds),
      modelEnergyFj: sum((p) => p.modelEnergyFj),
      samples,
      meanAbsError: samples ? sumAbs / samples : 0,
      maxAbsError: maxAbs,
      relativeError: sumExact ? sumAbs / sumExact : 0,
      maxStepMeanAbsError: maxStep,
      ...(binary ? { bitErrorRate: bits ? bitErrors / bits : 0, top1Agreement: searches ? agree / searches : 0, searches } : {}),
      projections,
    };
  }
}
