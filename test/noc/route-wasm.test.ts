/**
 * The analytic model's step routing in WebAssembly (emulator/noc/kernels/route.wat) against the
 * TypeScript routeStep it implements: every output bit for bit — arrival times, hops, every counter
 * array and scalar, both latency histograms — over random meshes, routings, delays, windows, flit
 * counts and consecutive steps, including steps beyond the kernel's packet capacity (the TypeScript
 * routeStep on the same counters) and a full or absent path cache.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../emulator/errors.js';
import {
  LOIHI_NOC_PARAMS,
  LOIHI_TOPOLOGY,
  PacketBatch,
  coreCount,
  createNoc,
  createRouteKernel,
  defaultRouteImpl,
  deriveCycleConfig,
  registerRouting,
  routeKernelPath,
  routingNames,
  DIR_E,
  PORT_LOCAL,
  type LatencyHistogram,
  type MeshTopology,
  type NocModel,
  type NocParams,
  type RouteKernelOptions,
  type AnalyticNetwork,
  type RouteKernel,
  ROUTE_KERNEL_PACKETS,
} from '../../emulator/noc/index.js';
import { bucketOf } from '../../emulator/noc/counters.js';
import { createArchNoc } from '../../emulator/system/noc.js';
import { resolveArch } from '../../emulator/spec/arch.js';
import { randInt } from '../../emulator/util/rng.js';

/** The routing plug-ins of emulator/noc/routing.ts (read before this file registers its own). */
const ROUTINGS = routingNames();

function sameHistogram(a: LatencyHistogram, b: LatencyHistogram): void {
  expect(a.count).toBe(b.count);
  expect(a.sum).toBe(b.sum);
  expect(a.min).toBe(b.min);
  expect(a.max).toBe(b.max);
  expect(Array.from(a.buckets)).toEqual(Array.from(b.buckets));
}

function sameCounters(w: NocModel, t: NocModel): void {
  const a = w.counters;
  const b = t.counters;
  expect([a.flits, a.packets, a.withinTile]).toEqual([b.flits, b.packets, b.withinTile]);
  expect(Array.from(a.linkFlits)).toEqual(Array.from(b.linkFlits));
  expect(Array.from(a.routerFlits)).toEqual(Array.from(b.routerFlits));
  expect(Array.from(a.hopsByDir)).toEqual(Array.from(b.hopsByDir));
  expect(Array.from(a.chipHopsByDir)).toEqual(Array.from(b.chipHopsByDir));
  sameHistogram(a.latency, b.latency);
  sameHistogram(a.stepLatency, b.stepLatency);
}

/**
 * The window state the kernel left (unrounded loads and waits: a last-bit difference there would
 * often vanish in the rounded latencies) against the TypeScript model's network. Both models keep
 * them private; the test reaches them by name.
 */
function sameWindow(w: NocModel, t: NocModel): void {
  const k = (w as unknown as { kernel: RouteKernel }).kernel.window;
  const net = (t as unknown as { net: AnalyticNetwork }).net;
  expect(Array.from(k.load)).toEqual(Array.from(net.load));
  expect(Array.from(k.portLoad)).toEqual(Array.from(net.portLoad));
  // waits of input ports that carried flits (the kernel leaves the others, which no path reads, at 0)
  expect(Array.from(k.wait, (v, i) => (k.portLoad[i] > 0 ? v : 0))).toEqual(Array.from(net.wait, (v, i) => (net.portLoad[i] > 0 ? v : 0)));
  expect(k.wait.every((v, i) => k.portLoad[i] > 0 || v === 0)).toBe(true);
  expect(Array.from(k.injWait)).toEqual(Array.from(net.injWait));
}

interface StepSpec {
  n: number;
  seed: number;
  /** Destinations drawn from the first `hot` cores for most packets (many packets per pair). */
  hot: number;
  /** Injection times spread over [0, spread) ps, any integer. */
  spread: number;
  windowPs: number;
}

function makeBatch(topo: MeshTopology, s: StepSpec): PacketBatch {
  const cores = coreCount(topo);
  const b = new PacketBatch(Math.max(1, s.n));
  for (let i = 0; i < s.n; i++) {
    const src = randInt(s.seed, 11, 0, 4 * i, 0, cores - 1);
    const hot = randInt(s.seed, 11, 0, 4 * i + 3, 0, 3) !== 0;
    const dst = randInt(s.seed, 11, 0, 4 * i + 1, 0, hot ? Math.min(s.hot, cores) - 1 : cores - 1);
    b.push(src, dst, i, 0, randInt(s.seed, 11, 0, 4 * i + 2, 0, s.spread));
  }
  b.windowPs = s.windowPs;
  return b;
}

