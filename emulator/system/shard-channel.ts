/**
 * Message channels between the coordinator of a process-sharded run and its shards
 * (emulator/system/cluster.ts startProcessShards). The messages are the same whatever carries
 * them: Node IPC to child processes on this host (this file), or NATS subjects to processes on any
 * host (shard-nats.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ShardCounters, ShardRange } from './shard.js';
import type { ShardRecipe } from './cluster.js';

/** What a process shard and the coordinator say to each other. */
export type ShardProcessMessage =
  | { cmd: 'init'; recipe: ShardRecipe; range: ShardRange }
  | { cmd: 'run'; steps: number }
  | { cmd: 'counters' }
  | { cmd: 'answer'; parts: Uint8Array[] }
  | { cmd: 'close' }
  | { cmd: 'reject'; why: string }
  | { hello: number }
  | { ready: true }
  | { ran: number }
  | { counters: ShardCounters }
  | { error: string }
  | { kind: 'part'; step: number; bytes: Uint8Array };

/** The coordinator's side: one channel to every other shard (k = 1 … count − 1). */
export interface CoordinatorChannel {
  send(k: number, m: ShardProcessMessage): void;
  /** Messages from shard k, in the order it sent them. */
  onMessage(cb: (k: number, m: ShardProcessMessage) => void): void;
  /** Shard k is gone (its process ended, or the transport lost it). */
  onLost(cb: (k: number, why: string) => void): void;
  /** Wait until every shard can receive (a shard says hello when it listens). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** A shard's side: one channel to the coordinator. */
export interface ShardSideChannel {
  send(m: ShardProcessMessage): void;
  onMessage(cb: (m: ShardProcessMessage) => void): void;
  /** The coordinator has gone (or refused this shard: `why`): the shard exits. */
  onClose(cb: (why?: string) => void): void;
  /** Leave (this shard gives up). */
  close(): void;
}

/** Child processes on this host, over Node IPC (structured clone: typed arrays cross as they are). */
export class IpcCoordinatorChannel implements CoordinatorChannel {
  private readonly children: ChildProcess[];

  constructor(file: string, execArgv: string[], shards: number) {
    this.children = Array.from({ length: shards - 1 }, () => fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  send(k: number, m: ShardProcessMessage): void {
    const ch = this.children[k - 1];
    if (ch.connected) ch.send(m);
  }

  onMessage(cb: (k: number, m: ShardProcessMessage) => void): void {
    this.children.forEach((ch, i) => ch.on('message', (m: ShardProcessMessage) => cb(i + 1, m)));
  }

  onLost(cb: (k: number, why: string) => void): void {
    this.children.forEach((ch, i) =>
      ch.on('exit', (code, signal) => {
        if (code !== 0 || signal) cb(i + 1, `stopped (${signal ?? `exit code ${code}`})`);
      }),
    );
  }

  async ready(): Promise<void> {
    // IPC is open from the fork on
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (ch) =>
          new Promise<void>((resolve) => {
            if (ch.exitCode !== null || ch.signalCode !== null) return resolve();
            ch.once('exit', () => resolve());
            if (ch.connected) ch.disconnect();
            ch.kill();
          }),
      ),
    );
  }
}

/** The shard side over Node IPC (this process was forked by the coordinator). */
export class IpcShardChannel implements ShardSideChannel {
  send(m: ShardProcessMessage): void {
    process.send!(m);
  }
  onMessage(cb: (m: ShardProcessMessage) => void): void {
    process.on('message', (m: ShardProcessMessage) => cb(m));
  }
  onClose(cb: () => void): void {
    process.on('disconnect', cb);
  }
  close(): void {
    if (process.connected) process.disconnect();
  }
}
