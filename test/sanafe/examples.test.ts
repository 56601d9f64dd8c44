/**
 * SANA-FE's own example files (../shared/data/sanafe) load unchanged, and the four arch + SNN pairs
 * reproduce SANA-FE's results over 100 steps (../shared/data/README.md): counts exactly, energy to
 * rounding, simulated time within 5 % (aerie's scheduler is SANA-FE's detailed model, so it is tighter).
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED_DIR } from '../helpers/cli.js';
import { parseSanafeArch, parseSanafeSnn, SanafeSim, loadSanafeRun, detectSanafeText, sanafeToAerieArch, sanafeEnergyEntries, spikesCsv } from '../../emulator/sanafe/index.js';

const DIR = path.join(SHARED_DIR, 'data', 'sanafe');
const have = fs.existsSync(DIR);
const skipMsg = `../shared/data/sanafe not found at ${DIR}: SANA-FE example tests skipped`;
if (!have) console.warn(skipMsg);
const read = (f: string): string => fs.readFileSync(path.join(DIR, f), 'utf8');

// SANA-FE standalone `sim`, detailed timing, 100 steps (../shared/data/README.md)
const TABLE = [
  { arch: 'arch_example_chip', snn: 'snn_example_snn', events: 5, messages: 3, updated: 200, fired: 3, simTime: 8.44e-7, synapse: 1.0e-10, soma: 6.04e-9, network: 3.0e-10, total: 6.44e-9 },
  { arch: 'arch_example_chip', snn: 'snn_conv', events: 297, messages: 297, updated: 933, fired: 330, simTime: 1.4898e-5, synapse: 5.94e-9, soma: 8.113e-8, network: 2.97e-8, total: 1.1677e-7 },
  { arch: 'arch_example_chip', snn: 'snn_input_net', events: 2, messages: 2, updated: 302, fired: 101, simTime: 3.617e-6, synapse: 4.0e-11, soma: 1.494e-8, network: 2.0e-10, total: 1.518e-8 },
  { arch: 'tutorial_arch', snn: 'tutorial_snn', events: 16, messages: 16, updated: 194, fired: 16, simTime: 4.12e-7, synapse: 1.6e-11, soma: 3.48e-10, network: 6.4e-11, total: 4.28e-10 },
];

/** Equal "to rounding": the table gives 3–5 significant digits. */
function close(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-30);
}

