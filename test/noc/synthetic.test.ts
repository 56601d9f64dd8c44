import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { channelLoadBound, runSynthetic, type SyntheticOptions } from '../../emulator/noc/index.js';

// Sized to run in a few seconds: 6 x 6 mesh, 2-flit packets, a few thousand cycles.
const BASE: Partial<SyntheticOptions> = { width: 6, height: 6, packetFlits: 2, cycles: 3000, warmup: 500, drainCycles: 3000, vcs: 4, bufferDepth: 8 };

describe('channel-load bound', () => {
  it('matches the closed forms: uniform 4/(kF) (k even), transpose under XY 1/((k-1)F)', () => {
    for (const k of [4, 6, 8]) {
      for (const F of [1, 2, 4]) {
        expect(channelLoadBound({ width: k, height: k, packetFlits: F, traffic: 'uniform' })).toBeCloseTo(4 / (k * F), 12);
        expect(channelLoadBound({ width: k, height: k, packetFlits: F, traffic: 'transpose' })).toBeCloseTo(1 / ((k - 1) * F), 12);
      }
    }
    // odd k: 4k/(k^2-1) flits/node/cycle
    expect(channelLoadBound({ width: 5, height: 5, traffic: 'uniform' })).toBeCloseTo(4 * 5 / 24, 12);
    // the exact enumeration (used for every other pattern) agrees with the uniform closed form,
    // also on a rectangular mesh
    for (const [w, h] of [[8, 8], [6, 3], [7, 4]]) {
      const closed = channelLoadBound({ width: w, height: h, traffic: 'uniform', packetFlits: 2 });
      expect(channelLoadBound({ width: w, height: h, traffic: 'hotspot', hotspotFraction: 0, packetFlits: 2 })).toBeCloseTo(closed, 12);
    }
    // too large to enumerate: not a hang, NaN
    expect(channelLoadBound({ width: 1000, height: 1000, traffic: 'hotspot' })).toBeNaN();
  });
});

