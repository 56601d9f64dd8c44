/** `aerie model <name>` — run a firmware model built through the library API. */
import type { CommandModule } from 'yargs';
import { prepare, resolveArch } from '../../emulator/index.js';
import { executeRun, runReport, summaryWithEnergy, writeOrPrintReport } from '../run-support.js';
import { MODELS, findModel } from '../../firmware-models/index.js';
import { commonOptions, runCommand, UsageError } from '../cli-support.js';
import { formatSummary, MAX_STEPS } from './run.js';

interface ModelArgs {
  name?: string;
  list: boolean;
  size?: number;
  steps?: number;
  seed: number;
  arch?: string;
  chips?: string;
  json: boolean;
  debug: boolean;
}

export const command: CommandModule<object, ModelArgs> = {
  command: 'model [name]',
  describe: 'run a firmware model (aerie model --list shows them)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'model name' })
      .option('list', { type: 'boolean', default: false, describe: 'list the models' })
      .option('size', { type: 'number', describe: "the model's size parameter (see --list)" })
      .option('steps', { type: 'number', describe: "steps to run (default: the model's own)" })
      .option('seed', { type: 'number', default: 1 })
      .option('arch', { type: 'string', describe: 'architecture preset or arch YAML file' })
      .option('chips', { type: 'string', describe: 'board of WxH chips' })
      .option('json', { type: 'boolean', default: false })
      .options(commonOptions)
      .example('aerie model --list', 'list the firmware models')
      .example('aerie model cuba --size 1000 --steps 2000', 'a smaller CUBA network'),
  handler: (argv) =>
    runCommand(argv, async () => {
      if (argv.list || !argv.name) {
        const rows = MODELS.map((m) => `  ${m.name.padEnd(12)} ${m.description}\n  ${''.padEnd(12)} --size: ${m.size.meaning}, default ${m.size.default}${m.steps ? `; ${m.steps} steps` : ''}`);
        process.stdout.write(`firmware models:\n${rows.join('\n')}\n`);
        return;
      }
      const m = findModel(argv.name);
      if (!m) throw new UsageError(`no firmware model named '${argv.name}' (have: ${MODELS.map((x) => x.name).join(', ')})`);
      const size = argv.size ?? m.size.default;
      if (!Number.isInteger(size) || size < m.size.min || size > m.size.max) throw new UsageError(`--size ${argv.size}: ${m.name} takes ${m.size.meaning} from ${m.size.min} to ${m.size.max}`);
      const steps = argv.steps ?? m.steps;
      if (steps !== undefined && (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS)) throw new UsageError(`--steps ${argv.steps}: expected a whole number from 1 to ${MAX_STEPS}`);
      const arch = resolveArch(argv.arch, argv.chips);
      if (m.run) {
        const r = await m.run({ size, seed: argv.seed, steps, arch });
        process.stdout.write(argv.json ? JSON.stringify({ schema: 'aerie-model/1', model: m.name, size, seed: argv.seed, ...r.json }) + '\n' : r.text + '\n');
        return;
      }
      if (!m.build || steps === undefined) throw new Error(`firmware model '${m.name}' has neither run() nor build() with steps`);
      const p = prepare(m.build(size, argv.seed), arch, { source: `model ${m.name}` });
      const ran = await executeRun(p, steps, { quiet: argv.json, label: `aerie model ${m.name}` });
      const denseTask = m.denseTask?.(size, ran.steps);
      const report = runReport(p, { energy: 'loihi-2018', title: `aerie model ${m.name}`, raster: ran.raster, ...(denseTask ? { denseTask } : {}) });
      const s = summaryWithEnergy(p, ran.wallSeconds, argv.seed, report);
      process.stdout.write(argv.json ? JSON.stringify(s) + '\n' : formatSummary(s) + '\n');
      writeOrPrintReport(report, undefined, false, !argv.json);
      if (ran.interrupted) process.exitCode = 130;
    }),
};
