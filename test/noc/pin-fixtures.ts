/**
 * Fixed seeded runs of the cycle model whose exact statistics test/noc/pinned.test.ts pins, so that
 * a speed optimisation of emulator/noc/cycle.ts provably changes nothing. The runs cover the code
 * paths that matter: light and saturated load, shallow buffers (credit-limited), multi-flit
 * packets, a zero-cycle VA stage (the second SA pass), YX routing, longer link and credit delays,
 * and routeStep() on a multi-chip board (chip links) with a burst.
 */
import { createNoc, LOIHI_NOC_PARAMS, PacketBatch, SourceQueues, coreCount, type MeshTopology, type NocCounters, type NocParams, type SyntheticOptions } from '../../emulator/noc/index.js';
import { randInt } from '../../emulator/util/rng.js';

/** FNV-1a over a sequence of integers (each folded as 4 bytes): a compact digest of a counter array. */
export function digest(values: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (!Number.isSafeInteger(v)) throw new Error(`digest: ${v} at ${i} is not an integer`);
    // fold high and low 32 bits
    const hi = Math.floor(v / 4294967296);
    v = v - hi * 4294967296;
    for (const w of [v >>> 0, hi >>> 0]) {
      for (let b = 0; b < 4; b++) {
        h ^= (w >>> (8 * b)) & 0xff;
        h = Math.imul(h, 0x01000193) >>> 0;
      }
    }
  }
  return h.toString(16).padStart(8, '0');
}

export function fingerprintCounters(c: NocCounters): Record<string, string | number> {
  const sum = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  };
  return {
    packets: c.packets,
    flits: c.flits,
    withinTile: c.withinTile,
    stallCycles: sum(c.stallCycles),
    stallDigest: digest(c.stallCycles),
    peakDigest: digest(c.peakBufferFlits),
    linkDigest: digest(c.linkFlits),
    routerDigest: digest(c.routerFlits),
    hopsByDir: Array.from(c.hopsByDir).join(','),
    chipHops: Array.from(c.chipHopsByDir).join(','),
    latencyBuckets: digest(c.latency.buckets),
  };
}

export const CONFIGS: Record<string, Partial<SyntheticOptions>> = {
  // the benchmark's configuration, shortened
  bench: { model: 'cycle', width: 8, height: 8, traffic: 'uniform', rate: 0.1, packetFlits: 1, cycles: 6000, warmup: 600, drainCycles: 0, vcs: 4, bufferDepth: 8, seed: 1 },
  // beyond saturation, 2 VCs x 2 flits (credit-limited, many stalls), 3-flit packets
  saturated: { model: 'cycle', width: 6, height: 6, traffic: 'uniform', rate: 0.25, packetFlits: 3, cycles: 3000, warmup: 300, drainCycles: 3000, vcs: 2, bufferDepth: 2, seed: 7 },
  // hotspot, 4-flit packets, zero-cycle VA (second SA pass), 1 VC
  hotspot: { model: 'cycle', width: 5, height: 4, traffic: 'hotspot', hotspotFraction: 0.4, rate: 0.08, packetFlits: 4, cycles: 3000, warmup: 300, drainCycles: 5000, vcs: 1, bufferDepth: 4, rcDelay: 1, vaDelay: 0, saDelay: 1, stDelay: 1, seed: 3 },
  // transpose under YX with long links and credits
  transposeYx: { model: 'cycle', width: 6, height: 6, traffic: 'transpose', routing: 'yx', rate: 0.15, packetFlits: 2, cycles: 3000, warmup: 300, drainCycles: 5000, vcs: 3, bufferDepth: 5, linkDelay: 3, creditDelay: 2, injectDelay: 2, ejectDelay: 3, seed: 11 },
  // bit-complement with a deep pipeline and zero-cycle stages
  bitcomp: { model: 'cycle', width: 4, height: 6, traffic: 'bitcomp', rate: 0.3, packetFlits: 1, cycles: 2000, warmup: 200, drainCycles: 5000, vcs: 2, bufferDepth: 3, rcDelay: 2, vaDelay: 0, saDelay: 0, stDelay: 2, seed: 5 },
  // (added before the event-driven rewrite) the benchmark's 4 VCs x 8 flits with 4-flit packets near saturation
  multiflitVc4: { model: 'cycle', width: 8, height: 8, traffic: 'uniform', rate: 0.1, packetFlits: 4, cycles: 2000, warmup: 200, drainCycles: 4000, vcs: 4, bufferDepth: 8, seed: 13 },
  // zero-cycle route computation and switch allocation, neighbour traffic, 2-flit packets
  zeroRc: { model: 'cycle', width: 6, height: 6, traffic: 'neighbor', rate: 0.3, packetFlits: 2, cycles: 2000, warmup: 200, drainCycles: 4000, vcs: 2, bufferDepth: 4, rcDelay: 0, vaDelay: 1, saDelay: 0, stDelay: 1, seed: 17 },
  // 32 VCs (every bit of the VC masks), 2-flit buffers, hotspot, 3-flit packets
  vcs32: { model: 'cycle', width: 4, height: 4, traffic: 'hotspot', hotspotFraction: 0.3, rate: 0.2, packetFlits: 3, cycles: 1500, warmup: 150, drainCycles: 5000, vcs: 32, bufferDepth: 2, seed: 19 },
  // a mesh above the route table's 1024 routers (routes from the plug-in at every hop)
  bigMesh: { model: 'cycle', width: 33, height: 32, traffic: 'uniform', rate: 0.02, packetFlits: 2, cycles: 300, warmup: 30, drainCycles: 3000, vcs: 2, bufferDepth: 4, seed: 23 },
};

