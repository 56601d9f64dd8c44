import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../emulator/errors.js';
import { formatRule, parseRule, tracesUsed, type LearningRule } from '../../emulator/core/learning/index.js';

function problemOf(text: string): { where: string; message: string; line: string } {
  try {
    parseRule(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.problems).toHaveLength(1);
    return { ...err.problems[0], line: err.lines()[0] };
  }
  throw new Error(`rule parsed but should not: ${text}`);
}

describe('rule language: accepted forms', () => {
  it('parses the pairwise STDP rule into two products with dependencies and scales', () => {
    const r = parseRule('dw = 2^-2*x1*y0 - 2^-2*y1*x0');
    expect(r.series).toHaveLength(1);
    const [s] = r.series;
    expect(s.target).toBe('dw');
    expect(s.products).toEqual([
      { dependency: 'y0', decimate: 0, mantissa: 1, exponent: -2, factors: [{ variable: 'x1', constant: 0, sgn: false }], column: 6 },
      { dependency: 'x0', decimate: 0, mantissa: -1, exponent: -2, factors: [{ variable: 'y1', constant: 0, sgn: false }], column: 19 },
    ]);
  });

  it('takes the first of x0, y0, u as the dependency and later x0/y0 as 0/1 factors', () => {
    const r = parseRule('dw = x0*y0*x1');
    expect(r.series[0].products[0].dependency).toBe('x0');
    expect(r.series[0].products[0].factors.map((f) => f.variable)).toEqual(['y0', 'x1']);
  });

  it('combines all literals of a product into mantissa·2^exp and normalises like Lava', () => {
    const p = (t: string) => parseRule(t).series[0].products[0];
    expect(p('dw = 3*2^-3*x0')).toMatchObject({ mantissa: 3, exponent: -3 });
    expect(p('dw = 16*y0')).toMatchObject({ mantissa: 4, exponent: 2 });
    expect(p('dw = 12*y0')).toMatchObject({ mantissa: 6, exponent: 1 });
    expect(p('dw = -8*y0')).toMatchObject({ mantissa: -4, exponent: 1 });
    expect(p('dw = 7*2^8*y0')).toMatchObject({ mantissa: 7, exponent: 8 });
    expect(p('dw = 2*2^-8*y0')).toMatchObject({ mantissa: 1, exponent: -7 });
    expect(p('dw = 2^8*y0')).toMatchObject({ mantissa: 1, exponent: 8 });
    expect(p('dw = -x0')).toMatchObject({ mantissa: -1, exponent: 0 });
    expect(p('dw = (-3)*x0')).toMatchObject({ mantissa: -3, exponent: 0 });
  });

  it('reads additive constants, negated brackets and sgn of synaptic variables', () => {
    const p = parseRule('dw = x0*(x1 + 16)*(w - 64)*sgn(w + 3)').series[0].products[0];
    expect(p.factors).toEqual([
      { variable: 'x1', constant: 16, sgn: false },
      { variable: 'w', constant: -64, sgn: false },
      { variable: 'w', constant: 3, sgn: true },
    ]);
    // (-y1 + 4) = -(y1 - 4): the minus moves into the scale (Lava's convention)
    const q = parseRule('dw = x0*(-y1 + 4)').series[0].products[0];
    expect(q).toMatchObject({ mantissa: -1, factors: [{ variable: 'y1', constant: -4, sgn: false }] });
    const c = parseRule('dw = x0*(16 - y2)').series[0].products[0];
    expect(c).toMatchObject({ mantissa: -1, factors: [{ variable: 'y2', constant: -16, sgn: false }] });
  });

  it('accepts u with a decimation exponent and several targets separated by ; or newlines', () => {
    const r = parseRule('dw = u3*x1 - 2^-1*u3*w\ndd = y0 ; dt = 2*x0 - t*u');
    expect(r.series.map((s) => s.target)).toEqual(['dw', 'dd', 'dt']);
    expect(r.series[0].products.map((p) => [p.dependency, p.decimate])).toEqual([
      ['u', 3],
      ['u', 3],
    ]);
    expect(r.series[2].products[1]).toMatchObject({ dependency: 'u', decimate: 0, mantissa: -1, factors: [{ variable: 't' }] });
  });

  it('ignores whitespace and reports which traces a rule reads', () => {
    const r = parseRule('  dw=2^-2*x1*y0-2^-2*y1*x0+u*x2*y3 ');
    expect([...tracesUsed(r)].sort()).toEqual(['x1', 'x2', 'y1', 'y3']);
  });

  it('formatRule gives text that parses back to the same series (property)', () => {
    const name = fc.constantFrom('x1', 'x2', 'y1', 'y2', 'y3', 'w', 'd', 't', 'x0', 'y0');
    const factorText = fc.oneof(
      name,
      fc.tuple(name, fc.integer({ min: -256, max: 255 })).map(([n, c]) => `(${n} ${c < 0 ? '-' : '+'} ${Math.abs(c)})`),
      fc.tuple(fc.constantFrom('w', 'd', 't'), fc.integer({ min: -256, max: 255 })).map(([n, c]) => `sgn(${n} + ${c})`.replace('+ -', '- ')),
    );
    const product = fc.tuple(
      fc.constantFrom('x0', 'y0', 'u', 'u2'),
      fc.integer({ min: -8, max: 7 }),
      fc.integer({ min: -7, max: 8 }),
      fc.array(factorText, { maxLength: 3 }),
    );
    const series = fc.array(product, { minLength: 1, maxLength: 4 }).map((ps) => {
      const dec = ps.find((p) => p[0].startsWith('u'))?.[0];
      return ps
        .map(([dep, m, e, fs], i) => {
          const d = dep.startsWith('u') ? dec : dep;
          const body = [`${Math.abs(m)}`, `2^${e}`, d, ...fs].join('*');
          return (i === 0 ? (m < 0 ? '-' : '') : m < 0 ? ' - ' : ' + ') + body;
        })
        .join('');
    });
    fc.assert(
      fc.property(series, (text) => {
        const r: LearningRule = parseRule(`dw = ${text}`);
        const again = parseRule(formatRule(r));
        const strip = (x: LearningRule) => x.series.map((s) => ({ ...s, products: s.products.map((p) => ({ ...p, column: 0 })) }));
        expect(strip(again)).toEqual(strip(r));
      }),
      { numRuns: 200, seed: 8 },
    );
  });
});

