/**
 * The network spec (`format: aerie-network/1`): populations of compartments and the projections
 * between them. The same structure is what the library API builds in code (see NetworkBuilder),
 * so files and firmware models go through one validation.
 *
 * Units: `dt` is seconds of model time per algorithmic step (default 1 ms); Poisson rates are Hz
 * (per-step probability = rate × dt). Emulated hardware time is separate (integer picoseconds,
 * from the architecture's timing parameters).
 */
import { Checker, type Path } from './validate.js';
import { parseStructured } from './structured.js';
import { readInputText } from '../util/files.js';
import { checkLearning } from '../core/learning/spec.js';
import { parseCrossbarParams } from '../pim/params.js';

export const NETWORK_FORMAT = 'aerie-network/1';

/** A parameter given once for the whole population or once per compartment. */
export type PerCompartment = number | number[];

/** Loihi CUBA LIF parameters (Lava PyLifModelBitAcc names and ranges). */
export interface LifParamsSpec {
  du?: PerCompartment;
  dv?: PerCompartment;
  vth?: PerCompartment;
  bias_mant?: PerCompartment;
  bias_exp?: PerCompartment;
  refractory?: PerCompartment;
  u_init?: PerCompartment;
  v_init?: PerCompartment;
}

export interface LifPopulationSpec {
  name: string;
  kind: 'lif';
  size: number;
  params?: LifParamsSpec;
}

export interface SpikeSourcePopulationSpec {
  name: string;
  kind: 'spike-source';
  size: number;
  /** Explicit spikes: for each source index, the 1-based steps it fires on. */
  spikes?: number[][];
  /** Poisson spikes: rate in Hz (scalar or per index) and the seed of the counter-based generator. */
  poisson?: { rate: PerCompartment; seed?: number };
  /** Graded spikes (Loihi 2): the payload each source's spikes carry (non-zero, 24-bit signed). */
  payload?: PerCompartment;
}

/** Adaptive-threshold LIF (Lava ATRLIF fixed point); see ALIF_PARAMS. */
export interface AlifPopulationSpec {
  name: string;
  kind: 'alif';
  size: number;
  params?: Partial<Record<AlifParamName, PerCompartment>>;
}

/** Sigma-delta neuron emitting graded spikes (Lava SigmaDelta fixed point); see SIGMA_DELTA_PARAMS. */
export interface SigmaDeltaPopulationSpec {
  name: string;
  kind: 'sigma-delta';
  size: number;
  params?: Partial<Record<SigmaDeltaParamName, PerCompartment>>;
}

export type PopulationSpec = LifPopulationSpec | AlifPopulationSpec | SigmaDeltaPopulationSpec | SpikeSourcePopulationSpec;

/** Population kinds that integrate synaptic input (valid projection targets). */
export const NEURON_KINDS = ['lif', 'alif', 'sigma-delta'] as const;
export type NeuronKind = (typeof NEURON_KINDS)[number];
export const POPULATION_KINDS = [...NEURON_KINDS, 'spike-source'] as const;

export type SignMode = 'mixed' | 'excitatory' | 'inhibitory';

/** Random connectivity drawn with the counter-based generator. */
export interface ConnectSpec {
  /** Probability of each (pre, post) pair (Bernoulli), or ... */
  p?: number;
  /** ... a fixed number of distinct presynaptic partners per target compartment. */
  fan_in?: number;
  /** A fixed weight, or integer weights uniform in [min, max]. */
  weight: number | { min: number; max: number };
  seed?: number;
  /** Allow a compartment to connect to itself when from == to (default false). */
  allow_self?: boolean;
}

export interface ProjectionSpec {
  name?: string;
  from: string;
  to: string;
  /** Dense matrix: rows = target compartments, columns = source compartments (Lava's layout). */
  weights?: number[][];
  /** Sparse list of [pre, post, weight] or [pre, post, weight, delay]. */
  synapses?: number[][];
  connect?: ConnectSpec;
  sign_mode?: SignMode;
  num_weight_bits?: number;
  weight_exp?: number;
  delay?: number;
  /** Makes the projection plastic (docs/LEARNING.md): `{rule, epoch, rounding, traces}`. */
  learning?: LearningSpec;
  /** Where the weights live: core synapse memory (default) or crossbar arrays (docs/PIM.md). */
  on?: ProjectionPlace;
  /**
   * Crossbar parameters of an `on: crossbar` projection (emulator/pim CROSSBAR_PARAMS; inputs are 1-bit
   * spikes), plus `mode: analog | binary` (binary = HDC match counts against 0/1 weight rows, docs/PIM.md).
   */
  crossbar?: Record<string, unknown>;
}

