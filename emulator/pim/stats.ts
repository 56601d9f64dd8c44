/**
 * Counters of crossbar activity, in the action ids of emulator/energy/activity.ts, next to the
 * energy the block's own cost models give them (see converters.ts). One CrossbarStats can be
 * shared by many arrays (a tiled projection, a chip's crossbars).
 *
 * Counts are exact integers. Energy is accumulated in fJ (the analog read energy is not an
 * integer per operation) and reported rounded to integer fJ; latency is integer ps.
 */
import type { ActionId } from '../energy/activity.js';

export const CROSSBAR_ACTIONS = ['crossbar.read', 'crossbar.write', 'crossbar.dac', 'crossbar.adc', 'crossbar.shift_add'] as const satisfies readonly ActionId[];
export type CrossbarAction = (typeof CROSSBAR_ACTIONS)[number];

/** Index of each action in the counter arrays. */
export const A_READ = 0;
export const A_WRITE = 1;
export const A_DAC = 2;
export const A_ADC = 3;
export const A_SHIFT_ADD = 4;

export interface CrossbarStatsSnapshot {
  counts: Record<CrossbarAction, number>;
  /** Integer fJ per action. */
  energyFJ: Record<CrossbarAction, number>;
  totalEnergyFJ: number;
  /** Cell activations: driven (row, column) cells summed over read pulses. */
  cellReads: number;
  /** Digital additions of partial sums from different arrays (tiling); also counted in crossbar.shift_add. */
  partialSumAdds: number;
  /** Sum of the latencies of the operations, integer ps (operations on different arrays may overlap). */
  busyPs: number;
}

export class CrossbarStats {
  /** Count per action (index A_*). */
  readonly counts = new Float64Array(CROSSBAR_ACTIONS.length);
  /** Energy per action in fJ, unrounded. */
  readonly energyFJ = new Float64Array(CROSSBAR_ACTIONS.length);
  cellReads = 0;
  partialSumAdds = 0;
  busyPs = 0;

  add(action: number, count: number, energyFJ: number): void {
    this.counts[action] += count;
    this.energyFJ[action] += energyFJ;
  }

  reset(): void {
    this.counts.fill(0);
    this.energyFJ.fill(0);
    this.cellReads = 0;
    this.partialSumAdds = 0;
    this.busyPs = 0;
  }

  snapshot(): CrossbarStatsSnapshot {
    const counts = {} as Record<CrossbarAction, number>;
    const energyFJ = {} as Record<CrossbarAction, number>;
    let total = 0;
    CROSSBAR_ACTIONS.forEach((a, i) => {
      counts[a] = this.counts[i];
      energyFJ[a] = Math.round(this.energyFJ[i]);
      total += this.energyFJ[i];
    });
    return { counts, energyFJ, totalEnergyFJ: Math.round(total), cellReads: this.cellReads, partialSumAdds: this.partialSumAdds, busyPs: this.busyPs };
  }

  /** Add the counts into an ActivityCounts-style totals map. */
  addTo(totals: Partial<Record<ActionId, number>>): void {
    CROSSBAR_ACTIONS.forEach((a, i) => {
      if (this.counts[i] !== 0) totals[a] = (totals[a] ?? 0) + this.counts[i];
    });
  }
}
