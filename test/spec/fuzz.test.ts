/** Fuzzing the network and arch parsers: random and mutated inputs never crash, hang or over-allocate. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, parseArch, parseNetwork, compileNetwork, placeNetwork, resolveArch } from '../../emulator/index.js';
import { REPO_ROOT } from '../helpers/cli.js';

const example = fs.readFileSync(path.join(REPO_ROOT, 'firmware-models', 'examples', 'ei-network.yaml'), 'utf8');

/** Parse, and if valid compile and place: only InputError may escape. */
function pipeline(text: string): void {
  try {
    const spec = parseNetwork(text, 'fuzz.yaml');
    const net = compileNetwork(spec, 'fuzz.yaml');
    placeNetwork(net, resolveArch('loihi'));
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

describe('network parser fuzzing', () => {
  it('random text never crashes the parser', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => pipeline(s)), { numRuns: 300, seed: 1 });
  });

  it('mutated valid networks never crash the parser, compiler or mapper', () => {
    const edit = fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 2 }), ch: fc.constantFrom(...'0123456789-.:,[]{}\n #e'.split('')) });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => pipeline(mutate(example, edits))), { numRuns: 300, seed: 2 });
  });

  it('random JSON-like structures never crash validation', () => {
    const val = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('name', 'kind', 'size', 'params', 'from', 'to', 'weights', 'du', 'spikes', 'connect', 'p'), tie('v'), { maxKeys: 4 })),
    })).v;
    const net = fc.record({ format: fc.constant('aerie-network/1'), populations: fc.array(val, { maxLength: 3 }), projections: fc.array(val, { maxLength: 3 }) });
    fc.assert(fc.property(net, (n) => pipeline(JSON.stringify(n))), { numRuns: 300, seed: 3 });
  });

  it('arch parser: random and mutated input only raises InputError', () => {
    const base = 'format: aerie-arch/1\npreset: loihi2\ncore: {compartments: 512, synapse_words: 1000}\nboard: {chips_x: 2}\n';
    const edit = fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 2 }), ch: fc.constantFrom(...'0123456789-.:,{}\n e'.split('')) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        try {
          parseArch(mutate(base, edits), 'a.yaml');
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
        }
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('alias bombs are refused, not expanded', () => {
    const bomb = 'a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n';
    expect(() => parseNetwork(bomb, 'bomb.yaml')).toThrow(InputError);
  });
});
