import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeliveryOrder, InjectionQueue } from '../../emulator/system/timeline.js';
import { PacketBatch } from '../../emulator/noc/packets.js';

describe('injection queue', () => {
  it('serialises injections and stalls the core when the queue is full', () => {
    // depth 2, one packet per 10 ps; the pipeline can produce one per 1 ps
    const q = new InjectionQueue(2, 10);
    const produced: number[] = [];
    const injected: number[] = [];
    let clock = 0;
    for (let k = 0; k < 5; k++) {
      clock = q.push(clock + 1);
      produced.push(clock);
      injected.push(q.lastInjection);
    }
    expect(injected).toEqual([1, 11, 21, 31, 41]);
    // third packet: both slots hold packets not yet injected until 1 and 11 → waits for the first (1)
    expect(produced).toEqual([1, 2, 3, 11, 21]);
    expect(q.stalls).toBe(2);
    expect(q.stallPs).toBe(11 - 4 + (21 - 12));
  });
  it('never stalls when the port keeps up', () => {
    const q = new InjectionQueue(1, 1);
    let clock = 0;
    for (let k = 0; k < 10; k++) clock = q.push(clock + 5);
    expect(q.stalls).toBe(0);
    expect(clock).toBe(50);
  });
});

describe('delivery order', () => {
  it('handles more destination cores than packets (regression: cores beyond the scratch size lost their packets)', () => {
    const nCores = 300;
    const b = new PacketBatch(4);
    b.push(0, 299, 0, 0, 0);
    b.push(0, 70, 0, 0, 0);
    b.push(0, 299, 1, 0, 0);
    const coreIndexOf = new Int32Array(nCores);
    for (let c = 0; c < nCores; c++) coreIndexOf[c] = c;
    const d = new DeliveryOrder(nCores);
    d.sort(b, coreIndexOf);
    expect(Array.from(d.order.subarray(0, 3))).toEqual([1, 0, 2]);
    expect(d.coreStart[299]).toBe(1);
    expect(d.coreStart[300]).toBe(3);
  });

  it('groups by destination core and sorts by arrival, stably', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dst: fc.integer({ min: 0, max: 5 }), t: fc.integer({ min: 0, max: 20 }) }), { maxLength: 200 }), (pk) => {
        const b = new PacketBatch(4);
        for (const p of pk) b.push(0, p.dst * 2, 0, 0, 0);
        pk.forEach((p, i) => (b.arrivePs[i] = p.t));
        const coreIndexOf = new Int32Array(12).fill(-1);
        for (let c = 0; c < 6; c++) coreIndexOf[c * 2] = c;
        const d = new DeliveryOrder(6);
        d.sort(b, coreIndexOf);
        const want = pk.map((p, i) => ({ ...p, i })).sort((x, y) => x.dst - y.dst || x.t - y.t || x.i - y.i).map((x) => x.i);
        expect(Array.from(d.order.subarray(0, pk.length))).toEqual(want);
        for (let c = 0; c < 6; c++) expect(d.coreStart[c + 1] - d.coreStart[c]).toBe(pk.filter((p) => p.dst === c).length);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
