/**
 * Fuzzing every decoder (fast-check, seeded): random bytes behind each format's magic, truncations
 * and bit flips of valid fixtures. A decoder may only succeed or throw InputError, must finish, and
 * must produce no more events than its per-byte bound allows (no allocation out of proportion to
 * the input); what it does produce is well-formed.
 */
import fc from 'fast-check';
import { compress as lz4Compress } from 'lz4js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import { DECODERS, importEvents, type EventFormat } from '../../emulator/trace/importers/index.js';
import {
  aedat2Header,
  aedat2Records,
  aedat3Header,
  aedat3Packet,
  aedat3PolarityPacket,
  aedat4File,
  aedat4InfoXml,
  aedat4Packet,
  concat,
  davisAddr,
  dvs128Addr,
  enc,
  eventPacketFlatbuffer,
  evt2,
  evt3,
  nmnistBytes,
  NMNIST_OVERFLOW,
  propheseeHeader,
  words16,
  words32,
  zstdFrame,
} from '../fixtures/events/builders.js';

const evs4 = Array.from({ length: 12 }, (_, i) => ({ t: 1000 + i * 7, x: (i * 37) % 346, y: (i * 11) % 260, on: i % 3 === 0 }));
const xml = aedat4InfoXml([
  { id: 0, type: 'EVTS', width: 346, height: 260 },
  { id: 1, type: 'IMUS' },
]);
const aedat4 = (c: number, pack: (b: Uint8Array) => Uint8Array): Uint8Array =>
  aedat4File(c, xml, [aedat4Packet(0, pack(eventPacketFlatbuffer(evs4.slice(0, 6)))), aedat4Packet(1, new Uint8Array(12)), aedat4Packet(0, pack(eventPacketFlatbuffer(evs4.slice(6))))]);

/** Valid fixtures per format: the seeds the mutations start from. */
const SEEDS: Record<EventFormat, Uint8Array[]> = {
  nmnist: [nmnistBytes([{ x: 1, y: 2, p: 1, ts: 5 }, NMNIST_OVERFLOW, { x: 33, y: 0, p: 0, ts: 9 }, { x: 4, y: 4, p: 1, ts: 0x7fffff }])],
  aedat2: [
    concat(aedat2Header('\r\n', 'DVS128'), aedat2Records([{ addr: dvs128Addr(5, 6, 1), ts: 10 }, { addr: dvs128Addr(127, 127, 0), ts: 20 }, { addr: 0x8000, ts: 30 }])),
    concat(aedat2Header('\n', 'Davis346'), aedat2Records([{ addr: davisAddr(1, 2, 1), ts: 1 }, { addr: davisAddr(345, 259, 0), ts: 2 }, { addr: 0x400, ts: 3 }])),
  ],
  aedat3: [
    concat(
      aedat3Header(),
      aedat3PolarityPacket([{ x: 1, y: 2, p: 1, ts: 3 }, { x: 100, y: 50, p: 0, ts: 4, valid: false }, { x: 127, y: 127, p: 1, ts: 5 }], 0),
      aedat3Packet({ type: 3, eventSize: 36, tsOverflow: 0, capacity: 1, number: 1, valid: 1, body: new Uint8Array(36) }),
      aedat3PolarityPacket([{ x: 9, y: 9, p: 0, ts: 1 }], 1),
    ),
  ],
  aedat4: [aedat4(0, (b) => b), aedat4(1, (b) => lz4Compress(b)), aedat4(3, (b) => zstdFrame(b, { rleRuns: [[b.length - 3, 3]] }))],
  evt2: [
    concat(propheseeHeader('new', '2.0', 640, 480), words32([evt2.timeHigh(3), evt2.cd(1, 2, 10, 20), evt2.trigger(), evt2.cd(0, 63, 639, 479), evt2.timeHigh(4), evt2.cd(1, 0, 0, 0)])),
    concat(propheseeHeader('old', '2.0', 640, 480), words32([evt2.timeHigh(1), evt2.cd(1, 5, 1, 1)])),
  ],
  evt3: [
    concat(
      propheseeHeader('new', '3.0', 1280, 720),
      words16([evt3.timeHigh(1), evt3.timeLow(2), evt3.addrY(7), evt3.addrX(3, 1), evt3.vectBaseX(100, 0), evt3.vect12(0xfff), evt3.vect8(0xff), evt3.timeHigh(0), evt3.addrX(1279, 0), evt3.trigger()]),
    ),
    concat(propheseeHeader('old', '3.0', 640, 480), words16([evt3.addrY(1), evt3.timeHigh(5), evt3.addrX(2, 0)])),
  ],
};

