/**
 * `npm run bench [-- --only NAME[,NAME…]] [-- --peers] [-- --no-record]` — the benchmark suite. Runs the compiled
 * code (dist/), prints one JSON object per benchmark per line, and appends a dated summary with the
 * command and machine to docs/PERFORMANCE.md. Not a test: nothing here asserts a time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
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
  const loop = (performance.now() - t1) / 1000;
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

const BENCHES: Record<string, () => Result | Promise<Result>> = {
  cuba: () => emulate(buildCuba(), 10_000),
  'full-chip': () => emulate(buildSynthetic({ populations: 128, size: 1024, fanIn: 64, rateHz: 10 }), 1000),
  board: () => emulate(buildSynthetic({ populations: 32 * 128, size: 1024, fanIn: 8, rateHz: 10 }), 100, '8x4'),
  'cuba-threads': () => emulateSharded(buildCuba(), 10_000, 'threads', 2),
  'full-chip-threads': () => emulateSharded(buildSynthetic({ populations: 128, size: 1024, fanIn: 64, rateHz: 10 }), 1000, 'threads', 2),
  'board-shards': () => emulateSharded(buildSynthetic({ populations: 32 * 128, size: 1024, fanIn: 8, rateHz: 10 }), 100, 'processes', 2, '8x4'),
  'noc-cycle': () => benchNocCycle(),
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

function runPeers(): Result[] {
  const out: Result[] = [];
  const peers = path.resolve(packageRoot(), '..', 'shared', 'peers');
  if (!fs.existsSync(peers)) return [{ bench: 'peers', skipped: `no ${peers}` }];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-peers-'));
  const cc = spawnSync('gcc', ['-O2', '-o', path.join(tmp, 'cuba_ref'), path.join(peers, 'cuba_ref.c'), '-lm'], { encoding: 'utf8' });
  if (cc.status === 0) {
    const r = spawnSync(path.join(tmp, 'cuba_ref'), [], { encoding: 'utf8' });
    out.push({ bench: 'peer-c', output: r.stdout.trim() });
  } else out.push({ bench: 'peer-c', skipped: 'gcc failed' });
  for (const target of ['cpp_standalone']) {
    const r = spawnSync('/usr/bin/python3', [path.join(peers, 'cuba_brian2.py'), target], { encoding: 'utf8', cwd: tmp, timeout: 600_000 });
    out.push(r.status === 0 ? { bench: `peer-brian2-${target}`, output: r.stdout.trim().split('\n').pop() ?? '' } : { bench: `peer-brian2-${target}`, skipped: (r.stderr || 'python3-brian not available').split('\n').slice(-2).join(' ') });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const only = onlyArg ? onlyArg.split(',') : undefined;
  const unknown = only?.filter((n) => !BENCHES[n]) ?? [];
  if (unknown.length) {
    process.stderr.write(`error: --only ${onlyArg}: unknown benchmark ${unknown.join(', ')} (have: ${Object.keys(BENCHES).join(', ')})\n`);
    process.exit(2);
  }
  const results: Result[] = [];
  for (const [name, fn] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    const r = { bench: name, ...(await fn()) };
    results.push(r);
    process.stdout.write(JSON.stringify(r) + '\n');
  }
  if (args.includes('--peers')) for (const r of runPeers()) {
    results.push(r);
    process.stdout.write(JSON.stringify(r) + '\n');
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
