/**
 * kwta-attention — the "Spiking HD-Transformer" attention block on emulated hardware: one query
 * attends over a sequence of spike-coded tokens; only the k strongest keys fire, and the output is
 * the sum of the winners' values. See README.md for the mapping and measured numbers.
 *
 * Phases (every result value is computed by an emulated hardware block):
 *  1. projection crossbars (TiledMatrix, 1-bit spike inputs): K = W_Kᵀx_t and V = W_Vᵀx_t for every
 *     token as it arrives, q = W_Qᵀx_q for the query; outputs requantised to 8 bits by the
 *     digital periphery (arithmetic shift with rounding, saturation);
 *  2. run-time writes: every token's V is written into one row of the value crossbar (writeRow) as the
 *     token arrives; the whole Kᵀ (d_model rows × tokens columns) is programmed into the score
 *     crossbar once the sequence is in — both counted as crossbar.write cells with their latency;
 *  3. score crossbar: s = Kq with 8-bit signed bit-serial inputs (one MVM);
 *  4. k-WTA on spiking LIF compartments (the library's emulator): one compartment per key, driven by
 *     the score current (bias), non-leaky so the strongest score crosses threshold first (latency
 *     code); each compartment silences itself after its first spike, and an inhibitory gate
 *     compartment counts first spikes and, at k, inhibits all key compartments (lateral inhibition);
 *  5. value crossbar: the winners' spike vector (1-bit inputs) × V = the sum of the winners' values.
 *
 * Workaround (emulator/ has no crossbar-backed projection yet): the score currents enter the key
 * compartments as per-compartment bias, and the winners' spikes are carried to the value crossbar by
 * this module; the crossbar phases' latency is added to the first and last kWTA step.
 */
import {
  CrossbarStats,
  CROSSBAR_ACTIONS,
  TiledMatrix,
  makeCrossbarParams,
  type CrossbarParams,
} from '../../emulator/pim/index.js';
import { InputError, NetworkBuilder, prepare, type Arch } from '../../emulator/index.js';
import { buildReport, loadEnergyTable, DEFAULT_ENERGY_PRESET, type ActivityCounts, type DenseTaskSpec, type Report } from '../../emulator/energy/index.js';
import { makeAttentionWorkload, type AttentionWorkload } from './workload.js';

export { makeAttentionWorkload, TOKEN_DENSITY, type AttentionWorkload } from './workload.js';

/** A declared parameter of the model: unit, default and where the value comes from. */
export interface KwtaParamDecl {
  unit: string;
  default: number;
  source: string;
}

/** Every parameter of the model, declared once. */
export const KWTA_PARAMS = {
  tokens: { unit: 'tokens', default: 64, source: 'issue 9 (64 tokens for the recall bound)' },
  dModel: { unit: 'dimensions', default: 256, source: 'issue 9 (d_model = 256)' },
  k: { unit: 'winners', default: 8, source: 'assumption: top-8 keys (1/8 of the 64-token sequence)' },
  weightScale: { unit: 'levels per σ', default: 32, source: 'assumption: Gaussian weights quantised to 8 bits at 32 levels per standard deviation (4σ range)' },
  activationStd: { unit: 'levels', default: 24, source: 'assumption: projected activations requantised to 8 bits with σ ≈ 24 levels (5σ range)' },
  biasStd: { unit: 'bias levels', default: 512, source: 'assumption: score currents scaled to σ ≈ 512 of the 13-bit bias mantissa (8σ before saturation)' },
  crossingSteps: { unit: 'steps', default: 256, source: 'assumption: a +1σ score reaches threshold in 256 steps (latency-code resolution)' },
  maxStepsFactor: { unit: '× crossingSteps', default: 16, source: 'assumption: the kWTA gives up after 16 × crossingSteps steps (fewer than k positive scores)' },
  gateWeight: { unit: 'weight', default: 16, source: 'assumption: key → gate synapse weight (gate threshold 16k − 8 counts k first spikes)' },
  inhibitWeight: { unit: 'weight', default: -255, source: 'Loihi 8-bit weight range; with weight_exp 6 one spike puts −1.04·10⁶ into u, ≫ the largest bias 4095' },
  inhibitExp: { unit: 'weight_exp', default: 6, source: 'see inhibitWeight' },
} as const satisfies Record<string, KwtaParamDecl>;

