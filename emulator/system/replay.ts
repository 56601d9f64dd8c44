/**
 * Traffic replay (docs/TRACE-FORMAT.md "Replaying a run"): re-inject a recorded run's spikes, by
 * source compartment and step, into another architecture, mesh size, NoC model or placement, and
 * work out what that hardware would have spent — without re-running the neurons.
 *
 * The network is rebuilt from the spec embedded in the trace (refused when it does not match the
 * header's networkHash) and placed on the new architecture; the packets are regenerated from the
 * new placement's output axons (a new placement changes the fan-out). Each step, in order:
 *
 *   1. fire    — every recorded spike of the step looks up its compartment's output axons on the
 *                new placement: one AER packet per destination core (NeuroCore.fire);
 *   2. route   — the NoC model (analytic or cycle, parameters from the architecture) routes the
 *                step's packets from an empty network: step t+1's traffic only after step t's barrier;
 *   3. receive — destination cores run the synaptic ops of each packet (NeuroCore.receive), counted
 *                and timed; the accumulators are written but never read (no neuron update);
 *   4. barrier — the step's duration is the critical path of core work and delivery plus the barrier.
 *
 * Compartment updates do not depend on placement, so their counts come from the recording (the
 * footer's activity of a complete trace, else its per-step counters); the time a core spends
 * updating uses the step's recorded active fraction (else the run's overall fraction; with neither,
 * every update is timed as active — an assumption, listed in the result).
 */
import { InputError } from '../errors.js';
import { addCoreSegments, addCount, type CountRecord } from './counts.js';
import type { ActionId, ActivityCounts } from '../energy/activity.js';
import { compileNetwork } from '../spec/compile.js';
import { placeNetwork } from '../mapping/index.js';
import { Emulator } from './emulator.js';
import { barrierPs, type Arch } from '../spec/arch.js';
import { checkNetwork, type NetworkSpec } from '../spec/network.js';
import type { PlacementStrategy } from '../mapping/index.js';
import { SourceQueues, type NocModel, type NocModelName } from '../noc/models.js';
import { coreCount } from '../noc/topology.js';
import { createArchNoc } from './noc.js';
import { DeliveryOrder, InjectionQueue, outputTimeline } from './timeline.js';
import type { LatencySummary } from '../noc/counters.js';
import { summarizeActivity, type RunSummary } from './summary.js';
import { TraceReader } from '../trace/container.js';
import { hashJson } from '../trace/hash.js';
import type { RunChunk, RunTraceHeader } from '../trace/records.js';
import type { ActivityJson } from './recording.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { Placement } from '../mapping/index.js';

export interface ReplayOptions {
  /** The architecture to replay on (resolveArch(--arch, --chips)). */
  arch: Arch;
  noc?: NocModelName;
  placement?: PlacementStrategy;
}

export interface ReplayResult {
  net: CompiledNetwork;
  arch: Arch;
  placement: Placement;
  spec: NetworkSpec;
  header: RunTraceHeader;
  /** Counts and per-step timing of the replay, ready for buildReport. */
  activity: ActivityCounts;
  spikes: number;
  packets: number;
  noc: NocModelName;
  /** Packet latency over the replay (ps). */
  latency: LatencySummary;
  /** The trace ended without its footer: the replay covers its readable prefix. */
  incomplete: boolean;
  /** How compartment-update counts and times were obtained. */
  assumptions: string[];
}

/** Open a run trace and return its header and embedded network, checked against its hash. */
export function openRunTrace(path: string): { reader: TraceReader; header: RunTraceHeader; spec: NetworkSpec } {
  const reader = TraceReader.open(path);
  const h = reader.header;
  if (h.content !== 'run') throw new InputError(path, [{ where: 'header.content', message: `expected a recorded run (content 'run'), this trace holds '${h.content}'` }]);
  if (h.network === undefined) throw new InputError(path, [{ where: 'header.network', message: 'the trace does not embed its network, so it cannot be replayed' }]);
  const hash = hashJson(h.network, path);
  if (h.networkHash === undefined || h.networkHash !== hash) {
    throw new InputError(path, [
      { where: 'header.networkHash', message: `the embedded network does not match the trace's network hash (${h.networkHash ?? 'none'} recorded, ${hash} computed): refusing to replay` },
    ]);
  }
  if (!h.recorded.includes('spikes')) throw new InputError(path, [{ where: 'header.recorded', message: 'the trace holds no spikes (recorded: ' + h.recorded.join(', ') + ')' }]);
  const spec = checkNetwork(h.network, `${path}: header.network`);
  return { reader, header: h, spec };
}

const COUNTER_ACTIVE = 'core.compartment_active';
const COUNTER_INACTIVE = 'core.compartment_inactive';

