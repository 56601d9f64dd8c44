import { compress as lz4Compress } from 'lz4js';
import { describe, expect, it } from 'vitest';
import {
  AEDAT4_COMPRESSION,
  aedat4File,
  aedat4InfoXml,
  aedat4Packet,
  concat,
  eventPacketFlatbuffer,
  zstdFrame,
  type Aedat4Event,
} from '../fixtures/events/builders.js';
import { decode, expectInputError, rows } from './helpers.js';

const T0 = 1_605_537_493_718_345; // Unix µs, needs more than 32 bits
const packetA: Aedat4Event[] = [
  { t: T0, x: 0, y: 0, on: true },
  { t: T0 + 3, x: 345, y: 259, on: false },
];
const packetB: Aedat4Event[] = [{ t: T0 + 10, x: 100, y: 200, on: true }];
const expected = [
  [T0, 0, 0, 1],
  [T0 + 3, 345, 259, 0],
  [T0 + 10, 100, 200, 1],
];
const xml = aedat4InfoXml([
  { id: 0, type: 'EVTS', width: 346, height: 260 },
  { id: 1, type: 'FRME', width: 346, height: 260 },
  { id: 2, type: 'IMUS' },
]);

function file(compression: number, pack: (fb: Uint8Array) => Uint8Array, withDataTable = false): Uint8Array {
  return aedat4File(
    compression,
    xml,
    [aedat4Packet(0, pack(eventPacketFlatbuffer(packetA))), aedat4Packet(1, new Uint8Array([1, 2, 3, 4])), aedat4Packet(0, pack(eventPacketFlatbuffer(packetB)))],
    withDataTable,
  );
}

describe('AEDAT 4.0', () => {
  it('decodes uncompressed EVTS packets, sizes from the header XML, other streams skipped', () => {
    const { imp, events } = decode(file(AEDAT4_COMPRESSION.none, (fb) => fb));
    expect(imp.format).toBe('aedat4');
    expect(imp.sensor).toEqual({ width: 346, height: 260 });
    expect(imp.info.details.compression).toBe('None');
    expect(rows(events)).toEqual(expected);
    expect(imp.stats.otherRecords).toBe(1);
  });

  it('stops at the data table position', () => {
    const { events } = decode(file(AEDAT4_COMPRESSION.none, (fb) => fb, true));
    expect(rows(events)).toEqual(expected);
  });

  it('decodes LZ4 packets (frames from lz4js)', () => {
    const { imp, events } = decode(file(AEDAT4_COMPRESSION.lz4, (fb) => lz4Compress(fb)));
    expect(imp.info.details.compression).toBe('LZ4');
    expect(rows(events)).toEqual(expected);
    expect(rows(decode(file(AEDAT4_COMPRESSION.lz4High, (fb) => lz4Compress(fb))).events)).toEqual(expected);
  });

  it('decodes Zstd packets (hand-built frames of raw and RLE blocks)', () => {
    // the event struct padding is three zero bytes: emit the first padding run as an RLE block
    const zstd = (fb: Uint8Array): Uint8Array => zstdFrame(fb, { rleRuns: [[fb.length - 3, 3]] });
    const { imp, events } = decode(file(AEDAT4_COMPRESSION.zstd, zstd));
    expect(imp.info.details.compression).toBe('Zstd');
    expect(rows(events)).toEqual(expected);
    expect(rows(decode(file(AEDAT4_COMPRESSION.zstdHigh, (fb) => zstdFrame(fb, { checksum: true }))).events)).toEqual(expected);
  });

  it('a damaged LZ4 packet is an error at the packet; lenient skips just that packet', () => {
    const good = file(AEDAT4_COMPRESSION.lz4, (fb) => lz4Compress(fb));
    const bytes = good.slice();
    // the first packet's body starts 8 bytes after its header; corrupt its LZ4 magic
    const firstPacket = findFirstPacket(bytes);
    bytes[firstPacket + 8] ^= 0xff;
    expectInputError(() => decode(bytes), firstPacket + 8, /expected the LZ4 frame magic/);
    const { imp, events } = decode(bytes, { lenient: true });
    expect(rows(events)).toEqual([expected[2]]);
    expect(imp.stats.damageCount).toBe(1);
  });

  it('a truncated packet names where it was cut', () => {
    const bytes = file(AEDAT4_COMPRESSION.none, (fb) => fb);
    const cut = bytes.subarray(0, bytes.length - 5);
    const e = expectInputError(() => decode(cut), undefined, /truncated: packet of \d+ bytes, found \d+/);
    expect(e.problems[0].where).toMatch(/^byte \d+$/);
    const { events } = decode(cut, { lenient: true });
    expect(rows(events)).toEqual(expected.slice(0, 2));
  });

  it('rejects a header without an event stream, and a bad compression code', () => {
    const noEvents = aedat4File(0, aedat4InfoXml([{ id: 1, type: 'FRME' }]), []);
    expectInputError(() => decode(noEvents), 18, /no EVTS \(event\) stream in the header \(streams: 1 FRME\)/);
    expectInputError(() => decode(aedat4File(9, xml, [])), 18, /IOHeader compression 9/);
  });

  it('selects a stream by id', () => {
    const two = aedat4File(
      0,
      aedat4InfoXml([
        { id: 0, type: 'EVTS', width: 346, height: 260 },
        { id: 5, type: 'EVTS', width: 640, height: 480 },
      ]),
      [aedat4Packet(0, eventPacketFlatbuffer(packetA)), aedat4Packet(5, eventPacketFlatbuffer(packetB))],
    );
    expect(rows(decode(two).events)).toEqual(expected.slice(0, 2));
    const second = decode(two, { streamId: 5 });
    expect(second.imp.sensor).toEqual({ width: 640, height: 480 });
    expect(rows(second.events)).toEqual([expected[2]]);
    expectInputError(() => decode(file(0, (fb) => fb), { streamId: 2 }), 18, /stream 2 is IMUS, not an EVTS event stream/);
  });

  it('rejects events with coordinates outside the declared sensor', () => {
    const bytes = aedat4File(0, aedat4InfoXml([{ id: 0, type: 'EVTS', width: 10, height: 10 }]), [aedat4Packet(0, eventPacketFlatbuffer([{ t: 1, x: 10, y: 0, on: true }]))]);
    expectInputError(() => decode(bytes), undefined, /x=10, y=0 is outside the 10x10 sensor/);
  });
});

/** Offset of the first packet header: right after the size-prefixed IOHeader. */
function findFirstPacket(bytes: Uint8Array): number {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(14, true);
  return 18 + len;
}
