import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../emulator/errors.js';
import {
  LOIHI_TOPOLOGY,
  coreCount,
  coreId,
  coreLocation,
  coreRouter,
  linkKinds,
  meshWidth,
  routerCount,
  validateTopology,
  type MeshTopology,
} from '../../emulator/noc/index.js';

const topoArb = fc.record({
  chipsX: fc.integer({ min: 1, max: 4 }),
  chipsY: fc.integer({ min: 1, max: 4 }),
  tilesX: fc.integer({ min: 1, max: 8 }),
  tilesY: fc.integer({ min: 1, max: 8 }),
  coresPerRouter: fc.integer({ min: 1, max: 4 }),
});

describe('topology and core numbering', () => {
  it('Loihi chip: 8 x 4 tiles x 4 cores = 128 cores', () => {
    expect(coreCount(LOIHI_TOPOLOGY)).toBe(128);
    expect(routerCount(LOIHI_TOPOLOGY)).toBe(32);
    const out = new Int32Array(5);
    coreLocation(LOIHI_TOPOLOGY, 127, out);
    expect([...out]).toEqual([0, 0, 7, 3, 3]);
    coreLocation(LOIHI_TOPOLOGY, 4 * 9 + 2, out); // tile 9 = (1, 1)
    expect([...out]).toEqual([0, 0, 1, 1, 2]);
  });

  it('core id is chip-major, then tile row-major, then core-in-tile (round trip)', () => {
    fc.assert(
      fc.property(topoArb, fc.nat(), (topo: MeshTopology, seed) => {
        const core = seed % coreCount(topo);
        const out = new Int32Array(5);
        coreLocation(topo, core, out);
        expect(coreId(topo, out[0], out[1], out[2], out[3], out[4])).toBe(core);
        const gx = out[0] * topo.tilesX + out[2];
        const gy = out[1] * topo.tilesY + out[3];
        expect(coreRouter(topo, core)).toBe(gy * meshWidth(topo) + gx);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('marks chip-to-chip links and mesh edges', () => {
    const topo: MeshTopology = { chipsX: 2, chipsY: 1, tilesX: 2, tilesY: 2, coresPerRouter: 1 };
    const k = linkKinds(topo); // global mesh 4 x 2
    expect(k[(0 * 4 + 1) * 4 + 0]).toBe(1); // router (1,0) east -> (2,0): crosses into chip 1
    expect(k[(0 * 4 + 2) * 4 + 1]).toBe(1); // (2,0) west
    expect(k[(0 * 4 + 0) * 4 + 0]).toBe(0); // (0,0) east stays on chip 0
    expect(k[(0 * 4 + 0) * 4 + 1]).toBe(-1); // (0,0) west: edge
    expect(k[(0 * 4 + 0) * 4 + 3]).toBe(-1); // (0,0) south: edge
    expect(k[(0 * 4 + 0) * 4 + 2]).toBe(0); // (0,0) north -> (0,1)
    expect(k[(1 * 4 + 3) * 4 + 2]).toBe(-1); // (3,1) north: edge
  });

  it('rejects bad topologies with field names', () => {
    try {
      validateTopology({ chipsX: 0, chipsY: 1.5, tilesX: 8, tilesY: NaN, coresPerRouter: 4 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).problems.map((p) => p.where)).toEqual(['chipsX', 'chipsY', 'tilesY']);
    }
  });
});
