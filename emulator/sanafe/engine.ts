/**
 * The SANA-FE-semantics step engine: runs a SanafeNetwork on a SanafeArch with SANA-FE's pipeline,
 * counters, energy and detailed timing, so its totals can be compared with SANA-FE's run summary.
 *
 * One step (SANA-FE SpikingChip::sim_hw_timestep, soma-buffered pipeline):
 *   1. neurons — every core, in core order, updates its neurons in mapping order: the soma reads the
 *      dendritic charge buffered last step (if any message arrived), runs its model (./models.ts), and
 *      is charged access (always) + update (if updated or fired) + spike-out (if fired) energy and
 *      latency. A spike sends one message per destination core (axon-out energy and latency); the
 *      neuron time since the core's previous message is that message's generation delay; a core's
 *      trailing time becomes a placeholder.
 *   2. messages — each message is routed (hop counts by direction, hop energy at the receiving tile,
 *      hop latency of the sending tile) and processed at the destination: axon-in cost, then per
 *      synapse a synaptic event (synapse unit energy/latency) and a dendrite update (accumulator:
 *      charge ×= dendrite_leak_decay per elapsed step, += weight), buffered for the soma next step.
 *   3. energy — per step: synapse, dendrite, soma, network (hops + axon-in + axon-out), total.
 *   4. timing — the detailed scheduler (./scheduler.ts) + the sync latency for the tiles in use.
 * Counters: "spikes" = synaptic events (SANA-FE total_spikes), packets = messages, updated counts
 * updated or fired somas, fired counts fired somas.
 *
 * All state is typed arrays sized at build time; the step loop allocates nothing (the message batch
 * grows by doubling, amortised).
 */
import { InputError } from '../errors.js';
import { closest } from '../spec/validate.js';
import type { SanafeArch, SanafeUnit, UnitKind } from './arch.js';
import { syncLatency } from './arch.js';
import type { SanafeNetwork, NeuronTemplate } from './snn.js';
import { SANAFE_MODELS, NEURON_ATTRS } from './params.js';
import { SomaState, SOMA_MODEL, RESET_MODE, STATUS, somaUpdate } from './models.js';
import { MessageBatch, DetailedScheduler, SimpleScheduler, PLACEHOLDER } from './scheduler.js';
import type { ActivityCounts, ActionId } from '../energy/activity.js';

/** SANA-FE's timing models that aerie implements (SANA-FE's third, 'cycle', runs Booksim2). */
export type SanafeTiming = 'detailed' | 'simple';

/** Per-step results, one row per step (SANA-FE perf.csv, plus energy by unit kind). */
export interface SanafePerf {
  steps: number;
  fired: Float64Array;
  updated: Float64Array;
  packets: Float64Array;
  hops: Float64Array;
  spikes: Float64Array;
  simTime: Float64Array;
  synapseEnergy: Float64Array;
  dendriteEnergy: Float64Array;
  somaEnergy: Float64Array;
  networkEnergy: Float64Array;
  totalEnergy: Float64Array;
}

/** Run totals (SANA-FE run_summary.yaml names). */
export interface SanafeTotals {
  timesteps_executed: number;
  total_spikes: number;
  total_messages_sent: number;
  total_neurons_updated: number;
  total_neurons_fired: number;
  total_hops: number;
  sim_time: number;
  energy: { synapse: number; dendrite: number; soma: number; network: number; total: number };
}

const PERF_KEYS = ['fired', 'updated', 'packets', 'hops', 'spikes', 'simTime', 'synapseEnergy', 'dendriteEnergy', 'somaEnergy', 'networkEnergy', 'totalEnergy'] as const;

