import { describe, expect, it } from 'vitest';
import { DIR_E, DIR_N, DIR_S, DIR_W, LOIHI_NOC_PARAMS, PORT_LOCAL, PacketBatch, createNoc, registerRouting, runSynthetic } from '../../emulator/noc/index.js';
import { CONFIGS, fingerprintCounters, routeStepFingerprint, routeStepQueuedFingerprint } from './pin-fixtures.js';

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
  },
  // recorded from the cycle model before its event-driven rewrite (session 3)
  multiflitVc4: {
    status: 'ok',
    offered: 0.10124131944444445,
    accepted: 0.10002604166666666,
    acceptedRemote: 0.09828993055555556,
    minNodeAccepted: 0.08555555555555555,
    latency: {
      count: 11663,
      min: 9,
      mean: 80.98328045957301,
      p50: 72,
      p99: 234,
      max: 433
    },
    meanHops: 5.234245048443797,
    measuredPackets: 11663,
    undelivered: 0,
    cyclesSimulated: 2146,
    counters: {
      packets: 12938,
      flits: 51752,
      withinTile: 222,
      stallCycles: 105712,
      stallDigest: 'fc6837ba',
      peakDigest: 'd125377f',
      linkDigest: '749d5494',
      routerDigest: '3dac1eb5',
      hopsByDir: '68900,66452,68528,66928',
      chipHops: '0,0,0,0',
      latencyBuckets: 'a078d012'
    }
  },
  zeroRc: {
    status: 'ok',
    offered: 0.29867283950617285,
    accepted: 0.29875,
    acceptedRemote: 0.29875,
    minNodeAccepted: 0.2733333333333333,
    latency: {
      count: 19354,
      min: 11,
      mean: 15.671644104577865,
      p50: 12,
      p99: 35,
      max: 43
    },
    meanHops: 3.3159036891598634,
    measuredPackets: 19354,
    undelivered: 0,
    cyclesSimulated: 2026,
    counters: {
      packets: 21487,
      flits: 42974,
      withinTile: 0,
      stallCycles: 0,
      stallDigest: 'cb5a1845',
      peakDigest: '5695f4a7',
      linkDigest: '5e564355',
      routerDigest: 'a678fb9a',
      hopsByDir: '35862,35560,35854,35600',
      chipHops: '0,0,0,0',
      latencyBuckets: '95d2fde3'
    }
  },
  vcs32: {
    status: 'ok',
    offered: 0.20166666666666666,
    accepted: 0.06888888888888889,
    acceptedRemote: 0.06439814814814815,
    minNodeAccepted: 0.018518518518518517,
    latency: {
      count: 4356,
      min: 23,
      mean: 1763.1629935720846,
      p50: 1776,
      p99: 4000,
      max: 4084
    },
    meanHops: 2.358356290174472,
    measuredPackets: 4356,
    undelivered: 0,
    cyclesSimulated: 5488,
    counters: {
      packets: 4854,
      flits: 14562,
      withinTile: 322,
      stallCycles: 62014,
      stallDigest: 'bc05ecd7',
      peakDigest: 'db0d4202',
      linkDigest: 'fb3b9909',
      routerDigest: 'ea479c2a',
      hopsByDir: '9849,7470,9486,7518',
      chipHops: '0,0,0,0',
      latencyBuckets: 'eac3db29'
    }
  },
  bigMesh: {
    status: 'ok',
    offered: 0.0197425645342312,
    accepted: 0.013524130190796858,
    acceptedRemote: 0.013492564534231201,
    minNodeAccepted: 0,
    latency: {
      count: 5629,
      min: 7,
      mean: 116.54876532243738,
      p50: 113,
      p99: 252,
      max: 324
    },
    meanHops: 21.615562266832473,
    measuredPackets: 5629,
    undelivered: 0,
    cyclesSimulated: 555,
    counters: {
      packets: 6287,
      flits: 12574,
      withinTile: 10,
      stallCycles: 7961,
      stallDigest: '84f7c2a6',
      peakDigest: '7bd7a1a7',
      linkDigest: '23253d53',
      routerDigest: 'b78ffcce',
      hopsByDir: '67486,70078,67926,66396',
      chipHops: '0,0,0,0',
      latencyBuckets: '9a62c05e'
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

// routeStepQueued with small injection queues (back-pressure reaches the cores), recorded before the
// event-driven rewrite of the cycle model (session 3)
const ROUTE_STEP_QUEUED: Record<string, unknown> = {
  vc1step0: {
    arrive: 'f69c5d78',
    produced: '822fc3f9',
    entered: 'bfba5900',
    hops: '80855f82',
    stallPs: '0b3dba62',
    stalls: '3b9cc6e6',
    meanLatency: 188854.88715277778
  },
  vc1step1: {
    arrive: '7283bc28',
    produced: '17218602',
    entered: '171b651b',
    hops: 'a84d7060',
    stallPs: 'a085cc50',
    stalls: 'ac95d5ea',
    meanLatency: 170386.0625
  },
  vc1step2: {
    arrive: '89f5daa7',
    produced: '67a77096',
    entered: 'b5f6aed7',
    hops: 'b20961a1',
    stallPs: '941ffaa4',
    stalls: '555fbea5',
    meanLatency: 165632.27256944444
  },
  vc1counters: {
    packets: 1728,
    flits: 1728,
    withinTile: 79,
    stallCycles: 511269,
    stallDigest: 'c2aa17ce',
    peakDigest: 'c709902a',
    linkDigest: 'ab70c3d2',
    routerDigest: '4eba2301',
    hopsByDir: '1324,1715,687,1658',
    chipHops: '251,614,270,591',
    latencyBuckets: '03a28f57'
  },
  vc4step0: {
    arrive: 'c7cf0620',
    produced: '184f50e5',
    entered: '611ec691',
    hops: '80855f82',
    stallPs: 'c23f231a',
    stalls: '50cfd8a5',
    meanLatency: 89332.77256944444
  },
  vc4step1: {
    arrive: '34cbc130',
    produced: 'b96b9f62',
    entered: '75dd71c4',
    hops: 'a84d7060',
    stallPs: 'c9892d75',
    stalls: 'd5382644',
    meanLatency: 83237.06076388889
  },
  vc4step2: {
    arrive: 'b26cce2e',
    produced: '4aa26a5d',
    entered: 'f313674a',
    hops: 'b20961a1',
    stallPs: '25e26bc5',
    stalls: '25e26bc5',
    meanLatency: 81325.53125
  },
  vc4counters: {
    packets: 1728,
    flits: 5184,
    withinTile: 79,
    stallCycles: 83955,
    stallDigest: '61fd66af',
    peakDigest: '15e468bc',
    linkDigest: 'cbe42fd7',
    routerDigest: '8e47e8e3',
    hopsByDir: '3972,5145,2061,4974',
    chipHops: '753,1842,810,1773',
    latencyBuckets: '76877f83'
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

  it('routeStepQueued with small injection queues (core stalls from back-pressure) is unchanged', () => {
    expect(routeStepQueuedFingerprint()).toEqual(ROUTE_STEP_QUEUED);
  });

  it('deadlocks are reported at the same cycle (recorded before the event-driven rewrite)', () => {
    // clockwise ring routing on a 2 x 2 mesh: cyclic channel dependencies
    registerRouting({
      name: 'pin-ring-cw',
      description: 'clockwise ring (deadlock-prone, test only)',
      route: (x, y, dx, dy) => (x === dx && y === dy ? PORT_LOCAL : y === 0 ? (x === 0 ? DIR_N : DIR_W) : x === 0 ? DIR_E : DIR_S),
    });
    const reports: string[] = [];
    for (const [packetFlits, rate, bufferDepth] of [
      [4, 0.5, 1],
      [2, 0.9, 1],
      [8, 0.3, 3],
    ]) {
      const r = runSynthetic({ model: 'cycle', width: 2, height: 2, traffic: 'bitcomp', routing: 'pin-ring-cw', vcs: 1, bufferDepth, packetFlits, rate, cycles: 2000, stallLimit: 500 });
      reports.push(`${r.status} @${r.cyclesSimulated}`);
    }
    const noc = createNoc('cycle', { chipsX: 1, chipsY: 1, tilesX: 2, tilesY: 2, coresPerRouter: 1 }, { ...LOIHI_NOC_PARAMS, routing: 'pin-ring-cw', vcs: 1, bufferDepth: 1, packetBits: 256 });
    const b = new PacketBatch();
    const far = [3, 2, 0, 1];
    for (let k = 0; k < 8; k++) for (let r = 0; r < 4; r++) b.push(r, far[r], 0, 0, 0);
    expect(() => noc.routeStep(b)).toThrow('stalled: no flit can move at cycle 595 (deadlock');
    const dead = (c: number): string => `stalled: no flit can move at cycle ${c} (deadlock: every waiting flit needs a buffer or VC held by another waiting flit) @${c + 1}`;
    expect(reports).toEqual([dead(9), dead(7), dead(11)]);
  });
});
