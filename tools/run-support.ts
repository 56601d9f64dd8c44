/**
 * What `aerie run` and `aerie model` share: running the step loop with a progress bar and a clean
 * stop on Ctrl-C, and building the energy/latency report of the run.
 */
import { summarize, type Prepared, type RunSummary } from '../emulator/index.js';
import { buildReport, loadEnergyTable, summarizeEnergy, type DenseTaskSpec, type EnergySummary, type Report } from '../emulator/energy/index.js';
import { denseNetworkOf, meshLoadOf, RasterSampler } from '../emulator/system/report-inputs.js';
import { renderTerminal, writeReportFile } from './report/index.js';
import { ProgressBar } from './progress.js';
import { RunStreams } from '../emulator/system/streams.js';

export interface ExecutedRun {
  wallSeconds: number;
  /** Steps actually run (fewer than asked when interrupted). */
  steps: number;
  interrupted: boolean;
  raster: RasterSampler;
}

/** Steps between checks for Ctrl-C and progress redraws. */
const CHUNK = 64;

/**
 * Run `steps` steps. Ctrl-C (SIGINT) stops the loop cleanly after the current chunk of steps; what
 * was run so far is reported and written as usual.
 */
export async function executeRun(
  p: Prepared,
  steps: number,
  opts: { quiet: boolean; label: string; onStep?: (step: number) => void; run?: (steps: number, onStep: (step: number) => void) => Promise<void> },
): Promise<ExecutedRun> {
  const raster = new RasterSampler(p.emulator);
  const bar = new ProgressBar(steps, opts.label, Boolean(process.stderr.isTTY) && !opts.quiet);
  // the run's per-step streams (batched per step): the report's raster, the progress display and
  // the caller's per-step work (the trace writer) subscribe to them
  const streams = new RunStreams(p.emulator);
  const first = p.emulator.stepsDone;
  const subs = [
    streams.spikes$.subscribe((b) => raster.recordSpikes(b.step, b.neurons)),
    streams.steps$.subscribe((r) => {
      opts.onStep?.(r.step);
      bar.update(r.step - first);
    }),
  ];
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130); // a second Ctrl-C stops at once
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  const t0 = process.hrtime.bigint();
  const onStep = (s: number): void => streams.emit(s);
  try {
    for (let done = 0; done < steps && !interrupted; ) {
      const n = Math.min(CHUNK, steps - done);
      if (opts.run) await opts.run(n, onStep);
      else p.emulator.run(n, onStep);
      done += n;
      // yield to the event loop so a pending Ctrl-C is delivered between chunks
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    process.off('SIGINT', onSigint);
    for (const sub of subs) sub.unsubscribe();
    streams.complete();
    bar.finish();
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wallSeconds: wall, steps: p.emulator.stepsDone - first, interrupted, raster };
}

export interface RunReportOptions {
  energy: string;
  title: string;
  denseTask?: DenseTaskSpec;
  raster?: RasterSampler;
}

export function runReport(p: Prepared, o: RunReportOptions): Report {
  const table = loadEnergyTable(o.energy);
  const a = p.emulator.activity();
  const assumptions: string[] = [];
  if (p.emulator.noc) assumptions.push(`packet timing: ${p.emulator.noc.name} NoC model (docs/NOC.md, docs/TIMING.md)`);
  else assumptions.push('packet timing: no NoC model (arrival = injection)');
  if (p.emulator.crossbar)
    assumptions.push('crossbar-backed projections: partial sums of arrays on different tiles are added without NoC traffic; the tile of a column tile\'s first array sends its outputs (docs/PIM.md)');
  return buildReport(a, table, {
    title: o.title,
    run: p.net.name,
    denseNetwork: denseNetworkOf(p.net, a.steps),
    ...(o.denseTask ? { denseTask: o.denseTask } : {}),
    ...(o.raster ? { raster: o.raster.raster() } : {}),
    ...(meshLoadOf(p.emulator) ? { mesh: meshLoadOf(p.emulator)! } : {}),
    ...(p.emulator.crossbar ? { crossbar: p.emulator.crossbar.info() } : {}),
    assumptions,
  });
}

/** The run summary with the energy section (JSON schema aerie-run/1). */
export function summaryWithEnergy(p: Prepared, wall: number, seed: number, report: Report): RunSummary & { energy: EnergySummary; noc?: Record<string, unknown> } {
  const s = summarize(p, wall, seed);
  const noc = p.emulator.noc;
  return {
    ...s,
    energy: summarizeEnergy(report),
    ...(noc
      ? {
          noc: {
            model: noc.name,
            packet_latency_ps: noc.counters.latency.summary(),
            injection_stalls: p.emulator.injectionStalls,
            injection_stall_ps: p.emulator.injectionStallPs,
          },
        }
      : {}),
  };
}

export function writeOrPrintReport(report: Report, file: string | undefined, force: boolean, print: boolean): void {
  if (file) writeReportFile(report, file, force);
  if (print) process.stdout.write(renderTerminal(report) + '\n');
}
