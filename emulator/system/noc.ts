/**
 * The NoC as the step engine uses it: a NoC model (emulator/noc, analytic or cycle-level) built from
 * the architecture's parameters, plus per-packet attribution of hops to the sending population and
 * chip. With minimal dimension-order routing (XY or YX) a packet's hops by direction follow from its
 * end points: |Δx| east-west links, |Δy| north-south links, of which the chip-boundary crossings are
 * chip-to-chip links — so attribution needs no per-packet path record. test/system/noc.test.ts checks
 * the sums against the NoC model's own counters.
 */
import { createNoc, LOIHI_NOC_PARAMS, type NocModel, type NocModelName, type NocParams, type MeshTopology } from '../noc/index.js';
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

export function createArchNoc(arch: Arch, model: NocChoice, overrides: Partial<NocParams> = {}): NocModel {
  return createNoc(model, archTopology(arch), archNocParams(arch, overrides));
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