export class SanafeSim {
  readonly net: SanafeNetwork;
  readonly arch: SanafeArch;
  readonly soma: SomaState;
  stepsDone = 0;
  // neurons in processing order: per core a range of `order`
  readonly coreStart: Uint32Array;
  readonly order: Uint32Array;
  // per neuron: soma unit (global), dendrite unit (global), log flag
  readonly somaUnit: Uint32Array;
  readonly dendUnit: Uint32Array;
  readonly logSpikes: Uint8Array;
  // unit costs (global unit ids)
  private readonly somaAccessE: Float64Array;
  private readonly somaUpdateE: Float64Array;
  private readonly somaSpikeE: Float64Array;
  private readonly somaAccessL: Float64Array;
  private readonly somaUpdateL: Float64Array;
  private readonly somaSpikeL: Float64Array;
  private readonly synE: Float64Array;
  private readonly synL: Float64Array;
  private readonly dendE: Float64Array;
  private readonly dendL: Float64Array;
  private readonly dendLeak: Float64Array;
  // per core: axon-in/out unit 0 costs
  private readonly axInE: Float64Array;
  private readonly axInL: Float64Array;
  private readonly axOutE: Float64Array;
  private readonly axOutL: Float64Array;
  // connectivity: per neuron its axons (one per destination core), per axon its synapses
  readonly axonStart: Uint32Array;
  readonly axonCore: Uint32Array;
  readonly axonSynStart: Uint32Array;
  readonly synPost: Uint32Array;
  readonly synWeight: Float64Array;
  readonly synUnit: Uint32Array;
  /** Per axon: synapse and dendrite energy (J) and processing latency (s) of all its synapses. */
  private readonly axonSynE: Float64Array;
  private readonly axonDendE: Float64Array;
  private readonly axonProcL: Float64Array;
  /** Per neuron: its dendrite's accumulator decay per step. */
  private readonly leakOf: Float64Array;
  /** Per axon: its source neuron, and the group all its synapses target (-1: several groups). */
  private readonly axonSrc: Uint32Array;
  private readonly axonGroup: Int32Array;
  /** Group of every neuron, and per-group counters (for aerie's activity/energy reports). */
  readonly groupOf: Uint32Array;
  private readonly gUpdated: Float64Array;
  private readonly gFired: Float64Array;
  private readonly gEvents: Float64Array;
  private readonly gPacketsOut: Float64Array;
  private readonly gPacketsIn: Float64Array;
  private readonly gHopsEW: Float64Array;
  private readonly gHopsNS: Float64Array;
  // dendrite state (accumulator)
  private readonly charge: Float64Array;
  private readonly chargeStep: Float64Array;
  private readonly hasInput: Uint8Array;
  // per core geometry
  private readonly coreTile: Uint32Array;
  readonly batch = new MessageBatch(1024);
  private readonly scheduler: DetailedScheduler | SimpleScheduler;
  /** SANA-FE timing model: 'detailed' (SANA-FE's default) or 'simple'. */
  readonly timing: SanafeTiming;
  private readonly syncS: number;
  readonly tilesUsed: number;
  readonly coresUsed: number;
  // per-step perf (grows by doubling)
  private perf: Record<(typeof PERF_KEYS)[number], Float64Array>;
  private perfCap = 0;
  // logged spikes (global neuron, step)
  private spikeNeuron = new Uint32Array(1024);
  private spikeStep = new Uint32Array(1024);
  spikeCount = 0;
  /** Spikes of the step just completed (global neuron indices, processing order). */
  readonly stepSpikes: Uint32Array;
  stepSpikeCount = 0;

