/**
 * `aerie run`, `aerie report` and `aerie map` on the example network with a crossbar-backed
 * projection (firmware-models/examples/crossbar-network.yaml): crossbar energy and accuracy are shown.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';

const NET = 'firmware-models/examples/crossbar-network.yaml';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-xbar-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('crossbar-backed projection on the command line', () => {
  it('aerie run prints crossbar energy and accuracy, and aerie report shows them from the trace', () => {
    const trace = path.join(dir, 'run.trace');
    const r = runCli(['run', NET, '--steps', '40', '--trace', trace]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/crossbars\s+22 arrays, \d+ MVMs, [\d,]+ output packets, energy [\d.]+ nJ/);
    expect(r.stdout).toMatch(/crossbar accuracy\s+MAE [\d.]+ \(max \|err\| \d+/);
    expect(r.stdout).toMatch(/crossbar\.adc\s+[\d,]+\s+conversion/);
    expect(r.stdout).toMatch(/Crossbar-backed projections/);
    expect(r.stdout).toMatch(/in_hidden \(input → hidden\)\s+22\s+2 × 11/);
    const rep = runCli(['report', trace]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/Crossbar-backed projections/);
    expect(rep.stdout).toMatch(/crossbar energy [\d.]+ [µn]J \(table loihi-2018; block model/);
    expect(rep.stdout).toMatch(/in_hidden \(input → hidden\)\s+22\s+2 × 11/);
    const html = path.join(dir, 'report.html');
    expect(runCli(['report', trace, '-o', html]).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/<h2>Crossbar-backed projections<\/h2>/);
    // a traffic replay cannot re-run the arrays: refused with an input error naming the projection
    const rp = runCli(['replay', trace]);
    expect(rp.code).toBe(2);
    expect(rp.stderr).toMatch(/'in_hidden' is a crossbar-backed projection; traffic replay does not re-run crossbar arrays/);
  });

  it('aerie run --json has the crossbar section with a non-zero error for the noisy example', () => {
    const r = runCli(['run', NET, '--steps', '30', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.crossbar.arrays).toBe(22);
    expect(s.crossbar.mae).toBeGreaterThan(0);
    expect(s.crossbar.projections[0]).toMatchObject({ name: 'in_hidden', row_tiles: 2, col_tiles: 11, adc_bits: 4 });
    expect(s.energy.by_component_fj.crossbar).toBeGreaterThan(0);
    expect(s.counters['crossbar.read']).toBe(s.crossbar.mvms * 22);
  });

  it('aerie map lists the arrays and their tiles', () => {
    const r = runCli(['map', NET]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/in_hidden \(input → hidden\): 22 arrays of 128×128 \(2 row tiles × 11 column tiles, 7-bit weights\) on chip 0 tile 0 \(4\)/);
  });
});
