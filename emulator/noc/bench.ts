/**
 * NoC speed benchmark (issue 3): cycle model, 8x8 mesh, 1-flit packets, uniform traffic at
 * 0.1 packets/node/cycle, 100,000 cycles -> router-cycles per second (routers x simulated cycles /
 * wall-clock seconds). BookSim2 does 1.12 M router-cycles/s on this run; the target is >= 5.6 M.
 */
import { runSynthetic, type SyntheticOptions } from './traffic.js';

export interface BenchNocOptions {
  /** Simulated cycles (default 100,000). */
  cycles?: number;
  /** Mesh side (default 8). */
  k?: number;
  rate?: number;
  vcs?: number;
  bufferDepth?: number;
  seed?: number;
}

export function benchNocCycle(opts: BenchNocOptions = {}): Record<string, number | string> {
  const k = opts.k ?? 8;
  const o: Partial<SyntheticOptions> = {
    model: 'cycle',
    width: k,
    height: k,
    traffic: 'uniform',
    rate: opts.rate ?? 0.1,
    packetFlits: 1,
    cycles: opts.cycles ?? 100_000,
    warmup: Math.floor((opts.cycles ?? 100_000) / 10),
    drainCycles: 0,
    vcs: opts.vcs ?? 4,
    bufferDepth: opts.bufferDepth ?? 8,
    seed: opts.seed ?? 1,
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = runSynthetic(o);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const routerCycles = k * k * o.cycles!;
  return {
    benchmark: 'noc-cycle-8x8-uniform-0.1',
    mesh: `${k}x${k}`,
    cycles: o.cycles!,
    routerCycles,
    wallSeconds: Number(wallS.toFixed(3)),
    cpuSeconds: Number(cpuS.toFixed(3)),
    routerCyclesPerSecond: Math.round(routerCycles / wallS),
    routerCyclesPerCpuSecond: Math.round(routerCycles / cpuS),
    booksim2RouterCyclesPerSecond: 1_120_000,
    targetRouterCyclesPerSecond: 5_600_000,
    acceptedPacketsPerNodeCycle: Number(r.accepted.toFixed(4)),
    meanLatencyCycles: Number(r.latency.mean.toFixed(3)),
    status: r.status,
  };
}
