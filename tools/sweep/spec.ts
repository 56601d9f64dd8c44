/**
 * The sweep spec (`format: aerie-sweep/1`): a base run and axes of overrides, expanded into one
 * fully resolved point configuration per run.
 *
 *   format: aerie-sweep/1
 *   name: mesh-size
 *   base:
 *     network: ../firmware-models/examples/ei-network.yaml   # path (relative to this file) or inline map
 *     arch: loihi                # preset name, arch file (relative to this file) or inline map
 *     steps: 100
 *     seed: 7                    # optional: overrides the network's seed
 *     placement: mesh            # mesh | traffic
 *   axes:                        # in order; each a list or {from, to, step}
 *     core.compartments: [256, 512, 1024]
 *     seed: {from: 1, to: 4}
 *     network.populations.exc.params.vth: [2000, 3000]
 *   combine: crossed             # crossed (every combination, default) | zipped (equal lengths)
 *
 * Axis paths: any architecture parameter (ARCH_PARAMS, e.g. `board.chips_x`), `preset`, `seed`,
 * `steps`, `placement`, or `network.<path>` into the network spec, where a list element that has a
 * `name` can be addressed by that name (`network.projections.in_exc.connect.p`) or by index.
 *
 * Every point's configuration is plain data holding everything the run depends on (the network
 * after overrides, every architecture value, steps, placement, and the aerie version); its SHA-256
 * (`hashJson`) is the point's key for resuming and for idempotent distributed results.
 */
import * as path from 'node:path';
import {
  ARCH_FORMAT,
  ARCH_PARAMS,
  Checker,
  PRESETS,
  parseStructured,
  presetArch,
  validateArch,
  validateNetwork,
  type NetworkSpec,
  type PresetName,
} from '../../emulator/index.js';
import { InputError, type Problem } from '../../emulator/errors.js';
import { readInputText } from '../../emulator/util/files.js';
import type { Path } from '../../emulator/spec/validate.js';
import type { StructuredText } from '../../emulator/spec/structured.js';
import { hashJson } from '../../emulator/trace/hash.js';
import * as fs from 'node:fs';
import { packageRoot } from '../commands/run.js';

let version: string | undefined;
/** This aerie's version (package.json): part of every point's configuration, so results never cross versions. */
export function aerieVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export const SWEEP_FORMAT = 'aerie-sweep/1';
export const POINT_FORMAT = 'aerie-sweep-point/1';
export const PLACEMENTS = ['mesh', 'traffic'] as const;
export type PlacementName = (typeof PLACEMENTS)[number];
export const MAX_SWEEP_STEPS = 100_000_000;
/** Largest number of points one sweep may expand to (guards against a typo'd range). */
export const MAX_POINTS = 100_000;
/** Largest number of values one range axis may produce. */
const MAX_AXIS_VALUES = MAX_POINTS;

export type AxisValue = number | string;

export interface Axis {
  /** Dotted path as written, e.g. `core.compartments`. */
  path: string;
  values: AxisValue[];
}

/** Everything one run depends on (the hashed, canonical configuration). */
export interface PointConfig {
  format: typeof POINT_FORMAT;
  /** The aerie version that resolved the point (emulator changes between versions can change results). */
  aerie: string;
  network: NetworkSpec;
  arch: { preset: PresetName; values: Record<string, number> };
  steps: number;
  placement: PlacementName;
}

export interface SweepPoint {
  /** 0-based position in the sweep's expansion order. */
  index: number;
  /** sha256 of the canonical configuration. */
  key: string;
  /** Axis path → value of this point. */
  values: Record<string, AxisValue>;
  config: PointConfig;
}

export interface Sweep {
  name: string;
  source: string;
  combine: 'crossed' | 'zipped';
  axes: Axis[];
  points: SweepPoint[];
  /** sha256 identifying the sweep as a whole (its points' keys in order). */
  id: string;
}

const TOP_KEYS = ['format', 'name', 'description', 'base', 'axes', 'combine'] as const;
const BASE_KEYS = ['network', 'arch', 'steps', 'seed', 'placement'] as const;
const SPECIAL_AXES = ['preset', 'seed', 'steps', 'placement'] as const;

