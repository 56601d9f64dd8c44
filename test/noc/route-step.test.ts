import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import {
  LOIHI_NOC_PARAMS,
  LOIHI_TOPOLOGY,
  PacketBatch,
  coreCount,
  coreLocation,
  createNoc,
  deriveClockPs,
  deriveCycleConfig,
  registerRouting,
  NOC_MODEL_NAMES,
  DIR_E,
  DIR_N,
  DIR_S,
  DIR_W,
  PORT_LOCAL,
  type MeshTopology,
  type NocParams,
  AnalyticNetwork,
  NocCounters,
} from '../../emulator/noc/index.js';
import { randInt } from '../../emulator/util/rng.js';

/** 2 x 2 chips of 3 x 2 tiles, 2 cores per tile: a 6 x 4 global mesh with chip links. */
const BOARD: MeshTopology = { chipsX: 2, chipsY: 2, tilesX: 3, tilesY: 2, coresPerRouter: 2 };

function globalXY(topo: MeshTopology, core: number): [number, number] {
  const o = new Int32Array(5);
  coreLocation(topo, core, o);
  return [o[0] * topo.tilesX + o[2], o[1] * topo.tilesY + o[3]];
}

/** Zero-load latency (ps) the docs promise: withinTile + per-hop times along the XY path + (F-1) clocks. */
function expectedPs(topo: MeshTopology, p: NocParams, src: number, dst: number, flits: number): { ps: number; hops: number } {
  const [sx, sy] = globalXY(topo, src);
  const [dx, dy] = globalXY(topo, dst);
  let ps = p.withinTilePs + (flits - 1) * deriveClockPs(p);
  let x = sx;
  for (; x !== dx; x += dx > x ? 1 : -1) {
    const nx = x + (dx > x ? 1 : -1);
    const cross = Math.floor(x / topo.tilesX) !== Math.floor(nx / topo.tilesX);
    ps += cross ? p.chipLinkPs : p.hopPsEW;
  }
  for (let y = sy; y !== dy; y += dy > y ? 1 : -1) {
    const ny = y + (dy > y ? 1 : -1);
    const cross = Math.floor(y / topo.tilesY) !== Math.floor(ny / topo.tilesY);
    ps += cross ? p.chipLinkPs : p.hopPsNS;
  }
  return { ps, hops: Math.abs(sx - dx) + Math.abs(sy - dy) };
}

