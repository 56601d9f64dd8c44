/**
 * A neuromorphic core: compartment state (structure of typed arrays), synapse memory (CSR by input
 * axon), output axon table (CSR by compartment) and the dendritic accumulators as a delay ring.
 *
 * The core's phases within one algorithmic step (docs/ARCHITECTURE.md):
 *   update  — read this step's accumulator slot into `input` (weight_exp applied per group), then each
 *             segment's compartment model updates its compartments and appends spikes to `spikeBuf`;
 *   fire    — every spike looks up its output axons: one AER packet per destination core;
 *   receive — each arriving packet's input axon selects a synapse list; every synapse adds its weight
 *             into the accumulator slot of step t + 1 + delay (a synop).
 * A core touches only its own arrays; cores meet through packets.
 */
import type { PacketBatch } from '../noc/packets.js';
import type { KernelArena, LifBinding, LifKernel, LifVariant } from './kernels/index.js';
import type { LearningEngine } from './learning/engine.js';
import { LIF_DESCRIPTOR_WORDS, arenaBytes } from './kernels/index.js';
import type { FireBinding } from './kernels/fire.js';

/** A compartment model: one declaration, implementations picked by name (bit-accurate, float, …). */
export interface CompartmentModel {
  kind: string;
  implementation: string;
  state: { name: string; bits: number; signed: boolean; description: string }[];
  /** Update the segment's compartments for `step`, appending spikes (local indices) to core.spikeBuf. */
  update(core: NeuroCore, seg: Segment, step: number): void;
  /** True when the model's spikes carry a payload (written to core.spikePayload beside spikeBuf). */
  graded?: boolean;
  /**
   * Build time: write the segment's per-compartment parameters (`params[name][index in population]`,
   * the kind's declared parameters) into the core's arrays and allocate `seg.vars` for extra state.
   */
  setup?(core: NeuroCore, seg: Segment, params: Record<string, Int32Array>): void;
  /**
   * True when the model reads its input only through the core's LIF kernel binding when the core
   * has one (then a core made only of such segments lets the kernel consume the accumulator slot
   * in place: no gather copy into `input`).
   */
  kernelInput?: boolean;
}

/** A run of one population's compartments on a core. */
export interface Segment {
  index: number;
  population: number;
  /** Index within the population of the first compartment. */
  first: number;
  count: number;
  /** Local index in the core of the first compartment. */
  local: number;
  model: CompartmentModel;
  spikeStart?: Uint32Array;
  spikeSteps?: Uint32Array;
  spikeCursor?: Uint32Array;
  poissonThreshold?: Float64Array;
  poissonSeed: number;
  /** Graded spike-source: payload per index in the population. */
  payload?: Int32Array;
  /**
   * The LIF kernel variant for this segment (kernels/index.ts LifVariant), set by the LIF model's
   * setup: a uniform one when every compartment has the same parameters (they are broadcast instead
   * of loaded per compartment). Undefined: the general kernel.
   */
  lifVariant?: LifVariant;
  /** Model state and parameters beyond the core's shared arrays, indexed by j = local − seg.local. */
  vars?: Record<string, Int32Array>;
}

/** Per-segment counters (exact integer counts held in Float64Array). */
export const SEG_COUNTERS = ['active', 'inactive', 'synops', 'spikes', 'packetsOut', 'packetsIn'] as const;

