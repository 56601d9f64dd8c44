/**
 * The timestep engine: one algorithmic step in phases, barrier-synchronised as on Loihi
 * (docs/ARCHITECTURE.md, docs/TIMING.md):
 *
 *   1. update  — every core reads its accumulators for step t and updates its compartments;
 *   2. fire    — spikes look up output axons; one AER packet per destination core (source fan-out);
 *   3. route   — the NoC model gives every packet an arrival time and loads its links;
 *   4. receive — destination cores run the synaptic ops of arriving packets into the accumulator slot
 *                of step t + 1 + delay (so a spike at t changes u at t + 1 + delay); a graded packet
 *                (payload ≠ 0) adds weight × payload (in WebAssembly when receive-kernel.ts applies);
 *   4b. learn  — cores with plastic synapses step their learning engines: pre = input axons that
 *                received a packet in step t, post = compartments that fired in step t
 *                (docs/LEARNING.md "Inside the engine");
 *   5. barrier — the step's emulated duration is the critical path of core work and delivery plus the
 *                barrier time.
 *
 * Cores within a step are independent; they meet only through the packet batch. The loop allocates
 * nothing: all buffers are sized at build time (the packet batch grows by doubling, amortised).
 */
import type { Arch } from '../spec/arch.js';
import { barrierPs } from '../spec/arch.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { Placement } from '../mapping/index.js';
import type { NeuroCore } from '../core/neurocore.js';
import { ATTRIBUTION_ROWS, type FireBinding, type FireScratch, type FireStep } from '../core/kernels/fire.js';
import { PacketBatch } from '../noc/packets.js';
import type { ActivityCounts, ActionId } from '../energy/activity.js';
import { buildSystem, type PlasticBinding } from './build.js';
import { attributePacket, createArchNoc, CorePlaces, NOC_ACTIONS, NOC_ATTR, type NocChoice } from './noc.js';
import { addAttributionRows, addCoreSegments, addCount } from './counts.js';
import { DeliveryOrder, InjectionQueue, outputTimeline } from './timeline.js';
import { SourceQueues, coreCount, type NocModel, type NocParams, type NocRouteImpl } from '../noc/index.js';
import { InputError } from '../errors.js';
import { appendPart, copyPacketColumns, StepPart, type ShardCounters, type ShardLink } from './shard.js';
import { CrossbarStage, crossbarPorts } from './crossbar-stage.js';
import type { ReceiveKernel } from './receive-kernel.js';

/** Steps below this go to the receive kernel, which computes ring slots of step + 1 + delay in 32-bit integers. */
const KERNEL_STEP_LIMIT = 2 ** 31 - 2 ** 16;

/** The part of a NoC model the engine uses (emulator/noc implements it). */
export interface StepRouter {
  readonly name: string;
  /** Fill arrivePs and hops of every packet in the batch. */
  routeStep(batch: PacketBatch): void;
  /** Per-step/total NoC counts the engine folds into the activity (hops by direction etc.). */
  activity?(): Partial<Record<ActionId, number>>;
}

export type ProbeVar = 'u' | 'v' | 'spikes';
/** A compartment probe (`POP.u`, `POP.v`, `POP.spikes`) or a weights probe (`PROJ.weights`). */
export type ProbeRequest = { population: string; variable: ProbeVar } | { projection: string; variable: 'weights' };

/**
 * Values of a probe: row k holds the values after step k+1, one per compartment in population
 * order (weights probes: one per synapse in the projection's canonical (pre, post) order).
 */
export interface ProbeData {
  name: string;
  size: number;
  steps: number;
  values: Int32Array;
}

/** Largest probe buffer we allocate (values), checked before allocation. */
export const MAX_PROBE_VALUES = 2 ** 28;

interface ProbeSlot {
  name: string;
  /** 0 u, 1 v, 2 spikes, 3 weights (from core synapse memory), 4 weights (static, constant). */
  kind: number;
  size: number;
  offset: number;
  values: Int32Array;
  /** For every compartment of the population (or synapse of the projection): its core index and local index (or slot). */
  coreIndex: Uint32Array;
  local: Uint32Array;
  /** Static weights probe: the projection's weights. */
  constant?: Int16Array;
}

export interface EmulatorOptions {
  /** NoC model that times the packets: 'analytic' (default), 'cycle', or 'none' (arrival = injection). */
  noc?: NocChoice | 'none';
  /**
   * LIF compartment update: 'wasm' (default: the WebAssembly SIMD kernel when it is built, else the
   * TypeScript model) or 'js' (always the TypeScript reference model). Both are bit-identical.
   */
  kernel?: 'wasm' | 'js';
  /** Synapse target width: 'auto' (default: 16 bits when they fit) or 'wide' (32); see BuildChoices. */
  synapseTargets?: 'auto' | 'wide';
  /** Fire phase: the WebAssembly kernel (default where it applies) or the TypeScript reference (BuildChoices.fire). */
  fire?: 'wasm' | 'js';
  /**
   * Receive phase: 'wasm' (default: the WebAssembly kernel of receive-kernel.ts when it is built and
   * applies — the LIF kernel's arena, no crossbars) or 'typescript' (always the reference path).
   * Both are bit-identical. See BuildChoices.receive.
   */
  receive?: 'wasm' | 'typescript';
  /** Packets per step the receive kernel takes (BuildChoices.receivePackets; tests of the fallback). */
  receivePackets?: number;
  /** A custom router instead of a NoC model (tests). */
  router?: StepRouter;
  /** Router-model settings over the NoC defaults (e.g. vcs, bufferDepth of the cycle model). */
  nocParams?: Partial<NocParams>;
  /** The analytic model's step routing: the WebAssembly kernel (default when built) or the TypeScript reference (docs/NOC.md). */
  nocRoute?: NocRouteImpl;
  /** Binary spikes carry payload 0; graded spikes (Loihi 2) carry a payload. */
  payload?: number;
  /**
   * Run as one shard of a sharded run (emulator/system/shard.ts): step only the cores of
   * `link.range` and meet the other shards through the link every step.
   */
  link?: ShardLink;
}


