/**
 * The trace side of `aerie run`: `--trace FILE [--record LIST]` records the run, `--input TRACE
 * [--bin-us N]` drives its spike sources from an event trace. run.ts spreads `traceOptions` into
 * its builder, opens a session with `startTrace(...)` before the run, passes `session.onStep` as the
 * step callback and calls `session.finish(summary)` after it.
 */
import type { Prepared } from '../emulator/index.js';
import type { NetworkSpec } from '../emulator/spec/network.js';
import { TraceRecording, RECORD_CHOICES } from '../emulator/system/recording.js';
import { InputDriver, INPUT_LAYOUTS, type InputLayout, type InputRunResult } from '../emulator/system/input.js';
import { readEventTrace } from '../emulator/trace/events.js';
import type { TraceWriteSummary } from '../emulator/trace/container.js';
import { UsageError } from './cli-support.js';

/** yargs options of `aerie run` for traces. */
export const traceOptions = {
  trace: { type: 'string', describe: 'record the run into this trace file (docs/TRACE-FORMAT.md)' },
  record: { type: 'string', describe: `what --trace records, comma-separated: ${RECORD_CHOICES.join(', ')} (default spikes; step timing is always recorded)` },
  input: { type: 'string', describe: 'drive the first spike-source population from an event trace (made by aerie import)' },
  'bin-us': { type: 'number', describe: 'with --input: event time per step in µs (default: the network dt)' },
  'input-population': { type: 'string', describe: 'with --input: the spike-source population to drive' },
  'input-layout': { type: 'string', choices: INPUT_LAYOUTS, describe: 'with --input: (x, y, p) to source index: polarity-major (p·H+y)·W+x, interleaved (y·W+x)·2+p, merged y·W+x' },
} as const;

export interface TraceArgs {
  trace?: string;
  record?: string;
  input?: string;
  'bin-us'?: number;
  'input-population'?: string;
  'input-layout'?: string;
  steps: number;
  force: boolean;
}

/** Check the trace options before anything runs (UsageError for bad combinations). */
export function checkTraceArgs(a: TraceArgs): void {
  if (a.record !== undefined && a.trace === undefined) throw new UsageError('--record needs --trace FILE');
  for (const k of ['bin-us', 'input-population', 'input-layout'] as const) if (a[k] !== undefined && a.input === undefined) throw new UsageError(`--${k} needs --input TRACE`);
  if (a['bin-us'] !== undefined && !(a['bin-us'] > 0 && Number.isFinite(a['bin-us']))) throw new UsageError(`--bin-us ${a['bin-us']}: expected a positive number of µs`);
  if (a.trace !== undefined && a.input !== undefined && a.trace === a.input) throw new UsageError('--trace and --input name the same file');
}

export interface TraceSession {
  /** Call after every step (the Emulator.run callback; pass it to executeRun's onStep). */
  readonly onStep: (step: number) => void;
  /** The run is over (also after Ctrl-C): release the input, write the trace footer with the summary. */
  finish(summary: unknown): { input?: InputRunResult; trace?: TraceWriteSummary };
  /** The run failed: release the input, leave the trace as a readable incomplete prefix. */
  abort(): void;
}

/**
 * Open what --trace and --input ask for, before the run (probes already added): the input driver
 * loads the first step's events, the recording writes its header. Then run the steps with
 * `session.onStep` as the step callback and call `finish(summary)` (or `abort()` on failure).
 */
export function startTrace(p: Prepared, spec: NetworkSpec, a: TraceArgs, networkPath?: string): TraceSession {
  checkTraceArgs(a);
  const driver =
    a.input !== undefined
      ? new InputDriver(p, readEventTrace(a.input), {
          binUs: a['bin-us'],
          steps: a.steps,
          mapping: { population: a['input-population'], layout: a['input-layout'] as InputLayout | undefined },
        })
      : undefined;
  let rec: TraceRecording | undefined;
  try {
    rec = a.trace !== undefined ? new TraceRecording(p, a.trace, a.record, { spec, networkPath, force: a.force }) : undefined;
  } catch (err) {
    driver?.finish();
    throw err;
  }
  const onStep =
    driver && rec
      ? (s: number): void => {
          driver.onStep(s);
          rec.onStep(s);
        }
      : (driver?.callback ?? rec?.callback ?? ((): void => undefined));
  return {
    onStep,
    finish: (summary) => ({ input: driver?.finish(), trace: rec?.finish({ summary }) }),
    abort: () => {
      driver?.finish();
      rec?.abandon();
    },
  };
}

/**
 * Run `a.steps` steps of a prepared emulation synchronously with --trace / --input (library use;
 * the CLI runs the steps through executeRun with `startTrace(...).onStep`). A failure mid-run leaves
 * the trace as a readable, incomplete prefix.
 */
export function runTraced(
  p: Prepared,
  spec: NetworkSpec,
  a: TraceArgs,
  networkPath?: string,
  onStep?: (step: number) => void,
): { session: TraceSession; finish(summary: unknown): { input?: InputRunResult; trace?: TraceWriteSummary } } {
  const session = startTrace(p, spec, a, networkPath);
  try {
    p.emulator.run(
      a.steps,
      onStep
        ? (s) => {
            session.onStep(s);
            onStep(s);
          }
        : session.onStep,
    );
  } catch (err) {
    session.abort();
    throw err;
  }
  return { session, finish: (summary) => session.finish(summary) };
}

/** One line about the input replay for the run's text output. */
export function formatInput(r: InputRunResult): string {
  const extra = [r.dropped ? `${r.dropped} dropped` : '', r.late ? `${r.late} late` : '', r.afterEnd ? 'events after the last step not read' : '', r.incomplete ? 'input trace incomplete: its readable prefix was used' : '']
    .filter(Boolean)
    .join(', ');
  return `  input                 ${r.events.toLocaleString('en-US')} events → ${r.spikes.toLocaleString('en-US')} spikes into '${r.population}' (${r.binUs} µs per step${extra ? '; ' + extra : ''})`;
}
