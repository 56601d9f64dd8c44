/**
 * SANA-FE SNN import: `network:` (groups, neurons, edges) + `mappings:` YAML → a SanafeNetwork held in
 * flat typed arrays (no object per synapse), ready for the SANA-FE-semantics engine (./engine.ts).
 *
 * Format (SANA-FE's SNN description docs and src/yaml_snn.cpp):
 * - groups: `{name, attributes, neurons}`; attributes are a map or a list of one-key maps applied in
 *   order; `soma:` / `dendrite:` sub-maps send attributes to one unit only. neurons: entries `a..b`, `i`
 *   or `{a..b: attributes}`; a neuron's attributes are its group's, overridden by its entry. The group
 *   size is the number of neurons its entries define.
 * - edges: `src.i -> dst.j: attributes` (one connection) or `src -> dst: {type: dense | sparse | conv2d,
 *   ...}` (hyper-edges; list-valued attributes give one entry per connection, in SANA-FE's order:
 *   dense row-major by source then target; conv2d kernel index [y][x][c_in][c_out]; sparse by pair).
 * - mappings: `- G.a..b: {core: T.C, soma: NAME, dendrite: NAME, synapse: NAME}` in mapping order.
 *
 * Every problem names the file, field path and line:col; unknown attributes get a did-you-mean hint.
 */
import { Checker, closest, describe } from '../spec/validate.js';
import type { PathKey } from '../spec/structured.js';
import { parseSanafeYaml, parseRange, attributeEntries } from './yaml.js';
import { NEURON_ATTRS, EDGE_ATTRS, CONV2D_KEYS } from './params.js';
import type { SanafeArch } from './arch.js';

/** One attribute value with the units it is forwarded to. */
export interface AttrValue {
  value: unknown;
  soma: boolean;
  dendrite: boolean;
}

/** Resolved attributes of a set of neurons (shared by every neuron of a range entry). */
export type NeuronTemplate = Record<string, AttrValue>;

export interface SanafeGroup {
  name: string;
  size: number;
  /** Global index of the group's first neuron (groups in file order). */
  offset: number;
}

export interface SanafeNetwork {
  name: string;
  groups: SanafeGroup[];
  nNeurons: number;
  /** Per neuron: index into `templates`. */
  templateOf: Uint32Array;
  templates: NeuronTemplate[];
  /** Per neuron: global core id (-1 = not mapped) and mapping order (1, 2, …; later mappings win). */
  coreOf: Int32Array;
  mapOrder: Float64Array;
  /** Per neuron: unit names chosen in the mapping (index into `names`, -1 = none). */
  mapSoma: Int32Array;
  mapDendrite: Int32Array;
  mapSynapse: Int32Array;
  names: string[];
  /** Connections in creation order (COO): global pre/post neuron index and weight. */
  nEdges: number;
  pre: Uint32Array;
  post: Uint32Array;
  weight: Float64Array;
  /** Things SANA-FE accepts but that have no effect (e.g. delays on an accumulator dendrite). */
  warnings: string[];
  source: string;
}

/** Does this parsed YAML look like a SANA-FE SNN (a top-level `network:` map with groups)? */
export function isSanafeSnnData(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const n = (data as Record<string, unknown>).network;
  return n !== null && typeof n === 'object' && !Array.isArray(n) && 'groups' in (n as object);
}

/** Largest number of neurons one file may define (guards memory before allocation). */
export const MAX_SANAFE_NEURONS = 1 << 24;

/** Largest number of connections one file may create (guards memory before allocation). */
export const MAX_SANAFE_EDGES = 2 ** 30;

/** Growable typed arrays for connections (amortised doubling; no object per synapse). */
class EdgeBuffer {
  n = 0;
  pre = new Uint32Array(1024);
  post = new Uint32Array(1024);
  weight = new Float64Array(1024);
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.pre.length) return;
    let cap = this.pre.length;
    while (cap < need) cap *= 2;
    const p = new Uint32Array(cap);
    p.set(this.pre.subarray(0, this.n));
    this.pre = p;
    const q = new Uint32Array(cap);
    q.set(this.post.subarray(0, this.n));
    this.post = q;
    const w = new Float64Array(cap);
    w.set(this.weight.subarray(0, this.n));
    this.weight = w;
  }
  push(a: number, b: number, w: number): void {
    if (this.n === this.pre.length) this.reserve(1);
    this.pre[this.n] = a;
    this.post[this.n] = b;
    this.weight[this.n] = w;
    this.n++;
  }
}