/** Replay a recorded run's traffic on another architecture / NoC / placement. */
export function replayTrace(path: string, opts: ReplayOptions): ReplayResult {
  const { reader, header, spec } = openRunTrace(path);
  // pass 1: the footer (complete traces) for the recorded activity
  reader.scan();
  const footerActivity = reader.complete ? (reader.footer?.activity as ActivityJson | undefined) : undefined;
  const incomplete = !reader.complete;

  const arch = opts.arch;
  const noc = opts.noc ?? 'analytic';
  const net = compileNetwork(spec, `${path}: header.network`);
  // crossbar-backed projections compute in their arrays, which a traffic replay does not re-run
  const xbar = net.projections.filter((pr) => pr.on === 'crossbar');
  if (xbar.length)
    throw new InputError(path, xbar.map((pr) => ({ where: `header.network.projections[${pr.index}]`, message: `'${pr.name}' is a crossbar-backed projection; traffic replay does not re-run crossbar arrays (run the network again with aerie run)` })));
  const placement = placeNetwork(net, arch, opts.placement ?? 'mesh');
  const p = { net, placement, emulator: new Emulator(net, arch, placement) };
  const model = createArchNoc(arch, noc);
  const sim = new TrafficReplayer(p.net, arch, p.placement, p.emulator, model, path);
  const assumptions: string[] = [];
  const fa = footerActivity?.totals;
  const overall = fa && (fa[COUNTER_ACTIVE] ?? 0) + (fa[COUNTER_INACTIVE] ?? 0) > 0 ? (fa[COUNTER_ACTIVE] ?? 0) / ((fa[COUNTER_ACTIVE] ?? 0) + (fa[COUNTER_INACTIVE] ?? 0)) : undefined;
  let usedCounters = false;
  let usedOverall = false;
  let usedAllActive = false;
  let activeSum = 0;
  let inactiveSum = 0;

  // pass 2: step by step
  for (const chunk of reader.chunks()) {
    const c = chunk as RunChunk;
    const spikes = c.spikes!;
    const ca = c.counters ? c.counters.names.indexOf(COUNTER_ACTIVE) : -1;
    const ci = c.counters ? c.counters.names.indexOf(COUNTER_INACTIVE) : -1;
    const nc = c.counters?.names.length ?? 0;
    let cursor = 0;
    for (let s = c.stepFrom; s < c.stepTo; s++) {
      let fraction: number;
      if (ca >= 0 && ci >= 0) {
        const a = c.counters!.values[(s - c.stepFrom) * nc + ca];
        const i = c.counters!.values[(s - c.stepFrom) * nc + ci];
        activeSum += a;
        inactiveSum += i;
        fraction = a + i > 0 ? a / (a + i) : 0;
        usedCounters = true;
      } else if (overall !== undefined) {
        fraction = overall;
        usedOverall = true;
      } else {
        fraction = 1;
        usedAllActive = true;
      }
      const from = cursor;
      while (cursor < spikes.step.length && spikes.step[cursor] === s) cursor++;
      sim.step(s, spikes.neuron, from, cursor, fraction);
    }
  }
  if (sim.spikes === 0) throw new InputError(path, [{ where: 'chunks', message: 'the trace holds no spikes to replay' }]);
  if (usedCounters) assumptions.push('compartment update times use the per-step active fraction recorded in the trace');
  if (usedOverall) assumptions.push("compartment update times use the run's overall active fraction (the trace has no per-step counters)");
  if (usedAllActive) assumptions.push('assumption: every compartment update is timed and counted as active (the trace records no compartment counts)');

  const activity = sim.activity();
  // compartment updates and learning are placement-independent: take them from the recording
  const addTo = (rec: Partial<Record<ActionId, number>>, k: ActionId, v: number | undefined): void => {
    if (v) rec[k] = (rec[k] ?? 0) + v;
  };
  if (footerActivity) {
    for (const k of [COUNTER_ACTIVE, COUNTER_INACTIVE, 'core.learn_update'] as const) {
      addTo(activity.totals, k, footerActivity.totals[k]);
      for (const [pop, g] of Object.entries(footerActivity.byPopulation)) if (activity.byPopulation[pop]) addTo(activity.byPopulation[pop], k, g[k]);
    }
  } else if (usedCounters) {
    addTo(activity.totals, COUNTER_ACTIVE, activeSum);
    addTo(activity.totals, COUNTER_INACTIVE, inactiveSum);
  } else {
    let lif = 0;
    for (const pop of p.net.populations) if (pop.kind !== 'spike-source') lif += pop.size;
    addTo(activity.totals, COUNTER_ACTIVE, lif * activity.steps);
  }
  return {
    net: p.net,
    arch,
    placement: p.placement,
    spec,
    header,
    activity,
    spikes: sim.spikes,
    packets: sim.packets,
    noc,
    latency: model.counters.latency.summary(),
    incomplete,
    assumptions,
  };
}

