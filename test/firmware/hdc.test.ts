import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  HdcMachine, runLanguageId, LANGUAGE_ID_DEFAULTS, runBlockBind, LANGUAGES, SYMBOLS, dictDir, encodeWord, splitWords, cleanWord,
  randomHv, bindHv, bundleHv, permuteHv, thresholdSums, hammingHv, getHvBit, phaseReport, phaseFigures,
} from '../../firmware-models/hdc/index.js';
import { resolveArch } from '../../emulator/index.js';
import { randInt, RNG_BLOCK } from '../../emulator/util/rng.js';
import { runCli } from '../helpers/cli.js';
import { systemPackage } from '../helpers/system.js';

const D = 1000;

describe('hdc reference operations (binary spatter codes)', () => {
  it('bind is XOR: self-inverse, and a bound vector is dissimilar to its factors', () => {
    const a = randomHv(D, 1, 0);
    const b = randomHv(D, 1, 1);
    const ab = bindHv(a, b);
    expect(hammingHv(bindHv(ab, b), a, D)).toBe(0);
    for (const x of [a, b]) {
      const h = hammingHv(ab, x, D);
      expect(h).toBeGreaterThan(0.42 * D);
      expect(h).toBeLessThan(0.58 * D);
    }
    // random vectors are quasi-orthogonal and deterministic by seed
    expect(Array.from(randomHv(D, 1, 0))).toEqual(Array.from(a));
    expect(hammingHv(randomHv(D, 2, 0), a, D)).toBeGreaterThan(0.42 * D);
  });

  it('permute rotates by k positions and ρ^(D−k) undoes ρ^k', () => {
    const a = randomHv(D, 3, 0);
    const p = permuteHv(a, D, 7);
    for (const j of [0, 5, 500, 992, 999]) expect(getHvBit(p, (j + 7) % D)).toBe(getHvBit(a, j));
    expect(hammingHv(permuteHv(p, D, D - 7), a, D)).toBe(0);
    expect(hammingHv(p, a, D)).toBeGreaterThan(0.42 * D);
  });

  it('bundle is the bitwise majority; ties take a seeded random bit that depends on the tie stream, not on call order', () => {
    const vs = [0, 1, 2].map((s) => randomHv(D, 4, s));
    const m = bundleHv(vs, D, 4, 9);
    for (let j = 0; j < D; j++) {
      const ones = vs.reduce((s, v) => s + getHvBit(v, j), 0);
      expect(getHvBit(m, j)).toBe(ones >= 2 ? 1 : 0);
    }
    // the bundle is similar to each member (majority of 3: ~25 % distance)
    for (const v of vs) expect(hammingHv(m, v, D)).toBeLessThan(0.32 * D);
    // even count: ties
    const sums = new Int32Array(D); // all ties
    const t1 = thresholdSums(sums, D, 4, 1, new Uint32Array(m.length));
    const t1again = thresholdSums(sums, D, 4, 1, new Uint32Array(m.length));
    const t2 = thresholdSums(sums, D, 4, 2, new Uint32Array(m.length));
    expect(Array.from(t1)).toEqual(Array.from(t1again));
    expect(hammingHv(t1, t2, D)).toBeGreaterThan(0.4 * D);
    let ones = 0;
    for (let j = 0; j < D; j++) ones += getHvBit(t1, j);
    expect(ones).toBeGreaterThan(0.42 * D);
    expect(ones).toBeLessThan(0.58 * D);
  });
});