/** A StructuredText view of a sub-tree (so nested validators report line:col of the outer file). */
function subText(doc: StructuredText, prefix: Path, data: unknown): StructuredText {
  return { data, locate: (p) => doc.locate([...prefix, ...p]) };
}

/** Copy a nested checker's problems into the outer one, prefixing their field paths. */
function adopt(outer: Checker, inner: Checker, prefix: string): void {
  for (const p of inner.problems) outer.problems.push({ where: !p.where || p.where.startsWith(' ') ? prefix + p.where : `${prefix}.${p.where}`, message: p.message });
}

/** Read and expand a sweep file. Throws InputError listing every problem. */
export function loadSweepFile(file: string): Sweep {
  return parseSweep(readInputText(file), file, path.dirname(path.resolve(file)));
}

/** Parse a sweep from text; relative file names resolve against `baseDir`. */
export function parseSweep(text: string, source: string, baseDir: string, readFile: (f: string) => string = readInputText): Sweep {
  const doc = parseStructured(text, source);
  const ck = new Checker(source, doc);
  const root = ck.object(doc.data, [], TOP_KEYS, ['format', 'base', 'axes']);
  if (!root) ck.throwIfAny();
  const r = root!;
  if (r.format !== undefined && r.format !== SWEEP_FORMAT) ck.fail(['format'], `expected '${SWEEP_FORMAT}', got ${JSON.stringify(r.format)}`);
  const name = r.name === undefined ? path.basename(source).replace(/\.(ya?ml|json)$/i, '') : (ck.string(r.name, ['name']) ?? '');
  if (r.description !== undefined) ck.string(r.description, ['description']);
  const combine = r.combine === undefined ? 'crossed' : ck.oneOf(r.combine, ['combine'], ['crossed', 'zipped'] as const);

  // base run
  const base = r.base === undefined ? undefined : ck.object(r.base, ['base'], BASE_KEYS, ['network']);
  let network: NetworkSpec | undefined;
  let preset: PresetName = 'loihi';
  const archOverrides: Record<string, number> = {};
  let steps = 100;
  let placement: PlacementName = 'mesh';
  if (base) {
    network = loadBaseNetwork(base.network, ck, doc, baseDir, readFile);
    if (base.arch !== undefined) {
      const a = loadBaseArch(base.arch, ck, doc, baseDir, readFile);
      if (a) {
        preset = a.preset;
        Object.assign(archOverrides, a.overrides);
      }
    }
    if (base.steps !== undefined) steps = ck.integer(base.steps, ['base', 'steps'], 1, MAX_SWEEP_STEPS) ?? steps;
    if (base.seed !== undefined) {
      const s = ck.integer(base.seed, ['base', 'seed'], 0, 2 ** 32 - 1);
      if (s !== undefined && network) network.seed = s;
    }
    if (base.placement !== undefined) placement = ck.oneOf(base.placement, ['base', 'placement'], PLACEMENTS) ?? placement;
  }

  // axes
  const axes: Axis[] = [];
  const axesRec = r.axes === undefined ? undefined : ck.object(r.axes, ['axes'], Object.keys((r.axes as object) ?? {}));
  if (axesRec) {
    const entries = Object.entries(axesRec);
    if (entries.length === 0) ck.fail(['axes'], 'give at least one axis (path: [values] or path: {from, to, step})');
    for (const [p, spec] of entries) {
      const values = axisValues(spec, ['axes', p], ck);
      if (!values) continue;
      if (checkAxis(p, values, ck, network)) axes.push({ path: p, values });
    }
  }
  if (combine === 'zipped' && axes.length > 1) {
    const n = axes[0].values.length;
    for (const a of axes) if (a.values.length !== n) ck.fail(['axes', a.path], `zipped axes need equal lengths: ${a.values.length} values here, ${n} in '${axes[0].path}'`);
  }
  if (ck.ok) {
    const count = combine === 'zipped' ? (axes[0]?.values.length ?? 0) : axes.reduce((n, a) => n * a.values.length, 1);
    if (count > MAX_POINTS) ck.fail(['axes'], `${count} points is more than the ${MAX_POINTS} one sweep may hold`);
  }
  ck.throwIfAny();

  // expand and resolve every point
  const combos = combine === 'zipped' ? zip(axes) : cross(axes);
  const points: SweepPoint[] = [];
  const problems: Problem[] = [];
  combos.forEach((values, index) => {
    const config = resolvePoint(network!, preset, archOverrides, steps, placement, values, problems, source);
    if (config) points.push({ index, key: hashJson(config, source), values, config });
  });
  if (problems.length) throw new InputError(source, problems.slice(0, 50));
  return { name, source, combine: combine ?? 'crossed', axes, points, id: hashJson(points.map((p) => p.key)) };
}