export class Emulator {
  readonly cores: NeuroCore[];
  readonly batch: PacketBatch;
  /** Steps completed so far. */
  stepsDone = 0;
  private readonly coreIndexOf: Int32Array;
  private readonly router: StepRouter | undefined;
  /** The NoC model timing the packets (undefined with noc: 'none' or a custom router). */
  readonly noc: NocModel | undefined;
  private readonly injection: InjectionQueue[];
  /**
   * Cycle-level NoC only: the NoC owns the cores' injection queues so router back-pressure reaches
   * the cores (docs/TIMING.md); the fire phase then gives each packet its nominal production time.
   */
  private readonly sourceQueues: SourceQueues | undefined;
  private readonly delivery: DeliveryOrder;
  private readonly places: CorePlaces;
  /** Population of each local compartment, per core index. */
  private readonly popOfLocal: Uint16Array[];
  /** Sending population of each packet of the step (parallel to the batch). */
  private pktPop = new Uint16Array(64);
  /** NoC actions attributed to the sending population and chip: [flit, hop_ew, hop_ns, chip_link, within_tile] per row. */
  private readonly nocByPop: Float64Array;
  private readonly nocByChip: Float64Array;
  /** True when the fire kernel attributes each packet's flits and hops as it makes it (see the constructor). */
  readonly attributedAtFire: boolean;
  /** Update and fire of every owned core in one WebAssembly call (BuiltSystem.fireStep), when it applies. */
  readonly fireStep: FireStep | undefined;
  /** Injection-queue stalls: packets that waited for room, and total stall time (ps). */
  injectionStalls = 0;
  injectionStallPs = 0;
  private probes: ProbeSlot[] = [];
  private stepDurations: Float64Array = new Float64Array(0);
  private spikesPerStep: Uint32Array = new Uint32Array(0);
  private capacitySteps = 0;
  private readonly coreFinish: Float64Array;
  private readonly coreFree: Float64Array;
  /** Per core: busy time summed over steps (the core's finish time each step), integer ps. */
  private readonly coreBusyPs: Float64Array;
  private readonly barrier: number;
  private totalSpikes = 0;
  /** Spikes of the step just completed, as global compartment indices (valid until the next step). */
  readonly stepSpikes: Uint32Array;
  stepSpikeCount = 0;
  /** Per projection: where a plastic projection's synapses live and its learning engines. */
  readonly plastic: (PlasticBinding | undefined)[];
  /** Indices of cores that learn (stepped in the learn phase; owned cores only when sharded). */
  private readonly learningCores: Int32Array;
  /** The core indices this engine steps: [lo, hi) — all cores unless it is one shard of several. */
  readonly lo: number;
  readonly hi: number;
  /** Sharded runs: how this shard meets the others, and its share of each step. */
  readonly link: ShardLink | undefined;
  private readonly ownPart: StepPart | undefined;
  /** Crossbar-backed projections (undefined when the network has none; docs/PIM.md). */
  readonly crossbar: CrossbarStage | undefined;
  /** The receive phase in WebAssembly (undefined: the TypeScript path runs every step). */
  readonly receiveKernel: ReceiveKernel | undefined;

