import type { ActivityCounts } from '../../emulator/energy/activity.js';

/**
 * The energy layer takes step durations in integer ps; the step engine can report fractional ps
 * (seen while the NoC timing is being changed). Round them here (to the nearest ps) so the
 * report can be built; counts are untouched.
 */
export function integerStepDurations(a: ActivityCounts): ActivityCounts {
  let ok = true;
  for (let i = 0; i < a.stepDurationPs.length && ok; i++) ok = Number.isInteger(a.stepDurationPs[i]);
  if (ok) return a;
  return { ...a, stepDurationPs: a.stepDurationPs.map((v) => Math.round(v)) };
}