export class NeuroCore {
  readonly id: number;
  readonly chip: number;
  readonly tile: number;
  readonly nComp: number;
  // compartment state and parameters (index = local compartment)
  readonly u: Int32Array;
  readonly v: Int32Array;
  readonly refractoryCount: Int32Array;
  readonly decayU: Int32Array;
  readonly decayV: Int32Array;
  readonly bias: Int32Array;
  readonly vthScaled: Int32Array;
  readonly refractory: Int32Array;
  /** The WebAssembly LIF kernel over this core's arrays, or null (the TypeScript model runs). */
  readonly lifKernel: LifKernel | null;
  /** This core's arrays bound to lifKernel (descriptor in the arena), or null. */
  readonly lifBinding: LifBinding | null;
  /**
   * True when the kernel reads this step's accumulator slot in place and clears it (one accumulator
   * group, every segment a kernelInput model, segments tiling the core): `input` is then not
   * written. Otherwise update() gathers the slot into `input` first.
   */
  readonly directInput: boolean;
  /** Byte offset of the ring in the kernel arena (directInput). */
  readonly ringByteOffset: number;
  /** Global compartment index of each local compartment. */
  readonly globalIndex: Uint32Array;
  /** Summed synaptic input `a` of the current step. */
  readonly input: Int32Array;
  /** Delay ring: ringSlots × groups × nComp accumulators (in the kernel arena when there is one). */
  readonly ring: Int32Array;
  readonly ringSlots: number;
  /** Per ring slot: a view of its group-0 accumulators (made once; the step loop allocates nothing). */
  private readonly slotViews: Int32Array[];
  /**
   * weight_exp per accumulator group. Group 0: weights pre-shifted by their (non-negative)
   * exponent. Other groups: the summed input is shifted when gathered (left for > 0, arithmetic
   * right for < 0), used for projections with a negative exponent and plastic projections.
   */
  readonly groupExp: Int8Array;
  // output axon table
  readonly outStart: Uint32Array;
  readonly outDstCore: Uint32Array;
  readonly outDstAxon: Uint32Array;
  // synapse memory (CSR by input axon; views into the kernel arena when the receive kernel runs)
  readonly synStart: Uint32Array;
  /** Accumulator of each synapse: group · nComp + local compartment (Uint16Array when every target fits in 16 bits). */
  readonly synDest: Uint16Array | Uint32Array;
  readonly synWeight: Int16Array;
  readonly synDelay: Uint8Array;
  /** Synapses of each input axon per segment (nAxon × nSeg), to attribute synops per population. */
  readonly axonSegSynapses: Uint32Array;
  /** Population of the source compartment of each input axon (packets-in attribution). */
  readonly segments: Segment[];
  // per-step scratch
  readonly spikeBuf: Int32Array;
  /** Graded spikes: payload of spikeBuf[k] (written by graded models only). */
  readonly spikePayload: Int32Array;
  spikeCount = 0;
  /** True when a segment's model emits graded spikes (fire then sends spikePayload). */
  readonly graded: boolean;
  /** Per segment: 1 when its spikes carry a payload (graded model or graded source). */
  readonly segGraded: Uint8Array;
  /** Largest payload magnitude the architecture carries (2^(payload_bits − 1) − 1; 0 = binary). */
  payloadMax = 0;
  /** Number of input axons (synapse lists). */
  readonly nAxons: number;
  /** Learning engines of the plastic projections targeting this core (empty: no learning). */
  readonly learners: LearningEngine[] = [];
  /** Learning: input axons that received a packet this step (null when the core does not learn). */
  axonSpiked: Uint8Array | null = null;
  /** The flags axonSpiked takes when the core learns: in the kernel arena with the receive kernel (see receiveArena). */
  private readonly axonFlags: Uint8Array | null;
  /** Learning: compartments that fired this step (0/1, cleared after the learning phase). */
  compSpiked: Uint8Array | null = null;

  /**
   * The fire kernel bound to this core's arrays (kernels/fire.ts), set at build when the arena has
   * it and the core's spikes are binary; null: the engine fires through fire() and outputTimeline.
   */
  fireBinding: FireBinding | null = null;

  /** When set (trace input replay), spike-source compartments fire where this is non-zero. */
  externalSpikes: Uint8Array | null = null;
  // counters per segment, cumulative
  readonly segActive: Float64Array;
  readonly segInactive: Float64Array;
  readonly segSynops: Float64Array;
  readonly segSpikes: Float64Array;
  readonly segPacketsOut: Float64Array;
  readonly segPacketsIn: Float64Array;
  // per-step activity (reset each step) for the timing model
  stepActive = 0;
  stepInactive = 0;
  stepPacketsOut = 0;
  /**
   * The receive phase's per-step counters: [synops, packets in] (in the kernel arena with the
   * receive kernel, which writes them; read through stepSynops and stepPacketsIn).
   */
  readonly stepIn: Float64Array;

