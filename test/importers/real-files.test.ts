/** The real recordings in ../shared/data/events (skipped when ../shared is absent). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decompress as lz4jsDecompress } from 'lz4js';
import { describe, expect, it } from 'vitest';
import { detectFormat, fileSource, importEvents, type EventBlock } from '../../emulator/trace/importers/index.js';
import { lz4DecodeFrame } from '../../emulator/trace/importers/lz4.js';
import { SHARED_DIR } from '../helpers/cli.js';

const DIR = path.join(SHARED_DIR, 'data', 'events');
const NMNIST = path.join(DIR, 'sample_nmnist.bin');
const AEDAT4 = path.join(DIR, 'sample.aedat4');
const AEDAT2 = path.join(DIR, 'sample_aedat_header.aedat');
const missing = (f: string): boolean => {
  const gone = !fs.existsSync(f);
  if (gone) console.warn(`skipping: ${f} not found (../shared/data/events is not present)`);
  return gone;
};

function checkBlock(b: EventBlock, width: number, height: number): void {
  for (let i = 0; i < b.t.length; i++) {
    if (i > 0 && b.t[i] < b.t[i - 1]) throw new Error(`time goes backwards at event ${i}`);
    if (b.x[i] >= width || b.y[i] >= height || b.p[i] > 1) throw new Error(`event ${i} out of range`);
  }
}

describe('real recordings', () => {
  it.skipIf(missing(NMNIST))('N-MNIST sample: 34x34, 4325 events over ~0.31 s, both polarities', () => {
    const src = fileSource(NMNIST);
    expect(detectFormat(src)).toBe('nmnist');
    src.close();
    const { imp, events } = importEvents(NMNIST);
    expect(imp.sensor).toEqual({ width: 34, height: 34 });
    expect(events.t.length).toBe(fs.statSync(NMNIST).size / 5 - imp.stats.otherRecords);
    expect(events.t.length).toBe(4325);
    checkBlock(events, 34, 34);
    expect(imp.stats.lastTime - imp.stats.firstTime).toBeGreaterThan(0.2e6);
    expect(imp.stats.lastTime - imp.stats.firstTime).toBeLessThan(0.4e6);
    const on = events.p.reduce((s, v) => s + v, 0);
    expect(on).toBeGreaterThan(1000);
    expect(on).toBeLessThan(events.t.length - 1000);
    expect(imp.stats.clampedTimestamps).toBe(0);
  });

  it.skipIf(missing(AEDAT4))('AEDAT 4.0 sample: LZ4 packets, sensor size from the header, Unix µs timestamps', () => {
    const { imp, events } = importEvents(AEDAT4);
    expect(imp.format).toBe('aedat4');
    expect(imp.info.details.compression).toBe('LZ4');
    expect(imp.sensor).toEqual({ width: 320, height: 240 });
    expect(events.t.length).toBe(111954);
    checkBlock(events, 320, 240);
    expect(imp.stats.clampedTimestamps).toBe(0);
    expect(imp.stats.damageCount).toBe(0);
    const first = new Date(imp.stats.firstTime / 1000);
    expect(first.getUTCFullYear()).toBe(2020);
    expect(imp.stats.lastTime - imp.stats.firstTime).toBeGreaterThan(0.5e6);
  });

  it.skipIf(missing(AEDAT4))('our LZ4 decoder agrees with lz4js on every packet of the AEDAT 4.0 sample', () => {
    const bytes = fs.readFileSync(AEDAT4);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 18 + dv.getUint32(14, true);
    const { imp } = importEvents(AEDAT4);
    const end = Number(imp.info.details.dataTablePosition);
    let packets = 0;
    while (pos < end) {
      const size = dv.getInt32(pos + 4, true);
      const body = bytes.subarray(pos + 8, pos + 8 + size);
      const ours = lz4DecodeFrame(body, 1 << 26);
      expect(ours.frameBytes).toBe(size);
      expect(Buffer.from(ours.data).equals(Buffer.from(lz4jsDecompress(body)))).toBe(true);
      pos += 8 + size;
      packets++;
    }
    expect(pos).toBe(end);
    expect(packets).toBeGreaterThan(59);
  });

  it.skipIf(missing(AEDAT2))('AEDAT 2.0 header sample: DAVIS346 layout from the AEChip line, header only', () => {
    const { imp, events } = importEvents(AEDAT2);
    expect(imp.format).toBe('aedat2');
    expect(imp.info.details.layout).toBe('davis');
    expect(imp.sensor).toEqual({ width: 346, height: 260 });
    expect(imp.info.dataOffset).toBe(fs.statSync(AEDAT2).size);
    expect(events.t.length).toBe(0);
  });
});
