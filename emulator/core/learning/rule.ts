/**
 * The learning-rule language: sum-of-products expressions over dependency factors and traces,
 * parsed once into a `LearningRule` (a list of product series, one per target).
 *
 *   rules    := rule ((';' | newline) rule)*
 *   rule     := target '=' series                      target: dw | dd | dt
 *   series   := [sign] product (sign product)*          sign: '+' | '-'
 *   product  := factor ('*' factor)*
 *   factor   := literal | name | '(' inner ')' | 'sgn' '(' inner ')'
 *   inner    := [sign] operand [sign operand]            one name and at most one literal,
 *                                                        or a single literal
 *   literal  := INT ['^' [sign] INT]                    base of '^' must be 2
 *   name     := x0 | y0 | u | u<k> | x1 | x2 | y1 | y2 | y3 | w | d | t
 *
 * Semantics follow Lava's ProductSeries: the first of x0, y0, u in a product is its dependency
 * (later x0/y0 are 0/1 factors); every literal of a product multiplies into its scaling factor
 * mantissa · 2^exp, normalised (halve an even mantissa while |m| > 7) to a 4-bit signed mantissa
 * and an exponent in −7..8; `(v ± C)` adds an 8-bit constant to a factor; `sgn(v ± C)` takes the
 * sign of a synaptic variable. Errors carry the column (1-based) of the offending token.
 */
import { InputError, type Problem } from '../../errors.js';
import { closest } from '../../spec/validate.js';
import {
  CONST_MAX,
  CONST_MIN,
  MAX_DECIMATE,
  MAX_FACTORS,
  SCALE_EXP_MAX,
  SCALE_EXP_MIN,
  SCALE_MANT_MAX,
  SCALE_MANT_MIN,
} from './widths.js';

export type Target = 'dw' | 'dd' | 'dt';
export type Dependency = 'x0' | 'y0' | 'u';
export type TraceName = 'x1' | 'x2' | 'y1' | 'y2' | 'y3';
export type SynapticVar = 'w' | 'd' | 't';
/** What a factor reads: a trace, a synaptic variable, or a spike dependency used as a 0/1 factor. */
export type FactorVar = TraceName | SynapticVar | 'x0' | 'y0';

export const TARGETS: readonly Target[] = ['dw', 'dd', 'dt'];
export const TRACE_NAMES: readonly TraceName[] = ['x1', 'x2', 'y1', 'y2', 'y3'];
export const PRE_TRACES: readonly TraceName[] = ['x1', 'x2'];
export const POST_TRACES: readonly TraceName[] = ['y1', 'y2', 'y3'];
const SYNAPTIC_VARS: readonly SynapticVar[] = ['w', 'd', 't'];
const NAMES = ['x0', 'y0', 'u', 'x1', 'x2', 'y1', 'y2', 'y3', 'w', 'd', 't', 'sgn'];

export interface Factor {
  variable: FactorVar;
  /** Additive constant C of `(v + C)`; 0 when absent. */
  constant: number;
  /** `sgn(v + C)`: the factor is the sign (−1, 0, 1) of the sum. */
  sgn: boolean;
}

export interface Product {
  dependency: Dependency;
  /** Decimation exponent k of a `u<k>` dependency (u = u0); 0 for x0/y0. */
  decimate: number;
  /** Scaling factor mantissa · 2^exponent; mantissa in −8..7, exponent in −7..8. */
  mantissa: number;
  exponent: number;
  factors: Factor[];
  /** Column (1-based, within its line) where the product starts, for messages. */
  column: number;
}

export interface ProductSeries {
  target: Target;
  products: Product[];
}

export interface LearningRule {
  /** The rule text as written. */
  text: string;
  /** One series per target, in the order written; each target at most once. */
  series: ProductSeries[];
}

export interface ParseOptions {
  /** Label of the InputError (default `rule`). */
  source?: string;
}

// ---------------------------------------------------------------------------------------------
// tokens

type TokKind = 'int' | 'name' | 'op' | 'sep' | 'end';
interface Token {
  kind: TokKind;
  text: string;
  /** Offset in the whole text. */
  pos: number;
}

