/** The run summary printed by `aerie run --json` and friends (docs/JSON-SCHEMA.md, schema aerie-run/1). */
import type { ActivityCounts } from '../energy/activity.js';
import type { CompiledNetwork } from '../spec/compile.js';

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

/** The run summary of any activity (a live run, a replay, a recorded trace). */
export function summarizeActivity(a: ActivityCounts, net: CompiledNetwork, archName: string, spikes: number, seed: number, wallSeconds: number): RunSummary {
  const T = a.totals;
  let emulated = 0;
  let maxStep = 0;
  for (let i = 0; i < a.stepDurationPs.length; i++) {
    emulated += a.stepDurationPs[i];
    if (a.stepDurationPs[i] > maxStep) maxStep = a.stepDurationPs[i];
  }
  const populations: RunSummary['populations'] = {};
  for (const pop of net.populations) {
    const s = a.byPopulation[pop.name]?.['core.spike_out'] ?? 0;
    populations[pop.name] = { size: pop.size, spikes: s, rate_hz: a.steps ? s / pop.size / (a.steps * net.dt) : 0 };
  }
  const counters: Record<string, number> = {};
  for (const k of Object.keys(T).sort()) counters[k] = T[k as keyof typeof T] ?? 0;
  return {
    schema: 'aerie-run/1',
    network: net.name,
    arch: archName,
    steps: a.steps,
    seed,
    spikes,
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