function loadBaseNetwork(v: unknown, ck: Checker, doc: StructuredText, baseDir: string, readFile: (f: string) => string): NetworkSpec | undefined {
  if (v === undefined) return undefined;
  let data: unknown;
  let text: StructuredText;
  let label: string;
  if (typeof v === 'string') {
    const file = path.resolve(baseDir, v);
    try {
      text = parseStructured(readFile(file), v);
    } catch (err) {
      if (err instanceof InputError) {
        for (const p of err.problems) ck.fail(['base', 'network'], `${err.source}${p.where ? `: ${p.where}` : ''}: ${p.message}`);
        return undefined;
      }
      throw err;
    }
    data = text.data;
    label = v;
  } else {
    data = v;
    text = subText(doc, ['base', 'network'], v);
    label = 'base.network';
  }
  const inner = new Checker(label, text);
  const net = validateNetwork(data, inner);
  if (typeof v === 'string') for (const p of inner.problems) ck.fail(['base', 'network'], `${label}: ${p.where}: ${p.message}`);
  else adopt(ck, inner, 'base.network');
  return net ? (structuredClone(net) as NetworkSpec) : undefined;
}

function loadBaseArch(
  v: unknown,
  ck: Checker,
  doc: StructuredText,
  baseDir: string,
  readFile: (f: string) => string,
): { preset: PresetName; overrides: Record<string, number> } | undefined {
  if (typeof v === 'string' && v in PRESETS) return { preset: v as PresetName, overrides: {} };
  let data: unknown;
  let text: StructuredText;
  let label: string;
  if (typeof v === 'string') {
    const file = path.resolve(baseDir, v);
    try {
      text = parseStructured(readFile(file), v);
    } catch (err) {
      if (err instanceof InputError) {
        for (const p of err.problems) ck.fail(['base', 'arch'], `${err.source}${p.where ? `: ${p.where}` : ''}: ${p.message} (base.arch is a preset: ${Object.keys(PRESETS).join(', ')}, an arch file, or a map)`);
        return undefined;
      }
      throw err;
    }
    data = text.data;
    label = v;
  } else {
    // an inline map is an arch spec whose `format` line may be left out
    data = v !== null && typeof v === 'object' && !Array.isArray(v) && !('format' in v) ? { format: ARCH_FORMAT, ...v } : v;
    text = subText(doc, ['base', 'arch'], data);
    label = 'base.arch';
  }
  const inner = new Checker(label, text);
  const spec = validateArch(data, inner);
  if (typeof v === 'string') for (const p of inner.problems) ck.fail(['base', 'arch'], `${label}: ${p.where}: ${p.message}`);
  else adopt(ck, inner, 'base.arch');
  if (!spec) return undefined;
  const overrides: Record<string, number> = {};
  for (const k of Object.keys(spec.overridden)) overrides[k] = spec.values[k];
  return { preset: spec.preset, overrides };
}

