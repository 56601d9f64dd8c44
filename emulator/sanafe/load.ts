/**
 * Entry point for the CLI: detect SANA-FE files and load an arch + SNN pair into a runnable SanafeSim,
 * with aerie's view of the same hardware (Arch values and energy-table entries by action id).
 *
 *   if (sanafeFileKind(file) === 'snn')
 *     return runSanafe({ network: file, arch: argv.arch, steps: argv.steps, seed: argv.seed, json: argv.json,
 *                        sanafeOut: argv['sanafe-out'], force: argv.force },
 *                      { writeFile: writeOutputFile, print: (t) => process.stdout.write(t + '\n') });
 */
import { readInputText } from '../util/files.js';
import { InputError } from '../errors.js';
import { PRESETS, type Arch } from '../spec/arch.js';
import { parseSanafeArch, sanafeToAerieArch, sanafeEnergyEntries, type SanafeArch, type SanafeEnergyEntry } from './arch.js';
import { parseSanafeSnn, type SanafeNetwork } from './snn.js';
import { SanafeSim, type SanafeTotals, type SanafeTiming } from './engine.js';
import { sanafeOutputFiles } from './output.js';

/** Which SANA-FE description a text is, judged by its first top-level key (no full parse). */
export function detectSanafeText(text: string): 'arch' | 'snn' | undefined {
  const m = /^(architecture|network)\s*:/m.exec(text);
  if (!m) return undefined;
  // a top-level key is at column 0 and not inside a comment; aerie's own formats start with `format:`
  if (/^format\s*:/m.test(text)) return undefined;
  return m[1] === 'architecture' ? 'arch' : 'snn';
}

/** True when the file is a SANA-FE SNN or architecture description. */
export function sanafeFileKind(file: string, readFile: (f: string) => string = readInputText): 'arch' | 'snn' | undefined {
  return detectSanafeText(readFile(file));
}

export interface SanafeRun {
  sanafeArch: SanafeArch;
  network: SanafeNetwork;
  /** aerie's view of the SANA-FE hardware (mesh, capacities, latencies, barrier). */
  arch: Arch;
  /** Per-event energies by aerie action id (from the default units of core 0.0). */
  energy: SanafeEnergyEntry[];
  sim: SanafeSim;
  /** Where every neuron went: global core id per neuron, and what is in use. */
  mapping: { coreOf: Int32Array; coresUsed: number; tilesUsed: number };
  loadSeconds: number;
}

export function loadSanafeRunFromText(snnText: string, archText: string, snnSource = '<sanafe-snn>', archSource = '<sanafe-arch>', opts: { seed?: number; timing?: SanafeTiming } = {}): SanafeRun {
  const t0 = process.hrtime.bigint();
  if (detectSanafeText(archText) !== 'arch')
    throw new InputError(archSource, [{ where: '', message: "not a SANA-FE architecture (expected a top-level 'architecture:' section)" }]);
  if (detectSanafeText(snnText) !== 'snn') throw new InputError(snnSource, [{ where: '', message: "not a SANA-FE SNN (expected a top-level 'network:' section)" }]);
  const sanafeArch = parseSanafeArch(archText, archSource);
  const network = parseSanafeSnn(snnText, sanafeArch, snnSource);
  const sim = new SanafeSim(network, sanafeArch, opts);
  const arch = sanafeToAerieArch(sanafeArch);
  const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    sanafeArch,
    network,
    arch,
    energy: sanafeEnergyEntries(sanafeArch),
    sim,
    mapping: { coreOf: network.coreOf, coresUsed: sim.coresUsed, tilesUsed: sim.tilesUsed },
    loadSeconds,
  };
}

/** Load a SANA-FE SNN file and its architecture file (InputError with file, field path and line:col). */
export function loadSanafeRun(snnFile: string, archFile: string | undefined, opts: { seed?: number; timing?: SanafeTiming; readFile?: (f: string) => string } = {}): SanafeRun {
  if (archFile === undefined)
    throw new InputError(snnFile, [{ where: '', message: 'a SANA-FE SNN needs its SANA-FE architecture: pass --arch ARCH.yaml' }]);
  const read = opts.readFile ?? readInputText;
  return loadSanafeRunFromText(read(snnFile), read(archFile), snnFile, archFile, opts);
}

export interface SanafeRunSummary extends SanafeTotals {
  schema: 'aerie-sanafe-run/1';
  network: string;
  timing: SanafeTiming;
  arch: string;
  neurons: number;
  connections: number;
  cores_used: number;
  tiles_used: number;
  warnings: string[];
  run: { load_s: number; wall_s: number; steps_per_s: number };
}