describe('rule language: error corpus (InputError with the column of the problem)', () => {
  const corpus: [string, string, RegExp][] = [
    ['', 'col 1', /empty rule/],
    ['dw', 'col 3', /expected '=' after 'dw', found end of rule/],
    ['dx = x0', 'col 1', /expected a target \(dw, dd or dt\), found 'dx'/],
    ['w = x0', 'col 1', /expected a target/],
    ['dw = ', 'col 6', /unexpected end of rule/],
    ['dw = x1 *', 'col 10', /unexpected end of rule/],
    ['dw = x1 * * y0', 'col 11', /unexpected '\*'/],
    ['dw = *x1*y0', 'col 6', /unexpected '\*'/],
    ['dw = x1*y0 ** 2', 'col 12', /'\*\*' is not allowed/],
    ['dw = x0 y0', 'col 9', /unexpected 'y0'; a product must be followed by/],
    ['dw = x1*y1', 'col 6', /product has no dependency/],
    ['dw = 2^-2*x1*y0 - 2^-2*y1', 'col 19', /product has no dependency/],
    ['dw = 3^2*x0', 'col 6', /only powers of 2/],
    ['dw = 2^x*x0', 'col 8', /expected an integer exponent after '\^' at col 7/],
    ['dw = 2^-9*x0', 'col 6', /not representable as m\*2\^e/],
    ['dw = 2^9*x0', 'col 6', /not representable/],
    ['dw = 9*x0', 'col 6', /scaling factor 9 is not representable/],
    ['dw = 0.25*x0', 'col 7', /fractions are not allowed/],
    ['dw = 2x0', 'col 7', /unexpected 'x' after number/],
    ['dw = xx1*y0', 'col 6', /unknown name 'xx1' \(did you mean 'x1'\?\)/],
    ['dw = rate*y0', 'col 6', /unknown name 'rate'; names are/],
    ['dw = X1*y0', 'col 6', /unknown name 'X1' \(did you mean 'x1'\?\)/],
    ['dw = y4*x0', 'col 6', /unknown name 'y4'/],
    ['dw = x1*y0 $ 2', 'col 12', /unexpected character '\$'/],
    ['dw = (x1 + 300)*x0', 'col 12', /additive constant 300 is outside the 8-bit range -256..255/],
    ['dw = (x1 - 257)*x0', 'col 12', /additive constant -257/],
    ['dw = (x1 + 2^-1)*x0', 'col 12', /additive constant 0.5 is not an integer/],
    ['dw = (-x1 - 256)*x0', 'col 13', /additive constant 256 is outside the 8-bit range -256..255 \(after moving the minus/],
    ['dw = (x1 + y1)*x0', 'col 12', /one variable and at most one constant/],
    ['dw = (x1 + 2 + 3)*x0', 'col 16', /one variable and at most one constant/],
    ['dw = (x1*y1)*x0', 'col 9', /unexpected '\*' inside brackets/],
    ['dw = (x1 + 2*x0', 'col 13', /unexpected '\*' inside brackets/],
    ['dw = (x1 + 2', 'col 13', /expected '\)' to close '\(' at col 6, found end of rule/],
    ['dw = ()*x0', 'col 7', /unexpected '\)' inside brackets/],
    ['dw = sgn(x1)*x0', 'col 10', /sgn\(\.\.\.\) applies to w, d or t, not 'x1'/],
    ['dw = sgn(-w)*x0', 'col 11', /cannot be negated/],
    ['dw = sgn(3)*x0', 'col 6', /sgn\(\.\.\.\) needs a variable/],
    ['dw = sgn*x0', 'col 9', /expected '\(' after 'sgn'/],
    ['dw = x0*u', 'col 9', /'u' may only be a product's dependency/],
    ['dw = x0*(u + 1)', 'col 10', /'u' cannot appear in brackets/],
    ['dw = u1*x1 + u2*y1', 'col 14', /u2 conflicts with u1 at col 6/],
    ['dw = u31*x1', 'col 6', /decimation exponent of 'u31' is above 30/],
    ['dw = x0*-y1', 'col 9', /a sign inside a product must be in brackets/],
    ['dw = x0*x1*x2*y1*y2*y3*w', 'col 6', /6 factors besides its dependency; at most 5/],
    ['dw = x0; dw = y0', 'col 10', /target 'dw' is given twice/],
    ['dw = x0 dd = y0', 'col 9', /unexpected 'dd'/],
    ['dw = x0 = y0', 'col 9', /unexpected '='/],
    ['dw = 99999999999999999999*x0', 'col 6', /number 99999999999999999999 is too large/],
    ['dw = x0\ndd = y0 +', 'line 2 col 10', /unexpected end of rule/],
  ];
  for (const [text, where, message] of corpus) {
    it(`rejects ${JSON.stringify(text)} at ${where}`, () => {
      const p = problemOf(text);
      expect(p.where).toBe(where);
      expect(p.message).toMatch(message);
      expect(p.line.startsWith(`rule: ${where}: `)).toBe(true);
    });
  }

  it('never throws anything but InputError on arbitrary text (fuzz)', () => {
    const alphabet = fc.constantFrom(...'dwtxyu0123^*+-()= ;\nsgn.#'.split(''), 'x1', 'y0', 'sgn(', '2^-');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        try {
          parseRule(text);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).problems[0].where).toMatch(/^(line \d+ )?col \d+$/);
        }
      }),
      { numRuns: 1500, seed: 42 },
    );
  });

  it('labels the error with the given source', () => {
    try {
      parseRule('dw = x1', { source: 'net.yaml: projections[0].learning.rule' });
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).lines()[0]).toBe('net.yaml: projections[0].learning.rule: col 6: product has no dependency: every product needs one of x0 (pre spike), y0 (post spike) or u (epoch)');
    }
  });
});