describe.each(NOC_MODEL_NAMES)('routeStep (%s model)', (model) => {
  it('zero-load: every pair on a multi-chip board arrives at the documented time; hops = Manhattan distance', () => {
    const noc = createNoc(model, BOARD, LOIHI_NOC_PARAMS);
    const batch = new PacketBatch(4);
    const n = coreCount(BOARD);
    for (let s = 0; s < n; s += 3) {
      for (let d = 0; d < n; d += 5) {
        batch.clear();
        batch.push(s, d, 7, 0, 1000 * (s % 4)); // injection at whole clock periods
        noc.routeStep(batch);
        const e = expectedPs(BOARD, LOIHI_NOC_PARAMS, s, d, 1);
        expect(batch.hops[0]).toBe(e.hops);
        expect(batch.arrivePs[0] - batch.injectPs[0]).toBe(e.ps);
      }
    }
    expect(noc.counters.chipHops).toBeGreaterThan(0);
    expect(noc.counters.tileHopsEW + noc.counters.tileHopsNS + noc.counters.chipHops).toBe(
      noc.counters.hopsByDir.reduce((a, b) => a + b, 0),
    );
  });

  it('multi-flit packets pay (F-1) clock periods of serialisation at zero load', () => {
    const p: NocParams = { ...LOIHI_NOC_PARAMS, packetBits: 100, flitBits: 32 }; // 4 flits
    const noc = createNoc(model, LOIHI_TOPOLOGY, p);
    const b = new PacketBatch();
    b.push(0, 127, 0, 0, 0);
    noc.routeStep(b);
    const e = expectedPs(LOIHI_TOPOLOGY, p, 0, 127, 4);
    expect(b.arrivePs[0]).toBe(e.ps);
    expect(e.ps).toBe(2100 + 7 * 4100 + 3 * 6500 + 3 * 100);
  });

  it('within-tile delivery: same router, different cores -> 0 hops, withinTilePs', () => {
    const noc = createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    const b = new PacketBatch();
    b.push(8, 11, 1, 0, 5000); // cores 8 and 11 share tile 2
    noc.routeStep(b);
    expect(b.hops[0]).toBe(0);
    expect(b.arrivePs[0]).toBe(5000 + 2100);
    expect(noc.counters.withinTile).toBe(1);
    expect(noc.counters.linkFlits.reduce((a, c) => a + c, 0)).toBe(0);
  });

  it('XY and YX load different links but give the same hop counts', () => {
    const run = (routing: string): { hops: number[]; links: Float64Array } => {
      const noc = createNoc(model, LOIHI_TOPOLOGY, { ...LOIHI_NOC_PARAMS, routing });
      const b = new PacketBatch();
      for (let i = 0; i < 50; i++) b.push(randInt(3, 9, 0, 2 * i, 0, 127), randInt(3, 9, 0, 2 * i + 1, 0, 127), 0, 0, i * 400);
      noc.routeStep(b);
      return { hops: [...b.hops.subarray(0, b.count)], links: noc.counters.linkFlits };
    };
    const xy = run('xy');
    const yx = run('yx');
    expect(yx.hops).toEqual(xy.hops);
    expect([...yx.links]).not.toEqual([...xy.links]);
    expect(yx.links.reduce((a, c) => a + c, 0)).toBe(xy.links.reduce((a, c) => a + c, 0));
    // router 0 is the corner (0,0): a packet from core 0 to core 127 leaves east under XY, north under YX
    const one = (routing: string): Float64Array => {
      const noc = createNoc(model, LOIHI_TOPOLOGY, { ...LOIHI_NOC_PARAMS, routing });
      const b = new PacketBatch();
      b.push(0, 127, 0, 0, 0);
      noc.routeStep(b);
      return noc.counters.linkFlits;
    };
    expect(one('xy')[0 * 4 + DIR_E]).toBe(1);
    expect(one('xy')[0 * 4 + DIR_N]).toBe(0);
    expect(one('yx')[0 * 4 + DIR_N]).toBe(1);
    expect(one('yx')[0 * 4 + DIR_E]).toBe(0);
  });

  it('contention: a burst on one link queues (latency above zero-load), deterministically', () => {
    const make = (): PacketBatch => {
      const b = new PacketBatch();
      for (let i = 0; i < 40; i++) b.push(i % 4, 4 * 7 + (i % 4), i, 0, 0); // tile 0 -> tile 7, all at t=0
      return b;
    };
    const a = make();
    const noc = createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    noc.routeStep(a);
    const zero = 2100 + 7 * 4100;
    const lat = [...a.arrivePs.subarray(0, a.count)];
    expect(Math.min(...lat)).toBeGreaterThanOrEqual(zero);
    // 40 one-flit packets share tile 0's injection port: on average each waits (40-1)/2 clocks,
    // once (the flits stay spaced one per clock along the 7 links)
    const meanWait = lat.reduce((s, v) => s + v - zero, 0) / lat.length;
    expect(meanWait).toBeGreaterThanOrEqual(0.8 * 19.5 * 100);
    expect(meanWait).toBeLessThanOrEqual(1.2 * 19.5 * 100); // the cycle model adds VC interleaving
    expect(noc.counters.stepLatency.count).toBe(40);
    const b = make();
    createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS).routeStep(b);
    expect([...b.arrivePs.subarray(0, b.count)]).toEqual(lat);
    noc.resetStepStats();
    expect(noc.counters.stepLatency.count).toBe(0);
    expect(noc.counters.latency.count).toBe(40);
  });

  it('steps are independent: a step routes the same after any earlier step', () => {
    const step = (seed: number): PacketBatch => {
      const b = new PacketBatch();
      for (let i = 0; i < 300; i++) b.push(randInt(seed, 9, 1, 3 * i, 0, 127), randInt(seed, 9, 1, 3 * i + 1, 0, 127), 0, 0, randInt(seed, 9, 1, 3 * i + 2, 0, 20) * 100);
      return b;
    };
    const shared = createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    shared.routeStep(step(1));
    const after = step(2);
    shared.routeStep(after);
    const alone = step(2);
    createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS).routeStep(alone);
    expect([...after.arrivePs.subarray(0, after.count)]).toEqual([...alone.arrivePs.subarray(0, alone.count)]);
    expect(shared.counters.packets).toBe(600);
  });

  it('packets may be listed in any time order, over short or very long spans', () => {
    for (const gap of [300, 10_000_000]) { // 10 us apart exceeds the counting-sort span
      const noc = createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
      const b = new PacketBatch();
      for (let i = 9; i >= 0; i--) b.push(i, 127 - i, 0, 0, i * gap); // listed latest first
      noc.routeStep(b);
      for (let k = 0; k < b.count; k++) {
        const i = 9 - k;
        expect(b.arrivePs[k] - b.injectPs[k]).toBeGreaterThanOrEqual(expectedPs(LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, i, 127 - i, 1).ps);
        // far apart in time: zero-load (the analytic window-average contention is then below 1 ps)
        if (gap > 1e6) expect(b.arrivePs[k] - b.injectPs[k]).toBeCloseTo(expectedPs(LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS, i, 127 - i, 1).ps, 0);
      }
    }
  });

  it('rejects packets addressed outside the topology, and routes the next step as a fresh model would', () => {
    const noc = createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    const b = new PacketBatch();
    for (let i = 0; i < 5; i++) b.push(i, 100 - i, 0, 0, 0);
    b.push(0, 128, 0, 0, 0);
    expect(() => noc.routeStep(b)).toThrow(InputError);
    const good = (): PacketBatch => {
      const g = new PacketBatch();
      for (let i = 0; i < 9; i++) g.push(i % 3, 100 - (i % 4), 0, 0, i * 100);
      return g;
    };
    const after = good();
    noc.routeStep(after);
    const fresh = good();
    createNoc(model, LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS).routeStep(fresh);
    expect(Array.from(after.arrivePs.subarray(0, 9))).toEqual(Array.from(fresh.arrivePs.subarray(0, 9)));
  });
});