  constructor(init: {
    id: number;
    chip: number;
    tile: number;
    nComp: number;
    ringSlots: number;
    groupExp: Int8Array;
    outStart: Uint32Array;
    outDstCore: Uint32Array;
    outDstAxon: Uint32Array;
    synStart: Uint32Array;
    synDest: Uint16Array | Uint32Array;
    synWeight: Int16Array;
    synDelay: Uint8Array;
    axonSegSynapses: Uint32Array;
    segments: Segment[];
    globalIndex: Uint32Array;
    /** When given, the hot compartment arrays live in this WebAssembly memory and the kernel updates LIF segments. */
    arena?: KernelArena;
    /**
     * When given (the receive kernel runs: emulator/system/receive-kernel.ts), the counters the
     * receive phase writes (segSynops, segPacketsIn, stepIn) and the learning flags of the input
     * axons live in this WebAssembly memory (sized by receiveArenaBytes).
     */
    receiveArena?: KernelArena;
    lifKernel?: LifKernel | null;
  }) {
    this.id = init.id;
    this.chip = init.chip;
    this.tile = init.tile;
    const n = (this.nComp = init.nComp);
    const arena = init.arena;
    const i32 = (k: number): Int32Array => (arena ? arena.int32(k) : new Int32Array(k));
    this.u = i32(n);
    this.v = i32(n);
    this.refractoryCount = i32(n);
    this.decayU = i32(n);
    this.decayV = i32(n);
    this.bias = i32(n);
    this.vthScaled = i32(n);
    this.refractory = i32(n);
    this.input = i32(n);
    this.lifKernel = init.lifKernel ?? null;
    this.ringSlots = init.ringSlots;
    this.groupExp = init.groupExp;
    this.ring = i32(init.ringSlots * init.groupExp.length * n);
    this.slotViews = [];
    for (let k = 0; k < init.ringSlots; k++) this.slotViews.push(this.ring.subarray(k * init.groupExp.length * n, k * init.groupExp.length * n + n));
    this.outStart = init.outStart;
    this.outDstCore = init.outDstCore;
    this.outDstAxon = init.outDstAxon;
    this.synStart = init.synStart;
    this.synDest = init.synDest;
    this.synWeight = init.synWeight;
    this.synDelay = init.synDelay;
    this.axonSegSynapses = init.axonSegSynapses;
    this.segments = init.segments;
    this.globalIndex = init.globalIndex;
    this.spikeBuf = i32(n);
    this.spikePayload = new Int32Array(n);
    this.segGraded = Uint8Array.from(init.segments, (sg) => (sg.model.graded === true || sg.payload !== undefined ? 1 : 0));
    this.graded = this.segGraded.includes(1);
    this.nAxons = init.synStart.length - 1;
    const s = init.segments.length;
    this.segActive = new Float64Array(s);
    this.segInactive = new Float64Array(s);
    const ra = init.receiveArena;
    this.segSynops = ra ? ra.float64(s) : new Float64Array(s);
    this.segSpikes = new Float64Array(s);
    this.segPacketsOut = new Float64Array(s);
    this.segPacketsIn = ra ? ra.float64(s) : new Float64Array(s);
    this.stepIn = ra ? ra.float64(2) : new Float64Array(2);
    this.axonFlags = ra ? ra.uint8(this.nAxons) : null;
    this.lifBinding = this.lifKernel ? this.lifKernel.bind(this) : null;
    let tiled = 0;
    for (const sg of init.segments) if (sg.local === tiled && sg.model.kernelInput === true) tiled += sg.count;
    this.directInput = this.lifBinding !== null && init.groupExp.length === 1 && tiled === n && init.segments.length > 0;
    this.ringByteOffset = this.ring.byteOffset;
  }

  /** Arena int32 arrays a core allocates beside its `nComp`-sized ones: ring and kernel descriptor (build sizing). */
  static arenaExtras(nComp: number, ringSlots: number, groups: number): number[] {
    return [ringSlots * groups * nComp, LIF_DESCRIPTOR_WORDS];
  }

  /** Bytes a core allocates in its receiveArena (see the constructor): segment counters, step counters, axon flags. */
  static receiveArenaBytes(segments: number, nAxons: number): number {
    return 2 * arenaBytes(segments * 8) + arenaBytes(2 * 8) + arenaBytes(nAxons);
  }

  /** Synaptic ops of the current step. */
  get stepSynops(): number {
    return this.stepIn[0];
  }

