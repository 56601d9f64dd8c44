/** `aerie report TRACE` — render the energy/latency report of a recorded run from its trace. */
import type { CommandModule } from 'yargs';
import { loadRecordedActivity } from '../../emulator/system/recording.js';
import { crossbarFromSummary } from '../../emulator/system/summary.js';
import { buildReport, DEFAULT_ENERGY_PRESET, loadEnergyTable } from '../../emulator/energy/index.js';
import { renderReport, writeReportFile } from '../report/index.js';
import { commonOptions, runCommand } from '../cli-support.js';

interface ReportArgs {
  trace: string;
  energy?: string;
  out?: string;
  force: boolean;
  debug: boolean;
  quiet: boolean;
}

export const command: CommandModule<object, ReportArgs> = {
  command: 'report <trace>',
  describe: 'render the energy/latency report of a run recorded with aerie run --trace',
  builder: (y) =>
    y
      .positional('trace', { type: 'string', demandOption: true, describe: 'run trace (complete: with its footer)' })
      .option('energy', { type: 'string', describe: `energy table: preset or YAML file (default ${DEFAULT_ENERGY_PRESET})` })
      .option('out', { alias: 'o', type: 'string', describe: 'write the report to FILE (.txt, .json, .csv, .html); default: print it' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing output file' })
      .options(commonOptions)
      .example('aerie report run.trace', 'print the report')
      .example('aerie report run.trace --energy loihi-sanafe -o report.html', 'HTML report with another energy table'),
  handler: (argv) =>
    runCommand(argv, () => {
      const table = loadEnergyTable(argv.energy ?? DEFAULT_ENERGY_PRESET);
      const rec = loadRecordedActivity(argv.trace);
      const network = (rec.header.network as { name?: unknown } | undefined)?.name;
      const crossbar = crossbarFromSummary(rec.summary);
      const rep = buildReport(rec.activity, table, { run: `${typeof network === 'string' ? network : 'run'} (from ${argv.trace})`, ...(crossbar ? { crossbar } : {}) });
      if (argv.out) {
        const format = writeReportFile(rep, argv.out, argv.force);
        if (!argv.quiet) process.stderr.write(`aerie report: wrote ${format} report to ${argv.out}\n`);
      } else process.stdout.write(renderReport(rep, 'text'));
    }),
};