const MAGIC: Record<EventFormat, Uint8Array> = {
  nmnist: new Uint8Array(0),
  aedat2: enc('#!AER-DAT2.0\r\n'),
  aedat3: enc('#!AER-DAT3.1\r\n#!END-HEADER\r\n'),
  aedat4: SEEDS.aedat4[0].subarray(0, 18 + new DataView(SEEDS.aedat4[0].buffer).getUint32(14, true)),
  evt2: enc('% evt 2.0\n'),
  evt3: enc('% evt 3.0\n'),
};

function mutants(format: EventFormat): fc.Arbitrary<Uint8Array> {
  const seed = fc.constantFrom(...SEEDS[format]);
  return fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((r) => concat(MAGIC[format], r)),
    fc.uint8Array({ maxLength: 300 }),
    seed.chain((s) => fc.integer({ min: 0, max: s.length }).map((k) => s.subarray(0, k))),
    seed.chain((s) =>
      fc.array(fc.tuple(fc.nat(s.length - 1), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }).map((flips) => {
        const m = s.slice();
        for (const [at, bit] of flips) m[at] ^= 1 << bit;
        return m;
      }),
    ),
    // overwrite aligned 32-bit words after the header with extreme or random values (length fields)
    seed.chain((s) =>
      fc
        .array(fc.tuple(fc.nat(Math.max(0, Math.floor((s.length - MAGIC[format].length) / 4) - 1)), fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 0xffff), fc.nat())), { minLength: 1, maxLength: 3 })
        .map((writes) => {
          const m = s.slice();
          const dv = new DataView(m.buffer);
          for (const [k, v] of writes) {
            const at = MAGIC[format].length + 4 * k;
            if (at + 4 <= m.length) dv.setUint32(at, v >>> 0, true);
          }
          return m;
        }),
    ),
    seed.chain((s) =>
      fc.tuple(fc.nat(s.length - 1), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, junk]) => {
        const m = s.slice();
        m.set(junk.subarray(0, m.length - at), at);
        return m;
      }),
    ),
  );
}

function check(bytes: Uint8Array, format: EventFormat | 'auto', lenient: boolean, bound: number): void {
  let res: ReturnType<typeof importEvents> | undefined;
  try {
    res = importEvents(bytes, { format, lenient, source: '<fuzz>', maxPacketBytes: 1 << 20 });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.problems.length).toBeGreaterThan(0);
    return;
  }
  const { imp, events } = res;
  const n = events.t.length;
  expect(n).toBeLessThanOrEqual(Math.ceil(bytes.length * bound) + 1);
  expect(imp.stats.events).toBe(n);
  const { width, height } = imp.sensor;
  for (let i = 0; i < n; i++) {
    if (i > 0 && events.t[i] < events.t[i - 1]) throw new Error(`time goes backwards at ${i}`);
    if (!Number.isFinite(events.t[i]) || events.x[i] >= width || events.y[i] >= height || events.p[i] > 1) throw new Error(`bad event ${i}`);
  }
  if (!lenient) expect(imp.stats.damageCount).toBe(0);
}

describe('fuzzing the decoders', () => {
  for (const format of Object.keys(SEEDS) as EventFormat[]) {
    it(`${format}: random bytes, truncations and bit flips give events or an InputError, never a crash`, () => {
      for (const s of SEEDS[format]) expect(() => importEvents(s, { format })).not.toThrow();
      const bound = DECODERS[format].maxEventsPerByte;
      fc.assert(
        fc.property(mutants(format), fc.boolean(), fc.boolean(), (bytes, lenient, auto) => {
          check(bytes, auto ? 'auto' : format, lenient, auto ? 64 : bound);
        }),
        { seed: 0x5eed + format.length, numRuns: format === 'aedat4' ? 1000 : 400 },
      );
    });
  }
});
