/**
 * Firmware model `hdc`: hyperdimensional computing on the emulated hardware.
 *
 * - Dense binary hypervectors (BSC, D = --size, default 10,000) on crossbars in binary mode
 *   (machine.ts): item memory with the n-gram permutations stored as rows, binding by XOR reads,
 *   bundling by column sums in an analog bundler crossbar, cleanup by Hamming search in the
 *   associative memory. Task: language identification of held-apart words and 5-word phrases
 *   from Debian's word lists (language.ts, words.ts).
 * - Sparse block codes bound by index addition on spiking compartments with delay lines and
 *   coincidence detection (block-code.ts).
 * Reference operations (bind, bundle, permute) for the tests are in vectors.ts. See README.md.
 */
import { buildReport, energyPreset, DEFAULT_ENERGY_PRESET, type Report } from '../../emulator/energy/index.js';
import type { Arch } from '../../emulator/index.js';
import type { FirmwareModel } from '../index.js';
import { runLanguageId, LANGUAGE_ID_DEFAULTS, type LanguageIdOptions, type LanguageIdResult, type QueryPhase } from './language.js';
import { runBlockBind, BLOCK_CODE_PARAMS, type BlockBindResult } from './block-code.js';
import { missingLanguages, LANGUAGES } from './words.js';

export { HdcMachine, HDC_PARAMS } from './machine.js';
export { runLanguageId, LANGUAGE_ID_DEFAULTS, denseQueryTask, type LanguageIdOptions, type LanguageIdResult } from './language.js';
export { runBlockBind, BLOCK_CODE_PARAMS, type BlockBindOptions, type BlockBindResult } from './block-code.js';
export { LANGUAGES, ALPHABET, SYMBOLS, encodeWord, missingLanguages, dictDir, splitWords, loadWordLines, cleanWord } from './words.js';
export { benchHdc } from './bench.js';
export { randomHv, bindHv, bundleHv, permuteHv, thresholdSums, hammingHv, getHvBit } from './vectors.js';

export interface HdcRunOptions {
  size: number;
  seed: number;
  arch: Arch;
  /** Override the task sizes (tests run smaller). */
  task?: Partial<Omit<LanguageIdOptions, 'seed' | 'dimension'>>;
  /** Block-code variant size. */
  blockCode?: { blocks: number; blockSize: number; pairs: number };
}

export interface PhaseFigures {
  queries: number;
  accuracy: number;
  energyPerQueryJ: number;
  latencyPerQueryS: number;
  /** Per dense device: its energy and latency per query and dense ÷ emulated ratios. */
  dense: { device: string; energyPerQueryJ: number; latencyPerQueryS: number; energyRatio: number; latencyRatio: number; edpRatio: number }[];
}

export function phaseReport(p: QueryPhase, run: string): Report {
  const table = energyPreset(DEFAULT_ENERGY_PRESET)!;
  return buildReport(p.activity, table, {
    run,
    denseTask: p.denseTask,
    assumptions: ['hdc: one report step = one query; its duration is the sum of the latencies on the query path (operations are sequential)'],
  });
}

export function phaseFigures(p: QueryPhase, r: Report): PhaseFigures {
  const q = Math.max(1, p.queries);
  const task = r.dense.baselines.find((b) => b.kind === 'task')!;
  return {
    queries: p.queries,
    accuracy: p.accuracy,
    energyPerQueryJ: r.energy.totalJ / q,
    latencyPerQueryS: r.time.emulatedTimeS / q,
    dense: task.devices.map((d) => ({ device: d.short, energyPerQueryJ: d.energyJ / q, latencyPerQueryS: d.latencyS / q, energyRatio: d.ratio.energy, latencyRatio: d.ratio.latency, edpRatio: d.ratio.edp })),
  };
}

function sci(v: number, unit: string): string {
  return `${v.toPrecision(3)} ${unit}`;
}

function phaseText(name: string, f: PhaseFigures): string[] {
  const lines = [`${name}: accuracy ${(100 * f.accuracy).toFixed(1)} % over ${f.queries} queries; emulated ${sci(f.energyPerQueryJ, 'J')} and ${sci(f.latencyPerQueryS, 's')} per query`];
  for (const d of f.dense) lines.push(`    dense ${d.device.padEnd(14)} ${sci(d.energyPerQueryJ, 'J')} ${sci(d.latencyPerQueryS, 's')} per query (dense ÷ emulated: energy ${d.energyRatio.toPrecision(3)}×, latency ${d.latencyRatio.toPrecision(3)}×, EDP ${d.edpRatio.toPrecision(3)}×)`);
  return lines;
}

