/**
 * Reading SANA-FE's YAML descriptions. SANA-FE's own parser (rapidyaml) treats keys and addresses as
 * text, so `1.0: {core: 0.10}` maps neuron `1.0` to tile 0, core 10. A plain YAML→JS conversion would
 * turn both into numbers (1 and 0.1) and lose the address, so this reader converts the document
 * itself: map keys keep their source text, and the values of the keys named in `rawKeys` (`core`)
 * keep theirs. Syntax errors and later validation problems name line:column, in the same style as
 * emulator/spec/structured.ts (whose locate() works on JS keys, which is what breaks here).
 */
import { isMap, isSeq, isScalar, isAlias, isPair, type Node } from 'yaml';
import { InputError } from '../errors.js';
import { parseYamlDocument, type PathKey, type StructuredText } from '../spec/structured.js';

/** Largest number of YAML aliases expanded (guards against "billion laughs"). */
const MAX_ALIAS_COUNT = 10_000;

/** Keys whose non-string scalar values stay source text (core addresses `tile.core`, group names like `1.0`). */
const RAW_VALUE_KEYS: ReadonlySet<string> = new Set(['core', 'name']);

/** Parse SANA-FE YAML into plain data with source-text keys; locate(path) gives line:col. */
export function parseSanafeYaml(text: string, source: string): StructuredText {
  const { doc, lineCounter } = parseYamlDocument(text, source);
  let aliases = 0;
  const plain = (node: unknown, rawValue: boolean): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++aliases > MAX_ALIAS_COUNT) throw new InputError(source, [{ where: '', message: `more than ${MAX_ALIAS_COUNT} YAML aliases` }]);
      return plain(node.resolve(doc), rawValue);
    }
    if (isScalar(node)) {
      if (rawValue && typeof node.value !== 'string' && node.source !== undefined) return node.source;
      return node.value;
    }
    if (isSeq(node)) return node.items.map((x) => plain(x, false));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        out[key] = plain(pair.value, RAW_VALUE_KEYS.has(key));
      }
      return out;
    }
    return null;
  };
  let data: unknown;
  try {
    data = plain(doc.contents, false);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(source, [{ where: '', message: firstLine((err as Error).message) }]);
  }
  return {
    data,
    locate(path: readonly PathKey[]): string | undefined {
      let node: unknown = doc.contents;
      for (const k of path) {
        if (isAlias(node)) node = node.resolve(doc);
        if (isSeq(node) && typeof k === 'number') node = node.items[k];
        else if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(k));
          if (!pair) return undefined;
          node = pair.value;
        } else return undefined;
      }
      const range = (node as Node | undefined)?.range;
      if (!range) return undefined;
      const pos = lineCounter.linePos(range[0]);
      return `${pos.line}:${pos.col}`;
    },
  };
}

function keyText(key: unknown): string {
  if (isScalar(key)) return key.source ?? String(key.value);
  if (key === null || key === undefined) return '';
  return String(key);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i >= 0 ? s.slice(0, i) : s).trim();
}

/** `a..b` (inclusive, a ≤ b) → [a, b]; undefined when the text is not a range of whole numbers. */
export function parseRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a > b) return undefined;
  return [a, b];
}

/**
 * Expand a ranged hardware name: `loihi_tile[0..31]` → 32 names `loihi_tile[0]` … `loihi_tile[31]`
 * (SANA-FE's naming of the instances); a plain name is one instance. Undefined for a malformed range.
 */
export function expandRangedName(name: string): string[] | undefined {
  if (!name.includes('..')) return [name];
  const m = /^(.*)\[(\d+)\.\.(\d+)\]$/.exec(name);
  if (!m) return undefined;
  const a = Number(m[2]);
  const b = Number(m[3]);
  if (a > b || b - a > 1 << 20) return undefined;
  const out: string[] = [];
  for (let i = a; i <= b; i++) out.push(`${m[1]}[${i}]`);
  return out;
}

/**
 * SANA-FE attribute sets are either a map or a list whose entries are one-key maps (`[a: 1, b: 2]`,
 * applied in order); lists may nest. Flatten into ordered [key, value, path] entries.
 */
export function attributeEntries(v: unknown, path: PathKey[], out: [string, unknown, PathKey[]][] = []): [string, unknown, PathKey[]][] | undefined {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!attributeEntries(v[i], [...path, i], out)) return undefined;
    return out;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out.push([k, x, [...path, k]]);
    return out;
  }
  return undefined;
}
