/**
 * The NATS worker loop (`aerie worker --nats URL`): pull a point, skip it if its result is already
 * recorded, run it in a child process while sending in-progress acks, record the result once,
 * then ack. Nothing is acked before its result is stored, so a worker killed at any moment loses
 * nothing: the point is redelivered after the ack wait.
 */
import { hashJson } from '../../emulator/trace/hash.js';
import { PointPool } from './pool.js';
import { aerieVersion } from './spec.js';
import { connectNats, CONSUMER, decodePointMessage, getResult, openQueue, putResultOnce, retrying, sleep, STREAM, type Queue } from './nats.js';
import type { Consumer, JsMsg } from 'nats';

export interface WorkerOptions {
  url: string;
  jobs: number;
  /** Exit after this many seconds without a point it can run (0 = run until stopped). */
  idleExitS: number;
  log: (line: string) => void;
}

export interface WorkerStats {
  ran: number;
  skipped: number;
  rejected: number;
}

export async function runWorker(opts: WorkerOptions): Promise<WorkerStats> {
  const nc = await connectNats(opts.url, `aerie-worker-${process.pid}`);
  const q = await retrying('opening the work queue', () => openQueue(nc, opts.url));
  const pool = new PointPool(opts.jobs);
  const stats: WorkerStats = { ran: 0, skipped: 0, rejected: 0 };
  let stopping = false;
  let lastWork = Date.now();
  const stop = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    opts.log('worker: stopping after the points in hand (signal again to quit now)');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  opts.log(`worker: connected to ${opts.url}, ${opts.jobs} job${opts.jobs === 1 ? '' : 's'}, ack wait ${q.ackWaitMs / 1000} s`);

  const slot = async (): Promise<void> => {
    let c: Consumer | undefined;
    while (!stopping) {
      if (opts.idleExitS > 0 && Date.now() - lastWork > opts.idleExitS * 1000) return;
      let m: JsMsg | null;
      try {
        c ??= await q.js.consumers.get(STREAM, CONSUMER);
        m = await c.next({ expires: 2000 });
      } catch {
        c = undefined;
        await sleep(500); // server restarting or consumer being recreated: try again
        continue;
      }
      if (!m) continue;
      // only points this worker can take count as work for --idle-exit
      if (await handle(q, m, pool, stats, opts.log)) lastWork = Date.now();
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.jobs }, slot));
  } finally {
    pool.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await nc.drain().catch(() => undefined);
  }
  opts.log(`worker: done (${stats.ran} points run, ${stats.skipped} already recorded, ${stats.rejected} rejected)`);
  return stats;
}

/** Handle one message; true when it was a point for this worker (run, or already recorded). */
async function handle(q: Queue, m: JsMsg, pool: PointPool, stats: WorkerStats, log: (s: string) => void): Promise<boolean> {
  const point = decodePointMessage(m.data);
  if (!point || hashJson(point.config) !== point.key) {
    // not a point, or its configuration does not match its key: never retry it
    log(`worker: rejected a malformed message on ${m.subject}`);
    stats.rejected++;
    m.term();
    return false;
  }
  const short = point.key.slice(0, 12);
  if (point.config.aerie !== aerieVersion()) {
    // results must come from the version that resolved the point: leave it for a matching worker
    log(`worker: point ${short} is for aerie ${point.config.aerie}, this worker is ${aerieVersion()}; leaving it for another worker`);
    m.nak(5000);
    return false;
  }
  const known = await getResult(q.kv, point.key).catch(() => undefined);
  if (known) {
    stats.skipped++;
    await m.ackAck().catch(() => undefined);
    log(`worker: point ${short} already recorded, acked`);
    return true;
  }
  log(`worker: point ${short} running (delivery ${m.info.redeliveryCount})`);
  const beat = setInterval(() => m.working(), Math.max(100, Math.min(1000, Math.floor(q.ackWaitMs / 3))));
  const t0 = Date.now();
  let stored = false;
  try {
    const r = await pool.run(point.key, point.config);
    // keep the point (in-progress acks) until its result is stored; then ack
    stored = await retrying(`storing the result of point ${short}`, () => putResultOnce(q.kv, r));
    stats.ran++;
    await retrying(`acking point ${short}`, () => m.ackAck());
    log(`worker: point ${short} ${r.error ? `failed (${r.error.kind}: ${r.error.message})` : 'done'} in ${((Date.now() - t0) / 1000).toFixed(2)} s${stored ? '' : ' (result was already recorded)'}`);
  } catch (err) {
    // could not store or ack (server gone for long): leave the message to be redelivered
    log(`worker: point ${short}: ${(err as Error).message}; it will be redelivered`);
  } finally {
    clearInterval(beat);
  }
  return true;
}
