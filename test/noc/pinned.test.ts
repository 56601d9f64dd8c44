import { describe, expect, it } from 'vitest';
import { runSynthetic } from '../../emulator/noc/index.js';
import { CONFIGS, fingerprintCounters, routeStepFingerprint } from './pin-fixtures.js';

// Exact statistics of fixed seeded cycle-model runs, recorded from the cycle model before its speed
// work (issue 3) and pinned here, so any optimisation of emulator/noc/cycle.ts provably changes
// nothing: every counter, every latency bucket, every packet's arrival time. A deliberate change of
// the model's behaviour must re-record these values (and say why in its commit).
const EXPECTED: Record<string, unknown> = {
  bench: {
    status: 'ok',
    offered: 0.10002025462962963,
    accepted: 0.0999363425925926,
    acceptedRemote: 0.09833043981481482,
    minNodeAccepted: 0.09129629629629629,
    latency: {
      count: 34373,
      min: 6,
      mean: 32.465627091030754,
      p50: 31,
      p99: 66,
      max: 79
    },
    meanHops: 5.239519390219067,
    measuredPackets: 34567,
    undelivered: 194,
    cyclesSimulated: 6000,
    counters: {
      packets: 38194,
      flits: 38388,
      withinTile: 621,
      stallCycles: 9619,
      stallDigest: '628382d0',
      peakDigest: 'd566fb91',
      linkDigest: '2ae26c8b',
      routerDigest: '69e22c05',
      hopsByDir: '50357,50292,50620,49991',
      chipHops: '0,0,0,0',
      latencyBuckets: '6d0e639c'
    }
  },
  saturated: {
    status: 'ok',
    offered: 0.2512037037037037,
    accepted: 0.09229423868312757,
    acceptedRemote: 0.0898559670781893,
    minNodeAccepted: 0.07111111111111111,
    latency: {
      count: 17182,
      min: 294,
      mean: 2158.130310790362,
      p50: 2144,
      p99: 3936,
      max: 4266
    },
    meanHops: 3.860144337096962,
    measuredPackets: 17355,
    undelivered: 173,
    cyclesSimulated: 6000,
    counters: {
      packets: 19978,
      flits: 60312,
      withinTile: 543,
      stallCycles: 207576,
      stallDigest: '610b4b04',
      peakDigest: 'e2ec7145',
      linkDigest: '251e5b38',
      routerDigest: '7eaefe50',
      hopsByDir: '57929,58642,56769,58747',
      chipHops: '0,0,0,0',
      latencyBuckets: 'a63c5151'
    }
  },
  hotspot: {
    status: 'ok',
    offered: 0.08046296296296296,
    accepted: 0.02887037037037037,
    acceptedRemote: 0.026407407407407407,
    minNodeAccepted: 0.003703703703703704,
    latency: {
      count: 3907,
      min: 8,
      mean: 2562.592014333248,
      p50: 2688,
      p99: 6400,
      max: 6504
    },
    meanHops: 2.53596109546967,
    measuredPackets: 3921,
    undelivered: 14,
    cyclesSimulated: 8000,
    counters: {
      packets: 4397,
      flits: 17628,
      withinTile: 228,
      stallCycles: 116696,
      stallDigest: '8a053b8d',
      peakDigest: 'ed04c263',
      linkDigest: '13785bd6',
      routerDigest: '704919cd',
      hopsByDir: '12973,12362,10266,9200',
      chipHops: '0,0,0,0',
      latencyBuckets: '49d72734'
    }
  },
  transposeYx: {
    status: 'ok',
    offered: 0.14893004115226338,
    accepted: 0.13013374485596707,
    acceptedRemote: 0.10556584362139917,
    minNodeAccepted: 0.04888888888888889,
    latency: {
      count: 14476,
      min: 10,
      mean: 343.2962835037303,
      p50: 41,
      p99: 2112,
      max: 2229
    },
    meanHops: 3.8973473335175464,
    measuredPackets: 14476,
    undelivered: 0,
    cyclesSimulated: 4600,
    counters: {
      packets: 16130,
      flits: 32260,
      withinTile: 2685,
      stallCycles: 80365,
      stallDigest: '2199e717',
      peakDigest: '2160496a',
      linkDigest: '916fc849',
      routerDigest: '7d400caa',
      hopsByDir: '31044,31722,31722,31044',
      chipHops: '0,0,0,0',
      latencyBuckets: '94f9e2a1'
    }
  },
  bitcomp: {
    status: 'ok',
    offered: 0.30150462962962965,
    accepted: 0.3002314814814815,
    acceptedRemote: 0.3002314814814815,
    minNodeAccepted: 0.28,
    latency: {
      count: 13025,
      min: 16,
      mean: 40.36245681381958,
      p50: 40,
      p99: 84,
      max: 103
    },
    meanHops: 4.997619961612284,
    measuredPackets: 13025,
    undelivered: 0,
    cyclesSimulated: 2058,
    counters: {
      packets: 14431,
      flits: 14431,
      withinTile: 0,
      stallCycles: 30670,
      stallDigest: 'e425e38a',
      peakDigest: '40098339',
      linkDigest: 'd55868b8',
      routerDigest: '54e04c0c',
      hopsByDir: '14403,14282,21698,21755',
      chipHops: '0,0,0,0',
      latencyBuckets: '950504d2'
    }
  }
};

const ROUTE_STEP: Record<string, unknown> = {
  step0: {
    arrive: '40dd0f82',
    hops: 'ed4ea06f',
    meanLatency: 66764.90333333334
  },
  step1: {
    arrive: '68425411',
    hops: '1da7a662',
    meanLatency: 66782.12333333334
  },
  step2: {
    arrive: 'c58c85a8',
    hops: '145bde0b',
    meanLatency: 69505.77666666667
  },
  counters: {
    packets: 1800,
    flits: 1800,
    withinTile: 75,
    stallCycles: 74893,
    stallDigest: 'f007b279',
    peakDigest: '3e9c1d37',
    linkDigest: '5f8618a2',
    routerDigest: '7198204c',
    hopsByDir: '1257,2606,754,1576',
    chipHops: '318,582,312,559',
    latencyBuckets: '0e3dc9a3'
  }
};

describe('cycle model: pinned statistics of fixed seeded runs', () => {
  it.each(Object.keys(CONFIGS))('synthetic run %s is unchanged', (name) => {
    const r = runSynthetic(CONFIGS[name]);
    expect({
      status: r.status,
      offered: r.offered,
      accepted: r.accepted,
      acceptedRemote: r.acceptedRemote,
      minNodeAccepted: r.minNodeAccepted,
      latency: r.latency,
      meanHops: r.meanHops,
      measuredPackets: r.measuredPackets,
      undelivered: r.undelivered,
      cyclesSimulated: r.cyclesSimulated,
      counters: fingerprintCounters(r.counters),
    }).toEqual(EXPECTED[name]);
  });

  it('routeStep on a multi-chip board (bursts, hotspot, chip links) is unchanged', () => {
    expect(routeStepFingerprint()).toEqual(ROUTE_STEP);
  });
});
