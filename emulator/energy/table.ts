/**
 * Energy tables: component → action → energy per event, every entry with its source
 * (Accelergy's "energy reference table" shape). Energies are stored exactly as integer
 * femtojoules so that pricing integer counts gives exact integer totals, independent of the
 * order events happened in. Static power is stored as integer nanowatts (tables are written
 * in µW with at most three decimals).
 *
 * A source string that starts with `assumption` marks an entry for which no published figure
 * exists; reports list every such entry.
 *
 * User tables are YAML/JSON (`format: aerie-energy/1`), may `extends:` a preset, and are
 * validated with the shared Checker (unknown components/actions/keys with did-you-mean hints,
 * negative/NaN energies, missing sources), each problem with its field path and line:col.
 */
import { ACTIONS, type ActionId } from './activity.js';
import { Checker, type Path } from '../spec/validate.js';
import { parseStructured } from '../spec/structured.js';
import { readInputText } from '../util/files.js';

/** Hardware components that own actions (the prefix of an ActionId). */
export const COMPONENTS = ['core', 'noc', 'sync', 'crossbar'] as const;
export type Component = (typeof COMPONENTS)[number];

/** Parts of the hardware charged static (leakage) power while powered. */
export const STATIC_PARTS = {
  core: { unit: 'µW per powered core', description: 'leakage of one neurocore in use (SRAM + logic)' },
  router: { unit: 'µW per powered router', description: 'leakage of one mesh router in use' },
  chip: { unit: 'µW per chip', description: 'chip-level always-on power (clocking, management cores, I/O)' },
  crossbar: { unit: 'µW per powered crossbar', description: 'leakage of one crossbar array and its periphery' },
} as const;
export type StaticPart = keyof typeof STATIC_PARTS;
export const STATIC_PART_NAMES = Object.keys(STATIC_PARTS) as StaticPart[];

/** Largest per-event energy a table may hold: 1 mJ (10^12 fJ); anything larger is a unit mistake. */
export const MAX_EVENT_FJ = 1e12;
/** Largest static power a table may hold per unit: 1 kW (10^12 nW). */
export const MAX_STATIC_NW = 1e12;

export interface EnergyEntry {
  /** Energy per event in integer femtojoules. */
  fj: number;
  /** Where the number comes from (paper, table, file) or `assumption: …`. */
  source: string;
}

export interface StaticPowerEntry {
  /** Power per powered unit in integer nanowatts (tables are written in µW). */
  nw: number;
  source: string;
}

export interface EnergyTable {
  name: string;
  description: string;
  /** The preset this table was derived from, if any. */
  extends?: string;
  /** Energy per event, keyed by ActionId. Actions absent here cannot be priced (an error if counted). */
  actions: Partial<Record<ActionId, EnergyEntry>>;
  staticPower: Record<StaticPart, StaticPowerEntry>;
}

export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];

/** `core.synop` → `core`. */
export function componentOf(action: ActionId): Component {
  return action.slice(0, action.indexOf('.')) as Component;
}

/** `core.synop` → `synop`. */
export function actionName(action: ActionId): string {
  return action.slice(action.indexOf('.') + 1);
}

/** True when a source string labels its figure as an assumption. */
export function isAssumption(source: string): boolean {
  return /^\s*assumption\b/i.test(source);
}

/** Exact femtojoules from picojoules written with at most three decimals (23.6 pJ → 23600 fJ). */
export function pjToFj(pj: number): number | undefined {
  const fj = Math.round(pj * 1000);
  return Math.abs(fj - pj * 1000) <= 1e-6 * Math.max(1, Math.abs(fj)) ? fj : undefined;
}

/** Exact nanowatts from microwatts written with at most three decimals. */
export function uwToNw(uw: number): number | undefined {
  return pjToFj(uw);
}

export const ENERGY_FORMAT = 'aerie-energy/1';

/** Resolves preset names for `extends:` (supplied by presets.ts, which imports this file). */
export type PresetLookup = (name: string) => EnergyTable | undefined;

/**
 * Parse and validate an energy table from YAML/JSON text. `presets` resolves `extends:`.
 * Throws InputError listing every problem with its field path and line:col.
 */