describe('analytic routeStep groups packets by router pair', () => {
  it('equals a per-packet walk of the same window (loads, latencies, hops, counters, histograms)', () => {
    // steps large enough to grow the pair table, with repeated pairs, within-tile pairs and chip links
    for (const [seed, n] of [[3, 17], [4, 200], [5, 1500]] as const) {
      const topo = BOARD;
      const cores = coreCount(topo);
      const b = new PacketBatch();
      for (let i = 0; i < n; i++) {
        const src = randInt(seed, 9, 2, 3 * i, 0, cores - 1);
        // a few hot destinations, so that many packets share a pair
        const dst = i % 3 === 0 ? randInt(seed, 9, 2, 3 * i + 1, 0, cores - 1) : randInt(seed, 9, 2, 3 * i + 1, 0, 3);
        b.push(src, dst, i, 0, randInt(seed, 9, 2, 3 * i + 2, 0, 50) * 100);
      }
      const noc = createNoc('analytic', topo, LOIHI_NOC_PARAMS);
      noc.routeStep(b);
      // reference: the documented per-packet procedure on a fresh network
      const { cfg, clockPs } = deriveCycleConfig(topo, LOIHI_NOC_PARAMS);
      const counters = new NocCounters(cfg.width * cfg.height);
      const net = new AnalyticNetwork(cfg, counters, clockPs);
      const F = noc.flitsPerPacket;
      const o = new Int32Array(5);
      const routerOf = (c: number): number => {
        coreLocation(topo, c, o);
        return (o[1] * topo.tilesY + o[3]) * cfg.width + o[0] * topo.tilesX + o[2];
      };
      net.beginWindow();
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        net.addLoad(routerOf(b.srcCore[i]), routerOf(b.dstCore[i]), F);
        lo = Math.min(lo, b.injectPs[i]);
        hi = Math.max(hi, b.injectPs[i]);
      }
      net.finishLoads(hi - lo + clockPs, F);
      for (let i = 0; i < n; i++) {
        const lat = Math.round(net.latency(routerOf(b.srcCore[i]), routerOf(b.dstCore[i]), F));
        expect(b.arrivePs[i]).toBe(b.injectPs[i] + lat);
        expect(b.hops[i]).toBe(net.lastHops);
        counters.recordLatency(lat);
      }
      for (const c of [noc.counters, counters]) expect(c.packets).toBe(n);
      expect(noc.counters.withinTile).toBe(counters.withinTile);
      expect(noc.counters.flits).toBe(counters.flits);
      expect(Array.from(noc.counters.linkFlits)).toEqual(Array.from(counters.linkFlits));
      expect(Array.from(noc.counters.routerFlits)).toEqual(Array.from(counters.routerFlits));
      expect(Array.from(noc.counters.hopsByDir)).toEqual(Array.from(counters.hopsByDir));
      expect(Array.from(noc.counters.chipHopsByDir)).toEqual(Array.from(counters.chipHopsByDir));
      expect(noc.counters.latency.summary()).toEqual(counters.latency.summary());
      expect(Array.from(noc.counters.stepLatency.buckets)).toEqual(Array.from(counters.stepLatency.buckets));
    }
  });
});