/**
 * Crossbar arrays of the model: NeuroSim-style 128 × 128 sub-arrays, 8-bit weights on 2-bit cells
 * (4 slices, reference column), 9-bit SAR ADC so that 128 rows × 3 levels (= 384) convert losslessly
 * (assumption: a lossless ADC, so attention errors come from 8-bit quantisation only).
 */
const XBAR_BASE = { rows: 128, cols: 128, cellBits: 2, weightBits: 8, adcBits: 9 } as const;

export interface KwtaOptions {
  tokens?: number;
  dModel?: number;
  k?: number;
  seed?: number;
  arch: Arch;
  /** Override the latency-code resolution (steps for a +1σ score to cross threshold). */
  crossingSteps?: number;
}

export interface KwtaRun {
  workload: AttentionWorkload;
  k: number;
  /** Winning token indices in firing order (ties within a step: index order). */
  winners: number[];
  /** Step of each winner's spike (1-based), same order. */
  winnerSteps: number[];
  /** Step at which the gate fired (0 if it never did). */
  gateStep: number;
  /** kWTA steps run. */
  steps: number;
  /** The hardware's output: Σ over winners of their 8-bit values (d_model integers). */
  output: Int32Array;
  /** Score crossbar output per token (integers). */
  scores: Int32Array;
  /** Requantisation shifts used (projections, score → bias). */
  shifts: { activation: number; bias: number; vth: number };
  crossbarArrays: number;
  /** Cells written at run time (K and V of the sequence). */
  crossbarCellsWritten: number;
  /** Cells programmed once at model load (projection weights, value-array clear); not charged to the query. */
  modelLoadCells: number;
  /** Latency of the crossbar phases before the kWTA and of the output MVM, ps. */
  crossbarLatencyPs: { before: number; after: number };
  activity: ActivityCounts;
  denseTask: DenseTaskSpec;
  report: Report;
}

function requant(y: number, shift: number): number {
  const r = shift > 0 ? Math.floor((y + 2 ** (shift - 1)) / 2 ** shift) : y;
  return r < -128 ? -128 : r > 127 ? 127 : r;
}

function quantWeights(w: Float64Array, scale: number): Int32Array {
  const out = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const r = Math.round(w[i] * scale);
    out[i] = r < -128 ? -128 : r > 127 ? 127 : r;
  }
  return out;
}

/** The task-equivalent dense computation: softmax attention of one query over the sequence, projections included. */
export function kwtaDenseTask(tokens: number, d: number): DenseTaskSpec {
  const projMacs = (2 * tokens + 1) * d * d;
  const macs = projMacs + 2 * tokens * d + tokens;
  // int8 weights of three projections, int8 token inputs, K and V written and read back (int8),
  // scores and softmax weights (fp32, written + read), output (fp32)
  const bytes = 3 * d * d + (tokens + 1) * d + 2 * 2 * tokens * d + 2 * 2 * 4 * tokens + 4 * d;
  return {
    name: 'softmax attention, one query',
    description: `Q/K/V projections of ${tokens} tokens + query (d_model ${d}), ${tokens} scores, softmax, weighted sum of ${tokens} values`,
    macs,
    bytes,
    precision: 'int8',
    passes: 3,
  };
}

