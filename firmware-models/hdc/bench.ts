/**
 * Speed of the HDC machine's query path (emulation wall-clock, not emulated time): trigram binds in
 * the item memory, bundling of 5 words in the bundler crossbar, Hamming search over 9 prototypes.
 * Inputs are synthetic words from the counter-based RNG so the benchmark needs no word lists.
 */
import { RNG_BLOCK, randInt } from '../../emulator/util/rng.js';
import { HdcMachine } from './machine.js';
import { randomHv } from './vectors.js';
import { SYMBOLS } from './words.js';

export function benchHdc(opts: { seconds?: number; dimension?: number } = {}): Record<string, number | string> {
  const D = opts.dimension ?? 10_000;
  const seconds = opts.seconds ?? 3;
  const classes = 9;
  const m = new HdcMachine({ dimension: D, symbols: SYMBOLS, classes, seed: 1 });
  for (let c = 0; c < classes; c++) m.storePrototype(c, randomHv(D, 1, 500 + c));
  const counts = new Int32Array(D);
  const hv = new Uint32Array(m.words);
  const word = new Int32Array(12);
  m.stats.reset();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let queries = 0;
  let grams = 0;
  let emulatedPs = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e9 < seconds) {
    m.pathPs = 0;
    m.beginBundle();
    for (let w = 0; w < 5; w++) {
      const len = 10;
      word[0] = 0;
      for (let i = 1; i <= len; i++) word[i] = randInt(1, RNG_BLOCK.workload, queries * 5 + w, i, 1, SYMBOLS - 1);
      word[len + 1] = 0;
      counts.fill(0);
      grams += m.accumulateNgrams(word, len + 2, counts);
      m.addToBundle(counts);
    }
    m.classify(m.endBundle(queries, hv));
    emulatedPs += m.pathPs;
    queries++;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const snap = m.stats.snapshot();
  return {
    benchmark: 'hdc phrase query (5 words of 10 letters, D trigram binds + crossbar bundle + AM search)',
    dimension: D,
    queries,
    trigrams: grams,
    wall_s: wall,
    queries_per_s: queries / wall,
    queries_per_cpu_s: cpuS > 0 ? queries / cpuS : 0,
    emulated_latency_per_query_ps: queries ? emulatedPs / queries : 0,
    block_model_energy_per_query_fj: queries ? snap.totalEnergyFJ / queries : 0,
  };
}
