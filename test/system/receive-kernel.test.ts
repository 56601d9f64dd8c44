/**
 * The receive phase in WebAssembly (emulator/system/receive-kernel.ts, emulator/core/kernels/deliver.wat)
 * against the TypeScript reference path (EmulatorOptions.receive = 'typescript'), bit for bit: spikes
 * of every step, probes (u, v, weights), every activity counter (per core, population, chip), the
 * receive phase's per-step counters, step durations, core busy times and the priced energy report —
 * on cuba, the example network, random networks (delays, accumulator groups, plastic projections,
 * multi-segment cores, 16- and 32-bit synapse targets), graded spikes, STDP, a multi-chip board,
 * steps with more packets than the kernel's scratch, and worker-thread shards.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as path from 'node:path';
import { archFromSpec, loadNetworkFile, NetworkBuilder, prepare, presetArch, resolveArch, type Arch, type EmulatorOptions, type NetworkSpec, type ProbeRequest } from '../../emulator/index.js';
import { energyPreset } from '../../emulator/energy/presets.js';
import { priceActivity } from '../../emulator/energy/price.js';
import { startThreadShards } from '../../emulator/system/cluster.js';
import { DeliveryOrder } from '../../emulator/system/timeline.js';
import { PacketBatch } from '../../emulator/noc/packets.js';
import { buildCuba } from '../../firmware-models/cuba/index.js';
import { STDP_LEARNING, STDP_PARAMS, buildStdpNetwork, initialWeights, makeStimulus } from '../../firmware-models/stdp/index.js';
import { REPO_ROOT } from '../helpers/cli.js';

const plain = (v: unknown): string => JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x));

interface Outcome {
  /** Whether the WebAssembly receive kernel ran the engine. */
  kernel: boolean;
  spikes: number;
  /** Per step: the step's spikes (global indices), its duration, and every core's receive counters. */
  steps: string;
  activity: string;
  probes: string;
  energy: string;
  /** Per step: packets in the batch, and the most packets one core received. */
  packets: number[];
  perCoreMax: number;
}

function run(spec: NetworkSpec, arch: Arch, steps: number, probes: ProbeRequest[], opts: EmulatorOptions): Outcome {
  const p = prepare(structuredClone(spec), arch, opts);
  const e = p.emulator;
  for (const pr of probes) e.addProbe(pr, steps);
  const perStep: number[][] = [];
  const packets: number[] = [];
  let perCoreMax = 0;
  const perCore = new Map<number, number>();
  e.run(steps, (t) => {
    const row = [t, e.stepDurationPs(t), ...e.stepSpikes.subarray(0, e.stepSpikeCount)];
    for (const c of e.cores) row.push(c.stepSynops, c.stepPacketsIn);
    perStep.push(row);
    packets.push(e.batch.count);
    perCore.clear();
    for (let i = 0; i < e.batch.count; i++) perCore.set(e.batch.dstCore[i], (perCore.get(e.batch.dstCore[i]) ?? 0) + 1);
    for (const n of perCore.values()) perCoreMax = Math.max(perCoreMax, n);
  });
  const activity = e.activity();
  return {
    kernel: e.receiveKernel !== undefined,
    spikes: e.spikes,
    steps: plain(perStep),
    activity: plain({ activity, stalls: [e.injectionStalls, e.injectionStallPs] }),
    probes: plain(e.probeData()),
    energy: plain(priceActivity(activity, energyPreset('loihi-2018')!)),
    packets,
    perCoreMax,
  };
}

/** Run both implementations; every output must be identical. Returns the WebAssembly run's outcome. */
function agree(spec: NetworkSpec, arch: Arch, steps: number, probes: ProbeRequest[] = [], opts: EmulatorOptions = {}): Outcome {
  const w = run(spec, arch, steps, probes, { ...opts, receive: 'wasm' });
  const ts = run(spec, arch, steps, probes, { ...opts, receive: 'typescript' });
  expect(w.kernel, 'the receive kernel applies').toBe(true);
  expect(ts.kernel).toBe(false);
  expect(w.spikes).toBe(ts.spikes);
  expect(w.steps, 'per-step spikes, durations, receive counters').toBe(ts.steps);
  expect(w.activity, 'activity counters, busy times, step durations').toBe(ts.activity);
  expect(w.probes, 'probes').toBe(ts.probes);
  expect(w.energy, 'energy report').toBe(ts.energy);
  return w;
}

