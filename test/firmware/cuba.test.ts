import { describe, expect, it } from 'vitest';
import { buildCuba, CUBA } from '../../firmware-models/cuba/index.js';
import { prepare, resolveArch, summarize } from '../../emulator/index.js';
import { runCli } from '../helpers/cli.js';

describe('cuba firmware model', () => {
  it('4,000 compartments, p = 0.02, 10,000 steps: mean rate 5–7 Hz on one Loihi chip', () => {
    const spec = buildCuba();
    const p = prepare(spec, resolveArch('loihi'));
    expect(p.net.totalCompartments).toBe(4000);
    // ~ p · n² synapses
    expect(p.net.totalSynapses).toBeGreaterThan(0.019 * 4000 * 4000);
    expect(p.net.totalSynapses).toBeLessThan(0.021 * 4000 * 4000);
    p.emulator.run(10_000);
    const s = summarize(p, 0);
    const rate = s.spikes / 4000 / (10_000 * CUBA.dt);
    expect(rate).toBeGreaterThanOrEqual(5);
    expect(rate).toBeLessThanOrEqual(7);
    // every compartment is updated every step (the bias keeps them all active)
    expect(s.compartment_updates).toBe(4000 * 10_000);
    expect(s.synaptic_events).toBeGreaterThan(s.spikes * 60);
  });

  it('aerie model lists and runs the models', () => {
    const l = runCli(['model', '--list']);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/cuba\s+CUBA benchmark/);
    const r = runCli(['model', 'cuba', '--size', '500', '--steps', '200', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).populations.exc.size).toBe(400);
    const bad = runCli(['model', 'nosuch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no firmware model named 'nosuch'/);
  });
});
