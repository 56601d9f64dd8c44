/**
 * Sharded runs (emulator/system/shard.ts): the coordinator (shard 0, in this thread) and N − 1
 * shards on worker threads (`threads`) or child processes (`processes`). Every shard compiles and
 * places the same recipe (deterministic, so all agree on the placement), builds its engine and
 * steps only its own range of cores; the coordinator's Emulator is the one the caller reads —
 * after `finish()` it holds every shard's counters and probe values, so reports and summaries are
 * made from it exactly as for a one-process run.
 *
 * Memory: every shard currently holds the whole compiled network and every core's structure (the
 * step work is divided, not the memory) — see docs/SCALE-OUT.md.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NetworkSpec } from '../spec/network.js';
import type { Arch } from '../spec/arch.js';
import { compileNetwork, type CompiledNetwork } from '../spec/compile.js';
import { placeNetwork, type Placement, type PlacementStrategy } from '../mapping/index.js';
import { Emulator, type ProbeRequest } from './emulator.js';
import type { NocChoice } from './noc.js';
import { shardRanges, type ShardCounters, type ShardRange } from './shard.js';
import { allocateSharedShardBuffers, HubRootLink, ShardAbort, SharedMemoryLink, type HubPeers, type SharedShardBuffers } from './shard-links.js';
import { IpcCoordinatorChannel, type CoordinatorChannel, type ShardProcessMessage } from './shard-channel.js';

/** Everything a shard needs to build its engine (structured-cloneable: sent to threads and processes). */
export interface ShardRecipe {
  spec: NetworkSpec;
  arch: Arch;
  source?: string;
  placement?: PlacementStrategy;
  noc?: NocChoice | 'none';
  kernel?: 'wasm' | 'js';
  /** Receive phase implementation (EmulatorOptions.receive). */
  receive?: 'wasm' | 'typescript';
  probes?: ProbeRequest[];
  /** Steps the probes are sized for. */
  steps: number;
  /**
   * Fault injection (tests of the failure path): shard `shard` fails after step `step` — by throwing,
   * or (process shards, `exit`) by exiting with code 3 without a word.
   */
  fault?: { shard: number; step: number; exit?: boolean };
}

/** The per-step callback of a shard: raises the recipe's injected fault, if any, for this shard. */
export function faultCheck(r: ShardRecipe, range: ShardRange): ((step: number) => void) | undefined {
  const f = r.fault;
  if (!f || f.shard !== range.index) return undefined;
  return (step) => {
    if (step !== f.step) return;
    if (f.exit) process.exit(3);
    throw new Error(`fault injected at step ${step}`);
  };
}

export interface ShardedRun {
  net: CompiledNetwork;
  placement: Placement;
  /** The coordinator's engine (shard 0). */
  emulator: Emulator;
  ranges: ShardRange[];
  /** Run more steps on every shard (onStep is called on the coordinator after each step). */
  run(steps: number, onStep?: (step: number) => void): Promise<void>;
  /** Gather every shard's counters into `emulator` and stop the shards. */
  finish(): Promise<void>;
  /** Stop the shards at once (after an error). */
  close(): Promise<void>;
}

/** Largest shard count accepted (threads or processes). */
export const MAX_SHARDS = 64;

function compileAndPlace(r: ShardRecipe): { net: CompiledNetwork; placement: Placement } {
  const net = compileNetwork(r.spec, r.source);
  return { net, placement: placeNetwork(net, r.arch, r.placement ?? 'mesh') };
}

/** One shard's engine for a compiled and placed recipe, with the recipe's probes. */
function engineOf(r: ShardRecipe, net: CompiledNetwork, placement: Placement, link: Emulator['link']): Emulator {
  const emulator = new Emulator(net, r.arch, placement, { ...(r.noc ? { noc: r.noc } : {}), ...(r.kernel ? { kernel: r.kernel } : {}), ...(r.receive ? { receive: r.receive } : {}), link });
  for (const p of r.probes ?? []) emulator.addProbe(p, r.steps);
  return emulator;
}

/** Build one shard's engine from the recipe (every worker and process shard does this). */
export function buildShard(r: ShardRecipe, link: Emulator['link']): { net: CompiledNetwork; placement: Placement; emulator: Emulator } {
  const { net, placement } = compileAndPlace(r);
  return { net, placement, emulator: engineOf(r, net, placement, link) };
}

function rangesOf(placement: Placement, arch: Arch, n: number): ShardRange[] {
  return shardRanges(
    placement.cores.length,
    n,
    placement.cores.map((c) => Math.floor(c.core / arch.coresPerChip)),
  );
}

