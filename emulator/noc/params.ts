/**
 * NoC parameters, declared once with unit, default and source (docs/NOC.md and `aerie info` list
 * them from here), and the derivation of the cycle model's clock and per-link delays from the
 * arch's per-hop times.
 */
import { InputError, type Problem } from '../errors.js';
import { getRouting, routingNames } from './routing.js';
import type { CycleConfig } from './cycle.js';
import { linkKinds, meshHeight, meshWidth, validateTopology, type MeshTopology } from './topology.js';

/** All times are integer picoseconds; energies live in the energy layer. */
export interface NocParams {
  hopPsEW: number;
  hopPsNS: number;
  withinTilePs: number;
  chipLinkPs: number;
  packetBits: number;
  flitBits: number;
  routing: string;
  /** Cycle model clock period; 0 = derive (see deriveCycleConfig). */
  clockPs: number;
  rcCycles: number;
  vaCycles: number;
  saCycles: number;
  stCycles: number;
  vcs: number;
  bufferDepth: number;
  creditDelayCycles: number;
  injectCycles: number;
  stallCycles: number;
}

export interface ParamDecl {
  unit: string;
  default: number | string;
  min?: number;
  max?: number;
  integer?: boolean;
  description: string;
  source: string;
}

/** The declaration of every NoC parameter (Loihi 1 defaults). */
export const NOC_PARAMS: { readonly [K in keyof NocParams]: ParamDecl } = {
  hopPsEW: { unit: 'ps', default: 4100, min: 1, integer: true, description: 'latency of one tile hop east or west (router + link)', source: 'Davies 2018 Table 2 (4.1 ns); SANA-FE arch/loihi.yaml' },
  hopPsNS: { unit: 'ps', default: 6500, min: 1, integer: true, description: 'latency of one tile hop north or south (router + link)', source: 'Davies 2018 Table 2 (6.5 ns); SANA-FE arch/loihi.yaml' },
  withinTilePs: { unit: 'ps', default: 2100, min: 1, integer: true, description: 'delivery between two cores of one router; every packet pays it once (injection + router + ejection)', source: 'Davies 2018 Table 2 (2.1 ns within-tile spike latency)' },
  chipLinkPs: { unit: 'ps', default: 20000, min: 1, integer: true, description: 'one hop over a chip-to-chip link (replaces the tile hop time on that link)', source: 'assumption: ~5x a tile hop for an off-chip SerDes link; Loihi publishes no per-link figure' },
  packetBits: { unit: 'bit', default: 32, min: 1, integer: true, description: 'bits of one spike message on the wire', source: 'Davies 2018: 32-bit spike messages' },
  flitBits: { unit: 'bit', default: 32, min: 1, integer: true, description: 'bits per flit (link width)', source: 'assumption: one 32-bit flit per Loihi spike message (issue 3 Loihi preset)' },
  routing: { unit: '', default: 'xy', description: 'routing plug-in name (xy, yx, or registered)', source: 'Davies 2018: dimension-order routing' },
  clockPs: { unit: 'ps', default: 0, min: 0, integer: true, description: 'cycle model clock period; 0 = the largest period that divides every hop time exactly', source: 'derived (Loihi mesh is asynchronous; the clock is a modelling device)' },
  rcCycles: { unit: 'cycle', default: 1, min: 0, max: 1000, integer: true, description: 'route computation delay', source: 'assumption: BookSim2 iq router default (routing_delay 1)' },
  vaCycles: { unit: 'cycle', default: 1, min: 0, max: 1000, integer: true, description: 'VC allocation delay', source: 'assumption: BookSim2 iq router default (vc_alloc_delay 1)' },
  saCycles: { unit: 'cycle', default: 1, min: 0, max: 1000, integer: true, description: 'switch allocation delay', source: 'assumption: BookSim2 iq router default (sw_alloc_delay 1)' },
  stCycles: { unit: 'cycle', default: 1, min: 0, max: 1000, integer: true, description: 'switch traversal delay', source: 'assumption: one cycle crossbar traversal' },
  vcs: { unit: 'VC', default: 2, min: 1, max: 32, integer: true, description: 'virtual channels per input port', source: 'assumption (Loihi VC count unpublished)' },
  bufferDepth: { unit: 'flit', default: 16, min: 1, max: 4096, integer: true, description: 'input buffer depth per VC', source: 'SANA-FE arch/loihi.yaml: link buffer 16' },
  creditDelayCycles: { unit: 'cycle', default: 1, min: 1, max: 100000, integer: true, description: 'credit return delay to the upstream router', source: 'assumption: BookSim2 default credit_delay 1' },
  injectCycles: { unit: 'cycle', default: 1, min: 1, max: 100000, integer: true, description: 'source core to router injection delay (the rest of withinTilePs is ejection)', source: 'assumption' },
  stallCycles: { unit: 'cycle', default: 100000, min: 1, integer: true, description: 'cycle model reports a stall after this many cycles with no flit moving', source: 'aerie convention' },
};

