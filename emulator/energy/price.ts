/**
 * Pricing: integer counts × integer femtojoules per event = exact integer femtojoules.
 *
 * All products and sums are exact integers (done in doubles while they stay below 2^52/2^53, where
 * every integer is representable, and in BigInt beyond), so totals are exact and independent of the
 * order of events, populations or chips. Results are handed out as JS numbers; when a total exceeds 2^53 fJ
 * (≈ 9 J) it can no longer be held exactly in a number and `exact` is false.
 *
 * Static energy: E_static[part] = P[part] (nW, integer) × units[part] × T (ps, integer) / 10^6,
 * in fJ (1 nW × 1 ps = 10^-21 J = 10^-6 fJ), rounded once per (chip, part) to the nearest fJ,
 * halves rounded up. With per-chip hardware counts, the total is the sum of the rounded per-chip
 * figures (so per-chip values sum exactly to the total); otherwise it is rounded once per part.
 */
import { ACTIONS, type ActionId, type ActivityCounts, type HardwareInUse } from './activity.js';
import { InputError, type Problem } from '../errors.js';
import { ACTION_IDS, STATIC_PART_NAMES, componentOf, type Component, type EnergyTable, type StaticPart } from './table.js';

export interface PricedAction {
  action: ActionId;
  component: Component;
  unit: string;
  count: number;
  /** Energy per event, fJ (0 when the table has no entry and the count is 0). */
  fjPerEvent: number;
  fj: number;
  source: string;
}

export interface PricedStatic {
  part: StaticPart;
  /** Powered units (cores, routers, chips, crossbars). */
  units: number;
  /** Power per unit, µW. */
  uwEach: number;
  fj: number;
  source: string;
}

export interface PricedGroup {
  /** Count and fJ per action (actions with a zero count are omitted). */
  byAction: Partial<Record<ActionId, { count: number; fj: number }>>;
  dynamicFj: number;
}

export interface PricedPopulation extends PricedGroup {
  name: string;
  size: number;
  spikes: number;
}

export interface PricedChip extends PricedGroup {
  chip: number;
  /** Static energy of this chip (only when per-chip hardware counts were given). */
  staticFj?: number;
}

export interface PricedActivity {
  table: string;
  /** Every action, in ACTIONS order. */
  actions: PricedAction[];
  byComponent: { component: Component; count: number; fj: number }[];
  static: PricedStatic[];
  dynamicFj: number;
  staticFj: number;
  totalFj: number;
  byPopulation: PricedPopulation[];
  /** Counts not attributed to any population (e.g. barriers), so populations + this = totals. */
  unattributed: PricedGroup;
  byChip: PricedChip[];
  /** Counts not attributed to any chip, so chips + this = totals (empty when the engine attributes everything). */
  chipUnattributed: PricedGroup;
  /** Sum of step durations, ps. */
  emulatedTimePs: number;
  /** False when some total exceeded 2^53 fJ and is rounded in the JS number. */
  exact: boolean;
}

const BIG_1E6 = 1_000_000n;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Check that an ActivityCounts is well formed and consistent: integer non-negative counts,
 * step arrays of the right length, and populations and chips whose counts do not exceed the totals
 * (what they leave over is reported as not attributed, so attributed + unattributed = totals).
 * Returns the problems (empty when fine).
 */