  constructor(
    readonly net: CompiledNetwork,
    readonly arch: Arch,
    readonly placement: Placement,
    opts: EmulatorOptions = {},
  ) {
    const sys = buildSystem(net, arch, placement, undefined, { kernel: opts.kernel, synapseTargets: opts.synapseTargets, fire: opts.fire, receive: opts.receive, receivePackets: opts.receivePackets });
    this.cores = sys.cores;
    this.plastic = sys.plastic;
    this.link = opts.link;
    this.lo = opts.link ? opts.link.range.lo : 0;
    this.hi = opts.link ? opts.link.range.hi : this.cores.length;
    if (this.lo < 0 || this.hi > this.cores.length || this.lo >= this.hi) throw new RangeError(`shard range [${this.lo}, ${this.hi}) outside the ${this.cores.length} cores`);
    this.learningCores = Int32Array.from(this.cores.flatMap((c, i) => (c.learners.length && i >= this.lo && i < this.hi ? [i] : [])));
    this.coreIndexOf = new Int32Array(arch.totalCores).fill(-1);
    this.cores.forEach((c, i) => (this.coreIndexOf[c.id] = i));
    let outMax = 0;
    for (const c of this.cores) outMax += c.outDstCore.length;
    this.batch = new PacketBatch(Math.max(64, Math.min(outMax, 1 << 20)));
    this.router = opts.router;
    const nocName = opts.noc ?? 'analytic';
    if (!opts.router && nocName !== 'none') {
      this.noc = createArchNoc(arch, nocName, opts.nocParams, opts.nocRoute ? { routeImpl: opts.nocRoute } : {});
      this.router = this.noc;
    }
    const serialPs = this.noc ? this.noc.clockPs * this.noc.flitsPerPacket : 0;
    this.injection = this.cores.map(() => new InjectionQueue(arch.noc.injectionQueue, serialPs));
    if (this.noc?.routeStepQueued) this.sourceQueues = new SourceQueues(arch.noc.injectionQueue, coreCount(this.noc.topology));
    // [crossbar] router ports of crossbar tiles without cores in use get places after the cores;
    // packets to crossbars go to one extra delivery bucket (crossbar-stage.ts)
    const xbar = placement.crossbars.length > 0;
    const ports = xbar ? crossbarPorts(arch, placement).virtual : [];
    ports.forEach((id, k) => (this.coreIndexOf[id] = this.cores.length + k));
    this.delivery = new DeliveryOrder(this.cores.length + (xbar ? 1 : 0), xbar);
    this.places = new CorePlaces(arch, [...this.cores.map((c) => c.id), ...ports]);
    // a crossbar stage routes and delivers its outputs inside the receive phase: not split across shards yet
    if (xbar && opts.link)
      throw new InputError('--threads/--shards', [{ where: `projection '${net.projections[placement.crossbars[0].projection]?.name ?? '?'}'`, message: 'networks with crossbar-backed projections (on: crossbar) run in one process only; drop --threads/--shards' }]);
    this.crossbar = xbar ? new CrossbarStage(net, arch, placement, this.cores, sys.groupOf, this.coreIndexOf, this.places, this.router, this.noc, serialPs) : undefined;
    this.popOfLocal = sys.popOfLocal;
    // NoC attribution: at fire time by the fire kernel when every packet of the step comes from it
    // (one process, no crossbar, every core bound), else per packet after routing (attributeNoc)
    const fa = sys.fireAttribution;
    this.attributedAtFire = fa !== undefined && this.noc !== undefined && !opts.link && !xbar && NOC_ATTR === ATTRIBUTION_ROWS && this.cores.every((c) => c.fireBinding !== null);
    // the one-call fire phase: the same stall state as the queues (all start at 0), and the same attribution
    this.fireStep = sys.fireStep;
    if (this.attributedAtFire) {
      fa!.setup(this.coreIndexOf, this.places, arch.chipsX, this.noc!.flitsPerPacket);
      for (const c of this.cores) c.fireBinding!.attributeTo(fa!);
      this.fireStep?.attributeTo(fa!);
      this.nocByPop = fa!.byPopulation;
      this.nocByChip = fa!.byChip;
    } else {
      this.nocByPop = new Float64Array(net.populations.length * NOC_ATTR);
      this.nocByChip = new Float64Array(arch.chipsX * arch.chipsY * NOC_ATTR);
    }
    // [receive kernel] the per-core times live in its arena (it reads and writes them)
    this.receiveKernel = sys.receive;
    this.coreFinish = sys.receive ? sys.receive.coreFinish : new Float64Array(this.cores.length);
    this.coreFree = sys.receive ? sys.receive.coreFree : new Float64Array(this.cores.length);
    this.coreBusyPs = sys.receive ? sys.receive.coreBusyPs : new Float64Array(this.cores.length);
    this.barrier = barrierPs(arch, placement.tilesUsed, placement.chipsUsed);
    this.stepSpikes = new Uint32Array(net.totalCompartments);
    if (this.link) {
      let packets = 0;
      let comps = 0;
      for (let ci = this.lo; ci < this.hi; ci++) {
        packets += this.cores[ci].outDstCore.length;
        comps += this.cores[ci].nComp;
      }
      this.ownPart = new StepPart(packets, comps, this.hi - this.lo);
    }
  }

  /** Record `population.variable` after every step from now on (call before run). */
  addProbe(req: ProbeRequest, steps: number): void {
    if ('projection' in req) return this.addWeightsProbe(req.projection, steps);
    const pop = this.net.populations.find((p) => p.name === req.population);
    if (!pop) throw new InputError('--probe', [{ where: `${req.population}.${req.variable}`, message: `no population named '${req.population}' (have: ${this.net.populations.map((p) => p.name).join(', ')})` }]);
    if (pop.kind === 'spike-source' && req.variable !== 'spikes')
      throw new InputError('--probe', [{ where: `${req.population}.${req.variable}`, message: `'${req.population}' is a spike-source: only .spikes can be probed` }]);
    if (pop.size * steps > MAX_PROBE_VALUES)
      throw new InputError('--probe', [{ where: `${req.population}.${req.variable}`, message: `${pop.size} compartments × ${steps} steps is more than the ${MAX_PROBE_VALUES} values a probe may record` }]);
    const coreIndex = new Uint32Array(pop.size);
    const local = new Uint32Array(pop.size);
    for (let i = 0; i < pop.size; i++) {
      const g = pop.offset + i;
      coreIndex[i] = this.coreIndexOf[this.placement.coreOf[g]];
      local[i] = this.placement.localOf[g];
    }
    const kind = req.variable === 'u' ? 0 : req.variable === 'v' ? 1 : 2;
    this.probes.push({ name: `${req.population}.${req.variable}`, kind, size: pop.size, offset: pop.offset, values: new Int32Array(pop.size * steps), coreIndex, local });
  }

