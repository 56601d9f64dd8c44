/**
 * Property test: random small networks against a straightforward scalar implementation of the
 * same spec (written here from docs/NETWORK-FORMAT.md, independent of the engine), on cores so small
 * that populations spill across cores, tiles and chips.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prepare, type NetworkSpec } from '../../emulator/index.js';
import { netArb, tinyArch } from '../helpers/networks.js';

interface Ref {
  u: number[][];
  v: number[][];
  s: number[][];
}

function sgnFloorDecay(x: number, r: number): number {
  const p = x * r;
  return p < 0 ? -Math.floor(-p / 4096) : Math.floor(p / 4096);
}

function quant(w: number, mode: string, nwb: number): number {
  const k = 8 - nwb + (mode === 'mixed' ? 1 : 0);
  if (mode === 'mixed') return Math.floor(Math.min(255, Math.max(-256, w)) / 2 ** k) * 2 ** k;
  if (mode === 'excitatory') return Math.floor(Math.min(255, Math.max(0, w)) / 2 ** k) * 2 ** k;
  return -Math.floor(-Math.min(0, Math.max(-255, w)) / 2 ** k) * 2 ** k;
}

/** Scalar reference: every population and projection handled with plain arrays, step by step. */
function reference(net: NetworkSpec, steps: number): Record<string, Ref> {
  const pops = net.populations;
  const state = new Map<string, { u: number[]; v: number[]; r: number[]; out: Ref }>();
  for (const p of pops) state.set(p.name, { u: Array(p.size).fill(0), v: Array(p.size).fill(0), r: Array(p.size).fill(0), out: { u: [], v: [], s: [] } });
  // pending input: per population, per future step, per projection, per compartment
  const pending = new Map<string, Map<number, Map<number, number[]>>>();
  const spikesAt = new Map<string, number[][]>(); // population -> step -> spiking indices
  for (let t = 1; t <= steps; t++) {
    const fired = new Map<string, number[]>();
    for (const p of pops) {
      const st = state.get(p.name)!;
      const spikes: number[] = [];
      if (p.kind === 'spike-source') {
        for (let i = 0; i < p.size; i++) if ((p.spikes?.[i] ?? []).includes(t)) spikes.push(i);
      } else {
        const par = (k: string, i: number, d: number): number => {
          const x = (p.params as Record<string, number | number[]> | undefined)?.[k];
          return x === undefined ? d : Array.isArray(x) ? x[i] : x;
        };
        const byProj = pending.get(p.name)?.get(t);
        for (let i = 0; i < p.size; i++) {
          let a = 0;
          if (byProj) for (const [pi, arr] of byProj) {
            const e = net.projections![pi].weight_exp ?? 0;
            a += e >= 0 ? arr[i] * 2 ** e : Math.floor(arr[i] / 2 ** -e);
          }
          let u = sgnFloorDecay(st.u[i], 4096 - par('du', i, 0) - 1) + a * 64;
          if (u > 2 ** 23) u -= 2 ** 24;
          else if (u <= -(2 ** 23)) u += 2 ** 24;
          st.u[i] = u;
          if (st.r[i] > 0) {
            st.r[i]--;
            st.v[i] = 0;
            continue;
          }
          const be = par('bias_exp', i, 0);
          const bias = be >= 0 ? par('bias_mant', i, 0) * 2 ** be : Math.floor(par('bias_mant', i, 0) / 2 ** -be);
          let v = sgnFloorDecay(st.v[i], 4096 - par('dv', i, 0)) + u + bias;
          v = Math.max(-(2 ** 23 - 1), Math.min(2 ** 23 - 1, v));
          if (v > par('vth', i, 10) * 64) {
            spikes.push(i);
            st.v[i] = 0;
            st.r[i] = par('refractory', i, 0);
          } else st.v[i] = v;
        }
      }
      fired.set(p.name, spikes);
      st.out.u.push([...st.u]);
      st.out.v.push([...st.v]);
      const row = Array(p.size).fill(0);
      for (const i of spikes) row[i] = 1;
      st.out.s.push(row);
    }
    // synapses: spikes at t land at t + 1 + delay
    (net.projections ?? []).forEach((pr, pi) => {
      const pre = fired.get(pr.from)!;
      if (!pre.length) return;
      const to = pops.find((p) => p.name === pr.to)!;
      const all: number[] = [];
      for (const row of pr.weights!) for (const w of row) all.push(w);
      const mode = pr.sign_mode ?? (all.some((w) => w > 0) && all.some((w) => w < 0) ? 'mixed' : all.some((w) => w < 0) ? 'inhibitory' : 'excitatory');
      const at = t + 1 + (pr.delay ?? 0);
      const m = pending.get(to.name) ?? new Map();
      pending.set(to.name, m);
      const byProj = m.get(at) ?? new Map();
      m.set(at, byProj);
      const arr = byProj.get(pi) ?? Array(to.size).fill(0);
      byProj.set(pi, arr);
      for (const s of pre) for (let j = 0; j < to.size; j++) if (pr.weights![j][s] !== 0) arr[j] += quant(pr.weights![j][s], mode, pr.num_weight_bits ?? 8);
    });
    void spikesAt;
  }
  const out: Record<string, Ref> = {};
  for (const [k, v] of state) out[k] = v.out;
  return out;
}

describe('engine against a scalar reference on random networks', () => {
  it('u, v and spikes match exactly for every step and compartment', () => {
    fc.assert(
      fc.property(netArb, fc.constantFrom('mesh', 'traffic'), fc.constantFrom('wasm', 'js'), fc.constantFrom('auto', 'wide'), (net, strategy, kernel, targets) => {
        const steps = 14;
        const ref = reference(net, steps);
        const p = prepare(structuredClone(net), tinyArch(), { placement: strategy as 'mesh', kernel: kernel as 'wasm', synapseTargets: targets as 'auto' });
        for (const c of p.emulator.cores) expect(c.synDest).toBeInstanceOf(targets === 'auto' ? Uint16Array : Uint32Array);
        for (const pop of net.populations) {
          for (const v of pop.kind === 'lif' ? (['u', 'v', 'spikes'] as const) : (['spikes'] as const)) p.emulator.addProbe({ population: pop.name, variable: v }, steps);
        }
        p.emulator.run(steps);
        for (const d of p.emulator.probeData()) {
          const [name, v] = d.name.split('.');
          const r = ref[name];
          const want = (v === 'u' ? r.u : v === 'v' ? r.v : r.s).flat();
          expect(Array.from(d.values), d.name).toEqual(want);
        }
      }),
      { numRuns: 120, seed: 4242 },
    );
  });
});
