/**
 * A small validation toolkit shared by every spec parser (network, arch, energy tables,
 * imports). Problems are collected with the field path (and line:column when the input came
 * from a file) and thrown together; nothing stops at the first problem (zod's habit).
 *
 * Each checker returns the value when valid and `undefined` after recording a problem.
 */
import { InputError, type Problem } from '../errors.js';
import { formatPath, type PathKey, type StructuredText } from './structured.js';

export type Path = readonly PathKey[];

export class Checker {
  readonly problems: Problem[] = [];
  constructor(
    readonly source: string,
    private readonly text?: StructuredText,
  ) {}

  /** Record a problem at a field path. */
  fail(path: Path, message: string): undefined {
    const at = this.text?.locate(path);
    const where = formatPath(path) + (at ? ` (line ${at})` : '');
    this.problems.push({ where, message });
    return undefined;
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  throwIfAny(): void {
    if (this.problems.length) throw new InputError(this.source, this.problems);
  }

  /** A plain object whose keys are all in `allowed` (unknown keys are problems: typos must never pass). */
  object(v: unknown, path: Path, allowed: readonly string[], required: readonly string[] = []): Record<string, unknown> | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return this.fail(path, `expected a map, got ${describe(v)}`);
    const rec = v as Record<string, unknown>;
    let good = true;
    for (const k of Object.keys(rec)) {
      if (!allowed.includes(k)) {
        const hint = closest(k, allowed);
        this.fail([...path, k], `unknown key${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${allowed.join(', ')}`);
        good = false;
      }
    }
    for (const k of required) {
      if (rec[k] === undefined) {
        this.fail(path, `missing required key '${k}'`);
        good = false;
      }
    }
    return good ? rec : rec; // keep checking nested fields even when keys were wrong
  }

  array(v: unknown, path: Path, opts: { min?: number; max?: number } = {}): unknown[] | undefined {
    if (!Array.isArray(v)) return this.fail(path, `expected a list, got ${describe(v)}`);
    if (opts.min !== undefined && v.length < opts.min) return this.fail(path, `expected at least ${opts.min} entries, got ${v.length}`);
    if (opts.max !== undefined && v.length > opts.max) return this.fail(path, `expected at most ${opts.max} entries, got ${v.length}`);
    return v;
  }

  string(v: unknown, path: Path, opts: { pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    if (typeof v !== 'string') return this.fail(path, `expected a string, got ${describe(v)}`);
    if (opts.pattern && !opts.pattern.test(v)) return this.fail(path, `'${v}' is not ${opts.patternHint ?? `of the form ${opts.pattern}`}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: Path, choices: readonly T[]): T | undefined {
    if (typeof v !== 'string' || !choices.includes(v as T)) {
      return this.fail(path, `${describe(v)} is not one of ${choices.join(', ')}`);
    }
    return v as T;
  }

  boolean(v: unknown, path: Path): boolean | undefined {
    if (typeof v !== 'boolean') return this.fail(path, `expected true or false, got ${describe(v)}`);
    return v;
  }

  /** A finite number within [lo, hi]. */
  number(v: unknown, path: Path, lo = -Infinity, hi = Infinity, unit = ''): number | undefined {
    if (typeof v !== 'number' || Number.isNaN(v)) return this.fail(path, `expected a number, got ${describe(v)}`);
    if (!Number.isFinite(v)) return this.fail(path, `${v} is not a finite number`);
    if (v < lo || v > hi) return this.fail(path, `${v}${unit} is outside ${rangeText(lo, hi)}${unit}`);
    return v;
  }

  /** An integer within [lo, hi]. */
  integer(v: unknown, path: Path, lo = -Infinity, hi = Infinity): number | undefined {
    if (typeof v !== 'number' || Number.isNaN(v)) return this.fail(path, `expected an integer, got ${describe(v)}`);
    if (!Number.isFinite(v)) return this.fail(path, `${v} is not a finite number`);
    if (!Number.isInteger(v)) return this.fail(path, `${v} is not an integer`);
    if (v < lo || v > hi) return this.fail(path, `${v} is outside ${rangeText(lo, hi)}`);
    return v;
  }
}

function rangeText(lo: number, hi: number): string {
  if (lo === -Infinity) return `..${hi}`;
  if (hi === Infinity) return `${lo}..`;
  return `${lo}..${hi}`;
}

/** Short description of a value's type for messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (typeof v === 'object') return 'a map';
  return typeof v;
}

/** The allowed word closest to a typo (edit distance ≤ 2), for "did you mean" hints. */
export function closest(word: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of choices) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length];
}