/** tsx's programmatic API (only under TypeScript sources). */
function tsxApi(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
}

/** The entry file next to this one (compiled .js, or .ts under tsx/vitest with the tsx loader). */
function entry(name: string): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { file: here.replace(/cluster\.ts$/, `${name}.ts`), execArgv: ['--import', tsx] };
  }
  return { file: here.replace(/cluster\.js$/, `${name}.js`), execArgv: process.execArgv };
}

type WorkerReply = { ready: true } | { ran: number } | { counters: ShardCounters } | { error: string };

/** The worker's next reply; a worker that fails or exits rejects it. */
function nextReply(w: Worker, what: string): Promise<WorkerReply> {
  return new Promise<WorkerReply>((resolve, reject) => {
    const onMessage = (m: WorkerReply): void => {
      off();
      if ('error' in m) reject(new Error(`${what}: ${m.error}`));
      else resolve(m);
    };
    const onError = (e: Error): void => {
      off();
      reject(new Error(`${what}: ${e.message}`));
    };
    const onExit = (code: number): void => {
      off();
      reject(new Error(`${what} stopped (exit code ${code})`));
    };
    const off = (): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}

/** Shard the run over `threads` worker threads (shard 0 is this thread); packets meet in shared memory. */
export async function startThreadShards(recipe: ShardRecipe, threads: number): Promise<ShardedRun> {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_SHARDS) throw new RangeError(`threads must be a whole number from 1 to ${MAX_SHARDS}, got ${threads}`);
  const { net, placement } = compileAndPlace(recipe);
  const ranges = rangesOf(placement, recipe.arch, threads);
  const caps = ranges.map((r) => {
    let packets = 0;
    let spikes = 0;
    for (let ci = r.lo; ci < r.hi; ci++) {
      packets += placement.cores[ci].outputAxons;
      spikes += placement.cores[ci].compartments;
    }
    return { packets, spikes, cores: r.hi - r.lo };
  });
  const bufs: SharedShardBuffers = allocateSharedShardBuffers(caps);
  const { file, execArgv } = entry('shard-thread');
  const workers = ranges.slice(1).map((range) =>
    file.endsWith('.ts')
      ? // TypeScript sources (tsx, vitest): register tsx inside the worker, then load the entry
        new Worker(`import(${JSON.stringify(tsxApi())}).then((api) => api.tsImport(${JSON.stringify(pathToFileURL(file).href)}, ${JSON.stringify(import.meta.url)}))`, { eval: true, workerData: { recipe, range, bufs } })
      : new Worker(file, { execArgv, workerData: { recipe, range, bufs } }),
  );
  const link0 = new SharedMemoryLink(ranges[0], bufs);
  const stopAll = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    const ready = workers.map((w, k) => nextReply(w, `thread shard ${k + 1}`));
    const emulator = engineOf(recipe, net, placement, link0);
    await Promise.all(ready);
    return {
      net,
      placement,
      emulator,
      ranges,
      async run(steps, onStep) {
        const done = workers.map((w, k) => nextReply(w, `thread shard ${k + 1}`));
        for (const w of workers) w.postMessage({ cmd: 'run', steps });
        try {
          emulator.run(steps, onStep);
        } catch (e) {
          link0.abort();
          // a worker's own error says more than the abort it caused here
          const replies = await Promise.allSettled(done);
          const failed = replies.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
          throw e instanceof ShardAbort && failed ? failed.reason : e;
        }
        await Promise.all(done);
      },
      async finish() {
        const got = workers.map((w, k) => nextReply(w, `thread shard ${k + 1}`));
        for (const w of workers) w.postMessage({ cmd: 'counters' });
        for (const r of await Promise.all(got)) if ('counters' in r) emulator.importCounters(r.counters);
        await stopAll();
      },
      close: stopAll,
    };
  } catch (e) {
    link0.abort();
    await stopAll();
    throw e;
  }
}

/** Where process shards run and how they talk (default: child processes of this one, over Node IPC). */
export interface ProcessShardOptions {
  /** Carry the messages over this NATS server instead of IPC. */
  nats?: string;
  /** NATS: the run's id (subjects aerie.shard.ID.*); default a random one. */
  runId?: string;
  /** NATS: do not start the shards here; wait for `aerie shard --nats URL --run ID --index K` elsewhere. */
  external?: boolean;
  /** Give up when a shard has been silent this long while it is awaited (ms; default: wait forever for IPC, 120 s for NATS). */
  silenceMs?: number;
}

