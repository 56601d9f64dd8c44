/**
 * Mapping: place the compartments of a compiled network onto cores within every per-core limit,
 * counting what a connection really costs on Loihi-style hardware:
 *
 * - compartments: one slot per compartment (spike-source compartments take slots too: they are
 *   the cores' input compartments, fed by the host);
 * - input axons: one per source compartment that has at least one synapse into the core;
 * - synapse memory: each input axon owns a synapse list packed into words; an entry takes
 *   weight bits (num_weight_bits, + 1 sign bit in mixed mode) + delay bits (when the projection
 *   has delays) + target index bits (ceil(log2 compartments per core)); a list of B bits takes
 *   ceil(B / word_bits) words (docs/ARCHITECTURE.md "Synapse-word encoding");
 * - output axons: one per (source compartment, destination core) pair.
 *
 * Strategies: `mesh` packs populations in the order given, cores in mesh order (global core id);
 * `traffic` orders populations so heavily connected ones are consecutive and walks the tiles in a
 * serpentine order, so consecutive cores are neighbours (short routes for heavy traffic).
 */
import { InputError } from '../errors.js';
import type { Arch } from '../spec/arch.js';
import type { CompiledNetwork } from '../spec/compile.js';

export type PlacementStrategy = 'mesh' | 'traffic';

export interface CoreUse {
  core: number;
  compartments: number;
  inputAxons: number;
  outputAxons: number;
  synapseWords: number;
  synapses: number;
  /** Population segments on this core, in local compartment order. */
  segments: { population: number; first: number; count: number; local: number }[];
}

export interface Placement {
  strategy: PlacementStrategy;
  /** Global compartment index → global core id. */
  coreOf: Uint32Array;
  /** Global compartment index → compartment index within its core. */
  localOf: Uint32Array;
  /** The cores in use, in the order they were filled. */
  cores: CoreUse[];
  /** Bits of one synapse entry per projection (weight + delay + target index). */
  entryBits: Uint16Array;
  chipsUsed: number;
  tilesUsed: number;
}

export function entryBitsOf(net: CompiledNetwork, arch: Arch): Uint16Array {
  const targetBits = Math.max(1, Math.ceil(Math.log2(arch.core.compartments)));
  const out = new Uint16Array(net.projections.length);
  net.projections.forEach((p, i) => {
    out[i] = p.numWeightBits + (p.signMode === 'mixed' ? 1 : 0) + (p.maxDelay > 0 ? arch.core.delayBits : 0) + targetBits;
  });
  return out;
}

