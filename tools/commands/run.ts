/** `aerie run [NET]` — emulate a network on an architecture and print its summary. */
import type { CommandModule } from 'yargs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNetworkFile, prepare, resolveArch, type Prepared, type ProbeRequest, type ProbeVar, type RunSummary } from '../../emulator/index.js';
import { MAX_SHARDS, startProcessShards, startThreadShards, type ShardedRun, type ShardRecipe } from '../../emulator/system/cluster.js';
import { loadEnergyTable } from '../../emulator/energy/index.js';
import { runSanafe, sanafeFileKind } from '../../emulator/sanafe/index.js';
import * as fs from 'node:fs';
import { commonOptions, runCommand, UsageError, writeOutputFile } from '../cli-support.js';
import { executeRun, runReport, summaryWithEnergy, writeOrPrintReport } from '../run-support.js';
import { checkTraceArgs, formatInput, startTrace, traceOptions, type TraceArgs } from '../run-trace.js';

/** Package root (works from tools/ under tsx and from dist/tools/ when compiled). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (path.basename(dir) === 'tools') {
      const up = path.dirname(dir);
      return path.basename(up) === 'dist' ? path.dirname(up) : up;
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The built-in default network `aerie run` uses when none is named. */
export function defaultNetworkPath(): string {
  return path.join(packageRoot(), 'firmware-models', 'examples', 'ei-network.yaml');
}

export const MAX_STEPS = 100_000_000;

/** Load the energy table once before the run, so a bad --energy is reported before any work. */
function runReportCheck(energy: string): void {
  loadEnergyTable(energy);
}

interface RunArgs extends TraceArgs {
  network?: string;
  arch?: string;
  chips?: string;
  seed?: number;
  probe?: string[];
  'probe-out'?: string;
  json: boolean;
  placement: string;
  noc: string;
  energy: string;
  report?: string;
  'sanafe-out'?: string;
  'sanafe-timing': string;
  debug: boolean;
  quiet: boolean;
  threads: number;
  shards: number;
  nats?: string;
  'shard-run'?: string;
  'external-shards': boolean;
}

export function parseProbe(s: string): ProbeRequest {
  const m = /^([A-Za-z_][A-Za-z0-9_\-]*)\.(u|v|spikes|weights)$/.exec(s);
  if (!m) throw new UsageError(`--probe ${s}: expected POPULATION.VAR with VAR one of u, v, spikes (e.g. exc.v), or PROJECTION.weights`);
  if (m[2] === 'weights') return { projection: m[1], variable: 'weights' };
  return { population: m[1], variable: m[2] as ProbeVar };
}

export function formatSummary(s: RunSummary): string {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const lines = [
    `aerie run: ${s.network} on ${s.arch} (${s.chips_used} chip${s.chips_used === 1 ? '' : 's'}, ${s.tiles_used} tiles, ${s.cores_used} cores)`,
    `  steps                 ${fmt(s.steps)}`,
    `  spikes                ${fmt(s.spikes)}`,
    `  synaptic events       ${fmt(s.synaptic_events)}`,
    `  compartment updates   ${fmt(s.compartment_updates)} (${fmt(s.compartment_updates_active)} active)`,
    `  packets               ${fmt(s.packets)}`,
    `  emulated time         ${(s.emulated_time_ps / 1e6).toFixed(3)} µs (step mean ${(s.step_latency_ps.mean / 1e3).toFixed(1)} ns, max ${(s.step_latency_ps.max / 1e3).toFixed(1)} ns)`,
    `  populations:`,
  ];
  for (const [name, p] of Object.entries(s.populations)) lines.push(`    ${name.padEnd(20)} ${String(p.size).padStart(8)} compartments  ${fmt(p.spikes).padStart(10)} spikes  ${p.rate_hz.toFixed(2).padStart(9)} Hz`);
  if (s.crossbar) {
    const c = s.crossbar;
    const energy = (s as { energy?: { by_component_fj?: Record<string, number> } }).energy?.by_component_fj?.crossbar;
    const g = (x: number): string => (x === 0 ? '0' : Number(x.toPrecision(3)).toString());
    lines.push(
      `  crossbars             ${fmt(c.arrays)} arrays, ${fmt(c.mvms)} MVMs, ${fmt(c.output_packets)} output packets${energy === undefined ? '' : `, energy ${(energy / 1e6).toFixed(3)} nJ`}`,
      `  crossbar accuracy     MAE ${g(c.mae)} (max |err| ${g(c.max_abs_error)}, relative ${g(c.relative_error)}, worst step MAE ${g(c.max_step_mae)}) over ${fmt(c.samples)} outputs vs the exact product`,
    );
    if (c.bit_error_rate !== undefined)
      lines.push(`  crossbar binary (HDC) bit-error rate ${g(c.bit_error_rate)}, top-1 agreement ${(100 * (c.top1_agreement ?? 0)).toFixed(1)} % over ${fmt(c.searches ?? 0)} searches vs the exact match counts`);
  }
  lines.push(`  wall time             ${s.run.wall_s.toFixed(3)} s (${Math.round(s.run.steps_per_s).toLocaleString('en-US')} steps/s)`);
  return lines.join('\n');
}

