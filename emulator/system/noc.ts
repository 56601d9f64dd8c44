/**
 * The NoC as the step engine uses it: a NoC model (emulator/noc, analytic or cycle-level) built from
 * the architecture's parameters, plus per-packet attribution of hops to the sending population and
 * chip. With minimal dimension-order routing (XY or YX) a packet's hops by direction follow from its
 * end points: |Δx| east-west links, |Δy| north-south links, of which the chip-boundary crossings are
 * chip-to-chip links — so attribution needs no per-packet path record. test/system/noc.test.ts checks
 * the sums against the NoC model's own counters.
 */
import { createNoc, LOIHI_NOC_PARAMS, type NocModel, type NocModelName, type NocOptions, type NocParams, type MeshTopology } from '../noc/index.js';
import type { ActionId } from '../energy/activity.js';
import type { Arch } from '../spec/arch.js';

export type NocChoice = NocModelName;

/** The NoC topology of an architecture. */
export function archTopology(arch: Arch): MeshTopology {
  return { chipsX: arch.chipsX, chipsY: arch.chipsY, tilesX: arch.tilesX, tilesY: arch.tilesY, coresPerRouter: arch.coresPerTile };
}

/** NoC model parameters: latencies and wire format from the arch, router-model settings from the NoC defaults. */
export function archNocParams(arch: Arch, overrides: Partial<NocParams> = {}): NocParams {
  return {
    ...LOIHI_NOC_PARAMS,
    hopPsEW: arch.noc.hopEwPs,
    hopPsNS: arch.noc.hopNsPs,
    withinTilePs: arch.noc.withinTilePs,
    chipLinkPs: arch.noc.chipLinkPs,
    packetBits: arch.noc.packetBits,
    flitBits: arch.noc.flitBits,
    ...overrides,
  };
}

export function createArchNoc(arch: Arch, model: NocChoice, overrides: Partial<NocParams> = {}, opts: NocOptions = {}): NocModel {
  return createNoc(model, archTopology(arch), archNocParams(arch, overrides), opts);
}

/** Where each core sits: global router x, y and chip x, y (by core index in the emulator). */
export class CorePlaces {
  readonly gx: Int32Array;
  readonly gy: Int32Array;
  readonly cx: Int32Array;
  readonly cy: Int32Array;
  constructor(arch: Arch, coreIds: ArrayLike<number>) {
    const n = coreIds.length;
    this.gx = new Int32Array(n);
    this.gy = new Int32Array(n);
    this.cx = new Int32Array(n);
    this.cy = new Int32Array(n);
    const tilesPerChip = arch.tilesX * arch.tilesY;
    for (let i = 0; i < n; i++) {
      const id = coreIds[i];
      const chip = Math.floor(id / arch.coresPerChip);
      const tile = Math.floor((id % arch.coresPerChip) / arch.coresPerTile) % tilesPerChip;
      const chipX = chip % arch.chipsX;
      const chipY = Math.floor(chip / arch.chipsX);
      this.cx[i] = chipX;
      this.cy[i] = chipY;
      this.gx[i] = chipX * arch.tilesX + (tile % arch.tilesX);
      this.gy[i] = chipY * arch.tilesY + Math.floor(tile / arch.tilesX);
    }
  }
}

/** NoC actions attributed per population and chip, in the order of the attribution rows. */
export const NOC_ACTIONS: readonly ActionId[] = ['noc.flit', 'noc.hop_ew', 'noc.hop_ns', 'noc.chip_link', 'noc.within_tile'];
/** Values per attribution row (one per NOC_ACTIONS entry). */
export const NOC_ATTR = NOC_ACTIONS.length;

/**
 * Add one packet of F flits from place s to place d (indices into `pl`) to row `pop` of `byPop` and to
 * the source chip's row of `byChip`: flits, E-W and N-S hops within chips, chip-link hops (minimal
 * routes) and within-tile deliveries.
 */
export function attributePacket(pl: CorePlaces, s: number, d: number, F: number, pop: number, chipsX: number, byPop: Float64Array, byChip: Float64Array): void {
  const dx = Math.abs(pl.gx[s] - pl.gx[d]);
  const dy = Math.abs(pl.gy[s] - pl.gy[d]);
  const cxl = Math.abs(pl.cx[s] - pl.cx[d]);
  const cyl = Math.abs(pl.cy[s] - pl.cy[d]);
  const within = dx === 0 && dy === 0 ? 1 : 0;
  const rp = pop * NOC_ATTR;
  const rc = (pl.cy[s] * chipsX + pl.cx[s]) * NOC_ATTR;
  byPop[rp] += F;
  byPop[rp + 1] += F * (dx - cxl);
  byPop[rp + 2] += F * (dy - cyl);
  byPop[rp + 3] += F * (cxl + cyl);
  byPop[rp + 4] += within;
  byChip[rc] += F;
  byChip[rc + 1] += F * (dx - cxl);
  byChip[rc + 2] += F * (dy - cyl);
  byChip[rc + 3] += F * (cxl + cyl);
  byChip[rc + 4] += within;
}