describe('synthetic traffic properties', () => {
  it('mean hops of uniform traffic on a k x k mesh = 2(k^2-1)/(3k) within three standard errors (both models)', () => {
    for (const model of ['analytic', 'cycle'] as const) {
      const k = 8;
      const r = runSynthetic({ model, width: k, height: k, rate: 0.05, cycles: model === 'cycle' ? 1500 : 6000, warmup: 100 });
      const expected = (2 * (k * k - 1)) / (3 * k);
      expect(r.measuredPackets).toBeGreaterThan(4000);
      expect(r.hopsStdErr).toBeGreaterThan(0);
      expect(Math.abs(r.meanHops - expected)).toBeLessThanOrEqual(3 * r.hopsStdErr);
    }
  });

  // Beyond saturation a fair network throttles the flows through the busiest channel; flows that
  // avoid it (and self-addressed packets) may still be accepted faster. So the bound caps: the
  // uniform average (every flow crosses the bisection in the same proportion), the most throttled
  // source under any pattern, and a network offered more than the bound cannot accept it all.
  it('accepted throughput never exceeds the channel-load bound; with 4 VCs x 8 flits uniform reaches >= 50 % of it', () => {
    for (const traffic of ['uniform', 'transpose'] as const) {
      const bound = channelLoadBound({ ...BASE, traffic });
      for (const model of ['analytic', 'cycle'] as const) {
        const r = runSynthetic({ ...BASE, model, traffic, rate: Math.min(1, 1.5 * bound) });
        expect(r.offered).toBeGreaterThan(bound);
        expect(r.minNodeAccepted).toBeLessThanOrEqual(bound);
        expect(r.accepted).toBeLessThan(0.95 * r.offered);
        if (traffic === 'uniform') {
          expect(r.accepted).toBeLessThanOrEqual(bound);
          expect(r.accepted).toBeGreaterThanOrEqual(0.5 * bound);
        }
      }
    }
  });

  it('mean latency at 1.1x the measured saturation rate is >= 5x zero-load latency (cycle model)', () => {
    const bound = channelLoadBound(BASE);
    const sat = runSynthetic({ ...BASE, model: 'cycle', rate: 1.5 * bound }).accepted;
    const r = runSynthetic({ ...BASE, model: 'cycle', rate: 1.1 * sat });
    expect(r.zeroLoadLatency).toBeGreaterThan(0);
    expect(r.latency.mean).toBeGreaterThanOrEqual(5 * r.zeroLoadLatency);
    // and well below saturation latency stays near zero-load
    const low = runSynthetic({ ...BASE, model: 'cycle', rate: 0.3 * sat });
    expect(low.latency.mean).toBeLessThan(1.5 * low.zeroLoadLatency);
  });

  it('analytic and cycle models agree within 10 % on mean latency at 10 % of saturation', () => {
    const bound = channelLoadBound(BASE);
    const sat = runSynthetic({ ...BASE, model: 'cycle', rate: 1.5 * bound }).accepted;
    for (const traffic of ['uniform', 'transpose', 'bitcomp', 'hotspot', 'neighbor'] as const) {
      const o = { ...BASE, traffic, rate: 0.1 * sat, cycles: 5000 };
      const c = runSynthetic({ ...o, model: 'cycle' });
      const a = runSynthetic({ ...o, model: 'analytic' });
      expect(c.measuredPackets).toBe(a.measuredPackets); // identical packets in both models
      expect(Math.abs(a.latency.mean - c.latency.mean) / c.latency.mean).toBeLessThan(0.1);
    }
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const o: Partial<SyntheticOptions> = { ...BASE, model: 'cycle', rate: 0.1, cycles: 1500 };
    const a = runSynthetic(o);
    const b = runSynthetic(o);
    const c = runSynthetic({ ...o, seed: 2 });
    expect(b.latency).toEqual(a.latency);
    expect([...b.counters.linkFlits]).toEqual([...a.counters.linkFlits]);
    expect(c.latency).not.toEqual(a.latency);
  });

  it('patterns send where they say: transpose, bit-complement and neighbour hop counts', () => {
    const k = 4;
    const tr = runSynthetic({ width: k, height: k, traffic: 'transpose', rate: 0.05, cycles: 4000, warmup: 0 });
    // transpose: |x-y| twice; mean over the 16 nodes (Bernoulli-weighted, so check the per-link pattern instead)
    expect(tr.counters.withinTile).toBeGreaterThan(0); // diagonal nodes send to themselves
    const bc = runSynthetic({ width: k, height: k, traffic: 'bitcomp', rate: 0.05, cycles: 4000, warmup: 0 });
    expect(bc.meanHops).toBeCloseTo(4, 1); // |2x-3| + |2y-3| averages 2 + 2 over the nodes
    const nb = runSynthetic({ width: k, height: k, traffic: 'neighbor', rate: 0.05, cycles: 4000, warmup: 0 });
    expect(nb.meanHops).toBeCloseTo(2 * (3 * 1 + 3) / 4, 1); // +1 mod k in x and y: 1 hop for 3 of 4 columns, 3 for the last
    const hs = runSynthetic({ width: k, height: k, traffic: 'hotspot', hotspotFraction: 0.5, rate: 0.05, cycles: 4000, warmup: 0 });
    const hot = 2 * k + 2; // centre router (2, 2)
    const eject = hs.counters.routerFlits[hot];
    expect(eject / hs.counters.routerFlits.reduce((s, v) => s + v, 0)).toBeGreaterThan(0.1);
  });

  it('rejects bad options with the flag that is wrong', () => {
    try {
      runSynthetic({ rate: 0, width: 3, height: 4, traffic: 'transpose', vcs: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const where = (e as InputError).problems.map((p) => p.where);
      expect(where).toEqual(expect.arrayContaining(['--rate', '--traffic', '--vcs']));
    }
  });

  it('a deadlock-prone configuration returns a stall status instead of hanging', async () => {
    const { registerRouting, PORT_LOCAL, DIR_E, DIR_N, DIR_S, DIR_W } = await import('../../emulator/noc/index.js');
    registerRouting({
      name: 'test-ring-cw-2',
      description: 'clockwise ring (deadlock-prone, test only)',
      route: (x, y, dx, dy) => (x === dx && y === dy ? PORT_LOCAL : y === 0 ? (x === 0 ? DIR_N : DIR_W) : x === 0 ? DIR_E : DIR_S),
    });
    const r = runSynthetic({ model: 'cycle', width: 2, height: 2, traffic: 'bitcomp', routing: 'test-ring-cw-2', vcs: 1, bufferDepth: 1, packetFlits: 4, rate: 0.5, cycles: 2000, stallLimit: 500 });
    expect(r.status).toMatch(/^stalled/);
  });
});
