/**
 * Running one sweep point with the library, and the stored outcome of a point. The same function
 * runs in a local child process (`--jobs N`) and in a NATS worker, so both give identical results.
 */
import { archFromSpec, checkNetwork, InputError, prepare, summarize, type RunSummary } from '../../emulator/index.js';
import type { PointConfig } from './spec.js';

export const RESULT_FORMAT = 'aerie-sweep-result/1';

/** What is stored for a finished point (one file per point locally, one KV entry over NATS). */
export interface PointResult {
  format: typeof RESULT_FORMAT;
  key: string;
  /** The run summary (aerie-run/1), absent when the point failed. */
  summary?: RunSummary;
  /**
   * Why the point produced no summary. `input`: the configuration cannot run (e.g. the network
   * does not fit the architecture) — deterministic, stored like a success. `internal`: a failure
   * of aerie itself — reported, never treated as finished, so a re-run tries the point again.
   */
  error?: { kind: 'input' | 'internal'; message: string };
}

/** Run one point's configuration. Never throws: failures become `error`. */
export function runPoint(key: string, config: PointConfig): PointResult {
  try {
    const spec = checkNetwork(structuredClone(config.network), `point ${key.slice(0, 12)}`);
    const arch = archFromSpec({ preset: config.arch.preset, values: { ...config.arch.values }, overridden: {} });
    const p = prepare(spec, arch, { placement: config.placement, source: `point ${key.slice(0, 12)}` });
    const t0 = process.hrtime.bigint();
    p.emulator.run(config.steps);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    return { format: RESULT_FORMAT, key, summary: summarize(p, wall, spec.seed ?? 0) };
  } catch (err) {
    if (err instanceof InputError) return { format: RESULT_FORMAT, key, error: { kind: 'input', message: err.lines().join('; ') } };
    return { format: RESULT_FORMAT, key, error: { kind: 'internal', message: (err as Error)?.message ?? String(err) } };
  }
}

/** True when a stored result is final (a success or an input error), i.e. the point need not run again. */
export function isFinished(r: PointResult | undefined): boolean {
  return r !== undefined && (r.summary !== undefined || r.error?.kind === 'input');
}

/** Check that untrusted data (a file or a message) is a PointResult for `key`. */
export function asPointResult(data: unknown, key: string): PointResult | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const r = data as PointResult;
  if (r.format !== RESULT_FORMAT || r.key !== key) return undefined;
  if (r.summary !== undefined && (typeof r.summary !== 'object' || r.summary === null || (r.summary as { schema?: unknown }).schema !== 'aerie-run/1')) return undefined;
  if (r.summary === undefined && (typeof r.error !== 'object' || r.error === null || typeof r.error.message !== 'string')) return undefined;
  return r;
}