describe('hdc on the crossbars', () => {
  it('binds trigrams in the item-memory crossbar exactly as ρ²(a) ⊕ ρ(b) ⊕ c, and counts the reads', () => {
    const m = new HdcMachine({ dimension: D, symbols: 10, classes: 3, seed: 5 });
    const syms = [3, 1, 4, 1, 5];
    const counts = new Int32Array(D);
    const before = m.stats.snapshot();
    expect(m.accumulateNgrams(syms, syms.length, counts)).toBe(3);
    const ref = new Int32Array(D);
    for (let i = 0; i + 3 <= syms.length; i++) {
      const v = bindHv(bindHv(permuteHv(randomHv(D, 5, syms[i]), D, 2), permuteHv(randomHv(D, 5, syms[i + 1]), D, 1)), randomHv(D, 5, syms[i + 2]));
      for (let j = 0; j < D; j++) ref[j] += getHvBit(v, j) ? 1 : -1;
    }
    expect(Array.from(counts)).toEqual(Array.from(ref));
    const after = m.stats.snapshot();
    // 3 trigrams × 3 XOR reads, each senses D bits; D periphery adds per trigram
    expect(after.counts['crossbar.adc'] - before.counts['crossbar.adc']).toBe(9 * D);
    expect(after.counts['crossbar.shift_add'] - before.counts['crossbar.shift_add']).toBe(3 * D);
    expect(m.pathPs).toBeGreaterThan(0);
  });

  it('bundles by crossbar column sums (over two batches of rows) into the seeded majority', () => {
    const m = new HdcMachine({ dimension: D, symbols: 4, classes: 2, seed: 6 });
    const n = 140; // > 128 rows: two MVM batches, digital partial sums
    const ref = new Int32Array(D);
    const c = new Int32Array(D);
    m.beginBundle();
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < D; j++) {
        c[j] = randInt(6, RNG_BLOCK.workload, r, j, -20, 20);
        ref[j] += Math.max(-15, Math.min(15, c[j]));
      }
      m.addToBundle(c);
    }
    const before = m.stats.snapshot().counts['crossbar.read'];
    const out = m.endBundle(3, new Uint32Array(m.words));
    expect(m.stats.snapshot().counts['crossbar.read']).toBeGreaterThan(before); // the last batch's MVM
    expect(Array.from(m.bundleSums)).toEqual(Array.from(ref));
    expect(Array.from(out)).toEqual(Array.from(thresholdSums(ref, D, 6, (1 << 20) + 3, new Uint32Array(m.words))));
    expect(m.stats.snapshot().counts['crossbar.write']).toBeGreaterThanOrEqual(n * 2 * D);
  });

  it('cleans up a noisy query in the associative-memory crossbar', () => {
    const m = new HdcMachine({ dimension: D, symbols: 2, classes: 5, seed: 7 });
    const protos = [0, 1, 2, 3, 4].map((k) => randomHv(D, 7, 100 + k));
    protos.forEach((p, k) => m.storePrototype(k, p));
    const q = Uint32Array.from(protos[3]);
    for (let j = 0; j < 0.3 * D; j++) q[j >>> 5] ^= 1 << (j & 31); // 30 % bit errors
    const dist = new Int32Array(5);
    expect(m.classify(q, dist)).toBe(3);
    expect(dist[3]).toBe(Math.round(0.3 * D));
    for (const k of [0, 1, 2, 4]) expect(dist[k]).toBe(hammingHv(q, protos[k], D));
  });
});

describe('hdc sparse block code on spiking compartments', () => {
  it('binds by index addition mod L with delay lines and coincidence detection, one output spike per block', () => {
    const r = runBlockBind({ blocks: 16, blockSize: 8, pairs: 3, seed: 11, arch: resolveArch('loihi') });
    expect(r.totalBlocks).toBe(48);
    for (let k = 0; k < r.totalBlocks; k++) expect(r.bound[k]).toBe((r.a[k] + r.b[k]) % 8);
    expect(r.oneSpikeBlocks).toBe(48);
    // every gate of a block receives the delayed a spike, one of them the b spike
    expect(r.activity.totals['core.synop']).toBe(48 * 8 + 48 + 48);
    expect(r.activity.hardware.coresUsed).toBeGreaterThan(0);
    // a different seed gives different inputs and still binds correctly
    const r2 = runBlockBind({ blocks: 16, blockSize: 8, pairs: 1, seed: 12, arch: resolveArch('loihi') });
    expect(r2.correctBlocks).toBe(16);
  });
});

