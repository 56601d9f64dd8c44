/**
 * The two ways shards meet each step (emulator/system/shard.ts):
 *
 * - SharedMemoryLink — shards are worker threads of one process. Every shard's part lives in a
 *   SharedArrayBuffer; a shard writes its own part, all meet at a barrier (Atomics: a generation
 *   counter, a short spin, then Atomics.wait), and read the others' parts in place.
 * - HubLink — shards are processes (one host or several). Each shard sends its packed part to a hub
 *   (the coordinating shard), which answers with every shard's parts once all have arrived. The
 *   transport (Node IPC, NATS) is a plug-in: anything that sends a byte buffer and delivers the
 *   answers in order.
 */
import { copyPart, StepPart, type ShardLink, type ShardRange } from './shard.js';

/** Control words of the shared barrier. */
const CTL_ARRIVED = 0;
const CTL_GENERATION = 1;
const CTL_ABORT = 2;
const CTL_WORDS = 4;
/** Spins on the generation word before sleeping in Atomics.wait (threads ≤ cores: a wake-up costs more than a short spin). */
const SPIN = 4000;

/**
 * Shared buffers of a thread-sharded run, made by the coordinator and sent to every worker. Parts
 * are double-buffered by step parity: a shard writes step t + 1's part while a slower one may still
 * read step t's, and no shard can reach step t + 2 before every shard has passed step t + 1's barrier.
 */
export interface SharedShardBuffers {
  /** Int32 control words, then per parity and shard [packets, spikes] (Int32) — see the CTL_ constants. */
  control: SharedArrayBuffer;
  /** Per parity and shard: its part (StepPart layout) with its capacities. */
  parts: { buffer: SharedArrayBuffer; packets: number; spikes: number; cores: number }[][];
}

export function allocateSharedShardBuffers(capacities: { packets: number; spikes: number; cores: number }[]): SharedShardBuffers {
  return {
    control: new SharedArrayBuffer(4 * (CTL_WORDS + 2 * 2 * capacities.length)),
    parts: [0, 1].map(() => capacities.map((c) => ({ buffer: new SharedArrayBuffer(Math.max(8, StepPart.bytesFor(c.packets, c.spikes, c.cores))), ...c }))),
  };
}

export class ShardAbort extends Error {}

export class SharedMemoryLink implements ShardLink {
  private readonly ctl: Int32Array;
  private readonly parts: StepPart[][];
  private readonly n: number;

  constructor(
    readonly range: ShardRange,
    bufs: SharedShardBuffers,
  ) {
    this.ctl = new Int32Array(bufs.control);
    this.parts = bufs.parts.map((row) => row.map((p) => new StepPart(p.packets, p.spikes, p.cores, p.buffer)));
    this.n = bufs.parts[0].length;
  }

  exchange(step: number, own: StepPart): readonly StepPart[] {
    const s = this.range.index;
    const parity = step & 1;
    const parts = this.parts[parity];
    const counts = CTL_WORDS + parity * 2 * this.n;
    copyPart(own, parts[s]);
    Atomics.store(this.ctl, counts + 2 * s, own.packets);
    Atomics.store(this.ctl, counts + 2 * s + 1, own.spikes);
    this.barrier();
    for (let k = 0; k < this.n; k++) {
      parts[k].packets = Atomics.load(this.ctl, counts + 2 * k);
      parts[k].spikes = Atomics.load(this.ctl, counts + 2 * k + 1);
    }
    return parts;
  }

  /** Tell every shard to stop (a shard failed); blocked shards throw ShardAbort. */
  abort(): void {
    Atomics.store(this.ctl, CTL_ABORT, 1);
    Atomics.add(this.ctl, CTL_GENERATION, 1);
    Atomics.notify(this.ctl, CTL_GENERATION);
  }

  /** A generation barrier: the last shard to arrive resets the count and bumps the generation. */
  private barrier(): void {
    const ctl = this.ctl;
    const gen = Atomics.load(ctl, CTL_GENERATION);
    if (Atomics.load(ctl, CTL_ABORT)) throw new ShardAbort('another shard failed');
    if (Atomics.add(ctl, CTL_ARRIVED, 1) === this.n - 1) {
      Atomics.store(ctl, CTL_ARRIVED, 0);
      Atomics.add(ctl, CTL_GENERATION, 1);
      Atomics.notify(ctl, CTL_GENERATION);
    } else {
      let spins = 0;
      while (Atomics.load(ctl, CTL_GENERATION) === gen) {
        if (++spins > SPIN) Atomics.wait(ctl, CTL_GENERATION, gen, 50);
      }
    }
    if (Atomics.load(ctl, CTL_ABORT)) throw new ShardAbort('another shard failed');
  }
}

/** The byte transport under a HubLink: send one message to the hub, receive the hub's answers in order. */
export interface HubTransport {
  send(kind: 'part', step: number, bytes: Uint8Array): void;
  /** The hub's next answer: every shard's packed part in shard order. */
  receive(): Promise<Uint8Array[]>;
}

/** A non-coordinating shard's side of a hub: send own part, wait for all parts. */
export class HubLink implements ShardLink {
  constructor(
    readonly range: ShardRange,
    private readonly transport: HubTransport,
  ) {}

  async exchange(step: number, own: StepPart): Promise<readonly StepPart[]> {
    this.transport.send('part', step, own.pack());
    const all = await this.transport.receive();
    return all.map((b) => StepPart.unpack(b));
  }
}

/** The hub's view of the other shards: per shard, its next message. */
export interface HubPeers {
  /** Next packed part of shard k (k ≥ 1). */
  next(k: number): Promise<Uint8Array>;
  /** Send the answer to every other shard. */
  broadcast(answer: Uint8Array[]): void;
}

/** The coordinating shard (index 0): gathers every part, answers all. */
export class HubRootLink implements ShardLink {
  constructor(
    readonly range: ShardRange,
    private readonly peers: HubPeers,
  ) {}

  async exchange(_step: number, own: StepPart): Promise<readonly StepPart[]> {
    const packed: Uint8Array[] = [own.pack()];
    for (let k = 1; k < this.range.count; k++) packed.push(await this.peers.next(k));
    this.peers.broadcast(packed);
    return packed.map((b, k) => (k === 0 ? own : StepPart.unpack(b)));
  }
}
