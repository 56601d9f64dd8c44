/**
 * SANA-FE-compatible output files, as text (the CLI writes them with tools/cli-support.ts
 * writeOutputFile, so the library never touches the file system):
 *
 * - spikes.csv: header `neuron,timestep`, one row `group.offset,step` per spike of a neuron with
 *   log_spikes; within a step rows go by group name (byte order, as SANA-FE's std::map) then offset.
 * - perf.csv: header `timestep,fired,updated,packets,hops,spikes,sim_time,total_energy` (SANA-FE's
 *   mandatory columns, floats in C++ `std::scientific` form, e.g. 8.440000e-09), followed by aerie's
 *   extra columns `synapse_energy,dendrite_energy,soma_energy,network_energy` (SANA-FE writes optional
 *   columns after total_energy too, so a column-wise diff against SANA-FE still lines up).
 * - run_summary.yaml: SANA-FE's run summary fields (timesteps_executed, total_spikes, …, energy).
 */
import type { SanafeSim } from './engine.js';

/** C++ iostream `std::scientific` (6 digits after the point, exponent at least two digits). */
export function sci(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const s = x.toExponential(6);
  const e = s.indexOf('e');
  const mant = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const sign = exp < 0 ? '-' : '+';
  const ax = Math.abs(exp);
  return `${mant}e${sign}${ax < 10 ? '0' : ''}${ax}`;
}

export function spikesCsv(sim: SanafeSim): string {
  const { neuron, step } = sim.loggedSpikes();
  const groups = sim.net.groups;
  // rank of each group in SANA-FE's order (std::map: byte-wise name order)
  const byName = groups.map((g, i) => i).sort((a, b) => (groups[a].name < groups[b].name ? -1 : groups[a].name > groups[b].name ? 1 : 0));
  const rank = new Uint32Array(groups.length);
  byName.forEach((g, r) => (rank[g] = r));
  const groupOf = new Uint32Array(sim.net.nNeurons);
  groups.forEach((g, gi) => groupOf.fill(gi, g.offset, g.offset + g.size));
  const idx = Array.from({ length: neuron.length }, (_, k) => k);
  idx.sort((a, b) => step[a] - step[b] || rank[groupOf[neuron[a]]] - rank[groupOf[neuron[b]]] || neuron[a] - neuron[b]);
  const lines = ['neuron,timestep'];
  for (const k of idx) {
    const g = groups[groupOf[neuron[k]]];
    lines.push(`${g.name}.${neuron[k] - g.offset},${step[k]}`);
  }
  return lines.join('\n') + '\n';
}

export function perfCsv(sim: SanafeSim): string {
  const p = sim.perfData();
  const lines = ['timestep,fired,updated,packets,hops,spikes,sim_time,total_energy,synapse_energy,dendrite_energy,soma_energy,network_energy'];
  for (let k = 0; k < p.steps; k++)
    lines.push(
      `${k + 1},${p.fired[k]},${p.updated[k]},${p.packets[k]},${p.hops[k]},${p.spikes[k]},${sci(p.simTime[k])},${sci(p.totalEnergy[k])},${sci(p.synapseEnergy[k])},${sci(p.dendriteEnergy[k])},${sci(p.somaEnergy[k])},${sci(p.networkEnergy[k])}`,
    );
  return lines.join('\n') + '\n';
}

export function runSummaryYaml(sim: SanafeSim): string {
  const t = sim.totals();
  return [
    `timesteps_executed: ${t.timesteps_executed}`,
    `total_spikes: ${t.total_spikes}`,
    `total_messages_sent: ${t.total_messages_sent}`,
    `total_neurons_updated: ${t.total_neurons_updated}`,
    `total_neurons_fired: ${t.total_neurons_fired}`,
    `sim_time: ${sci(t.sim_time)}`,
    'energy:',
    `  synapse: ${sci(t.energy.synapse)}`,
    `  dendrite: ${sci(t.energy.dendrite)}`,
    `  soma: ${sci(t.energy.soma)}`,
    `  network: ${sci(t.energy.network)}`,
    `  total: ${sci(t.energy.total)}`,
    '',
  ].join('\n');
}

/** The files `--sanafe-out DIR` writes: file name → text. */
export function sanafeOutputFiles(sim: SanafeSim): Record<string, string> {
  return { 'spikes.csv': spikesCsv(sim), 'perf.csv': perfCsv(sim), 'run_summary.yaml': runSummaryYaml(sim) };
}
