/**
 * kwta-attention at the size (64 tokens, d_model 256, k 8; one run takes about a second):
 * top-k recall ≥ 0.9 against a dense float64 softmax-attention reference written here, output cosine
 * similarity reported and bounded, run-time crossbar writes counted, determinism, CLI.
 */
import { describe, expect, it } from 'vitest';
import { InputError, resolveArch } from '../../emulator/index.js';
import { runKwtaAttention, type AttentionWorkload, type KwtaRun } from '../../firmware-models/kwta-attention/index.js';
import { runCli } from '../helpers/cli.js';

const arch = resolveArch('loihi');

/** Dense softmax attention in float64 from the workload's float weights (independent of the model's code). */
function denseAttention(wl: AttentionWorkload, k: number): { topK: Set<number>; softmax: Float64Array; topKSum: Float64Array } {
  const d = wl.dModel;
  const proj = (x: Uint8Array, off: number, w: Float64Array): Float64Array => {
    const out = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += x[off + i] * w[i * d + j];
      out[j] = s;
    }
    return out;
  };
  const q = proj(wl.xq, 0, wl.wq);
  const keys = Array.from({ length: wl.tokens }, (_, t) => proj(wl.x, t * d, wl.wk));
  const vals = Array.from({ length: wl.tokens }, (_, t) => proj(wl.x, t * d, wl.wv));
  const scores = keys.map((kv) => kv.reduce((s, v, j) => s + v * q[j], 0) / Math.sqrt(d));
  const order = scores.map((s, t) => [s, t] as const).sort((a, b) => b[0] - a[0]);
  const m = order[0][0];
  const w = scores.map((s) => Math.exp(s - m));
  const z = w.reduce((a, b) => a + b, 0);
  const softmax = new Float64Array(d);
  vals.forEach((v, t) => v.forEach((x, j) => (softmax[j] += (w[t] / z) * x)));
  const topK = new Set(order.slice(0, k).map((o) => o[1]));
  const topKSum = new Float64Array(d);
  for (const t of topK) vals[t].forEach((x, j) => (topKSum[j] += x));
  return { topK, softmax, topKSum };
}