class RuleSyntaxError extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\n' || c === ';') {
      out.push({ kind: 'sep', text: c, pos: i });
      i++;
    } else if (c >= '0' && c <= '9') {
      const start = i;
      while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
      if (i < text.length && (text[i] === '.' || /[a-zA-Z_]/.test(text[i]))) {
        throw new RuleSyntaxError(i, text[i] === '.' ? 'fractions are not allowed; write a scale as m*2^e' : `unexpected '${text[i]}' after number`);
      }
      out.push({ kind: 'int', text: text.slice(start, i), pos: start });
    } else if (/[a-zA-Z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[a-zA-Z0-9_]/.test(text[i])) i++;
      out.push({ kind: 'name', text: text.slice(start, i), pos: start });
    } else if ('+-*^()='.includes(c)) {
      if (c === '*' && text[i + 1] === '*') throw new RuleSyntaxError(i, "'**' is not allowed; write powers as 2^e");
      out.push({ kind: 'op', text: c, pos: i });
      i++;
    } else {
      throw new RuleSyntaxError(i, `unexpected character '${c}'`);
    }
  }
  out.push({ kind: 'end', text: '', pos: text.length });
  return out;
}

function describeTok(t: Token): string {
  if (t.kind === 'end') return 'end of rule';
  if (t.kind === 'sep') return t.text === ';' ? "';'" : 'end of line';
  return `'${t.text}'`;
}

// ---------------------------------------------------------------------------------------------
// parser

/** A parsed factor-level item before products are assembled. */
type Item =
  | { kind: 'literal'; mantissa: number; exponent: number; pos: number }
  | { kind: 'dep'; dep: Dependency; decimate: number; pos: number }
  | { kind: 'factor'; factor: Factor; negate: boolean; pos: number };

class Parser {
  private k = 0;
  constructor(
    private readonly toks: Token[],
    private readonly text: string,
  ) {}

