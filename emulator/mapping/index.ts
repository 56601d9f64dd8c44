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
import type { CompiledNetwork, CompiledProjection } from '../spec/compile.js';
import { TiledMatrix } from '../pim/tiled.js';
import { BinaryCrossbar } from '../pim/binary.js';
import { crossbarGeometry } from '../pim/params.js';

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
  /** Crossbar-backed projections: their arrays and the tiles they sit on (docs/PIM.md). */
  crossbars: CrossbarPlacement[];
}

/**
 * The arrays of one crossbar-backed projection. Its pre × post matrix is tiled as TiledMatrix does
 * (row tiles of `rows` inputs × column tiles of the array's weight columns); array k = rt · colTiles
 * + ct sits on global tile tileOf[k] (⌊core / cores_per_tile⌋ numbering).
 */
export interface CrossbarPlacement {
  projection: number;
  rowTiles: number;
  colTiles: number;
  arrays: number;
  tileOf: Uint32Array;
  /** CSR by row tile: the distinct tiles holding its arrays (a spike is sent once to each). */
  rowTileTileStart: Uint32Array;
  rowTileTiles: Uint32Array;
}

/**
 * The arrays of a crossbar-backed projection without allocating them. Analog mode tiles the pre × post
 * matrix as TiledMatrix does (row tiles of `rows` inputs, column tiles of the weight columns); binary
 * mode stores one D-bit row per post compartment (D = pre size) as BinaryCrossbar does: a "row tile" is
 * a segment of floor(cols / 2) query bits, a "column tile" a block of `rows` stored rows. Either way a
 * spike of pre compartment i goes to the arrays of row tile ⌊i / inputsPerRowTile⌋ and output j leaves
 * from column tile ⌊j / outputsPerColTile⌋.
 */
export function crossbarPlanOf(
  p: CompiledProjection,
  preSize: number,
  postSize: number,
): { rowTiles: number; colTiles: number; arrays: number; cells: number; inputsPerRowTile: number; outputsPerColTile: number } {
  const x = p.crossbar!;
  if (p.crossbarMode === 'binary') {
    const b = BinaryCrossbar.plan(x, preSize, postSize);
    return { rowTiles: b.segments, colTiles: b.rowBlocks, arrays: b.arrays, cells: b.arrays * x.rows * x.cols, inputsPerRowTile: b.bitsPerSegment, outputsPerColTile: x.rows };
  }
  const t = TiledMatrix.plan(x, preSize, postSize);
  return { ...t, inputsPerRowTile: x.rows, outputsPerColTile: crossbarGeometry(x).weightCols };
}

