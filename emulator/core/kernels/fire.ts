/**
 * The fire-phase kernel (fire.wat): one core's spikes → AER packets timed through its injection
 * queue, in WebAssembly, over the core's arrays in the kernel arena. The TypeScript path
 * (NeuroCore.fire, system/timeline.ts outputTimeline) stays the reference: test/system/fire-kernel.test.ts
 * checks that both agree bit for bit, and the engine takes the TypeScript path wherever no binding
 * exists (no arena, graded spikes).
 *
 * Why a kernel for a phase this small: in a fresh process V8 compiles the JavaScript of every step
 * phase with TurboFan before it runs fast, ~100 ms of compilation for the whole step
 * (docs/PERFORMANCE.md); WebAssembly is compiled when the module loads.
 */
import { compiledKernel, kernelBinaryPath, type KernelArena, type LifKernel } from './index.js';

/** Words of a fire-kernel descriptor (see fire.wat). */
export const FIRE_DESCRIPTOR_WORDS = 20;
/** Words of a core record of fire_step (see fire.wat). */
export const CORE_RECORD_WORDS = 12;
/** Words of the attribution descriptor (see fire.wat). */
const ATTRIBUTION_DESCRIPTOR_WORDS = 9;
/** Values per attribution row: flits, E-W hops, N-S hops, chip-link hops, within-tile packets (system/noc.ts NOC_ACTIONS). */
export const ATTRIBUTION_ROWS = 5;

/** The arrays of one core the fire kernel reads (views inside the arena). */
export interface CoreFireArrays {
  /** The core's id (each packet's source). */
  id: number;
  spikeBuf: Int32Array;
  outStart: Uint32Array;
  outDstCore: Uint32Array;
  outDstAxon: Uint32Array;
  globalIndex: Uint32Array;
  popOfLocal: Uint16Array;
  segLocal: Int32Array;
}

/** Sizes of the arena scratch the fire kernel writes (largest over the system's cores). */
export interface FireScratchSizes {
  /** Output-axon entries of the core with the most (its packets in a step are at most that). */
  packets: number;
  compartments: number;
  segments: number;
  /** Injection queue depth. */
  depth: number;
}

/** Arena words (int32 allocations) of the fire kernel's shared scratch. */
export function fireScratchWords(s: FireScratchSizes): number[] {
  return [s.packets, s.packets, s.packets, 2 * s.packets, Math.ceil(s.packets / 2), s.compartments, s.segments, 2 * s.depth, 6];
}

/** Arena words of fire_step's records (FireStep): a table entry and a core record per core, segment tables and results. */
export function fireStepWords(segmentsPerCore: number[]): number[] {
  return [segmentsPerCore.length, ...segmentsPerCore.flatMap((n) => [CORE_RECORD_WORDS, 4 * n, 4 * n, 16])];
}

/** Arena words a core's fire binding adds (copies of its tables, its descriptor). */
export function fireCoreWords(nComp: number, outEntries: number, segments: number): number[] {
  return [nComp + 1, outEntries, outEntries, nComp, Math.ceil(nComp / 2), segments, FIRE_DESCRIPTOR_WORDS];
}

/** Sizes of the NoC attribution the fire kernel can do (FireKernel.attribution). */
export interface AttributionSizes {
  /** Core ids (the coreIndexOf table). */
  coreIds: number;
  /** Places (the system's cores). */
  places: number;
  populations: number;
  chips: number;
}

/** Arena words of the fire kernel's NoC attribution arrays. */
export function attributionWords(s: AttributionSizes): number[] {
  return [s.coreIds, s.places, s.places, s.places, s.places, 2 * s.populations * ATTRIBUTION_ROWS, 2 * s.chips * ATTRIBUTION_ROWS, ATTRIBUTION_DESCRIPTOR_WORDS];
}

/** Allocations of other element types from the arena's int32 allocator (16-byte aligned). */
export function arenaUint32(arena: KernelArena, n: number): Uint32Array {
  const a = arena.int32(n);
  return new Uint32Array(a.buffer, a.byteOffset, n);
}
function arenaUint16(arena: KernelArena, n: number): Uint16Array {
  const a = arena.int32(Math.ceil(n / 2));
  return new Uint16Array(a.buffer, a.byteOffset, n);
}
function arenaFloat64(arena: KernelArena, n: number): Float64Array {
  const a = arena.int32(2 * n);
  return new Float64Array(a.buffer, a.byteOffset, n);
}

