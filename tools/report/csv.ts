/**
 * CSV renderer: one row per component/action (dynamic energy) and one per static part, with the
 * count next to the energy in fJ (exact) and J, and the source of the figure. RFC 4180 quoting.
 */
import type { Report } from '../../emulator/energy/index.js';

export const CSV_COLUMNS = ['kind', 'component', 'action', 'count', 'unit', 'energy_per_event_fj', 'energy_fj', 'energy_j', 'share', 'source'] as const;

export function csvField(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(r: Report): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  const total = r.energy.totalFj;
  for (const a of r.energy.byAction) {
    const name = a.action.slice(a.action.indexOf('.') + 1);
    lines.push(['dynamic', a.component, name, a.count, a.unit, a.fjPerEvent, a.fj, a.j, total ? a.fj / total : 0, a.source].map(csvField).join(','));
  }
  for (const s of r.energy.static) {
    // A static row's "count" is the number of powered units; per-event energy does not apply.
    lines.push(['static', s.part, 'leakage', s.units, s.unit, '', s.fj, s.j, total ? s.fj / total : 0, s.source].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
