/**
 * The analytic model keeps state across windows (paths cached per router pair, only the loaded
 * resources cleared and recomputed): a network reused over many windows must hold exactly what a
 * fresh network holds for the same window, with and without the path cache.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnalyticNetwork, NocCounters, SYNTHETIC_DEFAULTS, syntheticConfig, type SyntheticOptions } from '../../emulator/noc/index.js';

type Window = { pkts: [number, number][]; window: number };

function runWindow(net: AnalyticNetwork, w: Window, flits: number): number[] {
  net.beginWindow();
  for (const [s, d] of w.pkts) net.addLoad(s, d, flits);
  net.finishLoads(w.window, flits);
  const out: number[] = [];
  for (const [s, d] of w.pkts) out.push(net.latency(s, d, flits), net.lastHops);
  return out;
}

function sameState(a: AnalyticNetwork, b: AnalyticNetwork): void {
  expect(Array.from(a.load)).toEqual(Array.from(b.load));
  expect(Array.from(a.portLoad)).toEqual(Array.from(b.portLoad));
  expect(Array.from(a.wait)).toEqual(Array.from(b.wait));
  expect(Array.from(a.injWait)).toEqual(Array.from(b.injWait));
}

function check(o: SyntheticOptions, windows: Window[]): void {
  const cfg = syntheticConfig(o);
  const R = o.width * o.height;
  const reused = new AnalyticNetwork(cfg, new NocCounters(R), 1);
  const counters = new NocCounters(R);
  for (const w of windows) {
    const fresh = new AnalyticNetwork(cfg, counters, 1);
    expect(runWindow(reused, w, o.packetFlits)).toEqual(runWindow(fresh, w, o.packetFlits));
    sameState(reused, fresh);
  }
  // cumulative counters: the reused network counted what the fresh ones counted together
  expect(Array.from(reused.counters.linkFlits)).toEqual(Array.from(counters.linkFlits));
  expect(Array.from(reused.counters.routerFlits)).toEqual(Array.from(counters.routerFlits));
  expect(Array.from(reused.counters.hopsByDir)).toEqual(Array.from(counters.hopsByDir));
  expect(reused.counters.packets).toBe(counters.packets);
}

describe('analytic model across windows', () => {
  it('a reused network equals a fresh one in every window (cached paths, cleared loads)', () => {
    const arb = fc
      .record({ width: fc.integer({ min: 1, max: 6 }), height: fc.integer({ min: 1, max: 6 }), packetFlits: fc.integer({ min: 1, max: 3 }), routing: fc.constantFrom('xy', 'yx') })
      .chain((c) =>
        fc.record({
          c: fc.constant(c),
          windows: fc.array(
            fc.record({
              pkts: fc.array(fc.tuple(fc.nat(c.width * c.height - 1), fc.nat(c.width * c.height - 1)), { maxLength: 30 }),
              window: fc.integer({ min: 1, max: 60 }),
            }),
            { minLength: 1, maxLength: 5 },
          ),
        }),
      );
    fc.assert(
      fc.property(arb, ({ c, windows }) => check({ ...SYNTHETIC_DEFAULTS, ...c }, windows)),
      { numRuns: 120, seed: 31 },
    );
  });

  it('a mesh too large for the path cache walks every path and agrees too', () => {
    // 40 × 30 = 1,200 routers: beyond the cached sizes
    const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, width: 40, height: 30 };
    const n = o.width * o.height;
    const windows: Window[] = [
      { pkts: [[0, n - 1], [5, 5], [n - 1, 0], [0, n - 1], [41, 1000]], window: 20 },
      { pkts: [[7, 900], [900, 7]], window: 3 },
      { pkts: [], window: 5 },
    ];
    check(o, windows);
  });

  it('a routing fault is still reported for a pair seen for the first time', () => {
    const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, width: 3, height: 1 };
    const cfg = syntheticConfig(o);
    const bad = { ...cfg, routing: { name: 'stay', description: 'never moves', route: () => 4 } };
    const net = new AnalyticNetwork(bad, new NocCounters(3), 1);
    net.beginWindow();
    expect(() => net.addLoad(0, 2, 1)).toThrow(/routing 'stay' sent packet 0->2/);
  });
});