/**
 * The per-step engine of a traffic replay: the fire / route / receive / barrier phases of the
 * Emulator's step, driven by recorded spikes instead of compartment updates.
 */
class TrafficReplayer {
  spikes = 0;
  packets = 0;
  private readonly coreOfComp: Int32Array;
  private readonly segOfComp: Uint16Array;
  private readonly coreIndexOf: Int32Array;
  private readonly lifCount: Float64Array;
  private readonly coreFinish: Float64Array;
  private readonly coreFree: Float64Array;
  private readonly barrier: number;
  /** The engine's core-timeline pieces, so replay times packets exactly as a run does. */
  private readonly injection: InjectionQueue[];
  /** Cycle-level NoC: the NoC owns the injection queues (router back-pressure reaches the cores, docs/TIMING.md). */
  private readonly sourceQueues: SourceQueues | undefined;
  private readonly delivery: DeliveryOrder;
  private durations = new Float64Array(1024);
  private spikesPerStep = new Uint32Array(1024);
  private steps = 0;
  private firstStep = -1;

  constructor(
    private readonly net: CompiledNetwork,
    private readonly arch: Arch,
    private readonly placement: Placement,
    private readonly emulator: Emulator,
    private readonly noc: NocModel,
    private readonly source: string,
  ) {
    const cores = emulator.cores;
    this.coreIndexOf = new Int32Array(arch.totalCores).fill(-1);
    cores.forEach((c, i) => (this.coreIndexOf[c.id] = i));
    const n = net.totalCompartments;
    this.coreOfComp = new Int32Array(n);
    this.segOfComp = new Uint16Array(n);
    this.lifCount = new Float64Array(cores.length);
    cores.forEach((c, ci) => {
      c.segments.forEach((seg, s) => {
        const pop = net.populations[seg.population];
        if (pop.kind !== 'spike-source') this.lifCount[ci] += seg.count;
        for (let j = 0; j < seg.count; j++) {
          const g = pop.offset + seg.first + j;
          this.coreOfComp[g] = ci;
          this.segOfComp[g] = s;
        }
      });
    });
    this.coreFinish = new Float64Array(cores.length);
    this.coreFree = new Float64Array(cores.length);
    this.injection = cores.map(() => new InjectionQueue(arch.noc.injectionQueue, noc.clockPs * noc.flitsPerPacket));
    if (noc.routeStepQueued) this.sourceQueues = new SourceQueues(arch.noc.injectionQueue, coreCount(noc.topology));
    this.delivery = new DeliveryOrder(cores.length);
    this.barrier = barrierPs(arch, placement.tilesUsed, placement.chipsUsed);
  }