  /** Record a projection's weights after every step (one value per synapse, canonical (pre, post) order). */
  private addWeightsProbe(name: string, steps: number): void {
    const where = `${name}.weights`;
    const proj = this.net.projections.find((p) => p.name === name);
    if (!proj) {
      const hint = this.net.populations.some((p) => p.name === name) ? ` ('${name}' is a population: probe ${name}.u, .v or .spikes)` : '';
      throw new InputError('--probe', [{ where, message: `no projection named '${name}'${hint} (have: ${this.net.projections.map((p) => p.name).join(', ') || 'none'})` }]);
    }
    const size = proj.pre.length;
    if (size * steps > MAX_PROBE_VALUES)
      throw new InputError('--probe', [{ where, message: `${size} synapses × ${steps} steps is more than the ${MAX_PROBE_VALUES} values a probe may record` }]);
    const b = this.plastic[proj.index];
    if (b) this.probes.push({ name: where, kind: 3, size, offset: 0, values: new Int32Array(size * steps), coreIndex: b.coreIndex, local: b.slot });
    else this.probes.push({ name: where, kind: 4, size, offset: 0, values: new Int32Array(size * steps), coreIndex: new Uint32Array(0), local: new Uint32Array(0), constant: proj.weight });
  }

  probeData(): ProbeData[] {
    return this.probes.map((p) => ({ name: p.name, size: p.size, steps: this.stepsDone, values: p.values.subarray(0, p.size * this.stepsDone) }));
  }

  /** Synapses updated by the learning engines of a projection so far (energy core.learn_update). */
  learnUpdates(projection: number): number {
    let n = 0;
    for (const e of this.plastic[projection]?.engines ?? []) n += e.engine.learnUpdates;
    return n;
  }

  private ensureStepCapacity(steps: number): void {
    if (steps <= this.capacitySteps) return;
    const d = new Float64Array(steps);
    d.set(this.stepDurations);
    this.stepDurations = d;
    const s = new Uint32Array(steps);
    s.set(this.spikesPerStep);
    this.spikesPerStep = s;
    this.capacitySteps = steps;
  }

  /** Emulated duration of a completed step (1-based), integer ps; 0 outside the steps run. */
  stepDurationPs(step: number): number {
    return step >= 1 && step <= this.stepsDone ? this.stepDurations[step - 1] : 0;
  }

  /** Run `steps` more steps. */
  run(steps: number, onStep?: (step: number) => void): void {
    this.ensureStepCapacity(this.stepsDone + steps);
    for (let k = 0; k < steps; k++) {
      this.step();
      if (onStep) onStep(this.stepsDone);
    }
  }

  /** One algorithmic step (1-based step numbers: the first call runs step 1). */
  step(): void {
    const t = this.firePhase();
    if (this.link) {
      const parts = this.link.exchange(t, this.exportPart());
      if (parts instanceof Promise) throw new Error('this shard link is asynchronous: use stepAsync()');
      this.importParts(parts);
    }
    this.closeStep(t, this.deliverPhase(t));
  }

  /** One step through an asynchronous shard link (process shards); the same phases as step(). */
  async stepAsync(): Promise<void> {
    const t = this.firePhase();
    if (this.link) this.importParts(await this.link.exchange(t, this.exportPart()));
    this.closeStep(t, this.deliverPhase(t));
  }

  /** Run `steps` more steps through an asynchronous shard link. */
  async runAsync(steps: number, onStep?: (step: number) => void): Promise<void> {
    this.ensureStepCapacity(this.stepsDone + steps);
    for (let k = 0; k < steps; k++) {
      await this.stepAsync();
      if (onStep) onStep(this.stepsDone);
    }
  }

  /** Phases 1-2 (update and fire) for the owned cores; returns the step number. */
  private firePhase(): number {
    const t = this.stepsDone + 1;
    if (t > this.capacitySteps) this.ensureStepCapacity(Math.max(16, this.capacitySteps * 2));
    const cores = this.cores;
    const batch = this.batch;
    batch.clear();
    batch.step = t;
    let nSpikes = 0;
    // back-pressure mode (cycle NoC): the NoC applies the queue; here each packet's nominal production time
    const nominal = this.sourceQueues !== undefined;
    // 1-2. update and fire, core by core; packets leave through each core's injection queue
    if (this.fireStep !== undefined) {
      this.stepSpikeCount = this.fireAll(this.fireStep, t, nominal);
      return t;
    }
    for (let ci = this.lo; ci < this.hi; ci++) {
      const c = cores[ci];
      c.resetStep();
      c.update(t);
      // (two methods, so that V8 compiles only the path a core takes into this loop)
      nSpikes = c.fireBinding !== null ? this.fireByKernel(ci, c, c.fireBinding, nominal, nSpikes) : this.fireByTypeScript(ci, c, nominal, nSpikes);
    }
    this.stepSpikeCount = nSpikes;
    return t;
  }

