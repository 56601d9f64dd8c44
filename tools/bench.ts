/**
 * `npm run bench [-- --only NAME[,NAME…]] [-- --peers] [-- --no-record]` — the benchmark suite. Runs the compiled
 * code (dist/), prints one JSON object per benchmark per line, and appends a dated summary with the
 * command and machine to docs/PERFORMANCE.md. Not a test: nothing here asserts a time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { prepare, resolveArch, archFromSpec, presetArch } from '../emulator/index.js';
import { buildCuba } from '../firmware-models/cuba/index.js';
import { buildSynthetic } from '../firmware-models/synthetic/index.js';
import { packageRoot } from './commands/run.js';
import { startProcessShards, startThreadShards } from '../emulator/system/cluster.js';
import { benchNocCycle } from '../emulator/noc/bench.js';
import { benchCrossbar } from '../emulator/pim/bench.js';
import { benchImport } from '../emulator/trace/importers/bench.js';
import { benchTrace } from '../emulator/trace/bench.js';
import { benchTraceRun } from '../emulator/system/trace-bench.js';
import { benchCrossbarProjection, benchEngine } from '../emulator/system/bench.js';
import { benchEnergy } from '../emulator/energy/bench.js';
import { benchLearning } from '../emulator/core/learning/bench.js';
import { benchSanafeLoad } from '../emulator/sanafe/bench.js';
import { benchKwtaAttention } from '../firmware-models/kwta-attention/bench.js';
import { benchLca } from '../firmware-models/lca/bench.js';
import { benchStdp } from '../firmware-models/stdp/bench.js';
import { benchHdc } from '../firmware-models/hdc/bench.js';

type Result = Record<string, number | string | boolean>;

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1048576);
}

function emulate(spec: ReturnType<typeof buildCuba>, steps: number, chips?: string): Result {
  const t0 = performance.now();
  const p = prepare(spec, resolveArch('loihi', chips));
  const buildS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  p.emulator.run(steps);
  return emulated(p, steps, (performance.now() - t1) / 1000, buildS);
}

/** The figures of a prepared run of `steps` steps that took `loop` seconds. */
function emulated(p: ReturnType<typeof prepare>, steps: number, loop: number, buildS: number): Result {
  const a = p.emulator.activity();
  const syn = a.totals['core.synop'] ?? 0;
  const upd = (a.totals['core.compartment_active'] ?? 0) + (a.totals['core.compartment_inactive'] ?? 0);
  return {
    compartments: p.net.totalCompartments,
    synapses: p.net.totalSynapses,
    steps,
    cores: p.placement.cores.length,
    chips: p.placement.chipsUsed,
    build_s: +buildS.toFixed(3),
    loop_s: +loop.toFixed(3),
    step_ms: +((loop / steps) * 1000).toFixed(4),
    spikes: p.emulator.spikes,
    synaptic_events: syn,
    compartment_updates: upd,
    events_per_s: Math.round(syn / loop),
    updates_per_s: Math.round(upd / loop),
    rate_hz: +(p.emulator.spikes / p.net.totalCompartments / (steps * p.net.dt)).toFixed(3),
    peak_rss_mb: rssMb(),
  };
}

/**
 * The same run sharded (emulator/system/cluster.ts): `threads` worker threads or `processes`
 * processes (IPC, or NATS when AERIE_BENCH_NATS names a server). Reports the loop time, the
 * one-process loop time of the same run, the speed-up, and the per-step overhead of meeting.
 */
async function emulateSharded(spec: ReturnType<typeof buildCuba>, steps: number, kind: 'threads' | 'processes', n: number, chips?: string): Promise<Result> {
  const arch = resolveArch('loihi', chips);
  const single = prepare(spec, arch);
  const t0 = performance.now();
  single.emulator.run(steps);
  const oneS = (performance.now() - t0) / 1000;
  const nats = kind === 'processes' ? process.env.AERIE_BENCH_NATS : undefined;
  const b0 = performance.now();
  const run = kind === 'threads' ? await startThreadShards({ spec, arch, steps }, n) : await startProcessShards({ spec, arch, steps }, n, nats ? { nats } : {});
  const buildS = (performance.now() - b0) / 1000;
  try {
    const t1 = performance.now();
    await run.run(steps);
    const loop = (performance.now() - t1) / 1000;
    await run.finish();
    const same = run.emulator.spikes === single.emulator.spikes && JSON.stringify(run.emulator.activity().totals) === JSON.stringify(single.emulator.activity().totals);
    return {
      kind,
      transport: kind === 'threads' ? 'shared memory' : nats ? 'nats' : 'ipc',
      shards: run.ranges.length,
      cores: single.placement.cores.length,
      steps,
      build_s: +buildS.toFixed(3),
      loop_s: +loop.toFixed(3),
      one_process_loop_s: +oneS.toFixed(3),
      speedup: +(oneS / loop).toFixed(3),
      step_ms: +((loop / steps) * 1000).toFixed(4),
      overhead_per_step_us: +(((loop - oneS / run.ranges.length) / steps) * 1e6).toFixed(1),
      identical_to_one_process: same,
      peak_rss_mb: rssMb(),
    };
  } finally {
    await run.close();
  }
}