/** An axis's values: a non-empty list of numbers/strings, or a range {from, to, step}. */
function axisValues(spec: unknown, p: Path, ck: Checker): AxisValue[] | undefined {
  if (Array.isArray(spec)) {
    if (spec.length === 0) return ck.fail(p, 'an axis needs at least one value');
    const out: AxisValue[] = [];
    spec.forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else {
        const n = ck.number(v, [...p, i]);
        if (n !== undefined) out.push(n);
      }
    });
    return out.length === spec.length ? out : undefined;
  }
  if (spec !== null && typeof spec === 'object') {
    const rec = ck.object(spec, p, ['from', 'to', 'step'], ['from', 'to']);
    if (!rec) return undefined;
    const from = ck.number(rec.from, [...p, 'from']);
    const to = ck.number(rec.to, [...p, 'to']);
    const step = rec.step === undefined ? 1 : ck.number(rec.step, [...p, 'step']);
    if (from === undefined || to === undefined || step === undefined) return undefined;
    if (step === 0 || (to - from) / step < 0) return ck.fail([...p, 'step'], `step ${step} never reaches ${to} from ${from}`);
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_AXIS_VALUES) return ck.fail(p, `range has ${n} values, more than ${MAX_AXIS_VALUES}`);
    const out: number[] = [];
    // from + i*step (not repeated addition) so 0.1 steps do not drift; round away binary noise
    for (let i = 0; i < n; i++) out.push(Number((from + i * step).toPrecision(12)));
    return out;
  }
  return ck.fail(p, `expected a list of values or a range {from, to, step}, got ${describeValue(spec)}`);
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v}'`;
  return typeof v === 'number' ? String(v) : typeof v;
}

/** All axis paths a sweep may use besides `network.<path>`. */
export function knownAxisPaths(): string[] {
  return [...SPECIAL_AXES, ...ARCH_PARAMS.map((d) => d.path)];
}

/** Check an axis path exists and its values have the right type and range. */
function checkAxis(p: string, values: AxisValue[], ck: Checker, network: NetworkSpec | undefined): boolean {
  const at = (i: number): Path => ['axes', p, i];
  const before = ck.problems.length;
  if (p === 'preset') values.forEach((v, i) => ck.oneOf(v, at(i), Object.keys(PRESETS)));
  else if (p === 'placement') values.forEach((v, i) => ck.oneOf(v, at(i), PLACEMENTS));
  else if (p === 'seed') values.forEach((v, i) => ck.integer(v, at(i), 0, 2 ** 32 - 1));
  else if (p === 'steps') values.forEach((v, i) => ck.integer(v, at(i), 1, MAX_SWEEP_STEPS));
  else if (p.startsWith('network.')) {
    if (network) {
      const where = resolveNetworkPath(network, p.slice('network.'.length).split('.'));
      if (typeof where === 'string') ck.fail(['axes', p], where);
    }
  } else {
    const decl = ARCH_PARAMS.find((d) => d.path === p);
    if (!decl) {
      const hint = closestPath(p, knownAxisPaths());
      ck.fail(['axes', p], `unknown axis path${hint ? ` (did you mean '${hint}'?)` : ''}; use an architecture parameter (aerie info lists them), ${SPECIAL_AXES.join(', ')}, or network.<path>`);
    } else values.forEach((v, i) => (decl.integer ? ck.integer(v, at(i), decl.min, decl.max) : ck.number(v, at(i), decl.min, decl.max)));
  }
  return ck.problems.length === before;
}

function closestPath(word: string, choices: string[]): string | undefined {
  // a cheap did-you-mean: same last segment, or the choice sharing the longest prefix
  const last = word.split('.').pop()!;
  const same = choices.find((c) => c.split('.').pop() === last);
  if (same) return same;
  let best: string | undefined;
  let bestLen = 3;
  for (const c of choices) {
    let k = 0;
    while (k < c.length && k < word.length && c[k] === word[k]) k++;
    if (k > bestLen) {
      bestLen = k;
      best = c;
    }
  }
  return best;
}

type Container = Record<string, unknown> | unknown[];

/**
 * Find the container and key a `network.<path>` override writes to: every segment but the last
 * must exist; a list element is named by index or by its `name`. Returns a message when it does
 * not resolve.
 */
