/**
 * Parsing YAML or JSON text into plain data, keeping enough of the document to point at
 * line:column for syntax errors and for validation problems found later (by field path).
 * JSON is parsed by the YAML 1.2 parser (JSON is a subset), so both share one error path.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { InputError } from '../errors.js';

export type PathKey = string | number;

export interface StructuredText {
  /** The parsed plain data. */
  data: unknown;
  /** `line:col` (1-based) of the value at a field path, when it can be found. */
  locate(path: readonly PathKey[]): string | undefined;
}

/** Largest number of YAML aliases expanded (guards against "billion laughs"). */
const MAX_ALIAS_COUNT = 10_000;

/**
 * Parse YAML/JSON text into a YAML document (strict, unique keys) with its line counter; syntax
 * errors become one InputError listing every problem at line:column. Shared by every YAML reader.
 */
export function parseYamlDocument(text: string, source: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (err) {
    throw new InputError(source, [{ where: '', message: `cannot parse: ${(err as Error).message}` }]);
  }
  if (doc.errors.length) {
    throw new InputError(
      source,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { where: `${pos.line}:${pos.col}`, message: firstLine(e.message) };
      }),
    );
  }
  return { doc, lineCounter };
}

/** Parse YAML/JSON text; syntax errors become an InputError with line:column. */
export function parseStructured(text: string, source: string): StructuredText {
  const { doc, lineCounter } = parseYamlDocument(text, source);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new InputError(source, [{ where: '', message: firstLine((err as Error).message) }]);
  }
  return {
    data,
    locate(path) {
      try {
        const node = doc.getIn(path as PathKey[], true);
        if (isNode(node) && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return `${pos.line}:${pos.col}`;
        }
      } catch {
        /* path does not resolve in the document */
      }
      return undefined;
    },
  };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i >= 0 ? s.slice(0, i) : s).trim();
}

/** Format a field path the way error messages show it: `populations[2].params.du`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${k}` : k;
  }
  return out;
}