export const PROJECTION_PLACES = ['core', 'crossbar'] as const;
/** How a crossbar-backed projection computes (docs/PIM.md): analog MVM of spikes × weights, or binary (HDC) match counts. */
export const CROSSBAR_MODES = ['analog', 'binary'] as const;
export type CrossbarMode = (typeof CROSSBAR_MODES)[number];
/** Array keys that do not apply in binary mode (each bit is a complementary pair of 1-bit cells on 1-bit search lines). */
const BINARY_FIXED_KEYS = ['weightBits', 'signed', 'cellBits', 'dacBits'] as const;
export type ProjectionPlace = (typeof PROJECTION_PLACES)[number];

/** The `learning:` block as written (validated by checkLearning, emulator/core/learning/spec.ts). */
export interface LearningSpec {
  rule: string;
  epoch?: number;
  rounding?: 'stochastic' | 'nearest' | 'floor';
  traces?: Partial<Record<'x1' | 'x2' | 'y1' | 'y2' | 'y3', { impulse?: number; tau?: number; decay?: number }>>;
}

export interface NetworkSpec {
  format: typeof NETWORK_FORMAT;
  name?: string;
  description?: string;
  dt?: number;
  seed?: number;
  populations: PopulationSpec[];
  projections?: ProjectionSpec[];
}

/** One declared compartment parameter: integer range, default, unit, description and source. */
export interface NeuronParamDecl {
  lo: number;
  hi: number;
  default: number;
  unit: string;
  description: string;
  source?: string;
}

const LAVA_LIF = 'Lava PyLifModelBitAcc (lava/proc/lif/models.py)';
const LAVA_ATRLIF = 'Lava PyATRLIFModelFixed (lava/proc/atrlif/models.py)';
const LAVA_SDN = 'Lava PySigmaDeltaModelFixed (lava/proc/sdn/models.py)';

/** Declared ranges of every LIF parameter: [lo, hi, default, description]. */
export const LIF_PARAMS = {
  du: { lo: 0, hi: 4095, default: 0, unit: '1/4096 per step', description: 'current decay (u decays by (4096 − du − 1)/4096 per step, Lava bit-accurate)' },
  dv: { lo: 0, hi: 4095, default: 0, unit: '1/4096 per step', description: 'voltage decay (v decays by (4096 − dv)/4096 per step)' },
  vth: { lo: 0, hi: 2 ** 17 - 1, default: 10, unit: 'mantissa (× 2^6)', description: 'threshold; spike when v > vth << 6' },
  bias_mant: { lo: -(2 ** 12), hi: 2 ** 12 - 1, default: 0, unit: 'mantissa', description: '13-bit signed bias mantissa' },
  bias_exp: { lo: -7, hi: 7, default: 0, unit: 'exponent', description: 'bias = bias_mant << bias_exp (arithmetic right shift when negative, as Lava accepts)' },
  refractory: { lo: 0, hi: 63, default: 0, unit: 'steps', description: 'v held at 0 for this many steps after a spike (u keeps integrating); 0 = Lava exactly' },
  u_init: { lo: -(2 ** 23) + 1, hi: 2 ** 23, default: 0, unit: 'state units', description: 'initial current u (Lava LIF u)' },
  v_init: { lo: -(2 ** 23) + 1, hi: 2 ** 23 - 1, default: 0, unit: 'state units', description: 'initial voltage v (Lava LIF v)' },
} as const;

export type LifParamName = keyof typeof LIF_PARAMS;

