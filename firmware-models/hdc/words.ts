/**
 * Word lists of Debian's word-list packages (/usr/share/dict) and the deterministic train/test
 * split of the language-identification task. Host-side input encoding only: letters → symbol
 * indices of the item memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../emulator/errors.js';
import { readInputBytes } from '../../emulator/util/files.js';
import { RNG_BLOCK, randU32 } from '../../emulator/util/rng.js';

export interface Language {
  code: string;
  name: string;
  /** File under the dictionary directory. */
  file: string;
  /** Debian package that installs it. */
  pkg: string;
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en', name: 'English', file: 'american-english', pkg: 'wamerican' },
  { code: 'fr', name: 'French', file: 'french', pkg: 'wfrench' },
  { code: 'de', name: 'German', file: 'ngerman', pkg: 'wngerman' },
  { code: 'es', name: 'Spanish', file: 'spanish', pkg: 'wspanish' },
  { code: 'it', name: 'Italian', file: 'italian', pkg: 'witalian' },
  { code: 'pt', name: 'Portuguese', file: 'portuguese', pkg: 'wportuguese' },
  { code: 'nl', name: 'Dutch', file: 'dutch', pkg: 'wdutch' },
  { code: 'sv', name: 'Swedish', file: 'swedish', pkg: 'wswedish' },
  { code: 'da', name: 'Danish', file: 'danish', pkg: 'wdanish' },
];

/** Where the lists are: $AERIE_DICT_DIR or /usr/share/dict. */
export function dictDir(): string {
  return process.env.AERIE_DICT_DIR ?? '/usr/share/dict';
}

/** Languages whose list is missing (empty when all are installed). */
export function missingLanguages(dir = dictDir()): Language[] {
  return LANGUAGES.filter((l) => !fs.existsSync(path.join(dir, l.file)));
}

/** Symbol alphabet: word boundary, a–z, the accented letters of the nine languages, then "other letter". */
export const ALPHABET = ' abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœ';
export const SYMBOLS = [...ALPHABET].length + 1;
const OTHER = SYMBOLS - 1;
const SYMBOL_OF = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

/** Symbol indices of " word " (boundary symbols around the word). */
export function encodeWord(word: string, out: number[] = []): number[] {
  out.length = 0;
  out.push(0);
  for (const ch of word) out.push(SYMBOL_OF.get(ch) ?? OTHER);
  out.push(0);
  return out;
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes); // wswedish ships ISO-8859-1
  }
}

/** The raw lines of a list (decoded; no filtering yet). */
export function loadWordLines(lang: Language, dir = dictDir()): string[] {
  const file = path.join(dir, lang.file);
  if (!fs.existsSync(file)) throw new InputError(file, [{ where: file, message: `word list of ${lang.name} not found: install the Debian package ${lang.pkg} (apt-get install ${lang.pkg})` }]);
  return decode(readInputBytes(file)).split('\n');
}

const LETTERS = /^\p{L}+$/u;

/** A list line as a task word: trimmed, NFC, lower case, letters only, ≥ 3 letters; else null. */
export function cleanWord(raw: string): string | null {
  const w = raw.trim().normalize('NFC').toLowerCase();
  return w.length >= 3 && LETTERS.test(w) ? w : null;
}

export interface Split {
  train: string[];
  /** Held-apart words of ≥ minTestLength letters, disjoint from train. */
  test: string[];
}

/**
 * Visit the list's lines in the order of counter-based keys (key (seed, workload, 1000 + language,
 * line)), clean them (cleanWord; duplicates after lower-casing are dropped), take the first `train`
 * words for training and the next words of ≥ minTestLength letters for testing. Only the lines
 * visited are cleaned, so the cost does not grow with the list.
 */
export function splitWords(lines: string[], langIndex: number, seed: number, train: number, test: number, minTestLength: number): Split {
  if (lines.length >= 2 ** 21) throw new InputError('<word list>', [{ where: `language ${langIndex}`, message: `${lines.length} lines: at most ${2 ** 21 - 1} are supported` }]);
  const n = lines.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = randU32(seed, RNG_BLOCK.workload, 1000 + langIndex, i) * 2 ** 21 + (i % 2 ** 21);
  keys.sort();
  const seen = new Set<string>();
  const tr: string[] = [];
  const te: string[] = [];
  for (let k = 0; k < n && (tr.length < train || te.length < test); k++) {
    const w = cleanWord(lines[keys[k] % 2 ** 21]);
    if (w === null || seen.has(w)) continue;
    seen.add(w);
    if (tr.length < train) tr.push(w);
    else if ([...w].length >= minTestLength) te.push(w);
  }
  return { train: tr, test: te };
}