/** The per-packet and per-spike columns one fire_core call writes (shared by a system's cores). */
export class FireScratch {
  readonly srcCore: Uint32Array;
  readonly dstCore: Uint32Array;
  readonly dstAxon: Uint32Array;
  readonly injectPs: Float64Array;
  readonly pop: Uint16Array;
  /** Spikes of the call as global compartment indices. */
  readonly spikeGid: Uint32Array;
  /** Packets per segment of the call. */
  readonly segPackets: Int32Array;
  readonly ring: Float64Array;
  /** [0] when the pipeline finished, [1] the queue's cumulative stall (ps), [2] its stall count. */
  readonly result: Float64Array;
  constructor(arena: KernelArena, s: FireScratchSizes) {
    this.srcCore = arenaUint32(arena, s.packets);
    this.dstCore = arenaUint32(arena, s.packets);
    this.dstAxon = arenaUint32(arena, s.packets);
    this.injectPs = arenaFloat64(arena, s.packets);
    this.pop = arenaUint16(arena, s.packets);
    this.spikeGid = arenaUint32(arena, s.compartments);
    this.segPackets = arena.int32(s.segments);
    this.ring = arenaFloat64(arena, s.depth);
    this.result = arenaFloat64(arena, 3);
  }
}

type FireCore = (desc: number, ns: number, updateEnd: number, spikeOutPs: number, messageOutPs: number, serialPs: number, nominal: number, attr: number) => number;
type FireStepFn = (table: number, lo: number, hi: number, t: number, nominal: number, attr: number, spikeOutPs: number, messageOutPs: number, serialPs: number, activePs: number, inactivePs: number) => number;

/**
 * NoC attribution at fire time (system/noc.ts attributePacket, done per packet as it is made): the
 * engine fills the tables and reads byPopulation/byChip as its own attribution rows. Counts are
 * integers, so the sums equal the route-phase attribution in any order.
 */
export class FireAttribution {
  readonly coreIndexOf: Int32Array;
  readonly gx: Int32Array;
  readonly gy: Int32Array;
  readonly cx: Int32Array;
  readonly cy: Int32Array;
  readonly byPopulation: Float64Array;
  readonly byChip: Float64Array;
  readonly desc: Int32Array;
  constructor(arena: KernelArena, s: AttributionSizes) {
    this.coreIndexOf = arena.int32(s.coreIds);
    this.gx = arena.int32(s.places);
    this.gy = arena.int32(s.places);
    this.cx = arena.int32(s.places);
    this.cy = arena.int32(s.places);
    this.byPopulation = arenaFloat64(arena, s.populations * ATTRIBUTION_ROWS);
    this.byChip = arenaFloat64(arena, s.chips * ATTRIBUTION_ROWS);
    this.desc = arena.int32(ATTRIBUTION_DESCRIPTOR_WORDS);
  }
  /** Fill the tables (core id → place index, place coordinates) and the packet's flits; after this the kernel attributes. */
  setup(coreIndexOf: Int32Array, places: { gx: Int32Array; gy: Int32Array; cx: Int32Array; cy: Int32Array }, chipsX: number, flitsPerPacket: number): void {
    this.coreIndexOf.set(coreIndexOf);
    const n = this.gx.length;
    this.gx.set(places.gx.subarray(0, n));
    this.gy.set(places.gy.subarray(0, n));
    this.cx.set(places.cx.subarray(0, n));
    this.cy.set(places.cy.subarray(0, n));
    this.desc.set([this.coreIndexOf.byteOffset, this.gx.byteOffset, this.gy.byteOffset, this.cx.byteOffset, this.cy.byteOffset, this.byPopulation.byteOffset, this.byChip.byteOffset, chipsX, flitsPerPacket]);
  }
}

/** The arch times (ps) of a core's output pipeline (system/timeline.ts OutputTiming). */
interface OutputTiming {
  spikeOutPs: number;
  messageOutPs: number;
}

/** A core's injection queue as the kernel needs it (system/timeline.ts InjectionQueue). */
interface QueueCounters {
  readonly depth: number;
  readonly serialPs: number;
  stallPs: number;
  stalls: number;
}