/**
 * Adaptive-threshold LIF (Lava ATRLIF, fixed point; docs/NETWORK-FORMAT.md "alif"): current and
 * voltage as the LIF, plus a threshold theta that steps up by theta_step on each spike and decays
 * back to theta_0, and a refractory variable r (+2·theta on a spike, decays) subtracted from v.
 */
export const ALIF_PARAMS = {
  du: { lo: 0, hi: 4095, default: 0, unit: '1/4096 per step', description: 'current decay, as the LIF (u decays by (4096 − du − 1)/4096)', source: LAVA_ATRLIF },
  dv: { lo: 0, hi: 4095, default: 0, unit: '1/4096 per step', description: 'voltage decay (v decays by (4096 − dv)/4096)', source: LAVA_ATRLIF },
  d_theta: { lo: 0, hi: 4095, default: 0, unit: '1/4096 per step', description: 'threshold decay: theta − theta_0 decays by (4096 − d_theta)/4096', source: LAVA_ATRLIF },
  d_r: { lo: 0, hi: 4095, default: 0, unit: '1/4096 per step', description: 'refractory-variable decay: r decays by (4096 − d_r)/4096', source: LAVA_ATRLIF },
  theta_0: { lo: 0, hi: 4095, default: 10, unit: 'mantissa (× 2^6)', description: 'resting threshold, 12-bit unsigned, used as theta_0 << 6', source: LAVA_ATRLIF },
  theta_step: { lo: 0, hi: 4095, default: 0, unit: 'mantissa (× 2^6)', description: 'threshold increase per spike, 12-bit unsigned, used as theta_step << 6', source: LAVA_ATRLIF },
  bias_mant: { lo: -(2 ** 12), hi: 2 ** 12 - 1, default: 0, unit: 'mantissa', description: '13-bit signed bias mantissa', source: LAVA_ATRLIF },
  bias_exp: { lo: -7, hi: 7, default: 0, unit: 'exponent', description: 'bias = bias_mant << bias_exp (arithmetic right shift when negative)', source: LAVA_ATRLIF },
  u_init: { lo: -(2 ** 23) + 1, hi: 2 ** 23, default: 0, unit: 'state units', description: 'initial current (Lava ATRLIF i)', source: LAVA_ATRLIF },
  v_init: { lo: -(2 ** 23) + 1, hi: 2 ** 23 - 1, default: 0, unit: 'state units', description: 'initial voltage (Lava ATRLIF v)', source: LAVA_ATRLIF },
} as const satisfies Record<string, NeuronParamDecl>;
export type AlifParamName = keyof typeof ALIF_PARAMS;

/**
 * Sigma-delta neuron (Lava SigmaDelta, fixed point; docs/NETWORK-FORMAT.md "sigma-delta"):
 * sigma accumulates the input, act = sigma + bias (ReLU optional), and the change of act since the
 * last sent value (plus the unsent residue) is sent as a graded spike when |delta| ≥ vth.
 */
export const SIGMA_DELTA_PARAMS = {
  vth: { lo: 0, hi: 2 ** 23 - 1, default: 0, unit: 'state units', description: 'delta threshold: send when |delta| ≥ vth (24-bit)', source: LAVA_SDN },
  bias: { lo: -(2 ** 15), hi: 2 ** 15 - 1, default: 0, unit: 'state units', description: 'added to sigma before the activation (16-bit signed)', source: LAVA_SDN },
  state_exp: { lo: 0, hi: 7, default: 0, unit: 'exponent', description: 'payload = delta >> state_exp (3-bit)', source: LAVA_SDN },
  relu: { lo: 0, hi: 1, default: 1, unit: 'flag', description: 'activation: 1 = ReLU(sigma + bias) (Lava default), 0 = unit (sigma + bias)', source: LAVA_SDN },
} as const satisfies Record<string, NeuronParamDecl>;
export type SigmaDeltaParamName = keyof typeof SIGMA_DELTA_PARAMS;

/** Declared parameters of every neuron kind (drives validation, compile, `aerie info`). */
export const NEURON_PARAMS: Record<NeuronKind, Record<string, NeuronParamDecl>> = {
  lif: Object.fromEntries(Object.entries(LIF_PARAMS).map(([k, d]) => [k, { ...d, source: LAVA_LIF }])),
  alif: ALIF_PARAMS,
  'sigma-delta': SIGMA_DELTA_PARAMS,
};

