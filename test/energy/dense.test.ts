import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEVICES,
  H100_SXM,
  HOROWITZ_DEVICE,
  KERASSPIKING_CPU,
  KERASSPIKING_GPU,
  priceDense,
  rooflineLatency,
  sameNetworkWorkload,
  taskWorkload,
} from '../../emulator/energy/index.js';
import { InputError } from '../../emulator/errors.js';

// The fixture network: in (2) → out (3) and out (3) → in (2): Σ pre × post = 6 + 6 = 12 weights.
const SPEC = { denseWeights: 12, compartments: 5, steps: 4, weightBits: 8 };

describe('dense baseline (a): the same network stepped densely', () => {
  it('derives MACs, neuron updates and bytes from the dense shape', () => {
    const w = sameNetworkWorkload(SPEC);
    expect(w.macs).toBe(48);
    expect(w.neuronUpdates).toBe(20);
    // per step: 12 weights × 8 bit / 8 = 12 B + 5 compartments × 16 B (u, v int32 read + write) = 92 B
    expect(w.bytes).toBe(4 * 92);
    expect(w.passes).toBe(4);
    expect(w.precision).toBe('int8');
    expect(sameNetworkWorkload({ ...SPEC, weightBits: 9 }).precision).toBe('int32');
    expect(sameNetworkWorkload({ ...SPEC, weightBits: 3, denseWeights: 3 }).bytes).toBe(4 * (2 + 80)); // ceil(9 bits / 8) = 2 B
  });

  it('Horowitz 45 nm: composed energy and roofline latency, by hand', () => {
    const p = priceDense(sameNetworkWorkload(SPEC), HOROWITZ_DEVICE);
    // 48 MACs × 0.3 pJ + 20 updates × 6.5 pJ + 368 B × 1.25 pJ (all fits on chip) = 14.4 + 130 + 460 = 604.4 pJ
    expect(p.energyJ).toBeCloseTo(604.4e-12, 20);
    // per step: max(17 ops / 1e12, 92 B / 1e12 B/s) = 92 ps, × 4 steps
    expect(p.latencyS).toBeCloseTo(368e-12, 22);
    expect(p.bound).toBe('on-chip memory');
    expect(p.edpJs).toBeCloseTo(604.4e-12 * 368e-12, 30);
  });

  it('weights beyond on-chip capacity stream from DRAM every step', () => {
    const big = sameNetworkWorkload({ denseWeights: 4_000_000, compartments: 1000, steps: 10, weightBits: 8 });
    const r = rooflineLatency(big, HOROWITZ_DEVICE);
    const perStep = 4_000_000 + 16_000;
    expect(r.onChipBytes).toBe(10 * 1_048_576);
    expect(r.offChipBytes).toBe(10 * (perStep - 1_048_576));
    expect(r.bound).toBe('off-chip memory');
    expect(r.latencyS).toBeCloseTo((10 * (perStep - 1_048_576)) / 25.6e9, 12);
    const p = priceDense(big, HOROWITZ_DEVICE);
    expect(p.energyParts.find((x) => x.label === 'off-chip bytes')!.j).toBeCloseTo(10 * (perStep - 1_048_576) * 160e-12, 12);
  });

  it('KerasSpiking CPU/GPU (legacy): per-op energy, overhead-bound latency', () => {
    const w = sameNetworkWorkload(SPEC);
    const cpu = priceDense(w, KERASSPIKING_CPU);
    expect(cpu.legacy).toBe(true);
    expect(cpu.energyJ).toBeCloseTo(68 * 8.6e-9, 18);
    // per step: 1 µs overhead + max(17 / (86.4e9 × 0.5), 92 / 200e9) = 1 µs + 0.46 ns
    expect(cpu.latencyS).toBeCloseTo(4 * (1e-6 + 92 / 200e9), 15);
    expect(cpu.bound).toBe('overhead');
    expect(priceDense(w, KERASSPIKING_GPU).energyJ).toBeCloseTo(68 * 0.3e-9, 18);
  });

  it('H100 (datasheet): energy = TDP × roofline latency', () => {
    const p = priceDense(sameNetworkWorkload(SPEC), H100_SXM);
    const t = 4 * (5e-6 + 92 / 5.5e12);
    expect(p.latencyS).toBeCloseTo(t, 15);
    expect(p.energyJ).toBeCloseTo(700 * t, 12);
  });

  it('uses at least three labelled device models, one legacy, every parameter sourced', () => {
    expect(DEFAULT_DEVICES.length).toBeGreaterThanOrEqual(3);
    expect(DEFAULT_DEVICES.some((d) => d.legacy)).toBe(true);
    expect(DEFAULT_DEVICES.some((d) => !d.legacy && d.energy === 'power')).toBe(true);
    for (const d of DEFAULT_DEVICES) {
      expect(d.batch.source.length).toBeGreaterThan(5);
      expect(d.utilisation.source.length).toBeGreaterThan(5);
    }
  });
});

describe('dense baseline (b): the task-equivalent computation', () => {
  it('prices declared MACs and bytes at the declared precision', () => {
    const w = taskWorkload({ name: 'attention', macs: 1_000_000, bytes: 2_000_000, description: 'softmax attention', precision: 'fp16' });
    expect(w.kind).toBe('task');
    expect(w.passes).toBe(1);
    const p = priceDense(w, HOROWITZ_DEVICE);
    // 1e6 × 1.5 pJ + 1 MiB on chip × 1.25 pJ + (2e6 − 1 MiB) × 160 pJ
    const expected = 1e6 * 1.5e-12 + 1_048_576 * 1.25e-12 + (2e6 - 1_048_576) * 160e-12;
    expect(p.energyJ).toBeCloseTo(expected, 15);
    expect(taskWorkload({ name: 'x', macs: 1, bytes: 1, description: 'd' }).precision).toBe('fp32');
  });

  it('rejects bad declarations with InputError', () => {
    expect(() => taskWorkload({ name: 'x', macs: -1, bytes: Number.NaN, description: 'd' })).toThrow(InputError);
    expect(() => sameNetworkWorkload({ denseWeights: 1.5, compartments: 1, steps: 0, weightBits: 40 })).toThrow(InputError);
    try {
      taskWorkload({ name: 'x', macs: 1, bytes: 1, description: 'd', precision: 'int4' as never });
    } catch (err) {
      expect((err as InputError).problems[0].where).toBe('precision');
    }
  });
});