/**
 * One core bound to the fire kernel. run() fires the core's `spikeCount` spikes of this step: the
 * packets' destination, axon, injection time and sending population land in `scratch` (returns how
 * many), the spikes' global indices in scratch.spikeGid, packets per segment in scratch.segPackets;
 * the queue's stall counters are updated; `finish` is when the output pipeline ends.
 */
export class FireBinding {
  finish = 0;
  /** Byte offset of the attribution descriptor the kernel fills per packet, 0 for none (attributeAt). */
  private attr = 0;
  constructor(
    private readonly fn: FireCore,
    private readonly desc: Int32Array,
    readonly scratch: FireScratch,
  ) {}
  run(spikeCount: number, updateEnd: number, tm: OutputTiming, q: QueueCounters, nominal: boolean): number {
    const r = this.scratch.result;
    r[1] = q.stallPs;
    r[2] = q.stalls;
    const n = this.fn(this.desc.byteOffset, spikeCount, updateEnd, tm.spikeOutPs, tm.messageOutPs, q.serialPs, nominal ? 1 : 0, this.attr);
    this.finish = r[0];
    q.stallPs = r[1];
    q.stalls = r[2];
    return n;
  }
  /** Byte offset of the core's fire descriptor. */
  get descriptor(): number {
    return this.desc.byteOffset;
  }

  /** From now on, attribute every packet this core makes (a set-up FireAttribution), or stop (null). */
  attributeTo(a: FireAttribution | null): void {
    this.attr = a ? a.desc.byteOffset : 0;
  }
}

/** True when fire.wasm was built (the TypeScript path runs otherwise). */
export function fireModuleBuilt(): boolean {
  return compiledKernel(kernelBinaryPath('fire')) !== null;
}

/** The fire kernel over an arena, with its scratch; null when fire.wasm was not built. */
export class FireKernel {
  private constructor(
    private readonly arena: KernelArena,
    private readonly fn: FireCore,
    private readonly stepFn: FireStepFn,
    readonly scratch: FireScratch,
    private readonly depth: number,
  ) {}

  /** Over the arena of `lif` (whose update functions fire_step calls). */
  static create(lif: LifKernel, sizes: FireScratchSizes): FireKernel | null {
    const mod = compiledKernel(kernelBinaryPath('fire'));
    if (!mod) return null;
    const [general, uniform, active] = lif.functions;
    const inst = new WebAssembly.Instance(mod, { env: { memory: lif.arena.memory }, lif: { general, uniform, active } });
    return new FireKernel(lif.arena, inst.exports.fire_core as FireCore, inst.exports.fire_step as FireStepFn, new FireScratch(lif.arena, sizes), sizes.depth);
  }

  /**
   * fire_step over these cores (index order; each bound, LIF-only with its accumulator slot read in
   * place: FireStep.applies), with the scratch holding every packet and spike of a step.
   */
  step(cores: readonly FireStepCore[]): FireStep {
    return new FireStep(this.arena, this.stepFn, this.scratch, cores);
  }

  /** Copies of a core's tables in the arena (what bind() reads; the core keeps them as its own). */
  tables(outStart: Uint32Array, outDstCore: Uint32Array, outDstAxon: Uint32Array, globalIndex: Uint32Array, popOfLocal: Uint16Array, segLocal: Int32Array): Omit<CoreFireArrays, 'spikeBuf' | 'id'> {
    const copy = <T extends Uint32Array | Uint16Array | Int32Array>(src: T, make: (n: number) => T): T => {
      const a = make(src.length);
      a.set(src as never);
      return a;
    };
    return {
      outStart: copy(outStart, (n) => arenaUint32(this.arena, n)),
      outDstCore: copy(outDstCore, (n) => arenaUint32(this.arena, n)),
      outDstAxon: copy(outDstAxon, (n) => arenaUint32(this.arena, n)),
      globalIndex: copy(globalIndex, (n) => arenaUint32(this.arena, n)),
      popOfLocal: copy(popOfLocal, (n) => arenaUint16(this.arena, n)),
      segLocal: copy(segLocal, (n) => this.arena.int32(n)),
    };
  }

  /** The attribution arrays (sized at build, see attributionWords). */
  attribution(s: AttributionSizes): FireAttribution {
    return new FireAttribution(this.arena, s);
  }

