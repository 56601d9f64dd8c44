/**
 * Mesh topology: chips tiled into a board, each chip a mesh of routers (tiles), each router
 * serving `coresPerRouter` cores. The routers of all chips form one global 2D mesh; a link
 * between two routers of different chips is a chip-to-chip link.
 *
 * Numbering (documented in docs/NOC.md):
 * - global core id: chip-major, then tile row-major, then core-in-tile
 *   core = ((chipY*chipsX + chipX) * (tilesX*tilesY) + (tileY*tilesX + tileX)) * coresPerRouter + k
 * - global router coordinates: gx = chipX*tilesX + tileX, gy = chipY*tilesY + tileY
 * - global router id (used by the router models): gy * meshW + gx, meshW = chipsX*tilesX
 * - directions: E = +x, W = -x, N = +y, S = -y; output port 4 is the local (eject) port.
 * - link id: router * 4 + direction of the output port it leaves by.
 */
import { InputError, type Problem } from '../errors.js';

export interface MeshTopology {
  /** Chips across the board (x). */
  chipsX: number;
  /** Chips down the board (y). */
  chipsY: number;
  /** Routers (tiles) per chip in x. Loihi: 8. */
  tilesX: number;
  /** Routers (tiles) per chip in y. Loihi: 4. */
  tilesY: number;
  /** Cores attached to each router. Loihi: 4. */
  coresPerRouter: number;
}

/** Direction / port numbers. */
export const DIR_E = 0;
export const DIR_W = 1;
export const DIR_N = 2;
export const DIR_S = 3;
/** The local port: injection on the input side, ejection on the output side. */
export const PORT_LOCAL = 4;
export const DIRECTION_NAMES = ['E', 'W', 'N', 'S'] as const;
/** The port a flit enters by after leaving through direction d (E <-> W, N <-> S). */
export const OPPOSITE = [DIR_W, DIR_E, DIR_S, DIR_N] as const;
/** Step in x and y for each direction. */
export const DIR_DX = [1, -1, 0, 0] as const;
export const DIR_DY = [0, 0, 1, -1] as const;

/** Loihi 1 chip: 8 x 4 tiles, 4 cores per tile (SANA-FE arch/loihi.yaml; Davies 2018). */
export const LOIHI_TOPOLOGY: MeshTopology = { chipsX: 1, chipsY: 1, tilesX: 8, tilesY: 4, coresPerRouter: 4 };

/** Upper bound on routers so that link ids (router*4+dir) stay well inside int32. */
const MAX_ROUTERS = 1 << 26;

/** Check a topology; every bad field becomes a Problem (InputError), never a RangeError later. */
export function validateTopology(topo: MeshTopology, source = '<topology>'): void {
  const problems: Problem[] = [];
  for (const key of ['chipsX', 'chipsY', 'tilesX', 'tilesY', 'coresPerRouter'] as const) {
    const v = topo[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) problems.push({ where: key, message: `must be an integer >= 1, got ${String(v)}` });
  }
  if (problems.length === 0) {
    const routers = topo.chipsX * topo.tilesX * topo.chipsY * topo.tilesY;
    if (routers > MAX_ROUTERS) problems.push({ where: '', message: `${routers} routers is more than the supported ${MAX_ROUTERS}` });
    if (routers * topo.coresPerRouter > 0xffffffff) problems.push({ where: 'coresPerRouter', message: 'more than 2^32 cores cannot be addressed' });
  }
  if (problems.length) throw new InputError(source, problems);
}

/** Routers across the whole board in x. */
export function meshWidth(topo: MeshTopology): number {
  return topo.chipsX * topo.tilesX;
}
/** Routers across the whole board in y. */
export function meshHeight(topo: MeshTopology): number {
  return topo.chipsY * topo.tilesY;
}
export function routerCount(topo: MeshTopology): number {
  return meshWidth(topo) * meshHeight(topo);
}
export function coreCount(topo: MeshTopology): number {
  return routerCount(topo) * topo.coresPerRouter;
}

/** Decode a global core id into [chipX, chipY, tileX, tileY, k] (written into `out`, no allocation). */
export function coreLocation(topo: MeshTopology, core: number, out: Int32Array): void {
  const k = core % topo.coresPerRouter;
  const tile = (core - k) / topo.coresPerRouter;
  const tilesPerChip = topo.tilesX * topo.tilesY;
  const tileInChip = tile % tilesPerChip;
  const chip = (tile - tileInChip) / tilesPerChip;
  out[0] = chip % topo.chipsX;
  out[1] = (chip - out[0]) / topo.chipsX;
  out[2] = tileInChip % topo.tilesX;
  out[3] = (tileInChip - out[2]) / topo.tilesX;
  out[4] = k;
}

/** Global core id from its location (inverse of coreLocation). */
export function coreId(topo: MeshTopology, chipX: number, chipY: number, tileX: number, tileY: number, k: number): number {
  return ((chipY * topo.chipsX + chipX) * (topo.tilesX * topo.tilesY) + (tileY * topo.tilesX + tileX)) * topo.coresPerRouter + k;
}

/** Global router id (gy * meshW + gx) of the router a core is attached to. Pure arithmetic. */
export function coreRouter(topo: MeshTopology, core: number): number {
  const tile = Math.floor(core / topo.coresPerRouter);
  const tilesPerChip = topo.tilesX * topo.tilesY;
  const tileInChip = tile % tilesPerChip;
  const chip = (tile - tileInChip) / tilesPerChip;
  const chipX = chip % topo.chipsX;
  const chipY = (chip - chipX) / topo.chipsX;
  const tileX = tileInChip % topo.tilesX;
  const tileY = (tileInChip - tileX) / topo.tilesX;
  return (chipY * topo.tilesY + tileY) * topo.chipsX * topo.tilesX + chipX * topo.tilesX + tileX;
}

/**
 * Does the link leaving router (gx, gy) in direction `dir` cross a chip boundary?
 * (The caller guarantees the neighbour exists.)
 */
export function crossesChip(topo: MeshTopology, gx: number, gy: number, dir: number): boolean {
  switch (dir) {
    case DIR_E:
      return (gx + 1) % topo.tilesX === 0;
    case DIR_W:
      return gx % topo.tilesX === 0;
    case DIR_N:
      return (gy + 1) % topo.tilesY === 0;
    default:
      return gy % topo.tilesY === 0;
  }
}

/**
 * Per-link flag table: 1 where the output link (router*4+dir) crosses a chip boundary, 0 inside a
 * chip, -1 where the link does not exist (mesh edge).
 */
export function linkKinds(topo: MeshTopology): Int8Array {
  const w = meshWidth(topo);
  const h = meshHeight(topo);
  const kinds = new Int8Array(w * h * 4);
  for (let gy = 0; gy < h; gy++) {
    for (let gx = 0; gx < w; gx++) {
      const r = gy * w + gx;
      for (let d = 0; d < 4; d++) {
        const nx = gx + DIR_DX[d];
        const ny = gy + DIR_DY[d];
        kinds[r * 4 + d] = nx < 0 || ny < 0 || nx >= w || ny >= h ? -1 : crossesChip(topo, gx, gy, d) ? 1 : 0;
      }
    }
  }
  return kinds;
}
