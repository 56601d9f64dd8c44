import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, SHARED_DIR } from '../helpers/cli.js';

const dir = path.join(SHARED_DIR, 'data', 'sanafe');
const have = fs.existsSync(dir);

describe.skipIf(!have)('aerie run on SANA-FE files (skipped: ../shared/data/sanafe is absent)', () => {
  it('runs the tutorial pair unchanged with SANA-FE results and writes spikes.csv and perf.csv', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-sanafe-'));
    const r = runCli(['run', path.join(dir, 'tutorial_snn.yaml'), '--arch', path.join(dir, 'tutorial_arch.yaml'), '--steps', '100', '--json', '--sanafe-out', path.join(out, 'o')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ total_spikes: 16, total_messages_sent: 16, total_neurons_updated: 194, total_neurons_fired: 16 });
    expect(s.sim_time).toBeCloseTo(4.12e-7, 12);
    const spikes = fs.readFileSync(path.join(out, 'o', 'spikes.csv'), 'utf8');
    expect(spikes.split('\n')[0]).toBe('neuron,timestep');
    expect(fs.readFileSync(path.join(out, 'o', 'perf.csv'), 'utf8')).toMatch(/^timestep,/);
  });
  it('refuses an aerie preset as the architecture of a SANA-FE network', () => {
    const r = runCli(['run', path.join(dir, 'tutorial_snn.yaml'), '--arch', 'loihi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--arch must be a SANA-FE architecture file/);
  });
});