/** Graded-spike payloads are signed 24-bit (Loihi 2, Davies et al. Proc. IEEE 2021). */
export const PAYLOAD_MIN = -(2 ** 23) + 1;
export const PAYLOAD_MAX = 2 ** 23 - 1;

/** Limits that keep absurd inputs from allocating memory before they are checked. */
export const NETWORK_LIMITS = {
  maxPopulationSize: 1 << 28,
  maxTotalCompartments: 1 << 30,
  maxPopulations: 1 << 16,
  maxProjections: 1 << 16,
  maxDelay: 62,
};

const POP_KEYS_LIF = ['name', 'kind', 'size', 'params'] as const;
const POP_KEYS_SRC = ['name', 'kind', 'size', 'spikes', 'poisson', 'payload'] as const;
const PROJ_KEYS = ['name', 'from', 'to', 'weights', 'synapses', 'connect', 'sign_mode', 'num_weight_bits', 'weight_exp', 'delay', 'learning', 'on', 'crossbar'] as const;
const NET_KEYS = ['format', 'name', 'description', 'dt', 'seed', 'populations', 'projections'] as const;

/** Validate plain data as a network spec; every problem is collected with its field path. */
export function validateNetwork(data: unknown, ck: Checker): NetworkSpec | undefined {
  const root = ck.object(data, [], NET_KEYS, ['format', 'populations']);
  if (!root) return undefined;
  if (root.format !== undefined && root.format !== NETWORK_FORMAT) {
    ck.fail(['format'], `expected '${NETWORK_FORMAT}', got ${JSON.stringify(root.format)}`);
  }
  if (root.name !== undefined) ck.string(root.name, ['name']);
  if (root.description !== undefined) ck.string(root.description, ['description']);
  if (root.dt !== undefined) ck.number(root.dt, ['dt'], 1e-9, 3600, ' s');
  if (root.seed !== undefined) ck.integer(root.seed, ['seed'], 0, 2 ** 32 - 1);
  const pops = ck.array(root.populations, ['populations'], { min: 1, max: NETWORK_LIMITS.maxPopulations }) ?? [];
  const sizes = new Map<string, number>();
  let total = 0;
  pops.forEach((p, i) => {
    const size = validatePopulation(p, ['populations', i], ck);
    const name = (p as { name?: unknown })?.name;
    if (typeof name === 'string') {
      if (sizes.has(name)) ck.fail(['populations', i, 'name'], `population '${name}' is defined twice`);
      sizes.set(name, size ?? 0);
    }
    total += size ?? 0;
  });
  if (total > NETWORK_LIMITS.maxTotalCompartments)
    ck.fail(['populations'], `${total} compartments in all is more than the ${NETWORK_LIMITS.maxTotalCompartments} aerie can hold`);
  if (root.projections !== undefined) {
    const projs = ck.array(root.projections, ['projections'], { max: NETWORK_LIMITS.maxProjections }) ?? [];
    const names = new Set<string>();
    projs.forEach((p, i) => {
      validateProjection(p, ['projections', i], ck, sizes);
      const nm = (p as { name?: unknown })?.name;
      if (typeof nm === 'string') {
        if (names.has(nm) || sizes.has(nm)) ck.fail(['projections', i, 'name'], `name '${nm}' is already used`);
        names.add(nm);
      }
    });
  }
  return ck.ok ? (root as unknown as NetworkSpec) : undefined;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_\-]*$/;

