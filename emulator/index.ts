/**
 * aerie — the library. Load or build a network, pick an architecture, place, emulate.
 *
 *   const sim = prepare(loadNetworkFile('net.yaml'), resolveArch('loihi'));
 *   sim.emulator.run(1000);
 *   const summary = summarize(sim, wallSeconds);
 */
import { compileNetwork, type CompiledNetwork } from './spec/compile.js';
import type { NetworkSpec } from './spec/network.js';
import type { Arch } from './spec/arch.js';
import { placeNetwork, type Placement, type PlacementStrategy } from './mapping/index.js';
import { Emulator, type EmulatorOptions } from './system/emulator.js';
import { crossbarSummary, summarizeActivity, type RunSummary } from './system/summary.js';

export { summarizeActivity, type RunSummary } from './system/summary.js';

export * from './spec/index.js';
export * from './errors.js';
export { placeNetwork, type Placement, type PlacementStrategy, type CoreUse, type CrossbarPlacement } from './mapping/index.js';
export * from './system/index.js';
export * from './core/index.js';
export { RNG_BLOCK, randU32, randUnit, randInt, randNormal } from './util/rng.js';

export interface Prepared {
  net: CompiledNetwork;
  arch: Arch;
  placement: Placement;
  emulator: Emulator;
}

/** Compile, place and build an emulator for a network on an architecture. */
export function prepare(spec: NetworkSpec, arch: Arch, opts: EmulatorOptions & { placement?: PlacementStrategy; source?: string } = {}): Prepared {
  const net = compileNetwork(spec, opts.source);
  const placement = placeNetwork(net, arch, opts.placement ?? 'mesh');
  const emulator = new Emulator(net, arch, placement, opts);
  return { net, arch, placement, emulator };
}

export function summarize(p: Prepared, wallSeconds: number, seed = p.net.seed): RunSummary {
  const s = summarizeActivity(p.emulator.activity(), p.net, p.arch.preset, p.emulator.spikes, seed, wallSeconds);
  if (p.emulator.crossbar) s.crossbar = crossbarSummary(p.emulator.crossbar.info());
  return s;
}


