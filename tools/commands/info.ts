/**
 * `aerie info [SECTION]` — presets and every declared parameter of every hardware block, with unit,
 * default, range and source. The listings come from the blocks' own declarations.
 */
import type { CommandModule } from 'yargs';
import { ARCH_PARAMS, LIF_PARAMS, PRESETS } from '../../emulator/index.js';
import { NOC_PARAMS } from '../../emulator/noc/index.js';
import { LEARNING_PARAMS } from '../../emulator/core/learning/index.js';
import { CROSSBAR_PARAMS } from '../../emulator/pim/index.js';
import { IMPORT_PARAMS, TRACE_PARAMS } from '../../emulator/trace/index.js';
import { ENERGY_PRESETS } from '../../emulator/energy/index.js';
import { commonOptions, runCommand, UsageError } from '../cli-support.js';

/** One listed parameter, whatever the block's declaration shape. */
interface Row {
  name: string;
  unit: string;
  description: string;
  value: string;
  source: string;
}

const text = (v: unknown): string => (v === undefined ? '' : String(v));
const range = (min?: number, max?: number): string => (min === undefined && max === undefined ? '' : `; range ${min ?? ''}..${max ?? ''}`);

function sections(): Record<string, { title: string; rows: Row[] }> {
  return {
    arch: {
      title: 'Architecture parameters (arch YAML: format: aerie-arch/1, preset: NAME, <group>: {<key>: value})',
      rows: ARCH_PARAMS.map((p) => ({
        name: p.path,
        unit: p.unit,
        description: p.description,
        value: `default ${Object.entries(p.defaults).map(([k, v]) => `${k} ${v}`).join(', ')}${range(p.min, p.max)}`,
        source: p.source,
      })),
    },
    lif: {
      title: 'LIF compartment parameters (populations[].params: scalar or one per compartment)',
      rows: Object.entries(LIF_PARAMS).map(([k, p]) => ({ name: k, unit: p.unit, description: p.description, value: `default ${p.default}${range(p.lo, p.hi)}`, source: 'Lava PyLifModelBitAcc (ranges: Davies 2018 widths)' })),
    },
    noc: {
      title: 'NoC router-model parameters (aerie noc; the hop latencies come from the arch)',
      rows: Object.entries(NOC_PARAMS).map(([k, p]) => ({ name: k, unit: p.unit, description: p.description, value: `default ${text(p.default)}${range(p.min, p.max)}`, source: p.source })),
    },
    learning: {
      title: 'Learning parameters (projections[].learning)',
      rows: LEARNING_PARAMS.map((p) => ({ name: p.path, unit: p.unit, description: p.description, value: `default ${text(p.default)}${range(p.min, p.max)}`, source: p.source })),
    },
    crossbar: {
      title: 'Crossbar (PIM) parameters',
      rows: CROSSBAR_PARAMS.map((p) => ({ name: p.name, unit: p.unit, description: p.description, value: `default ${text(p.default)}`, source: p.source })),
    },
    import: {
      title: 'Event import limits and settings',
      rows: Object.entries(IMPORT_PARAMS).map(([k, p]) => ({ name: k, unit: p.unit, description: p.description, value: `value ${text(p.value)}`, source: p.source })),
    },
    trace: {
      title: 'Trace container',
      rows: Object.entries(TRACE_PARAMS).map(([k, p]) => ({ name: k, unit: p.unit, description: p.description, value: `value ${text(p.value)}`, source: p.source })),
    },
    energy: {
      title: 'Energy presets (--energy NAME): energy per action',
      rows: Object.values(ENERGY_PRESETS).flatMap((t) =>
        Object.entries(t.actions).map(([a, e]) => ({ name: `${t.name} ${a}`, unit: 'pJ', description: '', value: `${(e!.fj / 1000).toString()} pJ`, source: e!.source })),
      ),
    },
  };
}

export const command: CommandModule<object, { section?: string; json: boolean; debug: boolean }> = {
  command: 'info [section]',
  describe: 'list presets and every parameter with its unit, default and source (sections: arch, lif, noc, learning, crossbar, import, trace, energy)',
  builder: (y) =>
    y
      .positional('section', { type: 'string', describe: 'one section only' })
      .option('json', { type: 'boolean', default: false, describe: 'print as JSON' })
      .options(commonOptions)
      .example('aerie info', 'everything')
      .example('aerie info energy', 'energy per action of every preset, with sources'),
  handler: (argv) =>
    runCommand(argv, () => {
      const all = sections();
      if (argv.section !== undefined && !all[argv.section]) throw new UsageError(`info ${argv.section}: no such section (have: ${Object.keys(all).join(', ')})`);
      const chosen = argv.section ? { [argv.section]: all[argv.section] } : all;
      if (argv.json) {
        process.stdout.write(JSON.stringify({ presets: PRESETS, sections: chosen }) + '\n');
        return;
      }
      const out: string[] = [];
      if (!argv.section) {
        out.push('Architecture presets (--arch NAME):');
        for (const [k, v] of Object.entries(PRESETS)) out.push(`  ${k.padEnd(8)} ${v}`);
      }
      for (const s of Object.values(chosen)) {
        out.push('', `${s.title}:`);
        for (const r of s.rows) {
          out.push(`  ${r.name.padEnd(30)} ${r.unit ? `[${r.unit}] ` : ''}${r.description}`);
          out.push(`  ${''.padEnd(30)} ${r.value}`);
          out.push(`  ${''.padEnd(30)} source: ${r.source}`);
        }
      }
      process.stdout.write(out.join('\n') + '\n');
    }),
};
