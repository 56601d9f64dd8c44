/**
 * Shared CLI plumbing: how a command reports bad input (one line per problem, exit 2), internal
 * failures (exit 1, stack only with --debug), and how final outputs are written safely.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../emulator/errors.js';

/** Exit codes: 0 ok, 1 internal failure, 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** Thrown by the CLI itself for bad arguments (same treatment as InputError). */
export class UsageError extends Error {}

/** Print a failure the way every command does, and return the exit code. */
export function reportFailure(err: unknown, debug: boolean): number {
  if (err instanceof InputError) {
    for (const line of err.lines()) process.stderr.write(`error: ${line}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return EXIT_BAD_INPUT;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return EXIT_BAD_INPUT;
  }
  const e = err as Error;
  process.stderr.write(`internal error: ${e?.message ?? String(err)} (re-run with --debug for a stack trace)\n`);
  if (debug && e?.stack) process.stderr.write(e.stack + '\n');
  return EXIT_INTERNAL;
}

/**
 * Run a command body; map failures to exit codes. Every command handler goes through this so
 * no stack trace reaches the user unless --debug is given.
 */
export async function runCommand(argv: { debug?: boolean }, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (err) {
    process.exitCode = reportFailure(err, Boolean(argv.debug));
  }
}

/**
 * Write a final output file safely: refuse to overwrite an existing file unless `force`, write to
 * a temporary file beside it and rename it into place, so a crash never leaves a half-written file
 * under the final name. Errors (unwritable path, full disk) become UsageError with the path.
 */
export function writeOutputFile(file: string, data: string | Uint8Array, force: boolean): void {
  const abs = path.resolve(file);
  if (!force && fs.existsSync(abs)) {
    throw new UsageError(`${file}: already exists; pass --force to overwrite it`);
  }
  const dir = path.dirname(abs);
  if (!fs.existsSync(dir)) throw new UsageError(`${file}: folder ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, abs);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* the temporary file may not exist */
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`${file}: could not write (${code || (err as Error).message})`);
  }
}

/** Common options every command accepts. */
export const commonOptions = {
  debug: { type: 'boolean', default: false, describe: 'show stack traces for failures' },
  quiet: { type: 'boolean', default: false, describe: 'print nothing but results and errors' },
} as const;