/** Loihi 1 preset: every parameter at its declared default. */
export const LOIHI_NOC_PARAMS: NocParams = Object.freeze(
  Object.fromEntries(Object.entries(NOC_PARAMS).map(([k, d]) => [k, d.default])) as unknown as NocParams,
);

/** Check every parameter against its declaration; throws InputError listing all problems. */
export function validateNocParams(p: NocParams, source = '<noc params>'): void {
  const problems: Problem[] = [];
  for (const [key, decl] of Object.entries(NOC_PARAMS) as [keyof NocParams, ParamDecl][]) {
    const v = p[key];
    if (typeof decl.default === 'string') {
      if (typeof v !== 'string') problems.push({ where: key, message: `expected a name, got ${String(v)}` });
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push({ where: key, message: `expected a finite number, got ${String(v)}` });
      continue;
    }
    if (decl.integer && !Number.isInteger(v)) problems.push({ where: key, message: `${v} is not an integer` });
    if (decl.min !== undefined && v < decl.min) problems.push({ where: key, message: `${v} ${decl.unit} is below the minimum ${decl.min}` });
    if (decl.max !== undefined && v > decl.max) problems.push({ where: key, message: `${v} ${decl.unit} is above the maximum ${decl.max}` });
  }
  if (typeof p.routing === 'string' && !getRouting(p.routing)) {
    problems.push({ where: 'routing', message: `unknown routing '${p.routing}'; known: ${routingNames().join(', ')}` });
  }
  if (problems.length) throw new InputError(source, problems);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Router pipeline depth in cycles (RC + VA + SA + ST). */
export function routerCycles(p: NocParams): number {
  return p.rcCycles + p.vaCycles + p.saCycles + p.stCycles;
}

/**
 * The cycle model clock (ps): `clockPs` if given, else the largest period dividing every hop time
 * (for Loihi gcd(4100, 6500, 2100, 20000) = 100 ps). With it:
 *   E-W link = hopPsEW/clock - P, N-S link = hopPsNS/clock - P, chip link = chipLinkPs/clock - P,
 *   eject = withinTilePs/clock - P - inject    (P = rc+va+sa+st)
 * so the zero-load per-hop and within-tile latencies equal the arch's times exactly.
 */
export function deriveClockPs(p: NocParams): number {
  if (p.clockPs > 0) return p.clockPs;
  return gcd(gcd(gcd(p.hopPsEW, p.hopPsNS), p.withinTilePs), p.chipLinkPs);
}

/** Build the cycle model's configuration for a topology from arch-level parameters. */
export function deriveCycleConfig(topo: MeshTopology, p: NocParams, source = '<noc params>'): { cfg: CycleConfig; clockPs: number } {
  validateTopology(topo, source);
  validateNocParams(p, source);
  const clock = deriveClockPs(p);
  const P = routerCycles(p);
  const problems: Problem[] = [];
  const cycles = (key: 'hopPsEW' | 'hopPsNS' | 'chipLinkPs' | 'withinTilePs', minus: number, min: number): number => {
    const c = p[key] / clock;
    if (!Number.isInteger(c)) problems.push({ where: key, message: `${p[key]} ps is not a whole number of ${clock} ps cycles (set clockPs to a divisor)` });
    else if (c - minus < min) {
      problems.push({ where: key, message: `${p[key]} ps is ${c} cycles of ${clock} ps, fewer than the router pipeline needs (${minus + min}); lower the stage delays or the clock period` });
    }
    return c - minus;
  };
  const ew = cycles('hopPsEW', P, 1);
  const ns = cycles('hopPsNS', P, 1);
  const chip = cycles('chipLinkPs', P, 1);
  const eject = cycles('withinTilePs', P + p.injectCycles, 0);
  if (problems.length) throw new InputError(source, problems);
  const w = meshWidth(topo);
  const h = meshHeight(topo);
  const kinds = linkKinds(topo);
  const linkDelay = new Int32Array(w * h * 4);
  for (let l = 0; l < linkDelay.length; l++) {
    const d = l & 3;
    linkDelay[l] = kinds[l] < 0 ? 0 : kinds[l] === 1 ? chip : d < 2 ? ew : ns;
  }
  return {
    clockPs: clock,
    cfg: {
      width: w,
      height: h,
      vcs: p.vcs,
      bufferDepth: p.bufferDepth,
      rcDelay: p.rcCycles,
      vaDelay: p.vaCycles,
      saDelay: p.saCycles,
      stDelay: p.stCycles,
      creditDelay: p.creditDelayCycles,
      injectDelay: p.injectCycles,
      ejectDelay: eject,
      linkDelay,
      linkKind: kinds,
      routing: getRouting(p.routing)!,
      stallLimit: p.stallCycles,
    },
  };
}