  constructor(net: SanafeNetwork, arch: SanafeArch, opts: { seed?: number; timing?: SanafeTiming } = {}) {
    this.net = net;
    this.arch = arch;
    const n = net.nNeurons;
    const nCores = arch.cores.length;
    const problems: { where: string; message: string }[] = [];

    // --- neurons per core in mapping order
    this.coreStart = new Uint32Array(nCores + 1);
    for (let i = 0; i < n; i++) this.coreStart[net.coreOf[i] + 1]++;
    for (let c = 0; c < nCores; c++) {
      if (this.coreStart[c + 1] > arch.cores[c].maxNeurons)
        problems.push({ where: 'mappings', message: `core ${arch.cores[c].tile}.${arch.cores[c].offset} gets ${this.coreStart[c + 1]} neurons, more than its max_neurons_supported ${arch.cores[c].maxNeurons}` });
      this.coreStart[c + 1] += this.coreStart[c];
    }
    const byOrder = Array.from({ length: n }, (_, i) => i).sort((a, b) => net.mapOrder[a] - net.mapOrder[b]);
    this.order = new Uint32Array(n);
    const fill = this.coreStart.slice(0, nCores);
    for (const i of byOrder) this.order[fill[net.coreOf[i]]++] = i;
    let cores = 0;
    const tiles = new Set<number>();
    for (let c = 0; c < nCores; c++)
      if (this.coreStart[c + 1] > this.coreStart[c]) {
        cores++;
        tiles.add(arch.cores[c].tile);
      }
    this.coresUsed = cores;
    this.tilesUsed = tiles.size;

    // --- global unit tables
    const somaUnits: SanafeUnit[] = [];
    const dendUnits: SanafeUnit[] = [];
    const synUnits: SanafeUnit[] = [];
    const somaBase = new Uint32Array(nCores);
    const dendBase = new Uint32Array(nCores);
    const synBase = new Uint32Array(nCores);
    for (const c of arch.cores) {
      somaBase[c.id] = somaUnits.length;
      somaUnits.push(...c.somas);
      dendBase[c.id] = dendUnits.length;
      dendUnits.push(...c.dendrites);
      synBase[c.id] = synUnits.length;
      synUnits.push(...c.synapses);
    }
    const cost = (u: SanafeUnit | undefined, k: string): number => u?.costs[k] ?? 0;
    const col = (units: SanafeUnit[], k: string): Float64Array => Float64Array.from(units, (u) => cost(u, k));
    this.somaAccessE = col(somaUnits, 'energy_access_neuron');
    this.somaUpdateE = col(somaUnits, 'energy_update_neuron');
    this.somaSpikeE = col(somaUnits, 'energy_spike_out');
    this.somaAccessL = col(somaUnits, 'latency_access_neuron');
    this.somaUpdateL = col(somaUnits, 'latency_update_neuron');
    this.somaSpikeL = col(somaUnits, 'latency_spike_out');
    this.synE = col(synUnits, 'energy_process_spike');
    this.synL = col(synUnits, 'latency_process_spike');
    this.dendE = col(dendUnits, 'energy_update');
    this.dendL = col(dendUnits, 'latency_update');
    this.dendLeak = Float64Array.from(dendUnits, (u) => (typeof u.attributes.dendrite_leak_decay === 'number' ? u.attributes.dendrite_leak_decay : 0));
    this.axInE = Float64Array.from(arch.cores, (c) => c.axonIn[0]?.energy ?? 0);
    this.axInL = Float64Array.from(arch.cores, (c) => c.axonIn[0]?.latency ?? 0);
    this.axOutE = Float64Array.from(arch.cores, (c) => c.axonOut[0]?.energy ?? 0);
    this.axOutL = Float64Array.from(arch.cores, (c) => c.axonOut[0]?.latency ?? 0);
    this.coreTile = Uint32Array.from(arch.cores, (c) => c.tile);

    // --- per neuron units and soma parameters
    const soma = (this.soma = new SomaState(n));
    soma.seed = opts.seed ?? 0;
    this.somaUnit = new Uint32Array(n);
    this.dendUnit = new Uint32Array(n);
    this.logSpikes = new Uint8Array(n);
    const synOfNeuron = new Uint32Array(n);
    const groupOf = (this.groupOf = new Uint32Array(n));
    const G = net.groups.length;
    this.gUpdated = new Float64Array(G);
    this.gFired = new Float64Array(G);
    this.gEvents = new Float64Array(G);
    this.gPacketsOut = new Float64Array(G);
    this.gPacketsIn = new Float64Array(G);
    this.gHopsEW = new Float64Array(G);
    this.gHopsNS = new Float64Array(G);
    net.groups.forEach((g, gi) => groupOf.fill(gi, g.offset, g.offset + g.size));
    // one problem per distinct cause (not one per neuron), at most 20
    const seen = new Set<string>();
    const addProblem = (where: string, message: string, key: string): void => {
      if (seen.has(key) || problems.length >= 20) return;
      seen.add(key);
      problems.push({ where, message });
    };
    const pick = (kind: UnitKind, core: number, name: string | undefined, neuron: number): number => {
      const c = arch.cores[core];
      const list = kind === 'soma' ? c.somas : kind === 'dendrite' ? c.dendrites : c.synapses;
      const base = kind === 'soma' ? somaBase[core] : kind === 'dendrite' ? dendBase[core] : synBase[core];
      const where = `${net.groups[groupOf[neuron]].name}.${neuron - net.groups[groupOf[neuron]].offset}`;
      if (list.length === 0) {
        addProblem(where, `core ${c.tile}.${c.offset} has no ${kind} unit`, `none:${kind}:${core}`);
        return -1;
      }
      let k = 0;
      if (name !== undefined) {
        k = list.findIndex((u) => u.name === name);
        if (k < 0) {
          const hint = closest(name, list.map((u) => u.name));
          const have = list.length > 6 ? `${list.slice(0, 6).map((u) => u.name).join(', ')}, … (${list.length} in all)` : list.map((u) => u.name).join(', ');
          addProblem(where, `core ${c.tile}.${c.offset} has no ${kind} unit '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; it has: ${have}`, `${kind}:${core}:${name}`);
          return -1;
        }
      }
      const model = list[k].model;
      if (!(SANAFE_MODELS[kind].supported as readonly string[]).includes(model))
        addProblem(where, `${kind} unit '${list[k].name}' uses model '${model}', which aerie's SANA-FE mode does not run (supported: ${SANAFE_MODELS[kind].supported.join(', ')})`, `model:${kind}:${core}:${k}`);
      return base + k;
    };
    const str = (t: NeuronTemplate, k: string): string | undefined => (typeof t[k]?.value === 'string' ? (t[k].value as string) : undefined);
    const inputUnitOf = new Map<number, number>();
    const unitSpikes: (Uint8Array | undefined)[] = [];
    const unitPoisson: number[] = [];
    const unitPeriod: number[] = [];
    for (let p = 0; p < n; p++) {
      const i = this.order[p];
      const core = net.coreOf[i];
      const t = net.templates[net.templateOf[i]];
      const sName = net.mapSoma[i] >= 0 ? net.names[net.mapSoma[i]] : str(t, 'soma_hw_name');
      const dName = net.mapDendrite[i] >= 0 ? net.names[net.mapDendrite[i]] : str(t, 'dendrite_hw_name');
      const yName = net.mapSynapse[i] >= 0 ? net.names[net.mapSynapse[i]] : str(t, 'synapse_hw_name');
      const su = pick('soma', core, sName, i);
      const du = pick('dendrite', core, dName, i);
      const yu = pick('synapse', core, yName, i);
      if (su < 0 || du < 0 || yu < 0) continue;
      this.somaUnit[i] = su;
      this.dendUnit[i] = du;
      synOfNeuron[i] = yu;
      const model = somaUnits[su].model;
      const sv = (k: string): unknown => (t[k] && t[k].soma ? t[k].value : undefined);
      // absent attributes take SANA-FE's defaults, declared once in params.ts
      const numv = (k: string): number => (typeof sv(k) === 'number' ? (sv(k) as number) : (NEURON_ATTRS[k].default as number));
      const mode = (k: string): number => RESET_MODE[(typeof sv(k) === 'string' ? sv(k) : NEURON_ATTRS[k].default) as keyof typeof RESET_MODE];
      soma.model[i] = model === 'truenorth' ? SOMA_MODEL.truenorth : model === 'input' ? SOMA_MODEL.input : SOMA_MODEL.lif;
      soma.threshold[i] = numv('threshold');
      soma.reverseThreshold[i] = numv('reverse_threshold');
      soma.reset[i] = numv('reset');
      soma.reverseReset[i] = numv('reverse_reset');
      soma.resetMode[i] = mode('reset_mode');
      soma.reverseResetMode[i] = mode('reverse_reset_mode');
      soma.leakDecay[i] = numv('leak_decay');
      soma.inputDecay[i] = numv('input_decay');
      soma.bias[i] = numv('bias');
      soma.refractoryDelay[i] = numv('refractory_delay');
      soma.force[i] = sv('force_update') === true || sv('force_soma_update') === true ? 1 : 0;
      soma.leak[i] = numv('leak');
      soma.leakTowardsZero[i] = (typeof sv('leak_towards_zero') === 'boolean' ? sv('leak_towards_zero') : NEURON_ATTRS.leak_towards_zero.default) ? 1 : 0;
      soma.randomMask[i] = numv('random_mask');
      this.logSpikes[i] = t.log_spikes?.value === true ? 1 : 0;
      if (typeof t.dendrite_leak_decay?.value === 'number' && t.dendrite_leak_decay.dendrite) this.dendLeak[this.dendUnit[i]] = t.dendrite_leak_decay.value;
      if (soma.model[i] === SOMA_MODEL.input) {
        // one spike list / Poisson / rate per input unit; the last neuron mapped sets it (SANA-FE)
        let u = inputUnitOf.get(su);
        if (u === undefined) {
          u = unitSpikes.length;
          inputUnitOf.set(su, u);
          unitSpikes.push(undefined);
          unitPoisson.push(0);
          unitPeriod.push(0);
        }
        soma.inputUnit[i] = u;
        if (sv('spikes') instanceof Uint8Array) unitSpikes[u] = sv('spikes') as Uint8Array;
        if (typeof sv('poisson') === 'number') unitPoisson[u] = sv('poisson') as number;
        if (typeof sv('rate') === 'number' && (sv('rate') as number) > 0) unitPeriod[u] = Math.trunc(1 / (sv('rate') as number));
      } else if (sv('spikes') !== undefined)
        addProblem(`${net.groups[groupOf[i]].name}.${i - net.groups[groupOf[i]].offset}`, `'spikes' is an attribute of the 'input' soma model, but this neuron's soma unit '${somaUnits[su].name}' uses '${model}'`, `spikes:${su}`);
    }
    const nu = unitSpikes.length;
    soma.unitSpikeStart = new Uint32Array(nu + 1);
    for (let u = 0; u < nu; u++) soma.unitSpikeStart[u + 1] = soma.unitSpikeStart[u] + (unitSpikes[u]?.length ?? 0);
    soma.unitSpikes = new Uint8Array(soma.unitSpikeStart[nu]);
    for (let u = 0; u < nu; u++) if (unitSpikes[u]) soma.unitSpikes.set(unitSpikes[u]!, soma.unitSpikeStart[u]);
    soma.unitCursor = new Uint32Array(nu);
    soma.unitPoisson = Float64Array.from(unitPoisson);
    soma.unitRatePeriod = Float64Array.from(unitPeriod);
    if (problems.length) throw new InputError(net.source, problems);

    // --- connectivity: stable sort connections by (pre, destination core), keeping creation order
    const E = net.nEdges;
    const ePre = net.pre;
    const ePost = net.post;
    const eW = net.weight;
    const coreOf = net.coreOf;
    const postCore = new Uint32Array(E);
    for (let e = 0; e < E; e++) postCore[e] = coreOf[ePost[e]];
    const byCore = new Uint32Array(E);
    {
      const cnt = new Uint32Array(nCores + 1);
      for (let e = 0; e < E; e++) cnt[postCore[e] + 1]++;
      for (let c = 0; c < nCores; c++) cnt[c + 1] += cnt[c];
      for (let e = 0; e < E; e++) byCore[cnt[postCore[e]]++] = e;
    }
    const sorted = new Uint32Array(E);
    const preStart = new Uint32Array(n + 1);
    for (let e = 0; e < E; e++) preStart[ePre[e] + 1]++;
    for (let i = 0; i < n; i++) preStart[i + 1] += preStart[i];
    {
      const f = preStart.slice(0, n);
      for (let k = 0; k < E; k++) {
        const e = byCore[k];
        sorted[f[ePre[e]]++] = e;
      }
    }
    const synPost = (this.synPost = new Uint32Array(E));
    const synWeight = (this.synWeight = new Float64Array(E));
    const synUnit = (this.synUnit = new Uint32Array(E));
    const axonStart = (this.axonStart = new Uint32Array(n + 1));
    let nAx = 0;
    for (let i = 0; i < n; i++) {
      let last = -1;
      for (let k = preStart[i]; k < preStart[i + 1]; k++) {
        const c = postCore[sorted[k]];
        if (c !== last) {
          nAx++;
          last = c;
        }
      }
      axonStart[i + 1] = nAx;
    }
    const axonCore = (this.axonCore = new Uint32Array(nAx));
    const axonSynStart = (this.axonSynStart = new Uint32Array(nAx + 1));
    const axonSrc = (this.axonSrc = new Uint32Array(nAx));
    const axonGroup = (this.axonGroup = new Int32Array(nAx));
    let a = 0;
    for (let i = 0; i < n; i++) {
      let last = -1;
      for (let k = preStart[i]; k < preStart[i + 1]; k++) {
        const e = sorted[k];
        const post = ePost[e];
        const c = postCore[e];
        if (c !== last) {
          axonCore[a] = c;
          axonSynStart[a] = k;
          axonSrc[a] = i;
          axonGroup[a] = groupOf[post];
          a++;
          last = c;
        } else if (axonGroup[a - 1] !== groupOf[post]) axonGroup[a - 1] = -1;
        synPost[k] = post;
        synWeight[k] = eW[e];
        synUnit[k] = synOfNeuron[post];
      }
    }
    axonSynStart[nAx] = E;
    for (let k = 0; k < E; k++)
      if (soma.model[synPost[k]] === SOMA_MODEL.input) {
        const w = "connections into 'input'-model neurons are ignored (SANA-FE stops with an error when one delivers a non-zero current)";
        if (!net.warnings.includes(w)) net.warnings.push(w);
        break;
      }
    // per axon: synapse and dendrite energy and latency of all its synapses (static per axon)
    this.axonSynE = new Float64Array(nAx);
    this.axonDendE = new Float64Array(nAx);
    this.axonProcL = new Float64Array(nAx);
    for (let x = 0; x < nAx; x++) {
      let se = 0;
      let de = 0;
      let l = 0;
      for (let k = axonSynStart[x]; k < axonSynStart[x + 1]; k++) {
        const su = synUnit[k];
        const du = this.dendUnit[synPost[k]];
        se += this.synE[su];
        de += this.dendE[du];
        l += this.synL[su] + this.dendL[du];
      }
      this.axonSynE[x] = se;
      this.axonDendE[x] = de;
      this.axonProcL[x] = l;
    }
    this.leakOf = new Float64Array(n);
    for (let i = 0; i < n; i++) this.leakOf[i] = this.dendLeak[this.dendUnit[i]];

    this.charge = new Float64Array(n);
    this.chargeStep = new Float64Array(n);
    this.hasInput = new Uint8Array(n);
    this.stepSpikes = new Uint32Array(n);
    const coreX = Uint32Array.from(arch.cores, (c) => arch.tiles[c.tile].x);
    const coreY = Uint32Array.from(arch.cores, (c) => arch.tiles[c.tile].y);
    const coreOffset = Uint32Array.from(arch.cores, (c) => c.offset);
    this.timing = opts.timing ?? 'detailed';
    this.scheduler = this.timing === 'simple' ? new SimpleScheduler(nCores) : new DetailedScheduler({ width: arch.width, height: arch.height, maxCoresPerTile: arch.maxCoresPerTile, linkBufferSize: arch.linkBufferSize, coreX, coreY, coreOffset, nCores });
    this.syncS = syncLatency(arch, this.tilesUsed);
    this.perf = {} as Record<(typeof PERF_KEYS)[number], Float64Array>;
    for (const k of PERF_KEYS) this.perf[k] = new Float64Array(0);
  }

