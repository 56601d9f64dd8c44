/**
 * Benchmark of the SANA-FE import (issue 7 "Speed"): a synthetic SANA-FE-format network of ~20,000
 * neurons and ~3.4 M synapses given as one conv2d hyper-edge (10 × 32 × 32 inputs, 13 kernels of 6 × 6 →
 * 13 × 27 × 27 outputs) on a Loihi-like SANA-FE architecture (8 × 4 tiles × 4 cores × 1,024 neurons).
 * Measures load time (parse YAML, expand the conv2d edge, map, build the typed-array engine), the time
 * of a 1,000-step run, and the process's peak resident memory. Measured by `npm run bench`; never
 * asserted in tests.
 */
import { performance } from 'node:perf_hooks';
import { loadSanafeRunFromText } from './load.js';

export interface SanafeBenchOptions {
  steps?: number;
  /** Input channels (10 gives ~3.4 M synapses). */
  channels?: number;
  /** Input side (32 × 32 per channel). */
  side?: number;
  kernels?: number;
  kernel?: number;
}

/** A Loihi-like SANA-FE architecture: 8 × 4 tiles, 4 cores per tile, 1,024 neurons per core. */
export function syntheticSanafeArch(): string {
  return `architecture:
  name: bench_chip
  attributes: {topology: mesh, width: 8, height: 4, link_buffer_size: 16, sync_model: fixed, latency_sync: 1.0e-7}
  tile:
    - name: t[0..31]
      attributes: {energy_north_hop: 4.2e-12, latency_north_hop: 6.5e-9, energy_east_hop: 3.0e-12, latency_east_hop: 4.1e-9,
                   energy_south_hop: 4.2e-12, latency_south_hop: 6.5e-9, energy_west_hop: 3.0e-12, latency_west_hop: 4.1e-9}
      core:
        - name: c[0..3]
          attributes: {buffer_position: soma, max_neurons_supported: 1024}
          axon_in: [{name: in, attributes: {energy_message_in: 0.0, latency_message_in: 16.0e-9}}]
          synapse: [{name: syn, attributes: {model: current_based, energy_process_spike: 24.0e-12, latency_process_spike: 3.1e-9}}]
          dendrite: [{name: den, attributes: {model: accumulator, energy_update: 0.0, latency_update: 0.0}}]
          soma: [{name: lif, attributes: {model: leaky_integrate_fire, energy_access_neuron: 51.2e-12, latency_access_neuron: 6.0e-9,
                  energy_update_neuron: 21.6e-12, latency_update_neuron: 3.7e-9, energy_spike_out: 69.3e-12, latency_spike_out: 30.0e-9}}]
          axon_out: [{name: out, attributes: {energy_message_out: 111.0e-12, latency_message_out: 5.1e-9}}]
`;
}

/** The synthetic SNN: LIF inputs driven by small biases (each fires every ~20–60 steps), one conv2d edge. */
export function syntheticSanafeSnn(o: SanafeBenchOptions = {}): string {
  const C = o.channels ?? 10;
  const S = o.side ?? 32;
  const K = o.kernels ?? 13;
  const k = o.kernel ?? 6;
  const nIn = C * S * S;
  const outSide = S - k + 1;
  const nOut = K * outSide * outSide;
  const weights: string[] = [];
  for (let i = 0; i < k * k * C * K; i++) weights.push(String(((i * 7919) % 13) / 100 - 0.05));
  const lines = [
    'network:',
    '  name: bench_conv',
    '  groups:',
    '    - name: in',
    '      attributes: [threshold: 1.0, log_spikes: true]',
    '      neurons:',
  ];
  // biases in 8 bands so inputs fire at different rates
  const band = Math.ceil(nIn / 8);
  for (let b = 0; b < 8; b++) {
    const lo = b * band;
    const hi = Math.min(nIn, lo + band) - 1;
    if (lo <= hi) lines.push(`        - ${lo}..${hi}: [bias: ${(0.017 + b * 0.005).toFixed(3)}]`);
  }
  lines.push('    - name: out', '      attributes: [threshold: 4.0, leak_decay: 0.9]', '      neurons:', `        - 0..${nOut - 1}`);
  lines.push('  edges:', '    - in -> out:', '        type: conv2d');
  lines.push(`        input_height: ${S}`, `        input_width: ${S}`, `        input_channels: ${C}`, `        kernel_count: ${K}`);
  lines.push(`        kernel_height: ${k}`, `        kernel_width: ${k}`, '        stride_height: 1', '        stride_width: 1');
  lines.push(`        weight: [${weights.join(', ')}]`);
  lines.push('mappings:');
  let core = 0;
  for (const [g, n] of [['in', nIn], ['out', nOut]] as const)
    for (let a = 0; a < n; a += 1024) {
      lines.push(`  - ${g}.${a}..${Math.min(n, a + 1024) - 1}: {core: ${Math.floor(core / 4)}.${core % 4}}`);
      core++;
    }
  return lines.join('\n') + '\n';
}

export function benchSanafeLoad(opts: SanafeBenchOptions = {}): Record<string, number | string> {
  const steps = opts.steps ?? 1000;
  let peak = process.memoryUsage().rss;
  const sample = (): void => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  };
  const archText = syntheticSanafeArch();
  const snnText = syntheticSanafeSnn(opts);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const run = loadSanafeRunFromText(snnText, archText, 'bench_snn.yaml', 'bench_arch.yaml');
  const loadS = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  sample();
  const t1 = performance.now();
  run.sim.run(steps, (s) => {
    if (s % 50 === 0) sample();
  });
  const runS = (performance.now() - t1) / 1000;
  const c2 = process.cpuUsage(c0);
  sample();
  const t = run.sim.totals();
  return {
    neurons: run.network.nNeurons,
    synapses: run.network.nEdges,
    snn_yaml_bytes: snnText.length,
    cores: run.mapping.coresUsed,
    steps,
    load_s: +loadS.toFixed(3),
    load_cpu_s: +(c1.user / 1e6).toFixed(3),
    run_s: +runS.toFixed(3),
    run_cpu_s: +((c2.user - c1.user) / 1e6).toFixed(3),
    step_ms: +((runS / steps) * 1000).toFixed(4),
    synaptic_events: t.total_spikes,
    messages: t.total_messages_sent,
    neurons_fired: t.total_neurons_fired,
    events_per_s: Math.round(t.total_spikes / runS),
    sim_time_s: t.sim_time,
    energy_j: t.energy.total,
    peak_rss_mb: Math.round(peak / 1048576),
  };
}
