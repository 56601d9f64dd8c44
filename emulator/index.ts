/**
 * aerie — the library. Load or build a network, pick an architecture, place, emulate.
 *
 *   const sim = prepare(loadNetworkFile('net.yaml'), resolveArch('loihi'));
 *   sim.emulator.run(1000);
 *   const summary = summarize(sim);
 */
import { compileNetwork, type CompiledNetwork } from './spec/compile.js';
import type { NetworkSpec } from './spec/network.js';
import type { Arch } from './spec/arch.js';
import { placeNetwork, type Placement, type PlacementStrategy } from './mapping/index.js';
import { Emulator, type EmulatorOptions } from './system/emulator.js';

export * from './spec/index.js';
export * from './errors.js';
export { placeNetwork, type Placement, type PlacementStrategy, type CoreUse } from './mapping/index.js';
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

/** The run summary (docs/JSON-SCHEMA.md, schema aerie-run/1). */
export interface RunSummary {
  schema: 'aerie-run/1';
  network: string;
  arch: string;
  steps: number;
  seed: number;
  spikes: number;
  synaptic_events: number;
  compartment_updates: number;
  compartment_updates_active: number;
  packets: number;
  cores_used: number;
  tiles_used: number;
  chips_used: number;
  emulated_time_ps: number;
  step_latency_ps: { mean: number; max: number };
  populations: Record<string, { size: number; spikes: number; rate_hz: number }>;
  counters: Record<string, number>;
  run: { wall_s: number; steps_per_s: number };
}

export function summarize(p: Prepared, wallSeconds: number, seed = p.net.seed): RunSummary {
  const a = p.emulator.activity();
  const T = a.totals;
  let emulated = 0;
  let maxStep = 0;
  for (let i = 0; i < a.stepDurationPs.length; i++) {
    emulated += a.stepDurationPs[i];
    if (a.stepDurationPs[i] > maxStep) maxStep = a.stepDurationPs[i];
  }
  const populations: RunSummary['populations'] = {};
  for (const pop of p.net.populations) {
    const s = a.byPopulation[pop.name]['core.spike_out'] ?? 0;
    populations[pop.name] = { size: pop.size, spikes: s, rate_hz: a.steps ? s / pop.size / (a.steps * p.net.dt) : 0 };
  }
  const counters: Record<string, number> = {};
  for (const k of Object.keys(T).sort()) counters[k] = T[k as keyof typeof T] ?? 0;
  return {
    schema: 'aerie-run/1',
    network: p.net.name,
    arch: p.arch.preset,
    steps: a.steps,
    seed,
    spikes: p.emulator.spikes,
    synaptic_events: T['core.synop'] ?? 0,
    compartment_updates: (T['core.compartment_active'] ?? 0) + (T['core.compartment_inactive'] ?? 0),
    compartment_updates_active: T['core.compartment_active'] ?? 0,
    packets: T['core.packet_out'] ?? 0,
    cores_used: a.hardware.coresUsed,
    tiles_used: a.hardware.tilesUsed,
    chips_used: a.hardware.chips,
    emulated_time_ps: emulated,
    step_latency_ps: { mean: a.steps ? Math.round(emulated / a.steps) : 0, max: maxStep },
    populations,
    counters,
    run: { wall_s: wallSeconds, steps_per_s: wallSeconds > 0 ? a.steps / wallSeconds : 0 },
  };
}