export function parseSanafeSnn(text: string, arch: SanafeArch, source = '<sanafe-snn>'): SanafeNetwork {
  const doc = parseSanafeYaml(text, source);
  const ck = new Checker(source, doc);
  const net = validateSanafeSnn(doc.data, arch, ck, source);
  ck.throwIfAny();
  return net!;
}

function neuronAttributes(ck: Checker, v: unknown, path: PathKey[], base: NeuronTemplate, warnings: string[]): NeuronTemplate {
  const out: NeuronTemplate = { ...base };
  const entries = attributeEntries(v, path);
  if (!entries) {
    ck.fail(path, `expected attributes as a map or a list of 'name: value' entries, got ${describe(v)}`);
    return out;
  }
  const names = Object.keys(NEURON_ATTRS);
  for (const [k, x, p] of entries) {
    if (k === 'synapse') {
      // SANA-FE forwards neuron attributes to the dendrite and soma units only
      if (!attributeEntries(x, p)) ck.fail(p, 'expected a map of synapse attributes');
      const note = "neuron-level 'synapse:' attributes have no effect (SANA-FE forwards neuron attributes to dendrite and soma units only; set synapse attributes on edges)";
      if (!warnings.includes(note)) warnings.push(note);
    } else if (k === 'soma' || k === 'dendrite') {
      const sub = attributeEntries(x, p);
      if (!sub) {
        ck.fail(p, `expected a map of ${k} attributes`);
        continue;
      }
      for (const [k2, x2, p2] of sub) {
        if (!(k2 in NEURON_ATTRS)) unknownAttr(ck, p2, k2, names, 'neuron');
        else out[k2] = { value: checkNeuronValue(ck, k2, x2, p2), soma: k === 'soma', dendrite: k === 'dendrite' };
      }
    } else if (!(k in NEURON_ATTRS)) unknownAttr(ck, p, k, names, 'neuron');
    else out[k] = { value: checkNeuronValue(ck, k, x, p), soma: true, dendrite: true };
  }
  return out;
}