  /** Bind one core's arrays (all inside the arena) once: a descriptor in the arena. `place`: the core's index. */
  bind(a: CoreFireArrays, queueDepth: number, place: number): FireBinding {
    if (queueDepth > this.depth) throw new RangeError(`injection queue depth ${queueDepth} beyond the fire scratch's ${this.depth}`);
    const d = this.arena.int32(FIRE_DESCRIPTOR_WORDS);
    const s = this.scratch;
    const words = [
      a.spikeBuf.byteOffset,
      a.outStart.byteOffset,
      a.outDstCore.byteOffset,
      a.outDstAxon.byteOffset,
      a.globalIndex.byteOffset,
      a.popOfLocal.byteOffset,
      a.segLocal.byteOffset,
      a.segLocal.length,
      queueDepth,
      s.dstCore.byteOffset,
      s.dstAxon.byteOffset,
      s.injectPs.byteOffset,
      s.pop.byteOffset,
      s.spikeGid.byteOffset,
      s.segPackets.byteOffset,
      s.ring.byteOffset,
      s.result.byteOffset,
      place,
      a.id,
      s.srcCore.byteOffset,
    ];
    d.set(words);
    return new FireBinding(this.fn, d, s);
  }
}

/** What fire_step needs of a core (a NeuroCore is one). */
export interface FireStepCore {
  readonly fireBinding: FireBinding | null;
  readonly lifBinding: { readonly descriptor: number } | null;
  readonly directInput: boolean;
  readonly ringByteOffset: number;
  readonly ringSlots: number;
  readonly nComp: number;
  readonly segments: readonly { local: number; count: number; lifVariant?: number }[];
}

/**
 * The update and fire phases of a range of cores in one call (fire.wat fire_step): per core its
 * segments' LIF updates and its fire body, the packets of all of them in the scratch in core order.
 * `results[ci]` (f64): active, inactive, spikes, packets, when the updates end, when the output
 * pipeline ends, the queue's cumulative stall (ps) and stall count (in/out: the caller puts the
 * queue's counters in before each run); `segmentResults[ci]` (i32 × 4 per
 * segment): active compartments, spikes, packets.
 */
export class FireStep {
  readonly results: Float64Array[];
  readonly segmentResults: Int32Array[];
  private readonly table: Int32Array;
  private attr = 0;

  /** True when fire_step can run every one of `cores`: bound, LIF-only segments, slot read in place. */
  static applies(cores: readonly FireStepCore[]): boolean {
    return cores.every((c) => c.fireBinding !== null && c.lifBinding !== null && c.directInput && c.segments.every((sg) => sg.lifVariant !== undefined));
  }

  constructor(
    arena: KernelArena,
    private readonly fn: FireStepFn,
    readonly scratch: FireScratch,
    cores: readonly FireStepCore[],
  ) {
    this.table = arena.int32(cores.length);
    this.results = [];
    this.segmentResults = [];
    cores.forEach((c, ci) => {
      const rec = arena.int32(CORE_RECORD_WORDS);
      const segs = arena.int32(4 * c.segments.length);
      const segOut = arena.int32(4 * c.segments.length);
      const out = arenaFloat64(arena, 8);
      c.segments.forEach((sg, k) => segs.set([sg.local, sg.count, sg.lifVariant ?? 0, 0], 4 * k));
      rec.set([c.fireBinding!.descriptor, c.lifBinding!.descriptor, c.ringByteOffset, c.ringSlots, c.nComp, c.segments.length, segs.byteOffset, segOut.byteOffset, out.byteOffset]);
      this.table[ci] = rec.byteOffset;
      this.results.push(out);
      this.segmentResults.push(segOut);
    });
  }

  /** From now on attribute every packet (a set-up FireAttribution), or stop (null). */
  attributeTo(a: FireAttribution | null): void {
    this.attr = a ? a.desc.byteOffset : 0;
  }

  /** Update and fire cores [lo, hi) for step t: returns the packets written to the scratch. */
  run(lo: number, hi: number, t: number, nominal: boolean, tm: OutputTiming & { compartmentActivePs: number; compartmentInactivePs: number }, serialPs: number): number {
    return this.fn(this.table.byteOffset, lo, hi, t, nominal ? 1 : 0, this.attr, tm.spikeOutPs, tm.messageOutPs, serialPs, tm.compartmentActivePs, tm.compartmentInactivePs);
  }
}