/** Route the same steps through both implementations, comparing everything after each step. */
function compare(topo: MeshTopology, params: NocParams, steps: StepSpec[], kernel: RouteKernelOptions): void {
  const w = createNoc('analytic', topo, params, { routeImpl: 'wasm', routeKernel: kernel });
  const t = createNoc('analytic', topo, params, { routeImpl: 'typescript' });
  expect(w.routeImpl).toBe('wasm');
  expect(t.routeImpl).toBe('typescript');
  for (const s of steps) {
    const bw = makeBatch(topo, s);
    const bt = makeBatch(topo, s);
    w.routeStep(bw);
    t.routeStep(bt);
    expect(Array.from(bw.arrivePs.subarray(0, s.n))).toEqual(Array.from(bt.arrivePs.subarray(0, s.n)));
    expect(Array.from(bw.hops.subarray(0, s.n))).toEqual(Array.from(bt.hops.subarray(0, s.n)));
    sameCounters(w, t);
    if (s.n <= (kernel.packets ?? ROUTE_KERNEL_PACKETS)) sameWindow(w, t);
    w.resetStepStats();
    t.resetStepStats();
    sameHistogram(w.counters.stepLatency, t.counters.stepLatency);
  }
}

const topoArb: fc.Arbitrary<MeshTopology> = fc.oneof(
  fc.record({ chipsX: fc.constant(1), chipsY: fc.constant(1), tilesX: fc.integer({ min: 1, max: 8 }), tilesY: fc.integer({ min: 1, max: 4 }), coresPerRouter: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ chipsX: fc.constant(2), chipsY: fc.constant(2), tilesX: fc.integer({ min: 1, max: 4 }), tilesY: fc.integer({ min: 1, max: 3 }), coresPerRouter: fc.integer({ min: 1, max: 4 }) }),
);

// times in whole 100 ps units of at least the router pipeline plus one cycle; a 1 ps clock makes
// half-picosecond latencies (the rounding ties) common
const paramsArb: fc.Arbitrary<NocParams> = fc
  .record({
    clock: fc.constantFrom(1, 100),
    ew: fc.integer({ min: 5, max: 90 }),
    ns: fc.integer({ min: 5, max: 90 }),
    tile: fc.integer({ min: 5, max: 60 }),
    chip: fc.integer({ min: 5, max: 400 }),
    packetBits: fc.constantFrom(32, 33, 64, 100),
    routing: fc.constantFrom(...ROUTINGS),
  })
  .map((r) => ({ ...LOIHI_NOC_PARAMS, clockPs: r.clock, hopPsEW: 100 * r.ew, hopPsNS: 100 * r.ns, withinTilePs: 100 * r.tile, chipLinkPs: 100 * r.chip, packetBits: r.packetBits, routing: r.routing }));

const stepArb: fc.Arbitrary<StepSpec> = fc.record({
  // mostly within the 1,024-packet capacity, sometimes beyond it
  n: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 300 }), weight: 4 }, { arbitrary: fc.integer({ min: 900, max: 3000 }), weight: 1 }),
  seed: fc.integer({ min: 0, max: 1 << 20 }),
  hot: fc.integer({ min: 1, max: 8 }),
  spread: fc.constantFrom(0, 1, 37, 1000, 123_457, 50_000_000),
  windowPs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000 })),
});

const kernelArb: fc.Arbitrary<RouteKernelOptions> = fc.record({
  packets: fc.constantFrom(1024, 64, 1),
  // undefined: room for every path; 0: nothing cached; small: the cache fills during the run
  pathCacheWords: fc.constantFrom(undefined, 0, 40, 200),
});

