/**
 * What a process shard does (whatever carries its messages): `init` builds its engine from the
 * recipe, `run` steps its range of cores — each step its packed part goes to the coordinator, which
 * answers with every part — and `counters` sends back what it counted. Used by the forked entry
 * (shard-process.ts) and by `aerie shard` joining a run over NATS from another host.
 */
import { buildShard, faultCheck } from './cluster.js';
import { HubLink, type HubTransport } from './shard-links.js';
import type { Emulator } from './emulator.js';
import type { ShardSideChannel } from './shard-channel.js';
import { InputError } from '../errors.js';

/** Serve one shard over `channel` until the coordinator closes it; resolves then. */
export function serveShard(channel: ShardSideChannel, hello?: number, opts: { joinTimeoutMs?: number; runId?: string } = {}): Promise<void> {
  const answers: Uint8Array[][] = [];
  let waiting: ((parts: Uint8Array[]) => void) | undefined;
  const transport: HubTransport = {
    send(kind, step, bytes) {
      channel.send({ kind, step, bytes });
    },
    receive() {
      if (answers.length) return Promise.resolve(answers.shift()!);
      return new Promise((resolve) => (waiting = resolve));
    },
  };
  let emulator: Emulator | undefined;
  let onStep: ((step: number) => void) | undefined;
  const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  // control messages run one after the other (a `run` may span many answers)
  let queue = Promise.resolve();
  channel.onMessage((m) => {
    if ('cmd' in m && m.cmd === 'answer') {
      const w = waiting;
      if (w) {
        waiting = undefined;
        w(m.parts);
      } else answers.push(m.parts);
      return;
    }
    queue = queue.then(async () => {
      try {
        if (!('cmd' in m)) return;
        if (m.cmd === 'init') {
          emulator = buildShard(m.recipe, new HubLink(m.range, transport)).emulator;
          onStep = faultCheck(m.recipe, m.range);
          channel.send({ ready: true });
        } else if (m.cmd === 'run') {
          await emulator!.runAsync(m.steps, onStep);
          channel.send({ ran: emulator!.stepsDone });
        } else if (m.cmd === 'counters') channel.send({ counters: emulator!.exportCounters() });
      } catch (e) {
        channel.send({ error: message(e) });
      }
    });
  });
  if (hello !== undefined) channel.send({ hello });
  return new Promise((resolve, reject) => {
    // a shard that joins by itself (aerie shard) gives up when no coordinator takes it in time
    const ms = opts.joinTimeoutMs;
    const timer = ms
      ? setTimeout(() => {
          if (emulator) return;
          reject(new InputError('--run', [{ where: opts.runId ?? '?', message: `no coordinator took this shard within ${ms / 1000} s (is \`aerie run … --shards N --nats URL --external-shards --shard-run ${opts.runId ?? 'ID'}\` running?)` }]));
          channel.close();
        }, ms)
      : undefined;
    channel.onClose((why) => {
      clearTimeout(timer);
      if (why) reject(new InputError('--index', [{ where: String(hello ?? '?'), message: why }]));
      else resolve();
    });
  });
}