/** Synapses into each global compartment (CSR by target): source global index and entry bits. */
function incomingByTarget(net: CompiledNetwork, entryBits: Uint16Array): { start: Uint32Array; src: Uint32Array; bits: Uint16Array } {
  const n = net.totalCompartments;
  const start = new Uint32Array(n + 1);
  for (const p of net.projections) {
    const off = net.populations[p.to].offset;
    for (let i = 0; i < p.post.length; i++) start[off + p.post[i] + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const src = new Uint32Array(net.totalSynapses);
  const bits = new Uint16Array(net.totalSynapses);
  for (const p of net.projections) {
    const toOff = net.populations[p.to].offset;
    const fromOff = net.populations[p.from].offset;
    const b = entryBits[p.index];
    for (let i = 0; i < p.post.length; i++) {
      const k = fill[toOff + p.post[i]]++;
      src[k] = fromOff + p.pre[i];
      bits[k] = b;
    }
  }
  return { start, src, bits };
}

/** Core ids in the order a strategy fills them. */
function coreOrder(arch: Arch, strategy: PlacementStrategy): Uint32Array {
  const order = new Uint32Array(arch.totalCores);
  if (strategy === 'mesh') {
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order;
  }
  // serpentine over tiles within each chip; chips in serpentine order over the board
  let k = 0;
  for (let cy = 0; cy < arch.chipsY; cy++)
    for (let cxi = 0; cxi < arch.chipsX; cxi++) {
      const cx = cy % 2 === 0 ? cxi : arch.chipsX - 1 - cxi;
      const chip = cy * arch.chipsX + cx;
      for (let ty = 0; ty < arch.tilesY; ty++)
        for (let txi = 0; txi < arch.tilesX; txi++) {
          const tx = ty % 2 === 0 ? txi : arch.tilesX - 1 - txi;
          const tile = ty * arch.tilesX + tx;
          for (let c = 0; c < arch.coresPerTile; c++) order[k++] = (chip * arch.tilesX * arch.tilesY + tile) * arch.coresPerTile + c;
        }
    }
  return order;
}

/** Population order: `traffic` chains populations greedily by synapse count between them. */
function populationOrder(net: CompiledNetwork, strategy: PlacementStrategy): number[] {
  const n = net.populations.length;
  if (strategy === 'mesh' || n <= 2) return net.populations.map((p) => p.index);
  const w = new Float64Array(n * n);
  for (const p of net.projections) {
    w[p.from * n + p.to] += p.pre.length;
    w[p.to * n + p.from] += p.pre.length;
  }
  const placed = new Uint8Array(n);
  const order: number[] = [];
  // start from the population with the most traffic overall (ties: lowest index)
  let cur = 0;
  let best = -1;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += w[i * n + j];
    if (s > best) {
      best = s;
      cur = i;
    }
  }
  for (;;) {
    placed[cur] = 1;
    order.push(cur);
    if (order.length === n) break;
    // next: the unplaced population most connected to everything placed so far
    let next = -1;
    let bw = -1;
    for (let j = 0; j < n; j++) {
      if (placed[j]) continue;
      let s = 0;
      for (const i of order) s += w[i * n + j];
      if (s > bw) {
        bw = s;
        next = j;
      }
    }
    cur = next;
  }
  return order;
}

/**
 * Place a compiled network; throws InputError naming the limit, the amount over it and the population.
 *
 * Output axons depend on where the targets land, so they are checked after a placement: when a core
 * needs more than it has, the number of compartments per core is lowered in proportion and the
 * placement is redone (a few rounds at most), spreading the sources over more cores.
 */
export function placeNetwork(net: CompiledNetwork, arch: Arch, strategy: PlacementStrategy = 'mesh'): Placement {
  const entryBits = entryBitsOf(net, arch);
  const inc = incomingByTarget(net, entryBits);
  let compartmentCap = arch.core.compartments;
  for (let round = 0; ; round++) {
    const r = placeOnce(net, arch, strategy, entryBits, inc, compartmentCap, round >= 8);
    if (r.kind === 'placed') return r.placement;
    compartmentCap = r.retryCap;
  }
}

type Incoming = ReturnType<typeof incomingByTarget>;

function placeOnce(
  net: CompiledNetwork,
  arch: Arch,
  strategy: PlacementStrategy,
  entryBits: Uint16Array,
  inc: Incoming,
  compartmentCap: number,
  lastRound: boolean,
): { kind: 'placed'; placement: Placement } | { kind: 'retry'; retryCap: number } {
  const wordBits = arch.core.synapseWordBits;
  const cap = arch.core;
  const order = coreOrder(arch, strategy);
  const coreOf = new Uint32Array(net.totalCompartments);
  const localOf = new Uint32Array(net.totalCompartments);
  // per source compartment: the core it last contributed an axon to, and the bits of that list
  const stamp = new Int32Array(net.totalCompartments).fill(-1);
  const listBits = new Float64Array(net.totalCompartments);
  const cores: CoreUse[] = [];
  let ci = -1;
  let cur: CoreUse | undefined;
  const openNext = (popName: string): CoreUse => {
    ci++;
    if (ci >= order.length) {
      const need = net.totalCompartments;
      throw new InputError('<mapping>', [
        {
          where: `population '${popName}'`,
          message: `does not fit: all ${order.length} cores (${arch.chipsX}×${arch.chipsY} chips of ${arch.coresPerChip} cores) are full with ${need} compartments to place; use --chips to add chips or an arch with larger cores`,
        },
      ]);
    }
    cur = { core: order[ci], compartments: 0, inputAxons: 0, outputAxons: 0, synapseWords: 0, synapses: 0, segments: [] };
    cores.push(cur);
    return cur;
  };
  for (const pi of populationOrder(net, strategy)) {
    const pop = net.populations[pi];
    for (let i = 0; i < pop.size; i++) {
      const g = pop.offset + i;
      for (let attempt = 0; ; attempt++) {
        const c = cur ?? openNext(pop.name);
        // tentative costs of adding compartment g to core c
        const myCore = ci;
        let newAxons = 0;
        let newWords = 0;
        const a = inc.start[g];
        const b = inc.start[g + 1];
        for (let k = a; k < b; k++) {
          const s = inc.src[k];
          if (stamp[s] !== myCore) {
            stamp[s] = myCore;
            listBits[s] = 0;
            newAxons++;
          }
          const before = Math.ceil(listBits[s] / wordBits);
          listBits[s] += inc.bits[k];
          newWords += Math.ceil(listBits[s] / wordBits) - before;
        }
        const fits = c.compartments + 1 <= compartmentCap && c.inputAxons + newAxons <= cap.inputAxons && c.synapseWords + newWords <= cap.synapseWords;
        if (fits) {
          coreOf[g] = c.core;
          localOf[g] = c.compartments;
          const last = c.segments[c.segments.length - 1];
          if (last && last.population === pi && last.first + last.count === i) last.count++;
          else c.segments.push({ population: pi, first: i, count: 1, local: c.compartments });
          c.compartments++;
          c.inputAxons += newAxons;
          c.synapseWords += newWords;
          c.synapses += b - a;
          break;
        }
        // the compartment does not fit: this core is closed (its stamps and list bits are never
        // consulted again, since the next core has a new index), and it is retried on the next one
        if (c.compartments === 0) {
          // an empty core cannot hold it: this compartment alone is over a limit
          const axons = new Set<number>();
          let words = 0;
          const bitsBySrc = new Map<number, number>();
          for (let k = a; k < b; k++) {
            axons.add(inc.src[k]);
            bitsBySrc.set(inc.src[k], (bitsBySrc.get(inc.src[k]) ?? 0) + inc.bits[k]);
          }
          for (const v of bitsBySrc.values()) words += Math.ceil(v / wordBits);
          const msg =
            axons.size > cap.inputAxons
              ? `compartment ${i} has synapses from ${axons.size} source compartments, ${axons.size - cap.inputAxons} over the limit of ${cap.inputAxons} input axons per core`
              : `compartment ${i} needs ${words} synapse words, ${words - cap.synapseWords} over the limit of ${cap.synapseWords} per core`;
          throw new InputError('<mapping>', [{ where: `population '${pop.name}'`, message: msg }]);
        }
        cur = undefined; // close this core and retry on the next
        if (attempt > 1) throw new Error('mapping: compartment could not be placed on a fresh core');
      }
    }
  }
  // output axons: one per (source compartment, destination core)
  const outAxons = new Map<number, number>();
  const outBySource = outgoingCoreCounts(net, coreOf, arch.totalCores);
  for (let s = 0; s < net.totalCompartments; s++) {
    const k = outBySource[s];
    if (k) outAxons.set(coreOf[s], (outAxons.get(coreOf[s]) ?? 0) + k);
  }
  let worst: CoreUse | undefined;
  for (const c of cores) {
    c.outputAxons = outAxons.get(c.core) ?? 0;
    if (c.outputAxons > cap.outputAxons && (!worst || c.outputAxons * worst.compartments > worst.outputAxons * c.compartments)) worst = c;
  }
  if (worst) {
    const c = worst;
    const retryCap = Math.min(compartmentCap - 1, Math.floor((c.compartments * cap.outputAxons) / c.outputAxons));
    if (!lastRound && retryCap >= 1) return { kind: 'retry', retryCap };
    {
      const popNames = [...new Set(c.segments.map((s) => net.populations[s.population].name))].join("', '");
      throw new InputError('<mapping>', [
        {
          where: `population '${popNames}'`,
          message: `core ${c.core} needs ${c.outputAxons} output axons, ${c.outputAxons - cap.outputAxons} over the limit of ${cap.outputAxons} (each compartment takes one per destination core); use traffic-aware placement (--placement traffic) or an arch with more output axons`,
        },
      ]);
    }
  }
  const chips = new Set<number>();
  const tiles = new Set<number>();
  for (const c of cores) {
    chips.add(Math.floor(c.core / arch.coresPerChip));
    tiles.add(Math.floor(c.core / arch.coresPerTile));
  }
  return { kind: 'placed', placement: { strategy, coreOf, localOf, cores, entryBits, chipsUsed: chips.size, tilesUsed: tiles.size } };
}

/** For each source compartment, the number of distinct destination cores its synapses reach. */
function outgoingCoreCounts(net: CompiledNetwork, coreOf: Uint32Array, totalCores: number): Uint32Array {
  const n = net.totalCompartments;
  // CSR of destination cores by source
  const start = new Uint32Array(n + 1);
  for (const p of net.projections) {
    const off = net.populations[p.from].offset;
    for (let i = 0; i < p.pre.length; i++) start[off + p.pre[i] + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const dst = new Uint32Array(net.totalSynapses);
  for (const p of net.projections) {
    const fromOff = net.populations[p.from].offset;
    const toOff = net.populations[p.to].offset;
    for (let i = 0; i < p.pre.length; i++) dst[fill[fromOff + p.pre[i]]++] = coreOf[toOff + p.post[i]];
  }
  const counts = new Uint32Array(n);
  // dedupe with a per-core stamp: the last source that touched each core
  const touched = new Int32Array(totalCores).fill(-1);
  for (let s = 0; s < n; s++) {
    let k = 0;
    for (let j = start[s]; j < start[s + 1]; j++) {
      const c = dst[j];
      if (touched[c] !== s) {
        touched[c] = s;
        k++;
      }
    }
    counts[s] = k;
  }
  return counts;
}