  private peek(): Token {
    return this.toks[this.k];
  }
  private next(): Token {
    return this.toks[this.k++];
  }
  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.text === op;
  }
  private expectOp(op: string, context: string): Token {
    const t = this.next();
    if (!this.isOp(t, op)) throw new RuleSyntaxError(t.pos, `expected '${op}' ${context}, found ${describeTok(t)}`);
    return t;
  }

  parseAll(): ProductSeries[] {
    const series: ProductSeries[] = [];
    const seen = new Map<Target, number>();
    for (;;) {
      while (this.peek().kind === 'sep') this.next();
      if (this.peek().kind === 'end') break;
      const start = this.peek();
      const s = this.parseRule();
      if (seen.has(s.target)) throw new RuleSyntaxError(start.pos, `target '${s.target}' is given twice (each of dw, dd, dt at most once)`);
      seen.set(s.target, start.pos);
      series.push(s);
      const t = this.peek();
      if (t.kind !== 'sep' && t.kind !== 'end') throw new RuleSyntaxError(t.pos, `unexpected ${describeTok(t)}; a product must be followed by '+', '-', '*' or the end of the rule`);
    }
    if (series.length === 0) throw new RuleSyntaxError(0, "empty rule; write e.g. 'dw = 2^-2*x1*y0 - 2^-2*y1*x0'");
    return series;
  }

  private parseRule(): ProductSeries {
    const t = this.next();
    if (t.kind !== 'name' || !(TARGETS as readonly string[]).includes(t.text)) {
      throw new RuleSyntaxError(t.pos, `expected a target (dw, dd or dt), found ${describeTok(t)}`);
    }
    const target = t.text as Target;
    this.expectOp('=', `after '${target}'`);
    const products: Product[] = [];
    let sign = 1;
    const first = this.peek();
    if (this.isOp(first, '+') || this.isOp(first, '-')) {
      sign = first.text === '-' ? -1 : 1;
      this.next();
    }
    let decimate: number | undefined;
    let decimatePos = 0;
    for (;;) {
      const p = this.parseProduct(sign);
      if (p.dependency === 'u') {
        if (decimate !== undefined && decimate !== p.decimate) {
          throw new RuleSyntaxError(p.pos, `u${p.decimate} conflicts with u${decimate} at col ${columnOf(this.text, decimatePos).col}: one decimation exponent per target`);
        }
        decimate = p.decimate;
        decimatePos = p.pos;
      }
      products.push(p.product);
      const op = this.peek();
      if (this.isOp(op, '+') || this.isOp(op, '-')) {
        this.next();
        sign = op.text === '-' ? -1 : 1;
        continue;
      }
      break;
    }
    return { target, products };
  }

  private parseProduct(sign: number): { product: Product; dependency: Dependency; decimate: number; pos: number } {
    const startTok = this.peek();
    const items: Item[] = [];
    items.push(...this.parseFactor());
    while (this.isOp(this.peek(), '*')) {
      this.next();
      items.push(...this.parseFactor());
    }
    let mantissa = sign;
    let exponent = 0;
    let dependency: Dependency | undefined;
    let decimate = 0;
    const factors: Factor[] = [];
    for (const it of items) {
      if (it.kind === 'literal') {
        mantissa *= it.mantissa;
        exponent += it.exponent;
      } else if (it.kind === 'dep') {
        if (dependency === undefined) {
          dependency = it.dep;
          decimate = it.decimate;
        } else if (it.dep === 'u') {
          throw new RuleSyntaxError(it.pos, `'u' may only be a product's dependency (its first of x0, y0, u); this product already depends on ${dependency}`);
        } else {
          factors.push({ variable: it.dep, constant: 0, sgn: false });
        }
      } else {
        if (it.negate) mantissa = -mantissa;
        factors.push(it.factor);
      }
      if (!Number.isSafeInteger(mantissa) || Math.abs(exponent) > 1e6) {
        throw new RuleSyntaxError(it.pos, 'scaling factor is too large');
      }
    }
    if (dependency === undefined) {
      throw new RuleSyntaxError(startTok.pos, 'product has no dependency: every product needs one of x0 (pre spike), y0 (post spike) or u (epoch)');
    }
    if (factors.length > MAX_FACTORS) {
      throw new RuleSyntaxError(startTok.pos, `product has ${factors.length} factors besides its dependency; at most ${MAX_FACTORS}`);
    }
    // normalise as Lava does: halve an even mantissa while it does not fit in 4 bits
    while (Math.abs(mantissa) > SCALE_MANT_MAX && mantissa % 2 === 0 && exponent < SCALE_EXP_MAX) {
      mantissa /= 2;
      exponent += 1;
    }
    while (exponent < SCALE_EXP_MIN && mantissa % 2 === 0 && mantissa !== 0) {
      mantissa /= 2;
      exponent += 1;
    }
    if (mantissa === 0) exponent = 0;
    if (mantissa < SCALE_MANT_MIN || mantissa > SCALE_MANT_MAX || exponent < SCALE_EXP_MIN || exponent > SCALE_EXP_MAX) {
      throw new RuleSyntaxError(
        startTok.pos,
        `scaling factor ${formatScale(mantissa, exponent)} is not representable as m*2^e with m in ${SCALE_MANT_MIN}..${SCALE_MANT_MAX} and e in ${SCALE_EXP_MIN}..${SCALE_EXP_MAX}`,
      );
    }
    return {
      product: { dependency, decimate, mantissa, exponent, factors, column: columnOf(this.text, startTok.pos).col },
      dependency,
      decimate,
      pos: startTok.pos,
    };
  }

  private parseLiteral(): { mantissa: number; exponent: number; pos: number; value: number } {
    const t = this.next();
    const n = Number(t.text);
    if (!Number.isSafeInteger(n)) throw new RuleSyntaxError(t.pos, `number ${t.text} is too large`);
    if (!this.isOp(this.peek(), '^')) return { mantissa: n, exponent: 0, pos: t.pos, value: n };
    const caret = this.next();
    if (n !== 2) throw new RuleSyntaxError(t.pos, `only powers of 2 are allowed, found ${t.text}^…`);
    let esign = 1;
    if (this.isOp(this.peek(), '-') || this.isOp(this.peek(), '+')) esign = this.next().text === '-' ? -1 : 1;
    const e = this.next();
    if (e.kind !== 'int') throw new RuleSyntaxError(e.pos, `expected an integer exponent after '^' at col ${columnOf(this.text, caret.pos).col}, found ${describeTok(e)}`);
    const exp = esign * Number(e.text);
    if (Math.abs(exp) > 64) throw new RuleSyntaxError(e.pos, `exponent ${exp} is out of range`);
    return { mantissa: 1, exponent: exp, pos: t.pos, value: 2 ** exp };
  }

  /** Name token → item (dependency or plain variable factor). */
  private nameItem(t: Token): Item {
    const name = t.text;
    if (name === 'x0' || name === 'y0') return { kind: 'dep', dep: name, decimate: 0, pos: t.pos };
    const um = /^u([0-9]+)?$/.exec(name);
    if (um) {
      const k = um[1] === undefined ? 0 : Number(um[1]);
      if (k > MAX_DECIMATE) throw new RuleSyntaxError(t.pos, `decimation exponent of '${name}' is above ${MAX_DECIMATE}`);
      return { kind: 'dep', dep: 'u', decimate: k, pos: t.pos };
    }
    if ((TRACE_NAMES as readonly string[]).includes(name) || (SYNAPTIC_VARS as readonly string[]).includes(name)) {
      return { kind: 'factor', factor: { variable: name as FactorVar, constant: 0, sgn: false }, negate: false, pos: t.pos };
    }
    if (name === 'sgn') throw new RuleSyntaxError(t.pos, "'sgn' must be followed by '('");
    const hint = closestName(name);
    throw new RuleSyntaxError(t.pos, `unknown name '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; names are x0, y0, u, u<k>, x1, x2, y1, y2, y3, w, d, t, sgn`);
  }

  private parseFactor(): Item[] {
    const t = this.peek();
    if (t.kind === 'int') {
      const lit = this.parseLiteral();
      return [{ kind: 'literal', mantissa: lit.mantissa, exponent: lit.exponent, pos: lit.pos }];
    }
    if (t.kind === 'name') {
      this.next();
      if (t.text === 'sgn') {
        if (!this.isOp(this.peek(), '(')) throw new RuleSyntaxError(this.peek().pos, `expected '(' after 'sgn', found ${describeTok(this.peek())}`);
        return [this.parseInner(true, t)];
      }
      return [this.nameItem(t)];
    }
    if (this.isOp(t, '(')) return [this.parseInner(false, t)];
    if (this.isOp(t, '+') || this.isOp(t, '-')) {
      throw new RuleSyntaxError(t.pos, `unexpected '${t.text}': a sign inside a product must be in brackets, e.g. (-x1 + 4)`);
    }
    throw new RuleSyntaxError(t.pos, `unexpected ${describeTok(t)}; expected a number, a name such as x1 or y0, or '('`);
  }

  /** `( [sign] operand [sign operand] )`, after an optional `sgn`. */
  private parseInner(sgn: boolean, head: Token): Item {
    const open = this.next(); // the '('
    const operands: { sign: number; item: Item; tok: Token; value?: number }[] = [];
    for (;;) {
      let sign = 1;
      const st = this.peek();
      if (this.isOp(st, '+') || this.isOp(st, '-')) {
        sign = st.text === '-' ? -1 : 1;
        this.next();
      } else if (operands.length > 0) {
        break;
      }
      const t = this.peek();
      if (t.kind === 'int') {
        const lit = this.parseLiteral();
        operands.push({ sign, item: { kind: 'literal', mantissa: lit.mantissa, exponent: lit.exponent, pos: lit.pos }, tok: t, value: lit.value });
      } else if (t.kind === 'name') {
        this.next();
        if (t.text === 'sgn') throw new RuleSyntaxError(t.pos, "'sgn' cannot be nested in brackets");
        operands.push({ sign, item: this.nameItem(t), tok: t });
      } else {
        throw new RuleSyntaxError(t.pos, `unexpected ${describeTok(t)} inside brackets; expected a name or a number`);
      }
      if (operands.length > 2) throw new RuleSyntaxError(t.pos, 'brackets hold one variable and at most one constant, e.g. (x1 + 16)');
      if (this.isOp(this.peek(), '*')) throw new RuleSyntaxError(this.peek().pos, "unexpected '*' inside brackets; brackets hold a sum such as (w - 64)");
    }
    const close = this.next();
    if (!this.isOp(close, ')')) throw new RuleSyntaxError(close.pos, `expected ')' to close '(' at col ${columnOf(this.text, open.pos).col}, found ${describeTok(close)}`);

    const vars = operands.filter((o) => o.item.kind !== 'literal');
    const lits = operands.filter((o) => o.item.kind === 'literal');
    if (vars.length === 0) {
      if (sgn) throw new RuleSyntaxError(head.pos, 'sgn(...) needs a variable w, d or t');
      if (lits.length !== 1) throw new RuleSyntaxError(lits[1].tok.pos, 'brackets hold one variable and at most one constant, e.g. (x1 + 16)');
      const l = lits[0].item as Extract<Item, { kind: 'literal' }>;
      return { kind: 'literal', mantissa: lits[0].sign * l.mantissa, exponent: l.exponent, pos: l.pos };
    }
    if (vars.length > 1) throw new RuleSyntaxError(vars[1].tok.pos, 'brackets hold one variable and at most one constant, e.g. (x1 + 16)');
    const v = vars[0];
    if (v.item.kind === 'dep' && v.item.dep === 'u') throw new RuleSyntaxError(v.tok.pos, "'u' cannot appear in brackets; it may only be a product's dependency");
    const variable: FactorVar = v.item.kind === 'dep' ? (v.item.dep as 'x0' | 'y0') : (v.item as Extract<Item, { kind: 'factor' }>).factor.variable;
    let constant = 0;
    if (lits.length === 1) {
      const value = lits[0].value as number;
      if (!Number.isInteger(value)) throw new RuleSyntaxError(lits[0].tok.pos, `additive constant ${formatNumber(value)} is not an integer`);
      constant = lits[0].sign * value;
      // (-v + C) is stored as -(v - C): the stored constant is what must fit
      const stored = v.sign < 0 ? -constant : constant;
      if (stored < CONST_MIN || stored > CONST_MAX) {
        throw new RuleSyntaxError(lits[0].tok.pos, `additive constant ${stored} is outside the 8-bit range ${CONST_MIN}..${CONST_MAX}${v.sign < 0 ? ' (after moving the minus of the variable out of the brackets)' : ''}`);
      }
    }
    if (sgn) {
      if (!(SYNAPTIC_VARS as readonly string[]).includes(variable)) throw new RuleSyntaxError(v.tok.pos, `sgn(...) applies to w, d or t, not '${variable}'`);
      if (v.sign < 0) throw new RuleSyntaxError(v.tok.pos, 'the variable inside sgn(...) cannot be negated');
    }
    // (-v + C) = -(v - C): the minus moves into the product's scaling factor (as Lava does)
    const negate = v.sign < 0;
    if (negate) constant = -constant;
    return { kind: 'factor', factor: { variable, constant: constant === 0 ? 0 : constant, sgn }, negate, pos: head.pos };
  }
}

