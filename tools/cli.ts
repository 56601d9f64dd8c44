#!/usr/bin/env node
/**
 * The `aerie` command line. Each command lives in tools/commands/<name>.ts and exports
 * `command` (a yargs CommandModule); this file only assembles them.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { EXIT_BAD_INPUT } from './cli-support.js';

export async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('aerie')
    .usage('aerie <command> [options]\n\nEmulate Loihi-style neuromorphic hardware: bit-accurate cores, mesh NoC, energy accounting.')
    .strict()
    .demandCommand(1, 'name a command (aerie --help lists them)')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilog('Docs: docs/CLI.md. Exit codes: 0 ok, 1 internal failure, 2 bad input.')
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${msg}\n(see: aerie --help)\n`);
      process.exit(EXIT_BAD_INPUT);
    })
    .help()
    .alias('h', 'help')
    .version();
  for (const c of commands) cli = cli.command(c as never);
  await cli.parseAsync();
}

main(hideBin(process.argv)).catch((err) => {
  process.stderr.write(`internal error: ${(err as Error)?.message ?? String(err)}\n`);
  process.exitCode = 1;
});
