/**
 * Opens the HTML report in headless Chromium: the DOM after rendering must hold the SVG charts,
 * and the browser must log nothing to the console (no blocked resources, no CSP violations, no
 * script errors). Skips with a message when Chromium is not installed (Debian package `chromium`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOIHI_SANAFE, buildReport } from '../../emulator/energy/index.js';
import { renderHtml } from '../../tools/report/index.js';
import { syntheticRun } from './synthetic.js';
import { systemPackage } from '../helpers/system.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const HAVE_CHROMIUM = systemPackage('chromium', CHROMIUM !== undefined, 'html-chromium.test: skipped — Chromium not found (install the Debian package `chromium`)');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--enable-logging=stderr',
  '--v=0',
];

describe.skipIf(!HAVE_CHROMIUM)('HTML report in headless Chromium', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-html-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const s = syntheticRun(11, 150);
  const report = buildReport(s.activity, LOIHI_SANAFE, {
    run: 'synthetic run',
    denseNetwork: { denseWeights: s.denseWeights, compartments: 368, steps: 150, weightBits: 8 },
    denseTask: { name: 'readout GEMV', macs: 150 * 4096, bytes: 150 * 4096, description: 'one int8 GEMV per step', precision: 'int8', passes: 150 },
    raster: s.raster,
    mesh: s.mesh,
  });
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, renderHtml(report));

  const chromium = (extra: string[], page = file) =>
    spawnSync(CHROMIUM!, [...FLAGS, `--user-data-dir=${path.join(dir, 'profile')}`, ...extra, `file://${page}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });

  it('the console check sees console messages (control page)', () => {
    const bad = path.join(dir, 'control.html');
    fs.writeFileSync(bad, '<!DOCTYPE html><html><body><script>console.error("aerie-control-message")</script></body></html>');
    const r = chromium(['--dump-dom'], bad);
    expect(r.stderr.split('\n').some((l) => /CONSOLE/.test(l) && l.includes('aerie-control-message'))).toBe(true);
  });

  it('renders every chart as SVG with no console messages', () => {
    const r = chromium(['--dump-dom']);
    expect(r.status, r.stderr).toBe(0);
    const dom = r.stdout;
    expect((dom.match(/<svg /g) ?? []).length).toBe(8);
    expect((dom.match(/<figure>/g) ?? []).length).toBe(8);
    expect(dom).toContain('aria-label="mesh heatmap of router and link load"');
    expect((dom.match(/class="router"/g) ?? []).length).toBe(32);
    expect(dom).toContain('<table');
    const consoleLines = r.stderr.split('\n').filter((l) => /CONSOLE/.test(l));
    expect(consoleLines).toEqual([]);
  });

  it('produces a screenshot', () => {
    const png = path.join(dir, 'shot.png');
    const r = chromium(['--window-size=1000,2000', `--screenshot=${png}`]);
    expect(r.status, r.stderr).toBe(0);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(20_000);
  });
});