/** --threads / --shards: which kind of sharding, if any (checked before any work). */
function shardingOf(a: RunArgs): { kind: 'threads' | 'processes'; count: number } | undefined {
  for (const [opt, v] of [['--threads', a.threads], ['--shards', a.shards]] as const)
    if (!Number.isInteger(v) || v < 1 || v > MAX_SHARDS) throw new UsageError(`${opt} ${v}: expected a whole number from 1 to ${MAX_SHARDS}`);
  if (a.threads > 1 && a.shards > 1) throw new UsageError('--threads and --shards cannot be combined: pick one way to shard the run');
  if ((a.nats !== undefined || a['external-shards'] || a['shard-run'] !== undefined) && a.shards < 2) throw new UsageError('--nats, --shard-run and --external-shards apply to a run sharded over processes: add --shards N (N >= 2)');
  if (a['external-shards'] && a.nats === undefined) throw new UsageError('--external-shards needs --nats URL (the shards on other hosts meet there)');
  if (a['shard-run'] !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(a['shard-run'])) throw new UsageError(`--shard-run ${a['shard-run']}: expected 1-64 letters, digits, '_' or '-'`);
  const count = Math.max(a.threads, a.shards);
  if (count === 1) return undefined;
  const opt = a.threads > 1 ? '--threads' : '--shards';
  if (a.input !== undefined) throw new UsageError(`${opt} does not apply to runs driven by --input (the input driver writes into the spike sources of one process)`);
  const rec = (a.record ?? '').split(',');
  if (a.trace !== undefined && (rec.includes('probes') || rec.includes('counters')))
    throw new UsageError(`${opt}: --record probes and counters need every core's state each step; record spikes and packets, or run unsharded`);
  return { kind: a.threads > 1 ? 'threads' : 'processes', count };
}

