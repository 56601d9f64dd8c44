/** Small SANA-FE descriptions built in code (the suite must run without ../shared). */

export interface UnitCosts {
  access?: number;
  update?: number;
  spike?: number;
  accessL?: number;
  updateL?: number;
  spikeL?: number;
}

export interface ArchFixture {
  width?: number;
  height?: number;
  /** One entry per tile: [name, cores per tile, east-hop energy, east-hop latency]. */
  tiles?: [string, number, number, number][];
  maxNeurons?: number;
  sync?: string;
  soma?: UnitCosts;
  synE?: number;
  synL?: number;
  dendE?: number;
  dendL?: number;
  inE?: number;
  inL?: number;
  outE?: number;
  outL?: number;
  extraSoma?: string;
}

export function archText(o: ArchFixture = {}): string {
  const s = o.soma ?? {};
  const tiles = o.tiles ?? [['t[0..1]', 2, 1e-12, 1e-9]];
  const out = [
    'architecture:',
    '  name: fixture',
    '  attributes:',
    `    width: ${o.width ?? 2}`,
    `    height: ${o.height ?? 1}`,
    '    link_buffer_size: 4',
  ];
  if (o.sync) out.push(o.sync);
  out.push('  tile:');
  for (const [name, cores, eE, lE] of tiles) {
    out.push(
      `    - name: ${name}`,
      '      attributes:',
      `        energy_east_hop: ${eE}`,
      `        latency_east_hop: ${lE}`,
      '        energy_west_hop: 1.0e-13',
      '        latency_west_hop: 1.0e-10',
      '        energy_north_hop: 3.0e-12',
      '        latency_north_hop: 3.0e-9',
      '        energy_south_hop: 4.0e-12',
      '        latency_south_hop: 4.0e-9',
      '      core:',
      `        - name: c[0..${cores - 1}]`,
      '          attributes:',
      '            buffer_position: soma',
      `            max_neurons_supported: ${o.maxNeurons ?? 16}`,
      '          axon_in:',
      `            - name: ain`,
      `              attributes: {energy_message_in: ${o.inE ?? 0}, latency_message_in: ${o.inL ?? 0}}`,
      '          synapse:',
      '            - name: syn',
      `              attributes: {model: current_based, energy_process_spike: ${o.synE ?? 1e-12}, latency_process_spike: ${o.synL ?? 1e-9}}`,
      '          dendrite:',
      '            - name: den',
      `              attributes: {model: accumulator, energy_update: ${o.dendE ?? 0}, latency_update: ${o.dendL ?? 0}}`,
      '          soma:',
      '            - name: lif',
      `              attributes: {model: leaky_integrate_fire, energy_access_neuron: ${s.access ?? 1e-12}, energy_update_neuron: ${s.update ?? 2e-12}, energy_spike_out: ${s.spike ?? 3e-12},`,
      `                           latency_access_neuron: ${s.accessL ?? 1e-9}, latency_update_neuron: ${s.updateL ?? 2e-9}, latency_spike_out: ${s.spikeL ?? 3e-9}}`,
      '            - name: inp',
      '              attributes: {model: input, energy_access_neuron: 0.0, energy_update_neuron: 0.0, energy_spike_out: 0.0, latency_access_neuron: 0.0, latency_update_neuron: 0.0, latency_spike_out: 0.0}',
      ...(o.extraSoma ? [o.extraSoma] : []),
      '          axon_out:',
      '            - name: aout',
      `              attributes: {energy_message_out: ${o.outE ?? 5e-12}, latency_message_out: ${o.outL ?? 5e-9}}`,
    );
  }
  return out.join('\n') + '\n';
}
