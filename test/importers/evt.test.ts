import { describe, expect, it } from 'vitest';
import { concat, evt2, evt3, propheseeHeader, words16, words32 } from '../fixtures/events/builders.js';
import { decode, expectInputError, rows } from './helpers.js';

describe('Prophesee EVT 2.0', () => {
  const body = [
    evt2.cd(1, 5, 9, 9), // before any TIME_HIGH: no time base, dropped
    evt2.timeHigh(10),
    evt2.cd(1, 3, 100, 200),
    evt2.trigger(),
    evt2.cd(0, 63, 639, 479),
    evt2.timeHigh(11),
    evt2.cd(0, 0, 1, 2),
  ];
  const expected = [
    [10 * 64 + 3, 100, 200, 1],
    [10 * 64 + 63, 639, 479, 0],
    [11 * 64, 1, 2, 0],
  ];

  for (const style of ['old', 'new'] as const) {
    it(`decodes CD events with TIME_HIGH (${style} header style)`, () => {
      const header = propheseeHeader(style, '2.0', 640, 480);
      const { imp, events } = decode(concat(header, words32(body)));
      expect(imp.format).toBe('evt2');
      expect(imp.info.dataOffset).toBe(header.length);
      expect(imp.sensor).toEqual({ width: 640, height: 480 });
      expect(rows(events)).toEqual(expected);
      expect(imp.stats.droppedEvents).toBe(1);
      expect(imp.stats.otherRecords).toBe(1);
    });
  }

  it('reads big-endian words with endian: be', () => {
    const { events } = decode(concat(propheseeHeader('new', '2.0', 640, 480), words32(body, 'be')), { endian: 'be' });
    expect(rows(events)).toEqual(expected);
  });

  it('unwraps TIME_HIGH when it goes backwards (2^34 µs)', () => {
    const { events } = decode(concat(propheseeHeader('new', '2.0', 640, 480), words32([evt2.timeHigh(0x0fffffff), evt2.cd(1, 1, 0, 0), evt2.timeHigh(0), evt2.cd(1, 2, 0, 0)])));
    expect(Array.from(events.t)).toEqual([0x0fffffff * 64 + 1, 2 ** 34 + 2]);
  });

  it('names the byte of an unknown word type; lenient skips the word', () => {
    const header = propheseeHeader('new', '2.0', 640, 480);
    const bytes = concat(header, words32([evt2.timeHigh(1), 0x30000000, evt2.cd(1, 0, 1, 1)]));
    expectInputError(() => decode(bytes), header.length + 4, /unknown EVT 2.0 word type 0x3/);
    const { imp, events } = decode(bytes, { lenient: true });
    expect(events.t.length).toBe(1);
    expect(imp.stats.skippedBytes).toBe(4);
  });

  it('infers the size from the coordinates when the header has none', () => {
    const { imp } = decode(concat(propheseeHeader('old', '2.0'), words32([evt2.timeHigh(1), evt2.cd(1, 0, 99, 49)])));
    expect(imp.sensor).toEqual({ width: 100, height: 50 });
  });
});

describe('Prophesee EVT 3.0', () => {
  it('decodes ADDR_Y / ADDR_X single events with TIME_HIGH + TIME_LOW', () => {
    const header = propheseeHeader('new', '3.0', 1280, 720);
    const ws = [evt3.addrY(7), evt3.addrX(3, 1), evt3.timeHigh(2), evt3.timeLow(5), evt3.addrY(719), evt3.addrX(1279, 1), evt3.addrX(4, 0)];
    const { imp, events } = decode(concat(header, words16(ws)));
    expect(imp.format).toBe('evt3');
    expect(imp.sensor).toEqual({ width: 1280, height: 720 });
    expect(rows(events)).toEqual([
      [2 * 4096 + 5, 1279, 719, 1],
      [2 * 4096 + 5, 4, 719, 0],
    ]);
    expect(imp.stats.droppedEvents).toBe(1); // the event before the first TIME_HIGH
  });

  it('expands VECT_12 and VECT_8 masks from VECT_BASE_X, advancing base x by 12 and 8', () => {
    const ws = [evt3.timeHigh(0), evt3.timeLow(100), evt3.addrY(10), evt3.vectBaseX(20, 1), evt3.vect12(0b100000000101), evt3.vect8(0b10000001), evt3.vect12(0b1)];
    const { events } = decode(concat(propheseeHeader('old', '3.0', 640, 480), words16(ws)));
    expect(rows(events)).toEqual([
      [100, 20, 10, 1],
      [100, 22, 10, 1],
      [100, 31, 10, 1],
      [100, 32, 10, 1],
      [100, 39, 10, 1],
      [100, 40, 10, 1],
    ]);
  });

  it('detects the 24-bit time wrap when TIME_HIGH decreases and keeps time monotonic', () => {
    const ws = [evt3.addrY(1), evt3.timeHigh(0xfff), evt3.timeLow(0xffe), evt3.addrX(1, 1), evt3.timeHigh(0), evt3.addrX(2, 1), evt3.timeLow(3), evt3.addrX(3, 1), evt3.timeHigh(0xfff), evt3.timeHigh(0x001), evt3.addrX(4, 0)];
    const { events } = decode(concat(propheseeHeader('new', '3.0', 640, 480), words16(ws)));
    expect(Array.from(events.t)).toEqual([0xfffffe, 2 ** 24, 2 ** 24 + 3, 2 * 2 ** 24 + 4096]);
  });

  it('reads big-endian words, skips triggers and continued words', () => {
    const ws = [evt3.timeHigh(1), evt3.addrY(2), evt3.trigger(), 0x7000, 0xe000, 0xf000, evt3.addrX(5, 1)];
    const { imp, events } = decode(concat(propheseeHeader('new', '3.0', 640, 480), words16(ws, 'be')), { endian: 'be' });
    expect(rows(events)).toEqual([[4096, 5, 2, 1]]);
    expect(imp.stats.otherRecords).toBe(4);
  });

  it('names the byte of an undefined word type and of a trailing half word', () => {
    const header = propheseeHeader('new', '3.0', 640, 480);
    expectInputError(() => decode(concat(header, words16([evt3.timeHigh(1), 0x9000]))), header.length + 2, /unknown EVT 3.0 word type 0x9/);
    expectInputError(() => decode(concat(header, words16([evt3.timeHigh(1)]), new Uint8Array([1]))), header.length + 2, /truncated: expected a 2-byte EVT 3.0 word/);
  });

  it('refuses events outside the header geometry', () => {
    const header = propheseeHeader('new', '3.0', 320, 320);
    expectInputError(() => decode(concat(header, words16([evt3.timeHigh(1), evt3.addrY(5), evt3.addrX(400, 1)]))), header.length + 4, /x=400, y=5 is outside the 320x320 sensor/);
  });

  it('refuses a header that names another encoding than the one forced', () => {
    expectInputError(() => decode(propheseeHeader('new', '2.0', 640, 480), { format: 'evt3' }), 0, /header says EVT2/);
  });
});