function cos(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('kwta-attention firmware model', () => {
  const runs = new Map<number, KwtaRun>();
  const run = (seed: number): KwtaRun => {
    if (!runs.has(seed)) runs.set(seed, runKwtaAttention({ tokens: 64, dModel: 256, k: 8, seed, arch }));
    return runs.get(seed)!;
  };

  it('64 tokens, d_model 256, k 8: top-k recall ≥ 0.9 against dense softmax attention (3 seeds); cosine reported', () => {
    for (const seed of [1, 2, 3]) {
      const r = run(seed);
      const ref = denseAttention(r.workload, 8);
      const hits = r.winners.filter((t) => ref.topK.has(t)).length;
      const cSoft = cos(r.output, ref.softmax);
      const cTop = cos(r.output, ref.topKSum);
      console.log(`kwta seed ${seed}: recall ${hits / 8}, ${r.winners.length} fired, cosine to softmax ${cSoft.toFixed(4)}, to exact top-k sum ${cTop.toFixed(4)}`);
      expect(hits / 8).toBeGreaterThanOrEqual(0.9);
      // lateral inhibition stops the sequence: at most one extra key slips through the 2-step gate loop here
      expect(r.winners.length).toBeGreaterThanOrEqual(8);
      expect(r.winners.length).toBeLessThanOrEqual(9);
      expect(r.gateStep).toBe(r.steps);
      // stated bounds (measured 0.87–0.92 and ≥ 0.97 over seeds 1–5)
      expect(cSoft).toBeGreaterThan(0.8);
      expect(cTop).toBeGreaterThan(0.95);
    }
  });

  it('winners fire in score order (latency code) and every winner outscores every loser on the score crossbar', () => {
    const r = run(1);
    const sc = r.scores;
    for (let i = 1; i < r.winners.length; i++) expect(sc[r.winners[i - 1]]).toBeGreaterThanOrEqual(sc[r.winners[i]]);
    const lowestWinner = Math.min(...r.winners.map((t) => sc[t]));
    for (let t = 0; t < 64; t++) if (!r.winners.includes(t)) expect(sc[t]).toBeLessThanOrEqual(lowestWinner);
    // fewer winners with a smaller k: the first ones of the same order
    const r4 = runKwtaAttention({ tokens: 64, dModel: 256, k: 4, seed: 1, arch });
    expect(r4.winners.length).toBeGreaterThanOrEqual(4);
    expect(r4.winners.length).toBeLessThan(r.winners.length);
    expect(r4.winners).toEqual(r.winners.slice(0, r4.winners.length));
  });

  it('K and V are written into crossbar rows at run time and counted (cells, energy, latency)', () => {
    const r = run(1);
    // V: 64 rows × 256 weights × 4 slices (8-bit weights on 2-bit cells); Kᵀ: 256 rows × 64 weights × 4 slices
    // + 4 reference cells per row in each of the ceil(64/31) = 3 column tiles
    expect(r.activity.totals['crossbar.write']).toBe(64 * 256 * 4 + 256 * 64 * 4 + 256 * 3 * 4);
    expect(r.crossbarCellsWritten).toBe(r.activity.totals['crossbar.write']);
    const write = r.report.energy.byAction.find((a) => a.action === 'crossbar.write')!;
    expect(write.fj).toBeGreaterThan(0);
    // 64 V row writes + 128 Kᵀ row writes of 20 ns each are on the critical path
    expect(r.crossbarLatencyPs.before).toBeGreaterThan((64 + 128) * 20_000);
    expect(r.report.time.emulatedTimePs).toBeGreaterThanOrEqual(r.crossbarLatencyPs.before + r.crossbarLatencyPs.after);
    expect(r.activity.hardware.crossbarsUsed).toBe(r.crossbarArrays);
    // the dense task baseline is declared and priced
    const task = r.report.dense.baselines.find((b) => b.kind === 'task')!;
    expect(task.declared).toBe(true);
    expect(task.macs).toBe((2 * 64 + 1) * 256 * 256 + 2 * 64 * 256 + 64);
  });

  it('energy, crossbar latency and the dense baseline grow with the sequence; same seed → same result', () => {
    const a = runKwtaAttention({ tokens: 32, dModel: 256, k: 8, seed: 1, arch });
    const b = run(1);
    expect(b.report.energy.totalFj).toBeGreaterThan(a.report.energy.totalFj);
    // the crossbar phases grow with the sequence; the k-WTA's latency depends on the k-th score instead
    expect(b.crossbarLatencyPs.before).toBeGreaterThan(a.crossbarLatencyPs.before);
    expect(b.denseTask.macs).toBeGreaterThan(a.denseTask.macs);
    const again = runKwtaAttention({ tokens: 64, dModel: 256, k: 8, seed: 1, arch });
    expect(again.winners).toEqual(b.winners);
    expect(Array.from(again.output)).toEqual(Array.from(b.output));
    expect(again.report.energy.totalFj).toBe(b.report.energy.totalFj);
    expect(runKwtaAttention({ tokens: 64, dModel: 256, k: 8, seed: 2, arch }).winners).not.toEqual(b.winners);
  });

  it('bad parameters are input errors naming the field', () => {
    expect(() => runKwtaAttention({ tokens: 4, k: 8, arch })).toThrow(InputError);
    expect(() => runKwtaAttention({ tokens: 4, k: 8, arch })).toThrow(/k.*1 to tokens \(4\)/);
  });

  it('aerie model kwta-attention --size 32 --json', () => {
    const r = runCli(['model', 'kwta-attention', '--size', '32', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.model).toBe('kwta-attention');
    expect(j.params.tokens).toBe(32);
    expect(j.metrics.recall).toBeGreaterThanOrEqual(0.875);
    expect(j.dense_task.devices.length).toBeGreaterThan(0);
  });
});