/** Bytes of conductance state the emulator may allocate for all crossbar arrays (8 bytes per cell). */
export const MAX_CROSSBAR_BYTES = 2 ** 31;

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
  const coreProjections = net.projections.filter((p) => p.on !== 'crossbar');
  for (const p of coreProjections) {
    const off = net.populations[p.to].offset;
    for (let i = 0; i < p.post.length; i++) start[off + p.post[i] + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const src = new Uint32Array(start[n]);
  const bits = new Uint16Array(start[n]);
  for (const p of coreProjections) {
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
    if (r.kind === 'placed') {
      placeCrossbars(net, arch, r.placement);
      return r.placement;
    }
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
  return { kind: 'placed', placement: { strategy, coreOf, localOf, cores, entryBits, chipsUsed: chips.size, tilesUsed: tiles.size, crossbars: [] } };
}

/** For each source compartment, the number of distinct destination cores its synapses reach. */
function outgoingCoreCounts(net: CompiledNetwork, coreOf: Uint32Array, totalCores: number): Uint32Array {
  const n = net.totalCompartments;
  // CSR of destination cores by source
  const start = new Uint32Array(n + 1);
  const coreProjections = net.projections.filter((p) => p.on !== 'crossbar');
  for (const p of coreProjections) {
    const off = net.populations[p.from].offset;
    for (let i = 0; i < p.pre.length; i++) start[off + p.pre[i] + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const dst = new Uint32Array(start[n]);
  for (const p of coreProjections) {
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

/** Global router coordinates of a global tile id (chip-major, tiles row-major within a chip). */
function tileXY(arch: Arch, tile: number): [number, number] {
  const perChip = arch.tilesX * arch.tilesY;
  const chip = Math.floor(tile / perChip);
  const t = tile % perChip;
  return [(chip % arch.chipsX) * arch.tilesX + (t % arch.tilesX), Math.floor(chip / arch.chipsX) * arch.tilesY + Math.floor(t / arch.tilesX)];
}

/**
 * Place the arrays of every crossbar-backed projection on tiles (crossbar.per_tile arrays per tile
 * router), nearest first to the tiles of the projection's target cores (Manhattan distance on the
 * mesh, ties by tile id), and add the output axons the pre compartments need to reach them (one per
 * distinct tile of their row tile). Capacity errors name the projection and the numbers.
 */
function placeCrossbars(net: CompiledNetwork, arch: Arch, pl: Placement): void {
  const xps = net.projections.filter((p) => p.on === 'crossbar');
  if (xps.length === 0) return;
  const totalTiles = arch.totalCores / arch.coresPerTile;
  const free = new Int32Array(totalTiles).fill(arch.crossbar.perTile);
  const coreUse = new Map<number, CoreUse>();
  for (const c of pl.cores) coreUse.set(c.core, c);
  const tx = new Int32Array(totalTiles);
  const ty = new Int32Array(totalTiles);
  for (let t = 0; t < totalTiles; t++) [tx[t], ty[t]] = tileXY(arch, t);
  let bytes = 0;
  const extraOut = new Map<number, number>();
  for (const p of xps) {
    const pre = net.populations[p.from];
    const post = net.populations[p.to];
    const plan = crossbarPlanOf(p, pre.size, post.size);
    const where = `projection '${p.name}'`;
    const shape =
      p.crossbarMode === 'binary'
        ? `${plan.rowTiles} segments of ${plan.inputsPerRowTile} bits × ${plan.colTiles} blocks of ${plan.outputsPerColTile} stored rows on ${p.crossbar!.rows}×${p.crossbar!.cols} arrays for its ${post.size} binary rows of ${pre.size} bits`
        : `${plan.rowTiles} row tiles × ${plan.colTiles} column tiles of ${p.crossbar!.rows}×${p.crossbar!.cols} arrays for its ${pre.size}×${post.size} matrix`;
    bytes += plan.cells * 8;
    if (bytes > MAX_CROSSBAR_BYTES)
      throw new InputError('<mapping>', [{ where, message: `needs ${plan.arrays} crossbar arrays (${shape}); the arrays of the network would hold more than ${MAX_CROSSBAR_BYTES / 2 ** 30} GiB of cell state` }]);
    let available = 0;
    for (let t = 0; t < totalTiles; t++) available += free[t];
    if (plan.arrays > available) {
      throw new InputError('<mapping>', [
        {
          where,
          message: `needs ${plan.arrays} crossbar arrays (${shape}) but only ${available} of the ${arch.crossbar.perTile * totalTiles} arrays (crossbar.per_tile ${arch.crossbar.perTile} × ${totalTiles} tiles) are free; raise crossbar.per_tile in an arch file, add chips (--chips) or use larger arrays`,
        },
      ]);
    }
    // target tiles, then every tile by distance to the nearest of them
    const targets = [...new Set(Array.from({ length: post.size }, (_, i) => Math.floor(pl.coreOf[post.offset + i] / arch.coresPerTile)))];
    const dist = new Float64Array(totalTiles);
    for (let t = 0; t < totalTiles; t++) {
      let d = Infinity;
      for (const g of targets) d = Math.min(d, Math.abs(tx[t] - tx[g]) + Math.abs(ty[t] - ty[g]));
      dist[t] = d;
    }
    const order = Array.from({ length: totalTiles }, (_, t) => t).sort((a, b) => dist[a] - dist[b] || a - b);
    const tileOf = new Uint32Array(plan.arrays);
    let k = 0;
    for (const t of order) {
      while (free[t] > 0 && k < plan.arrays) {
        free[t]--;
        tileOf[k++] = t;
      }
      if (k === plan.arrays) break;
    }
    const rowTileTileStart = new Uint32Array(plan.rowTiles + 1);
    const list: number[] = [];
    for (let rt = 0; rt < plan.rowTiles; rt++) {
      rowTileTileStart[rt] = list.length;
      const seen = new Set<number>();
      for (let ct = 0; ct < plan.colTiles; ct++) {
        const t = tileOf[rt * plan.colTiles + ct];
        if (!seen.has(t)) {
          seen.add(t);
          list.push(t);
        }
      }
    }
    rowTileTileStart[plan.rowTiles] = list.length;
    const rowTileTiles = Uint32Array.from(list);
    pl.crossbars.push({ projection: p.index, rowTiles: plan.rowTiles, colTiles: plan.colTiles, arrays: plan.arrays, tileOf, rowTileTileStart, rowTileTiles });
    // output axons of the pre compartments toward the crossbar tiles
    const rows = plan.inputsPerRowTile;
    for (let i = 0; i < pre.size; i++) {
      const rt = Math.floor(i / rows);
      const core = pl.coreOf[pre.offset + i];
      extraOut.set(core, (extraOut.get(core) ?? 0) + rowTileTileStart[rt + 1] - rowTileTileStart[rt]);
    }
  }
  for (const [core, n] of extraOut) {
    const c = coreUse.get(core)!;
    c.outputAxons += n;
    if (c.outputAxons > arch.core.outputAxons) {
      throw new InputError('<mapping>', [
        { where: `core ${core}`, message: `needs ${c.outputAxons} output axons with its crossbar destinations, ${c.outputAxons - arch.core.outputAxons} over the limit of ${arch.core.outputAxons}; use larger arrays (fewer row tiles) or an arch with more output axons` },
      ]);
    }
  }
  const tiles = new Set<number>();
  const chips = new Set<number>();
  for (const c of pl.cores) tiles.add(Math.floor(c.core / arch.coresPerTile));
  for (const x of pl.crossbars) for (const t of x.tileOf) tiles.add(t);
  const tilesPerChip = arch.tilesX * arch.tilesY;
  for (const t of tiles) chips.add(Math.floor(t / tilesPerChip));
  pl.tilesUsed = tiles.size;
  pl.chipsUsed = chips.size;
}