  /**
   * Phases 1-2 of every owned core in one call of the fire kernel (FireStep), the same outcome as
   * update() and fireByKernel core by core: each core's counters, timeline and queue stalls, then the
   * step's packets and spikes from the kernel's scratch. Returns the step's spike count.
   */
  private fireAll(fs: FireStep, t: number, nominal: boolean): number {
    const cores = this.cores;
    // the queues' stall counters go in (the cycle NoC adds its own back-pressure stalls to them)
    for (let ci = this.lo; ci < this.hi; ci++) {
      const r = fs.results[ci];
      r[6] = this.injection[ci].stallPs;
      r[7] = this.injection[ci].stalls;
    }
    const n = fs.run(this.lo, this.hi, t, nominal, this.arch.timing, this.injection[this.lo].serialPs);
    let nSpikes = 0;
    for (let ci = this.lo; ci < this.hi; ci++) {
      const c = cores[ci];
      const r = fs.results[ci];
      const so = fs.segmentResults[ci];
      c.resetStep();
      c.stepActive = r[0];
      c.stepInactive = r[1];
      c.spikeCount = r[2];
      c.stepPacketsOut = r[3];
      const segs = c.segments;
      for (let k = 0; k < segs.length; k++) {
        c.segActive[k] += so[4 * k];
        c.segInactive[k] += segs[k].count - so[4 * k];
        c.segSpikes[k] += so[4 * k + 1];
        c.segPacketsOut[k] += so[4 * k + 2];
      }
      this.coreFree[ci] = r[4];
      this.coreFinish[ci] = r[5];
      const q = this.injection[ci];
      this.injectionStallPs += r[6] - q.stallPs;
      this.injectionStalls += r[7] - q.stalls;
      q.stallPs = r[6];
      q.stalls = r[7];
      nSpikes += r[2];
    }
    this.takeFired(fs.scratch, n, nSpikes, 0);
    return nSpikes;
  }

  /**
   * Append the fire kernel's output to the step: its first `packets` packets to the batch (with their
   * sending populations) and its first `spikes` spikes to stepSpikes from `spikeBase` on. Plain
   * loops: a few packets and spikes per step (a subarray view per builtin copy costs more).
   */
  private takeFired(s: FireScratch, packets: number, spikes: number, spikeBase: number): void {
    const first = this.batch.count;
    this.batch.appendFrom(s.srcCore, s.dstCore, s.dstAxon, s.injectPs, packets);
    if (this.batch.count > this.pktPop.length) this.growPacketScratch(this.batch.count);
    const pktPop = this.pktPop;
    for (let k = 0; k < packets; k++) pktPop[first + k] = s.pop[k];
    const stepSpikes = this.stepSpikes;
    for (let k = 0; k < spikes; k++) stepSpikes[spikeBase + k] = s.spikeGid[k];
  }

  /** Phase 2 of core ci in TypeScript (the reference of fireByKernel); returns the step's spike count so far. */
  private fireByTypeScript(ci: number, c: NeuroCore, nominal: boolean, nSpikes: number): number {
    const tm = this.arch.timing;
    const batch = this.batch;
    const first = batch.count;
    c.fire(batch);
    if (batch.count > this.pktPop.length) this.growPacketScratch(batch.count);
    // core timeline: compartment updates, then per spike an axon lookup and per packet an injection
    const updateEnd = c.stepActive * tm.compartmentActivePs + c.stepInactive * tm.compartmentInactivePs;
    const q = this.injection[ci];
    const stallsBefore = q.stalls;
    const stallPsBefore = q.stallPs;
    const spikes = c.spikeBuf;
    this.coreFinish[ci] = outputTimeline(spikes, c.spikeCount, c.outStart, updateEnd, tm, q, nominal, batch.injectPs, first);
    this.injectionStalls += q.stalls - stallsBefore;
    this.injectionStallPs += q.stallPs - stallPsBefore;
    // the step's spikes, and each packet's sending population (NoC attribution)
    const pops = this.popOfLocal[ci];
    let p = first;
    for (let k = 0; k < c.spikeCount; k++) {
      const comp = spikes[k];
      const pop = pops[comp];
      for (let j = c.outStart[comp]; j < c.outStart[comp + 1]; j++) this.pktPop[p++] = pop;
      this.stepSpikes[nSpikes++] = c.globalIndex[comp];
    }
    // the synapse (input) pipeline is free once the compartments are updated; it runs in
    // parallel with the axon (output) lookups
    this.coreFree[ci] = updateEnd;
    return nSpikes;
  }

  /**
   * Phase 2 of core ci through its fire kernel (kernels/fire.ts), the same outcome as the
   * TypeScript path of firePhase: the packets appended to the batch with their injection times and
   * sending populations, the spikes to stepSpikes, the core's timeline and counters. Returns the
   * step's spike count so far.
   */
  private fireByKernel(ci: number, c: NeuroCore, fb: FireBinding, nominal: boolean, nSpikes: number): number {
    const tm = this.arch.timing;
    const updateEnd = c.stepActive * tm.compartmentActivePs + c.stepInactive * tm.compartmentInactivePs;
    const q = this.injection[ci];
    const stallsBefore = q.stalls;
    const stallPsBefore = q.stallPs;
    const n = fb.run(c.spikeCount, updateEnd, tm, q, nominal);
    const s = fb.scratch;
    this.takeFired(s, n, c.spikeCount, nSpikes);
    c.stepPacketsOut = n;
    for (let k = 0; k < c.segments.length; k++) c.segPacketsOut[k] += s.segPackets[k];
    this.coreFinish[ci] = fb.finish;
    this.injectionStalls += q.stalls - stallsBefore;
    this.injectionStallPs += q.stallPs - stallPsBefore;
    this.coreFree[ci] = updateEnd;
    return nSpikes + c.spikeCount;
  }