export const command: CommandModule<object, RunArgs> = {
  command: 'run [network]',
  describe: 'emulate a network (YAML/JSON, aerie-network/1) and print its summary',
  builder: (y) =>
    y
      .positional('network', { type: 'string', describe: 'network file; default: the built-in example network' })
      .option('arch', { type: 'string', describe: 'architecture preset (loihi, loihi2) or arch YAML file', default: undefined })
      .option('chips', { type: 'string', describe: 'board of WxH chips, e.g. 2x2' })
      .option('steps', { type: 'number', default: 1000, describe: 'algorithmic steps to run' })
      .option('seed', { type: 'number', describe: "base seed for generators that have no seed of their own (overrides the network's)" })
      .option('probe', { type: 'string', array: true, describe: 'record POP.VAR after every step (VAR: u, v, spikes) or PROJ.weights (one value per synapse); repeatable' })
      .option('probe-out', { type: 'string', describe: 'write probes as JSON to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as one JSON object (docs/JSON-SCHEMA.md)' })
      .option('placement', { type: 'string', choices: ['mesh', 'traffic'], default: 'mesh', describe: 'placement strategy' })
      .option('noc', { type: 'string', choices: ['analytic', 'cycle', 'none'], default: 'analytic', describe: 'NoC model that times the packets (docs/NOC.md)' })
      .option('energy', { type: 'string', default: 'loihi-2018', describe: 'energy table: preset (loihi-2018, loihi-sanafe, horowitz-45nm) or YAML file (docs/ENERGY-MODEL.md)' })
      .option('report', { type: 'string', describe: 'write the energy/latency report to FILE.html, FILE.json or FILE.csv' })
      .option('sanafe-out', { type: 'string', describe: 'SANA-FE networks: write spikes.csv, perf.csv and run_summary.yaml into this folder (docs/SANAFE.md)' })
      .option('sanafe-timing', { type: 'string', choices: ['detailed', 'simple'], default: 'detailed', describe: "SANA-FE networks: SANA-FE's timing model" })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite existing output files' })
      .option('threads', { type: 'number', default: 1, describe: 'shard the cores over N worker threads (shared memory); results are byte-identical to one thread' })
      .option('shards', { type: 'number', default: 1, describe: 'shard the board over N processes (chips go whole to a shard); results are byte-identical to one process' })
      .option('nats', { type: 'string', describe: 'with --shards: the shards exchange their packets over this NATS server (nats://host:port) instead of local IPC' })
      .option('shard-run', { type: 'string', describe: 'with --nats: the run id shards join (default: a random one)' })
      .option('external-shards', { type: 'boolean', default: false, describe: 'with --nats: start no shard here; wait for `aerie shard --nats URL --run ID --index K` on other hosts' })
      .options(traceOptions)
      .options(commonOptions)
      .example('aerie run', 'run the built-in example network on one Loihi chip')
      .example('aerie run net.yaml --input events.trace --bin-us 1000 --trace run.trace --record spikes,packets', 'drive the spike sources from an imported recording and record the run')
      .example('aerie run net.yaml --steps 100 --probe exc.v --probe-out probes.json', 'record voltages')
      .example('aerie run net.yaml --arch loihi2 --chips 2x1 --json', 'JSON summary on two Loihi 2 chips')
      .example('aerie run --report report.html', 'the default run with its HTML energy report')
      .example('aerie run net.yaml --chips 2x2 --threads 2', 'the same run on two worker threads (identical results)')
      .example('aerie run net.yaml --chips 4x2 --shards 2 --nats nats://host:4222', 'a board over two processes that exchange packets through NATS')
      .example('aerie run snn.yaml --arch arch.yaml --steps 100 --sanafe-out out/', 'a SANA-FE SNN on a SANA-FE architecture, unchanged'),
  handler: (argv) =>
    runCommand(argv, async () => {
      if (!Number.isInteger(argv.steps) || argv.steps < 1 || argv.steps > MAX_STEPS) throw new UsageError(`--steps ${argv.steps}: expected a whole number from 1 to ${MAX_STEPS}`);
      if (argv.seed !== undefined && (!Number.isInteger(argv.seed) || argv.seed < 0 || argv.seed > 2 ** 32 - 1)) throw new UsageError(`--seed ${argv.seed}: expected a whole number from 0 to 2^32-1`);
      if (argv.network && sanafeFileKind(argv.network) === 'snn') {
        if (argv.probe?.length || argv.chips || argv.report || argv['probe-out'])
          throw new UsageError('--probe, --probe-out, --chips and --report do not apply to SANA-FE networks (they run in the SANA-FE compatibility engine, docs/SANAFE.md)');
        if (argv['sanafe-out']) fs.mkdirSync(argv['sanafe-out'], { recursive: true });
        runSanafe(
          { network: argv.network, arch: argv.arch, steps: argv.steps, seed: argv.seed, json: argv.json, sanafeOut: argv['sanafe-out'], force: argv.force, timing: argv['sanafe-timing'] as 'detailed' | 'simple' },
          { writeFile: writeOutputFile, print: (t) => process.stdout.write(t + '\n') },
        );
        return;
      }
      const probes = (argv.probe ?? []).map(parseProbe);
      if (argv['probe-out'] && probes.length === 0) throw new UsageError('--probe-out needs at least one --probe');
      checkTraceArgs(argv);
      // refuse to overwrite outputs before any work is done (not only when they are written)
      for (const out of [argv.report, argv['probe-out'], argv.trace]) {
        if (out !== undefined && !argv.force && fs.existsSync(out)) throw new UsageError(`${out}: already exists; pass --force to overwrite it`);
      }
      const file = argv.network ?? defaultNetworkPath();
      const spec = loadNetworkFile(file);
      if (argv.seed !== undefined) spec.seed = argv.seed;
      const arch = resolveArch(argv.arch, argv.chips);
      const sharded = shardingOf(argv);
      const recipe = { placement: argv.placement as 'mesh' | 'traffic', source: file, noc: argv.noc as 'analytic' | 'cycle' | 'none' };
      let cluster: ShardedRun | undefined;
      let p: Prepared;
      if (sharded) {
        // the energy table is checked before the shards start
        runReportCheck(argv.energy);
        const r: ShardRecipe = { spec, arch, ...recipe, probes, steps: argv.steps };
        cluster =
          sharded.kind === 'threads'
            ? await startThreadShards(r, sharded.count)
            : await startProcessShards(r, sharded.count, {
                ...(argv.nats ? { nats: argv.nats } : {}),
                ...(argv['shard-run'] ? { runId: argv['shard-run'] } : {}),
                external: argv['external-shards'],
              });
        p = { net: cluster.net, arch, placement: cluster.placement, emulator: cluster.emulator };
      } else {
        p = prepare(spec, arch, recipe);
        for (const pr of probes) p.emulator.addProbe(pr, argv.steps);
        // the energy table is checked before the run, so a bad --energy fails fast
        runReportCheck(argv.energy);
      }
      let session: ReturnType<typeof startTrace> | undefined;
      let ran: Awaited<ReturnType<typeof executeRun>>;
      try {
        session = startTrace(p, spec, argv, file);
        ran = await executeRun(p, argv.steps, {
          quiet: argv.quiet || argv.json,
          label: 'aerie run',
          onStep: session.onStep,
          ...(cluster ? { run: cluster.run.bind(cluster) } : {}),
        });
        // every shard's counters and probe values into the coordinator, before any report
        await cluster?.finish();
      } catch (err) {
        session?.abort();
        await cluster?.close();
        throw err;
      }
      if (ran.interrupted) process.stderr.write(`interrupted: stopped after ${ran.steps} of ${argv.steps} steps; outputs cover the steps run\n`);
      const report = runReport(p, { energy: argv.energy, title: `aerie run: ${p.net.name}`, raster: ran.raster });
      const summary = summaryWithEnergy(p, ran.wallSeconds, spec.seed ?? 0, report);
      const traced = session.finish(summary);
      if (argv['probe-out']) {
        const out: { steps: number; probes: Record<string, number[][]> } = { steps: ran.steps, probes: {} };
        for (const d of p.emulator.probeData()) {
          const rows: number[][] = [];
          for (let k = 0; k < d.steps; k++) rows.push(Array.from(d.values.subarray(k * d.size, (k + 1) * d.size)));
          out.probes[d.name] = rows;
        }
        writeOutputFile(argv['probe-out'], JSON.stringify(out) + '\n', argv.force);
      }
      if (argv.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else if (!argv.quiet || !argv['probe-out']) process.stdout.write(formatSummary(summary) + (traced.input ? '\n' + formatInput(traced.input) : '') + '\n');
      writeOrPrintReport(report, argv.report, argv.force, !argv.json && !argv.quiet);
      if (ran.interrupted) process.exitCode = 130;
    }),
};