  /** Packets received in the current step. */
  get stepPacketsIn(): number {
    return this.stepIn[1];
  }

  /** Phase "update": gather this step's input from the ring and run every segment's model. */
  update(step: number): void {
    if (this.directInput) {
      // the kernel reads (and clears) the accumulator slot of this step in place
      this.lifBinding!.setInput(this.ringByteOffset + (step % this.ringSlots) * this.nComp * 4, true);
    } else this.gather(step);
    this.spikeCount = 0;
    const segs = this.segments;
    let active = 0;
    let inactive = 0;
    for (let k = 0; k < segs.length; k++) {
      const seg = segs[k];
      const before = this.spikeCount;
      const a0 = this.segActive[k];
      const i0 = this.segInactive[k];
      seg.model.update(this, seg, step);
      this.segSpikes[k] += this.spikeCount - before;
      // on a graded core, spikes of a binary segment carry payload 0 (not a stale payload of an
      // earlier step): fire() sends spikePayload for every spike of a graded core
      if (this.graded && this.segGraded[k] === 0) this.spikePayload.fill(0, before, this.spikeCount);
      active += this.segActive[k] - a0;
      inactive += this.segInactive[k] - i0;
    }
    this.stepActive = active;
    this.stepInactive = inactive;
  }

  /** Copy this step's accumulator slot into `input` (weight_exp applied per group) and clear it. */
  private gather(step: number): void {
    const n = this.nComp;
    const groups = this.groupExp.length;
    const slot = (step % this.ringSlots) * groups * n;
    const ring = this.ring;
    const input = this.input;
    // group 0 (weights already carry a non-negative weight_exp): copy the slot and clear it with
    // native copies through views made once at construction
    const view = this.slotViews[step % this.ringSlots];
    input.set(view);
    view.fill(0);
    for (let g = 1; g < groups; g++) {
      const base = slot + g * n;
      const e = this.groupExp[g];
      if (e < 0) {
        const sh = -e;
        for (let i = 0; i < n; i++) {
          const acc = ring[base + i];
          if (acc !== 0) {
            input[i] = (input[i] + (acc >> sh)) | 0;
            ring[base + i] = 0;
          }
        }
      } else {
        for (let i = 0; i < n; i++) {
          const acc = ring[base + i];
          if (acc !== 0) {
            input[i] = (input[i] + (acc << e)) | 0;
            ring[base + i] = 0;
          }
        }
      }
    }
  }

  /** Phase "fire": one packet per destination core of every spiking compartment (graded: with its payload). */
  fire(batch: PacketBatch): void {
    const spikes = this.spikeBuf;
    const outStart = this.outStart;
    const dstCore = this.outDstCore;
    const dstAxon = this.outDstAxon;
    const pay = this.spikePayload;
    const graded = this.graded;
    let sent = 0;
    for (let k = 0; k < this.spikeCount; k++) {
      const c = spikes[k];
      const payload = graded ? pay[k] : 0;
      for (let j = outStart[c]; j < outStart[c + 1]; j++) {
        batch.push(this.id, dstCore[j], dstAxon[j], payload, 0);
        sent++;
      }
    }
    this.stepPacketsOut = sent;
    // attribute packets to the segment of the spiking compartment
    if (sent) {
      const segs = this.segments;
      for (let k = 0; k < this.spikeCount; k++) {
        const c = spikes[k];
        const nOut = outStart[c + 1] - outStart[c];
        if (nOut === 0) continue;
        let s = 0;
        while (s + 1 < segs.length && segs[s + 1].local <= c) s++;
        this.segPacketsOut[s] += nOut;
      }
    }
  }

  /** Phase "receive": one arriving packet; its synapses accumulate into slot step + 1 + delay. */
  receive(axon: number, step: number): void {
    const n = this.nComp;
    const groups = this.groupExp.length;
    const slots = this.ringSlots;
    const ring = this.ring;
    const dest = this.synDest;
    const w = this.synWeight;
    const d = this.synDelay;
    const a = this.synStart[axon];
    const b = this.synStart[axon + 1];
    const stride = groups * n;
    if (slots === 1) {
      for (let k = a; k < b; k++) ring[dest[k]] += w[k];
    } else {
      const base = step + 1;
      for (let k = a; k < b; k++) ring[((base + d[k]) % slots) * stride + dest[k]] += w[k];
    }
    if (this.axonSpiked !== null) this.axonSpiked[axon] = 1;
    this.stepIn[0] += b - a;
    this.stepIn[1]++;
    const S = this.segments.length;
    if (S === 1) {
      this.segSynops[0] += b - a;
      this.segPacketsIn[0]++;
    } else this.countSegments(axon);
  }