/** Fresh processes (rounds) of the cuba and noc-cycle benchmarks: their figures are medians over them. */
const ROUNDS = 3;

/**
 * One process's cuba figures: the run as `aerie run` sees it (`loop_s`: 10,000 steps from a fresh
 * process, the first few hundred of them before V8 has optimised the step code), then
 * `steady_loop_s`: the same emulator's next 10,000 steps (optimised code: what each further step of a
 * long run costs).
 */
function cubaOnce(): Result {
  const b0 = performance.now();
  const p = prepare(buildCuba(), resolveArch('loihi'));
  const t0 = performance.now();
  p.emulator.run(10_000);
  const t1 = performance.now();
  const r = emulated(p, 10_000, (t1 - t0) / 1000, (t0 - b0) / 1000);
  p.emulator.run(10_000);
  return { ...r, steady_loop_s: +((performance.now() - t1) / 1000).toFixed(3) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const BENCHES: Record<string, (o: { peers: boolean }) => Result | Result[] | Promise<Result | Result[]>> = {
  cuba: (o) => cubaSession(o.peers),
  'full-chip': () => emulate(buildSynthetic({ populations: 128, size: 1024, fanIn: 64, rateHz: 10 }), 1000),
  board: () => emulate(buildSynthetic({ populations: 32 * 128, size: 1024, fanIn: 8, rateHz: 10 }), 100, '8x4'),
  'cuba-threads': () => emulateSharded(buildCuba(), 10_000, 'threads', 2),
  'full-chip-threads': () => emulateSharded(buildSynthetic({ populations: 128, size: 1024, fanIn: 64, rateHz: 10 }), 1000, 'threads', 2),
  'board-shards': () => emulateSharded(buildSynthetic({ populations: 32 * 128, size: 1024, fanIn: 8, rateHz: 10 }), 100, 'processes', 2, '8x4'),
  'noc-cycle': () => inProcesses('noc-cycle', 'routerCyclesPerSecond'),
  crossbar: () => benchCrossbar({ seconds: 2 }),
  'crossbar-projection': () => benchCrossbarProjection(),
  import: () => benchImport(),
  trace: () => benchTrace(),
  'trace-run': () => benchTraceRun({ root: packageRoot() }),
  engine: () => benchEngine(),
  energy: () => benchEnergy(),
  learning: () => benchLearning(),
  'sanafe-load': () => benchSanafeLoad(),
  'kwta-attention': () => benchKwtaAttention(),
  lca: () => benchLca(),
  stdp: () => benchStdp(),
  hdc: () => benchHdc(),
};

/** Benchmarks that run in fresh processes (each pays V8's warm-up, as a user's run does): --child NAME. */
const CHILD_BENCHES: Record<string, () => Result> = {
  cuba: () => cubaOnce(),
  'noc-cycle': () => benchNocCycle(),
};

/** One run of a CHILD_BENCHES benchmark in a fresh process. */
function child(name: string): Result {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} child process failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

/** A CHILD_BENCHES benchmark in ROUNDS fresh processes: the run with the median `key`, and every run's `key`. */
function inProcesses(name: string, key: string): Result {
  const runs: Result[] = [];
  for (let k = 0; k < ROUNDS; k++) runs.push(child(name));
  const values = runs.map((r) => r[key] as number);
  const m = median(values);
  return { ...(runs[values.indexOf(m)] ?? runs[0]), processes: runs.length, [`${key}_runs`]: values.join(' ') };
}

/**
 * The cuba benchmark: ROUNDS rounds, each a fresh aerie process (first and steady 10,000 steps, see cubaOnce)
 * and — with `peers` — the plain C loop and Brian2 cpp_standalone from ../shared/peers right after it.
 * The machine's speed drifts by up to 2x over minutes here, so the ratios are taken per round (the
 * runs of one round are seconds apart) and their median is reported, beside the median times.
 */
function cubaSession(peers: boolean): Result[] {
  const rounds: { aerie: Result; peers: Record<string, Record<string, unknown>> }[] = [];
  const peerDir = path.resolve(packageRoot(), '..', 'shared', 'peers');
  const skipped: Result[] = [];
  let cRef: string | undefined;
  let brian = peers;
  // the peers' build products (the C binary, Brian2's generated project) go to a folder of their own
  let tmp = os.tmpdir();
  if (peers) {
    if (!fs.existsSync(peerDir)) {
      skipped.push({ bench: 'peers', skipped: `no ${peerDir}` });
      brian = false;
    } else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-peers-'));
      const exe = path.join(tmp, 'cuba_ref');
      if (spawnSync('gcc', ['-O2', '-o', exe, path.join(peerDir, 'cuba_ref.c'), '-lm'], { encoding: 'utf8' }).status === 0) cRef = exe;
      else skipped.push({ bench: 'peer-c', skipped: 'gcc failed' });
    }
  }
  for (let k = 0; k < ROUNDS; k++) {
    const round = { aerie: child('cuba'), peers: {} as Record<string, Record<string, unknown>> };
    if (cRef) round.peers.c = JSON.parse(spawnSync(cRef, [], { encoding: 'utf8' }).stdout.trim()) as Record<string, unknown>;
    if (brian) {
      const b = spawnSync('/usr/bin/python3', [path.join(peerDir, 'cuba_brian2.py'), 'cpp_standalone'], { encoding: 'utf8', cwd: tmp, timeout: 600_000 });
      if (b.status === 0) round.peers['brian2-cpp_standalone'] = JSON.parse(b.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      else {
        skipped.push({ bench: 'peer-brian2-cpp_standalone', skipped: (b.stderr || 'python3-brian not available').split('\n').slice(-2).join(' ') });
        brian = false;
      }
    }
    rounds.push(round);
  }
  const cold = rounds.map((r) => r.aerie.loop_s as number);
  const steady = rounds.map((r) => r.aerie.steady_loop_s as number);
  const loop = median(cold);
  const mid = rounds[cold.indexOf(loop)]?.aerie ?? rounds[0].aerie;
  const out: Result[] = [
    {
      bench: 'cuba',
      ...mid,
      loop_s: loop,
      step_ms: +((loop / 10_000) * 1000).toFixed(4),
      events_per_s: Math.round((mid.synaptic_events as number) / loop),
      updates_per_s: Math.round((mid.compartment_updates as number) / loop),
      steady_loop_s: median(steady),
      processes: rounds.length,
      loop_s_runs: cold.join(' '),
      steady_loop_s_runs: steady.join(' '),
      peak_rss_mb: Math.max(...rounds.map((r) => r.aerie.peak_rss_mb as number)),
    },
  ];
  out.push(...skipped);
  const ratios: Result = { bench: 'cuba-vs-peers', rounds: rounds.length };
  for (const name of ['c', 'brian2-cpp_standalone']) {
    const ran = rounds.filter((r) => r.peers[name]);
    if (ran.length !== rounds.length) continue;
    const walls = ran.map((r) => r.peers[name].wall_s as number);
    const m = median(walls);
    out.push({ bench: `peer-${name}`, wall_s: m, wall_s_runs: walls.join(' '), output: JSON.stringify(ran[walls.indexOf(m)].peers[name]) });
    ratios[`${name}_wall_s`] = m;
    ratios[`cold_ratio_${name}`] = +median(ran.map((r) => (r.aerie.loop_s as number) / (r.peers[name].wall_s as number))).toFixed(2);
    ratios[`steady_ratio_${name}`] = +median(ran.map((r) => (r.aerie.steady_loop_s as number) / (r.peers[name].wall_s as number))).toFixed(2);
  }
  if (Object.keys(ratios).length > 2) out.push(ratios);
  return out;
}

const USAGE = 'usage: npm run bench [-- --only NAME[,NAME…]] [-- --peers] [-- --no-record]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child' && CHILD_BENCHES[args[1]]) {
    process.stdout.write(JSON.stringify(CHILD_BENCHES[args[1]]()) + '\n');
    return;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\nbenchmarks: ${Object.keys(BENCHES).join(', ')}\n`);
    return;
  }
  const bad = args.filter((a, i) => !['--only', '--peers', '--no-record'].includes(a) && args[i - 1] !== '--only');
  if (bad.length) {
    process.stderr.write(`error: unknown option ${bad.join(' ')}; ${USAGE}\n`);
    process.exit(2);
  }
  const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  if (args.includes('--only') && (!onlyArg || onlyArg.startsWith('--'))) {
    process.stderr.write(`error: --only needs a benchmark name (have: ${Object.keys(BENCHES).join(', ')})\n`);
    process.exit(2);
  }
  const only = onlyArg ? onlyArg.split(',') : undefined;
  const unknown = only?.filter((n) => !BENCHES[n]) ?? [];
  if (unknown.length) {
    process.stderr.write(`error: --only ${onlyArg}: unknown benchmark ${unknown.join(', ')} (have: ${Object.keys(BENCHES).join(', ')})\n`);
    process.exit(2);
  }
  const results: Result[] = [];
  const peers = args.includes('--peers');
  // the peers run beside aerie's cuba rounds (cubaSession): --peers runs cuba even when --only omits it
  if (only && peers && !only.includes('cuba')) only.unshift('cuba');
  for (const [name, fn] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    const got = await fn({ peers });
    for (const one of Array.isArray(got) ? got : [got]) {
      const r = { bench: name, ...one };
      results.push(r);
      process.stdout.write(JSON.stringify(r) + '\n');
    }
  }
  if (!args.includes('--no-record')) {
    const doc = path.join(packageRoot(), 'docs', 'PERFORMANCE.md');
    const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
    const lines = [
      '',
      `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench -- ${args.join(' ')}\``,
      `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`,
      '',
      '```',
      ...results.map((r) => JSON.stringify(r)),
      '```',
    ];
    fs.appendFileSync(doc, lines.join('\n') + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
