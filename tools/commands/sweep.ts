/** `aerie sweep SWEEP.yaml` — run a design-space sweep locally or through NATS workers (docs/SCALE-OUT.md). */
import type { CommandModule } from 'yargs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commonOptions, runCommand, UsageError } from '../cli-support.js';
import { checkJobs, loadSweepFile, Progress, runSweep, tableJson } from '../sweep/index.js';

interface SweepArgs {
  sweep: string;
  jobs?: number;
  out?: string;
  force: boolean;
  json: boolean;
  nats?: string;
  'ack-wait'?: number;
  timeout: number;
  debug: boolean;
  quiet: boolean;
}

/** Default output folder: beside the sweep file, named after it. */
export function defaultOutDir(sweepFile: string): string {
  const base = path.basename(sweepFile).replace(/\.(ya?ml|json)$/i, '');
  return path.join(path.dirname(sweepFile), `${base}.sweep`);
}

export const command: CommandModule<object, SweepArgs> = {
  command: 'sweep <sweep>',
  describe: 'run a design-space sweep (aerie-sweep/1): one run per point, tables and an HTML report',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', demandOption: true, describe: 'sweep file (YAML/JSON, format: aerie-sweep/1)' })
      .option('jobs', { type: 'number', describe: 'points run in parallel here (child processes); default: CPU count' })
      .option('out', { type: 'string', describe: 'output folder; default: SWEEP.sweep beside the sweep file' })
      .option('force', { type: 'boolean', default: false, describe: "use an output folder that belongs to another sweep (its stored points are reused)" })
      .option('json', { type: 'boolean', default: false, describe: 'print the results table as JSON on stdout' })
      .option('nats', { type: 'string', describe: 'NATS server URL: enqueue the points for `aerie worker`s and collect their results' })
      .option('ack-wait', { type: 'number', describe: 'with --nats: seconds a worker may go silent before its point is redelivered (default 30)' })
      .option('timeout', { type: 'number', default: 0, describe: 'with --nats: stop waiting for workers after this many seconds (0 = no limit)' })
      .options(commonOptions)
      .example('aerie sweep mesh.yaml --jobs 2', 'run every point on this machine, two at a time')
      .example('aerie sweep mesh.yaml --nats nats://host:4222', 'enqueue for workers started with aerie worker --nats nats://host:4222'),
  handler: (argv) =>
    runCommand(argv, async () => {
      const jobs = argv.jobs ?? Math.max(1, Math.min(256, os.availableParallelism()));
      checkJobs(jobs);
      if (argv.nats === undefined && (argv['ack-wait'] !== undefined || argv.timeout !== 0)) throw new UsageError('--ack-wait and --timeout apply only with --nats');
      if (argv['ack-wait'] !== undefined && !(Number.isFinite(argv['ack-wait']) && argv['ack-wait'] >= 1 && argv['ack-wait'] <= 86_400))
        throw new UsageError(`--ack-wait ${argv['ack-wait']}: expected seconds from 1 to 86400`);
      if (!(Number.isFinite(argv.timeout) && argv.timeout >= 0)) throw new UsageError(`--timeout ${argv.timeout}: expected a number of seconds ≥ 0`);
      const sweep = loadSweepFile(argv.sweep);
      const progress = new Progress(!argv.quiet);
      const r = await runSweep(sweep, {
        out: argv.out ?? defaultOutDir(argv.sweep),
        force: argv.force,
        jobs,
        nats: argv.nats,
        ackWaitS: argv['ack-wait'],
        timeoutS: argv.timeout,
        progress,
      });
      if (argv.json) process.stdout.write(tableJson(r.table));
      else
        process.stdout.write(
          `aerie sweep: ${sweep.name}: ${r.points} points (${r.ran} run, ${r.reused} reused) in ${r.wallS.toFixed(2)} s\n` + r.files.map((f) => `  ${f}\n`).join(''),
        );
      if (r.internalFailures) {
        process.stderr.write(`error: ${r.internalFailures} point${r.internalFailures === 1 ? '' : 's'} failed inside aerie (see the error column); re-run the sweep to retry them\n`);
        process.exitCode = 1;
      }
      if (r.pending) {
        process.stderr.write(`error: ${r.pending} point${r.pending === 1 ? '' : 's'} got no result before --timeout; re-run the sweep to collect them\n`);
        process.exitCode = 1;
      }
    }),
};
