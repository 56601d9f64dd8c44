/**
 * Assemble cores from a compiled network and its placement: per-core compartment parameters,
 * synapse memory (CSR by input axon, in source order), output axon tables and delay rings.
 */
import type { Arch } from '../spec/arch.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { Placement } from '../mapping/index.js';
import { KernelArena, arenaBytes, createLifKernel, deliverModuleOrNull, lifModuleOrNull } from '../core/kernels/index.js';
import { FireKernel, FireStep, attributionWords, fireCoreWords, fireModuleBuilt, fireScratchWords, fireStepWords, type AttributionSizes, type FireAttribution, type FireScratchSizes } from '../core/kernels/fire.js';
import { NeuroCore, type CompartmentModel, type Segment } from '../core/neurocore.js';
import { lifBitAccurate } from '../core/lif.js';
import { alifFixed } from '../core/alif.js';
import { sigmaDeltaFixed } from '../core/sigma-delta.js';
import { spikeSource } from '../core/spike-source.js';
import { LearningEngine } from '../core/learning/engine.js';
import { DELAY_MAX } from '../core/learning/widths.js';
import { InputError } from '../errors.js';
import { crossbarDestinations } from './crossbar-stage.js';
import { RECEIVE_PACKETS_MAX, ReceiveKernel } from './receive-kernel.js';

/** Compartment model implementations by kind (the step engine never names a model). */
export const COMPARTMENT_MODELS: Record<string, CompartmentModel> = {
  lif: lifBitAccurate,
  alif: alifFixed,
  'sigma-delta': sigmaDeltaFixed,
  'spike-source': spikeSource,
};

/** Where the synapses of a plastic projection live: per synapse (canonical pre, post order) its core index and slot. */
export interface PlasticBinding {
  projection: number;
  /** Index into the cores array of each synapse. */
  coreIndex: Uint32Array;
  /** Index into that core's synapse memory (synWeight, synDelay). */
  slot: Uint32Array;
  /** The learning engines of this projection, one per destination core, with their core indices. */
  engines: { coreIndex: number; engine: LearningEngine }[];
}

export interface BuiltSystem {
  cores: NeuroCore[];
  /** One entry per plastic projection, by projection index (undefined for static ones). */
  plastic: (PlasticBinding | undefined)[];
  /** Per core (index into cores): the accumulator group of each projection (0 = weights pre-shifted). */
  groupOf: Int16Array[];
  /** Per core (index into cores): the population of each local compartment. */
  popOfLocal: Uint16Array[];
  /** NoC attribution the fire kernel can do at fire time (present with the fire kernel; the engine decides whether to use it). */
  fireAttribution?: FireAttribution;
  /** The update and fire phases of every core in one WebAssembly call, when they all can (FireStep.applies). */
  fireStep?: FireStep;
  /** The receive phase in WebAssembly over these cores (BuildChoices.receive), or undefined. */
  receive?: ReceiveKernel;
}

export function buildCores(net: CompiledNetwork, arch: Arch, placement: Placement): NeuroCore[] {
  return buildSystem(net, arch, placement).cores;
}

/** The rule changes delays (a `dd` series): the core's delay ring must hold the largest learnable delay. */
function learnsDelay(p: CompiledNetwork['projections'][number]): boolean {
  return p.learning !== undefined && p.learning.rule.series.some((s) => s.target === 'dd');
}

/** Arrays of nComp words a core keeps in the kernel arena, besides NeuroCore.arenaExtras (see NeuroCore's constructor). */
const ARENA_ARRAYS_PER_CORE = 10;