describe.skipIf(!have)('SANA-FE example files', () => {
  it('every architecture parses and maps onto aerie arch values and energy entries', () => {
    for (const f of ['arch_example_chip.yaml', 'arch_loihi.yaml', 'arch_truenorth.yaml', 'tutorial_arch.yaml']) {
      const text = read(f);
      expect(detectSanafeText(text)).toBe('arch');
      const a = parseSanafeArch(text, f);
      expect(a.cores.length).toBeGreaterThan(0);
      const arch = sanafeToAerieArch(a);
      expect(arch.tilesX).toBe(a.width);
      expect(arch.tilesY).toBe(a.height);
      const e = sanafeEnergyEntries(a);
      expect(e.find((x) => x.action === 'core.synop')!.fj).toBe(Math.round(((a.cores[0].synapses[0].costs.energy_process_spike ?? 0) + (a.cores[0].dendrites[0].costs.energy_update ?? 0)) * 1e15));
    }
    const loihi = parseSanafeArch(read('arch_loihi.yaml'), 'arch_loihi.yaml');
    expect(loihi.tiles.length).toBe(32);
    expect(loihi.cores.length).toBe(128);
    expect(loihi.tiles[5]).toMatchObject({ name: 'loihi_tile[5]', x: 1, y: 1 });
    expect(loihi.cores[0].somas.length).toBe(1 + 1024); // loihi_lif + loihi_inputs[0..1023]
    expect(loihi.cores[0].somas[1024].name).toBe('loihi_inputs[1023]');
    expect(loihi.syncTiles).toEqual([1, 2, 4, 29]);
    const arch = sanafeToAerieArch(loihi);
    expect(arch.core.compartments).toBe(1024);
    expect(arch.coresPerTile).toBe(4);
    expect(arch.noc.hopEwPs).toBe(4100);
    expect(arch.noc.hopNsPs).toBe(6500);
    const tn = parseSanafeArch(read('arch_truenorth.yaml'), 'arch_truenorth.yaml');
    expect(tn.tiles.length).toBe(4096);
  });

  it('every SNN parses and runs (on the architecture its unit names refer to, and snn_conv on every architecture)', () => {
    const chip = parseSanafeArch(read('arch_example_chip.yaml'), 'arch_example_chip.yaml');
    for (const f of ['snn_example_snn.yaml', 'snn_conv.yaml', 'snn_input_net.yaml']) {
      const text = read(f);
      expect(detectSanafeText(text)).toBe('snn');
      const net = parseSanafeSnn(text, chip, f);
      new SanafeSim(net, chip).run(10);
    }
    const tut = parseSanafeArch(read('tutorial_arch.yaml'), 'tutorial_arch.yaml');
    new SanafeSim(parseSanafeSnn(read('tutorial_snn.yaml'), tut, 'tutorial_snn.yaml'), tut).run(10);
    const loihi = parseSanafeArch(read('arch_loihi.yaml'), 'arch_loihi.yaml');
    const sim = new SanafeSim(parseSanafeSnn(read('snn_conv.yaml'), loihi, 'snn_conv.yaml'), loihi);
    sim.run(100);
    // the same network on Loihi's units: same counts as on the example chip (costs differ)
    expect(sim.totals()).toMatchObject({ total_spikes: 297, total_messages_sent: 297, total_neurons_updated: 933, total_neurons_fired: 330 });
    // TrueNorth has one core per tile: snn_conv's mapping to core 0.1 is a clear error with its line
    const tn = parseSanafeArch(read('arch_truenorth.yaml'), 'arch_truenorth.yaml');
    expect(() => parseSanafeSnn(read('snn_conv.yaml'), tn, 'snn_conv.yaml')).toThrow(/mappings\[1\]\.hidden\.0\.\.8\[0\]\.core \(line \d+:\d+\): core 0\.1 does not exist \(tile 0 has cores 0\.\.0\)/);
  });

  it('SNN unit names that the architecture lacks are clear errors', () => {
    expect(() => loadSanafeRun(path.join(DIR, 'snn_example_snn.yaml'), path.join(DIR, 'arch_loihi.yaml'))).toThrow(/in\.0: core 0\.0 has no soma unit 'demo_input'; it has: loihi_lif, loihi_inputs\[0\], .*\(1025 in all\)/);
  });

  for (const row of TABLE) {
    it(`${row.arch} + ${row.snn}: SANA-FE's counts, energy and sim_time over 100 steps`, () => {
      const run = loadSanafeRun(path.join(DIR, `${row.snn}.yaml`), path.join(DIR, `${row.arch}.yaml`));
      run.sim.run(100);
      const t = run.sim.totals();
      expect(t.total_spikes).toBe(row.events);
      expect(t.total_messages_sent).toBe(row.messages);
      expect(t.total_neurons_updated).toBe(row.updated);
      expect(t.total_neurons_fired).toBe(row.fired);
      close(t.energy.synapse, row.synapse, 1e-9);
      close(t.energy.soma, row.soma, 1e-9);
      close(t.energy.network, row.network, 1e-9);
      close(t.energy.total, row.total, 1e-9);
      close(t.sim_time, row.simTime, 0.05);
      // aerie's scheduler is SANA-FE's detailed model: in fact exact here
      close(t.sim_time, row.simTime, 1e-9);
    });
  }

  it('spikes.csv of snn_example_snn lists the logged spikes in SANA-FE order', () => {
    const run = loadSanafeRun(path.join(DIR, 'snn_example_snn.yaml'), path.join(DIR, 'arch_example_chip.yaml'));
    run.sim.run(100);
    // in.1 (log_spikes from the group) fires at steps 1 and 3; in.0 has log_spikes false; out is not logged
    expect(spikesCsv(run.sim)).toBe('neuron,timestep\nin.1,1\nin.1,3\n');
  });
});

describe.skipIf(!have)('SANA-FE runs in aerie’s energy layer', () => {
  it('tutorial_arch + tutorial_snn: aerie activity priced with the imported table equals SANA-FE’s energy', async () => {
    const { priceActivity } = await import('../../emulator/energy/price.js');
    const { sanafeEnergyTable } = await import('../../emulator/sanafe/index.js');
    const run = loadSanafeRun(path.join(DIR, 'tutorial_snn.yaml'), path.join(DIR, 'tutorial_arch.yaml'));
    run.sim.run(100);
    const a = run.sim.activity();
    expect(a.totals).toMatchObject({ 'core.synop': 16, 'core.compartment_active': 194, 'core.compartment_inactive': 106, 'core.spike_out': 16, 'core.packet_out': 16, 'core.packet_in': 16 });
    expect(a.byPopulation['0']).toMatchObject({ 'core.spike_out': 16, 'core.packet_out': 16 });
    expect(a.byPopulation['1']).toMatchObject({ 'core.synop': 16, 'core.packet_in': 16 });
    const priced = priceActivity(a, sanafeEnergyTable(run.sanafeArch));
    expect(priced.totalFj).toBe(Math.round(run.sim.totals().energy.total * 1e15)); // 428 000 fJ = 4.28e-10 J
    let ps = 0;
    for (const d of a.stepDurationPs) ps += d;
    expect(ps).toBe(412_000);
  });
});
