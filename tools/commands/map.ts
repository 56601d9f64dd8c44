/** `aerie map NET` — place a network and print the placement and utilisation per limit. */
import type { CommandModule } from 'yargs';
import { compileNetwork, loadNetworkFile, placeNetwork, resolveArch } from '../../emulator/index.js';
import { commonOptions, runCommand } from '../cli-support.js';

interface MapArgs {
  network: string;
  arch?: string;
  chips?: string;
  placement: string;
  json: boolean;
  debug: boolean;
}

export const command: CommandModule<object, MapArgs> = {
  command: 'map <network>',
  describe: 'place a network on cores and print the placement and the utilisation of every per-core limit',
  builder: (y) =>
    y
      .positional('network', { type: 'string', demandOption: true, describe: 'network file (aerie-network/1)' })
      .option('arch', { type: 'string', describe: 'architecture preset or arch YAML file' })
      .option('chips', { type: 'string', describe: 'board of WxH chips' })
      .option('placement', { type: 'string', choices: ['mesh', 'traffic'], default: 'mesh' })
      .option('json', { type: 'boolean', default: false, describe: 'print the placement as JSON' })
      .options(commonOptions)
      .example('aerie map net.yaml --arch loihi2', 'show how a network fills Loihi 2 cores'),
  handler: (argv) =>
    runCommand(argv, () => {
      const spec = loadNetworkFile(argv.network);
      const arch = resolveArch(argv.arch, argv.chips);
      const net = compileNetwork(spec, argv.network);
      const pl = placeNetwork(net, arch, argv.placement as 'mesh' | 'traffic');
      const cap = arch.core;
      const cores = pl.cores.map((c) => ({
        core: c.core,
        chip: Math.floor(c.core / arch.coresPerChip),
        tile: Math.floor((c.core % arch.coresPerChip) / arch.coresPerTile),
        compartments: c.compartments,
        input_axons: c.inputAxons,
        output_axons: c.outputAxons,
        synapse_words: c.synapseWords,
        synapses: c.synapses,
        segments: c.segments.map((s) => ({ population: net.populations[s.population].name, first: s.first, count: s.count })),
      }));
      const tilesPerChip = arch.tilesX * arch.tilesY;
      const crossbars = pl.crossbars.map((x) => {
        const p = net.projections[x.projection];
        return {
          projection: p.name,
          from: net.populations[p.from].name,
          to: net.populations[p.to].name,
          arrays: x.arrays,
          row_tiles: x.rowTiles,
          col_tiles: x.colTiles,
          mode: p.crossbarMode ?? 'analog',
          array_rows: p.crossbar!.rows,
          array_cols: p.crossbar!.cols,
          weight_bits: p.crossbar!.weightBits,
          tiles: [...new Set(x.tileOf)].map((t) => ({ chip: Math.floor(t / tilesPerChip), tile: t % tilesPerChip, arrays: x.tileOf.filter((u) => u === t).length })),
        };
      });
      if (argv.json) {
        process.stdout.write(
          JSON.stringify({ schema: 'aerie-map/1', strategy: pl.strategy, chips_used: pl.chipsUsed, tiles_used: pl.tilesUsed, cores_used: pl.cores.length, limits: cap, cores, ...(crossbars.length ? { crossbar_per_tile: arch.crossbar.perTile, crossbars } : {}) }) + '\n',
        );
        return;
      }
      const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1).padStart(5)}%`;
      const lines = [
        `placement (${pl.strategy}): ${pl.cores.length} cores on ${pl.tilesUsed} tiles of ${pl.chipsUsed} chip(s)`,
        `limits per core: ${cap.compartments} compartments, ${cap.inputAxons} input axons, ${cap.outputAxons} output axons, ${cap.synapseWords} synapse words of ${cap.synapseWordBits} bits`,
        '',
        ' core  chip tile  compartments      input axons       output axons      synapse words      populations',
      ];
      for (const c of cores) {
        lines.push(
          `${String(c.core).padStart(5)} ${String(c.chip).padStart(5)} ${String(c.tile).padStart(4)}  ${String(c.compartments).padStart(6)} ${pct(c.compartments, cap.compartments)}  ${String(c.input_axons).padStart(7)} ${pct(c.input_axons, cap.inputAxons)}  ${String(c.output_axons).padStart(7)} ${pct(c.output_axons, cap.outputAxons)}  ${String(c.synapse_words).padStart(7)} ${pct(c.synapse_words, cap.synapseWords)}   ${c.segments.map((s) => `${s.population}[${s.first}..${s.first + s.count - 1}]`).join(' ')}`,
        );
      }
      if (crossbars.length) {
        lines.push('', `crossbar-backed projections (${arch.crossbar.perTile} arrays per tile):`);
        for (const x of crossbars) {
          lines.push(
            `  ${x.projection} (${x.from} → ${x.to}): ${x.arrays} arrays of ${x.array_rows}×${x.array_cols} (${x.mode === 'binary' ? `binary: ${x.row_tiles} query segments × ${x.col_tiles} blocks of stored rows` : `${x.row_tiles} row tiles × ${x.col_tiles} column tiles, ${x.weight_bits}-bit weights`}) on ${x.tiles.map((t) => `chip ${t.chip} tile ${t.tile} (${t.arrays})`).join(', ')}`,
          );
        }
      }
      process.stdout.write(lines.join('\n') + '\n');
    }),
};
