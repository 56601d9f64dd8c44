/**
 * SANA-FE architecture import: `architecture:` YAML → a SanafeArch (tiles, cores and their pipeline
 * units with per-event energies and latencies, exactly as SANA-FE uses them), plus its projection onto
 * aerie's own arch parameters and energy-table action ids (sanafeToAerieArch, sanafeEnergyEntries).
 *
 * Layout rules (SANA-FE src/arch.cpp): tiles get ids in file order (ranged names `t[0..31]` expand to
 * `t[0]` … `t[31]`), tile id → x = id / height, y = id % height; cores get global ids in file order and
 * an offset within their tile. A core's pipeline units keep file order within each kind; a neuron's
 * default unit of a kind is the first one.
 */
import { Checker, closest } from '../spec/validate.js';
import type { PathKey } from '../spec/structured.js';
import { parseSanafeYaml, expandRangedName } from './yaml.js';
import { ARCH_ATTRS, TILE_ATTRS, CORE_ATTRS, AXON_IN_ATTRS, AXON_OUT_ATTRS, SYNAPSE_ATTRS, DENDRITE_ATTRS, SOMA_ATTRS, SANAFE_MODELS, type AttrDecl } from './params.js';
import { ARCH_PARAMS, presetArch, archFromSpec, type Arch } from '../spec/arch.js';
import type { ActionId } from '../energy/activity.js';
import { STATIC_PART_NAMES, type EnergyTable, type StaticPart, type StaticPowerEntry } from '../energy/table.js';

/** Largest mesh (tiles) and core count an architecture may define (guards memory). */
export const MAX_SANAFE_TILES = 1 << 20;
export const MAX_SANAFE_CORES = 1 << 20;

export type UnitKind = 'synapse' | 'dendrite' | 'soma';

export interface SanafeUnit {
  kind: UnitKind;
  name: string;
  model: string;
  /** Per-event energies (J) and latencies (s) by attribute name, e.g. energy_process_spike. */
  costs: Record<string, number>;
  /** Model attributes given in the arch (e.g. dendrite_leak_decay). */
  attributes: Record<string, unknown>;
}

export interface SanafeAxon {
  name: string;
  energy: number;
  latency: number;
}

export interface SanafeCore {
  /** Global core id (file order). */
  id: number;
  tile: number;
  /** Index within its tile. */
  offset: number;
  name: string;
  maxNeurons: number;
  bufferPosition: 'soma';
  axonIn: SanafeAxon[];
  synapses: SanafeUnit[];
  dendrites: SanafeUnit[];
  somas: SanafeUnit[];
  axonOut: SanafeAxon[];
}

export interface SanafeTile {
  id: number;
  name: string;
  x: number;
  y: number;
  /** Hop energy (J) and latency (s) by direction. */
  energyHop: { north: number; east: number; south: number; west: number };
  latencyHop: { north: number; east: number; south: number; west: number };
}

export interface SanafeArch {
  name: string;
  width: number;
  height: number;
  linkBufferSize: number;
  /** Sync latency table: ascending tile counts with their latency (s); empty = no sync cost. */
  syncTiles: number[];
  syncLatency: number[];
  tiles: SanafeTile[];
  cores: SanafeCore[];
  maxCoresPerTile: number;
  source: string;
}

/** Sync latency for a step with `tilesInUse` tiles mapped: the entry with the largest tile count ≤ tilesInUse (the first entry below it). */
export function syncLatency(a: SanafeArch, tilesInUse: number): number {
  if (a.syncTiles.length === 0) return 0;
  let v = a.syncLatency[0];
  for (let i = 0; i < a.syncTiles.length; i++) if (a.syncTiles[i] <= tilesInUse) v = a.syncLatency[i];
  return v;
}

/** Does this parsed YAML look like a SANA-FE architecture (a top-level `architecture:` map)? */
export function isSanafeArchData(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'architecture' in (data as object);
}

export function parseSanafeArch(text: string, source = '<sanafe-arch>'): SanafeArch {
  const doc = parseSanafeYaml(text, source);
  const ck = new Checker(source, doc);
  const a = validateSanafeArch(doc.data, ck, source);
  ck.throwIfAny();
  return a!;
}

