/** `aerie worker --nats URL` — run sweep points from a NATS JetStream work queue (docs/SCALE-OUT.md). */
import type { CommandModule } from 'yargs';
import { commonOptions, runCommand, UsageError } from '../cli-support.js';
import { checkJobs, runWorker } from '../sweep/index.js';

interface WorkerArgs {
  nats: string;
  jobs: number;
  'idle-exit': number;
  debug: boolean;
  quiet: boolean;
}

export const command: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'run sweep points taken from a NATS JetStream work queue (see aerie sweep --nats)',
  builder: (y) =>
    y
      .option('nats', { type: 'string', demandOption: true, describe: 'NATS server URL, e.g. nats://127.0.0.1:4222' })
      .option('jobs', { type: 'number', default: 1, describe: 'points run in parallel by this worker (child processes)' })
      .option('idle-exit', { type: 'number', default: 0, describe: 'exit after this many seconds without work (0 = run until SIGINT/SIGTERM)' })
      .options(commonOptions)
      .example('aerie worker --nats nats://10.0.0.5:4222 --jobs 8', 'serve sweeps with eight points at a time'),
  handler: (argv) =>
    runCommand(argv, async () => {
      checkJobs(argv.jobs);
      if (!(Number.isFinite(argv['idle-exit']) && argv['idle-exit'] >= 0)) throw new UsageError(`--idle-exit ${argv['idle-exit']}: expected a number of seconds ≥ 0`);
      await runWorker({ url: argv.nats, jobs: argv.jobs, idleExitS: argv['idle-exit'], log: argv.quiet ? () => undefined : (s) => process.stderr.write(s + '\n') });
    }),
};
