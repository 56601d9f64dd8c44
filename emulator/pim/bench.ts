/**
 * Speed benchmark of the crossbar block (wired into `npm run bench` by the lead):
 * - a 256×256 analog MVM with 8-bit bit-serial inputs (1 bit per cycle) and a 4-bit ADC (MVMs/s);
 * - a Hamming search of one query against 1,000 stored 10,000-bit rows on the packed popcount
 *   path (GB/s of stored rows scanned), next to a plain SWAR-popcount loop over the same words.
 * Inputs are seeded; only the time is measured.
 */
import { RNG_BLOCK, randU32 } from '../util/rng.js';
import { BinaryCrossbar } from './binary.js';
import { Crossbar } from './crossbar.js';
import { makeCrossbarParams } from './params.js';

export interface PimBenchOptions {
  /** Wall-clock budget per measurement, seconds (default 1). */
  seconds?: number;
  seed?: number;
}

/**
 * Run `body` for about `seconds` of wall time; returns iterations, wall seconds and the process's
 * CPU seconds over the same span (on a shared machine, CPU time shows what one idle core would do).
 */
function timeLoop(seconds: number, body: () => void): { iterations: number; seconds: number; cpuSeconds: number } {
  body(); // warm-up
  const budgetMs = seconds * 1000;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  let elapsed = 0;
  do {
    body();
    n++;
    elapsed = performance.now() - t0;
  } while (elapsed < budgetMs);
  const cpu = process.cpuUsage(c0);
  return { iterations: n, seconds: elapsed / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function rate(n: number, s: number): number {
  return s > 0 ? n / s : 0;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export function benchCrossbar(opts: PimBenchOptions = {}): Record<string, number | string> {
  const seconds = opts.seconds ?? 1;
  const seed = opts.seed ?? 1;

  // --- analog MVM
  const p = makeCrossbarParams({ rows: 256, cols: 256, cellBits: 1, weightBits: 8, inputBits: 8, dacBits: 1, adcBits: 4 });
  const xb = new Crossbar(p, { seed });
  const g = xb.geometry;
  const w = new Int32Array(p.rows * g.weightCols);
  const span = g.weightMax - g.weightMin + 1;
  for (let i = 0; i < w.length; i++) w[i] = g.weightMin + (randU32(seed, RNG_BLOCK.workload, 1, i) % span);
  xb.program(w);
  const x = new Int32Array(p.rows);
  for (let i = 0; i < x.length; i++) x[i] = (randU32(seed, RNG_BLOCK.workload, 2, i) & 0xff) - 128;
  const y = new Int32Array(g.weightCols);
  const mvm = timeLoop(seconds, () => xb.mvm(x, y));

  // --- Hamming search, packed path
  const D = 10_000;
  const N = 1_000;
  const bp = makeCrossbarParams({ rows: 1024, cols: 1024, adcBits: 10 });
  const mem = new BinaryCrossbar(bp, { dimension: D, capacity: N, seed });
  const v = new Uint32Array(mem.words);
  for (let r = 0; r < N; r++) {
    for (let k = 0; k < v.length; k++) v[k] = randU32(seed, RNG_BLOCK.hdc, r, k);
    mem.writeRow(r, v);
  }
  const q = new Uint32Array(mem.storedRow(123));
  for (let k = 0; k < q.length; k++) q[k] ^= randU32(seed, RNG_BLOCK.hdc, N, k) & randU32(seed, RNG_BLOCK.hdc, N + 1, k);
  const res = { rows: new Int32Array(1), distances: new Int32Array(1) };
  const search = timeLoop(seconds, () => mem.hammingSearch(q, 1, res));
  const bytes = N * mem.words * 4;

  // --- plain SWAR popcount over the same words (the memory-speed reference)
  const m = mem.packed;
  let sink = 0;
  const words = mem.words;
  const plain = timeLoop(seconds, () => {
    let d = 0;
    for (let r = 0, off = 0; r < N; r++, off += words) {
      for (let k = 0; k < words; k++) {
        let t = q[k] ^ m[off + k];
        t = t - ((t >>> 1) & 0x55555555);
        t = (t & 0x33333333) + ((t >>> 2) & 0x33333333);
        d += Math.imul((t + (t >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
      }
    }
    sink += d;
  });

  return {
    mvmArray: `${p.rows}x${p.cols} cells, ${g.weightCols} weight columns, ${p.weightBits}-bit weights on ${p.cellBits}-bit cells, ${p.inputBits}-bit inputs ${p.dacBits} bit/cycle, ${p.adcBits}-bit ADC`,
    mvmPerSecond: Math.round(rate(mvm.iterations, mvm.seconds)),
    mvmPerCpuSecond: Math.round(rate(mvm.iterations, mvm.cpuSeconds)),
    mvmMicroseconds: Math.round((mvm.seconds / mvm.iterations) * 1e7) / 10,
    searchRows: N,
    searchBits: D,
    searchBestRow: res.rows[0],
    searchPerSecond: Math.round(rate(search.iterations, search.seconds)),
    searchGBps: round2(rate(bytes * search.iterations, search.seconds) / 1e9),
    searchGBpsCpu: round2(rate(bytes * search.iterations, search.cpuSeconds) / 1e9),
    plainPopcountGBps: round2(rate(bytes * plain.iterations, plain.seconds) / 1e9),
    plainPopcountGBpsCpu: round2(rate(bytes * plain.iterations, plain.cpuSeconds) / 1e9),
    plainChecksum: sink % 1000,
  };
}
