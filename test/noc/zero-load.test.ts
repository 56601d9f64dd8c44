import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnalyticNetwork, CycleNetwork, NocCounters, SYNTHETIC_DEFAULTS, syntheticConfig, type SyntheticOptions } from '../../emulator/noc/index.js';

/**
 * Buffers must cover the credit round trip for flits to stream at one per cycle (docs/NOC.md):
 * B >= sa+st+lt+rc+va+creditDelay between routers, B >= inject+rc+va+creditDelay at injection.
 */
function withCreditLoop(o: SyntheticOptions): SyntheticOptions {
  const loop = Math.max(o.saDelay + o.stDelay + o.linkDelay + o.rcDelay + o.vaDelay, o.injectDelay + o.rcDelay + o.vaDelay) + o.creditDelay;
  return { ...o, bufferDepth: Math.max(o.bufferDepth, loop) };
}

/** The documented formula: T0 = (H+1)*t_router + H*t_link + (F-1) + t_inject + t_eject. */
function t0(o: SyntheticOptions, h: number): number {
  const tRouter = o.rcDelay + o.vaDelay + o.saDelay + o.stDelay;
  return (h + 1) * tRouter + h * o.linkDelay + (o.packetFlits - 1) + o.injectDelay + o.ejectDelay;
}

const cfgArb = fc.record({
  width: fc.integer({ min: 1, max: 5 }),
  height: fc.integer({ min: 1, max: 5 }),
  rcDelay: fc.integer({ min: 0, max: 3 }),
  vaDelay: fc.integer({ min: 0, max: 3 }),
  saDelay: fc.integer({ min: 1, max: 3 }),
  stDelay: fc.integer({ min: 0, max: 3 }),
  linkDelay: fc.integer({ min: 1, max: 4 }),
  injectDelay: fc.integer({ min: 1, max: 3 }),
  ejectDelay: fc.integer({ min: 0, max: 3 }),
  creditDelay: fc.integer({ min: 1, max: 4 }),
  packetFlits: fc.integer({ min: 1, max: 6 }),
  vcs: fc.integer({ min: 1, max: 4 }),
  bufferDepth: fc.integer({ min: 1, max: 8 }),
  routing: fc.constantFrom('xy', 'yx'),
});

describe('zero-load latency equals the documented formula exactly', () => {
  it('cycle model, one packet alone in the network, any pipeline / link / buffer configuration', () => {
    fc.assert(
      fc.property(cfgArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 50 }), (c, a, b, start) => {
        const o = withCreditLoop({ ...SYNTHETIC_DEFAULTS, ...c });
        const net = new CycleNetwork(syntheticConfig(o), new NocCounters(o.width * o.height));
        const n = o.width * o.height;
        const src = a % n;
        const dst = b % n;
        net.reset(start);
        const id = net.addPacket(src, dst, o.packetFlits, start, 0);
        let guard = 0;
        while (net.pktDone[id] < 0 && guard++ < 10000) net.cycle(2147483647);
        const h = Math.abs((src % o.width) - (dst % o.width)) + Math.abs(Math.floor(src / o.width) - Math.floor(dst / o.width));
        expect(net.pktHops[id]).toBe(h);
        expect(net.pktDone[id] - start).toBe(t0(o, h));
        expect(net.zeroLoad(h, h * o.linkDelay, o.packetFlits)).toBe(t0(o, h));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('analytic model, a packet alone in its window', () => {
    fc.assert(
      fc.property(cfgArb, fc.nat(), fc.nat(), (c, a, b) => {
        const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, ...c };
        const net = new AnalyticNetwork(syntheticConfig(o), new NocCounters(o.width * o.height), 1);
        const n = o.width * o.height;
        const src = a % n;
        const dst = b % n;
        net.beginWindow();
        net.addLoad(src, dst, o.packetFlits);
        net.finishLoads(1000, o.packetFlits);
        const lat = net.latency(src, dst, o.packetFlits);
        expect(lat).toBe(t0(o, net.lastHops));
      }),
      { numRuns: 150, seed: 12 },
    );
  });

  it('shallow buffers throttle a multi-flit packet to the credit round trip', () => {
    const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, width: 1, height: 1, packetFlits: 3, bufferDepth: 1, creditDelay: 2 };
    const net = new CycleNetwork(syntheticConfig(o), new NocCounters(1));
    const id = net.addPacket(0, 0, 3, 0, 0);
    while (net.pktDone[id] < 0) net.cycle(2147483647);
    // loop = inject 1 + rc 1 + va 1 + credit 2 = 5 cycles per flit instead of 1
    expect(net.pktDone[id]).toBe(t0(o, 0) + 2 * (5 - 1));
  });

  it('back-to-back packets from one source to one sink: 1 flit per cycle once the pipe is full', () => {
    const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, width: 4, height: 1, packetFlits: 1, vcs: 2, bufferDepth: 8 };
    const net = new CycleNetwork(syntheticConfig(o), new NocCounters(4));
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(net.addPacket(0, 3, 1, 0, 0));
    while (net.pktDone[ids[19]] < 0) net.cycle(2147483647);
    const done = ids.map((id) => net.pktDone[id]);
    expect(done[0]).toBe(t0(o, 3));
    for (let i = 1; i < 20; i++) expect(done[i] - done[i - 1]).toBe(1);
  });
});