const EXAMPLES = path.join(REPO_ROOT, 'firmware-models', 'examples');
const BOARD_NET = path.join(REPO_ROOT, 'test', 'fixtures', 'shards', 'board-net.yaml');
const BOARD_ARCH = path.join(REPO_ROOT, 'test', 'fixtures', 'shards', 'board-arch.yaml');
const BOARD_PROBES: ProbeRequest[] = [
  { population: 'exc', variable: 'v' },
  { population: 'inh', variable: 'u' },
  { projection: 'in_inh_plastic', variable: 'weights' },
];

describe('receive phase: WebAssembly kernel and TypeScript reference agree bit for bit', () => {
  it('cuba (one ring slot, accumulator groups for the inhibitory weight_exp) and the example network', () => {
    const cuba = agree(buildCuba(), resolveArch('loihi'), 250, [
      { population: 'exc', variable: 'u' },
      { population: 'inh', variable: 'v' },
    ]);
    expect(cuba.spikes).toBeGreaterThan(300);
    // 32-bit synapse targets (the path of larger cores)
    agree(buildCuba({ neurons: 1000 }), resolveArch('loihi'), 120, [{ population: 'exc', variable: 'u' }], { synapseTargets: 'wide' });
    const ei = agree(loadNetworkFile(path.join(EXAMPLES, 'ei-network.yaml')), resolveArch('loihi'), 200, [], { noc: 'cycle' });
    expect(ei.spikes).toBeGreaterThan(0);
  });

  it('a multi-chip board with delays and a plastic projection, analytic and cycle NoC; > 16 packets per core exercise the merge sort', () => {
    const spec = loadNetworkFile(BOARD_NET);
    const arch = resolveArch(BOARD_ARCH, '2x2');
    for (const noc of ['analytic', 'cycle'] as const) {
      const o = agree(spec, arch, 80, BOARD_PROBES, { noc });
      expect(o.perCoreMax, 'a core takes more than 16 packets in a step').toBeGreaterThan(32);
    }
    // and without a NoC (arrival = injection: many ties, kept in batch order)
    agree(spec, arch, 40, BOARD_PROBES, { noc: 'none' });
  });

  it('steps with more packets than the scratch run the TypeScript path, with identical results', () => {
    const spec = loadNetworkFile(BOARD_NET);
    const arch = resolveArch(BOARD_ARCH, '2x2');
    const cap = 200;
    const o = agree(spec, arch, 80, BOARD_PROBES, { receivePackets: cap });
    // both paths ran: steps within and beyond the capacity
    expect(o.packets.some((n) => n > 0 && n <= cap)).toBe(true);
    expect(o.packets.some((n) => n > cap)).toBe(true);
  });

  it('graded spikes (sigma-delta, graded sources with 32-bit wrap of the accumulators), delays, weight_exp', () => {
    const b = new NetworkBuilder({ seed: 3 });
    b.gradedSource('g', 6, [[1, 3, 4], [2, 3], [1, 2, 3, 5], [4], [1, 6], [2, 5, 7]], [8_000_000, -8_000_000, 7_999_999, 5, -3, 8_388_607]);
    b.spikeSource('s', 4, [[1, 2], [3], [2, 4, 6], [1, 5]]);
    b.sigmaDelta('sd', 5, { vth: 20, bias: 7 });
    b.lif('out', 6, { du: 300, dv: 400, vth: 131071 });
    b.lif('mid', 5, { du: 1000, dv: 800, vth: 200, bias_mant: 3 });
    b.project('g', 'out', { connect: { p: 0.9, weight: { min: 200, max: 255 }, seed: 1 }, sign_mode: 'mixed' });
    b.project('g', 'mid', { synapses: [[0, 0, 255, 2], [1, 0, 255, 0], [2, 1, -100, 3], [5, 4, 90, 1], [3, 3, 7, 0]], weight_exp: -2 });
    b.project('s', 'sd', { connect: { p: 0.8, weight: { min: 10, max: 60 }, seed: 2 } });
    b.project('sd', 'out', { connect: { p: 0.7, weight: { min: -40, max: 40 }, seed: 3 }, delay: 2 });
    b.project('sd', 'mid', { connect: { p: 0.7, weight: { min: 1, max: 30 }, seed: 4 }, weight_exp: 1 });
    const spec = b.build();
    const o = agree(spec, resolveArch('loihi2'), 12, [
      { population: 'out', variable: 'u' },
      { population: 'mid', variable: 'u' },
      { population: 'sd', variable: 'v' },
    ]);
    // the accumulator sums overflowed 32 bits: the wrap is part of what both agree on
    expect(o.spikes).toBeGreaterThan(10);
  });

  it('STDP (plastic weights in the arena, learning flags written by the kernel)', () => {
    const P = STDP_PARAMS;
    const steps = 400;
    const stim = makeStimulus({ afferents: 120, steps, patternSteps: P.patternSteps.default, patternFraction: 0.5, rateHz: 20, noiseHz: 5, gapMin: 20, gapMax: 60, seed: 7, patternSeed: 8, dt: 1e-3 });
    const spec = buildStdpNetwork(stim, initialWeights(120, 2, 7), 2, { learning: STDP_LEARNING, seed: 7 });
    const o = agree(spec, resolveArch('loihi'), steps, [
      { projection: 'stdp', variable: 'weights' },
      { population: 'detector', variable: 'v' },
    ]);
    expect(o.activity).toMatch(/core\.learn_update/);
  });

  it('random networks on tiny cores: per-synapse delays, groups, plastic (dw, dd) projections, multi-segment cores, 16/32-bit targets', () => {
    const tiny = (() => {
      const s = presetArch('loihi');
      s.values['core.compartments'] = 4;
      s.values['chip.cores_per_tile'] = 2;
      s.values['chip.tiles_x'] = 2;
      s.values['chip.tiles_y'] = 2;
      s.values['board.chips_x'] = 2;
      return archFromSpec(s);
    })();
    const RULES = ['dw = 2^-2*x1*y0 - 2^-2*y1*x0', 'dd = x0*y0 - 2*x1*y0', 'dw = 4*x0'];
    const netArb = fc.record({
      sources: fc.array(fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 5 }), { minLength: 1, maxLength: 5 }),
      sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      projections: fc.array(
        fc.record({
          from: fc.nat(),
          to: fc.nat(),
          synapses: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: -255, max: 255 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 14 }),
          exp: fc.integer({ min: -3, max: 2 }),
          rule: fc.option(fc.constantFrom(...RULES), { nil: undefined }),
          // without delays a core may keep one ring slot (the kernel's slots = 1 form)
          delayed: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    let multiSegment = 0;
    fc.assert(
      fc.property(netArb, fc.constantFrom('auto', 'wide'), fc.constantFrom('analytic', 'none'), (n, targets, noc) => {
        const b = new NetworkBuilder({ seed: 11 });
        b.spikeSource('src', n.sources.length, n.sources.map((l) => [...new Set(l)]));
        n.sizes.forEach((size, i) => b.lif(`p${i}`, size, { du: 500 + 300 * i, dv: 700, vth: 40 + 25 * i, bias_mant: i, refractory: i }));
        const names = ['src', ...n.sizes.map((_, i) => `p${i}`)];
        const sizes = [n.sources.length, ...n.sizes];
        n.projections.forEach((pr, k) => {
          const from = pr.from % names.length;
          const to = 1 + (pr.to % n.sizes.length);
          // one synapse per (pre, post) pair
          const seen = new Set<string>();
          const syn: number[][] = [];
          for (const [a, c, w, d] of pr.synapses) {
            const pre = a % sizes[from];
            const post = c % sizes[to];
            if (seen.has(`${pre},${post}`)) continue;
            seen.add(`${pre},${post}`);
            syn.push([pre, post, pr.rule ? Math.abs(w) : w, pr.delayed ? d : 0]);
          }
          const learning = pr.rule ? { rule: pr.rule, epoch: 1 + (k % 2), rounding: 'floor' as const, traces: { x1: { impulse: 20, tau: 4 } } } : undefined;
          b.project(names[from], names[to], { name: `j${k}`, synapses: syn, weight_exp: pr.exp, ...(learning ? { learning, sign_mode: 'excitatory' as const } : {}) });
        });
        const spec = b.build();
        const probes: ProbeRequest[] = [...n.sizes.flatMap((_, i) => [{ population: `p${i}`, variable: 'u' as const }, { population: `p${i}`, variable: 'v' as const }]), ...n.projections.map((_, k) => ({ projection: `j${k}`, variable: 'weights' as const }))];
        const w = run(spec, tiny, 18, probes, { receive: 'wasm', synapseTargets: targets, noc });
        const ts = run(spec, tiny, 18, probes, { receive: 'typescript', synapseTargets: targets, noc });
        expect(w.kernel).toBe(true);
        expect(w.steps).toBe(ts.steps);
        expect(w.activity).toBe(ts.activity);
        expect(w.probes).toBe(ts.probes);
        expect(w.energy).toBe(ts.energy);
        const p = prepare(structuredClone(spec), tiny);
        if (p.emulator.cores.some((c) => c.segments.length > 1)) multiSegment++;
      }),
      { numRuns: 60, seed: 515 },
    );
    expect(multiSegment, 'some networks put several populations on one core').toBeGreaterThan(5);
  });

  it('networks with crossbar-backed projections keep the TypeScript path', () => {
    const p = prepare(loadNetworkFile(path.join(EXAMPLES, 'crossbar-network.yaml')), resolveArch('loihi'));
    expect(p.emulator.crossbar).toBeDefined();
    expect(p.emulator.receiveKernel).toBeUndefined();
  });

  it('the TypeScript LIF model (no kernel arena) keeps the TypeScript path', () => {
    const p = prepare(buildCuba({ neurons: 200 }), resolveArch('loihi'), { kernel: 'js' });
    expect(p.emulator.receiveKernel).toBeUndefined();
  });

  it('worker-thread shards with the kernel (each shard its own cores) match one process on the TypeScript path', async () => {
    const steps = 60;
    const ref = run(loadNetworkFile(BOARD_NET), resolveArch(BOARD_ARCH, '2x2'), steps, BOARD_PROBES, { receive: 'typescript' });
    const shards = await startThreadShards({ spec: loadNetworkFile(BOARD_NET), arch: resolveArch(BOARD_ARCH, '2x2'), probes: BOARD_PROBES, steps, receive: 'wasm' }, 2);
    try {
      const e = shards.emulator;
      expect(e.receiveKernel).toBeDefined();
      await shards.run(steps);
      // before the counters are gathered: this shard ran no synaptic ops for the other shard's cores
      expect(e.hi).toBeLessThan(e.cores.length);
      for (const c of e.cores.slice(e.hi)) {
        expect(c.segSynops.every((x) => x === 0)).toBe(true);
        expect(c.ring.every((x) => x === 0)).toBe(true);
      }
      expect(e.cores.slice(e.lo, e.hi).some((c) => c.segSynops.some((x) => x > 0))).toBe(true);
      await shards.finish();
    } catch (e) {
      await shards.close();
      throw e;
    }
    expect(shards.emulator.spikes).toBe(ref.spikes);
    expect(plain({ activity: shards.emulator.activity(), stalls: [shards.emulator.injectionStalls, shards.emulator.injectionStallPs] })).toBe(ref.activity);
    expect(plain(shards.emulator.probeData())).toBe(ref.probes);
  });
});

describe('delivery order of the receive kernel', () => {
  it('equals DeliveryOrder: by destination core index, then by arrival, ties in batch order (runs beyond 16: merge sort)', () => {
    const p = prepare(loadNetworkFile(BOARD_NET), resolveArch(BOARD_ARCH, '2x2'));
    const rk = p.emulator.receiveKernel!;
    const cores = p.emulator.cores;
    const coreIndexOf = new Int32Array(p.arch.totalCores).fill(-1);
    cores.forEach((c, i) => (coreIndexOf[c.id] = i));
    const reference = new DeliveryOrder(cores.length);
    const batch = new PacketBatch(64);
    fc.assert(
      fc.property(
        // few destination cores and few distinct arrival times: long runs per core, many ties
        fc.array(fc.tuple(fc.nat(3), fc.nat(5), fc.boolean()), { minLength: 1, maxLength: 300, size: 'max' }),
        fc.nat(cores.length - 4),
        ([...pk], base) => {
          batch.clear();
          for (const [dst, time, late] of pk) {
            batch.push(0, cores[base + dst].id, 0, 0, 0);
            batch.arrivePs[batch.count - 1] = time * 1000 + (late ? 0.5 : 0);
          }
          reference.sort(batch, coreIndexOf);
          const got = rk.deliveryOrder(batch);
          expect(Array.from(got.order)).toEqual(Array.from(reference.order.subarray(0, batch.count)));
          expect(Array.from(got.coreStart)).toEqual(Array.from(reference.coreStart));
        },
      ),
      { numRuns: 150, seed: 99 },
    );
    expect(rk.capacity).toBeGreaterThan(300);
  });
});
