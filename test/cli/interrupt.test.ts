/** Ctrl-C stops a run cleanly: the steps run so far are reported and written, exit 130. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/cli.js';

const CLI =
  process.env.AERIE_TEST_DIST === '1'
    ? [path.join(REPO_ROOT, 'dist', 'tools', 'cli.js')]
    : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, path.join(REPO_ROOT, 'tools', 'cli.ts')];

describe('aerie run and Ctrl-C', () => {
  it('SIGINT stops after the current steps; the summary and the report cover the steps run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-int-'));
    const report = path.join(dir, 'r.json');
    const child = spawn(process.execPath, [...CLI, 'run', '--steps', '50000000', '--report', report, '--json', '--noc', 'none'], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    // wait until it is running (start-up through tsx takes seconds on a loaded machine), then interrupt
    await new Promise((r) => setTimeout(r, process.env.AERIE_TEST_DIST === '1' ? 4000 : 10_000));
    child.kill('SIGINT');
    const code = await exited;
    expect(stderr).toMatch(/interrupted: stopped after \d+ of 50000000 steps/);
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: stopped after \d+ of 50000000 steps/);
    const s = JSON.parse(stdout);
    expect(s.steps).toBeGreaterThan(0);
    expect(s.steps).toBeLessThan(50_000_000);
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(JSON.stringify(r)).toContain(`"steps":${s.steps}`);
  }, 60_000);

  it('Ctrl-C on a terminal (SIGINT to the whole process group) stops a run sharded over processes cleanly', async () => {
    const net = path.join(REPO_ROOT, 'test', 'fixtures', 'shards', 'board-net.yaml');
    const arch = path.join(REPO_ROOT, 'test', 'fixtures', 'shards', 'board-arch.yaml');
    // detached: the CLI leads its own process group, as a shell's foreground job does
    const child = spawn(process.execPath, [...CLI, 'run', net, '--arch', arch, '--chips', '2x2', '--shards', '2', '--steps', '50000000', '--json'], { cwd: REPO_ROOT, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await new Promise((r) => setTimeout(r, process.env.AERIE_TEST_DIST === '1' ? 6000 : 14_000));
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited;
    expect(stderr).toMatch(/interrupted: stopped after \d+ of 50000000 steps/);
    expect(code).toBe(130);
    const s = JSON.parse(stdout);
    expect(s.steps).toBeGreaterThan(0);
    expect(s.spikes).toBeGreaterThan(0);
  }, 90_000);
});
