/**
 * Random small networks for property tests (fast-check): a spike source and LIF populations with
 * random parameters, projections with random weights, sign modes, exponents and delays; and a tiny
 * architecture whose cores are so small that populations spill across cores, tiles and chips.
 */
import fc from 'fast-check';
import { archFromSpec, presetArch, type NetworkSpec } from '../../emulator/index.js';

const popArb = fc.record({
  size: fc.integer({ min: 1, max: 5 }),
  du: fc.integer({ min: 0, max: 4095 }),
  dv: fc.integer({ min: 0, max: 4095 }),
  vth: fc.integer({ min: 0, max: 200 }),
  bias_mant: fc.integer({ min: -300, max: 300 }),
  bias_exp: fc.integer({ min: -3, max: 4 }),
  refractory: fc.integer({ min: 0, max: 3 }),
});

export const netArb = fc
  .record({
    src: fc.array(fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 4 }), { minLength: 1, maxLength: 4 }),
    lifs: fc.array(popArb, { minLength: 1, maxLength: 3 }),
    projSeeds: fc.array(
      fc.record({
        from: fc.nat(),
        to: fc.nat(),
        w: fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 25, maxLength: 25 }),
        density: fc.integer({ min: 1, max: 3 }),
        nwb: fc.integer({ min: 1, max: 8 }),
        exp: fc.integer({ min: -3, max: 3 }),
        delay: fc.integer({ min: 0, max: 3 }),
        mode: fc.constantFrom(undefined, 'mixed', 'excitatory', 'inhibitory'),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ src, lifs, projSeeds }) => {
    const populations: NetworkSpec['populations'] = [{ name: 'src', kind: 'spike-source', size: src.length, spikes: src.map((l) => [...new Set(l)]) }];
    lifs.forEach((l, i) => populations.push({ name: `p${i}`, kind: 'lif', size: l.size, params: { du: l.du, dv: l.dv, vth: l.vth, bias_mant: l.bias_mant, bias_exp: l.bias_exp, refractory: l.refractory } }));
    const projections = projSeeds.map((ps) => {
      const from = populations[ps.from % populations.length];
      const to = populations[1 + (ps.to % lifs.length)];
      const weights: number[][] = [];
      for (let j = 0; j < to.size; j++) {
        const row: number[] = [];
        for (let i = 0; i < from.size; i++) {
          const w = ps.w[(j * 5 + i) % 25];
          row.push((i + j) % ps.density === 0 ? w : 0);
        }
        weights.push(row);
      }
      return { from: from.name, to: to.name, weights, num_weight_bits: ps.nwb, weight_exp: ps.exp, delay: ps.delay, ...(ps.mode ? { sign_mode: ps.mode as 'mixed' } : {}) };
    });
    return { format: 'aerie-network/1', populations, projections } as NetworkSpec;
  });

/** A tiny arch: `compartments` per core (2: forces spills), 2 cores per tile, 2×2 tiles, 2 × `chipsY` chips. */
export function tinyArch(compartments = 2, chipsY = 1) {
  const s = presetArch('loihi');
  s.values['core.compartments'] = compartments;
  s.values['chip.cores_per_tile'] = 2;
  s.values['chip.tiles_x'] = 2;
  s.values['chip.tiles_y'] = 2;
  s.values['board.chips_x'] = 2;
  s.values['board.chips_y'] = chipsY;
  return archFromSpec(s);
}