function resolveNetworkPath(net: unknown, segs: string[]): { parent: Container; key: string | number } | string {
  let cur: unknown = net;
  const walked: string[] = ['network'];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s === '') return `empty segment in the path after '${walked.join('.')}'`;
    let parent: Container;
    let key: string | number;
    if (Array.isArray(cur)) {
      parent = cur;
      if (/^\d+$/.test(s)) {
        key = Number(s);
        if (key >= cur.length) return `'${walked.join('.')}' has ${cur.length} entries; there is no [${s}]`;
      } else {
        const idx = cur.findIndex((e) => e !== null && typeof e === 'object' && (e as { name?: unknown }).name === s);
        if (idx < 0) {
          const names = cur.map((e) => (e as { name?: unknown })?.name).filter((n) => typeof n === 'string');
          return `'${walked.join('.')}' has no entry named '${s}'${names.length ? ` (names: ${names.join(', ')})` : ''}`;
        }
        key = idx;
      }
    } else if (cur !== null && typeof cur === 'object') {
      parent = cur as Record<string, unknown>;
      key = s;
      if (i < segs.length - 1 && (parent as Record<string, unknown>)[s] === undefined) {
        const keys = Object.keys(parent);
        return `'${walked.join('.')}' has no '${s}'${keys.length ? ` (keys: ${keys.join(', ')})` : ''}`;
      }
    } else return `'${walked.join('.')}' is a value, not a map or list; cannot go into '${s}'`;
    if (i === segs.length - 1) return { parent, key };
    cur = (parent as Record<string | number, unknown>)[key];
    walked.push(s);
  }
  return 'empty path';
}

function cross(axes: Axis[]): Record<string, AxisValue>[] {
  let out: Record<string, AxisValue>[] = [{}];
  for (const a of axes) {
    const next: Record<string, AxisValue>[] = [];
    for (const o of out) for (const v of a.values) next.push({ ...o, [a.path]: v });
    out = next;
  }
  return out;
}

function zip(axes: Axis[]): Record<string, AxisValue>[] {
  const n = axes[0]?.values.length ?? 0;
  const out: Record<string, AxisValue>[] = [];
  for (let i = 0; i < n; i++) {
    const o: Record<string, AxisValue> = {};
    for (const a of axes) o[a.path] = a.values[i];
    out.push(o);
  }
  return out;
}

/** Apply one point's axis values to the base run; network overrides are re-validated. */
function resolvePoint(
  baseNet: NetworkSpec,
  basePreset: PresetName,
  archOverrides: Record<string, number>,
  baseSteps: number,
  basePlacement: PlacementName,
  values: Record<string, AxisValue>,
  problems: Problem[],
  source: string,
): PointConfig | undefined {
  const preset = (values.preset as PresetName | undefined) ?? basePreset;
  const arch = presetArch(preset).values;
  Object.assign(arch, archOverrides);
  const network = structuredClone(baseNet);
  let steps = baseSteps;
  let placement = basePlacement;
  let netTouched = false;
  for (const [p, v] of Object.entries(values)) {
    if (p === 'preset') continue;
    else if (p === 'seed') network.seed = v as number;
    else if (p === 'steps') steps = v as number;
    else if (p === 'placement') placement = v as PlacementName;
    else if (p.startsWith('network.')) {
      const r = resolveNetworkPath(network, p.slice('network.'.length).split('.'));
      if (typeof r === 'string') problems.push({ where: `axes.${p}`, message: r });
      else {
        (r.parent as Record<string | number, unknown>)[r.key] = v;
        netTouched = true;
      }
    } else arch[p] = v as number;
  }
  if (netTouched) {
    const ck = new Checker('<network>');
    validateNetwork(network, ck);
    if (!ck.ok) {
      const desc = Object.entries(values)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      for (const pr of ck.problems) problems.push({ where: `point (${desc})`, message: `network: ${pr.where}: ${pr.message}` });
      return undefined;
    }
  }
  return { format: POINT_FORMAT, aerie: aerieVersion(), network, arch: { preset, values: arch }, steps, placement };
}
