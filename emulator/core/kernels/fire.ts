/**
 * The fire-phase kernel (fire.wat): one core's spikes → AER packets timed through its injection
 * queue, in WebAssembly, over the core's arrays in the kernel arena. The TypeScript path
 * (NeuroCore.fire, system/timeline.ts outputTimeline) stays the reference: test/core/fire-kernel.test.ts
 * checks that both agree bit for bit, and the engine takes the TypeScript path wherever no binding
 * exists (no arena, graded spikes).
 *
 * Why a kernel for a phase this small: in a fresh process V8 compiles the JavaScript of every step
 * phase with TurboFan before it runs fast, ~100 ms of compilation for the whole step
 * (docs/PERFORMANCE.md); WebAssembly is compiled when the module loads.
 */
import { compiledKernel, kernelBinaryPath, type KernelArena } from './index.js';

/** Words of a fire-kernel descriptor (see fire.wat). */
export const FIRE_DESCRIPTOR_WORDS = 17;

/** The arrays of one core the fire kernel reads (views inside the arena). */
export interface CoreFireArrays {
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
  return [s.packets, s.packets, 2 * s.packets, Math.ceil(s.packets / 2), s.compartments, s.segments, 2 * s.depth, 6];
}

/** Arena words a core's fire binding adds (copies of its tables, its descriptor). */
export function fireCoreWords(nComp: number, outEntries: number, segments: number): number[] {
  return [nComp + 1, outEntries, outEntries, nComp, Math.ceil(nComp / 2), segments, FIRE_DESCRIPTOR_WORDS];
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

type FireCore = (desc: number, ns: number, updateEnd: number, spikeOutPs: number, messageOutPs: number, serialPs: number, nominal: number) => number;

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
  constructor(
    private readonly fn: FireCore,
    private readonly desc: Int32Array,
    readonly scratch: FireScratch,
  ) {}
  run(spikeCount: number, updateEnd: number, tm: OutputTiming, q: QueueCounters, nominal: boolean): number {
    const r = this.scratch.result;
    r[1] = q.stallPs;
    r[2] = q.stalls;
    const n = this.fn(this.desc.byteOffset, spikeCount, updateEnd, tm.spikeOutPs, tm.messageOutPs, q.serialPs, nominal ? 1 : 0);
    this.finish = r[0];
    q.stallPs = r[1];
    q.stalls = r[2];
    return n;
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
    readonly scratch: FireScratch,
    private readonly depth: number,
  ) {}

  static create(arena: KernelArena, sizes: FireScratchSizes): FireKernel | null {
    const mod = compiledKernel(kernelBinaryPath('fire'));
    if (!mod) return null;
    const inst = new WebAssembly.Instance(mod, { env: { memory: arena.memory } });
    return new FireKernel(arena, inst.exports.fire_core as FireCore, new FireScratch(arena, sizes), sizes.depth);
  }

  /** Copies of a core's tables in the arena (what bind() reads; the core keeps them as its own). */
  tables(outStart: Uint32Array, outDstCore: Uint32Array, outDstAxon: Uint32Array, globalIndex: Uint32Array, popOfLocal: Uint16Array, segLocal: Int32Array): Omit<CoreFireArrays, 'spikeBuf'> {
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

  /** Bind one core's arrays (all inside the arena) once: a descriptor in the arena. */
  bind(a: CoreFireArrays, queueDepth: number): FireBinding {
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
    ];
    d.set(words);
    return new FireBinding(this.fn, d, s);
  }
}
