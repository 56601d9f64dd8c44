/** `aerie replay TRACE --arch OTHER` — re-inject a recorded run's spikes into another mesh, NoC model or placement. */
import type { CommandModule } from 'yargs';
import { resolveArch } from '../../emulator/spec/arch.js';
import { NOC_MODEL_NAMES, type NocModelName } from '../../emulator/noc/models.js';
import { replayTrace, replaySummary } from '../../emulator/system/replay.js';
import { buildReport, DEFAULT_ENERGY_PRESET, loadEnergyTable } from '../../emulator/energy/index.js';
import { writeReportFile } from '../report/index.js';
import { commonOptions, runCommand } from '../cli-support.js';
import { formatSummary } from './run.js';

interface ReplayArgs {
  trace: string;
  arch?: string;
  chips?: string;
  noc: string;
  placement: string;
  report?: string;
  energy?: string;
  json: boolean;
  force: boolean;
  debug: boolean;
  quiet: boolean;
}

export const command: CommandModule<object, ReplayArgs> = {
  command: 'replay <trace>',
  describe: "re-inject a recorded run's spikes into another architecture, mesh, NoC model or placement; report latency and energy",
  builder: (y) =>
    y
      .positional('trace', { type: 'string', demandOption: true, describe: 'run trace recorded with aerie run --trace' })
      .option('arch', { type: 'string', describe: 'architecture to replay on: preset (loihi, loihi2) or arch YAML file (default loihi)' })
      .option('chips', { type: 'string', describe: 'board of WxH chips, e.g. 2x1' })
      .option('noc', { type: 'string', choices: NOC_MODEL_NAMES as readonly string[], default: 'analytic', describe: 'NoC model that routes the packets' })
      .option('placement', { type: 'string', choices: ['mesh', 'traffic'], default: 'mesh', describe: 'placement strategy on the new architecture' })
      .option('report', { type: 'string', describe: 'write the energy/latency report to FILE (.txt, .json, .csv, .html)' })
      .option('energy', { type: 'string', describe: `energy table for --report: preset or YAML file (default ${DEFAULT_ENERGY_PRESET})` })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as one JSON object (aerie-run/1 plus a replay block)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing report file' })
      .options(commonOptions)
      .example('aerie replay run.trace --arch loihi --chips 2x1', 'the same spikes on a two-chip board')
      .example('aerie replay run.trace --arch small-cores.yaml --noc cycle --report r.html', 'cycle-level NoC, HTML report'),
  handler: (argv) =>
    runCommand(argv, () => {
      const arch = resolveArch(argv.arch, argv.chips);
      const table = argv.report ? loadEnergyTable(argv.energy ?? DEFAULT_ENERGY_PRESET) : undefined;
      const t0 = process.hrtime.bigint();
      const r = replayTrace(argv.trace, { arch, noc: argv.noc as NocModelName, placement: argv.placement as 'mesh' | 'traffic' });
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const s = replaySummary(r, wall);
      if (argv.report && table) {
        const rep = buildReport(r.activity, table, { run: `${r.net.name} (replay of ${argv.trace})`, assumptions: r.assumptions });
        writeReportFile(rep, argv.report, argv.force);
      }
      if (argv.json) {
        process.stdout.write(JSON.stringify(s) + '\n');
        return;
      }
      const lat = s.replay.latency_ps;
      const lines = [
        formatSummary(s).replace(/^aerie run:/, 'aerie replay:'),
        `  NoC                   ${s.replay.noc}, placement ${s.replay.placement}; packet latency mean ${(lat.mean / 1e3).toFixed(2)} ns, p99 ${(lat.p99 / 1e3).toFixed(2)} ns, max ${(lat.max / 1e3).toFixed(2)} ns`,
      ];
      if (r.incomplete) lines.push('  note: the trace is incomplete (no footer); its readable prefix was replayed');
      for (const a of r.assumptions) lines.push(`  note: ${a}`);
      process.stdout.write(lines.join('\n') + '\n');
    }),
};