  private ensurePerf(steps: number): void {
    if (steps <= this.perfCap) return;
    const cap = Math.max(steps, this.perfCap * 2, 64);
    for (const k of PERF_KEYS) {
      const b = new Float64Array(cap);
      b.set(this.perf[k]);
      this.perf[k] = b;
    }
    this.perfCap = cap;
  }

  run(steps: number, onStep?: (step: number) => void): void {
    this.ensurePerf(this.stepsDone + steps);
    for (let k = 0; k < steps; k++) {
      this.step();
      if (onStep) onStep(this.stepsDone);
    }
  }

  /** One SANA-FE timestep (1-based: the first call runs step 1). */
  step(): void {
    const t = this.stepsDone + 1;
    this.ensurePerf(t);
    const arch = this.arch;
    const soma = this.soma;
    const batch = this.batch;
    const order = this.order;
    const nCores = arch.cores.length;
    batch.clear();
    let fired = 0;
    let updated = 0;
    let somaE = 0;
    let axOutE = 0;
    let nSpikes = 0;
    let placeholders = 0;
    // 1. neurons
    for (let c = 0; c < nCores; c++) {
      const a0 = this.coreStart[c];
      const a1 = this.coreStart[c + 1];
      if (a0 === a1) continue;
      let gen = 0;
      for (let p = a0; p < a1; p++) {
        const i = order[p];
        const has = this.hasInput[i];
        this.hasInput[i] = 0;
        const status = somaUpdate(soma, i, t, has, this.charge[i]);
        const u = this.somaUnit[i];
        somaE += this.somaAccessE[u];
        gen += this.somaAccessL[u];
        if (status !== STATUS.idle) {
          updated++;
          this.gUpdated[this.groupOf[i]]++;
          somaE += this.somaUpdateE[u];
          gen += this.somaUpdateL[u];
        }
        if (status === STATUS.fired) {
          fired++;
          this.gFired[this.groupOf[i]]++;
          somaE += this.somaSpikeE[u];
          gen += this.somaSpikeL[u];
          this.stepSpikes[nSpikes++] = i;
          if (this.logSpikes[i]) this.logSpike(i, t);
          for (let ax = this.axonStart[i]; ax < this.axonStart[i + 1]; ax++) {
            axOutE += this.axOutE[c];
            batch.push(c, this.axonCore[ax], ax, gen + this.axOutL[c]);
            gen = 0;
          }
        }
      }
      if (gen !== 0) {
        batch.push(c, c, PLACEHOLDER, gen);
        placeholders++;
      }
    }
    this.stepSpikeCount = nSpikes;
    // 2. messages: route, then process at the destination
    let netE = axOutE;
    let synE = 0;
    let dendE = 0;
    let events = 0;
    let hopsTotal = 0;
    const tiles = arch.tiles;
    const axonSynStart = this.axonSynStart;
    const synPost = this.synPost;
    const synWeight = this.synWeight;
    const charge = this.charge;
    const chargeStep = this.chargeStep;
    const hasInput = this.hasInput;
    const leakOf = this.leakOf;
    for (let m = 0; m < batch.count; m++) {
      const ax = batch.axon[m];
      if (ax === PLACEHOLDER) continue;
      const s = tiles[this.coreTile[batch.srcCore[m]]];
      const dc = batch.dstCore[m];
      const d = tiles[this.coreTile[dc]];
      const xh = Math.abs(s.x - d.x);
      const yh = Math.abs(s.y - d.y);
      let lat = 0;
      if (s.x < d.x) {
        lat += xh * s.latencyHop.east;
        netE += xh * d.energyHop.east;
      } else {
        lat += xh * s.latencyHop.west;
        netE += xh * d.energyHop.west;
      }
      if (s.y < d.y) {
        lat += yh * s.latencyHop.north;
        netE += yh * d.energyHop.north;
      } else {
        lat += yh * s.latencyHop.south;
        netE += yh * d.energyHop.south;
      }
      batch.minHop[m] = lat;
      batch.hops[m] = xh + yh;
      hopsTotal += xh + yh;
      const sg = this.groupOf[this.axonSrc[ax]];
      this.gPacketsOut[sg]++;
      this.gHopsEW[sg] += xh;
      this.gHopsNS[sg] += yh;
      netE += this.axInE[dc];
      synE += this.axonSynE[ax];
      dendE += this.axonDendE[ax];
      const proc = this.axInL[dc] + this.axonProcL[ax];
      const k1 = axonSynStart[ax + 1];
      for (let k = axonSynStart[ax]; k < k1; k++) {
        const post = synPost[k];
        // accumulator: decay for every step since the last update, then integrate
        let q = charge[post];
        const since = t - chargeStep[post];
        if (since > 0) {
          const leak = leakOf[post];
          if (leak === 0) q = 0;
          else if (leak !== 1) for (let j = 0; j < since; j++) q *= leak;
          chargeStep[post] = t;
        }
        charge[post] = q + synWeight[k];
        hasInput[post] = 1;
      }
      const nSyn = this.axonSynStart[ax + 1] - this.axonSynStart[ax];
      events += nSyn;
      const tg = this.axonGroup[ax];
      if (tg >= 0) {
        this.gEvents[tg] += nSyn;
        this.gPacketsIn[tg]++;
      } else {
        for (let k = this.axonSynStart[ax]; k < this.axonSynStart[ax + 1]; k++) this.gEvents[this.groupOf[this.synPost[k]]]++;
        this.gPacketsIn[this.groupOf[this.synPost[this.axonSynStart[ax]]]]++;
      }
      batch.processing[m] = proc;
    }
    // 3-4. energy and timing
    const P = this.perf;
    const k = t - 1;
    P.fired[k] = fired;
    P.updated[k] = updated;
    P.packets[k] = batch.count - placeholders;
    P.hops[k] = hopsTotal;
    P.spikes[k] = events;
    P.synapseEnergy[k] = synE;
    P.dendriteEnergy[k] = dendE;
    P.somaEnergy[k] = somaE;
    P.networkEnergy[k] = netE;
    P.totalEnergy[k] = synE + dendE + somaE + netE;
    P.simTime[k] = this.scheduler.schedule(batch) + this.syncS;
    this.stepsDone = t;
  }

