import { describe, expect, it } from 'vitest';
import { nmnistBytes, NMNIST_OVERFLOW } from '../fixtures/events/builders.js';
import { decode, expectInputError, rows } from './helpers.js';

describe('N-MNIST / ATIS .bin', () => {
  it('decodes 5-byte records: x, y, polarity bit 7, 23-bit timestamp', () => {
    const bytes = nmnistBytes([
      { x: 3, y: 4, p: 1, ts: 0x012345 },
      { x: 33, y: 33, p: 0, ts: 0x7fffff },
    ]);
    expect(Array.from(bytes.slice(0, 5))).toEqual([3, 4, 0x81, 0x23, 0x45]);
    const { imp, events } = decode(bytes, { format: 'nmnist' });
    expect(imp.sensor).toEqual({ width: 34, height: 34 });
    expect(rows(events)).toEqual([
      [0x012345, 3, 4, 1],
      [0x7fffff, 33, 33, 0],
    ]);
  });

  it('drops the y == 240 overflow marker and adds 2^13 to every later timestamp', () => {
    const bytes = nmnistBytes([{ x: 1, y: 1, p: 1, ts: 8000 }, NMNIST_OVERFLOW, { x: 2, y: 2, p: 0, ts: 100 }, NMNIST_OVERFLOW, { x: 3, y: 3, p: 1, ts: 5 }]);
    const { imp, events } = decode(bytes, { format: 'nmnist' });
    expect(rows(events)).toEqual([
      [8000, 1, 1, 1],
      [8192 + 100, 2, 2, 0],
      [16384 + 5, 3, 3, 1],
    ]);
    expect(imp.stats.otherRecords).toBe(2);
  });

  it('is the fallback of auto-detection (no header), and errors then say so', () => {
    const { imp } = decode(nmnistBytes([{ x: 1, y: 1, p: 1, ts: 1 }]));
    expect(imp.format).toBe('nmnist');
    expect(imp.info.details.detected).toMatch(/no header/);
    expectInputError(() => decode(new TextEncoder().encode('\x89PNG\r\n\x1a\n..')), 0, /outside the 34x34 sensor.*read as headerless N-MNIST.*pass --format/);
    expectInputError(() => decode(new TextEncoder().encode('\x89PNG\r\n\x1a\n..'), { format: 'nmnist' }), 0, /^(?!.*read as headerless)/);
  });

  it('rejects a truncated record with its byte offset; lenient keeps the complete ones', () => {
    const bytes = nmnistBytes([
      { x: 1, y: 1, p: 1, ts: 10 },
      { x: 2, y: 2, p: 1, ts: 20 },
    ]).subarray(0, 8);
    expectInputError(() => decode(bytes, { format: 'nmnist' }), 5, /truncated: expected a 5-byte record, found 3 bytes/);
    const { imp, events } = decode(bytes, { format: 'nmnist', lenient: true });
    expect(rows(events)).toEqual([[10, 1, 1, 1]]);
    expect(imp.stats.skippedBytes).toBe(3);
  });

  it('rejects events outside the 34x34 sensor unless the size is given (N-Caltech101)', () => {
    const bytes = nmnistBytes([{ x: 200, y: 100, p: 1, ts: 1 }]);
    expectInputError(() => decode(bytes, { format: 'nmnist' }), 0, /outside the 34x34 sensor.*--width/);
    const { imp, events } = decode(bytes, { format: 'nmnist', width: 240, height: 180 });
    expect(imp.sensor).toEqual({ width: 240, height: 180 });
    expect(rows(events)).toEqual([[1, 200, 100, 1]]);
    const lenient = decode(bytes, { format: 'nmnist', lenient: true });
    expect(lenient.events.t.length).toBe(0);
    expect(lenient.imp.stats.droppedEvents).toBe(1);
  });
});
