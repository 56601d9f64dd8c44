/**
 * Routing functions are plug-ins: a name and a pure function that, given the current router and the
 * destination router (global mesh coordinates), returns the output port (DIR_E/W/N/S or PORT_LOCAL).
 * Both router models call the same function, one call per hop of a head flit (no allocation).
 *
 * Built in: 'xy' (dimension order, x first: Loihi's routing, Davies 2018) and 'yx' (y first).
 * Both are deadlock-free on a mesh. Add another with `registerRouting`.
 */
import * as topo from './topology.js';

// module-local copies: route() runs once per hop, so it reads plain constants, not import bindings
const DIR_E = topo.DIR_E;
const DIR_W = topo.DIR_W;
const DIR_N = topo.DIR_N;
const DIR_S = topo.DIR_S;
const PORT_LOCAL = topo.PORT_LOCAL;

export interface RoutingFunction {
  readonly name: string;
  readonly description: string;
  /** Output port at router (x, y) for a packet bound for router (dx, dy). Must return PORT_LOCAL iff (x, y) == (dx, dy). */
  route(x: number, y: number, dx: number, dy: number): number;
}

function xyRoute(x: number, y: number, dx: number, dy: number): number {
  if (dx > x) return DIR_E;
  if (dx < x) return DIR_W;
  if (dy > y) return DIR_N;
  if (dy < y) return DIR_S;
  return PORT_LOCAL;
}

function yxRoute(x: number, y: number, dx: number, dy: number): number {
  if (dy > y) return DIR_N;
  if (dy < y) return DIR_S;
  if (dx > x) return DIR_E;
  if (dx < x) return DIR_W;
  return PORT_LOCAL;
}

const registry = new Map<string, RoutingFunction>([
  ['xy', { name: 'xy', description: 'dimension-order: all x hops, then all y hops (Loihi)', route: xyRoute }],
  ['yx', { name: 'yx', description: 'dimension-order: all y hops, then all x hops', route: yxRoute }],
]);

/** Add (or replace) a routing function under its name. */
export function registerRouting(fn: RoutingFunction): void {
  registry.set(fn.name, fn);
}

/** The routing function registered under `name`, or undefined. */
export function getRouting(name: string): RoutingFunction | undefined {
  return registry.get(name);
}

/** Names of all registered routing functions. */
export function routingNames(): string[] {
  return [...registry.keys()];
}
