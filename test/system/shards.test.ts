/**
 * Sharded runs (emulator/system/shard.ts, cluster.ts): worker threads (--threads) and processes
 * (--shards) give byte-identical results to one process — spikes, probes, counters, step timing,
 * reports and traces.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNetworkFile, prepare, resolveArch, type ProbeRequest } from '../../emulator/index.js';
import { shardRanges, StepPart } from '../../emulator/system/shard.js';
import { startProcessShards, startThreadShards, type ShardRecipe } from '../../emulator/system/cluster.js';
import { TraceReader } from '../../emulator/trace/index.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'shards');
const NET = path.join(FIX, 'board-net.yaml');
const ARCH = path.join(FIX, 'board-arch.yaml');
const STEPS = 120;
const PROBES: ProbeRequest[] = [
  { population: 'exc', variable: 'v' },
  { population: 'inh', variable: 'u' },
  { population: 'input', variable: 'spikes' },
  { projection: 'in_inh_plastic', variable: 'weights' },
];

const plain = (v: unknown): string => JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x));

function reference(noc: 'analytic' | 'cycle'): { activity: string; probes: string; spikes: number } {
  const p = prepare(loadNetworkFile(NET), resolveArch(ARCH, '2x2'), { noc });
  for (const pr of PROBES) p.emulator.addProbe(pr, STEPS);
  p.emulator.run(STEPS);
  return { activity: plain(p.emulator.activity()), probes: plain(p.emulator.probeData()), spikes: p.emulator.spikes };
}

describe('shard ranges', () => {
  it('are contiguous, cover every core, and cut between chips where they can', () => {
    const chipOf = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3];
    for (let n = 1; n <= 6; n++) {
      const r = shardRanges(chipOf.length, n, chipOf);
      expect(r.length).toBe(n);
      expect(r[0].lo).toBe(0);
      expect(r[r.length - 1].hi).toBe(chipOf.length);
      for (let k = 0; k < r.length; k++) {
        expect(r[k].hi).toBeGreaterThan(r[k].lo);
        if (k) expect(r[k].lo).toBe(r[k - 1].hi);
      }
    }
    // two shards: the cut falls on a chip boundary (3 or 7), not inside chip 1
    const two = shardRanges(chipOf.length, 2, chipOf);
    expect([3, 7]).toContain(two[0].hi);
    // more shards than cores: one core each
    expect(shardRanges(3, 8).map((r) => r.hi - r.lo)).toEqual([1, 1, 1]);
    expect(() => shardRanges(3, 0)).toThrow(RangeError);
  });

  it('packs a step part into bytes and back, and rejects a malformed buffer', () => {
    const a = new StepPart(4, 3, 2);
    a.coreTimes.set([1, 2, 3.5, 4]);
    a.packets = 2;
    a.spikes = 3;
    a.srcCore.set([1, 2]);
    a.dstCore.set([5, 6]);
    a.dstAxon.set([7, 8]);
    a.payload.set([0, -9]);
    a.pop.set([1, 0]);
    a.injectPs.set([1234.5, 99]);
    a.spikeIds.set([10, 11, 12]);
    const bytes = a.pack();
    // at an odd offset too (IPC may deliver unaligned views)
    const odd = new Uint8Array(bytes.byteLength + 1);
    odd.set(bytes, 1);
    for (const b of [bytes, odd.subarray(1)]) {
      const c = StepPart.unpack(b);
      expect([c.packets, c.spikes]).toEqual([2, 3]);
      expect(Array.from(c.injectPs)).toEqual([1234.5, 99]);
      expect(Array.from(c.payload)).toEqual([0, -9]);
      expect(Array.from(c.spikeIds)).toEqual([10, 11, 12]);
      expect(Array.from(c.dstAxon)).toEqual([7, 8]);
      expect(Array.from(c.coreTimes)).toEqual([1, 2, 3.5, 4]);
    }
    expect(() => StepPart.unpack(bytes.subarray(0, bytes.byteLength - 4))).toThrow(RangeError);
    expect(() => StepPart.unpack(new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('sharded runs are identical to one process', () => {
  const recipe = (noc: 'analytic' | 'cycle'): ShardRecipe => ({ spec: loadNetworkFile(NET), arch: resolveArch(ARCH, '2x2'), noc, probes: PROBES, steps: STEPS });

  it('worker threads (2 and 3) and processes (2): counters, step timing, probes and learning', async () => {
    const ref = reference('analytic');
    expect(ref.spikes).toBeGreaterThan(1000);
    for (const [kind, n] of [
      ['threads', 2],
      ['threads', 3],
      ['processes', 2],
    ] as const) {
      const run = kind === 'threads' ? await startThreadShards(recipe('analytic'), n) : await startProcessShards(recipe('analytic'), n);
      try {
        expect(run.ranges.length).toBe(n);
        // in two chunks, as the CLI runs it
        await run.run(50);
        await run.run(STEPS - 50);
        await run.finish();
      } catch (e) {
        await run.close();
        throw e;
      }
      expect(run.emulator.spikes, `${kind} ${n}`).toBe(ref.spikes);
      expect(plain(run.emulator.activity()), `${kind} ${n}`).toBe(ref.activity);
      expect(plain(run.emulator.probeData()), `${kind} ${n}`).toBe(ref.probes);
    }
  });

  it('with the cycle-level NoC too', async () => {
    const ref = reference('cycle');
    const run = await startThreadShards(recipe('cycle'), 2);
    await run.run(STEPS);
    await run.finish();
    expect(plain(run.emulator.activity())).toBe(ref.activity);
  });

  it('a shard that fails mid-run reports its error instead of hanging (threads and processes)', async () => {
    for (const start of [startThreadShards, startProcessShards]) {
      const run = await start({ ...recipe('analytic'), fault: { shard: 1, step: 7 } }, 2);
      await expect(run.run(20)).rejects.toThrow(/shard 1: fault injected at step 7/);
      await run.close();
    }
    // a process shard that dies without a word
    const run = await startProcessShards({ ...recipe('analytic'), fault: { shard: 1, step: 5, exit: true } }, 2);
    await expect(run.run(20)).rejects.toThrow(/process shard 1 stopped \(exit code 3\)/);
    await run.close();
  });
});

describe('aerie run --threads / --shards', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-shards-'));
  const base = [NET, '--arch', ARCH, '--chips', '2x2', '--steps', '80', '--json', '--quiet'];
  /** A trace's header, chunks and footer, without the wall-clock part of the footer's summary. */
  const traceOf = (file: string): string => {
    const reader = TraceReader.open(file);
    const chunks = [...reader.chunks()];
    reader.scan();
    const footer = reader.footer as { summary?: { run?: unknown } };
    expect(reader.complete).toBe(true);
    delete footer.summary?.run;
    return plain({ header: reader.header, chunks, footer });
  };
  const runWith = (extra: string[], tag: string): { summary: string; report: Buffer; trace: string } => {
    const report = path.join(tmp, `${tag}.json`);
    const trace = path.join(tmp, `${tag}.trace`);
    const r = runCli(['run', ...base, ...extra, '--report', report, '--trace', trace, '--record', 'spikes,packets']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    delete s.run; // wall clock
    return { summary: JSON.stringify(s), report: fs.readFileSync(report), trace: traceOf(trace) };
  };

  it('gives byte-identical summaries, reports and traces', () => {
    const one = runWith([], 'one');
    for (const [extra, tag] of [
      [['--threads', '2'], 't2'],
      [['--shards', '2'], 's2'],
    ] as const) {
      const got = runWith([...extra], tag);
      expect(got.summary, tag).toBe(one.summary);
      expect(got.report.equals(one.report), `${tag} report bytes`).toBe(true);
      expect(got.trace, `${tag} trace`).toBe(one.trace);
    }
  });

  it('bad sharding options are one clear line and exit code 2', () => {
    for (const [args, want] of [
      [['--threads', '0'], /--threads 0: expected a whole number from 1 to 64/],
      [['--shards', '2.5'], /--shards 2.5: expected a whole number/],
      [['--threads', '2', '--shards', '2'], /cannot be combined/],
      [['--threads', '2', '--trace', path.join(tmp, 'x.trace'), '--record', 'counters'], /--record probes and counters/],
    ] as const) {
      const r = runCli(['run', ...base, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(want);
    }
    // crossbar-backed projections run in one process only
    const xbarNet = path.join(REPO_ROOT, 'firmware-models', 'examples', 'crossbar-network.yaml');
    for (const opt of ['--threads', '--shards']) {
      const r = runCli(['run', xbarNet, '--steps', '5', opt, '2']);
      expect(r.code, opt).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/crossbar-backed projections .* run in one process only/);
    }
  });
});
