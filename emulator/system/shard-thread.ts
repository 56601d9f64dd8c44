/**
 * Entry of a worker-thread shard (emulator/system/cluster.ts startThreadShards): builds its engine
 * from the recipe and steps its range of cores when the coordinator says `run`; the packets meet in
 * shared memory (SharedMemoryLink).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildShard, faultCheck, type ShardRecipe } from './cluster.js';
import { SharedMemoryLink, type SharedShardBuffers } from './shard-links.js';
import type { ShardRange } from './shard.js';

const { recipe, range, bufs } = workerData as { recipe: ShardRecipe; range: ShardRange; bufs: SharedShardBuffers };
const port = parentPort!;
const link = new SharedMemoryLink(range, bufs);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
try {
  const { emulator } = buildShard(recipe, link);
  const onStep = faultCheck(recipe, range);
  port.on('message', (m: { cmd: 'run'; steps: number } | { cmd: 'counters' }) => {
    try {
      if (m.cmd === 'run') {
        emulator.run(m.steps, onStep);
        port.postMessage({ ran: emulator.stepsDone });
      } else port.postMessage({ counters: emulator.exportCounters() });
    } catch (e) {
      link.abort();
      port.postMessage({ error: message(e) });
    }
  });
  port.postMessage({ ready: true });
} catch (e) {
  link.abort();
  port.postMessage({ error: message(e) });
}
