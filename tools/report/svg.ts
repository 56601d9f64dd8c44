/** Small SVG building blocks for the HTML report: escaping, scales, ticks, colours. Our own code, no libraries. */
import type { ActionId } from '../../emulator/energy/index.js';

/** Escape text for XML/HTML content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Round a coordinate to 0.01 px so the markup stays short and deterministic. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** "Nice" linear ticks from 0 to at least max (1, 2, 5 × 10^k steps). */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Decade ticks covering [min, max] (both > 0). */
export function decadeTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const out: number[] = [];
  for (let e = lo; e <= Math.max(hi, lo + 1); e++) out.push(10 ** e);
  return out;
}

/** Viridis colour map (sampled at 9 stops, linearly interpolated), t in [0, 1]. */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((v, k) => Math.round(v + (VIRIDIS[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Text colour readable on a viridis cell. */
export function viridisInk(t: number): string {
  return t > 0.55 ? '#1a1a1a' : '#ffffff';
}

/** One colour per action, in families by component (core blues, NoC oranges, sync green, crossbar purples). */
export const ACTION_COLOURS: Record<ActionId, string> = {
  'core.synop': '#1f5fa8',
  'core.compartment_active': '#4a90d0',
  'core.compartment_inactive': '#9cc3e8',
  'core.spike_out': '#0b355f',
  'core.packet_out': '#2f78b8',
  'core.packet_in': '#c3dbf1',
  'core.learn_update': '#5d6fb0',
  'noc.hop_ew': '#d9730d',
  'noc.hop_ns': '#f2a04e',
  'noc.within_tile': '#f7c894',
  'noc.chip_link': '#9c4c05',
  'noc.flit': '#fbe3c6',
  'sync.barrier': '#3a9a5b',
  'crossbar.read': '#6b4fa0',
  'crossbar.write': '#9a7cc9',
  'crossbar.dac': '#c4b2e4',
  'crossbar.adc': '#452a78',
  'crossbar.shift_add': '#ddd1f1',
};

export const STATIC_COLOURS: Record<string, string> = {
  core: '#7d7d7d',
  router: '#a9a9a9',
  chip: '#555555',
  crossbar: '#cfcfcf',
};

export const EVENT_COLOUR = '#1f5fa8';
export const DENSE_COLOUR = '#c0504d';
export const DENSE_LEGACY_COLOUR = '#e0a19f';
