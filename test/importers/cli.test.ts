/** `aerie import` end to end. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEventTrace } from '../../emulator/trace/index.js';
import { aedat2Header, aedat2Records, concat, dvs128Addr, evt3, propheseeHeader, words16 } from '../fixtures/events/builders.js';
import { runCli, SHARED_DIR } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aerie-import-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// EVT 3.0: 4 events over 2 ms on a 640x480 sensor
const header = propheseeHeader('new', '3.0', 640, 480);
const body = words16([evt3.addrY(10), evt3.timeHigh(0), evt3.timeLow(1000), evt3.addrX(5, 1), evt3.vectBaseX(100, 0), evt3.vect8(0b101), evt3.timeLow(3000), evt3.addrX(639, 1)]);
const evtFile = path.join(tmp, 'rec.raw');
fs.writeFileSync(evtFile, concat(header, body));

describe('aerie import', () => {
  it('prints the summary and writes a readable event trace with -o', () => {
    const out = path.join(tmp, 'rec.trace');
    const r = runCli(['import', evtFile, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/aerie import: .*rec\.raw \(evt3\)/);
    expect(r.stdout).toMatch(/events\s+4\n/);
    expect(r.stdout).toMatch(/sensor\s+640 x 480/);
    expect(r.stdout).toMatch(/duration\s+0\.002000 s/);
    expect(r.stdout).toMatch(/rate\s+2,000 events\/s/);
    const tr = readEventTrace(out);
    expect(tr.header.sensor).toEqual({ width: 640, height: 480 });
    expect(tr.header.source).toEqual({ format: 'evt3', file: 'rec.raw' });
    const blocks = [...tr.blocks()];
    expect(tr.complete).toBe(true);
    expect(blocks.flatMap((b) => Array.from(b.x))).toEqual([5, 100, 102, 639]);
    expect(blocks.flatMap((b) => Array.from(b.t))).toEqual([1000, 1000, 1000, 3000]);
    expect(blocks.flatMap((b) => Array.from(b.p))).toEqual([1, 0, 0, 1]);
    // a second run refuses to overwrite without --force
    const again = runCli(['import', evtFile, '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  });

  it('--json with conventions, and bad input exits 2 naming the byte offset (no output left behind)', () => {
    const r = runCli(['import', evtFile, '--json', '--swap-xy', '--flip-x']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ format: 'evt3', events: 4, sensor: { width: 480, height: 640 }, convention: { swapXY: true, flipX: true, polarity: 'raw1-on' } });
    const bad = path.join(tmp, 'bad.raw');
    fs.writeFileSync(bad, concat(header, body, words16([0x9000])));
    const out = path.join(tmp, 'bad.trace');
    const e = runCli(['import', bad, '-o', out]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`error: ${bad}: byte ${header.length + body.length}: unknown EVT 3.0 word type 0x9`);
    expect(fs.existsSync(out)).toBe(false);
    // lenient, on a truncated AEDAT 2.0 DVS128 file: jAER's convention applies when no option is given
    const aedat = path.join(tmp, 'cut.aedat');
    fs.writeFileSync(aedat, concat(aedat2Header('\r\n', 'DVS128'), aedat2Records([{ addr: dvs128Addr(1, 2, 0), ts: 5 }])).subarray(0, -3));
    const lenient = runCli(['import', aedat, '--lenient']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/events\s+0\n/);
    expect(lenient.stdout).toMatch(/convention\s+polarity raw0-on, flip-x yes, flip-y no, swap-xy no/);
    expect(lenient.stdout).toMatch(/damage\s+1 site\(s\), 5 bytes skipped/);
  });

  const nmnist = path.join(SHARED_DIR, 'data', 'events', 'sample_nmnist.bin');
  it.skipIf(!fs.existsSync(nmnist))('imports the real N-MNIST sample (skipped without ../shared)', () => {
    const r = runCli(['import', nmnist, '--format', 'auto', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'nmnist', events: 4325, sensor: { width: 34, height: 34 } });
  });
});
