/** `npm run bench` options: --help lists the benchmarks; unknown options and names are one line and exit 2 (nothing runs). */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function bench(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'tools', 'bench.ts'), ...args], { encoding: 'utf8', cwd: REPO_ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench options', () => {
  it('--help prints the usage and every benchmark name, runs nothing', () => {
    const r = bench(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run bench/);
    for (const name of ['cuba', 'full-chip', 'board', 'noc-cycle', 'cuba-threads']) expect(r.stdout).toContain(name);
    expect(r.stdout).not.toContain('"bench"');
  });

  it('an unknown option is one line and exit 2', () => {
    const r = bench(['--peer']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown option --peer');
    expect(r.stdout).toBe('');
  });

  it('--only without a name is one line and exit 2', () => {
    const r = bench(['--only']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--only needs a benchmark name');
    expect(r.stdout).toBe('');
  });

  it('an unknown benchmark name is one line and exit 2', () => {
    const r = bench(['--only', 'cuba,nope', '--no-record']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown benchmark nope');
    expect(r.stdout).toBe('');
  });
});
