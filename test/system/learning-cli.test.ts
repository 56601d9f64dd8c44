import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';

const NET = `format: aerie-network/1
name: stdp-pair
seed: 3
populations:
  - {name: pre, kind: spike-source, size: 1, spikes: [[1]]}
  - {name: drive, kind: spike-source, size: 1, spikes: [[2]]}
  - {name: post, kind: lif, size: 1, params: {du: 4095, dv: 4095, vth: 200}}
projections:
  - {from: drive, to: post, weights: [[255]]}
  - name: syn
    from: pre
    to: post
    weights: [[100]]
    sign_mode: excitatory
    learning:
      rule: dw = 2^-2*x1*y0 - 2^-2*y1*x0
      epoch: 1
      rounding: floor
      traces:
        x1: {impulse: 64, decay: 2048}
        y1: {impulse: 64, decay: 2048}
`;

describe('aerie run with a plastic projection', () => {
  it('--probe PROJ.weights records learning (pre before post: +4 at step 3)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-learn-'));
    try {
      fs.writeFileSync(path.join(dir, 'net.yaml'), NET);
      const net = path.join(dir, 'net.yaml');
      const r = runCli(['run', net, '--steps', '5', '--probe', 'syn.weights', '--probe', 'post.spikes', '--probe-out', path.join(dir, 'f.json'), '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(fs.readFileSync(path.join(dir, 'f.json'), 'utf8'));
      expect(out.probes['syn.weights']).toEqual([[100], [100], [104], [104], [104]]);
      expect(out.probes['post.spikes'].map((row: number[]) => row[0])).toEqual([0, 0, 1, 0, 0]);
      const summary = JSON.parse(r.stdout);
      expect(summary.counters['core.learn_update']).toBe(2);
      // an unknown projection is an input error (exit 2), a malformed probe a usage error
      const bad = runCli(['run', net, '--steps', '2', '--probe', 'nope.weights']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/no projection named 'nope'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