export async function runHdc(o: HdcRunOptions): Promise<{ text: string; json: Record<string, unknown>; report?: Report; lang?: LanguageIdResult; block: BlockBindResult }> {
  const bc = o.blockCode ?? { blocks: 64, blockSize: BLOCK_CODE_PARAMS.blockSize.value, pairs: 4 };
  const block = runBlockBind({ ...bc, seed: o.seed, arch: o.arch });
  const blockReport = buildReport(block.activity, energyPreset(DEFAULT_ENERGY_PRESET)!, { run: 'hdc block-code bind', denseTask: block.denseTask });
  const blockLines = [
    `block code: ${block.correctBlocks}/${block.totalBlocks} blocks bound correctly ((a + b) mod ${block.blockSize}) on ${block.compartments} compartments, ${block.coresUsed} cores, ${block.steps} steps; ${sci(blockReport.energy.totalJ / block.pairs, 'J')} and ${sci(blockReport.time.emulatedTimeS, 's')} per binding of ${block.blocks} blocks`,
  ];
  const blockJson = {
    blocks: block.blocks,
    block_size: block.blockSize,
    pairs: block.pairs,
    correct_blocks: block.correctBlocks,
    total_blocks: block.totalBlocks,
    compartments: block.compartments,
    cores_used: block.coresUsed,
    steps: block.steps,
    energy_j: blockReport.energy.totalJ,
    emulated_time_s: blockReport.time.emulatedTimeS,
    dense_task_energy_j: Object.fromEntries(blockReport.dense.baselines.find((b) => b.kind === 'task')!.devices.map((d) => [d.short, d.energyJ])),
  };
  const missing = missingLanguages();
  if (missing.length) {
    const why = `language task skipped: word lists missing (${missing.map((l) => `${l.pkg}`).join(', ')}); install them with apt-get install ${LANGUAGES.map((l) => l.pkg).join(' ')}`;
    return { text: [why, ...blockLines].join('\n'), json: { metrics: { skipped: why }, block_code: blockJson }, block };
  }
  const opts: LanguageIdOptions = { ...LANGUAGE_ID_DEFAULTS, ...o.task, dimension: o.size, seed: o.seed };
  const lang = runLanguageId(opts);
  const phraseR = phaseReport(lang.phrase, `hdc language-id phrases (D = ${o.size})`);
  const singleR = phaseReport(lang.single, `hdc language-id single words (D = ${o.size})`);
  const phrase = phaseFigures(lang.phrase, phraseR);
  const single = phaseFigures(lang.single, singleR);
  const trainJ = lang.training.stats.totalEnergyFJ * 1e-15;
  const text = [
    `hdc language identification, ${lang.languages.length} languages (${lang.languages.map((l) => l.code).join(' ')}), D = ${o.size}, trigrams, ${opts.trainWords} training words per language, test words of ≥ ${opts.minTestLength} letters`,
    ...phaseText(`${opts.phraseWords}-word phrases`, phrase),
    `    (crossbar block's own converter models, 1-bit sense at 10 fJ instead of the table's ADC price: ${sci((lang.phrase.stats.totalEnergyFJ * 1e-15) / Math.max(1, lang.phrase.queries), 'J')} per phrase query)`,
    ...phaseText('single words', single),
    `    (crossbar block's own converter models: ${sci((lang.single.stats.totalEnergyFJ * 1e-15) / Math.max(1, lang.single.queries), 'J')} per word query)`,
    `training: ${lang.training.words} words, ${lang.training.ngrams} trigrams bound; crossbar block cost model ${sci(trainJ, 'J')}, ${sci(lang.training.latencyPs * 1e-12, 's')} sequential`,
    `crossbar arrays: item memory ${lang.arrays.itemMemory}, bundler ${lang.arrays.bundler}, associative memory ${lang.arrays.assocMemory} (total ${lang.arrays.total})`,
    `energy table ${phraseR.table.name}; phrase queries by action: ${phraseR.energy.byAction.filter((a) => a.count > 0).map((a) => `${a.action} ${(a.share * 100).toFixed(1)} %`).join(', ')}`,
    ...blockLines,
  ].join('\n');
  const json = {
    metrics: {
      languages: lang.languages.map((l) => l.code),
      dimension: o.size,
      phrase_accuracy: phrase.accuracy,
      single_word_accuracy: single.accuracy,
      phrase_queries: phrase.queries,
      single_queries: single.queries,
      energy_per_phrase_query_j: phrase.energyPerQueryJ,
      latency_per_phrase_query_s: phrase.latencyPerQueryS,
      energy_per_word_query_j: single.energyPerQueryJ,
      block_model_energy_per_phrase_query_j: (lang.phrase.stats.totalEnergyFJ * 1e-15) / Math.max(1, lang.phrase.queries),
      block_model_energy_per_word_query_j: (lang.single.stats.totalEnergyFJ * 1e-15) / Math.max(1, lang.single.queries),
      latency_per_word_query_s: single.latencyPerQueryS,
    },
    options: opts,
    dense_phrase: phrase.dense,
    dense_single: single.dense,
    training: { words: lang.training.words, ngrams: lang.training.ngrams, crossbar_model_energy_j: trainJ, latency_s: lang.training.latencyPs * 1e-12 },
    crossbar_arrays: lang.arrays,
    confusion_phrase: lang.phrase.confusion,
    block_code: blockJson,
    energy_report_phrase: { total_j: phraseR.energy.totalJ, by_action: phraseR.energy.byAction.filter((a) => a.count > 0).map((a) => ({ action: a.action, count: a.count, fj: a.fj })) },
  };
  return { text, json, report: phraseR, lang, block };
}

export const hdcModel: FirmwareModel = {
  name: 'hdc',
  description: 'in-memory HDC language identification (9 languages, trigrams) on binary crossbars + block-code binding on spiking cores',
  size: { meaning: 'hypervector dimension D', default: 10_000, min: 256, max: 1_000_000 },
  run: async (o) => {
    const r = await runHdc({ size: o.size, seed: o.seed, arch: o.arch });
    return { text: r.text, json: r.json, activity: r.lang?.phrase.activity, denseTask: r.lang?.phrase.denseTask };
  },
};