export function checkActivity(a: ActivityCounts): Problem[] {
  const problems: Problem[] = [];
  const bad = (where: string, message: string) => problems.push({ where, message });
  if (!isCount(a.steps)) bad('steps', `expected a non-negative integer, got ${a.steps}`);
  const checkGroup = (g: Partial<Record<string, number>>, where: string) => {
    for (const [k, v] of Object.entries(g)) {
      if (!(k in ACTIONS)) bad(`${where}.${k}`, 'unknown action');
      else if (!isCount(v)) bad(`${where}.${k}`, `expected a non-negative integer count, got ${v}`);
    }
  };
  checkGroup(a.totals, 'totals');
  for (const [pop, g] of Object.entries(a.byPopulation)) checkGroup(g, `byPopulation.${pop}`);
  for (const [chip, g] of Object.entries(a.byChip)) checkGroup(g, `byChip.${chip}`);
  if (a.stepDurationPs.length !== a.steps) bad('stepDurationPs', `has ${a.stepDurationPs.length} entries for ${a.steps} steps`);
  for (let i = 0; i < a.stepDurationPs.length; i++) {
    if (!isCount(a.stepDurationPs[i])) {
      bad(`stepDurationPs[${i}]`, `expected a non-negative integer number of ps, got ${a.stepDurationPs[i]}`);
      break;
    }
  }
  if (a.spikesPerStep.length !== a.steps) bad('spikesPerStep', `has ${a.spikesPerStep.length} entries for ${a.steps} steps`);
  if (!(Number.isFinite(a.dt) && a.dt > 0)) bad('dt', `expected a positive number of seconds, got ${a.dt}`);
  for (const [k, v] of Object.entries(a.hardware)) if (!isCount(v)) bad(`hardware.${k}`, `expected a non-negative integer, got ${v}`);
  for (const [pop, n] of Object.entries(a.populationSizes)) if (!isCount(n)) bad(`populationSizes.${pop}`, `expected a non-negative integer, got ${n}`);
  for (const pop of Object.keys(a.byPopulation)) {
    if (!(pop in a.populationSizes)) bad(`byPopulation.${pop}`, 'population has counts but no size in populationSizes');
  }
  if (problems.length) return problems;
  const pops = Object.values(a.byPopulation);
  const chips = Object.values(a.byChip);
  for (const act of ACTION_IDS) {
    const total = BigInt(a.totals[act] ?? 0);
    const popSum = sumCounts(pops, act);
    if (popSum > total) bad(`byPopulation (${act})`, `populations count ${popSum} but the total is ${total}`);
    if (chips.length) {
      const chipSum = sumCounts(chips, act);
      if (chipSum > total) bad(`byChip (${act})`, `chips count ${chipSum} but the total is ${total}`);
    }
  }
  if (a.hardwareByChip) {
    const keys = Object.keys(a.hardware) as (keyof HardwareInUse)[];
    for (const k of keys) {
      let sum = 0;
      for (const h of Object.values(a.hardwareByChip)) sum += h[k] ?? 0;
      if (sum !== a.hardware[k]) bad(`hardwareByChip (${k})`, `chips sum to ${sum} but hardware.${k} is ${a.hardware[k]}`);
    }
  }
  return problems;
}

const HW_FOR_PART: Record<StaticPart, keyof HardwareInUse> = {
  core: 'coresUsed',
  router: 'routersUsed',
  chip: 'chips',
  crossbar: 'crossbarsUsed',
};

const TWO_52 = 2 ** 52;

/** Exact Σ of one action's count over groups (a double while it stays below 2^52, else BigInt). */
function sumCounts(groups: Partial<Record<ActionId, number>>[], act: ActionId): bigint {
  let acc = 0;
  for (const g of groups) acc += g[act] ?? 0;
  if (acc <= TWO_52) return BigInt(acc);
  let big = 0n;
  for (const g of groups) big += BigInt(g[act] ?? 0);
  return big;
}

/** count × fJ per event, exact: as a double when the product is below 2^53, else in BigInt. */
function product(count: number, fj: number): bigint | number {
  const p = count * fj;
  return p <= Number.MAX_SAFE_INTEGER ? p : BigInt(count) * BigInt(fj);
}

/** Exact accumulator of non-negative integers given as doubles or BigInts. */
class ExactSum {
  private big = 0n;
  private acc = 0;
  add(v: number | bigint): void {
    if (typeof v === 'bigint') this.big += v;
    else if (v > TWO_52 - this.acc) {
      this.big += BigInt(this.acc) + BigInt(v);
      this.acc = 0;
    } else this.acc += v;
  }
  value(): bigint {
    return this.big + BigInt(this.acc);
  }
}

/**
 * Exact sum of non-negative safe integers: accumulates in a double while the partial sum stays
 * below 2^52 (where every integer is exact) and flushes into a BigInt otherwise.
 */
export function exactSum(values: ArrayLike<number>): bigint {
  let big = 0n;
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > TWO_52 - acc) {
      big += BigInt(acc) + BigInt(v);
      acc = 0;
    } else acc += v;
  }
  return big + BigInt(acc);
}

/** Round-half-up integer division of a non-negative BigInt by 10^6. */
function roundMicro(x: bigint): bigint {
  return (x + BIG_1E6 / 2n) / BIG_1E6;
}

function staticFj(nw: number, units: number, ps: bigint): bigint {
  return roundMicro(BigInt(nw) * BigInt(units) * ps);
}

/**
 * Price an activity with a table. Throws InputError when the activity is inconsistent or when an
 * action with a non-zero count has no entry in the table.
 */