  /** This shard's packets and spikes of the step, packed for the link. */
  private exportPart(): StepPart {
    const part = this.ownPart!;
    const b = this.batch;
    const P = b.count;
    part.packets = P;
    part.spikes = this.stepSpikeCount;
    copyPacketColumns(b, part, P);
    for (let i = 0; i < P; i++) part.pop[i] = this.pktPop[i];
    part.spikeIds.set(this.stepSpikes.subarray(0, this.stepSpikeCount));
    for (let ci = this.lo; ci < this.hi; ci++) {
      part.coreTimes[2 * (ci - this.lo)] = this.coreFree[ci];
      part.coreTimes[2 * (ci - this.lo) + 1] = this.coreFinish[ci];
    }
    return part;
  }

  /** Rebuild the step's batch and spike list from every shard's part, in shard (= core) order. */
  private importParts(parts: readonly StepPart[]): void {
    const b = this.batch;
    // the first shard's own packets, spikes and core times are already in place (it comes first)
    const first = this.lo === 0 ? 1 : 0;
    if (!first) b.clear();
    let total = b.count;
    for (let s = first; s < parts.length; s++) total += parts[s].packets;
    b.reserve(total);
    if (total > this.pktPop.length) this.growPacketScratch(total);
    let nSpikes = first ? this.stepSpikeCount : 0;
    let ci = first ? this.hi : 0;
    for (let s = first; s < parts.length; s++) {
      const part = parts[s];
      appendPart(part, b, this.pktPop);
      this.stepSpikes.set(part.spikeIds.subarray(0, part.spikes), nSpikes);
      nSpikes += part.spikes;
      // fire-phase times of every core, for the receive timeline (a shard's own are unchanged)
      for (let k = 0; k < part.cores; k++, ci++) {
        this.coreFree[ci] = part.coreTimes[2 * k];
        this.coreFinish[ci] = part.coreTimes[2 * k + 1];
      }
    }
    this.stepSpikeCount = nSpikes;
  }

  /**
   * Phases 3-4b (route, receive, learn) for the owned cores; returns the step's critical path (ps)
   * over every core.
   */
  private deliverPhase(t: number): number {
    const cores = this.cores;
    const tm = this.arch.timing;
    const batch = this.batch;
    // 3. route (every shard routes the whole batch: the NoC model is deterministic)
    if (this.router) {
      this.noc?.resetStepStats();
      // a step without packets has nothing to route (idle hardware costs nothing to simulate)
      if (batch.count > 0 && this.sourceQueues) this.routeWithBackPressure(batch, this.sourceQueues);
      else if (batch.count > 0) this.router.routeStep(batch);
    } else for (let i = 0; i < batch.count; i++) batch.arrivePs[i] = batch.injectPs[i];
    // NoC attribution: one shard counts it for everyone (the coordinator, which reports)
    if (this.noc && this.lo === 0 && !this.attributedAtFire) this.attributeNoc(batch);
    // 4. receive: each destination core takes its packets in arrival order; synaptic ops start at
    //    max(arrival, core free). [receive kernel] In WebAssembly when it applies and the step's
    //    packets fit its scratch (copies + one call), else the TypeScript reference path.
    const rk = this.receiveKernel;
    // (the kernel takes the step as a 32-bit integer: a run beyond 2^31 − 2^16 steps goes on in TypeScript)
    const crit = rk !== undefined && batch.count <= rk.capacity && t < KERNEL_STEP_LIMIT ? rk.deliver(batch, t, this.lo, this.hi, tm.messageInPs, tm.synopPs) : this.receivePhase(t);
    // 4b. learn: plastic synapses see this step's pre (received) and post (fired) spikes
    const lc = this.learningCores;
    for (let k = 0; k < lc.length; k++) cores[lc[k]].learn(t);
    return crit;
  }

  /**
   * Phase 4 in TypeScript (the reference of receive-kernel.ts, and the path with crossbars):
   * delivery order, synaptic ops of the owned cores, every core's timeline; returns the critical path.
   */
  private receivePhase(t: number): number {
    const cores = this.cores;
    const tm = this.arch.timing;
    const batch = this.batch;
    const coreIndexOf = this.coreIndexOf;
    const order = this.delivery;
    order.sort(batch, coreIndexOf);
    const idx = order.order;
    // [crossbar] packets addressed to crossbars (the extra bucket) drive this step's MVMs; their
    // graded outputs are routed now and delivered after each core's spike packets
    const xbar = this.crossbar;
    if (xbar) xbar.process(t, batch, idx, order.coreStart[cores.length], order.coreStart[cores.length + 1]);
    // A shard runs the synaptic ops of its own cores only, but the timeline of every core (a
    // packet's synaptic ops are its input axon's synapse count, known for every core), so all shards
    // find the same critical path without meeting again.
    for (let ci = 0; ci < cores.length; ci++) {
      const c = cores[ci];
      const owned = ci >= this.lo && ci < this.hi;
      const synStart = c.synStart;
      let free = this.coreFree[ci];
      let finish = this.coreFinish[ci];
      for (let k = order.coreStart[ci]; k < order.coreStart[ci + 1]; k++) {
        const i = idx[k];
        const axon = batch.dstAxon[i];
        if (owned) {
          const payload = batch.payload[i];
          if (payload === 0) c.receive(axon, t);
          else c.receiveGraded(axon, t, payload);
        }
        const start = batch.arrivePs[i] > free ? batch.arrivePs[i] : free;
        free = start + tm.messageInPs + (synStart[axon + 1] - synStart[axon]) * tm.synopPs;
        if (free > finish) finish = free;
        // the last flit's arrival also bounds the step (a packet with no synapses still arrives)
        if (batch.arrivePs[i] > finish) finish = batch.arrivePs[i];
      }
      if (xbar) {
        xbar.deliver(ci, t, free, finish);
        free = xbar.free;
        finish = xbar.finish;
      }
      this.coreFree[ci] = free;
      this.coreFinish[ci] = finish;
      this.coreBusyPs[ci] += finish;
    }
    let crit = 0;
    for (let ci = 0; ci < cores.length; ci++) if (this.coreFinish[ci] > crit) crit = this.coreFinish[ci];
    if (xbar && xbar.stepFinishPs > crit) crit = xbar.stepFinishPs; // [crossbar] an MVM bounds the step too
    return crit;
  }

