/**
 * `aerie noc`: drive the mesh NoC alone with synthetic traffic, the way NoC researchers validate a
 * router (conventions in docs/NOC.md: a node is a router, --rate is packets/node/cycle, uniform
 * destinations include the source, hops = links traversed, warm-up excluded from statistics).
 */
import type { CommandModule } from 'yargs';
import { UsageError, commonOptions, runCommand } from '../cli-support.js';
import {
  TRAFFIC_PATTERNS,
  SYNTHETIC_DEFAULTS,
  channelLoadBound,
  routingNames,
  runSynthetic,
  validateSynthetic,
  type SyntheticOptions,
  type SyntheticResult,
  type TrafficPattern,
} from '../../emulator/noc/index.js';

interface NocArgs {
  mesh: string;
  traffic: string;
  rate: number;
  'packet-flits': number;
  cycles: number;
  warmup?: number;
  drain?: number;
  noc: string;
  vcs: number;
  buffer: number;
  pipeline: string;
  'link-delay': number;
  'credit-delay': number;
  routing: string;
  'hotspot-fraction': number;
  seed: number;
  json: boolean;
  sweep?: string;
  debug: boolean;
  quiet: boolean;
}

export function parseMesh(s: string): [number, number] {
  const m = /^(\d+)x(\d+)$/i.exec(String(s).trim());
  if (!m) throw new UsageError(`--mesh: '${s}' is not of the form WxH (e.g. 8x8)`);
  const w = Number(m[1]);
  const h = Number(m[2]);
  if (w < 1 || h < 1 || w > 1024 || h > 1024) throw new UsageError(`--mesh: ${s} must be between 1x1 and 1024x1024`);
  return [w, h];
}

function parsePipeline(s: string): [number, number, number, number] {
  const parts = String(s).split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || nums.some((n) => !Number.isInteger(n) || n < 0 || n > 1000)) {
    throw new UsageError(`--pipeline: '${s}' must be four integer cycle counts rc,va,sa,st (e.g. 1,1,1,1)`);
  }
  return nums as [number, number, number, number];
}

/** Rates of a --sweep R1:R2:STEP (inclusive of R2 up to rounding). */
export function parseSweep(s: string): number[] {
  const parts = String(s).split(':');
  const [a, b, step] = parts.map(Number);
  if (parts.length !== 3 || ![a, b, step].every(Number.isFinite)) throw new UsageError(`--sweep: '${s}' is not of the form R1:R2:STEP (e.g. 0.05:0.5:0.05)`);
  if (!(step > 0)) throw new UsageError(`--sweep: step ${step} must be > 0`);
  if (!(a > 0 && b >= a && b <= 1)) throw new UsageError(`--sweep: need 0 < R1 <= R2 <= 1 packets/node/cycle, got ${a}:${b}`);
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  if (n > 1000) throw new UsageError(`--sweep: ${n} points is too many (at most 1000)`);
  const rates: number[] = [];
  for (let i = 0; i < n; i++) rates.push(Number((a + i * step).toFixed(12)));
  return rates;
}

function options(argv: NocArgs): SyntheticOptions {
  const [width, height] = parseMesh(argv.mesh);
  const [rcDelay, vaDelay, saDelay, stDelay] = parsePipeline(argv.pipeline);
  const cycles = argv.cycles;
  const o: SyntheticOptions = {
    ...SYNTHETIC_DEFAULTS,
    width,
    height,
    traffic: argv.traffic as TrafficPattern,
    rate: argv.rate,
    packetFlits: argv['packet-flits'],
    cycles,
    warmup: argv.warmup ?? Math.floor(cycles / 10),
    drainCycles: argv.drain ?? cycles,
    model: argv.noc as 'analytic' | 'cycle',
    vcs: argv.vcs,
    bufferDepth: argv.buffer,
    rcDelay,
    vaDelay,
    saDelay,
    stDelay,
    linkDelay: argv['link-delay'],
    creditDelay: argv['credit-delay'],
    routing: argv.routing,
    hotspotFraction: argv['hotspot-fraction'],
    seed: argv.seed,
  };
  validateSynthetic(o);
  return o;
}

function row(r: SyntheticResult): Record<string, number | string> {
  return {
    rate: Number(r.offered.toFixed(6)),
    offered: Number(r.offered.toFixed(6)),
    accepted: Number(r.accepted.toFixed(6)),
    offeredFlits: Number(r.offeredFlits.toFixed(6)),
    acceptedFlits: Number(r.acceptedFlits.toFixed(6)),
    meanLatency: Number(r.latency.mean.toFixed(4)),
    p50Latency: r.latency.p50,
    p99Latency: r.latency.p99,
    minLatency: r.latency.min,
    maxLatency: r.latency.max,
    zeroLoadLatency: Number(r.zeroLoadLatency.toFixed(4)),
    meanHops: Number(r.meanHops.toFixed(4)),
    hopsStdErr: Number(r.hopsStdErr.toFixed(5)),
    measuredPackets: r.measuredPackets,
    undelivered: r.undelivered,
    status: r.status,
  };
}

