/**
 * Spike-source compartments: they integrate nothing and fire on given steps (explicit lists) or
 * by a Poisson process drawn from the counter-based generator keyed by (seed, poissonSource,
 * step, index within the population), so a source fires identically wherever it is placed.
 * They take compartment slots on a core (the host feeds them, as Lava's spike generators do);
 * their updates are not counted as compartment updates. A source given a `payload` sends graded
 * spikes (Loihi 2) carrying it, saturated to the architecture's payload width.
 */
import { RNG_BLOCK, randU32 } from '../util/rng.js';
import type { CompartmentModel, NeuroCore, Segment } from './neurocore.js';

export const spikeSource: CompartmentModel = {
  kind: 'spike-source',
  implementation: 'host-driven',
  state: [{ name: 'cursor', bits: 32, signed: false, description: 'next explicit spike (host side)' }],
  update(core: NeuroCore, seg: Segment, step: number): void {
    const spikes = core.spikeBuf;
    const n0 = core.spikeCount;
    let n = core.spikeCount;
    const end = seg.local + seg.count;
    const external = core.externalSpikes;
    if (external) {
      // an input stream (trace replay) drives the sources instead of their own spikes
      for (let i = seg.local; i < end; i++) if (external[i]) spikes[n++] = i;
    } else if (seg.spikeSteps) {
      const steps = seg.spikeSteps;
      const cur = seg.spikeCursor!;
      const stop = seg.spikeStart!;
      for (let j = 0; j < seg.count; j++) {
        let c = cur[j];
        const last = stop[seg.first + j + 1];
        while (c < last && steps[c] < step) c++;
        if (c < last && steps[c] === step) {
          spikes[n++] = seg.local + j;
          c++;
        }
        cur[j] = c;
      }
    } else if (seg.poissonThreshold) {
      const th = seg.poissonThreshold;
      const seed = seg.poissonSeed;
      for (let j = 0; j < seg.count; j++) {
        const idx = seg.first + j;
        if (randU32(seed, RNG_BLOCK.poissonSource, step, idx) < th[idx]) spikes[n++] = seg.local + j;
      }
    }
    core.spikeCount = n;
    // graded sources (Loihi 2): each spike carries its source's fixed payload
    const payload = seg.payload;
    if (payload) {
      const out = core.spikePayload;
      const max = core.payloadMax;
      for (let k = n0; k < n; k++) {
        const p = payload[seg.first + spikes[k] - seg.local];
        out[k] = p > max ? max : p < -max ? -max : p;
      }
    }
  },
};