/** 2 x 2 chips of 3 x 2 tiles, 2 cores per tile (chip links inside the mesh). */
export const PIN_BOARD: MeshTopology = { chipsX: 2, chipsY: 2, tilesX: 3, tilesY: 2, coresPerRouter: 2 };

/** routeStep() of three bursty steps on PIN_BOARD (cycle model); digests of arrivals and hops, and the counters. */
export function routeStepFingerprint(): Record<string, unknown> {
  const noc = createNoc('cycle', PIN_BOARD, { ...LOIHI_NOC_PARAMS, vcs: 2, bufferDepth: 4 });
  const n = coreCount(PIN_BOARD);
  const batch = new PacketBatch(16);
  const out: Record<string, unknown> = {};
  for (let step = 0; step < 3; step++) {
    batch.clear();
    batch.step = step;
    for (let i = 0; i < 600; i++) {
      const src = randInt(99, 1, step, 3 * i, 0, n - 1);
      // a third of the packets go to core 0 (a hotspot), the rest anywhere
      const dst = i % 3 === 0 ? 0 : randInt(99, 1, step, 3 * i + 1, 0, n - 1);
      batch.push(src, dst, i, 0, randInt(99, 1, step, 3 * i + 2, 0, 399) * 137);
    }
    noc.resetStepStats();
    noc.routeStep(batch);
    out[`step${step}`] = { arrive: digest(batch.arrivePs.subarray(0, batch.count)), hops: digest(batch.hops.subarray(0, batch.count)), meanLatency: noc.counters.stepLatency.mean };
  }
  out.counters = fingerprintCounters(noc.counters);
  return out;
}

/**
 * routeStepQueued() of three bursty steps (cycle model) with small per-core injection queues, so
 * router back-pressure stalls the cores: digests of arrivals, real production times, router entry
 * times and per-core stalls, and the counters. Two settings: 1 VC x 2 flits with 1-flit packets and
 * a queue of 1; 4 VCs x 8 flits with 3-flit packets and a queue of 3.
 */
export function routeStepQueuedFingerprint(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const settings: [string, Partial<NocParams>, number][] = [
    ['vc1', { vcs: 1, bufferDepth: 2 }, 1],
    ['vc4', { vcs: 4, bufferDepth: 8, packetBits: 96 }, 3],
  ];
  for (const [name, p, cap] of settings) {
    const noc = createNoc('cycle', PIN_BOARD, { ...LOIHI_NOC_PARAMS, ...p });
    const n = coreCount(PIN_BOARD);
    const q = new SourceQueues(cap, n);
    const batch = new PacketBatch(16);
    for (let step = 0; step < 3; step++) {
      batch.clear();
      batch.step = step;
      // every core sends 12 packets in production order, 40 % of them to core 5 (a hotspot)
      for (let k = 0; k < 12; k++) {
        for (let c = 0; c < n; c++) {
          const dst = randInt(77, 1, step, 3 * (k * n + c), 0, 99) < 40 ? 5 : randInt(77, 1, step, 3 * (k * n + c) + 1, 0, n - 1);
          batch.push(c, dst, k, 0, k * 900 + randInt(77, 1, step, 3 * (k * n + c) + 2, 0, 9) * 137);
        }
      }
      noc.resetStepStats();
      noc.routeStepQueued!(batch, q);
      out[`${name}step${step}`] = {
        arrive: digest(batch.arrivePs.subarray(0, batch.count)),
        produced: digest(batch.injectPs.subarray(0, batch.count)),
        entered: digest(q.enteredPs.subarray(0, batch.count)),
        hops: digest(batch.hops.subarray(0, batch.count)),
        stallPs: digest(q.stallPs),
        stalls: digest(q.stalls),
        meanLatency: noc.counters.stepLatency.mean,
      };
    }
    out[`${name}counters`] = fingerprintCounters(noc.counters);
  }
  return out;
}