function closestName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return NAMES.includes(lower) ? lower : closest(name, NAMES);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toString();
}

function formatScale(m: number, e: number): string {
  return e === 0 ? `${m}` : `${m}*2^${e}`;
}

/** 1-based line and column of an offset. */
export function columnOf(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: pos - lineStart + 1 };
}

/**
 * Parse rule text (one or more `target = series`, separated by ';' or newlines).
 * Throws InputError(source, [{where: 'col N' (or 'line L col N'), message}]).
 */
export function parseRule(text: string, opts: ParseOptions = {}): LearningRule {
  const source = opts.source ?? 'rule';
  try {
    const toks = tokenize(text);
    const series = new Parser(toks, text).parseAll();
    return { text, series };
  } catch (e) {
    if (e instanceof RuleSyntaxError) {
      const { line, col } = columnOf(text, e.pos);
      const where = text.includes('\n') ? `line ${line} col ${col}` : `col ${col}`;
      const problem: Problem = { where, message: e.message };
      throw new InputError(source, [problem]);
    }
    throw e;
  }
}

/** Canonical text of a parsed rule (parseRule(formatRule(r)) has the same series as r). */
export function formatRule(rule: LearningRule): string {
  return rule.series.map(formatSeries).join('; ');
}

function formatSeries(s: ProductSeries): string {
  let out = `${s.target} =`;
  s.products.forEach((p, i) => {
    const neg = p.mantissa < 0;
    const sign = i === 0 ? (neg ? ' -' : ' ') : neg ? ' - ' : ' + ';
    const parts: string[] = [];
    const m = Math.abs(p.mantissa);
    if (m !== 1 || p.mantissa === 0) parts.push(String(m));
    if (p.exponent !== 0) parts.push(`2^${p.exponent}`);
    parts.push(p.dependency === 'u' ? (p.decimate === 0 ? 'u' : `u${p.decimate}`) : p.dependency);
    for (const f of p.factors) parts.push(formatFactor(f));
    out += sign + parts.join('*');
  });
  return out;
}

function formatFactor(f: Factor): string {
  const inner = f.constant === 0 ? f.variable : `${f.variable} ${f.constant < 0 ? '-' : '+'} ${Math.abs(f.constant)}`;
  if (f.sgn) return `sgn(${inner})`;
  return f.constant === 0 ? inner : `(${inner})`;
}

/** Traces a rule reads, by kind (pre x1/x2, post y1/y2/y3). */
export function tracesUsed(rule: LearningRule): Set<TraceName> {
  const used = new Set<TraceName>();
  for (const s of rule.series) for (const p of s.products) for (const f of p.factors) if ((TRACE_NAMES as readonly string[]).includes(f.variable)) used.add(f.variable as TraceName);
  return used;
}