/**
 * Shard the run over `count` processes (shard 0 is this process); each step the shards send their
 * packed parts to this process, which answers with every part (a hub).
 */
export async function startProcessShards(recipe: ShardRecipe, count: number, opts: ProcessShardOptions = {}): Promise<ShardedRun> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) throw new RangeError(`shards must be a whole number from 1 to ${MAX_SHARDS}, got ${count}`);
  const { net, placement } = compileAndPlace(recipe);
  const ranges = rangesOf(placement, recipe.arch, count);
  const n = ranges.length;
  const launch = entry('shard-process');
  const runId = opts.runId ?? randomUUID().slice(0, 8);
  const channel: CoordinatorChannel = opts.nats
    ? // the NATS client is loaded only for runs that use it
      await (await import('./shard-nats.js')).natsCoordinatorChannel(opts.nats, runId, n, opts.external ? undefined : launch)
    : new IpcCoordinatorChannel(launch.file, launch.execArgv, n);
  const silenceMs = opts.silenceMs ?? (opts.nats ? 120_000 : 0);
  // per shard: queued data messages, a waiting reader, and the control replies awaited in order
  type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };
  const queues = ranges.map(() => [] as Uint8Array[]);
  const waiters = ranges.map(() => undefined as Waiter<Uint8Array> | undefined);
  const control = ranges.map(() => [] as Waiter<ShardProcessMessage>[]);
  let failure: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  const fail = (e: Error): void => {
    if (failure) return;
    failure = e;
    waiters.forEach((w, k) => {
      waiters[k] = undefined;
      w?.reject(e);
    });
    for (const c of control) for (const w of c.splice(0)) w.reject(e);
  };
  // the silence watchdog: re-armed by every message
  const arm = (): void => {
    if (!silenceMs) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const k = ranges.findIndex((_, i) => i > 0 && (waiters[i] !== undefined || control[i].length > 0));
      if (k > 0) fail(new Error(`process shard ${k} sent nothing for ${silenceMs / 1000} s`));
    }, silenceMs);
    timer.unref();
  };
  channel.onMessage((k, m) => {
    arm();
    if ('kind' in m) {
      const w = waiters[k];
      if (w) {
        waiters[k] = undefined;
        w.resolve(m.bytes);
      } else queues[k].push(m.bytes);
    } else if ('error' in m) fail(new Error(`process shard ${k}: ${m.error}`));
    else control[k].shift()?.resolve(m);
  });
  channel.onLost((k, why) => fail(new Error(`process shard ${k} ${why}`)));
  const peers: HubPeers = {
    next(k) {
      const q = queues[k];
      if (q.length) return Promise.resolve(q.shift()!);
      if (failure) return Promise.reject(failure);
      arm();
      return new Promise<Uint8Array>((resolve, reject) => (waiters[k] = { resolve, reject }));
    },
    broadcast(answer) {
      for (let k = 1; k < n; k++) channel.send(k, { cmd: 'answer', parts: answer });
    },
  };
  const ask = (k: number, m: ShardProcessMessage): Promise<ShardProcessMessage> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      arm();
      control[k].push({ resolve, reject });
      channel.send(k, m);
    });
  const others = ranges.slice(1);
  const stopAll = async (): Promise<void> => {
    clearTimeout(timer);
    await channel.close();
  };
  try {
    if (opts.external) process.stderr.write(`waiting for ${n - 1} shard(s): on each host run  aerie shard --nats ${opts.nats} --run ${runId} --index K  (K = 1…${n - 1})\n`);
    await channel.ready();
    const ready = others.map((r) => ask(r.index, { cmd: 'init', recipe, range: r }));
    const link0 = new HubRootLink(ranges[0], peers);
    const emulator = engineOf(recipe, net, placement, link0);
    await Promise.all(ready);
    return {
      net,
      placement,
      emulator,
      ranges,
      async run(steps, onStep) {
        const done = Promise.all(others.map((r) => ask(r.index, { cmd: 'run', steps })));
        // a failing shard rejects both this and the step it blocks: the step's error is the one reported
        done.catch(() => undefined);
        await emulator.runAsync(steps, onStep);
        await done;
      },
      async finish() {
        const got = await Promise.all(others.map((r) => ask(r.index, { cmd: 'counters' })));
        for (const r of got) if ('counters' in r) emulator.importCounters(r.counters);
        await stopAll();
      },
      close: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