function validatePopulation(p: unknown, path: Path, ck: Checker): number | undefined {
  const kind = (p as { kind?: unknown })?.kind;
  if (typeof kind !== 'string' || !(POPULATION_KINDS as readonly string[]).includes(kind)) {
    if (p !== null && typeof p === 'object' && !Array.isArray(p)) ck.oneOf(kind, [...path, 'kind'], POPULATION_KINDS);
    else ck.object(p, path, []);
    return undefined;
  }
  const rec = ck.object(p, path, kind === 'spike-source' ? POP_KEYS_SRC : POP_KEYS_LIF, ['name', 'kind', 'size']);
  if (!rec) return undefined;
  if (rec.name !== undefined) ck.string(rec.name, [...path, 'name'], { pattern: NAME_RE, patternHint: 'a name of letters, digits, _ and - (not starting with a digit)' });
  const size = rec.size === undefined ? undefined : ck.integer(rec.size, [...path, 'size'], 1, NETWORK_LIMITS.maxPopulationSize);
  if (kind !== 'spike-source') {
    const decls = NEURON_PARAMS[kind as NeuronKind];
    if (rec.params !== undefined) {
      const params = ck.object(rec.params, [...path, 'params'], Object.keys(decls));
      if (params) {
        for (const [k, decl] of Object.entries(decls)) {
          if (params[k] !== undefined) perCompartment(params[k], [...path, 'params', k], ck, size, decl.lo, decl.hi, true);
        }
      }
    }
  } else {
    if (rec.spikes !== undefined && rec.poisson !== undefined) ck.fail(path, "give either 'spikes' or 'poisson', not both");
    if (rec.spikes === undefined && rec.poisson === undefined) ck.fail(path, "a spike-source needs 'spikes' (lists of 1-based steps) or 'poisson' ({rate, seed})");
    if (rec.spikes !== undefined) {
      const lists = ck.array(rec.spikes, [...path, 'spikes']);
      if (lists && size !== undefined && lists.length > size)
        ck.fail([...path, 'spikes'], `${lists.length} spike lists for a population of size ${size}`);
      lists?.forEach((l, i) => {
        const steps = ck.array(l, [...path, 'spikes', i]);
        steps?.forEach((s, j) => ck.integer(s, [...path, 'spikes', i, j], 1, 2 ** 31 - 1));
      });
    }
    if (rec.poisson !== undefined) {
      const po = ck.object(rec.poisson, [...path, 'poisson'], ['rate', 'seed'], ['rate']);
      if (po) {
        if (po.rate !== undefined) perCompartment(po.rate, [...path, 'poisson', 'rate'], ck, size, 0, 1e9, false);
        if (po.seed !== undefined) ck.integer(po.seed, [...path, 'poisson', 'seed'], 0, 2 ** 32 - 1);
      }
    }
    if (rec.payload !== undefined) {
      perCompartment(rec.payload, [...path, 'payload'], ck, size, PAYLOAD_MIN, PAYLOAD_MAX, true);
      const vals = Array.isArray(rec.payload) ? rec.payload : [rec.payload];
      if (vals.some((x) => x === 0)) ck.fail([...path, 'payload'], 'a graded spike carries a non-zero payload (0 would send nothing)');
    }
  }
  return size;
}

function perCompartment(v: unknown, path: Path, ck: Checker, size: number | undefined, lo: number, hi: number, integer: boolean): void {
  if (Array.isArray(v)) {
    if (size !== undefined && v.length !== size) {
      ck.fail(path, `has ${v.length} values for a population of size ${size} (give one value, or exactly one per compartment)`);
      return;
    }
    let bad = 0;
    for (let i = 0; i < v.length && bad < 5; i++) {
      const ok = integer ? ck.integer(v[i], [...path, i], lo, hi) : ck.number(v[i], [...path, i], lo, hi);
      if (ok === undefined) bad++;
    }
  } else if (integer) ck.integer(v, path, lo, hi);
  else ck.number(v, path, lo, hi);
}