  /** Replay step `step` with the recorded spikes neuron[from..to). */
  step(step: number, neuron: Uint32Array, from: number, to: number, activeFraction: number): void {
    const cores = this.emulator.cores;
    const tm = this.arch.timing;
    const batch = this.emulator.batch;
    if (this.firstStep < 0) this.firstStep = step;
    for (let ci = 0; ci < cores.length; ci++) {
      cores[ci].resetStep();
      cores[ci].spikeCount = 0;
    }
    const total = this.net.totalCompartments;
    for (let k = from; k < to; k++) {
      const g = neuron[k];
      if (g >= total) throw new InputError(this.source, [{ where: `step ${step}`, message: `spike of compartment ${g}, but the network has ${total} compartments` }]);
      const c = cores[this.coreOfComp[g]];
      if (c.spikeCount >= c.nComp) throw new InputError(this.source, [{ where: `step ${step}`, message: `more spikes on one core than it has compartments (a compartment listed twice)` }]);
      c.spikeBuf[c.spikeCount++] = this.placement.localOf[g];
      c.segSpikes[this.segOfComp[g]]++;
    }
    this.spikes += to - from;
    batch.clear();
    batch.step = step;
    const perUpdate = activeFraction * tm.compartmentActivePs + (1 - activeFraction) * tm.compartmentInactivePs;
    // fire: core by core, the engine's timeline (updates, then per spike a lookup and its injections)
    for (let ci = 0; ci < cores.length; ci++) {
      const c = cores[ci];
      const first = batch.count;
      c.fire(batch);
      const updateEnd = Math.round(this.lifCount[ci] * perUpdate);
      this.coreFinish[ci] = outputTimeline(c.spikeBuf, c.spikeCount, c.outStart, updateEnd, tm, this.injection[ci], this.sourceQueues !== undefined, batch.injectPs, first);
      this.coreFree[ci] = updateEnd;
    }
    this.packets += batch.count;
    // route: this step's packets alone (the previous step's traffic drained at its barrier)
    this.noc.resetStepStats();
    if (batch.count > 0 && this.sourceQueues) {
      this.noc.routeStepQueued!(batch, this.sourceQueues);
      // a core stalled by its full queue finishes its output pipeline that much later
      for (let ci = 0; ci < cores.length; ci++) this.coreFinish[ci] += this.sourceQueues.stallPs[cores[ci].id];
    } else if (batch.count > 0) this.noc.routeStep(batch);
    // receive: as in a run, each destination core takes its packets in arrival order and a
    // packet's synaptic ops start at max(arrival, core free)
    const order = this.delivery;
    order.sort(batch, this.coreIndexOf);
    for (let ci = 0; ci < cores.length; ci++) {
      const c = cores[ci];
      for (let k = order.coreStart[ci]; k < order.coreStart[ci + 1]; k++) {
        const i = order.order[k];
        const before = c.stepSynops;
        c.receive(batch.dstAxon[i], step);
        const start = batch.arrivePs[i] > this.coreFree[ci] ? batch.arrivePs[i] : this.coreFree[ci];
        const end = start + tm.messageInPs + (c.stepSynops - before) * tm.synopPs;
        this.coreFree[ci] = end;
        if (end > this.coreFinish[ci]) this.coreFinish[ci] = end;
        if (batch.arrivePs[i] > this.coreFinish[ci]) this.coreFinish[ci] = batch.arrivePs[i];
      }
    }
    let crit = 0;
    for (let ci = 0; ci < cores.length; ci++) if (this.coreFinish[ci] > crit) crit = this.coreFinish[ci];
    if (this.steps === this.durations.length) {
      const d = new Float64Array(this.steps * 2);
      d.set(this.durations);
      this.durations = d;
      const sp = new Uint32Array(this.steps * 2);
      sp.set(this.spikesPerStep);
      this.spikesPerStep = sp;
    }
    this.durations[this.steps] = Math.ceil(crit) + this.barrier;
    this.spikesPerStep[this.steps] = to - from;
    this.steps++;
  }

  /** Counts of the replay (per population and chip, as Emulator.activity) and its per-step timing. */
  activity(): ActivityCounts {
    const totals: CountRecord = {};
    const byPopulation: Record<string, CountRecord> = {};
    const byChip: Record<number, CountRecord> = {};
    for (const pop of this.net.populations) byPopulation[pop.name] = {};
    // replay updates no compartments: only spikes, packets and synops are counted
    for (const c of this.emulator.cores) addCoreSegments(c, this.net, { totals, byPopulation, chip: (byChip[c.chip] ??= {}) }, false);
    const chips = this.placement.chipsUsed;
    addCount(totals, 'sync.barrier', this.steps * chips);
    const nc = this.noc.counters;
    addCount(totals, 'noc.hop_ew', nc.tileHopsEW);
    addCount(totals, 'noc.hop_ns', nc.tileHopsNS);
    addCount(totals, 'noc.chip_link', nc.chipHops);
    addCount(totals, 'noc.within_tile', nc.withinTile);
    addCount(totals, 'noc.flit', nc.flits);
    const populationSizes: Record<string, number> = {};
    for (const pop of this.net.populations) populationSizes[pop.name] = pop.size;
    const tiles = new Set(this.emulator.cores.map((c) => c.tile));
    return {
      steps: this.steps,
      totals,
      byPopulation,
      byChip,
      hardware: { chips, tilesUsed: tiles.size, coresUsed: this.emulator.cores.length, routersUsed: tiles.size, crossbarsUsed: 0 },
      stepDurationPs: this.durations.slice(0, this.steps),
      spikesPerStep: this.spikesPerStep.slice(0, this.steps),
      populationSizes,
      dt: this.net.dt,
    };
  }
}

/** The replay's summary in the `aerie run` shape (schema aerie-run/1), plus the replay's own facts. */
export function replaySummary(r: ReplayResult, wallSeconds: number): RunSummary & { replay: { trace_steps: number; noc: NocModelName; placement: string; latency_ps: LatencySummary; incomplete: boolean; assumptions: string[] } } {
  const a = r.activity;
  return {
    ...summarizeActivity(a, r.net, r.arch.preset, r.spikes, r.header.seed ?? r.net.seed, wallSeconds),
    replay: { trace_steps: a.steps, noc: r.noc, placement: r.placement.strategy, latency_ps: r.latency, incomplete: r.incomplete, assumptions: r.assumptions },
  };
}
