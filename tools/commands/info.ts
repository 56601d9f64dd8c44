/** `aerie info` — presets and every architecture and network parameter with unit, default and source. */
import type { CommandModule } from 'yargs';
import { ARCH_PARAMS, LIF_PARAMS, PRESETS } from '../../emulator/index.js';
import { commonOptions, runCommand } from '../cli-support.js';

export const command: CommandModule<object, { json: boolean; debug: boolean }> = {
  command: 'info',
  describe: 'list architecture presets and every parameter with its unit, default and source',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print as JSON' }).options(commonOptions).example('aerie info', 'show presets and parameters'),
  handler: (argv) =>
    runCommand(argv, () => {
      if (argv.json) {
        process.stdout.write(JSON.stringify({ presets: PRESETS, arch_params: ARCH_PARAMS, lif_params: LIF_PARAMS }) + '\n');
        return;
      }
      const out: string[] = ['Architecture presets (--arch NAME):'];
      for (const [k, v] of Object.entries(PRESETS)) out.push(`  ${k.padEnd(8)} ${v}`);
      out.push('', 'Architecture parameters (override in an arch YAML: format: aerie-arch/1, preset: NAME, <group>: {<key>: value}):');
      for (const p of ARCH_PARAMS) {
        const d = Object.entries(p.defaults)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        out.push(`  ${p.path.padEnd(30)} [${p.unit}] ${p.description}`, `  ${''.padEnd(30)} default: ${d}; range ${p.min}..${p.max}`, `  ${''.padEnd(30)} source: ${p.source}`);
      }
      out.push('', 'LIF compartment parameters (populations[].params, scalar or one per compartment):');
      for (const [k, p] of Object.entries(LIF_PARAMS)) out.push(`  ${k.padEnd(12)} ${p.lo}..${p.hi}, default ${p.default} [${p.unit}]: ${p.description}`);
      process.stdout.write(out.join('\n') + '\n');
    }),
};
