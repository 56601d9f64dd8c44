/**
 * Process shards over NATS (core publish/subscribe, in-order per connection): the coordinator and
 * its shards may run on different hosts. Subjects of run ID:
 *   aerie.shard.ID.up.K    shard K → coordinator
 *   aerie.shard.ID.down.K  coordinator → shard K
 * Messages are msgpack (typed arrays kept as typed arrays) and split into frames that fit the
 * server's max_payload (frame header: u32 frame index, u32 frame count), so a large recipe or a
 * large step part crosses a server with the default 1 MB limit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from 'nats';
import { Packr } from 'msgpackr';
import { InputError } from '../errors.js';
import type { CoordinatorChannel, ShardProcessMessage, ShardSideChannel } from './shard-channel.js';

const packr = new Packr({ moreTypes: true });
const SUBJECT = 'aerie.shard';

/** Connect, or one clear line (exit 2) when the server cannot be reached. */
export async function connectShardNats(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new InputError('--nats', [{ where: url, message: `cannot reach a NATS server (${e.code === 'CONNECTION_REFUSED' ? 'connection refused' : (e.message ?? String(err))})` }]);
  }
}

/** Sends messages as frames of at most the server's max_payload, and puts them back together. */
export class Framer {
  private readonly frame: number;
  private parts: Uint8Array[] = [];

  constructor(nc: Pick<NatsConnection, 'info'>) {
    this.frame = Math.max(1024, (nc.info?.max_payload ?? 1 << 20) - 1024);
  }

  encode(m: ShardProcessMessage): Uint8Array[] {
    const body = packr.pack(m);
    const n = Math.max(1, Math.ceil(body.byteLength / this.frame));
    const out: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const piece = body.subarray(i * this.frame, Math.min(body.byteLength, (i + 1) * this.frame));
      const f = new Uint8Array(8 + piece.byteLength);
      const dv = new DataView(f.buffer);
      dv.setUint32(0, i, true);
      dv.setUint32(4, n, true);
      f.set(piece, 8);
      out.push(f);
    }
    return out;
  }

  /** Take one frame; returns the message when it was the last of its message. */
  decode(f: Uint8Array): ShardProcessMessage | undefined {
    const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
    const i = dv.getUint32(0, true);
    const n = dv.getUint32(4, true);
    if (i !== this.parts.length) throw new Error(`NATS shard message: frame ${i} of ${n} arrived out of order`);
    this.parts.push(f.subarray(8));
    if (i + 1 < n) return undefined;
    const len = this.parts.reduce((s, p) => s + p.byteLength, 0);
    const body = new Uint8Array(len);
    let o = 0;
    for (const p of this.parts) {
      body.set(p, o);
      o += p.byteLength;
    }
    this.parts = [];
    return packr.unpack(body) as ShardProcessMessage;
  }
}

/**
 * The coordinator's side. With `launch`, it forks the shards on this host (the same entry as IPC
 * shards, told to use NATS); without, it waits for shards started elsewhere with `aerie shard`.
 */
export async function natsCoordinatorChannel(url: string, runId: string, shards: number, launch?: { file: string; execArgv: string[] }): Promise<CoordinatorChannel> {
  const nc = await connectShardNats(url, `aerie-shard-coordinator-${runId}`);
  const framers = new Map<number, Framer>();
  let onMessage: ((k: number, m: ShardProcessMessage) => void) | undefined;
  const lostCbs: ((k: number, why: string) => void)[] = [];
  const hellos = new Set<number>();
  let helloWaiter: (() => void) | undefined;
  const out = new Framer(nc);
  const sub = nc.subscribe(`${SUBJECT}.${runId}.up.*`);
  void (async () => {
    for await (const msg of sub) {
      const k = Number(msg.subject.slice(msg.subject.lastIndexOf('.') + 1));
      if (!(k >= 1 && k < shards)) {
        // a shard started with an index this run does not have: tell it, so it does not wait forever
        if (Number.isInteger(k) && k >= 0)
          for (const f of out.encode({ cmd: 'reject', why: `run ${runId} has shards 1…${shards - 1} (0 is the coordinator); index ${k} is not one of them` }))
            nc.publish(`${SUBJECT}.${runId}.down.${k}`, f);
        continue;
      }
      let fr = framers.get(k);
      if (!fr) framers.set(k, (fr = new Framer(nc)));
      const m = fr.decode(msg.data);
      if (!m) continue;
      if ('hello' in m) {
        hellos.add(k);
        if (hellos.size === shards - 1) helloWaiter?.();
      } else onMessage?.(k, m);
    }
  })();
  await nc.flush();
  const children: ChildProcess[] = [];
  if (launch)
    for (let k = 1; k < shards; k++) {
      const ch = fork(launch.file, ['--nats', url, '--run', runId, '--index', String(k)], { execArgv: launch.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      ch.on('exit', (code, signal) => {
        if (code !== 0 || signal) for (const cb of lostCbs) cb(k, `stopped (${signal ?? `exit code ${code}`})`);
      });
      children.push(ch);
    }
  return {
    send(k, m) {
      for (const f of out.encode(m)) nc.publish(`${SUBJECT}.${runId}.down.${k}`, f);
    },
    onMessage(cb) {
      onMessage = cb;
    },
    onLost(cb) {
      lostCbs.push(cb);
    },
    ready() {
      if (hellos.size === shards - 1) return Promise.resolve();
      return new Promise<void>((resolve) => (helloWaiter = resolve));
    },
    async close() {
      for (let k = 1; k < shards; k++) for (const f of out.encode({ cmd: 'close' })) nc.publish(`${SUBJECT}.${runId}.down.${k}`, f);
      await nc.flush().catch(() => undefined);
      await Promise.all(
        children.map(
          (ch) =>
            new Promise<void>((resolve) => {
              if (ch.exitCode !== null || ch.signalCode !== null) return resolve();
              const t = setTimeout(() => ch.kill(), 2000);
              ch.once('exit', () => {
                clearTimeout(t);
                resolve();
              });
            }),
        ),
      );
      await nc.drain().catch(() => undefined);
    },
  };
}

/** A shard's side over NATS (shard `index` of run `runId`). */
export async function natsShardChannel(url: string, runId: string, index: number): Promise<ShardSideChannel> {
  const nc = await connectShardNats(url, `aerie-shard-${runId}-${index}`);
  const fr = new Framer(nc);
  const out = new Framer(nc);
  let onMessage: ((m: ShardProcessMessage) => void) | undefined;
  const closeCbs: ((why?: string) => void)[] = [];
  let why: string | undefined;
  const sub = nc.subscribe(`${SUBJECT}.${runId}.down.${index}`);
  void (async () => {
    for await (const msg of sub) {
      const m = fr.decode(msg.data);
      if (!m) continue;
      if ('cmd' in m && m.cmd === 'close') break;
      if ('cmd' in m && m.cmd === 'reject') {
        why = m.why;
        break;
      }
      onMessage?.(m);
    }
    await nc.drain().catch(() => undefined);
  })();
  void nc.closed().then(() => {
    for (const cb of closeCbs) cb(why);
  });
  await nc.flush();
  return {
    send(m) {
      for (const f of out.encode(m)) nc.publish(`${SUBJECT}.${runId}.up.${index}`, f);
    },
    onMessage(cb) {
      onMessage = cb;
    },
    onClose(cb) {
      closeCbs.push(cb);
    },
    close() {
      void nc.close().catch(() => undefined);
    },
  };
}
