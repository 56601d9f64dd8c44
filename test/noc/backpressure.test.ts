/** routeStepQueued: the cycle model owns the cores' bounded injection queues (router back-pressure reaches the cores). */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { LOIHI_NOC_PARAMS, PacketBatch, SourceQueues, coreCount, createNoc, deriveClockPs, type MeshTopology } from '../../emulator/noc/index.js';
import { randInt } from '../../emulator/util/rng.js';

const TOPO: MeshTopology = { chipsX: 1, chipsY: 1, tilesX: 4, tilesY: 4, coresPerRouter: 2 };
const PARAMS = { ...LOIHI_NOC_PARAMS, vcs: 1, bufferDepth: 2 };
const CLOCK = deriveClockPs(PARAMS);
const CORES = coreCount(TOPO);

/** Every core sends `perCore` packets; a `hot` share of them to core 0, the rest anywhere; nominal production every `gapPs` (plus jitter). */
function burst(perCore: number, hot: number, gapPs: number, seed: number): PacketBatch {
  const b = new PacketBatch(16);
  // interleave the cores in the batch (a core's packets stay in production order)
  for (let k = 0; k < perCore; k++) {
    for (let c = 0; c < CORES; c++) {
      const dst = randInt(seed, 1, c, 2 * k, 0, 99) < hot * 100 ? 0 : randInt(seed, 1, c, 2 * k + 1, 0, CORES - 1);
      b.push(c, dst, k, 0, k * gapPs + randInt(seed, 2, c, k, 0, 3) * 37);
    }
  }
  return b;
}

function copy(b: PacketBatch): PacketBatch {
  const o = new PacketBatch(b.count);
  for (let i = 0; i < b.count; i++) o.push(b.srcCore[i], b.dstCore[i], b.dstAxon[i], b.payload[i], b.injectPs[i]);
  return o;
}

describe('routeStepQueued (cycle model)', () => {
  it('with room for every packet: the same arrivals and hops as routeStep, no stalls', () => {
    const b1 = burst(12, 0.5, 300, 1);
    const b2 = copy(b1);
    createNoc('cycle', TOPO, PARAMS).routeStep(b1);
    const q = new SourceQueues(12, CORES);
    createNoc('cycle', TOPO, PARAMS).routeStepQueued!(b2, q);
    expect(Array.from(b2.arrivePs.subarray(0, b2.count))).toEqual(Array.from(b1.arrivePs.subarray(0, b1.count)));
    expect(Array.from(b2.hops.subarray(0, b2.count))).toEqual(Array.from(b1.hops.subarray(0, b1.count)));
    expect(q.stalls.every((v) => v === 0)).toBe(true);
    expect(q.stallPs.every((v) => v === 0)).toBe(true);
    // nothing stalled: produced at the nominal times; the head enters the router at the clock edge
    // at or after production, or later (the router's injection port is shared)
    const nominal = burst(12, 0.5, 300, 1);
    for (let i = 0; i < b2.count; i++) {
      expect(b2.injectPs[i]).toBe(nominal.injectPs[i]);
      expect(q.enteredPs[i]).toBeGreaterThanOrEqual(Math.ceil(nominal.injectPs[i] / CLOCK) * CLOCK);
    }
  });

  it('a small queue on a hotspot: stalls follow exactly from when each queue slot was freed', () => {
    for (const cap of [1, 2, 4]) {
      const nominal = burst(16, 0.6, 200, 3);
      const b = copy(nominal);
      const q = new SourceQueues(cap, CORES);
      createNoc('cycle', TOPO, PARAMS).routeStepQueued!(b, q);
      let totalStalls = 0;
      for (let c = 0; c < CORES; c++) {
        const idx: number[] = [];
        for (let i = 0; i < b.count; i++) if (b.srcCore[i] === c) idx.push(i);
        // reference: packet k is produced at max(previous + nominal gap, slot free), where the slot of
        // packet k - cap is free from the cycle after its (one-flit) tail entered the router
        let prev = 0;
        let prevNominal = 0;
        let stallPs = 0;
        let stalls = 0;
        idx.forEach((i, k) => {
          const ready = prev + (nominal.injectPs[i] - prevNominal);
          const room = k >= cap ? q.enteredPs[idx[k - cap]] + CLOCK : -Infinity;
          const produced = Math.max(ready, room);
          if (room > ready) {
            stallPs += room - ready;
            stalls++;
          }
          expect(b.injectPs[i]).toBe(produced);
          // a packet enters its router at the first clock edge at or after it was produced, or later
          expect(q.enteredPs[i]).toBeGreaterThanOrEqual(Math.ceil(produced / CLOCK) * CLOCK);
          if (k > 0) expect(q.enteredPs[i]).toBeGreaterThan(q.enteredPs[idx[k - 1]]);
          expect(b.arrivePs[i]).toBeGreaterThan(q.enteredPs[i]);
          prev = produced;
          prevNominal = nominal.injectPs[i];
        });
        expect(q.stallPs[c]).toBe(stallPs);
        expect(q.stalls[c]).toBe(stalls);
        totalStalls += stalls;
      }
      expect(totalStalls).toBeGreaterThan(0);
    }
  });

  it('is deterministic and resets its per-core results each step', () => {
    const noc = createNoc('cycle', TOPO, PARAMS);
    const q = new SourceQueues(2, CORES);
    const a = burst(10, 0.7, 100, 5);
    noc.routeStepQueued!(a, q);
    const first = [Array.from(a.arrivePs.subarray(0, a.count)), Array.from(q.stallPs), Array.from(q.stalls)];
    const b = burst(10, 0.7, 100, 5);
    noc.routeStepQueued!(b, q);
    expect([Array.from(b.arrivePs.subarray(0, b.count)), Array.from(q.stallPs), Array.from(q.stalls)]).toEqual(first);
    // a step without packets leaves no stale stalls behind
    noc.routeStepQueued!(new PacketBatch(4), q);
    expect(q.stalls.every((v) => v === 0)).toBe(true);
  });

  it('only the cycle model owns source queues; bad capacities are input errors', () => {
    expect(createNoc('analytic', TOPO, PARAMS).routeStepQueued).toBeUndefined();
    expect(() => new SourceQueues(0, CORES)).toThrow(InputError);
    expect(() => createNoc('cycle', TOPO, PARAMS).routeStepQueued!(burst(1, 0, 0, 1), new SourceQueues(2, CORES + 1))).toThrow(InputError);
  });
});
