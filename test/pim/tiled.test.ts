import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { TiledMatrix, makeCrossbarParams } from '../../emulator/pim/index.js';
import { mae, matVec, randomInts } from './helpers.js';

describe('tiled matrix across crossbar arrays', () => {
  it('a 10,000 × 1,000 projection tiles across arrays and computes exactly with ideal devices', () => {
    // 256×256 arrays, 4-bit weights on 4-bit cells with a reference column: 255 weight columns per array
    const p = makeCrossbarParams({ rows: 256, cols: 256, cellBits: 4, weightBits: 4, inputBits: 4, dacBits: 2, adcBits: 16 });
    const R = 10_000;
    const C = 1_000;
    expect(TiledMatrix.plan(p, R, C)).toEqual({ rowTiles: 40, colTiles: 4, arrays: 160, cells: 160 * 256 * 256 });
    const tm = new TiledMatrix(p, { rows: R, cols: C, seed: 4 });
    expect(tm.arrayCount).toBe(160);
    expect(tm.tiles.every((t) => t.ideal)).toBe(true);
    const w = randomInts(1, 1, R * C, -8, 7);
    tm.program(w);
    const out = new Int32Array(C);
    for (let v = 0; v < 2; v++) {
      const x = randomInts(1, 10 + v, R, -8, 7);
      tm.mvm(x, out);
      expect(Array.from(out)).toEqual(Array.from(matVec(x, w, C)));
    }
    const s = tm.stats.snapshot();
    expect(s.partialSumAdds).toBe(2 * 39 * C);
    expect(s.counts['crossbar.read']).toBe(2 * 160);
    // every weight cell once, plus the reference-column cell of each row in each of the 4 column tiles
    expect(s.counts['crossbar.write']).toBe(R * C + R * 4);
  });

  it('tiles rows and columns with uneven edges, differential weights and re-written rows', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 64, cellBits: 2, weightBits: 5, signed: 'differential', inputBits: 6, dacBits: 2, adcBits: 12 });
    const R = 150;
    const C = 23; // 10 weight columns per array: 3 column tiles, 3 row tiles
    const tm = new TiledMatrix(p, { rows: R, cols: C });
    expect(tm.plan).toMatchObject({ rowTiles: 3, colTiles: 3, arrays: 9 });
    const w = randomInts(2, 1, R * C, -31, 31);
    tm.program(w);
    const row = randomInts(2, 5, C, -31, 31);
    tm.writeRow(130, row);
    w.set(row, 130 * C);
    const x = randomInts(2, 6, R, -32, 31);
    const out = new Int32Array(C);
    const lat = tm.mvm(x, out);
    expect(Array.from(out)).toEqual(Array.from(matVec(x, w, C)));
    expect(lat).toBe(tm.tiles[0].mvmLatencyPs + 2 * tm.tiles[0].costs.shiftAdd.latencyPs);
  });

  it('carries non-idealities into every tile, each array with its own draws', () => {
    const raw = { rows: 64, cols: 64, cellBits: 2, weightBits: 4, inputBits: 4, adcBits: 10, nonIdealities: { programmingError: { sigma: 0.1 } } };
    const tm = new TiledMatrix(makeCrossbarParams(raw), { rows: 128, cols: 40, seed: 3 });
    const w = randomInts(3, 1, 128 * 40, -8, 7);
    tm.program(w);
    const x = randomInts(3, 2, 128, -8, 7);
    const out = new Int32Array(40);
    tm.mvm(x, out);
    expect(mae(out, matVec(x, w, 40))).toBeGreaterThan(0);
    expect(Array.from(tm.tiles[0].conductance.subarray(0, 64))).not.toEqual(Array.from(tm.tiles[1].conductance.subarray(0, 64)));
  });

  it('rejects mismatched shapes and outputs that could overflow 32 bits', () => {
    const p = makeCrossbarParams({ rows: 64, cols: 64, weightBits: 8, inputBits: 8 });
    const tm = new TiledMatrix(p, { rows: 100, cols: 10 });
    expect(() => tm.program(new Int32Array(5))).toThrow(InputError);
    expect(() => tm.mvm(new Int32Array(99), new Int32Array(10))).toThrow(/expected 100 inputs/);
    expect(() => tm.writeRow(100, new Int32Array(10))).toThrow(/row 100/);
    const wide = makeCrossbarParams({ rows: 256, cols: 256, weightBits: 8, inputBits: 16 });
    expect(() => new TiledMatrix(wide, { rows: 1000, cols: 10 })).toThrow(/32-bit output/);
  });
});