  private logSpike(i: number, t: number): void {
    if (this.spikeCount === this.spikeNeuron.length) {
      const a = new Uint32Array(this.spikeCount * 2);
      a.set(this.spikeNeuron);
      this.spikeNeuron = a;
      const b = new Uint32Array(this.spikeCount * 2);
      b.set(this.spikeStep);
      this.spikeStep = b;
    }
    this.spikeNeuron[this.spikeCount] = i;
    this.spikeStep[this.spikeCount] = t;
    this.spikeCount++;
  }

  /** Logged spikes (neurons with log_spikes) as global neuron index and step. */
  loggedSpikes(): { neuron: Uint32Array; step: Uint32Array } {
    return { neuron: this.spikeNeuron.subarray(0, this.spikeCount), step: this.spikeStep.subarray(0, this.spikeCount) };
  }

  /** Per-step results so far. */
  perfData(): SanafePerf {
    const s = this.stepsDone;
    const out = { steps: s } as SanafePerf;
    for (const k of PERF_KEYS) out[k] = this.perf[k].subarray(0, s);
    return out;
  }

  /** Run totals (sums of the per-step rows, in step order as SANA-FE sums them). */
  totals(): SanafeTotals {
    const p = this.perfData();
    const sum = (a: Float64Array): number => {
      let x = 0;
      for (let i = 0; i < a.length; i++) x += a[i];
      return x;
    };
    return {
      timesteps_executed: p.steps,
      total_spikes: sum(p.spikes),
      total_messages_sent: sum(p.packets),
      total_neurons_updated: sum(p.updated),
      total_neurons_fired: sum(p.fired),
      total_hops: sum(p.hops),
      sim_time: sum(p.simTime),
      energy: { synapse: sum(p.synapseEnergy), dendrite: sum(p.dendriteEnergy), soma: sum(p.somaEnergy), network: sum(p.networkEnergy), total: sum(p.totalEnergy) },
    };
  }