describe('analytic routeStep: WebAssembly kernel against TypeScript', () => {
  it('agrees on every output over random meshes, routings, delays, windows and consecutive steps', () => {
    fc.assert(
      fc.property(topoArb, paramsArb, fc.array(stepArb, { minLength: 1, maxLength: 4 }), kernelArb, (topo, params, steps, kernel) => {
        compare(topo, params, steps, kernel);
      }),
      { numRuns: 60, seed: 20261128 },
    );
  });

  it('agrees on a mesh beyond the path cache (more than 1,024 routers: every path walked)', () => {
    const topo: MeshTopology = { chipsX: 2, chipsY: 1, tilesX: 20, tilesY: 30, coresPerRouter: 1 };
    const steps = [0, 1, 2].map((seed) => ({ n: 400, seed, hot: 50, spread: 20_000, windowPs: 0 }));
    compare(topo, LOIHI_NOC_PARAMS, steps, {});
  });

  it('agrees on the default capacity with a 4,000-packet step (TypeScript fallback) between kernel steps', () => {
    const steps = [500, 4000, 4097, 4096, 10].map((n, seed) => ({ n, seed, hot: 6, spread: 3000, windowPs: 0 }));
    compare(LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, steps, {});
  });
});

describe('route kernel details', () => {
  it('emulates Math.round exactly (ties toward +infinity, signed zeros, huge and tiny values)', () => {
    const { cfg, clockPs } = deriveCycleConfig(LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    const kernel = createRouteKernel(cfg, new Int32Array(1), clockPs, 1)!;
    const edges = [
      0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 0.5000000000000001,
      -0.5000000000000001, 4503599627370495.5, -4503599627370495.5, 4503599627370496, 4503599627370497, 9007199254740993,
      2 ** 53, -(2 ** 53), 1e300, -1e300, 5e-324, -5e-324, 0.3, -0.3, 0.7, -0.7, 27109.5, 27110.49999999999,
      Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN,
    ];
    for (const x of edges) expect(Object.is(kernel.round(x), Math.round(x)), `round(${x})`).toBe(true);
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 2), fc.integer({ min: -1e9, max: 1e9 }).map((k) => k / 1024)), (x) => {
        expect(Object.is(kernel.round(x), Math.round(x))).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('buckets latencies as LatencyHistogram does (integer path below 2^32, JavaScript beyond)', () => {
    const { cfg, clockPs } = deriveCycleConfig(LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    const kernel = createRouteKernel(cfg, new Int32Array(1), clockPs, 1)!;
    const edges = [0, -0, -1, NaN, 0.5, 127, 127.99, 128, 129, 191.5, 255, 256, 1e6, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32 - 0.5, 2 ** 32, 2 ** 40 + 3, 2 ** 53 - 1, 2 ** 53, 1e300, Infinity, -Infinity];
    for (const v of edges) expect(kernel.bucket(v), `bucket(${v})`).toBe(bucketOf(v));
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -10, max: 2 ** 60, noNaN: true }), fc.integer({ min: 0, max: 2 ** 32 + 5 })), (v) => {
        expect(kernel.bucket(v)).toBe(bucketOf(v));
      }),
      { numRuns: 2000, seed: 8 },
    );
  });

  it('agrees on latencies beyond 2^32 ps (slow chip links)', () => {
    const board: MeshTopology = { chipsX: 2, chipsY: 2, tilesX: 2, tilesY: 2, coresPerRouter: 2 };
    const params: NocParams = { ...LOIHI_NOC_PARAMS, chipLinkPs: 3_000_000_000 };
    const steps = [0, 1].map((seed) => ({ n: 200, seed, hot: 32, spread: 1000, windowPs: 0 }));
    compare(board, params, steps, {});
    const noc = createNoc('analytic', board, params, { routeImpl: 'wasm' });
    noc.routeStep(makeBatch(board, steps[0]));
    expect(noc.counters.latency.max).toBeGreaterThan(2 ** 32);
  });

  it('rejects bad packets with the InputError of the TypeScript model and routes the next step as a fresh model', () => {
    const good = (): PacketBatch => {
      const g = new PacketBatch();
      for (let i = 0; i < 9; i++) g.push(i % 3, 100 - (i % 4), 0, 0, i * 100);
      return g;
    };
    const bad: [string, (b: PacketBatch) => void][] = [
      ['core outside', (b) => b.push(0, 128, 0, 0, 0)],
      ['source outside', (b) => b.push(2 ** 32 - 1, 3, 0, 0, 0)],
      ['NaN time', (b) => b.push(1, 2, 0, 0, NaN)],
      ['negative time', (b) => b.push(1, 2, 0, 0, -1)],
      ['infinite time', (b) => b.push(1, 2, 0, 0, Infinity)],
    ];
    for (const [what, add] of bad) {
      const errors: unknown[] = [];
      const models = (['wasm', 'typescript'] as const).map((routeImpl) => createNoc('analytic', LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, { routeImpl }));
      for (const noc of models) {
        noc.routeStep(good());
        const b = new PacketBatch();
        for (let i = 0; i < 5; i++) b.push(i, 100 - i, 0, 0, 0);
        add(b);
        try {
          noc.routeStep(b);
          expect.unreachable(what);
        } catch (e) {
          expect(e, what).toBeInstanceOf(InputError);
          errors.push({ message: (e as InputError).message, problems: (e as InputError).problems });
        }
        // nothing of the rejected step was counted
        expect(noc.counters.packets, what).toBe(9);
        const after = good();
        noc.routeStep(after);
        const fresh = good();
        const ref = createNoc('analytic', LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, { routeImpl: 'typescript' });
        ref.routeStep(good());
        ref.routeStep(fresh);
        expect(Array.from(after.arrivePs.subarray(0, 9)), what).toEqual(Array.from(fresh.arrivePs.subarray(0, 9)));
      }
      sameCounters(models[0], models[1]);
      expect(errors[0], what).toEqual(errors[1]);
    }
  });

  it('a routing fault throws the same Error (twice), and both route the next step as a fresh model', () => {
    // east until the destination column, then local: a fault for any packet that must go west, north or south
    registerRouting({ name: 'test-east-only', description: 'east or local (broken, test only)', route: (x, y, dx, dy) => (x === dx && y === dy ? PORT_LOCAL : DIR_E) });
    const topo: MeshTopology = { chipsX: 1, chipsY: 1, tilesX: 4, tilesY: 2, coresPerRouter: 1 };
    const p: NocParams = { ...LOIHI_NOC_PARAMS, routing: 'test-east-only' };
    const eastward = (): PacketBatch => {
      const b = new PacketBatch();
      for (let i = 0; i < 6; i++) b.push(i % 3, 3, 0, 0, 50 * i); // row 0, to router 3
      return b;
    };
    const messages: string[] = [];
    for (const routeImpl of ['wasm', 'typescript'] as const) {
      const noc = createNoc('analytic', topo, p, { routeImpl });
      const b = eastward();
      b.push(3, 0, 0, 0, 0); // westward: the plug-in leaves the mesh at router 3
      expect(() => noc.routeStep(b)).toThrow(Error);
      try {
        noc.routeStep(b);
      } catch (e) {
        messages.push((e as Error).message);
      }
      const after = eastward();
      noc.routeStep(after);
      const fresh = eastward();
      createNoc('analytic', topo, p, { routeImpl: 'typescript' }).routeStep(fresh);
      expect(Array.from(after.arrivePs.subarray(0, 6)), routeImpl).toEqual(Array.from(fresh.arrivePs.subarray(0, 6)));
    }
    expect(messages[0]).toMatch(/routing 'test-east-only' sent packet 3->0 out of port 0 at router 3: not a valid route/);
    expect(messages[0]).toBe(messages[1]);
  });

  it('the analytic model (and so the engine) routes with the kernel by default when it is built', () => {
    expect(fs.existsSync(routeKernelPath())).toBe(true); // test/global-setup.ts builds it
    expect(defaultRouteImpl()).toBe('wasm');
    expect(createNoc('analytic', LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS).routeImpl).toBe('wasm');
    expect(createArchNoc(resolveArch('loihi'), 'analytic').routeImpl).toBe('wasm');
    expect(createNoc('cycle', LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS).routeImpl).toBeUndefined();
    expect(() => createNoc('analytic', LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, { routeImpl: 'fortran' as never })).toThrow(InputError);
  });

  it('keeps its memory: the counters and histograms stay views of the same buffer after many steps', () => {
    const noc = createNoc('analytic', LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, { routeImpl: 'wasm', routeKernel: { pathCacheWords: 100 } });
    const buffer = noc.counters.linkFlits.buffer;
    const bytes = buffer.byteLength;
    for (let s = 0; s < 20; s++) noc.routeStep(makeBatch(LOIHI_TOPOLOGY, { n: 700, seed: s, hot: 128, spread: 5000, windowPs: 0 }));
    expect(noc.counters.linkFlits.buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(bytes);
    expect(noc.counters.routerFlits.buffer).toBe(buffer);
    expect(noc.counters.latency.buckets.buffer).toBe(buffer);
    expect(noc.counters.stepLatency.buckets.buffer).toBe(buffer);
    expect(noc.counters.latency.count).toBe(20 * 700);
    expect(noc.counters.packets).toBe(20 * 700);
    expect(noc.counters.routerFlits.reduce((a, c) => a + c, 0)).toBeGreaterThan(0);
  });
});