function validateProjection(p: unknown, path: Path, ck: Checker, sizes: Map<string, number>): void {
  const rec = ck.object(p, path, PROJ_KEYS, ['from', 'to']);
  if (!rec) return;
  if (rec.name !== undefined) ck.string(rec.name, [...path, 'name'], { pattern: NAME_RE, patternHint: 'a name of letters, digits, _ and -' });
  let nPre: number | undefined;
  let nPost: number | undefined;
  for (const end of ['from', 'to'] as const) {
    const nm = rec[end];
    if (nm === undefined) continue;
    if (typeof nm !== 'string') {
      ck.string(nm, [...path, end]);
      continue;
    }
    if (!sizes.has(nm)) {
      ck.fail([...path, end], `no population named '${nm}' (defined: ${[...sizes.keys()].join(', ')})`);
      continue;
    }
    if (end === 'from') nPre = sizes.get(nm);
    else nPost = sizes.get(nm);
  }
  if (typeof rec.to === 'string') {
    // targets must be compartments that integrate input
    // (checked against kinds by the compiler, which knows them)
  }
  const given = (['weights', 'synapses', 'connect'] as const).filter((k) => rec[k] !== undefined);
  if (given.length !== 1) ck.fail(path, `give exactly one of 'weights' (dense matrix), 'synapses' (sparse list) or 'connect' (random); got ${given.length ? given.join(', ') : 'none'}`);
  if (rec.sign_mode !== undefined) ck.oneOf(rec.sign_mode, [...path, 'sign_mode'], ['mixed', 'excitatory', 'inhibitory']);
  if (rec.num_weight_bits !== undefined) ck.integer(rec.num_weight_bits, [...path, 'num_weight_bits'], 1, 8);
  if (rec.weight_exp !== undefined) ck.integer(rec.weight_exp, [...path, 'weight_exp'], -8, 7);
  if (rec.delay !== undefined) ck.integer(rec.delay, [...path, 'delay'], 0, NETWORK_LIMITS.maxDelay);
  if (rec.learning !== undefined) checkLearning(ck, rec.learning, [...path, 'learning']);
  if (rec.on !== undefined) ck.oneOf(rec.on, [...path, 'on'], PROJECTION_PLACES);
  if (rec.crossbar !== undefined) {
    if (rec.on !== 'crossbar') ck.fail([...path, 'crossbar'], "crossbar parameters need 'on: crossbar'");
    else if (checkProjectionCrossbar(rec.crossbar, [...path, 'crossbar'], ck) === 'binary') checkBinaryWeights(rec, path, ck);
  }
  if (rec.on === 'crossbar' && rec.learning !== undefined) ck.fail([...path, 'learning'], 'a crossbar-backed projection cannot be plastic (learning runs on core synapse memory); use on: core');
  if (rec.weights !== undefined) {
    const rows = ck.array(rec.weights, [...path, 'weights']);
    if (rows) {
      if (nPost !== undefined && rows.length !== nPost)
        ck.fail([...path, 'weights'], `has ${rows.length} rows but '${String(rec.to)}' has ${nPost} compartments (rows = targets, columns = sources)`);
      let bad = 0;
      rows.forEach((row, r) => {
        if (bad >= 5) return;
        const cols = ck.array(row, [...path, 'weights', r]);
        if (!cols) return void bad++;
        if (nPre !== undefined && cols.length !== nPre) {
          bad++;
          ck.fail([...path, 'weights', r], `has ${cols.length} columns but '${String(rec.from)}' has ${nPre} compartments`);
          return;
        }
        for (let c = 0; c < cols.length && bad < 5; c++) if (ck.integer(cols[c], [...path, 'weights', r, c], -(2 ** 16), 2 ** 16) === undefined) bad++;
      });
    }
  }
  if (rec.synapses !== undefined) {
    const list = ck.array(rec.synapses, [...path, 'synapses']);
    let bad = 0;
    list?.forEach((s, i) => {
      if (bad >= 5) return;
      const t = ck.array(s, [...path, 'synapses', i], { min: 3, max: 4 });
      if (!t) return void bad++;
      const before = ck.problems.length;
      ck.integer(t[0], [...path, 'synapses', i, 0], 0, (nPre ?? 2 ** 31) - 1);
      ck.integer(t[1], [...path, 'synapses', i, 1], 0, (nPost ?? 2 ** 31) - 1);
      ck.integer(t[2], [...path, 'synapses', i, 2], -(2 ** 16), 2 ** 16);
      if (t.length === 4) ck.integer(t[3], [...path, 'synapses', i, 3], 0, NETWORK_LIMITS.maxDelay);
      if (ck.problems.length > before) bad++;
    });
  }
  if (rec.connect !== undefined) {
    const c = ck.object(rec.connect, [...path, 'connect'], ['p', 'fan_in', 'weight', 'seed', 'allow_self'], ['weight']);
    if (c) {
      if ((c.p === undefined) === (c.fan_in === undefined)) ck.fail([...path, 'connect'], "give exactly one of 'p' (probability per pair) or 'fan_in' (partners per target)");
      if (c.p !== undefined) ck.number(c.p, [...path, 'connect', 'p'], 0, 1);
      if (c.fan_in !== undefined) ck.integer(c.fan_in, [...path, 'connect', 'fan_in'], 0, nPre ?? 2 ** 31);
      if (c.seed !== undefined) ck.integer(c.seed, [...path, 'connect', 'seed'], 0, 2 ** 32 - 1);
      if (c.allow_self !== undefined) ck.boolean(c.allow_self, [...path, 'connect', 'allow_self']);
      if (typeof c.weight === 'number') ck.integer(c.weight, [...path, 'connect', 'weight'], -(2 ** 16), 2 ** 16);
      else {
        const w = ck.object(c.weight, [...path, 'connect', 'weight'], ['min', 'max'], ['min', 'max']);
        if (w) {
          const lo = ck.integer(w.min, [...path, 'connect', 'weight', 'min'], -(2 ** 16), 2 ** 16);
          const hi = ck.integer(w.max, [...path, 'connect', 'weight', 'max'], -(2 ** 16), 2 ** 16);
          if (lo !== undefined && hi !== undefined && lo > hi) ck.fail([...path, 'connect', 'weight'], `min ${lo} is greater than max ${hi}`);
        }
      }
    }
  }
}

