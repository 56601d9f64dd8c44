import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchImport, syntheticAedat2, syntheticEvt3 } from '../../emulator/trace/importers/bench.js';
import { detectFormat, importEvents, IMPORT_PARAMS, memorySource, openEvents } from '../../emulator/trace/importers/index.js';
import { enc, nmnistBytes, NMNIST_OVERFLOW } from '../fixtures/events/builders.js';
import { decode, expectInputError } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-importers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('importer API', () => {
  it('detects formats from the header and refuses versions it does not read', () => {
    const d = (s: string): string => detectFormat(memorySource(enc(s)));
    expect(d('#!AER-DAT2.0\r\n')).toBe('aedat2');
    expect(d('#!AER-DAT3.1\r\n')).toBe('aedat3');
    expect(d('#!AER-DAT4.0\r\n')).toBe('aedat4');
    expect(d('% evt 3.0\n')).toBe('evt3');
    expect(d('% format EVT2;width=640;height=480\n% end\n')).toBe('evt2');
    expect(d('\x01\x02\x03\x04\x05')).toBe('nmnist');
    expectInputError(() => decode(enc('#!AER-DAT1.0\r\n')), 0, /unsupported AEDAT version/);
    expectInputError(() => decode(enc('% format EVT21;width=640;height=480\n')), 0, /'EVT21' is not supported/);
    expectInputError(() => decode(enc('% date today\n')), 0, /names no encoding; pass --format evt2 or --format evt3/);
    expect(() => decode(new Uint8Array(0))).toThrow(/file is empty/);
    expectInputError(() => decode(enc('% evt 3.0')), 9, /file ends inside a header line/);
  });

  it('validates options', () => {
    expect(() => decode(new Uint8Array(5), { width: 0 })).toThrow(/width 0 \(expected an integer 1..65536\)/);
    expect(() => decode(new Uint8Array(5), { blockEvents: 1.5 })).toThrow(/blockEvents 1.5/);
    expect(() => decode(new Uint8Array(5), { format: 'avi' as never })).toThrow(/format 'avi'/);
  });

  it('streams a file in windows exactly as it decodes the same bytes in memory, in blocks of blockEvents', () => {
    const n = Math.ceil((IMPORT_PARAMS.readWindowBytes.value * 1.3) / 5);
    const records = Array.from({ length: n }, (_, i) => (i % 50_000 === 49_999 ? NMNIST_OVERFLOW : { x: i % 34, y: (i >> 3) % 34, p: i & 1, ts: (i >> 4) & 0x7fffff }));
    const bytes = nmnistBytes(records);
    const file = path.join(tmp, 'big.bin');
    fs.writeFileSync(file, bytes);
    const fromFile = openEvents(file, { blockEvents: 100_000 });
    const sizes: number[] = [];
    let sumT = 0;
    let sumX = 0;
    for (const b of fromFile.blocks()) {
      sizes.push(b.t.length);
      for (let i = 0; i < b.t.length; i++) {
        sumT += b.t[i];
        sumX += b.x[i];
      }
    }
    const mem = importEvents(bytes).events;
    expect(sizes.reduce((s, v) => s + v, 0)).toBe(mem.t.length);
    expect(sizes.slice(0, -1).every((s) => s === 100_000)).toBe(true);
    expect(sumT).toBe(mem.t.reduce((s, v) => s + v, 0));
    expect(sumX).toBe(mem.x.reduce((s, v) => s + v, 0));
    expect(fromFile.stats.otherRecords).toBe(Math.floor(n / 50_000));
    expect(() => [...fromFile.blocks()]).toThrow(/only once/);
  });

  it('the benchmark inputs hold the events they claim, and benchImport reports them', () => {
    expect(importEvents(syntheticEvt3(1001)).events.t.length).toBe(1001);
    expect(importEvents(syntheticAedat2(999)).events.t.length).toBe(999);
    const r = benchImport({ events: 20_000, repeats: 1 });
    expect(r.evt3_decoded).toBe(20_000);
    expect(r.aedat2_decoded).toBe(20_000);
    expect(Number(r.evt3_events_per_s)).toBeGreaterThan(0);
  });
});
