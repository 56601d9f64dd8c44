/** Fuzzing the SANA-FE readers: random, mutated and wrongly-typed inputs give InputErrors, never crashes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../emulator/errors.js';
import { loadSanafeRunFromText } from '../../emulator/sanafe/index.js';
import { archText } from './fixtures.js';

const ARCH = archText();
const SNN = `network:
  name: f
  groups:
    - name: in
      attributes: [log_spikes: true, soma_hw_name: inp]
      neurons:
        - 0..3: [spikes: [1, 0, 1]]
    - name: h
      attributes: {threshold: 1.5, bias: 0.25}
      neurons:
        - 0..3
        - 4: [soma: {reset: -1.0}]
  edges:
    - in -> h:
        type: conv2d
        input_height: 2
        input_width: 2
        input_channels: 1
        kernel_count: 5
        kernel_height: 2
        kernel_width: 2
        weight: [${Array.from({ length: 20 }, (_, i) => (i % 7) - 2).join(', ')}]
    - h -> in: [type: sparse, source_target_pairs: [[0, 1]], weight: [1]]
    - h.0 -> h.4: [weight: -2]
mappings:
  - in: {core: 0.0}
  - h.0..2: {core: 0.1}
  - h.3..4: [core: 1.0]
`;

/** Load and run a few steps: only InputError may escape, one line per problem. */
function pipeline(snn: string, arch: string): void {
  try {
    loadSanafeRunFromText(snn, arch, 'fuzz_snn.yaml', 'fuzz_arch.yaml').sim.run(3);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    for (const line of e.lines()) expect(line).not.toContain('\n');
  }
}

function mutate(text: string, edits: { at: number; kind: number; ch: string }[]): string {
  let s = text;
  for (const e of edits) {
    const i = e.at % (s.length + 1);
    if (e.kind === 0) s = s.slice(0, i) + s.slice(i + 1);
    else if (e.kind === 1) s = s.slice(0, i) + e.ch + s.slice(i);
    else s = s.slice(0, i) + e.ch + s.slice(i + 1);
  }
  return s;
}

const edit = fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 2 }), ch: fc.constantFrom(...'0123456789-.:,[]{}\n #e>'.split('')) });

describe('SANA-FE reader fuzzing', () => {
  it('the fixture pair itself loads and runs', () => {
    expect(() => loadSanafeRunFromText(SNN, ARCH, 's', 'a').sim.run(3)).not.toThrow();
  });

  it('mutated SNN files never crash the reader or the engine', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (e) => pipeline(mutate(SNN, e), ARCH)), { numRuns: 150, seed: 7 });
  });

  it('mutated architecture files never crash the reader or the engine', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (e) => pipeline(SNN, mutate(ARCH, e))), { numRuns: 100, seed: 8 });
  });

  it('any JSON value in place of a section never crashes the reader', () => {
    const sections = ['groups', 'edges'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...sections), fc.jsonValue({ maxDepth: 3 }), (where, v) => {
        const doc = { network: { name: 'j', groups: [{ name: 'a', neurons: ['0..1'] }], edges: [] as unknown }, mappings: [{ a: { core: '0.0' } }] };
        (doc.network as Record<string, unknown>)[where] = v;
        pipeline(JSON.stringify(doc), ARCH);
        pipeline(JSON.stringify({ network: { name: 'j', groups: [{ name: 'a', neurons: ['0..1'] }] }, mappings: v }), ARCH);
        pipeline(JSON.stringify({ network: { name: 'j', groups: [{ name: 'a', attributes: v, neurons: [{ '0..1': v }] }], edges: [{ 'a -> a': v }, { 'a.0 -> a.1': v }] }, mappings: [{ a: { core: '0.0' } }] }), ARCH);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
