import { describe, expect, it } from 'vitest';
import { aedat2Header, aedat2Records, concat, davisAddr, dvs128Addr } from '../fixtures/events/builders.js';
import { decode, expectInputError, rows } from './helpers.js';

const recs = [
  { addr: dvs128Addr(0, 5, 0), ts: 100 },
  { addr: dvs128Addr(127, 0, 1), ts: 250 },
  { addr: dvs128Addr(10, 127, 1) | 0x8000, ts: 260 }, // external event: skipped
];

describe('AEDAT 2.0', () => {
  for (const eol of ['\r\n', '\n'] as const) {
    it(`reads a header ending in ${eol === '\n' ? 'LF' : 'CRLF'} and starts data at the first non-# byte`, () => {
      const header = aedat2Header(eol, 'ch.unizh.ini.jaer.chip.retina.DVS128');
      const bytes = concat(header, aedat2Records(recs));
      const { imp, events } = decode(bytes);
      expect(imp.format).toBe('aedat2');
      expect(imp.info.dataOffset).toBe(header.length);
      expect(imp.info.details.layout).toBe('dvs128');
      expect(imp.sensor).toEqual({ width: 128, height: 128 });
      // jAER's convention by default: raw polarity 0 is ON, x = 127 - raw x
      expect(rows(events)).toEqual([
        [100, 127, 5, 1],
        [250, 0, 0, 0],
      ]);
      expect(imp.stats.otherRecords).toBe(1);
    });
  }

  it('applies explicit conventions: inivation (raw 1 = ON, no flip) and tonic (swap axes)', () => {
    const bytes = concat(aedat2Header('\n'), aedat2Records(recs));
    expect(rows(decode(bytes, { polarity: 'raw1-on', flipX: false }).events)).toEqual([
      [100, 0, 5, 0],
      [250, 127, 0, 1],
    ]);
    expect(rows(decode(bytes, { polarity: 'raw1-on', flipX: false, swapXY: true }).events)).toEqual([
      [100, 5, 0, 0],
      [250, 0, 127, 1],
    ]);
    expect(rows(decode(bytes, { flipX: false, flipY: true }).events)).toEqual([
      [100, 0, 122, 1],
      [250, 127, 127, 0],
    ]);
  });

  it('decodes the DAVIS layout and skips APS/IMU samples (bit 31 or bit 10 set)', () => {
    const bytes = concat(
      aedat2Header('\r\n', 'eu.seebetter.ini.chips.davis.Davis346red'),
      aedat2Records([
        { addr: davisAddr(345, 259, 1), ts: 5 },
        { addr: davisAddr(3, 4, 0) | 0x400, ts: 6 },
        { addr: 0x80000000 | davisAddr(3, 4, 0), ts: 7 },
        { addr: davisAddr(0, 1, 0), ts: 8 },
      ]),
    );
    const { imp, events } = decode(bytes);
    expect(imp.info.details.layout).toBe('davis');
    expect(imp.sensor).toEqual({ width: 346, height: 260 });
    expect(rows(events)).toEqual([
      [5, 345, 259, 1],
      [8, 0, 1, 0],
    ]);
    expect(imp.stats.otherRecords).toBe(2);
  });

  it('the layout option overrides the AEChip line (no AEChip line means DVS128)', () => {
    const bytes = concat(aedat2Header('\n'), aedat2Records([{ addr: davisAddr(200, 100, 1), ts: 1 }]));
    expect(decode(bytes).imp.stats.otherRecords).toBe(1); // read as DVS128: bits above 15 set, not an event
    const { imp, events } = decode(bytes, { aedat2Layout: 'davis', width: 240, height: 180 });
    expect(imp.info.details.layout).toBe('davis');
    expect(rows(events)).toEqual([[1, 200, 100, 1]]);
  });

  it('unwraps the 32-bit timestamp counter and clamps small backward steps', () => {
    const bytes = concat(
      aedat2Header('\n'),
      aedat2Records([
        { addr: dvs128Addr(1, 1, 0), ts: 0xfffffff0 },
        { addr: dvs128Addr(1, 1, 0), ts: 0x10 },
        { addr: dvs128Addr(1, 1, 0), ts: 0x08 },
      ]),
    );
    const { imp, events } = decode(bytes);
    expect(Array.from(events.t)).toEqual([0xfffffff0, 2 ** 32 + 0x10, 2 ** 32 + 0x10]);
    expect(imp.stats.clampedTimestamps).toBe(1);
  });

  it('names the byte offset of a truncated record; lenient keeps what came before', () => {
    const header = aedat2Header('\n');
    const bytes = concat(header, aedat2Records(recs.slice(0, 2))).subarray(0, header.length + 13);
    expectInputError(() => decode(bytes), header.length + 8, /truncated: expected an 8-byte record/);
    const { imp, events } = decode(bytes, { lenient: true });
    expect(events.t.length).toBe(1);
    expect(imp.stats.skippedBytes).toBe(5);
    expect(imp.stats.damage[0].where).toBe(`byte ${header.length + 8}`);
  });

  it('refuses a file whose magic line is not AEDAT 2.0 when that format is forced', () => {
    expectInputError(() => decode(new TextEncoder().encode('#!AER-DAT3.1\r\n'), { format: 'aedat2' }), 0, /AEDAT 2.0 magic/);
  });
});
