/**
 * Rolling a run's counters up into ActivityCounts records (emulator/energy/activity.ts): shared by
 * the step engine, traffic replay and the crossbar stage.
 */
import type { ActionId } from '../energy/activity.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { NeuroCore } from '../core/neurocore.js';

export type CountRecord = Partial<Record<ActionId, number>>;

/** rec[k] += v (a zero adds no key). */
export function addCount(rec: CountRecord, k: ActionId, v: number): void {
  if (v) rec[k] = (rec[k] ?? 0) + v;
}

/**
 * Add a core's per-segment counters to the run totals, each segment's population, the core's chip
 * and (when given) the core's own record. `compartments`: also the compartment updates (of every
 * population that is not a spike source); replay, which updates no compartments, leaves them out.
 */
export function addCoreSegments(
  c: NeuroCore,
  net: CompiledNetwork,
  into: { totals: CountRecord; byPopulation: Record<string, CountRecord>; chip: CountRecord; core?: CountRecord },
  compartments: boolean,
): void {
  c.segments.forEach((seg, k) => {
    const pop = net.populations[seg.population];
    const isLif = compartments && pop.kind !== 'spike-source';
    const items: [ActionId, number][] = [
      ['core.compartment_active', isLif ? c.segActive[k] : 0],
      ['core.compartment_inactive', isLif ? c.segInactive[k] : 0],
      ['core.spike_out', c.segSpikes[k]],
      ['core.packet_out', c.segPacketsOut[k]],
      ['core.packet_in', c.segPacketsIn[k]],
      ['core.synop', c.segSynops[k]],
    ];
    const popRec = (into.byPopulation[pop.name] ??= {});
    for (const [a, v] of items) {
      addCount(into.totals, a, v);
      addCount(popRec, a, v);
      addCount(into.chip, a, v);
      if (into.core) addCount(into.core, a, v);
    }
  });
}

/**
 * Add NoC attribution rows (per population and per chip, `width` actions each in the order of
 * `actions`; see attributePacket in noc.ts) to the run totals and the population and chip records.
 */
export function addAttributionRows(
  actions: readonly ActionId[],
  net: CompiledNetwork,
  byPopRows: Float64Array,
  byChipRows: Float64Array,
  into: { totals: CountRecord; byPopulation: Record<string, CountRecord>; byChip: Record<number, CountRecord> },
): void {
  const w = actions.length;
  net.populations.forEach((pop, pi) => {
    const popRec = (into.byPopulation[pop.name] ??= {});
    for (let a = 0; a < w; a++) {
      addCount(into.totals, actions[a], byPopRows[pi * w + a]);
      addCount(popRec, actions[a], byPopRows[pi * w + a]);
    }
  });
  const chips = byChipRows.length / w;
  for (let chip = 0; chip < chips; chip++)
    for (let a = 0; a < w; a++) if (byChipRows[chip * w + a]) addCount((into.byChip[chip] ??= {}), actions[a], byChipRows[chip * w + a]);
}
