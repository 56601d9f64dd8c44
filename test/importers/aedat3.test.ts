import { describe, expect, it } from 'vitest';
import { aedat3Header, aedat3Packet, aedat3PolarityPacket, concat } from '../fixtures/events/builders.js';
import { decode, expectInputError, rows } from './helpers.js';

describe('AEDAT 3.1', () => {
  it('decodes polarity packets: x bits 17-31, y bits 2-16, polarity bit 1 (1 = ON)', () => {
    const header = aedat3Header('DVS128');
    const bytes = concat(
      header,
      aedat3PolarityPacket([
        { x: 127, y: 0, p: 1, ts: 10 },
        { x: 0, y: 127, p: 0, ts: 20 },
      ]),
    );
    const { imp, events } = decode(bytes);
    expect(imp.format).toBe('aedat3');
    expect(imp.info.dataOffset).toBe(header.length);
    expect(imp.sensor).toEqual({ width: 128, height: 128 });
    expect(rows(events)).toEqual([
      [10, 127, 0, 1],
      [20, 0, 127, 0],
    ]);
  });

  it('builds full timestamps from eventTSOverflow << 31', () => {
    const bytes = concat(aedat3Header(), aedat3PolarityPacket([{ x: 1, y: 2, p: 1, ts: 0x7ffffff0 }], 0), aedat3PolarityPacket([{ x: 1, y: 2, p: 0, ts: 5 }], 1), aedat3PolarityPacket([{ x: 3, y: 4, p: 1, ts: 7 }], 3));
    const { events } = decode(bytes);
    expect(Array.from(events.t)).toEqual([0x7ffffff0, 2 ** 31 + 5, 3 * 2 ** 31 + 7]);
  });

  it('skips invalid events (valid bit 0), other event types, and capacity beyond eventNumber', () => {
    const polarity = aedat3PolarityPacket([
      { x: 5, y: 6, p: 1, ts: 1 },
      { x: 7, y: 8, p: 1, ts: 2, valid: false },
      { x: 9, y: 10, p: 0, ts: 3 },
    ]);
    const imu = aedat3Packet({ type: 3, eventSize: 36, tsOverflow: 0, capacity: 2, number: 2, valid: 2, body: new Uint8Array(72).fill(0xab) });
    // capacity 3 but only 1 event in use: the unused slot holds garbage that must not be read
    const spare = aedat3Packet({ type: 1, eventSize: 8, tsOverflow: 0, capacity: 3, number: 1, valid: 1, body: concat(aedat3PolarityPacket([{ x: 11, y: 12, p: 1, ts: 4 }]).subarray(28), new Uint8Array(16).fill(0xff)) });
    const { imp, events } = decode(concat(aedat3Header(), polarity, imu, spare));
    expect(rows(events)).toEqual([
      [1, 5, 6, 1],
      [3, 9, 10, 0],
      [4, 11, 12, 1],
    ]);
    expect(imp.stats.droppedEvents).toBe(1);
    expect(imp.stats.otherRecords).toBe(2);
  });

  it('reports a truncated packet at its byte offset; lenient keeps the complete events of it', () => {
    const header = aedat3Header();
    const pkt = aedat3PolarityPacket([
      { x: 1, y: 1, p: 1, ts: 1 },
      { x: 2, y: 2, p: 1, ts: 2 },
      { x: 3, y: 3, p: 1, ts: 3 },
    ]);
    const bytes = concat(header, pkt).subarray(0, header.length + 28 + 8 + 5);
    expectInputError(() => decode(bytes), header.length + 28 + 8, /truncated: polarity packet of 3 events/);
    const { imp, events } = decode(bytes, { lenient: true });
    expect(rows(events)).toEqual([[1, 1, 1, 1]]);
    expect(imp.stats.skippedBytes).toBe(5);
  });

  it('rejects impossible packet headers with the field and byte offset', () => {
    const header = aedat3Header();
    const bad = aedat3Packet({ type: 1, eventSize: 8, tsOverflow: 0, capacity: 1, number: 2, valid: 1, body: new Uint8Array(8) });
    expectInputError(() => decode(concat(header, bad)), header.length, /eventNumber 2 \(expected 0..eventCapacity=1\)/);
    const wrongSize = aedat3Packet({ type: 1, eventSize: 12, tsOverflow: 0, capacity: 1, number: 1, valid: 1, body: new Uint8Array(12) });
    expectInputError(() => decode(concat(header, wrongSize)), header.length, /polarity packet with eventSize 12/);
  });

  it('requires the #!END-HEADER line', () => {
    const text = new TextEncoder().encode('#!AER-DAT3.1\r\n#Format: RAW\r\n');
    expectInputError(() => decode(text), 28, /#!END-HEADER/);
  });
});