/** Run the attention block on the emulated hardware. */
export function runKwtaAttention(opts: KwtaOptions): KwtaRun {
  const P = KWTA_PARAMS;
  const T = opts.tokens ?? P.tokens.default;
  const d = opts.dModel ?? P.dModel.default;
  const k = opts.k ?? P.k.default;
  const seed = opts.seed ?? 1;
  const crossing = opts.crossingSteps ?? P.crossingSteps.default;
  const bad: { where: string; message: string }[] = [];
  if (!(Number.isInteger(T) && T >= 1)) bad.push({ where: 'tokens', message: `${T} is not a positive integer` });
  if (!(Number.isInteger(d) && d >= 8 && d <= 4096)) bad.push({ where: 'dModel', message: `${d} is outside 8..4096` });
  if (!(Number.isInteger(k) && k >= 1 && k <= T)) bad.push({ where: 'k', message: `${k} must be a whole number from 1 to tokens (${T})` });
  if (bad.length) throw new InputError('<kwta-attention>', bad);
  const wl = makeAttentionWorkload(T, d, seed);

  // fixed-point scaling, from the shape only (never from the data). Weights have σ = 1/sqrt(active)
  // (workload.ts) and are quantised at weightScale levels per σ; a projection sums `active` of them,
  // so its integer output has σ = weightScale · sqrt(active) levels.
  const wScale = P.weightScale.default * Math.sqrt(wl.active);
  const projStd = P.weightScale.default * Math.sqrt(wl.active);
  const actShift = Math.max(0, Math.round(Math.log2(projStd / P.activationStd.default)));
  const act8Std = projStd / 2 ** actShift;
  const scoreStd = act8Std * act8Std * Math.sqrt(d);
  const biasShift = Math.max(0, Math.round(Math.log2(scoreStd / P.biasStd.default)));
  const biasStd = scoreStd / 2 ** biasShift;
  const vth = Math.max(1, Math.min(2 ** 17 - 1, Math.round((crossing * biasStd) / 64)));

  const spikeParams: CrossbarParams = makeCrossbarParams({ ...XBAR_BASE, inputBits: 1, signedInputs: false });
  const scoreParams: CrossbarParams = makeCrossbarParams({ ...XBAR_BASE, inputBits: 8, signedInputs: true });
  const stats = new CrossbarStats();
  let arrayId = 0;
  const matrix = (params: CrossbarParams, rows: number, cols: number): TiledMatrix => {
    const m = new TiledMatrix(params, { rows, cols, seed, arrayIdBase: arrayId, stats });
    arrayId += m.arrayCount;
    return m;
  };
  const projQ = matrix(spikeParams, d, d);
  const projK = matrix(spikeParams, d, d);
  const projV = matrix(spikeParams, d, d);
  const scoreXb = matrix(scoreParams, d, T);
  const valueXb = matrix(spikeParams, T, d);
  // model load: the projection weights are programmed and the value array cleared once, before any
  // query; these writes are reported apart (modelLoadCells) and not charged to the query
  projQ.program(quantWeights(wl.wq, wScale));
  projK.program(quantWeights(wl.wk, wScale));
  projV.program(quantWeights(wl.wv, wScale));
  valueXb.program(new Int32Array(T * d));
  const modelLoadCells = stats.counts[CROSSBAR_ACTIONS.indexOf('crossbar.write')];
  stats.reset();
  const rowWritePs = valueXb.tiles[0].costs.cellWrite.latencyPs;
  const shiftAddIdx = CROSSBAR_ACTIONS.indexOf('crossbar.shift_add');
  const requantFJ = valueXb.tiles[0].costs.shiftAdd.energyFJ;

  // phase 1–2: tokens stream in; K and V projected, V written row by row, K kept for the score array
  const xin = new Int32Array(d);
  const y = new Int32Array(d);
  const row8 = new Int32Array(d);
  const kT = new Int32Array(d * T);
  let before = 0;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < d; i++) xin[i] = wl.x[t * d + i];
    const lk = projK.mvm(xin, y);
    for (let i = 0; i < d; i++) kT[i * T + t] = requant(y[i], actShift);
    const lv = projV.mvm(xin, y);
    for (let i = 0; i < d; i++) row8[i] = requant(y[i], actShift);
    valueXb.writeRow(t, row8);
    // K and V projections run on separate arrays in parallel; then the V row write
    before += Math.max(lk, lv) + rowWritePs;
  }
  stats.add(shiftAddIdx, 2 * T * d, 2 * T * d * requantFJ); // requantisation (shift + round + saturate) in the periphery
  // the query
  for (let i = 0; i < d; i++) xin[i] = wl.xq[i];
  before += projQ.mvm(xin, y);
  const q8 = new Int32Array(d);
  for (let i = 0; i < d; i++) q8[i] = requant(y[i], actShift);
  stats.add(shiftAddIdx, d, d * requantFJ);
  // Kᵀ into the score crossbar: one row write per d_model row, tiles written in parallel
  scoreXb.program(kT);
  before += Math.min(d, scoreParams.rows) * rowWritePs;
  // phase 3: scores
  const scores = new Int32Array(T);
  before += scoreXb.mvm(q8, scores);

  // phase 4: k-WTA on spiking compartments
  const bias = new Array<number>(T);
  for (let t = 0; t < T; t++) {
    const b = Math.floor(scores[t] / 2 ** biasShift);
    bias[t] = b < -4096 ? -4096 : b > 4095 ? 4095 : b;
  }
  stats.add(shiftAddIdx, T, T * requantFJ);
  const net = new NetworkBuilder({ name: 'kwta-attention', dt: 1e-3, seed });
  net.lif('key', T, { du: 0, dv: 0, vth, bias_mant: bias, bias_exp: 0 });
  net.lif('gate', 1, { du: 4095, dv: 0, vth: P.gateWeight.default * k - P.gateWeight.default / 2, refractory: 63 });
  net.project('key', 'gate', { name: 'count', weights: [new Array<number>(T).fill(P.gateWeight.default)] });
  net.project('gate', 'key', { name: 'inhibit', weights: Array.from({ length: T }, () => [P.inhibitWeight.default]), weight_exp: P.inhibitExp.default });
  net.project('key', 'key', { name: 'self', synapses: Array.from({ length: T }, (_, t) => [t, t, P.inhibitWeight.default]), weight_exp: P.inhibitExp.default });
  const sim = prepare(net.build(), opts.arch, { source: 'model kwta-attention' });
  const keyOff = sim.net.populations.find((p) => p.name === 'key')!.offset;
  const gateIdx = sim.net.populations.find((p) => p.name === 'gate')!.offset;
  const emu = sim.emulator;
  const maxSteps = crossing * P.maxStepsFactor.default;
  const winners: number[] = [];
  const winnerSteps: number[] = [];
  const fired = new Uint8Array(T);
  let gateStep = 0;
  const stepKeys = new Int32Array(T); // keys first firing in the current step (no allocation per step)
  while (emu.stepsDone < maxSteps && gateStep === 0) {
    emu.step();
    let nk = 0;
    for (let s = 0; s < emu.stepSpikeCount; s++) {
      const g = emu.stepSpikes[s];
      if (g === gateIdx) gateStep = emu.stepsDone;
      else if (g >= keyOff && g < keyOff + T && !fired[g - keyOff]) stepKeys[nk++] = g - keyOff;
    }
    // ties within a step in index order (insertion sort of the few keys of this step)
    for (let i = 1; i < nk; i++) {
      const v = stepKeys[i];
      let j = i - 1;
      for (; j >= 0 && stepKeys[j] > v; j--) stepKeys[j + 1] = stepKeys[j];
      stepKeys[j + 1] = v;
    }
    for (let i = 0; i < nk; i++) {
      fired[stepKeys[i]] = 1;
      winners.push(stepKeys[i]);
      winnerSteps.push(emu.stepsDone);
    }
  }

  // phase 5: Σ winners' values through the value crossbar
  const sel = new Int32Array(T);
  for (const t of winners) sel[t] = 1;
  const output = new Int32Array(d);
  const after = valueXb.mvm(sel, output);

  const activity = emu.activity();
  stats.addTo(activity.totals);
  const crossbarArrays = projQ.arrayCount + projK.arrayCount + projV.arrayCount + scoreXb.arrayCount + valueXb.arrayCount;
  activity.hardware = { ...activity.hardware, crossbarsUsed: crossbarArrays };
  activity.stepDurationPs[0] += before;
  activity.stepDurationPs[activity.steps - 1] += after;
  const denseTask = kwtaDenseTask(T, d);
  const report = buildReport(activity, loadEnergyTable(DEFAULT_ENERGY_PRESET), {
    run: `kwta-attention (${T} tokens, d_model ${d}, k ${k})`,
    denseTask,
    assumptions: [
      'kwta-attention: the crossbar phases (projections, run-time writes, score MVM) are charged to the first kWTA step and the output MVM to the last',
      'kwta-attention: score currents enter the key compartments as bias (no crossbar-backed projection in the engine yet)',
      `kwta-attention: the ${modelLoadCells} cells programmed at model load (projection weights, value-array clear) are not charged to the query; the run-time K and V writes are`,
    ],
  });
  return {
    workload: wl,
    k,
    winners,
    winnerSteps,
    gateStep,
    steps: emu.stepsDone,
    output,
    scores,
    shifts: { activation: actShift, bias: biasShift, vth },
    crossbarArrays,
    crossbarCellsWritten: stats.counts[CROSSBAR_ACTIONS.indexOf('crossbar.write')],
    modelLoadCells,
    crossbarLatencyPs: { before, after },
    activity,
    denseTask,
    report,
  };
}