export function priceActivity(activity: ActivityCounts, table: EnergyTable): PricedActivity {
  const problems = checkActivity(activity);
  for (const act of ACTION_IDS) {
    if ((activity.totals[act] ?? 0) > 0 && !table.actions[act]) {
      problems.push({ where: act, message: `energy table '${table.name}' has no entry for ${act}, which was counted ${activity.totals[act]} times; add one in a user table that extends it` });
    }
  }
  if (problems.length) throw new InputError('<activity>', problems);

  let exact = true;
  const num = (b: bigint): number => {
    if (b > BigInt(Number.MAX_SAFE_INTEGER)) exact = false;
    return Number(b);
  };
  const fjOf = (act: ActionId): bigint => BigInt(table.actions[act]?.fj ?? 0);

  const actions: PricedAction[] = [];
  const compSum = new Map<Component, { count: bigint; fj: bigint }>();
  let dynamic = 0n;
  for (const act of ACTION_IDS) {
    const count = activity.totals[act] ?? 0;
    const fj = BigInt(count) * fjOf(act);
    dynamic += fj;
    const comp = componentOf(act);
    const cs = compSum.get(comp) ?? { count: 0n, fj: 0n };
    cs.count += BigInt(count);
    cs.fj += fj;
    compSum.set(comp, cs);
    actions.push({
      action: act,
      component: comp,
      unit: ACTIONS[act].unit,
      count,
      fjPerEvent: table.actions[act]?.fj ?? 0,
      fj: num(fj),
      source: table.actions[act]?.source ?? 'not in table (not counted in this run)',
    });
  }

  const priceGroup = (g: Partial<Record<ActionId, number>>): PricedGroup => {
    const byAction: PricedGroup['byAction'] = {};
    const sum = new ExactSum();
    for (const act of ACTION_IDS) {
      const c = g[act] ?? 0;
      if (c === 0) continue;
      const fj = product(c, table.actions[act]?.fj ?? 0);
      sum.add(fj);
      byAction[act] = { count: c, fj: typeof fj === 'bigint' ? num(fj) : fj };
    }
    return { byAction, dynamicFj: num(sum.value()) };
  };

  const byPopulation: PricedPopulation[] = [];
  const popNames = Object.keys(activity.populationSizes);
  for (const name of popNames) {
    const g = activity.byPopulation[name] ?? {};
    const { byAction, dynamicFj } = priceGroup(g);
    byPopulation.push({ name, size: activity.populationSizes[name], spikes: g['core.spike_out'] ?? 0, byAction, dynamicFj });
  }
  const remainder = (groups: Partial<Record<ActionId, number>>[]): Partial<Record<ActionId, number>> => {
    const rest: Partial<Record<ActionId, number>> = {};
    for (const act of ACTION_IDS) {
      let used = 0;
      for (const g of groups) used += g[act] ?? 0;
      const r = (activity.totals[act] ?? 0) - used;
      if (r > 0) rest[act] = r;
    }
    return rest;
  };
  const { byAction: restActions, dynamicFj: restFj } = priceGroup(remainder(popNames.map((n) => activity.byPopulation[n] ?? {})));
  const chipRest = priceGroup(remainder(Object.values(activity.byChip)));

  const totalPs = exactSum(activity.stepDurationPs);

  const staticByPart = new Map<StaticPart, bigint>();
  const chipStatic = new Map<number, bigint>();
  if (activity.hardwareByChip) {
    for (const [chipKey, hw] of Object.entries(activity.hardwareByChip)) {
      let chipSum = 0n;
      for (const part of STATIC_PART_NAMES) {
        const fj = staticFj(table.staticPower[part].nw, hw[HW_FOR_PART[part]], totalPs);
        staticByPart.set(part, (staticByPart.get(part) ?? 0n) + fj);
        chipSum += fj;
      }
      chipStatic.set(Number(chipKey), chipSum);
    }
  } else {
    for (const part of STATIC_PART_NAMES) {
      staticByPart.set(part, staticFj(table.staticPower[part].nw, activity.hardware[HW_FOR_PART[part]], totalPs));
    }
  }
  let staticTotal = 0n;
  const statics: PricedStatic[] = STATIC_PART_NAMES.map((part) => {
    const fj = staticByPart.get(part) ?? 0n;
    staticTotal += fj;
    return {
      part,
      units: activity.hardware[HW_FOR_PART[part]],
      uwEach: table.staticPower[part].nw / 1000,
      fj: num(fj),
      source: table.staticPower[part].source,
    };
  });

  const chipKeys = new Set<number>([...Object.keys(activity.byChip).map(Number), ...chipStatic.keys()]);
  const byChip: PricedChip[] = [...chipKeys]
    .sort((x, y) => x - y)
    .map((chip) => {
      const { byAction, dynamicFj } = priceGroup(activity.byChip[chip] ?? {});
      const out: PricedChip = { chip, byAction, dynamicFj };
      const s = chipStatic.get(chip);
      if (s !== undefined) out.staticFj = num(s);
      return out;
    });

  return {
    table: table.name,
    actions,
    byComponent: [...compSum.entries()].map(([component, v]) => ({ component, count: num(v.count), fj: num(v.fj) })),
    static: statics,
    dynamicFj: num(dynamic),
    staticFj: num(staticTotal),
    totalFj: num(dynamic + staticTotal),
    byPopulation,
    unattributed: { byAction: restActions, dynamicFj: restFj },
    byChip,
    chipUnattributed: chipRest,
    emulatedTimePs: num(totalPs),
    exact,
  };
}
