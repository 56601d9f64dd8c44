/**
 * JSON renderer: the report model as-is (schema `aerie-report/1`, documented in
 * docs/ENERGY-MODEL.md). Non-finite numbers (a ratio against a zero-energy run) become null,
 * since JSON has no Infinity.
 */
import type { Report } from '../../emulator/energy/index.js';

export function renderJson(r: Report): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