export function summarizeSanafe(run: SanafeRun, wallSeconds: number): SanafeRunSummary {
  const t = run.sim.totals();
  return {
    schema: 'aerie-sanafe-run/1',
    network: run.network.name,
    timing: run.sim.timing,
    arch: run.sanafeArch.name,
    neurons: run.network.nNeurons,
    connections: run.network.nEdges,
    cores_used: run.mapping.coresUsed,
    tiles_used: run.mapping.tilesUsed,
    warnings: run.network.warnings,
    ...t,
    run: { load_s: run.loadSeconds, wall_s: wallSeconds, steps_per_s: wallSeconds > 0 ? t.timesteps_executed / wallSeconds : 0 },
  };
}

export function formatSanafeSummary(s: SanafeRunSummary): string {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const e = (x: number): string => x.toExponential(4);
  const lines = [
    `aerie run (SANA-FE mode): ${s.network} on ${s.arch} (${s.tiles_used} tiles, ${s.cores_used} cores, ${fmt(s.neurons)} neurons, ${fmt(s.connections)} connections)`,
    `  timesteps             ${fmt(s.timesteps_executed)}`,
    `  synaptic events       ${fmt(s.total_spikes)}   (SANA-FE total_spikes)`,
    `  messages              ${fmt(s.total_messages_sent)}`,
    `  neurons updated       ${fmt(s.total_neurons_updated)}`,
    `  neurons fired         ${fmt(s.total_neurons_fired)}`,
    `  hops                  ${fmt(s.total_hops)}`,
    `  sim_time              ${e(s.sim_time)} s (${s.timing} timing model)`,
    `  energy (J)            synapse ${e(s.energy.synapse)}  dendrite ${e(s.energy.dendrite)}  soma ${e(s.energy.soma)}  network ${e(s.energy.network)}  total ${e(s.energy.total)}`,
    `  load / run time       ${s.run.load_s.toFixed(3)} s / ${s.run.wall_s.toFixed(3)} s (${Math.round(s.run.steps_per_s).toLocaleString('en-US')} steps/s)`,
  ];
  for (const w of s.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n');
}

/** What `aerie run` passes for a SANA-FE SNN (see runSanafe). */
export interface SanafeRunOptions {
  /** SANA-FE SNN file. */
  network: string;
  /** SANA-FE architecture file (--arch). */
  arch: string | undefined;
  steps: number;
  seed?: number;
  /** Print the summary as one JSON object instead of text. */
  json?: boolean;
  /** --sanafe-out DIR: write spikes.csv, perf.csv and run_summary.yaml there. */
  sanafeOut?: string;
  force?: boolean;
  /** SANA-FE timing model (default 'detailed', as SANA-FE's `sim`). */
  timing?: SanafeTiming;
}

/** The CLI's side effects, injected so the library never writes files or prints by itself. */
export interface SanafeRunIo {
  /** Write a text file, refusing to overwrite unless `force` (tools/cli-support.ts writeOutputFile). */
  writeFile(file: string, text: string, force: boolean): void;
  /** Print one block of text to stdout. */
  print(text: string): void;
}

/**
 * `aerie run SNN.yaml --arch ARCH.yaml --steps N [--json] [--sanafe-out DIR] [--force]` for a SANA-FE
 * SNN: load, run, print the summary (text or JSON), write the SANA-FE output files. Returns the summary.
 */
export function runSanafe(o: SanafeRunOptions, io: SanafeRunIo, readFile: (f: string) => string = readInputText): SanafeRunSummary {
  if (o.arch !== undefined && (o.arch in PRESETS || detectSanafeText(readFile(o.arch)) !== 'arch'))
    throw new InputError(o.arch, [{ where: '', message: `${o.network} is a SANA-FE SNN: --arch must be a SANA-FE architecture file (top-level 'architecture:'), not an aerie preset or arch file` }]);
  const run = loadSanafeRun(o.network, o.arch, { seed: o.seed, timing: o.timing, readFile });
  const t0 = process.hrtime.bigint();
  run.sim.run(o.steps);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const summary = summarizeSanafe(run, wall);
  if (o.sanafeOut !== undefined) for (const [name, text] of Object.entries(sanafeOutputFiles(run.sim))) io.writeFile(joinPath(o.sanafeOut, name), text, o.force ?? false);
  io.print(o.json ? JSON.stringify(summary) : formatSanafeSummary(summary));
  return summary;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