describe('cycle model clock and parameters', () => {
  it('Loihi: clock = gcd of hop times (100 ps); per-hop latency equals the arch per-hop time', () => {
    const { cfg, clockPs } = deriveCycleConfig(LOIHI_TOPOLOGY, LOIHI_NOC_PARAMS);
    expect(clockPs).toBe(100);
    const P = cfg.rcDelay + cfg.vaDelay + cfg.saDelay + cfg.stDelay;
    expect((P + cfg.linkDelay[0 * 4 + DIR_E]) * clockPs).toBe(4100);
    expect((P + cfg.linkDelay[0 * 4 + DIR_N]) * clockPs).toBe(6500);
    expect((cfg.injectDelay + P + cfg.ejectDelay) * clockPs).toBe(2100);
  });

  it('reports parameters that do not fit the pipeline as InputError', () => {
    expect(() => deriveCycleConfig(LOIHI_TOPOLOGY, { ...LOIHI_NOC_PARAMS, clockPs: 1000 })).toThrow(/not a whole number|fewer than/);
    expect(() => deriveCycleConfig(LOIHI_TOPOLOGY, { ...LOIHI_NOC_PARAMS, vcs: 0, routing: 'zigzag' })).toThrow(InputError);
    try {
      createNoc('cycle', LOIHI_TOPOLOGY, { ...LOIHI_NOC_PARAMS, hopPsEW: Number.NaN });
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).problems[0].where).toBe('hopPsEW');
    }
  });

  it('a deadlocking configuration is reported as a stall, never a hang', () => {
    // clockwise ring routing on a 2 x 2 mesh: cyclic channel dependencies, 1 VC, 1-flit buffers
    registerRouting({
      name: 'test-ring-cw',
      description: 'clockwise ring (deadlock-prone, test only)',
      route: (x, y, dx, dy) => (x === dx && y === dy ? PORT_LOCAL : y === 0 ? (x === 0 ? DIR_N : DIR_W) : x === 0 ? DIR_E : DIR_S),
    });
    const topo: MeshTopology = { chipsX: 1, chipsY: 1, tilesX: 2, tilesY: 2, coresPerRouter: 1 };
    const p: NocParams = { ...LOIHI_NOC_PARAMS, routing: 'test-ring-cw', vcs: 1, bufferDepth: 1, packetBits: 32 * 8, stallCycles: 5000 };
    const noc = createNoc('cycle', topo, p);
    const b = new PacketBatch();
    // every router sends to the router two steps around the ring, many packets each
    const far = [3, 2, 0, 1]; // router ids: 0=(0,0) 1=(1,0) 2=(0,1) 3=(1,1)
    for (let k = 0; k < 8; k++) for (let r = 0; r < 4; r++) b.push(r, far[r], 0, 0, 0);
    expect(() => noc.routeStep(b)).toThrow(/stalled/);
    void DIR_S;
    void DIR_W;
  });
});