  /** Phase 5 (barrier): the step lasts its critical path (over every shard) plus the barrier. */
  private closeStep(t: number, crit: number): void {
    const nSpikes = this.stepSpikeCount;
    this.totalSpikes += nSpikes;
    this.stepDurations[t - 1] = crit + this.barrier;
    this.spikesPerStep[t - 1] = nSpikes;
    // probes (null when none)
    if (this.probes.length) this.recordProbes(t);
    this.stepsDone = t;
  }

  /** Everything this shard counted for its own cores (sharded runs send it once, at the end). */
  exportCounters(): ShardCounters {
    const own = this.cores.slice(this.lo, this.hi);
    const learnUpdates: number[] = [];
    for (const b of this.plastic) for (const e of b?.engines ?? []) if (e.coreIndex >= this.lo && e.coreIndex < this.hi) learnUpdates.push(e.engine.learnUpdates);
    return {
      lo: this.lo,
      hi: this.hi,
      steps: this.stepsDone,
      segActive: own.map((c) => c.segActive),
      segInactive: own.map((c) => c.segInactive),
      segSynops: own.map((c) => c.segSynops),
      segSpikes: own.map((c) => c.segSpikes),
      segPacketsOut: own.map((c) => c.segPacketsOut),
      segPacketsIn: own.map((c) => c.segPacketsIn),
      busyPs: this.coreBusyPs.slice(this.lo, this.hi),
      stalls: Float64Array.from(this.injection.slice(this.lo, this.hi), (q) => q.stalls),
      stallPs: Float64Array.from(this.injection.slice(this.lo, this.hi), (q) => q.stallPs),
      learnUpdates,
      probes: this.probes.map((p) => p.values),
    };
  }

  /** Take another shard's counters for its cores (the coordinating shard, after the run). */
  importCounters(sc: ShardCounters): void {
    if (sc.steps !== this.stepsDone) throw new Error(`shard [${sc.lo}, ${sc.hi}) ran ${sc.steps} steps, this one ${this.stepsDone}`);
    for (let ci = sc.lo; ci < sc.hi; ci++) {
      const c = this.cores[ci];
      const k = ci - sc.lo;
      c.segActive.set(sc.segActive[k]);
      c.segInactive.set(sc.segInactive[k]);
      c.segSynops.set(sc.segSynops[k]);
      c.segSpikes.set(sc.segSpikes[k]);
      c.segPacketsOut.set(sc.segPacketsOut[k]);
      c.segPacketsIn.set(sc.segPacketsIn[k]);
      this.coreBusyPs[ci] = sc.busyPs[k];
      const q = this.injection[ci];
      this.injectionStalls += sc.stalls[k] - q.stalls;
      this.injectionStallPs += sc.stallPs[k] - q.stallPs;
      q.stalls = sc.stalls[k];
      q.stallPs = sc.stallPs[k];
    }
    let j = 0;
    for (const b of this.plastic) for (const e of b?.engines ?? []) if (e.coreIndex >= sc.lo && e.coreIndex < sc.hi) e.engine.learnUpdates = sc.learnUpdates[j++];
    // probe columns of the compartments (synapses) that live on the other shard's cores
    this.probes.forEach((p, k) => {
      if (p.kind !== 0 && p.kind !== 1 && p.kind !== 3) return;
      const src = sc.probes[k];
      const rows = this.stepsDone;
      for (let i = 0; i < p.size; i++) {
        const ci = p.coreIndex[i];
        if (ci < sc.lo || ci >= sc.hi) continue;
        for (let r = 0; r < rows; r++) p.values[r * p.size + i] = src[r * p.size + i];
      }
    });
  }

  /**
   * Cycle-level NoC: route with the cores' injection queues inside the NoC, then delay each core's
   * finish by the stall its full queue caused (the stall delays the rest of its output pipeline).
   * Self-contained so the step() restructuring can call it from its route phase unchanged.
   */
  private routeWithBackPressure(batch: PacketBatch, sq: SourceQueues): void {
    this.noc!.routeStepQueued!(batch, sq);
    const cores = this.cores;
    for (let ci = 0; ci < cores.length; ci++) {
      const id = cores[ci].id;
      const stall = sq.stallPs[id];
      if (stall === 0 && sq.stalls[id] === 0) continue;
      this.coreFinish[ci] += stall;
      const q = this.injection[ci];
      q.stallPs += stall;
      q.stalls += sq.stalls[id];
      this.injectionStallPs += stall;
      this.injectionStalls += sq.stalls[id];
    }
  }

