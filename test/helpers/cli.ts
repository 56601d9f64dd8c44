/** Run the aerie CLI from its TypeScript sources (through tsx) and capture what it printed. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the repository (real data files); tests skip when it is absent. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm test` compiles first and sets AERIE_TEST_DIST=1, so the suite runs the compiled CLI (fast
 * start-up); a bare `vitest run` runs the TypeScript sources through tsx (always current).
 */
// tsx is given by its absolute path so a test may run the CLI from any working folder
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI_ARGS =
  process.env.AERIE_TEST_DIST === '1' ? [path.join(REPO_ROOT, 'dist', 'tools', 'cli.js')] : ['--import', TSX_LOADER, path.join(REPO_ROOT, 'tools', 'cli.ts')];

export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...(opts.env ?? {}) },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