/** How buildSystem implements the cores (implementations picked by name; every choice is bit-identical). */
export interface BuildChoices {
  /** LIF update: the WebAssembly kernel (default) or the TypeScript reference model. */
  kernel?: 'wasm' | 'js';
  /**
   * Synapse target words: 'auto' (default) stores each synapse's accumulator index in 16 bits when
   * every index of the core fits (group count × compartments ≤ 65,536, as on every Loihi core), else
   * 32; 'wide' always 32 (the path of larger cores, selectable to test it on small ones).
   */
  synapseTargets?: 'auto' | 'wide';
  /**
   * Fire phase (spikes → packets through the injection queue): the WebAssembly kernel (default,
   * when the LIF kernel's arena exists and fire.wasm is built) or the TypeScript reference ('js').
   */
  fire?: 'wasm' | 'js';
  /**
   * Receive phase (synaptic ops, counters, receive timeline): 'wasm' (default) runs the WebAssembly
   * kernel (receive-kernel.ts) when it applies — deliver.wat built, a kernel arena (the LIF kernel in
   * use) and no crossbar-backed projection — with the synapse memory and receive counters in the
   * arena; 'typescript' always runs the reference path (Emulator.deliverPhase).
   */
  receive?: 'wasm' | 'typescript';
  /** Packets per step the receive kernel's scratch holds (default: every output axon, at most RECEIVE_PACKETS_MAX); a step with more runs the TypeScript path. */
  receivePackets?: number;
}

/** Packets a step may make for the fire kernel to take the whole step in one call (its scratch holds them). */
const FIRE_STEP_PACKETS = 1 << 16;

/** Largest kernel arena the receive kernel is used with (beyond it the synapse memory stays in JS arrays and the TypeScript path runs). */
const RECEIVE_ARENA_MAX = 2 ** 31;