  /**
   * The run as aerie's exact counts (emulator/energy/activity.ts), so aerie's energy layer and reports
   * can price and render it: synop = synaptic events (to the target group), compartment_active =
   * updated somas, compartment_inactive = the other soma accesses, spike_out = fired, packet_out /
   * packet_in = messages (source / target group), hops by axis (source group). One chip. Step durations
   * are SANA-FE's sim_time per step; dt (model time per step) is 1 ms by assumption (SANA-FE has none).
   */
  activity(): ActivityCounts {
    const steps = this.stepsDone;
    const totals: Partial<Record<ActionId, number>> = {};
    const byPopulation: Record<string, Partial<Record<ActionId, number>>> = {};
    const populationSizes: Record<string, number> = {};
    this.net.groups.forEach((g, k) => {
      const rec: Partial<Record<ActionId, number>> = {};
      const items: [ActionId, number][] = [
        ['core.synop', this.gEvents[k]],
        ['core.compartment_active', this.gUpdated[k]],
        ['core.compartment_inactive', g.size * steps - this.gUpdated[k]],
        ['core.spike_out', this.gFired[k]],
        ['core.packet_out', this.gPacketsOut[k]],
        ['core.packet_in', this.gPacketsIn[k]],
        ['noc.hop_ew', this.gHopsEW[k]],
        ['noc.hop_ns', this.gHopsNS[k]],
      ];
      for (const [a, v] of items)
        if (v) {
          rec[a] = v;
          totals[a] = (totals[a] ?? 0) + v;
        }
      byPopulation[g.name] = rec;
      populationSizes[g.name] = g.size;
    });
    const p = this.perfData();
    const stepDurationPs = new Float64Array(steps);
    const spikesPerStep = new Uint32Array(steps);
    for (let k = 0; k < steps; k++) {
      stepDurationPs[k] = Math.round(p.simTime[k] * 1e12);
      spikesPerStep[k] = p.fired[k];
    }
    return {
      steps,
      totals,
      byPopulation,
      byChip: { 0: { ...totals } },
      hardware: { chips: 1, tilesUsed: this.tilesUsed, coresUsed: this.coresUsed, routersUsed: this.tilesUsed, crossbarsUsed: 0 },
      stepDurationPs,
      spikesPerStep,
      populationSizes,
      dt: 1e-3,
    };
  }

  /** Global neuron index → `group.offset` (SANA-FE's neuron address). */
  neuronName(i: number): string {
    const g = this.net.groups;
    let lo = 0;
    let hi = g.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (g[mid].offset <= i) lo = mid;
      else hi = mid - 1;
    }
    return `${g[lo].name}.${i - g[lo].offset}`;
  }
}
