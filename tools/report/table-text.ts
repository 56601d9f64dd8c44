/** Aligned plain-text tables for the terminal renderer. */

export type Align = 'l' | 'r';

/** Lay out rows under a header; columns are padded to their widest cell (by code points). */
export function textTable(header: string[], rows: string[][], align: Align[], indent = '  '): string[] {
  const width = header.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (align[i] === 'r' ? pad(c, width[i], true) : i === cells.length - 1 ? c : pad(c, width[i], false)))
      .join('  ')
      .trimEnd();
  const rule = indent + width.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)];
}

function len(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, left: boolean): string {
  const n = w - len(s);
  if (n <= 0) return s;
  return left ? ' '.repeat(n) + s : s + ' '.repeat(n);
}

/** Cut a string to `max` code points with an ellipsis. */
export function clip(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
}