const skipMsg = `word lists missing in ${dictDir()}: apt-get install ${LANGUAGES.map((l) => l.pkg).join(' ')}`;
const haveLists = LANGUAGES.map((l) => systemPackage(l.pkg, fs.existsSync(path.join(dictDir(), l.file)), skipMsg)).every(Boolean);

describe('hdc language identification (Debian word lists)', () => {
  it('splits words deterministically into disjoint train and held-apart test sets', () => {
    const lines = ['Apple', 'apple', 'banana', "can't", 'Überfluß', 'de', 'cherry', 'dateline', 'elderberry', 'figtrees'];
    expect(cleanWord('Überfluß')).toBe('überfluß');
    expect(cleanWord("can't")).toBeNull();
    const s = splitWords(lines, 0, 1, 3, 10, 8);
    expect(s.train.length).toBe(3);
    for (const w of s.test) {
      expect([...w].length).toBeGreaterThanOrEqual(8);
      expect(s.train).not.toContain(w);
    }
    expect(new Set([...s.train, ...s.test]).size).toBe(s.train.length + s.test.length);
    expect(splitWords(lines, 0, 1, 3, 10, 8)).toEqual(s);
    expect(encodeWord('ab')).toEqual([0, 1, 2, 0]);
    expect(Math.max(...encodeWord('zß€'))).toBe(SYMBOLS - 1);
  });

  it.skipIf(!haveLists)(`9 languages at D = 2,048, 1,000 training words each: 5-word phrases ≥ 85 %, single words ≥ 40 % (${haveLists ? 'lists present' : skipMsg})`, () => {
    const r = runLanguageId({ ...LANGUAGE_ID_DEFAULTS, dimension: 2048, trainWords: 1000, singleQueries: 40, phraseQueries: 20, seed: 1 });
    expect(r.languages.length).toBeGreaterThanOrEqual(8);
    expect(r.phrase.queries).toBe(9 * 20);
    // stated bounds at this reduced size (full size, D = 10,000 and 2,000 words: README, ≥ 90 %)
    expect(r.phrase.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(r.single.accuracy).toBeGreaterThanOrEqual(0.4);
    expect(r.single.accuracy).toBeLessThan(r.phrase.accuracy);
    // chance is 1/9: the confusion matrix is dominated by its diagonal
    const diag = r.phrase.confusion.reduce((s, row, i) => s + row[i], 0);
    expect(diag).toBe(r.phrase.correct);
    // energy and latency per query, against the declared dense task
    const rep = phaseReport(r.phrase, 'test');
    const f = phaseFigures(r.phrase, rep);
    expect(f.energyPerQueryJ).toBeGreaterThan(0);
    expect(f.latencyPerQueryS).toBeGreaterThan(0);
    expect(rep.energy.byAction.find((a) => a.action === 'crossbar.write')!.count).toBeGreaterThan(0);
    expect(f.dense.length).toBeGreaterThan(0);
    expect(r.phrase.denseTask.macs).toBeGreaterThan(r.phrase.queries * 9 * 2048);
  });
});

describe('hdc through the CLI', () => {
  it('aerie model --list shows hdc', () => {
    const l = runCli(['model', '--list']);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/hdc\s+in-memory HDC/);
  });

  it.skipIf(!haveLists)(`aerie model hdc --size 256 --json runs the whole model through the registry (${haveLists ? 'lists present' : skipMsg})`, () => {
    const r = runCli(['model', 'hdc', '--size', '256', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.model).toBe('hdc');
    expect(j.metrics.dimension).toBe(256);
    expect(j.metrics.languages.length).toBe(9);
    // far above chance (1/9) even at D = 256; the full-size figures are in the README
    expect(j.metrics.phrase_accuracy).toBeGreaterThan(0.5);
    expect(j.metrics.energy_per_phrase_query_j).toBeGreaterThan(j.metrics.block_model_energy_per_phrase_query_j);
    expect(j.block_code.correct_blocks).toBe(j.block_code.total_blocks);
  });
});
