import { describe, expect, it, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-cli-'));
  fs.writeFileSync(
    path.join(dir, 'small.yaml'),
    `format: aerie-network/1
name: small
populations:
  - {name: in, kind: spike-source, size: 1, spikes: [[1]]}
  - {name: a, kind: lif, size: 2, params: {du: 2047, dv: 4095, vth: 100000}}
projections:
  - {from: in, to: a, weights: [[128], [64]]}
`,
  );
});

describe('aerie run', () => {
  it('runs the built-in default and prints its summary', () => {
    const r = runCli(['run', '--steps', '50']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/aerie run: ei-network on loihi/);
    expect(r.stdout).toMatch(/synaptic events\s+[\d,]+/);
  });

  it('prints a JSON summary following the schema', () => {
    const r = runCli(['run', path.join(dir, 'small.yaml'), '--steps', '5', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.schema).toBe('aerie-run/1');
    expect(s.steps).toBe(5);
    expect(s.spikes).toBe(1);
    expect(s.synaptic_events).toBe(2);
    expect(s.compartment_updates).toBe(10);
    expect(s.cores_used).toBe(1);
    expect(s.chips_used).toBe(1);
    expect(typeof s.run.wall_s).toBe('number');
    expect(s.counters['core.synop']).toBe(2);
  });

  it('writes probes in the documented layout', () => {
    const out = path.join(dir, 'probes.json');
    const r = runCli(['run', path.join(dir, 'small.yaml'), '--steps', '4', '--probe', 'a.u', '--probe', 'in.spikes', '--probe-out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(j.steps).toBe(4);
    expect(j.probes['a.u']).toEqual([
      [0, 0],
      [8192, 4096],
      [4096, 2048],
      [2048, 1024],
    ]);
    expect(j.probes['in.spikes']).toEqual([[1], [0], [0], [0]]);
    // never overwrite without --force
    const again = runCli(['run', path.join(dir, 'small.yaml'), '--steps', '4', '--probe', 'a.u', '--probe-out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
    expect(runCli(['run', path.join(dir, 'small.yaml'), '--steps', '2', '--probe', 'a.u', '--probe-out', out, '--force']).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).steps).toBe(2);
  });

  it('same seed gives byte-identical JSON apart from the run section', () => {
    const a = JSON.parse(runCli(['run', '--steps', '30', '--json', '--seed', '5']).stdout);
    const b = JSON.parse(runCli(['run', '--steps', '30', '--json', '--seed', '5']).stdout);
    delete a.run;
    delete b.run;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  const bad: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['run', path.join(dir, 'nope.yaml')], /nope\.yaml: file not found/],
    ['an empty file', () => (fs.writeFileSync(path.join(dir, 'empty.yaml'), ''), ['run', path.join(dir, 'empty.yaml')]), /empty\.yaml: file is empty/],
    ['a binary file', () => (fs.writeFileSync(path.join(dir, 'bin.yaml'), Buffer.from([1, 2, 0, 3])), ['run', path.join(dir, 'bin.yaml')]), /bin\.yaml: byte 2: binary data/],
    ['a folder', () => ['run', dir], /is a folder/],
    ['an invalid network', () => (fs.writeFileSync(path.join(dir, 'bad.yaml'), 'format: aerie-network/1\npopulations:\n  - {name: a, kind: lif, size: 2, params: {du: 5000}}\n'), ['run', path.join(dir, 'bad.yaml')]), /bad\.yaml: populations\[0\]\.params\.du \(line 3:\d+\): 5000 is outside 0\.\.4095/],
    ['a YAML syntax error', () => (fs.writeFileSync(path.join(dir, 'syn.yaml'), 'format: [\n'), ['run', path.join(dir, 'syn.yaml')]), /syn\.yaml: \d+:\d+: /],
    ['zero steps', () => ['run', '--steps', '0'], /--steps 0: expected a whole number from 1/],
    ['absurd steps', () => ['run', '--steps', '1e12'], /--steps 1000000000000: expected a whole number/],
    ['a negative seed', () => ['run', '--seed', '-1'], /--seed -1/],
    ['a bad probe', () => ['run', '--probe', 'exc.w'], /--probe exc\.w: expected POPULATION\.VAR/],
    ['a probe of an unknown population', () => ['run', '--probe', 'nobody.v', '--steps', '2'], /no population named 'nobody'/],
    ['a bad --chips', () => ['run', '--chips', '2by2'], /'2by2' is not of the form WxH/],
    ['an unknown arch', () => ['run', '--arch', 'nonexistent.yaml'], /nonexistent\.yaml: file not found/],
    ['a network beyond capacity', () => (fs.writeFileSync(path.join(dir, 'huge.yaml'), 'format: aerie-network/1\npopulations:\n  - {name: big, kind: lif, size: 200000}\n'), ['run', path.join(dir, 'huge.yaml')]), /population 'big'.*does not fit: all 128 cores/],
  ];
  for (const [name, args, re] of bad) {
    it(`exits 2 with one clear line for ${name}`, () => {
      const r = runCli(args());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    });
  }

  it('--debug adds a stack trace', () => {
    const r = runCli(['run', path.join(dir, 'nope.yaml'), '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('aerie map and info', () => {
  it('prints placement and utilisation', () => {
    const r = runCli(['map', path.join(dir, 'small.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 cores on 1 tiles of 1 chip/);
    expect(r.stdout).toMatch(/in\[0\.\.0\] a\[0\.\.1\]/);
    const j = JSON.parse(runCli(['map', path.join(dir, 'small.yaml'), '--json']).stdout);
    expect(j.cores[0]).toMatchObject({ compartments: 3, input_axons: 1, output_axons: 1, synapses: 2 });
  });
  it('lists presets and parameters with units and sources', () => {
    const r = runCli(['info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/loihi2/);
    expect(r.stdout).toMatch(/core\.compartments\s+\[compartments\]/);
    expect(r.stdout).toMatch(/source: Davies et al\., IEEE Micro 2018/);
  });
  it('--help lists the commands with examples', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'map', 'info']) expect(r.stdout).toContain(`aerie ${c}`);
    expect(runCli(['run', '--help']).stdout).toMatch(/Examples:/);
    const u = runCli(['frobnicate']);
    expect(u.code).toBe(2);
  });
});

describe('aerie run output safety', () => {
  it('refuses an existing --report file before running, and keeps it intact', () => {
    const out = path.join(dir, 'existing.html');
    fs.writeFileSync(out, 'keep me');
    const r = runCli(['run', path.join(dir, 'small.yaml'), '--steps', '3', '--report', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/existing\.html: already exists; pass --force/);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
  });
  it('writes a self-contained HTML report with --report', () => {
    const out = path.join(dir, 'r.html');
    const r = runCli(['run', path.join(dir, 'small.yaml'), '--steps', '5', '--report', out, '--quiet']);
    expect(r.code).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});
