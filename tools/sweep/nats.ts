/**
 * Distributed sweeps over NATS JetStream.
 *
 * - Work queue: stream `AERIE_SWEEP` (work-queue retention, file storage) on subjects
 *   `aerie.sweep.points.<key>`; each message is one point `{key, config}` published with
 *   `Nats-Msg-Id: <key>` so re-enqueueing a point within the duplicate window is a no-op.
 * - Workers pull from the durable consumer `aerie-workers` (explicit ack, ack wait configurable),
 *   one message per free job slot, and send in-progress acks while a point runs, so a live worker
 *   keeps its point and a killed one's point is redelivered after the ack wait.
 * - Results: key-value bucket `aerie_sweep_results` (history 1), key = the point's configuration
 *   hash. A worker stores a result with `create`, which succeeds only for the first writer, and acks
 *   the message only after the result is stored: every point's result is recorded exactly once,
 *   however often the point was delivered.
 */
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  nanos,
  millis,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type KV,
  type NatsConnection,
} from 'nats';
import { UsageError } from '../cli-support.js';
import { asPointResult, type PointResult } from './point.js';
import type { PointConfig } from './spec.js';

export const STREAM = 'AERIE_SWEEP';
export const SUBJECT_PREFIX = 'aerie.sweep.points';
export const CONSUMER = 'aerie-workers';
export const BUCKET = 'aerie_sweep_results';
/** Default time a worker may hold a point without an (in-progress) ack before it is redelivered. */
export const DEFAULT_ACK_WAIT_S = 30;
/** Window in which a point published twice (same key) is stored once. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface PointMessage {
  key: string;
  config: PointConfig;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Connect, or fail with one clear UsageError line (exit 2) when the server cannot be reached. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 250, pingInterval: 10_000 });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const why = e.code === 'CONNECTION_REFUSED' ? 'connection refused' : (e.message ?? String(err));
    throw new UsageError(`--nats ${url}: cannot reach a NATS server (${why})`);
  }
}

/** The JetStream handles a sweep or worker needs, creating the stream, consumer and bucket if missing. */
export interface Queue {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  kv: KV;
  ackWaitMs: number;
}

export async function openQueue(nc: NatsConnection, url: string, ackWaitS?: number): Promise<Queue> {
  let jsm: JetStreamManager;
  try {
    jsm = await nc.jetstreamManager({ timeout: 5000 });
  } catch (err) {
    throw new UsageError(`--nats ${url}: the server has no JetStream (start it with nats-server -js): ${(err as Error).message}`);
  }
  try {
    await jsm.streams.info(STREAM);
  } catch {
    await jsm.streams.add({
      name: STREAM,
      subjects: [`${SUBJECT_PREFIX}.*`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    });
  }
  let ackWaitMs: number;
  try {
    const ci = await jsm.consumers.info(STREAM, CONSUMER);
    ackWaitMs = millis(ci.config.ack_wait ?? nanos(DEFAULT_ACK_WAIT_S * 1000));
    if (ackWaitS !== undefined && ackWaitMs !== ackWaitS * 1000) {
      await jsm.consumers.update(STREAM, CONSUMER, { ack_wait: nanos(ackWaitS * 1000) });
      ackWaitMs = ackWaitS * 1000;
    }
  } catch (err) {
    if (!/consumer not found/i.test((err as Error).message)) throw err;
    ackWaitMs = (ackWaitS ?? DEFAULT_ACK_WAIT_S) * 1000;
    await jsm.consumers.add(STREAM, {
      durable_name: CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ackWaitMs),
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: -1,
    });
  }
  // short request timeouts: a request lost in a server restart is retried instead of waited out
  const js = nc.jetstream({ timeout: 2000 });
  const kv = await js.views.kv(BUCKET, { history: 1 });
  return { nc, js, jsm, kv, ackWaitMs };
}

/** The stored result for a key, or undefined (absent, deleted or not a valid result). */
export async function getResult(kv: KV, key: string): Promise<PointResult | undefined> {
  const e = await kv.get(key);
  if (!e || e.operation !== 'PUT' || e.value.length === 0) return undefined;
  try {
    return asPointResult(JSON.parse(dec.decode(e.value)), key);
  } catch {
    return undefined;
  }
}

/** Store a result unless one is stored already. Returns true if this call stored it. */
export async function putResultOnce(kv: KV, r: PointResult): Promise<boolean> {
  try {
    await kv.create(r.key, enc.encode(JSON.stringify(r)));
    return true;
  } catch (err) {
    // `create` fails with "wrong last sequence" when the key already holds a value: someone else
    // recorded this point first, which is the idempotent outcome we want.
    if (/wrong last sequence|key exists/i.test((err as Error).message)) return false;
    throw err;
  }
}

export function pointSubject(key: string): string {
  return `${SUBJECT_PREFIX}.${key}`;
}

/** Publish a point (deduplicated by key within the stream's duplicate window). */
export async function enqueuePoint(q: Queue, m: PointMessage): Promise<void> {
  const data = enc.encode(JSON.stringify(m));
  const max = q.nc.info?.max_payload ?? Infinity;
  if (data.length > max)
    throw new UsageError(
      `point ${m.key.slice(0, 12)}: its configuration is ${data.length} bytes, more than the server's max_payload of ${max}; raise max_payload in the nats-server configuration or run this sweep locally`,
    );
  await q.js.publish(pointSubject(m.key), data, { msgID: m.key, timeout: 10_000 });
}

export function decodePointMessage(data: Uint8Array): PointMessage | undefined {
  try {
    const m = JSON.parse(dec.decode(data)) as PointMessage;
    if (typeof m?.key !== 'string' || !/^[0-9a-f]{64}$/.test(m.key) || m.config === null || typeof m.config !== 'object') return undefined;
    return m;
  } catch {
    return undefined;
  }
}

/** Retry an operation that may fail while the server is restarting, until it succeeds or `deadline`. */
export async function retrying<T>(what: string, op: () => Promise<T>, deadlineMs = Date.now() + 120_000): Promise<T> {
  let wait = 100;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (err instanceof UsageError || Date.now() + wait > deadlineMs) throw new Error(`${what}: ${(err as Error).message}`);
      await sleep(wait);
      wait = Math.min(wait * 2, 2000);
    }
  }
}