/** Check an attribute map against its declarations: unknown keys are problems (with a hint). */
function attrs(ck: Checker, v: unknown, path: PathKey[], decls: Record<string, AttrDecl>, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    ck.fail(path, `expected a map of ${what} attributes`);
    return {};
  }
  const rec = v as Record<string, unknown>;
  const names = Object.keys(decls);
  for (const k of Object.keys(rec))
    if (!(k in decls)) {
      const hint = closest(k, names);
      ck.fail([...path, k], `unknown ${what} attribute${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
  return rec;
}

function num(ck: Checker, rec: Record<string, unknown>, key: string, path: PathKey[], dflt?: number, lo = 0, hi = Infinity): number {
  const v = rec[key];
  if (v === undefined) {
    if (dflt === undefined) {
      ck.fail(path, `missing required attribute '${key}'`);
      return 0;
    }
    return dflt;
  }
  return ck.number(v, [...path, key], lo, hi) ?? 0;
}

function list(ck: Checker, v: unknown, path: PathKey[]): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return [v];
  ck.fail(path, 'expected a list of hardware entries');
  return [];
}

function nameOf(ck: Checker, entry: Record<string, unknown>, path: PathKey[]): string[] {
  const name = ck.string(entry.name, [...path, 'name']);
  if (name === undefined) return [];
  const names = expandRangedName(name);
  if (!names) {
    ck.fail([...path, 'name'], `'${name}' is not a valid ranged name (expected NAME[a..b] with a ≤ b)`);
    return [];
  }
  return names;
}

export function validateSanafeArch(data: unknown, ck: Checker, source: string): SanafeArch | undefined {
  const root = ck.object(data, [], ['architecture'], ['architecture']);
  if (!root || root.architecture === undefined) return undefined;
  const A = ck.object(root.architecture, ['architecture'], ['name', 'attributes', 'tile'], ['tile']);
  if (!A) return undefined;
  const name = A.name === undefined ? 'architecture' : ck.string(A.name, ['architecture', 'name']) ?? '';
  const at = attrs(ck, A.attributes, ['architecture', 'attributes'], ARCH_ATTRS, 'architecture');
  const ap: PathKey[] = ['architecture', 'attributes'];
  if (at.topology !== undefined && at.topology !== 'mesh') ck.fail([...ap, 'topology'], `${JSON.stringify(at.topology)} is not supported (only 'mesh')`);
  const width = at.width === undefined ? (ARCH_ATTRS.width.default as number) : ck.integer(at.width, [...ap, 'width'], 1, 4096) ?? 1;
  const height = at.height === undefined ? (ARCH_ATTRS.height.default as number) : ck.integer(at.height, [...ap, 'height'], 1, 4096) ?? 1;
  if (width * height > MAX_SANAFE_TILES) ck.fail(ap, `a ${width}×${height} mesh has more than the ${MAX_SANAFE_TILES} tiles aerie holds`);
  const linkBufferSize = at.link_buffer_size === undefined ? (ARCH_ATTRS.link_buffer_size.default as number) : ck.integer(at.link_buffer_size, [...ap, 'link_buffer_size'], 0, 1 << 20) ?? 0;
  const syncTiles: number[] = [];
  const syncLat: number[] = [];
  if (at.sync_model !== undefined || at.latency_sync !== undefined) {
    const model = at.sync_model === undefined ? 'fixed' : ck.oneOf(at.sync_model, [...ap, 'sync_model'], ['fixed', 'table', 'none']);
    if (model === 'fixed') {
      const v = at.latency_sync === undefined ? 0 : ck.number(at.latency_sync, [...ap, 'latency_sync'], 0, 1);
      if (v !== undefined) {
        syncTiles.push(0);
        syncLat.push(v);
      }
    } else if (model === 'table') {
      const t = at.latency_sync;
      if (t === null || typeof t !== 'object' || Array.isArray(t)) ck.fail([...ap, 'latency_sync'], "sync_model 'table' needs latency_sync as a map of tiles → seconds");
      else {
        const entries = Object.entries(t as Record<string, unknown>)
          .map(([k, v]) => [Number(k), v, k] as const)
          .sort((x, y) => x[0] - y[0]);
        for (const [n, v, k] of entries) {
          if (!Number.isInteger(n) || n < 0) ck.fail([...ap, 'latency_sync', k], `'${k}' is not a tile count`);
          const s = ck.number(v, [...ap, 'latency_sync', k], 0, 1);
          if (s !== undefined && Number.isInteger(n)) {
            syncTiles.push(n);
            syncLat.push(s);
          }
        }
      }
    }
  }

  const tiles: SanafeTile[] = [];
  const cores: SanafeCore[] = [];
  let maxCoresPerTile = 0;
  const tileList = list(ck, A.tile, ['architecture', 'tile']);
  tileList.forEach((tv, ti) => {
    const tp: PathKey[] = ['architecture', 'tile', ti];
    const T = ck.object(tv, tp, ['name', 'attributes', 'core'], ['name', 'core']);
    if (!T) return;
    const ta = attrs(ck, T.attributes, [...tp, 'attributes'], TILE_ATTRS, 'tile');
    const hp: PathKey[] = [...tp, 'attributes'];
    const energyHop = { north: num(ck, ta, 'energy_north_hop', hp, 0), east: num(ck, ta, 'energy_east_hop', hp, 0), south: num(ck, ta, 'energy_south_hop', hp, 0), west: num(ck, ta, 'energy_west_hop', hp, 0) };
    const latencyHop = { north: num(ck, ta, 'latency_north_hop', hp, 0), east: num(ck, ta, 'latency_east_hop', hp, 0), south: num(ck, ta, 'latency_south_hop', hp, 0), west: num(ck, ta, 'latency_west_hop', hp, 0) };
    // each core entry is validated once; its instances (ranged names, every tile instance) share the parsed units
    const coreTemplates: { names: string[]; core: Omit<SanafeCore, 'id' | 'tile' | 'offset' | 'name'> }[] = [];
    list(ck, T.core, [...tp, 'core']).forEach((cv, ci) => {
      const cp: PathKey[] = [...tp, 'core', ci];
      const C = ck.object(cv, cp, ['name', 'attributes', 'axon_in', 'synapse', 'dendrite', 'soma', 'axon_out'], ['name', 'axon_in', 'synapse', 'dendrite', 'soma', 'axon_out']);
      if (!C) return;
      coreTemplates.push({ names: nameOf(ck, C, cp), core: parseCore(ck, C, cp) });
    });
    for (const tname of nameOf(ck, T, tp)) {
      const id = tiles.length;
      const x = Math.floor(id / height);
      const y = id % height;
      if (x >= width) {
        ck.fail([...tp, 'name'], `tile ${id} ('${tname}') does not fit a ${width}×${height} mesh (SANA-FE places tile id at x = id / height, y = id % height)`);
        return;
      }
      tiles.push({ id, name: tname, x, y, energyHop, latencyHop });
      let offset = 0;
      for (const t of coreTemplates)
        for (const cname of t.names) {
          if (cores.length >= MAX_SANAFE_CORES) {
            ck.fail([...tp, 'core'], `more than the ${MAX_SANAFE_CORES} cores aerie holds`);
            return;
          }
          cores.push({ id: cores.length, tile: id, offset, name: cname, ...t.core });
          offset++;
        }
      if (offset > maxCoresPerTile) maxCoresPerTile = offset;
    }
  });
  if (tiles.length === 0 && ck.ok) ck.fail(['architecture', 'tile'], 'no tiles defined');
  if (!ck.ok) return undefined;
  return { name, width, height, linkBufferSize, syncTiles, syncLatency: syncLat, tiles, cores, maxCoresPerTile, source };
}

function parseCore(ck: Checker, C: Record<string, unknown>, cp: PathKey[]): Omit<SanafeCore, 'id' | 'tile' | 'offset' | 'name'> {
  const ca = attrs(ck, C.attributes, [...cp, 'attributes'], CORE_ATTRS, 'core');
  const ap: PathKey[] = [...cp, 'attributes'];
  if (ca.buffer_position !== undefined && ca.buffer_position !== 'soma')
    ck.fail([...ap, 'buffer_position'], `${JSON.stringify(ca.buffer_position)} is not supported by aerie's SANA-FE mode (only 'soma', SANA-FE's usual setting)`);
  if (ca.buffer_inside_unit !== undefined && ca.buffer_inside_unit !== false) ck.fail([...ap, 'buffer_inside_unit'], 'only false is supported');
  const maxNeurons = ca.max_neurons_supported === undefined ? (CORE_ATTRS.max_neurons_supported.default as number) : ck.integer(ca.max_neurons_supported, [...ap, 'max_neurons_supported'], 1, 1 << 24) ?? 1;
  const axons = (key: 'axon_in' | 'axon_out', decls: Record<string, AttrDecl>, e: string, l: string): SanafeAxon[] =>
    list(ck, C[key], [...cp, key]).flatMap((v, i) => {
      const p: PathKey[] = [...cp, key, i];
      const X = ck.object(v, p, ['name', 'attributes'], ['name', 'attributes']);
      if (!X) return [];
      const xa = attrs(ck, X.attributes, [...p, 'attributes'], decls, key);
      const energy = num(ck, xa, e, [...p, 'attributes']);
      const latency = num(ck, xa, l, [...p, 'attributes']);
      return nameOf(ck, X, p).map((n) => ({ name: n, energy, latency }));
    });
  const units = (kind: UnitKind, decls: Record<string, AttrDecl>, costKeys: string[]): SanafeUnit[] =>
    list(ck, C[kind], [...cp, kind]).flatMap((v, i) => {
      const p: PathKey[] = [...cp, kind, i];
      const U = ck.object(v, p, ['name', 'attributes'], ['name', 'attributes']);
      if (!U) return [];
      const ua = attrs(ck, U.attributes, [...p, 'attributes'], decls, kind);
      const model = ck.string(ua.model, [...p, 'attributes', 'model']) ?? '';
      const known = SANAFE_MODELS[kind].known as readonly string[];
      if (model && !known.includes(model) && ua.plugin === undefined) {
        const hint = closest(model, known);
        ck.fail([...p, 'attributes', 'model'], `'${model}' is not a SANA-FE ${kind} model${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${known.join(', ')}`);
      }
      const costs: Record<string, number> = {};
      for (const k of costKeys) if (ua[k] !== undefined) costs[k] = ck.number(ua[k], [...p, 'attributes', k], 0, 1) ?? 0;
      if (kind === 'soma') {
        // SANA-FE: giving any of the three energies (or latencies) requires all three
        for (const group of [costKeys.filter((k) => k.startsWith('energy')), costKeys.filter((k) => k.startsWith('latency'))])
          if (group.some((k) => ua[k] !== undefined))
            for (const k of group) if (ua[k] === undefined) ck.fail([...p, 'attributes'], `missing '${k}' (SANA-FE needs all of ${group.join(', ')} once one is given)`);
      }
      const attributes: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(ua)) if (k !== 'model' && !costKeys.includes(k)) attributes[k] = x;
      return nameOf(ck, U, p).map((n) => ({ kind, name: n, model, costs, attributes }));
    });
  return {
    maxNeurons,
    bufferPosition: 'soma',
    axonIn: axons('axon_in', AXON_IN_ATTRS, 'energy_message_in', 'latency_message_in'),
    synapses: units('synapse', SYNAPSE_ATTRS, ['energy_process_spike', 'latency_process_spike']),
    dendrites: units('dendrite', DENDRITE_ATTRS, ['energy_update', 'latency_update']),
    somas: units('soma', SOMA_ATTRS, ['energy_access_neuron', 'energy_update_neuron', 'energy_spike_out', 'latency_access_neuron', 'latency_update_neuron', 'latency_spike_out']),
    axonOut: axons('axon_out', AXON_OUT_ATTRS, 'energy_message_out', 'latency_message_out'),
  };
}

const SRC = 'SANA-FE architecture file';

/**
 * aerie arch values from a SANA-FE architecture: mesh size, cores per tile, compartments per core
 * (largest max_neurons_supported), per-action latencies from the first core's default units, hop
 * latencies, and the barrier from the sync table. SANA-FE's own unit costs stay in the SanafeArch
 * for exact SANA-FE-compatible totals; this view is what aerie's reports and mapper use.
 */
export function sanafeToAerieArch(a: SanafeArch): Arch {
  const spec = presetArch('loihi');
  const c0 = a.cores[0];
  const syn = c0.synapses[0]?.costs ?? {};
  const den = c0.dendrites[0]?.costs ?? {};
  const soma = c0.somas[0]?.costs ?? {};
  const t0 = a.tiles[0];
  const ps = (s: number | undefined): number => Math.round((s ?? 0) * 1e12);
  const set = (path: string, v: number): void => {
    const decl = ARCH_PARAMS.find((p) => p.path === path)!;
    spec.values[path] = Math.min(decl.max, Math.max(decl.min, v));
    spec.overridden[path] = `${SRC} ${a.source}`;
  };
  set('chip.tiles_x', a.width);
  set('chip.tiles_y', a.height);
  set('chip.cores_per_tile', Math.max(1, a.maxCoresPerTile));
  set('core.compartments', Math.max(...a.cores.map((c) => c.maxNeurons)));
  set('timing.synop_ps', ps((syn.latency_process_spike ?? 0) + (den.latency_update ?? 0)));
  set('timing.compartment_active_ps', ps((soma.latency_access_neuron ?? 0) + (soma.latency_update_neuron ?? 0)));
  set('timing.compartment_inactive_ps', ps(soma.latency_access_neuron));
  set('timing.spike_out_ps', ps(soma.latency_spike_out));
  set('timing.message_in_ps', ps(c0.axonIn[0]?.latency));
  set('timing.message_out_ps', ps(c0.axonOut[0]?.latency));
  set('noc.hop_ew_ps', ps(Math.max(t0.latencyHop.east, t0.latencyHop.west)));
  set('noc.hop_ns_ps', ps(Math.max(t0.latencyHop.north, t0.latencyHop.south)));
  set('noc.within_tile_ps', 0);
  const lo = a.syncLatency.length ? Math.min(...a.syncLatency) : 0;
  const hi = a.syncLatency.length ? Math.max(...a.syncLatency) : 0;
  set('barrier.one_tile_ps', ps(lo));
  set('barrier.all_tiles_ps', ps(hi));
  const arch = archFromSpec(spec);
  return arch;
}

export interface SanafeEnergyEntry {
  action: ActionId;
  /** Energy per event in integer femtojoules. */
  fj: number;
  source: string;
}

/**
 * Energy-table entries keyed by aerie action ids, from the first core's default units and tile 0's
 * hops (SANA-FE charges per unit; where cores differ, the SanafeArch keeps every unit's own cost).
 * compartment_inactive = access; compartment_active = access + update; synop = synapse read +
 * dendrite update (one of each per synaptic event in SANA-FE's soma-buffered pipeline).
 */
export function sanafeEnergyEntries(a: SanafeArch): SanafeEnergyEntry[] {
  const c0 = a.cores[0];
  const syn = c0.synapses[0]?.costs ?? {};
  const den = c0.dendrites[0]?.costs ?? {};
  const soma = c0.somas[0]?.costs ?? {};
  const t0 = a.tiles[0];
  const fj = (j: number): number => Math.round(j * 1e15);
  const src = (what: string): string => `${SRC} ${a.source}: ${what}`;
  const out: SanafeEnergyEntry[] = [
    { action: 'core.synop', fj: fj((syn.energy_process_spike ?? 0) + (den.energy_update ?? 0)), source: src(`${c0.synapses[0]?.name}.energy_process_spike + ${c0.dendrites[0]?.name}.energy_update`) },
    { action: 'core.compartment_inactive', fj: fj(soma.energy_access_neuron ?? 0), source: src(`${c0.somas[0]?.name}.energy_access_neuron`) },
    { action: 'core.compartment_active', fj: fj((soma.energy_access_neuron ?? 0) + (soma.energy_update_neuron ?? 0)), source: src(`${c0.somas[0]?.name}.energy_access_neuron + energy_update_neuron`) },
    { action: 'core.spike_out', fj: fj(soma.energy_spike_out ?? 0), source: src(`${c0.somas[0]?.name}.energy_spike_out`) },
    { action: 'core.packet_out', fj: fj(c0.axonOut[0]?.energy ?? 0), source: src(`${c0.axonOut[0]?.name}.energy_message_out`) },
    { action: 'core.packet_in', fj: fj(c0.axonIn[0]?.energy ?? 0), source: src(`${c0.axonIn[0]?.name}.energy_message_in`) },
    { action: 'noc.hop_ew', fj: fj((t0.energyHop.east + t0.energyHop.west) / 2), source: src(`${t0.name} mean of energy_east_hop and energy_west_hop`) },
    { action: 'noc.hop_ns', fj: fj((t0.energyHop.north + t0.energyHop.south) / 2), source: src(`${t0.name} mean of energy_north_hop and energy_south_hop`) },
    { action: 'noc.within_tile', fj: 0, source: src('no intra-tile cost in SANA-FE') },
  ];
  return out;
}

/**
 * An aerie energy table from a SANA-FE architecture (the entries above; no static power, as SANA-FE
 * models none). Pricing SanafeSim.activity() with it gives SANA-FE's total energy exactly when every
 * neuron uses the default unit of each kind and east/west (north/south) hops cost the same; otherwise
 * SanafeSim's own per-unit totals are the SANA-FE-compatible figures.
 */
export function sanafeEnergyTable(a: SanafeArch): EnergyTable {
  const actions: EnergyTable['actions'] = {};
  for (const e of sanafeEnergyEntries(a)) actions[e.action] = { fj: e.fj, source: e.source };
  const none = (): StaticPowerEntry => ({ nw: 0, source: `${SRC} ${a.source}: SANA-FE models no static power` });
  const staticPower = Object.fromEntries(STATIC_PART_NAMES.map((p) => [p, none()])) as Record<StaticPart, StaticPowerEntry>;
  return { name: `sanafe:${a.name}`, description: `per-event energies of the SANA-FE architecture '${a.name}' (${a.source})`, actions, staticPower };
}
