/**
 * The `learning:` block of a plastic projection in the network spec, declared once and validated
 * with the shared Checker:
 *
 *   learning:
 *     rule: dw = 2^-2*x1*y0 - 2^-2*y1*x0
 *     epoch: 2              # steps, 1..63
 *     rounding: stochastic  # stochastic | nearest | floor
 *     traces:
 *       x1: { impulse: 16, tau: 10 }     # or { impulse: 16, decay: 400 }  (decay in 1/4096)
 *       y1: { impulse: 16, tau: 10 }
 */
import { InputError } from '../../errors.js';
import type { Checker, Path } from '../../spec/validate.js';
import { ROUNDINGS, type Rounding } from './compile.js';
import type { LearningParams } from './engine.js';
import { parseRule, TRACE_NAMES, type TraceName } from './rule.js';
import { decayFromTau, type TraceParams } from './traces.js';
import { DECAY_ONE, EPOCH_MAX, EPOCH_MIN, TRACE_MAX } from './widths.js';

/** One declared parameter of the learning block (drives validation, `aerie info` and docs). */
export interface LearningParamDecl {
  /** Path inside `learning:`; `traces.<x1|x2|y1|y2|y3>.…` for per-trace parameters. */
  path: string;
  unit: string;
  description: string;
  default: number | string;
  min?: number;
  max?: number;
  /** Where the value or range comes from; "assumption" when aerie chose it. */
  source: string;
}

const D18 = 'Davies et al., IEEE Micro 2018';
const LAVA = 'Lava lava/magma/core/learning (LearningRule, constants.py)';

export const LEARNING_PARAMS: readonly LearningParamDecl[] = [
  { path: 'rule', unit: '', description: 'sum-of-products rule text, e.g. dw = 2^-2*x1*y0 - 2^-2*y1*x0 (see docs/LEARNING.md)', default: '', source: `${D18}; ${LAVA} string rules` },
  { path: 'epoch', unit: 'steps', description: 'learning epoch: the rule is applied when step % epoch == 0', default: 1, min: EPOCH_MIN, max: EPOCH_MAX, source: `${D18} (6-bit epoch, 2–8 typical); Lava t_epoch default 1` },
  { path: 'rounding', unit: '', description: 'rounding of traces and learned values: stochastic (seeded), nearest, floor', default: 'stochastic', source: `${D18} (stochastic rounding); nearest/floor: aerie` },
  { path: 'traces.*.impulse', unit: 'trace units', description: 'added to the trace on a spike (7 fractional bits)', default: 0, min: 0, max: TRACE_MAX, source: `${LAVA} x1_impulse … y3_impulse` },
  { path: 'traces.*.tau', unit: 'steps', description: 'decay time constant; decay = round(4096·(1 − e^(−1/tau))), 0 = no decay', default: 0, min: 0, max: 1e6, source: `${LAVA} x1_tau … y3_tau; per-step fixed-point form: aerie` },
  { path: 'traces.*.decay', unit: '1/4096 per step', description: 'per-step decay, instead of tau', default: 0, min: 0, max: DECAY_ONE, source: 'aerie (same 12-bit form as the compartment du/dv)' },
];

const BLOCK_KEYS = ['rule', 'epoch', 'rounding', 'traces'];
const TRACE_KEYS = ['impulse', 'tau', 'decay'];

/**
 * Validate a `learning:` block at `path`. Problems (including rule syntax errors, reported as
 * `…learning.rule: col 12: …`) go to the checker; returns the resolved parameters when valid.
 */
export function checkLearning(ck: Checker, v: unknown, path: Path): LearningParams | undefined {
  const before = ck.problems.length;
  const rec = ck.object(v, path, BLOCK_KEYS, ['rule']);
  if (!rec) return undefined;
  let rule: LearningParams['rule'] | undefined;
  const text = ck.string(rec.rule, [...path, 'rule']);
  if (text !== undefined) {
    try {
      rule = parseRule(text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const p of e.problems) ck.fail([...path, 'rule'], `${p.where}: ${p.message}`);
    }
  }
  const epoch = rec.epoch === undefined ? 1 : ck.integer(rec.epoch, [...path, 'epoch'], EPOCH_MIN, EPOCH_MAX);
  const rounding: Rounding | undefined = rec.rounding === undefined ? 'stochastic' : ck.oneOf(rec.rounding, [...path, 'rounding'], ROUNDINGS);
  const traces = {} as Record<TraceName, TraceParams>;
  for (const name of TRACE_NAMES) traces[name] = { impulse: 0, decay: 0 };
  if (rec.traces !== undefined) {
    const tr = ck.object(rec.traces, [...path, 'traces'], TRACE_NAMES);
    if (tr) {
      for (const name of TRACE_NAMES) {
        if (tr[name] === undefined) continue;
        const tp = [...path, 'traces', name];
        const t = ck.object(tr[name], tp, TRACE_KEYS);
        if (!t) continue;
        const impulse = t.impulse === undefined ? 0 : ck.number(t.impulse, [...tp, 'impulse'], 0, TRACE_MAX);
        if (t.tau !== undefined && t.decay !== undefined) ck.fail(tp, "give either 'tau' or 'decay', not both");
        let decay: number | undefined = 0;
        if (t.tau !== undefined) {
          const tau = ck.number(t.tau, [...tp, 'tau'], 0, 1e6, ' steps');
          decay = tau === undefined ? undefined : decayFromTau(tau);
        } else if (t.decay !== undefined) {
          decay = ck.integer(t.decay, [...tp, 'decay'], 0, DECAY_ONE);
        }
        if (impulse !== undefined && decay !== undefined) traces[name] = { impulse, decay };
      }
    }
  }
  if (ck.problems.length !== before || !rule || epoch === undefined || rounding === undefined) return undefined;
  return { rule, epoch, traces, rounding };
}