export function buildSystem(net: CompiledNetwork, arch: Arch, placement: Placement, source = `<network ${net.name}>`, choices: BuildChoices = {}): BuiltSystem {
  const kernel = choices.kernel ?? 'wasm';
  const narrowTargets = (choices.synapseTargets ?? 'auto') === 'auto';
  // graded spikes need an architecture with a payload (Loihi 2)
  if (arch.core.payloadBits === 0) {
    const graded = net.populations.filter((p) => p.graded);
    if (graded.length)
      throw new InputError(
        source,
        graded.map((p) => ({ where: `populations[${p.index}]`, message: `'${p.name}' sends graded spikes (${p.kind === 'spike-source' ? 'payload' : p.kind}) but the architecture '${arch.preset}' has binary spikes (core.payload_bits = 0); use loihi2` })),
      );
  }
  const payloadMax = arch.core.payloadBits > 0 ? 2 ** (arch.core.payloadBits - 1) - 1 : 0;
  const n = net.totalCompartments;
  const { coreOf, localOf } = placement;
  // synapses by global source (CSR): target, weight (with non-negative weight_exp applied), delay, projection
  // crossbar-backed projections keep their weights in crossbar arrays, not in synapse memory
  const coreProjections = net.projections.filter((p) => p.on !== 'crossbar');
  const srcStart = new Uint32Array(n + 1);
  for (const p of coreProjections) {
    const off = net.populations[p.from].offset;
    for (let i = 0; i < p.pre.length; i++) srcStart[off + p.pre[i] + 1]++;
  }
  for (let i = 0; i < n; i++) srcStart[i + 1] += srcStart[i];
  const fill = srcStart.slice(0, n);
  const total = srcStart[n];
  const tgt = new Uint32Array(total);
  const wq = new Int16Array(total);
  const dl = new Uint8Array(total);
  const pj = new Uint16Array(total);
  const anyPlastic = net.projections.some((p) => p.learning);
  // plastic synapses: index within their projection (−1 for static synapses)
  const synIndex = anyPlastic ? new Int32Array(total).fill(-1) : null;
  for (const p of coreProjections) {
    const fromOff = net.populations[p.from].offset;
    const toOff = net.populations[p.to].offset;
    // static: a non-negative weight_exp is folded into the stored weight; plastic: raw weights
    const shift = !p.learning && p.weightExp > 0 ? p.weightExp : 0;
    for (let i = 0; i < p.pre.length; i++) {
      const k = fill[fromOff + p.pre[i]]++;
      tgt[k] = toOff + p.post[i];
      wq[k] = p.weight[i] * 2 ** shift;
      dl[k] = p.delay[i];
      pj[k] = p.index;
      if (synIndex && p.learning) synIndex[k] = i;
    }
  }
  const plastic: (PlasticBinding | undefined)[] = net.projections.map((p) =>
    p.learning ? { projection: p.index, coreIndex: new Uint32Array(p.pre.length), slot: new Uint32Array(p.pre.length), engines: [] } : undefined,
  );
  // per plastic synapse: its input axon and local compartment on its core
  const synAxon = plastic.map((b) => (b ? new Uint32Array(b.slot.length) : undefined));
  const synLocal = plastic.map((b) => (b ? new Uint32Array(b.slot.length) : undefined));

  const cores: NeuroCore[] = [];
  const coreIdx = new Int32Array(arch.totalCores).fill(-1);
  placement.cores.forEach((c, i) => (coreIdx[c.core] = i));
  const groups = placement.cores.map((c) => {
    // accumulator groups: 0 for static weight_exp >= 0 (folded into the weights), one more per
    // projection with weight_exp < 0 and per plastic projection with weight_exp != 0 (raw weights,
    // the exponent applied when the group is gathered)
    const groupOfProj = new Int16Array(net.projections.length);
    const exps: number[] = [0];
    let maxDelay = 0;
    for (const seg of c.segments) {
      for (const p of net.projections) {
        if (p.to !== seg.population) continue;
        const ownGroup = p.weightExp < 0 || (p.learning !== undefined && p.weightExp !== 0);
        if (ownGroup && groupOfProj[p.index] === 0) {
          groupOfProj[p.index] = exps.length;
          exps.push(p.weightExp);
        }
        const md = learnsDelay(p) ? DELAY_MAX : p.maxDelay;
        if (md > maxDelay) maxDelay = md;
      }
    }
    const segOfLocal = new Uint16Array(c.compartments);
    c.segments.forEach((s, k) => segOfLocal.fill(k, s.local, s.local + s.count));
    // a target is group · nComp + local compartment: 2 bytes whenever it fits (BuildChoices.synapseTargets)
    return { groupOfProj, exps, ringSlots: maxDelay + 1, segOfLocal, narrow: narrowTargets && exps.length * c.compartments <= 0x10000 };
  });
  let totalOut = 0;
  for (const c of placement.cores) totalOut += c.outputAxons;

  // the hot compartment arrays of every core in one WebAssembly memory, when the kernel is built
  // and some core runs bit-accurate LIF compartments
  const wantKernel = kernel === 'wasm' && net.populations.some((p) => p.kind === 'lif') && lifModuleOrNull() !== null;
  const lifBytes = KernelArena.bytesFor(
    placement.cores.flatMap((c, ci) => [...Array<number>(ARENA_ARRAYS_PER_CORE).fill(c.compartments), ...NeuroCore.arenaExtras(c.compartments, groups[ci].ringSlots, groups[ci].exps.length)]),
  );
  // the receive kernel (BuildChoices.receive): the synapse memory, receive counters, engine times
  // and a packet scratch join them
  const receivePackets = Math.max(1, choices.receivePackets ?? Math.min(totalOut, RECEIVE_PACKETS_MAX));
  let receiveBytes = 0;
  if (wantKernel && (choices.receive ?? 'wasm') === 'wasm' && placement.crossbars.length === 0 && deliverModuleOrNull() !== null) {
    receiveBytes = ReceiveKernel.bytesFor(placement.cores.length, arch.totalCores, receivePackets);
    placement.cores.forEach((c, ci) => {
      const S = c.segments.length;
      receiveBytes += arenaBytes((c.inputAxons + 1) * 4) + arenaBytes(c.synapses * (groups[ci].narrow ? 2 : 4)) + arenaBytes(c.synapses * 2) + arenaBytes(c.synapses);
      receiveBytes += arenaBytes(c.inputAxons * S * 4) + NeuroCore.receiveArenaBytes(S, c.inputAxons);
    });
    if (lifBytes + receiveBytes > RECEIVE_ARENA_MAX) receiveBytes = 0;
  }
  // the fire phase (kernels/fire.ts) joins them too: per core its output-axon table (core and
  // crossbar destinations of its compartments), global indices and populations; a shared scratch
  const xd = crossbarDestinations(net, arch, placement);
  // (counted as the tables are filled below: one entry per distinct destination core of a source
  // compartment, then one per crossbar destination)
  const outEntries = new Array<number>(placement.cores.length).fill(0);
  const touched = new Int32Array(placement.cores.length).fill(-1);
  for (let s = 0; s < n; s++) {
    const own = coreIdx[coreOf[s]];
    for (let k = srcStart[s]; k < srcStart[s + 1]; k++) {
      const ci = coreIdx[coreOf[tgt[k]]];
      if (touched[ci] !== s) {
        touched[ci] = s;
        outEntries[own]++;
      }
    }
    outEntries[own] += xd.start[s + 1] - xd.start[s];
  }
  // a system whose every packet of a step fits FIRE_STEP_PACKETS can fire all its cores in one call
  // (fire_step, FireStep): the scratch then holds the whole step, else one core's packets
  const allOut = outEntries.reduce((a, b) => a + b, 0);
  const stepScratch = allOut <= FIRE_STEP_PACKETS;
  const fireSizes: FireScratchSizes = {
    packets: Math.max(1, stepScratch ? allOut : Math.max(0, ...outEntries)),
    compartments: Math.max(1, stepScratch ? n : Math.max(0, ...placement.cores.map((c) => c.compartments))),
    segments: Math.max(1, ...placement.cores.map((c) => c.segments.length)),
    depth: arch.noc.injectionQueue,
  };
  const wantFire = wantKernel && choices.fire !== 'js' && fireModuleBuilt();
  const attrSizes: AttributionSizes = { coreIds: arch.totalCores, places: placement.cores.length, populations: net.populations.length, chips: arch.chipsX * arch.chipsY };
  const fireBytes = wantFire
    ? KernelArena.bytesFor([
        ...placement.cores.flatMap((c, ci) => fireCoreWords(c.compartments, outEntries[ci], c.segments.length)),
        ...fireScratchWords(fireSizes),
        ...attributionWords(attrSizes),
        ...(stepScratch ? fireStepWords(placement.cores.map((c) => c.segments.length)) : []),
      ])
    : 0;
  if (lifBytes + receiveBytes + fireBytes > RECEIVE_ARENA_MAX) receiveBytes = 0;
  const arena = wantKernel ? new KernelArena(lifBytes + receiveBytes + fireBytes) : undefined;
  const lifKernel = arena ? createLifKernel(arena) : null;
  const fireKernel = lifKernel && wantFire ? FireKernel.create(lifKernel, fireSizes) : null;
  const fireAttribution = fireKernel ? fireKernel.attribution(attrSizes) : undefined;
  /** The arena of the receive kernel's data, when it runs. */
  const receiveArena = receiveBytes > 0 ? arena : undefined;
  const ra = receiveArena;
  const per = placement.cores.map((c, ci) => ({
    groupOfProj: groups[ci].groupOfProj,
    exps: groups[ci].exps,
    ringSlots: groups[ci].ringSlots,
    segOfLocal: groups[ci].segOfLocal,
    synStart: ra ? ra.uint32(c.inputAxons + 1) : new Uint32Array(c.inputAxons + 1),
    synDest: groups[ci].narrow ? (ra ? ra.uint16(c.synapses) : new Uint16Array(c.synapses)) : ra ? ra.uint32(c.synapses) : new Uint32Array(c.synapses),
    synWeight: ra ? ra.int16(c.synapses) : new Int16Array(c.synapses),
    synDelay: ra ? ra.uint8(c.synapses) : new Uint8Array(c.synapses),
    axonSegSynapses: ra ? ra.uint32(c.inputAxons * c.segments.length) : new Uint32Array(c.inputAxons * c.segments.length),
    fillSyn: 0,
    fillAx: 0,
    lastSrc: -1,
  }));
  // crossbar destinations of each source compartment (xd), appended after its core destinations
  const outSrcStart = new Uint32Array(n + 1);
  const outCore = new Uint32Array(totalOut);
  const outAxon = new Uint32Array(totalOut);
  let outN = 0;
  for (let s = 0; s < n; s++) {
    outSrcStart[s] = outN;
    for (let k = srcStart[s]; k < srcStart[s + 1]; k++) {
      const t = tgt[k];
      const cg = coreOf[t];
      const ci = coreIdx[cg];
      const st = per[ci];
      if (st.lastSrc !== s) {
        st.lastSrc = s;
        const ax = st.fillAx++;
        st.synStart[ax] = st.fillSyn;
        outCore[outN] = cg;
        outAxon[outN] = ax;
        outN++;
      }
      const j = st.fillSyn++;
      const local = localOf[t];
      const nComp = placement.cores[ci].compartments;
      st.synDest[j] = st.groupOfProj[pj[k]] * nComp + local;
      st.synWeight[j] = wq[k];
      st.synDelay[j] = dl[k];
      const S = placement.cores[ci].segments.length;
      st.axonSegSynapses[(st.fillAx - 1) * S + st.segOfLocal[local]]++;
      if (synIndex && synIndex[k] >= 0) {
        const b = plastic[pj[k]]!;
        const i = synIndex[k];
        b.coreIndex[i] = ci;
        b.slot[i] = j;
        synAxon[pj[k]]![i] = st.fillAx - 1;
        synLocal[pj[k]]![i] = local;
      }
    }
    for (let k = xd.start[s]; k < xd.start[s + 1]; k++) {
      outCore[outN] = xd.core[k];
      outAxon[outN] = xd.axon[k];
      outN++;
    }
  }
  outSrcStart[n] = outN;

  const popsOfLocal: Uint16Array[] = [];
  placement.cores.forEach((c, ci) => {
    const st = per[ci];
    st.synStart[c.inputAxons] = c.synapses;
    const globalIndex = new Uint32Array(c.compartments);
    const outStart = new Uint32Array(c.compartments + 1);
    const segments: Segment[] = c.segments.map((s, k) => {
      const pop = net.populations[s.population];
      for (let j = 0; j < s.count; j++) globalIndex[s.local + j] = pop.offset + s.first + j;
      const seg: Segment = {
        index: k,
        population: s.population,
        first: s.first,
        count: s.count,
        local: s.local,
        model: COMPARTMENT_MODELS[pop.kind],
        poissonSeed: pop.poissonSeed ?? 0,
      };
      if (pop.payload) seg.payload = pop.payload;
      if (pop.spikeStart) {
        seg.spikeStart = pop.spikeStart;
        seg.spikeSteps = pop.spikeSteps;
        seg.spikeCursor = new Uint32Array(s.count);
        for (let j = 0; j < s.count; j++) seg.spikeCursor[j] = pop.spikeStart[s.first + j];
      }
      if (pop.poissonThreshold) seg.poissonThreshold = pop.poissonThreshold;
      return seg;
    });
    let m = 0;
    for (let i = 0; i < c.compartments; i++) {
      outStart[i] = m;
      m += outSrcStart[globalIndex[i] + 1] - outSrcStart[globalIndex[i]];
    }
    outStart[c.compartments] = m;
    if (m !== outEntries[ci]) throw new Error(`core ${c.core}: ${m} output-axon entries, ${outEntries[ci]} sized (build bug)`);
    const outDstCore = new Uint32Array(m);
    const outDstAxon = new Uint32Array(m);
    for (let i = 0; i < c.compartments; i++) {
      const g = globalIndex[i];
      outDstCore.set(outCore.subarray(outSrcStart[g], outSrcStart[g + 1]), outStart[i]);
      outDstAxon.set(outAxon.subarray(outSrcStart[g], outSrcStart[g + 1]), outStart[i]);
    }
    // the fire kernel's copies of the tables in the arena become the core's own (no second copy)
    // the population of each local compartment (NoC attribution per sending population)
    const popOfLocal = new Uint16Array(c.compartments);
    for (const sg of segments) popOfLocal.fill(sg.population, sg.local, sg.local + sg.count);
    popsOfLocal.push(popOfLocal);
    const fireTables = fireKernel ? fireKernel.tables(outStart, outDstCore, outDstAxon, globalIndex, popOfLocal, Int32Array.from(segments, (sg) => sg.local)) : null;
    const core = new NeuroCore({
      ...(arena ? { arena, lifKernel } : {}),
      ...(receiveArena ? { receiveArena } : {}),
      id: c.core,
      chip: Math.floor(c.core / arch.coresPerChip),
      tile: Math.floor(c.core / arch.coresPerTile),
      nComp: c.compartments,
      ringSlots: st.ringSlots,
      groupExp: Int8Array.from(st.exps),
      outStart: fireTables ? fireTables.outStart : outStart,
      outDstCore: fireTables ? fireTables.outDstCore : outDstCore,
      outDstAxon: fireTables ? fireTables.outDstAxon : outDstAxon,
      synStart: st.synStart,
      synDest: st.synDest,
      synWeight: st.synWeight,
      synDelay: st.synDelay,
      axonSegSynapses: st.axonSegSynapses,
      segments,
      globalIndex: fireTables ? fireTables.globalIndex : globalIndex,
    });
    core.payloadMax = payloadMax;
    // graded spikes carry a payload the kernel does not send: such cores fire in TypeScript
    if (fireKernel && fireTables && !core.graded) core.fireBinding = fireKernel.bind({ id: core.id, spikeBuf: core.spikeBuf, ...fireTables }, arch.noc.injectionQueue, ci);
    // compartment parameters: each model writes its own (the engine never names a model)
    for (const seg of segments) {
      const pop = net.populations[seg.population];
      if (pop.params && seg.model.setup) seg.model.setup(core, seg, pop.params);
    }
    cores.push(core);
  });

  // learning engines: one per (plastic projection, destination core), working on the core's
  // synapse memory through slots (pre = the core's input axon, post = the local compartment)
  const tags = new Map<number, Int16Array>();
  for (const b of plastic) {
    if (!b) continue;
    const p = net.projections[b.projection];
    const count = new Uint32Array(cores.length);
    for (let i = 0; i < b.coreIndex.length; i++) count[b.coreIndex[i]]++;
    for (let ci = 0; ci < cores.length; ci++) {
      if (count[ci] === 0) continue;
      const m = count[ci];
      const pre = new Uint32Array(m);
      const post = new Uint32Array(m);
      const slot = new Uint32Array(m);
      let q = 0;
      for (let i = 0; i < b.coreIndex.length; i++) {
        if (b.coreIndex[i] !== ci) continue;
        pre[q] = synAxon[b.projection]![i];
        post[q] = synLocal[b.projection]![i];
        slot[q++] = b.slot[i];
      }
      const core = cores[ci];
      let tag = tags.get(ci);
      if (!tag) tags.set(ci, (tag = new Int16Array(core.synWeight.length)));
      const engine = new LearningEngine(
        p.learning!,
        { pre, post, slot, weight: core.synWeight, delay: core.synDelay, tag },
        core.nAxons,
        core.nComp,
        // stream: projection and core, so engines of one projection draw independently
        { seed: net.seed, stream: (p.index * 65536 + core.id) | 0, signMode: p.signMode, numWeightBits: p.numWeightBits, source },
      );
      core.addLearner(engine);
      b.engines.push({ coreIndex: ci, engine });
    }
  }
  // the receive kernel binds the cores' arrays (learning flags included: after the engines)
  const receive = receiveArena ? (ReceiveKernel.create(receiveArena, cores, coreIdx, receivePackets) ?? undefined) : undefined;
  const fireStep = fireKernel && stepScratch && FireStep.applies(cores) ? fireKernel.step(cores) : undefined;
  return { cores, plastic, groupOf: per.map((st) => st.groupOfProj), popOfLocal: popsOfLocal, ...(receive ? { receive } : {}), ...(fireAttribution ? { fireAttribution } : {}), ...(fireStep ? { fireStep } : {}) };
}