export function parseEnergyTable(text: string, source: string, presets: PresetLookup, presetNames: readonly string[]): EnergyTable {
  const doc = parseStructured(text, source);
  const c = new Checker(source, doc);
  const root = c.object(doc.data, [], ['format', 'name', 'description', 'extends', 'actions', 'static'], ['format', 'name']);
  if (!root) c.throwIfAny();
  const r = root as Record<string, unknown>;
  if (r.format !== undefined && r.format !== ENERGY_FORMAT) {
    c.fail(['format'], `expected '${ENERGY_FORMAT}', got ${JSON.stringify(r.format)}`);
  }
  const name = r.name === undefined ? undefined : c.string(r.name, ['name'], { pattern: /^[A-Za-z0-9_.-]{1,64}$/, patternHint: 'a name of 1–64 letters, digits, _ . -' });
  const description = r.description === undefined ? '' : (c.string(r.description, ['description']) ?? '');
  let base: EnergyTable | undefined;
  if (r.extends !== undefined) {
    const ext = c.string(r.extends, ['extends']);
    if (ext !== undefined) {
      base = presets(ext);
      if (!base) c.fail(['extends'], `unknown preset '${ext}'; presets: ${presetNames.join(', ')}`);
    }
  }
  const actions: Partial<Record<ActionId, EnergyEntry>> = { ...(base?.actions ?? {}) };
  if (r.actions !== undefined) {
    const comps = c.object(r.actions, ['actions'], COMPONENTS);
    if (comps) {
      for (const comp of COMPONENTS) {
        const group = comps[comp];
        if (group === undefined) continue;
        const names = ACTION_IDS.filter((a) => componentOf(a) === comp).map(actionName);
        const g = c.object(group, ['actions', comp], names);
        if (!g) continue;
        for (const act of names) {
          if (g[act] === undefined) continue;
          const entry = parseEnergyEntry(c, g[act], ['actions', comp, act]);
          if (entry) actions[`${comp}.${act}` as ActionId] = entry;
        }
      }
    }
  }
  const staticPower: Partial<Record<StaticPart, StaticPowerEntry>> = { ...(base?.staticPower ?? {}) };
  const given = r.static === undefined ? {} : c.object(r.static, ['static'], STATIC_PART_NAMES);
  if (given) {
    for (const part of STATIC_PART_NAMES) {
      if (given[part] === undefined) continue;
      const entry = parseStaticEntry(c, given[part], ['static', part]);
      if (entry) staticPower[part] = entry;
    }
  }
  if (!base && r.extends === undefined && given) {
    for (const part of STATIC_PART_NAMES) {
      if (given[part] === undefined) {
        c.fail(['static'], `missing static power for '${part}' (a table without 'extends' must give all of ${STATIC_PART_NAMES.join(', ')})`);
      }
    }
  }
  c.throwIfAny();
  const table: EnergyTable = {
    name: name as string,
    description,
    actions,
    staticPower: staticPower as Record<StaticPart, StaticPowerEntry>,
  };
  if (base) table.extends = base.name;
  return table;
}

function parseSource(c: Checker, v: unknown, path: Path): string | undefined {
  if (v === undefined) return c.fail(path, "missing required key 'source' (every figure must say where it comes from, or start with 'assumption:')");
  const s = c.string(v, [...path, 'source']);
  if (s !== undefined && s.trim().length < 3) return c.fail([...path, 'source'], 'source must name where the figure comes from (at least 3 characters)');
  return s;
}

function parseEnergyEntry(c: Checker, v: unknown, path: Path): EnergyEntry | undefined {
  const o = c.object(v, path, ['pj', 'fj', 'source']);
  if (!o) return undefined;
  const source = parseSource(c, o.source, path);
  let fj: number | undefined;
  if ((o.pj === undefined) === (o.fj === undefined)) {
    return c.fail(path, "give the energy as exactly one of 'pj' (picojoules) or 'fj' (femtojoules)");
  }
  if (o.fj !== undefined) {
    fj = c.integer(o.fj, [...path, 'fj'], 0, MAX_EVENT_FJ);
  } else {
    const pj = c.number(o.pj, [...path, 'pj'], 0, MAX_EVENT_FJ / 1000, ' pJ');
    if (pj !== undefined) {
      fj = pjToFj(pj);
      if (fj === undefined) c.fail([...path, 'pj'], `${pj} pJ is finer than 1 fJ; energies are stored as whole femtojoules (use at most 3 decimals)`);
    }
  }
  if (fj === undefined || source === undefined) return undefined;
  return { fj, source };
}

function parseStaticEntry(c: Checker, v: unknown, path: Path): StaticPowerEntry | undefined {
  const o = c.object(v, path, ['uw', 'source'], ['uw']);
  if (!o) return undefined;
  const source = parseSource(c, o.source, path);
  if (o.uw === undefined) return undefined;
  const uw = c.number(o.uw, [...path, 'uw'], 0, MAX_STATIC_NW / 1000, ' µW');
  let nw: number | undefined;
  if (uw !== undefined) {
    nw = uwToNw(uw);
    if (nw === undefined) c.fail([...path, 'uw'], `${uw} µW is finer than 1 nW; use at most 3 decimals`);
  }
  if (nw === undefined || source === undefined) return undefined;
  return { nw, source };
}

/** Read and validate a user energy table file. */
export function loadEnergyTableFile(file: string, presets: PresetLookup, presetNames: readonly string[]): EnergyTable {
  return parseEnergyTable(readInputText(file), file, presets, presetNames);
}

/** Every assumption-labelled entry of a table, as printable lines. */
export function tableAssumptions(table: EnergyTable): string[] {
  const out: string[] = [];
  for (const a of ACTION_IDS) {
    const e = table.actions[a];
    if (e && isAssumption(e.source)) out.push(`${table.name} ${a} = ${formatFjPlain(e.fj)}: ${e.source}`);
  }
  for (const p of STATIC_PART_NAMES) {
    const e = table.staticPower[p];
    if (e && isAssumption(e.source)) out.push(`${table.name} static ${p} = ${e.nw / 1000} µW: ${e.source}`);
  }
  return out;
}

function formatFjPlain(fj: number): string {
  return fj >= 1000 ? `${fj / 1000} pJ` : `${fj} fJ`;
}