  private growPacketScratch(n: number): void {
    let cap = this.pktPop.length;
    while (cap < n) cap *= 2;
    const a = new Uint16Array(cap);
    a.set(this.pktPop);
    this.pktPop = a;
  }

  /** Add the step's flits and hops to the sending population and chip (minimal routes: see noc.ts). */
  private attributeNoc(batch: PacketBatch): void {
    const F = this.noc!.flitsPerPacket;
    const cio = this.coreIndexOf;
    for (let i = 0; i < batch.count; i++) attributePacket(this.places, cio[batch.srcCore[i]], cio[batch.dstCore[i]], F, this.pktPop[i], this.arch.chipsX, this.nocByPop, this.nocByChip);
  }

  private recordProbes(t: number): void {
    for (const p of this.probes) {
      const row = (t - 1) * p.size;
      const out = p.values;
      if (p.kind === 3) {
        for (let i = 0; i < p.size; i++) out[row + i] = this.cores[p.coreIndex[i]].synWeight[p.local[i]];
      } else if (p.kind === 4) {
        out.set(p.constant!, row);
      } else if (p.kind === 2) {
        // the engine's stepSpikes lists global indices of this step
        for (let k = 0; k < this.stepSpikeCount; k++) {
          const g = this.stepSpikes[k];
          if (g >= p.offset && g < p.offset + p.size) out[row + g - p.offset] = 1;
        }
      } else {
        const isU = p.kind === 0;
        for (let i = 0; i < p.size; i++) {
          const c = this.cores[p.coreIndex[i]];
          out[row + i] = (isU ? c.u : c.v)[p.local[i]];
        }
      }
    }
  }

  /** Exact counts of everything done so far (see emulator/energy/activity.ts). */
  activity(): ActivityCounts {
    const totals: Partial<Record<ActionId, number>> = {};
    const byPopulation: Record<string, Partial<Record<ActionId, number>>> = {};
    const byChip: Record<number, Partial<Record<ActionId, number>>> = {};
    for (const p of this.net.populations) byPopulation[p.name] = {};
    const byCore: Record<number, Partial<Record<ActionId, number>>> = {};
    const coreTime: Record<number, { busyPs: number; stallPs: number }> = {};
    this.cores.forEach((c, ci) => (coreTime[c.id] = { busyPs: this.coreBusyPs[ci], stallPs: this.injection[ci].stallPs }));
    for (const c of this.cores) addCoreSegments(c, this.net, { totals, byPopulation, chip: (byChip[c.chip] ??= {}), core: (byCore[c.id] ??= {}) }, true);
    // learning: synapse updates, attributed to the target population and the core's chip
    for (const b of this.plastic) {
      if (!b) continue;
      const pop = this.net.populations[this.net.projections[b.projection].to];
      for (const { coreIndex, engine } of b.engines) {
        addCount(totals, 'core.learn_update', engine.learnUpdates);
        addCount(byPopulation[pop.name], 'core.learn_update', engine.learnUpdates);
        addCount((byChip[this.cores[coreIndex].chip] ??= {}), 'core.learn_update', engine.learnUpdates);
        addCount((byCore[this.cores[coreIndex].id] ??= {}), 'core.learn_update', engine.learnUpdates);
      }
    }
    // NoC: flits and hops attributed to the sending population and chip
    if (this.noc) addAttributionRows(NOC_ACTIONS, this.net, this.nocByPop, this.nocByChip, { totals, byPopulation, byChip });
    // one barrier per step on every chip in use
    const tilesPerChip = this.arch.tilesX * this.arch.tilesY;
    // [crossbar] a chip holding only crossbar arrays is in use too
    const chipsInUse = [...new Set([...this.cores.map((c) => c.chip), ...this.placement.crossbars.flatMap((x) => Array.from(x.tileOf, (t) => Math.floor(t / tilesPerChip)))])];
    const chips = chipsInUse.length;
    addCount(totals, 'sync.barrier', this.stepsDone * chips);
    for (const chip of chipsInUse) addCount((byChip[chip] ??= {}), 'sync.barrier', this.stepsDone);
    if (this.router?.activity) for (const [k, v] of Object.entries(this.router.activity())) addCount(totals, k as ActionId, v ?? 0);
    const populationSizes: Record<string, number> = {};
    for (const p of this.net.populations) populationSizes[p.name] = p.size;
    const tiles = new Set(this.cores.map((c) => c.tile));
    // [crossbar] array counts (to the target population) and output-packet NoC counts; crossbar tiles are powered
    this.crossbar?.addActivity(totals, byPopulation, byChip);
    for (const x of this.placement.crossbars) for (const t of x.tileOf) tiles.add(t);
    return {
      steps: this.stepsDone,
      byCore,
      coreTime,
      totals,
      byPopulation,
      byChip,
      hardware: { chips, tilesUsed: tiles.size, coresUsed: this.cores.length, routersUsed: tiles.size, crossbarsUsed: this.crossbar?.arrays ?? 0 },
      stepDurationPs: this.stepDurations.slice(0, this.stepsDone),
      spikesPerStep: this.spikesPerStep.slice(0, this.stepsDone),
      populationSizes,
      dt: this.net.dt,
    };
  }

  get spikes(): number {
    return this.totalSpikes;
  }
}