export const command: CommandModule<object, NocArgs> = {
  command: 'noc',
  describe: 'run the mesh NoC alone with synthetic traffic (throughput, latency, hops)',
  builder: (y) =>
    y
      .options({
        mesh: { type: 'string', default: '8x8', describe: 'routers WxH (a node is a router)' },
        traffic: { type: 'string', choices: TRAFFIC_PATTERNS as unknown as string[], default: 'uniform', describe: 'destination pattern' },
        rate: { type: 'number', default: 0.1, describe: 'offered load, packets/node/cycle (Bernoulli), 0 < R <= 1' },
        'packet-flits': { type: 'number', default: 1, describe: 'flits per packet' },
        cycles: { type: 'number', default: 10000, describe: 'cycles of traffic, warm-up included' },
        warmup: { type: 'number', describe: 'leading cycles excluded from statistics (default cycles/10)' },
        drain: { type: 'number', describe: 'extra cycles for measured packets to arrive (default = cycles)' },
        noc: { type: 'string', choices: ['analytic', 'cycle'], default: 'analytic', describe: 'router model' },
        vcs: { type: 'number', default: SYNTHETIC_DEFAULTS.vcs, describe: 'virtual channels per input port (cycle model)' },
        buffer: { type: 'number', default: SYNTHETIC_DEFAULTS.bufferDepth, describe: 'flits per VC buffer (cycle model)' },
        pipeline: { type: 'string', default: '1,1,1,1', describe: 'router stage delays rc,va,sa,st in cycles' },
        'link-delay': { type: 'number', default: SYNTHETIC_DEFAULTS.linkDelay, describe: 'link traversal cycles' },
        'credit-delay': { type: 'number', default: SYNTHETIC_DEFAULTS.creditDelay, describe: 'credit return cycles' },
        routing: { type: 'string', default: 'xy', describe: `routing plug-in (${routingNames().join(', ')})` },
        'hotspot-fraction': { type: 'number', default: SYNTHETIC_DEFAULTS.hotspotFraction, describe: 'hotspot: share of packets sent to the centre router' },
        seed: { type: 'number', default: 1, describe: 'random seed (same seed, same result)' },
        json: { type: 'boolean', default: false, describe: 'print JSON instead of a table' },
        sweep: { type: 'string', describe: 'R1:R2:STEP: latency-throughput curve over these rates' },
        ...commonOptions,
      })
      .example('aerie noc --mesh 8x8 --traffic uniform --rate 0.2 --noc cycle', 'one load point, cycle-level routers')
      .example('aerie noc --noc cycle --sweep 0.05:0.5:0.05 --json', 'latency-throughput curve as JSON') as never,
  handler: (argv) =>
    runCommand(argv, () => {
      const base = options(argv);
      const rates = argv.sweep !== undefined ? parseSweep(argv.sweep) : [base.rate];
      const bound = channelLoadBound(base);
      const rows: Record<string, number | string>[] = [];
      let zeroLoad = 0;
      let stalled = '';
      for (const rate of rates) {
        const r = runSynthetic({ ...base, rate });
        const rw = row(r);
        rw.rate = rate;
        rows.push(rw);
        if (!zeroLoad) zeroLoad = r.zeroLoadLatency;
        if (r.status !== 'ok') {
          stalled = r.status;
          break;
        }
      }
      const header = {
        mesh: `${base.width}x${base.height}`,
        traffic: base.traffic,
        model: base.model,
        packetFlits: base.packetFlits,
        cycles: base.cycles,
        warmup: base.warmup,
        routing: base.routing,
        vcs: base.vcs,
        bufferDepth: base.bufferDepth,
        pipeline: [base.rcDelay, base.vaDelay, base.saDelay, base.stDelay],
        linkDelay: base.linkDelay,
        creditDelay: base.creditDelay,
        seed: base.seed,
        channelLoadBound: Number.isFinite(bound) ? Number(bound.toFixed(6)) : null,
        units: { rate: 'packets/node/cycle', latency: 'cycles', hops: 'links' },
      };
      if (argv.json) {
        process.stdout.write(JSON.stringify(argv.sweep !== undefined ? { ...header, points: rows } : { ...header, ...rows[0] }, null, 2) + '\n');
      } else {
        const router = base.model === 'cycle' ? `cycle model, ${base.vcs} VCs x ${base.bufferDepth} flits, pipeline ${header.pipeline.join(',')}` : 'analytic model';
        if (!argv.quiet) {
          process.stdout.write(
            `aerie noc: ${header.mesh} mesh, ${base.traffic} traffic, ${base.packetFlits}-flit packets, ${router}, ${base.routing} routing, ` +
              `${base.cycles} cycles (${base.warmup} warm-up), seed ${base.seed}\n` +
              `channel-load bound ${Number.isFinite(bound) ? bound.toFixed(4) : 'not computed (mesh too large to enumerate)'} packets/node/cycle; ` +
              `rate in packets/node/cycle, latency in cycles, hops in links\n`,
          );
        }
        const cols = ['rate', 'offered', 'accepted', 'meanLatency', 'p99Latency', 'meanHops', 'undelivered'];
        const fmt = (v: number | string): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v);
        const table = [cols, ...rows.map((r) => cols.map((c) => fmt(r[c])))];
        const widths = cols.map((_, i) => Math.max(...table.map((t) => t[i].length)));
        for (const t of table) process.stdout.write(t.map((c, i) => c.padStart(widths[i])).join('  ') + '\n');
      }
      if (stalled) throw new UsageError(`the cycle model ${stalled} (rate ${rows[rows.length - 1].rate}); try more --vcs or --buffer, or a deadlock-free --routing`);
    }),
};
