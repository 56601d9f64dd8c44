import { describe, expect, it } from 'vitest';
import { LatencyHistogram, PacketBatch, wireFlits } from '../../emulator/noc/index.js';

describe('PacketBatch', () => {
  it('stores packets column-wise and grows by doubling, keeping contents', () => {
    const b = new PacketBatch(2);
    for (let i = 0; i < 37; i++) b.push(i, 100 + i, 200 + i, -i, 1000 * i);
    expect(b.count).toBe(37);
    expect(b.capacity).toBe(64);
    expect(b.srcCore[36]).toBe(36);
    expect(b.dstCore[5]).toBe(105);
    expect(b.dstAxon[7]).toBe(207);
    expect(b.payload[3]).toBe(-3);
    expect(b.injectPs[10]).toBe(10000);
    b.clear();
    expect(b.count).toBe(0);
    expect(b.capacity).toBe(64);
    b.push(1, 2, 3, 4, 5);
    expect(b.srcCore[0]).toBe(1);
    expect(b.arrivePs[0]).toBe(0);
  });

  it('wire format: flits = ceil(packet bits / flit bits), at least one', () => {
    expect(wireFlits(32, 32)).toBe(1); // Loihi preset
    expect(wireFlits(40, 32)).toBe(2); // SpiNNaker-style 40-bit packet on 32-bit links
    expect(wireFlits(72, 16)).toBe(5);
    expect(wireFlits(1, 64)).toBe(1);
  });
});

describe('LatencyHistogram', () => {
  it('is exact below 128 and within 1/64 above, with exact min/mean/max', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 100; v++) h.add(v);
    expect(h.summary()).toEqual({ count: 100, min: 1, mean: 50.5, p50: 50, p99: 99, max: 100 });
    const g = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) g.add(10000 + i * 37);
    const exactP50 = 10000 + 499 * 37;
    expect(Math.abs(g.quantile(0.5) - exactP50) / exactP50).toBeLessThan(1 / 64);
    expect(g.max).toBe(10000 + 999 * 37);
    g.clear();
    expect(g.summary().count).toBe(0);
  });

  it('merges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.add(3);
    b.add(7);
    b.add(9);
    a.merge(b);
    expect(a.summary()).toEqual({ count: 3, min: 3, mean: 19 / 3, p50: 7, p99: 9, max: 9 });
  });
});