/**
 * The `crossbar:` block of a projection: the crossbar block's own parameters, checked by its own
 * checker (field paths, did-you-mean). Inputs are spikes, so `inputBits` and `signedInputs` are
 * fixed (1 bit, unsigned) and may only be given with those values.
 */
function checkProjectionCrossbar(raw: unknown, path: Path, ck: Checker): CrossbarMode {
  const rec = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  const mode = rec?.mode === undefined ? 'analog' : ck.oneOf(rec.mode, [...path, 'mode'], CROSSBAR_MODES);
  if (rec && rec.inputBits !== undefined && rec.inputBits !== 1) ck.fail([...path, 'inputBits'], `spikes drive the word lines as 1-bit inputs; inputBits must be 1 (or left out), got ${JSON.stringify(rec.inputBits)}`);
  if (rec && rec.signedInputs !== undefined && rec.signedInputs !== false) ck.fail([...path, 'signedInputs'], 'spikes are unsigned inputs; signedInputs must be false (or left out)');
  if (rec && mode === 'binary')
    for (const k of BINARY_FIXED_KEYS)
      if (rec[k] !== undefined && !(k === 'cellBits' && rec[k] === 1) && !(k === 'dacBits' && rec[k] === 1))
        ck.fail([...path, k], `binary mode stores each weight bit in a complementary pair of 1-bit cells searched with 1-bit query bits; leave '${k}' out`);
  const fixed = rec ? { ...withoutMode(rec), inputBits: 1, signedInputs: false } : raw;
  parseCrossbarParams(fixed, ck, path);
  return mode ?? 'analog';
}

/** The `crossbar:` block without its `mode` key (the rest are the array's own parameters). */
export function withoutMode(rec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) if (k !== 'mode') out[k] = rec[k];
  return out;
}

/**
 * A binary-mode projection stores its weights as bits: every weight given must be 0 or 1, and the
 * core quantisation must keep a 1 a 1 (sign_mode excitatory, num_weight_bits 8, when given).
 */