  /**
   * Phase "receive" of a graded spike (Loihi 2): every synapse adds weight × payload (Lava Dense
   * with num_message_bits > 0: a = weights · s_in, then weight_exp applied to the sum when gathered).
   * The accumulator is 32-bit two's complement (wraps; aerie assumption).
   */
  receiveGraded(axon: number, step: number, payload: number): void {
    const n = this.nComp;
    const groups = this.groupExp.length;
    const slots = this.ringSlots;
    const ring = this.ring;
    const dest = this.synDest;
    const w = this.synWeight;
    const d = this.synDelay;
    const a = this.synStart[axon];
    const b = this.synStart[axon + 1];
    const stride = groups * n;
    if (slots === 1) {
      for (let k = a; k < b; k++) ring[dest[k]] += Math.imul(w[k], payload);
    } else {
      const base = step + 1;
      for (let k = a; k < b; k++) ring[((base + d[k]) % slots) * stride + dest[k]] += Math.imul(w[k], payload);
    }
    this.countReceive(axon, b - a);
  }

  /**
   * Phase "receive" of a crossbar output (docs/PIM.md "Crossbar-backed projections"): a graded
   * value addressed to one dendritic accumulator `dest` (group · nComp + local compartment) of
   * step + 1 + delay, as a spike's synapses would add there. The multiply-accumulate was done in the
   * crossbar, so it is a packet in (input lookup) without synops; counted to segment `seg`.
   */
  receiveValue(dest: number, seg: number, step: number, delay: number, value: number): void {
    const slots = this.ringSlots;
    const stride = this.groupExp.length * this.nComp;
    this.ring[((step + 1 + delay) % slots) * stride + dest] += value;
    this.stepIn[1]++;
    this.segPacketsIn[seg]++;
  }

  private countReceive(axon: number, synops: number): void {
    if (this.axonSpiked !== null) this.axonSpiked[axon] = 1;
    this.stepIn[0] += synops;
    this.stepIn[1]++;
    if (this.segments.length === 1) {
      this.segSynops[0] += synops;
      this.segPacketsIn[0]++;
    } else this.countSegments(axon);
  }

  /** Synops to the segments their targets belong to; the packet to the first segment it reaches. */
  private countSegments(axon: number): void {
    const S = this.segments.length;
    const row = axon * S;
    let counted = false;
    for (let s = 0; s < S; s++) {
      const k = this.axonSegSynapses[row + s];
      this.segSynops[s] += k;
      if (k && !counted) {
        this.segPacketsIn[s]++;
        counted = true;
      }
    }
  }

  /**
   * Phase "learn" (after receive): pre flags = input axons that received a packet this step, post
   * flags = compartments that fired this step; every learning engine of the core takes one step,
   * then the flags are cleared. Returns the synapses updated (non-zero at epoch ends).
   */
  learn(step: number): number {
    const ax = this.axonSpiked!;
    const cs = this.compSpiked!;
    const spikes = this.spikeBuf;
    const nS = this.spikeCount;
    for (let k = 0; k < nS; k++) cs[spikes[k]] = 1;
    let updated = 0;
    const L = this.learners;
    for (let k = 0; k < L.length; k++) updated += L[k].onStep(step, ax, cs);
    for (let k = 0; k < nS; k++) cs[spikes[k]] = 0;
    ax.fill(0);
    return updated;
  }

  /** Attach a learning engine (build time); enables the pre/post spike flags. */
  addLearner(engine: LearningEngine): void {
    this.learners.push(engine);
    this.axonSpiked ??= this.axonFlags ?? new Uint8Array(this.nAxons);
    this.compSpiked ??= new Uint8Array(this.nComp);
  }

  resetStep(): void {
    this.stepIn[0] = 0;
    this.stepIn[1] = 0;
    this.stepPacketsOut = 0;
  }
}
