/**
 * Language identification from character trigrams on the in-memory HDC machine (machine.ts).
 * Training: every training word of a language is bound n-gram by n-gram in the item memory,
 * its counts are written into the bundler, and the majority of all of a language's words is its
 * prototype in the associative memory. Query: the words of the query are bundled the same way and
 * the associative memory's Hamming search names the language. The host only turns letters into
 * symbol indices and reads the winning row.
 */
import type { ActivityCounts } from '../../emulator/energy/activity.js';
import type { DenseTaskSpec } from '../../emulator/energy/dense.js';
import type { CrossbarStatsSnapshot } from '../../emulator/pim/index.js';
import { HdcMachine } from './machine.js';
import { LANGUAGES, SYMBOLS, encodeWord, loadWordLines, splitWords, type Language } from './words.js';

export interface LanguageIdOptions {
  dimension: number;
  /** Training words per language. */
  trainWords: number;
  /** Single-word test queries per language. */
  singleQueries: number;
  /** Phrase test queries per language. */
  phraseQueries: number;
  /** Words per phrase query. */
  phraseWords: number;
  /** Minimum letters of a held-apart test word. */
  minTestLength: number;
  seed: number;
  languages?: readonly Language[];
  dictDir?: string;
}

export const LANGUAGE_ID_DEFAULTS: Omit<LanguageIdOptions, 'seed'> = {
  dimension: 10_000,
  trainWords: 2000,
  singleQueries: 200,
  phraseQueries: 60,
  phraseWords: 5,
  minTestLength: 8,
};

export interface QueryPhase {
  queries: number;
  correct: number;
  accuracy: number;
  /** Mean n-grams bound per query. */
  meanNgrams: number;
  /** Crossbar activity of all queries of the phase (block cost models). */
  stats: CrossbarStatsSnapshot;
  /** Per-query emulated latency, ps. */
  latencyPs: Float64Array;
  activity: ActivityCounts;
  denseTask: DenseTaskSpec;
  /** confusion[true][predicted]. */
  confusion: number[][];
}

export interface LanguageIdResult {
  options: LanguageIdOptions;
  languages: Language[];
  arrays: { itemMemory: number; bundler: number; assocMemory: number; total: number };
  training: { words: number; ngrams: number; stats: CrossbarStatsSnapshot; latencyPs: number };
  single: QueryPhase;
  phrase: QueryPhase;
}

/** Phase activity → ActivityCounts: one "step" per query, its duration the query's path latency. */
function phaseActivity(m: HdcMachine, latencyPs: Float64Array): ActivityCounts {
  const totals: ActivityCounts['totals'] = {};
  m.stats.addTo(totals);
  for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] = Math.round(totals[k]!);
  let sum = 0;
  for (let i = 0; i < latencyPs.length; i++) sum += latencyPs[i];
  return {
    steps: latencyPs.length,
    totals,
    byPopulation: {},
    byChip: {},
    hardware: { chips: 1, tilesUsed: 0, coresUsed: 0, routersUsed: 0, crossbarsUsed: m.arrays },
    stepDurationPs: latencyPs,
    spikesPerStep: new Uint32Array(latencyPs.length),
    populationSizes: {},
    dt: latencyPs.length && sum > 0 ? (sum / latencyPs.length) * 1e-12 : 1e-9,
  };
}

/**
 * The task-equivalent dense computation of the queries: bind n-grams (n−1 XORs per dimension),
 * accumulate them (one add per dimension), compare with every prototype (one MAC slot per
 * dimension per class), int8; bytes = packed item vectors read per n-gram + packed prototypes +
 * int32 counters read and written once per query.
 */
export function denseQueryTask(queries: number, ngrams: number, dimension: number, classes: number, n: number): DenseTaskSpec {
  return {
    name: 'dense HDC language-ID queries',
    description: `${queries} queries: ${ngrams} trigrams bound (XOR) and bundled over D = ${dimension}, then a ${classes} × ${dimension} associative search (GEMV)`,
    macs: ngrams * n * dimension + queries * classes * dimension,
    bytes: Math.ceil((ngrams * n * dimension) / 8) + queries * (Math.ceil((classes * dimension) / 8) + 8 * dimension),
    precision: 'int8',
    passes: queries,
  };
}

export function runLanguageId(opts: LanguageIdOptions): LanguageIdResult {
  const langs = [...(opts.languages ?? LANGUAGES)];
  const D = opts.dimension;
  const C = langs.length;
  const splits = langs.map((l, i) => splitWords(loadWordLines(l, opts.dictDir), i, opts.seed, opts.trainWords, opts.singleQueries + opts.phraseQueries * opts.phraseWords, opts.minTestLength));
  const m = new HdcMachine({ dimension: D, symbols: SYMBOLS, classes: C, seed: opts.seed });
  const counts = new Int32Array(D);
  const hv = new Uint32Array(m.words);
  const sym: number[] = [];

  // training: one bundle per language, one bundler row per word
  m.stats.reset();
  m.pathPs = 0;
  let trainNgrams = 0;
  let trainWords = 0;
  for (let c = 0; c < C; c++) {
    m.beginBundle();
    for (const w of splits[c].train) {
      counts.fill(0);
      encodeWord(w, sym);
      trainNgrams += m.accumulateNgrams(sym, sym.length, counts);
      m.addToBundle(counts);
      trainWords++;
    }
    m.storePrototype(c, m.endBundle(c, hv));
  }
  const training = { words: trainWords, ngrams: trainNgrams, stats: m.stats.snapshot(), latencyPs: m.pathPs };

  let tie = C;
  const phase = (queries: string[][][]): QueryPhase => {
    const total = queries.reduce((s, q) => s + q.length, 0);
    m.stats.reset();
    const lat = new Float64Array(total);
    const confusion = langs.map(() => new Array<number>(C).fill(0));
    let correct = 0;
    let grams = 0;
    let qi = 0;
    for (let c = 0; c < C; c++) {
      for (const words of queries[c]) {
        m.pathPs = 0;
        m.beginBundle();
        for (const w of words) {
          counts.fill(0);
          encodeWord(w, sym);
          grams += m.accumulateNgrams(sym, sym.length, counts);
          m.addToBundle(counts);
        }
        const pred = m.classify(m.endBundle(tie++, hv));
        confusion[c][pred]++;
        if (pred === c) correct++;
        lat[qi++] = Math.round(m.pathPs);
      }
    }
    return {
      queries: total,
      correct,
      accuracy: total ? correct / total : 0,
      meanNgrams: total ? grams / total : 0,
      stats: m.stats.snapshot(),
      latencyPs: lat,
      activity: phaseActivity(m, lat),
      denseTask: denseQueryTask(total, grams, D, C, m.ngram),
      confusion,
    };
  };
  const single = phase(splits.map((s) => s.test.slice(0, opts.singleQueries).map((w) => [w])));
  const phrase = phase(
    splits.map((s) => {
      const pool = s.test.slice(opts.singleQueries);
      const out: string[][] = [];
      for (let k = 0; k + opts.phraseWords <= pool.length && out.length < opts.phraseQueries; k += opts.phraseWords) out.push(pool.slice(k, k + opts.phraseWords));
      return out;
    }),
  );
  return {
    options: opts,
    languages: langs,
    arrays: { itemMemory: m.itemMemory.arrayCount, bundler: m.bundler.arrayCount, assocMemory: m.assocMemory.arrayCount, total: m.arrays },
    training,
    single,
    phrase,
  };
}