function checkBinaryWeights(rec: Record<string, unknown>, path: Path, ck: Checker): void {
  const why = 'binary (HDC) mode stores the weights as bits: each must be 0 or 1';
  const bad = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v !== 0 && v !== 1;
  if (rec.sign_mode !== undefined && rec.sign_mode !== 'excitatory') ck.fail([...path, 'sign_mode'], `binary (HDC) mode takes 0/1 weights; sign_mode must be 'excitatory' (or left out), got ${JSON.stringify(rec.sign_mode)}`);
  if (rec.num_weight_bits !== undefined && rec.num_weight_bits !== 8) ck.fail([...path, 'num_weight_bits'], `binary (HDC) mode takes 0/1 weights; num_weight_bits ${JSON.stringify(rec.num_weight_bits)} would quantise them, leave it out`);
  let n = 0;
  if (Array.isArray(rec.weights))
    rec.weights.forEach((row, r) => {
      if (Array.isArray(row)) row.forEach((v, c) => void (bad(v) && n++ < 5 && ck.fail([...path, 'weights', r, c], `${why}, got ${v}`)));
    });
  if (Array.isArray(rec.synapses))
    rec.synapses.forEach((t, i) => void (Array.isArray(t) && bad(t[2]) && n++ < 5 && ck.fail([...path, 'synapses', i, 2], `${why}, got ${t[2]}`)));
  const c = rec.connect as Record<string, unknown> | undefined;
  if (c && typeof c === 'object') {
    const w = c.weight as Record<string, unknown> | number | undefined;
    if (bad(w)) ck.fail([...path, 'connect', 'weight'], `${why}, got ${w}`);
    else if (w && typeof w === 'object')
      for (const k of ['min', 'max'] as const) if (typeof w[k] === 'number' && Number.isInteger(w[k]) && ((w[k] as number) < 0 || (w[k] as number) > 1)) ck.fail([...path, 'connect', 'weight', k], `${why}, got ${w[k]}`);
  }
}

/** Parse and validate a network from YAML/JSON text. Throws InputError listing every problem. */
export function parseNetwork(text: string, source = '<network>'): NetworkSpec {
  const doc = parseStructured(text, source);
  const ck = new Checker(source, doc);
  const net = validateNetwork(doc.data, ck);
  ck.throwIfAny();
  return net!;
}

/** Read, parse and validate a network file. */
export function loadNetworkFile(file: string): NetworkSpec {
  return parseNetwork(readInputText(file), file);
}

/** Validate a network built in code (the library API); throws InputError like a file would. */
export function checkNetwork(spec: unknown, source = '<network>'): NetworkSpec {
  const ck = new Checker(source);
  const net = validateNetwork(spec, ck);
  ck.throwIfAny();
  return net!;
}

/**
 * Build a network in code: `const b = new NetworkBuilder({dt: 1e-3}); const exc = b.lif('exc', 100,
 * {du: 4095}); b.project(src, exc, {connect: {p: 0.1, weight: 20, seed: 1}})`. `build()` returns the
 * same NetworkSpec a file would give, validated.
 */
export class NetworkBuilder {
  private readonly spec: NetworkSpec;
  constructor(opts: { name?: string; dt?: number; seed?: number; description?: string } = {}) {
    this.spec = { format: NETWORK_FORMAT, populations: [], projections: [], ...opts };
  }
  lif(name: string, size: number, params: LifParamsSpec = {}): string {
    this.spec.populations.push({ name, kind: 'lif', size, params });
    return name;
  }
  alif(name: string, size: number, params: AlifPopulationSpec['params'] = {}): string {
    this.spec.populations.push({ name, kind: 'alif', size, params });
    return name;
  }
  sigmaDelta(name: string, size: number, params: SigmaDeltaPopulationSpec['params'] = {}): string {
    this.spec.populations.push({ name, kind: 'sigma-delta', size, params });
    return name;
  }
  /** Explicit spikes carrying graded payloads (Loihi 2). */
  gradedSource(name: string, size: number, spikes: number[][], payload: PerCompartment): string {
    this.spec.populations.push({ name, kind: 'spike-source', size, spikes, payload });
    return name;
  }
  spikeSource(name: string, size: number, spikes: number[][]): string {
    this.spec.populations.push({ name, kind: 'spike-source', size, spikes });
    return name;
  }
  poissonSource(name: string, size: number, rateHz: PerCompartment, seed = 0): string {
    this.spec.populations.push({ name, kind: 'spike-source', size, poisson: { rate: rateHz, seed } });
    return name;
  }
  project(from: string, to: string, opts: Omit<ProjectionSpec, 'from' | 'to'>): this {
    this.spec.projections!.push({ from, to, ...opts });
    return this;
  }
  build(): NetworkSpec {
    return checkNetwork(structuredClone(this.spec), `<network ${this.spec.name ?? 'built in code'}>`);
  }
}