function unknownAttr(ck: Checker, p: PathKey[], k: string, names: string[], what: string): void {
  const hint = closest(k, names);
  ck.fail(p, `unknown ${what} attribute '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
}

const BOOL_ATTRS = new Set(['force_update', 'force_soma_update', 'force_synapse_update', 'force_dendrite_update', 'log_spikes', 'log_potential', 'log_v', 'log_u', 'leak_towards_zero']);
const STRING_ATTRS = new Set(['synapse_hw_name', 'dendrite_hw_name', 'soma_hw_name']);
const MODE_ATTRS = new Set(['reset_mode', 'reverse_reset_mode']);

function checkNeuronValue(ck: Checker, k: string, v: unknown, p: PathKey[]): unknown {
  if (BOOL_ATTRS.has(k)) return ck.boolean(v, p);
  if (STRING_ATTRS.has(k)) return ck.string(v, p);
  if (MODE_ATTRS.has(k)) return ck.oneOf(v, p, ['none', 'soft', 'hard', 'saturate']);
  if (k === 'spikes') {
    const l = ck.array(v, p);
    if (!l) return undefined;
    const out = new Uint8Array(l.length);
    l.forEach((s, i) => {
      if (s === true || s === 1) out[i] = 1;
      else if (!(s === false || s === 0)) ck.fail([...p, i], `expected 0/1 or true/false, got ${describe(s)}`);
    });
    return out;
  }
  if (k === 'refractory_delay') return ck.integer(v, p, 0, 1 << 20);
  if (k === 'random_mask') return ck.integer(v, p, 0, 2 ** 31 - 1);
  if (k === 'poisson') return ck.number(v, p, 0, 1);
  if (k === 'rate') return ck.number(v, p, 0, 1);
  return ck.number(v, p);
}

export function validateSanafeSnn(data: unknown, arch: SanafeArch, ck: Checker, source: string): SanafeNetwork | undefined {
  const root = ck.object(data, [], ['network', 'mappings'], ['network', 'mappings']);
  if (!root) return undefined;
  const N = ck.object(root.network, ['network'], ['name', 'groups', 'edges'], ['groups']);
  if (!N) return undefined;
  const name = N.name === undefined ? 'network' : String(N.name);
  const warnings: string[] = [];

  // --- groups and neurons
  const groups: SanafeGroup[] = [];
  const byName = new Map<string, SanafeGroup>();
  const templates: NeuronTemplate[] = [];
  const templateRuns: { group: SanafeGroup; first: number; last: number; template: number }[] = [];
  const baseTemplate = new Map<SanafeGroup, number>();
  let offset = 0;
  (ck.array(N.groups, ['network', 'groups']) ?? []).forEach((gv, gi) => {
    const gp: PathKey[] = ['network', 'groups', gi];
    const G = ck.object(gv, gp, ['name', 'attributes', 'neurons'], ['name', 'neurons']);
    if (!G || G.name === undefined) return;
    const gname = String(G.name);
    if (gname.includes('.') || gname.includes('->') || gname.trim() === '') {
      ck.fail([...gp, 'name'], `group name '${gname}' may not be empty or contain '.' or '->'`);
      return;
    }
    if (byName.has(gname)) {
      ck.fail([...gp, 'name'], `group '${gname}' is defined twice`);
      return;
    }
    const base = neuronAttributes(ck, G.attributes, [...gp, 'attributes'], {}, warnings);
    templates.push(base);
    const baseIdx = templates.length - 1;
    const list = ck.array(G.neurons, [...gp, 'neurons']) ?? [];
    const group: SanafeGroup = { name: gname, size: 0, offset };
    const runs: { first: number; last: number; attrs: unknown; path: PathKey[] }[] = [];
    list.forEach((ev, ei) => {
      const ep: PathKey[] = [...gp, 'neurons', ei];
      const items: [string, unknown, PathKey[]][] = [];
      if (ev !== null && typeof ev === 'object' && !Array.isArray(ev)) for (const [k, x] of Object.entries(ev)) items.push([k, x, [...ep, k]]);
      else if (typeof ev === 'number' || typeof ev === 'string') items.push([String(ev), undefined, ep]);
      else {
        ck.fail(ep, `expected a neuron id, a range a..b or 'id: attributes', got ${describe(ev)}`);
        return;
      }
      for (const [id, attrs, p] of items) {
        const r = parseRange(id) ?? (/^\s*\d+\s*$/.test(id) ? ([Number(id), Number(id)] as [number, number]) : undefined);
        if (!r) {
          ck.fail(p, `'${id}' is not a neuron id or a range a..b (a ≤ b)`);
          continue;
        }
        runs.push({ first: r[0], last: r[1], attrs, path: p });
        group.size += r[1] - r[0] + 1;
      }
    });
    if (offset + group.size > MAX_SANAFE_NEURONS) {
      ck.fail([...gp, 'neurons'], `defines ${group.size} neurons; a network may hold at most ${MAX_SANAFE_NEURONS}`);
      return;
    }
    for (const r of runs) {
      if (r.last >= group.size) {
        ck.fail(r.path, `neuron ${r.last} is outside group '${gname}' (it defines ${group.size} neurons: ids 0..${group.size - 1})`);
        continue;
      }
      const t = r.attrs === undefined ? base : neuronAttributes(ck, r.attrs, r.path, base, warnings);
      templates.push(t);
      templateRuns.push({ group, first: r.first, last: r.last, template: templates.length - 1 });
    }
    groups.push(group);
    byName.set(gname, group);
    baseTemplate.set(group, baseIdx);
    offset += group.size;
  });
  const nNeurons = offset;
  const templateOf = new Uint32Array(nNeurons);
  for (const [g, t] of baseTemplate) templateOf.fill(t, g.offset, g.offset + g.size);
  for (const run of templateRuns) templateOf.fill(run.template, run.group.offset + run.first, run.group.offset + run.last + 1);

  // --- edges
  const eb = new EdgeBuffer();
  const edgeList = N.edges === undefined ? [] : ck.array(N.edges, ['network', 'edges']) ?? [];
  const resolve = (text: string, p: PathKey[]): { group: SanafeGroup; neuron?: number } | undefined => {
    const t = text.trim();
    const dot = t.indexOf('.');
    const gname = dot >= 0 ? t.slice(0, dot) : t;
    const g = byName.get(gname);
    if (!g) {
      const hint = closest(gname, [...byName.keys()]);
      ck.fail(p, `no group named '${gname}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
      return undefined;
    }
    if (dot < 0) return { group: g };
    const id = t.slice(dot + 1);
    if (!/^\d+$/.test(id)) {
      ck.fail(p, `'${t}': neuron id '${id}' is not a whole number`);
      return undefined;
    }
    const n = Number(id);
    if (n >= g.size) {
      ck.fail(p, `'${t}': group '${gname}' has neurons 0..${g.size - 1}`);
      return undefined;
    }
    return { group: g, neuron: n };
  };
  edgeList.forEach((ev, ei) => {
    const ep: PathKey[] = ['network', 'edges', ei];
    if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) {
      ck.fail(ep, `expected 'src -> dst: attributes', got ${describe(ev)}`);
      return;
    }
    for (const [desc, attrs] of Object.entries(ev as Record<string, unknown>)) {
      const p: PathKey[] = [...ep, desc];
      const arrow = desc.indexOf('->');
      if (arrow < 0) {
        ck.fail(p, `'${desc}' is not an edge (expected 'src -> dst')`);
        continue;
      }
      const s = resolve(desc.slice(0, arrow), p);
      const d = resolve(desc.slice(arrow + 2), p);
      if (!s || !d) continue;
      if ((s.neuron === undefined) !== (d.neuron === undefined)) {
        ck.fail(p, `'${desc}': give neurons on both sides (G.i -> H.j) or groups on both sides (G -> H)`);
        continue;
      }
      if (s.neuron !== undefined) singleEdge(ck, attrs, p, s.group.offset + s.neuron, d.group.offset + d.neuron!, eb, warnings);
      else hyperEdge(ck, attrs, p, s.group, d.group, eb, warnings);
    }
  });

  // --- mappings
  const coreOf = new Int32Array(nNeurons).fill(-1);
  const mapOrder = new Float64Array(nNeurons);
  const mapSoma = new Int32Array(nNeurons).fill(-1);
  const mapDendrite = new Int32Array(nNeurons).fill(-1);
  const mapSynapse = new Int32Array(nNeurons).fill(-1);
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = nameIndex.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      nameIndex.set(s, i);
    }
    return i;
  };
  let order = 0;
  (ck.array(root.mappings, ['mappings']) ?? []).forEach((mv, mi) => {
    const mp: PathKey[] = ['mappings', mi];
    if (mv === null || typeof mv !== 'object' || Array.isArray(mv)) {
      ck.fail(mp, `expected 'G.a..b: {core: T.C}', got ${describe(mv)}`);
      return;
    }
    const keys = Object.keys(mv);
    if (keys.length !== 1) {
      ck.fail(mp, `expected one neuron address per mapping entry, got ${keys.length}`);
      return;
    }
    const addr = keys[0];
    const p: PathKey[] = [...mp, addr];
    const dot = addr.indexOf('.');
    const gname = dot >= 0 ? addr.slice(0, dot) : addr;
    const g = byName.get(gname);
    if (!g) {
      const hint = closest(gname, [...byName.keys()]);
      ck.fail(p, `no group named '${gname}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
      return;
    }
    let first = 0;
    let last = g.size - 1;
    if (dot >= 0) {
      const id = addr.slice(dot + 1);
      const r = parseRange(id) ?? (/^\d+$/.test(id) ? ([Number(id), Number(id)] as [number, number]) : undefined);
      if (!r) {
        ck.fail(p, `'${id}' is not a neuron id or a range a..b (a ≤ b)`);
        return;
      }
      [first, last] = r;
      if (last >= g.size) {
        ck.fail(p, `neuron ${last} is outside group '${gname}' (ids 0..${g.size - 1})`);
        return;
      }
    }
    const info = attributeEntries((mv as Record<string, unknown>)[addr], p);
    if (!info) {
      ck.fail(p, 'expected mapping attributes as a map or a list of one-key maps');
      return;
    }
    let core = -1;
    let soma = -1;
    let dendrite = -1;
    let synapse = -1;
    for (const [k, v, kp] of info) {
      if (k === 'core') {
        const m = /^\s*(\d+)\.(\d+)\s*$/.exec(String(v));
        if (!m) {
          ck.fail(kp, `'${String(v)}' is not a core address TILE.CORE (e.g. 0.1)`);
          continue;
        }
        const t = Number(m[1]);
        const c = Number(m[2]);
        const tile = arch.tiles[t];
        const cores = tile ? arch.cores.filter((x) => x.tile === t) : [];
        if (!tile) ck.fail(kp, `tile ${t} does not exist (the architecture has tiles 0..${arch.tiles.length - 1})`);
        else if (c >= cores.length) ck.fail(kp, `core ${t}.${c} does not exist (tile ${t} has cores 0..${cores.length - 1})`);
        else core = cores[c].id;
      } else if (k === 'soma' || k === 'dendrite' || k === 'synapse') {
        const s = ck.string(v, kp);
        if (s === undefined) continue;
        if (k === 'soma') soma = intern(s);
        else if (k === 'dendrite') dendrite = intern(s);
        else synapse = intern(s);
      } else {
        const hint = closest(k, ['core', 'soma', 'dendrite', 'synapse']);
        ck.fail(kp, `unknown mapping key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: core, soma, dendrite, synapse`);
      }
    }
    if (core < 0) {
      if (!info.some(([k]) => k === 'core')) ck.fail(p, "missing 'core: TILE.CORE'");
      return;
    }
    for (let i = first; i <= last; i++) {
      const n = g.offset + i;
      coreOf[n] = core;
      mapOrder[n] = ++order;
      if (soma >= 0) mapSoma[n] = soma;
      if (dendrite >= 0) mapDendrite[n] = dendrite;
      if (synapse >= 0) mapSynapse[n] = synapse;
    }
  });
  if (ck.ok) {
    for (const g of groups)
      for (let i = 0; i < g.size; i++)
        if (coreOf[g.offset + i] < 0) {
          ck.fail(['mappings'], `neuron ${g.name}.${i} is not mapped to a core (SANA-FE requires every neuron to be mapped)`);
          break;
        }
  }
  if (!ck.ok) return undefined;
  return {
    name,
    groups,
    nNeurons,
    templateOf,
    templates,
    coreOf,
    mapOrder,
    mapSoma,
    mapDendrite,
    mapSynapse,
    names,
    nEdges: eb.n,
    pre: eb.pre.subarray(0, eb.n),
    post: eb.post.subarray(0, eb.n),
    weight: eb.weight.subarray(0, eb.n),
    warnings,
    source,
  };
}

/** Weight of an edge attribute set; records delays (ignored by the accumulator dendrite, as in SANA-FE). */
function edgeWeight(ck: Checker, entries: [string, unknown, PathKey[]][], warnings: string[]): number {
  let w = 0;
  for (const [k, v, p] of entries) {
    if (k === 'synapse' || k === 'dendrite') {
      const sub = attributeEntries(v, p);
      if (!sub) {
        ck.fail(p, `expected a map of ${k} attributes`);
        continue;
      }
      for (const [k2, v2, p2] of sub) w = edgeAttr(ck, k2, v2, p2, w, warnings, k);
    } else w = edgeAttr(ck, k, v, p, w, warnings, '');
  }
  return w;
}

function edgeAttr(ck: Checker, k: string, v: unknown, p: PathKey[], w: number, warnings: string[], unit: string): number {
  if (!(k in EDGE_ATTRS)) {
    unknownAttr(ck, p, k, Object.keys(EDGE_ATTRS), 'edge');
    return w;
  }
  if (k === 'weight' || k === 'w') {
    if (unit === 'dendrite') return w; // a weight sent only to the dendrite does not reach the synapse
    return ck.number(v, p) ?? w;
  }
  if (k === 'delay') {
    const d = ck.number(v, p, 0);
    if (d !== undefined && d !== 0) noteDelay(warnings);
  }
  return w;
}

function noteDelay(warnings: string[]): void {
  const msg = "non-zero 'delay' on an edge: the 'accumulator' dendrite ignores delays (as SANA-FE does); use 'accumulator_with_delay' hardware in SANA-FE for delays";
  if (!warnings.includes(msg)) warnings.push(msg);
}

function singleEdge(ck: Checker, attrs: unknown, p: PathKey[], a: number, b: number, eb: EdgeBuffer, warnings: string[]): void {
  const entries = attributeEntries(attrs, p);
  if (!entries) {
    ck.fail(p, `expected edge attributes as a map or a list of 'name: value' entries, got ${describe(attrs)}`);
    return;
  }
  for (const [k, , kp] of entries) if (k === 'type') ck.fail(kp, "'type' belongs to group edges (G -> H), not to a neuron edge (G.i -> H.j)");
  eb.push(a, b, edgeWeight(ck, entries, warnings));
}

/** One per-connection attribute list of a hyper-edge (a scalar applies to every connection: aerie extension). */
interface AttrList {
  name: string;
  unit: '' | 'synapse' | 'dendrite';
  values: unknown;
  path: PathKey[];
}

function hyperEdge(ck: Checker, attrs: unknown, p: PathKey[], src: SanafeGroup, dst: SanafeGroup, eb: EdgeBuffer, warnings: string[]): void {
  const entries = attributeEntries(attrs, p);
  if (!entries) {
    ck.fail(p, `expected hyper-edge attributes as a map, got ${describe(attrs)}`);
    return;
  }
  let type: string | undefined;
  const conv: Record<string, number> = {};
  let pairs: unknown[] | undefined;
  let pairsPath: PathKey[] = p;
  const lists: AttrList[] = [];
  for (const [k, v, kp] of entries) {
    if (k === 'type') type = ck.oneOf(v, kp, ['dense', 'sparse', 'conv2d']);
    else if ((CONV2D_KEYS as readonly string[]).includes(k)) {
      const x = ck.integer(v, kp, 0, 1 << 20);
      if (x !== undefined) conv[k] = x;
    } else if (k === 'source_target_pairs') {
      pairs = ck.array(v, kp);
      pairsPath = kp;
    } else if (k === 'synapse' || k === 'dendrite') {
      const sub = attributeEntries(v, kp);
      if (!sub) ck.fail(kp, `expected a map of ${k} attribute lists`);
      else for (const [k2, v2, p2] of sub) lists.push({ name: k2, unit: k, values: v2, path: p2 });
    } else lists.push({ name: k, unit: '', values: v, path: kp });
  }
  if (type === undefined) {
    if (!entries.some(([k]) => k === 'type')) ck.fail(p, "a group edge (G -> H) needs 'type: dense | sparse | conv2d'");
    return;
  }
  for (const l of lists) if (!(l.name in EDGE_ATTRS)) unknownAttr(ck, l.path, l.name, [...Object.keys(EDGE_ATTRS), 'type', 'source_target_pairs', ...CONV2D_KEYS], 'edge');
  // weight source (top-level or synapse-specific list) and delays (ignored by the accumulator)
  const wl = lists.find((l) => (l.name === 'weight' || l.name === 'w') && l.unit !== 'dendrite');
  const delayLists = lists.filter((l) => l.name === 'delay');
  let weights: Float64Array | number = 0;
  let needed = 0;
  if (type === 'dense') needed = src.size * dst.size;
  else if (type === 'sparse') needed = pairs?.length ?? 0;
  else if (type === 'conv2d') needed = (conv.kernel_height ?? 1) * (conv.kernel_width ?? 1) * (conv.input_channels ?? 1) * (conv.kernel_count ?? 1);
  const listOf = (l: AttrList): Float64Array | number | undefined => {
    if (typeof l.values === 'number') return l.values;
    const arr = ck.array(l.values, l.path);
    if (!arr) return undefined;
    if (arr.length < needed) {
      ck.fail(l.path, `has ${arr.length} entries but the ${type} edge needs ${needed} (one per ${type === 'conv2d' ? 'kernel weight' : 'connection'})`);
      return undefined;
    }
    const out = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        ck.fail([...l.path, i], `expected a number, got ${describe(x)}`);
        return undefined;
      }
      out[i] = x;
    }
    return out;
  };
  if (wl) weights = listOf(wl) ?? 0;
  for (const dl of delayLists) {
    const d = listOf(dl);
    if (typeof d === 'number' ? d !== 0 : d?.some((x) => x !== 0)) noteDelay(warnings);
  }
  if (!ck.ok) return;
  const w = (i: number): number => (typeof weights === 'number' ? weights : weights[i]);
  if (type === 'dense') {
    if (src.size * dst.size > MAX_SANAFE_EDGES) {
      ck.fail(p, `would create ${src.size * dst.size} connections, more than the ${MAX_SANAFE_EDGES} allowed`);
      return;
    }
    eb.reserve(src.size * dst.size);
    for (let s = 0; s < src.size; s++) for (let d = 0; d < dst.size; d++) eb.push(src.offset + s, dst.offset + d, w(s * dst.size + d));
  } else if (type === 'sparse') {
    if (!pairs) {
      ck.fail(p, "a sparse edge needs 'source_target_pairs: [[s, t], …]'");
      return;
    }
    eb.reserve(pairs.length);
    pairs.forEach((pv, i) => {
      const pp: PathKey[] = [...pairsPath, i];
      if (!Array.isArray(pv) || pv.length !== 2) {
        ck.fail(pp, 'expected a pair [source, target]');
        return;
      }
      const s = ck.integer(pv[0], [...pp, 0], 0, src.size - 1);
      const d = ck.integer(pv[1], [...pp, 1], 0, dst.size - 1);
      if (s !== undefined && d !== undefined) eb.push(src.offset + s, dst.offset + d, w(i));
    });
  } else conv2d(ck, conv, p, src, dst, w, eb);
}

function conv2d(ck: Checker, c: Record<string, number>, p: PathKey[], src: SanafeGroup, dst: SanafeGroup, w: (i: number) => number, eb: EdgeBuffer): void {
  for (const k of ['input_height', 'input_width', 'kernel_height', 'kernel_width'] as const) if (c[k] === undefined) ck.fail(p, `conv2d needs '${k}'`);
  if (!ck.ok) return;
  const inH = c.input_height;
  const inW = c.input_width;
  const inC = c.input_channels ?? 1;
  const kH = c.kernel_height;
  const kW = c.kernel_width;
  const kC = c.kernel_count ?? 1;
  const sH = c.stride_height ?? 1;
  const sW = c.stride_width ?? 1;
  const pH = c.pad_height ?? 0;
  const pW = c.pad_width ?? 0;
  if (sH < 1 || sW < 1 || kH < 1 || kW < 1 || inC < 1 || kC < 1) {
    ck.fail(p, 'conv2d sizes and strides must be at least 1');
    return;
  }
  const outW = Math.floor((inW + 2 * pW - kW) / sW) + 1;
  const outH = Math.floor((inH + 2 * pH - kH) / sH) + 1;
  if (outW < 1 || outH < 1) {
    ck.fail(p, `conv2d kernel ${kH}×${kW} does not fit the ${inH}×${inW} input`);
    return;
  }
  if (inC * inW * inH !== src.size) ck.fail(p, `conv2d input is ${inC}×${inH}×${inW} = ${inC * inH * inW} neurons but group '${src.name}' has ${src.size}`);
  if (kC * outW * outH !== dst.size) ck.fail(p, `conv2d output is ${kC}×${outH}×${outW} = ${kC * outH * outW} neurons but group '${dst.name}' has ${dst.size}`);
  if (!ck.ok) return;
  const upper = kC * outH * outW * inC * kH * kW;
  if (upper > MAX_SANAFE_EDGES) {
    ck.fail(p, `would create up to ${upper} connections, more than the ${MAX_SANAFE_EDGES} allowed`);
    return;
  }
  eb.reserve(upper);
  const pre = eb.pre;
  const post = eb.post;
  const wt = eb.weight;
  const wk = new Float64Array(kH * kW * inC * kC);
  for (let i = 0; i < wk.length; i++) wk[i] = w(i);
  let e = eb.n;
  // SANA-FE's order: output channel, y, x; input channel, kernel y, kernel x. Neurons are channel-major
  // (index = c·H·W + y·W + x); the flat kernel is [ky][kx][c_in][c_out].
  for (let co = 0; co < kC; co++)
    for (let yo = 0; yo < outH; yo++)
      for (let xo = 0; xo < outW; xo++) {
        const dIdx = dst.offset + co * outW * outH + yo * outW + xo;
        for (let ci = 0; ci < inC; ci++)
          for (let ky = 0; ky < kH; ky++) {
            const y = yo * sH + ky - pH;
            if (y < 0 || y >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const x = xo * sW + kx - pW;
              if (x < 0 || x >= inW) continue;
              pre[e] = src.offset + ci * inW * inH + y * inW + x;
              post[e] = dIdx;
              wt[e] = wk[ky * kW * inC * kC + kx * inC * kC + ci * kC + co];
              e++;
            }
          }
      }
  eb.n = e;
}
