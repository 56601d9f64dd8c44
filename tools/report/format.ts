/** Number formatting shared by the report renderers (SI prefixes, counts, ratios). */

const PREFIXES: [number, string][] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
  [1e-18, 'a'],
];

/** `1.23e-9, 'J'` → `1.23 nJ` (3 significant digits; very large values in plain scientific form). */
export function si(value: number, unit: string, digits = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '—';
  if (value === 0) return `0 ${unit}`;
  const abs = Math.abs(value);
  if (abs >= 1e18) return `${value.toExponential(digits - 1)} ${unit}`;
  for (const [scale, prefix] of PREFIXES) {
    if (abs >= scale * 0.9995) return `${(value / scale).toPrecision(digits)} ${prefix}${unit}`;
  }
  return `${value.toExponential(digits - 1)} ${unit}`;
}

/** Energy given in femtojoules. */
export function energyFj(fj: number): string {
  return fj === 0 ? '0 fJ' : si(fj * 1e-15, 'J');
}

export function energyJ(j: number): string {
  return si(j, 'J');
}

export function timeS(s: number): string {
  return si(s, 's');
}

export function timePs(ps: number): string {
  return si(ps * 1e-12, 's');
}

/** 1234567 → `1,234,567`. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.round(n).toLocaleString('en-US');
}

/** A dense ÷ event-driven ratio: `1.2×10³ ×`, or `0.35 ×`. */
export function ratioText(r: number): string {
  if (!Number.isFinite(r)) return r > 0 ? '∞' : '—';
  if (r === 0) return '0×';
  if (r >= 1000 || r < 0.01) {
    const e = Math.floor(Math.log10(r));
    const m = r / 10 ** e;
    return `${m.toFixed(1)}e${e}×`;
  }
  return `${r.toPrecision(3)}×`;
}

export function percent(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x > 0 && x < 0.001) return '<0.1%';
  return `${(x * 100).toFixed(1)}%`;
}

export function rateHz(hz: number | null | undefined): string {
  if (hz === null || hz === undefined) return '—';
  return si(hz, 'Hz');
}
