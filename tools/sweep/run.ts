/**
 * Running a sweep: locally (in this process for one job, else a pool of child processes) or by
 * enqueueing its points on NATS JetStream and collecting what the workers record. Either way,
 * finished points already in the output folder are not run again, every finished point is stored
 * there as it arrives, and the tables and report are rebuilt from the stored points at the end.
 */
import * as path from 'node:path';
import { UsageError } from '../cli-support.js';
import { isFinished, runPoint, type PointResult } from './point.js';
import { PointPool } from './pool.js';
import { connectNats, enqueuePoint, getResult, openQueue, retrying, sleep } from './nats.js';
import type { NatsConnection } from 'nats';
import { SweepStore } from './store.js';
import { buildTable, tableCsv, tableJson, type SweepTable } from './table.js';
import { sweepHtml } from './html.js';
import type { Sweep, SweepPoint } from './spec.js';

export interface SweepRunOptions {
  out: string;
  force: boolean;
  jobs: number;
  /** NATS server URL: enqueue the points for `aerie worker`s instead of running them here. */
  nats?: string;
  /** Ack wait for the work-queue consumer (seconds), set when creating or updating it. */
  ackWaitS?: number;
  /** Give up waiting for workers after this many seconds (0 = wait as long as it takes). */
  timeoutS: number;
  /** Progress and status lines (stderr); a no-op with --quiet. */
  progress: Progress;
}

export interface SweepOutcome {
  table: SweepTable;
  files: string[];
  points: number;
  /** Points found finished in the output folder (or, over NATS, already recorded on the server). */
  reused: number;
  /** Points run by this sweep (locally or by workers). */
  ran: number;
  /** Points that failed inside aerie (not stored; a re-run retries them). */
  internalFailures: number;
  /** Points still without a result (only when --timeout ran out). */
  pending: number;
  wallS: number;
}

/** Progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export class Progress {
  private last = 0;
  private drawn = false;
  constructor(
    private readonly enabled: boolean,
    private readonly tty = Boolean(process.stderr.isTTY),
  ) {}
  note(line: string): void {
    if (!this.enabled) return;
    this.clear();
    process.stderr.write(line + '\n');
  }
  update(done: number, total: number, t0: number, extra = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < (this.tty ? 200 : 5000) && done < total) return;
    this.last = now;
    const rate = done / Math.max(1e-3, (now - t0) / 1000);
    const line = `sweep: ${done}/${total} points  ${rate.toFixed(rate >= 10 ? 0 : 2)} points/s${extra}`;
    if (this.tty) {
      process.stderr.write('\r' + line + '\x1b[K');
      this.drawn = true;
    } else process.stderr.write(line + '\n');
  }
  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

export async function runSweep(sweep: Sweep, opts: SweepRunOptions): Promise<SweepOutcome> {
  const t0 = Date.now();
  // reach the server before touching the output folder, so an unreachable server changes nothing
  const nc = opts.nats ? await connectNats(opts.nats, `aerie-sweep-${process.pid}`) : undefined;
  try {
    return await sweepWith(sweep, opts, t0, nc);
  } finally {
    await nc?.drain().catch(() => undefined);
  }
}

async function sweepWith(sweep: Sweep, opts: SweepRunOptions, t0: number, nc: NatsConnection | undefined): Promise<SweepOutcome> {
  const store = new SweepStore(opts.out);
  store.open(sweep, opts.force);
  const results = new Map<string, PointResult>();
  const todo: SweepPoint[] = [];
  const queued = new Set<string>();
  for (const p of sweep.points) {
    const r = store.get(p.key);
    if (r) results.set(p.key, r);
    else if (!queued.has(p.key)) {
      // points with identical configurations (same key) run once
      queued.add(p.key);
      todo.push(p);
    }
  }
  const reusedLocal = sweep.points.length - todo.length;
  const outcome = { reused: 0, ran: 0, internalFailures: 0, pending: 0 };
  if (todo.length) opts.progress.note(`sweep ${sweep.name}: ${sweep.points.length} points, ${todo.length} to run${opts.nats ? ` through ${opts.nats}` : ` with ${Math.min(opts.jobs, todo.length)} job${opts.jobs === 1 ? '' : 's'}`}`);
  const accept = (r: PointResult): void => {
    results.set(r.key, r);
    if (isFinished(r)) store.put(r);
    else outcome.internalFailures++;
  };
  if (todo.length === 0) {
    // nothing to run
  } else if (nc) {
    Object.assign(outcome, await viaNats(nc, todo, opts, accept));
  } else if (opts.jobs === 1) {
    let done = 0;
    for (const p of todo) {
      accept(runPoint(p.key, p.config));
      done++;
      outcome.ran++;
      opts.progress.update(done, todo.length, t0);
    }
  } else {
    const pool = new PointPool(opts.jobs);
    let done = 0;
    try {
      await Promise.all(
        todo.map((p) =>
          pool.run(p.key, p.config).then((r) => {
            accept(r);
            done++;
            outcome.ran++;
            opts.progress.update(done, todo.length, t0);
          }),
        ),
      );
    } finally {
      pool.close();
    }
  }
  opts.progress.clear();
  const table = buildTable(sweep, results);
  const files = [
    store.writeOutput('results.json', tableJson(table)),
    store.writeOutput('results.csv', tableCsv(table)),
    store.writeOutput('report.html', sweepHtml(table)),
  ].map((f) => path.relative(process.cwd(), f) || f);
  return { table, files, points: sweep.points.length, reused: reusedLocal + outcome.reused, ran: outcome.ran, internalFailures: outcome.internalFailures, pending: outcome.pending, wallS: (Date.now() - t0) / 1000 };
}

/** Enqueue unfinished points and collect their results from the result bucket. */
async function viaNats(
  nc: NatsConnection,
  todo: SweepPoint[],
  opts: SweepRunOptions,
  accept: (r: PointResult) => void,
): Promise<{ reused: number; ran: number; pending: number }> {
  const url = opts.nats!;
  const q = await openQueue(nc, url, opts.ackWaitS);
  const t0 = Date.now();
  let reused = 0;
  let ran = 0;
  const pending = new Map<string, SweepPoint>();
  for (const p of todo) {
    const known = await retrying('reading the result bucket', () => getResult(q.kv, p.key));
    if (known && isFinished(known)) {
      accept(known);
      reused++;
      continue;
    }
    // an internal failure recorded by an earlier sweep is cleared so the point is tried again
    if (known) await retrying('clearing an old failure', () => q.kv.delete(p.key));
    await retrying('enqueueing a point', () => enqueuePoint(q, { key: p.key, config: p.config }));
    pending.set(p.key, p);
  }
  if (reused) opts.progress.note(`sweep: ${reused} points already recorded on the server`);
  opts.progress.note(`sweep: ${pending.size} points enqueued; waiting for workers (aerie worker --nats ${url})`);
  const total = pending.size;
  while (pending.size) {
    if (opts.timeoutS > 0 && Date.now() - t0 > opts.timeoutS * 1000) break;
    const keys = [...pending.keys()];
    for (let i = 0; i < keys.length; i += 128) {
      const batch = keys.slice(i, i + 128);
      const got = await Promise.all(batch.map((k) => getResult(q.kv, k).catch(() => undefined)));
      for (let j = 0; j < batch.length; j++) {
        const r = got[j];
        if (!r) continue;
        pending.delete(batch[j]);
        accept(r);
        ran++;
        if (!isFinished(r)) await q.kv.delete(r.key).catch(() => undefined);
      }
    }
    opts.progress.update(total - pending.size, total, t0);
    if (pending.size) await sleep(200);
  }
  if (pending.size) opts.progress.note(`sweep: gave up after --timeout ${opts.timeoutS} s with ${pending.size} points still pending (are workers running?)`);
  return { reused, ran, pending: pending.size };
}

export function checkJobs(jobs: number): void {
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError(`--jobs ${jobs}: expected a whole number from 1 to 256`);
}
