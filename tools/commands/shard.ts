/** `aerie shard --nats URL --run ID --index K` — serve one shard of a board sharded over hosts (docs/SCALE-OUT.md). */
import type { CommandModule } from 'yargs';
import { commonOptions, runCommand, UsageError } from '../cli-support.js';
import { MAX_SHARDS } from '../../emulator/system/cluster.js';

interface ShardArgs {
  nats: string;
  run: string;
  index: number;
  wait: number;
  debug: boolean;
  quiet: boolean;
}

export const command: CommandModule<object, ShardArgs> = {
  command: 'shard',
  describe: 'serve one shard of a run started elsewhere with aerie run --shards N --nats URL --external-shards',
  builder: (y) =>
    y
      .option('nats', { type: 'string', demandOption: true, describe: 'the NATS server the coordinator uses, e.g. nats://10.0.0.5:4222' })
      .option('run', { type: 'string', demandOption: true, describe: 'the run id the coordinator printed' })
      .option('index', { type: 'number', demandOption: true, describe: `this shard's index, 1 … N−1 (the coordinator is shard 0)` })
      .option('wait', { type: 'number', default: 120, describe: 'seconds to wait for the coordinator to take this shard' })
      .options(commonOptions)
      .example('aerie shard --nats nats://10.0.0.5:4222 --run 3f9a1c2e --index 1', 'join run 3f9a1c2e as shard 1'),
  handler: (argv) =>
    runCommand(argv, async () => {
      if (!Number.isInteger(argv.index) || argv.index < 1 || argv.index >= MAX_SHARDS) throw new UsageError(`--index ${argv.index}: expected a whole number from 1 to ${MAX_SHARDS - 1}`);
      if (!(Number.isFinite(argv.wait) && argv.wait > 0)) throw new UsageError(`--wait ${argv.wait}: expected a number of seconds > 0`);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(argv.run)) throw new UsageError(`--run ${argv.run}: expected 1-64 letters, digits, '_' or '-'`);
      // loaded here, not at start-up: only this command needs the NATS client and the shard server
      const { natsShardChannel } = await import('../../emulator/system/shard-nats.js');
      const { serveShard } = await import('../../emulator/system/shard-serve.js');
      const channel = await natsShardChannel(argv.nats, argv.run, argv.index);
      if (!argv.quiet) process.stderr.write(`shard ${argv.index} of run ${argv.run}: waiting for the coordinator on ${argv.nats}\n`);
      await serveShard(channel, argv.index, { joinTimeoutMs: argv.wait * 1000, runId: argv.run });
      if (!argv.quiet) process.stderr.write(`shard ${argv.index} of run ${argv.run}: done\n`);
    }),
};
