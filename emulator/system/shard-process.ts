/**
 * Entry of a process shard forked by the coordinator (emulator/system/cluster.ts): over Node IPC,
 * or — with `--nats URL --run ID --index K` — over NATS (shard-nats.ts). Exits when the coordinator
 * goes away.
 */
import { serveShard } from './shard-serve.js';
import { IpcShardChannel } from './shard-channel.js';
import { natsShardChannel } from './shard-nats.js';

// Ctrl-C in a terminal reaches the whole process group: the coordinator stops the run cleanly
// (after the current steps, gathering every shard's counters), so a shard must not die of it
process.on('SIGINT', () => undefined);

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const url = arg('--nats');
if (url) {
  const index = Number(arg('--index'));
  const ch = await natsShardChannel(url, arg('--run')!, index);
  await serveShard(ch, index);
  process.exit(0);
} else {
  await serveShard(new IpcShardChannel());
  process.exit(0);
}
