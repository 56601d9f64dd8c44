import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import {
  FileSource,
  MAX_FRAME_BYTES,
  PREAMBLE_BYTES,
  tracePreamble,
  TraceReader,
  TraceWriter,
  type RunChunk,
  type TraceChunk,
} from '../../emulator/trace/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { assemble, expectSameChunk, fullRunChunk, runHeaderRecord, smallRunTrace, tmpDir } from './format-helpers.js';

const dir = tmpDir('trace-damage');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('a trace cut at every byte offset', () => {
  it('reads every complete chunk before the cut and reports the first incomplete frame', () => {
    const { bytes, frameStarts, chunks } = smallRunTrace(dir, 3, 2);
    const headerEnd = frameStarts[1];
    const footerStart = frameStarts[frameStarts.length - 1];
    expect(bytes.length).toBeGreaterThan(footerStart);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const part = bytes.slice(0, cut);
      if (cut < headerEnd) {
        // nothing readable yet: the preamble or the header itself is cut
        const e = inputError(() => TraceReader.fromBytes(part, 'cut'));
        expect(e.problems[0].where, `cut ${cut}`).toBe(`byte ${cut < PREAMBLE_BYTES ? cut : PREAMBLE_BYTES}`);
        continue;
      }
      const r = TraceReader.fromBytes(part, 'cut');
      const got: TraceChunk[] = [...r.chunks()];
      // chunks whose frame ends at or before the cut
      const whole = frameStarts.slice(1, -1).filter((_, i) => frameStarts[i + 2] <= cut).length;
      expect(got.length, `cut ${cut}`).toBe(whole);
      got.forEach((c, i) => expect(expectSameChunk(c, chunks[i])).toEqual([]));
      if (cut === bytes.length) {
        expect(r.complete).toBe(true);
        expect(r.truncatedAt).toBeUndefined();
      } else {
        expect(r.complete, `cut ${cut}`).toBe(false);
        expect(r.truncatedAt, `cut ${cut}`).toBe(frameStarts[1 + whole]);
        expect(r.truncatedReason).toMatch(cut === frameStarts[1 + whole] ? /ends before the footer/ : /cut short/);
      }
    }
  });
});

describe('bit flips', () => {
  it('are caught by the CRC (or the preamble/header checks) at every bit of a small trace', () => {
    const { bytes, frameStarts } = smallRunTrace(dir, 2, 1);
    const headerEnd = frameStarts[1];
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = bytes.slice();
        b[i] ^= 1 << bit;
        if (i < headerEnd) {
          expect(() => TraceReader.fromBytes(b), `byte ${i} bit ${bit}`).toThrow(InputError);
          continue;
        }
        const r = TraceReader.fromBytes(b);
        const n = [...r.chunks()].length;
        const frame = frameStarts.findIndex((s, k) => s <= i && i < (frameStarts[k + 1] ?? bytes.length));
        expect(r.complete, `byte ${i} bit ${bit}`).toBe(false);
        expect(r.truncatedAt, `byte ${i} bit ${bit}`).toBe(frameStarts[frame]);
        expect(n).toBe(frame - 1);
        // a flip in a body is a CRC mismatch; in a length it is a cut-short / mismatch
        if (i >= frameStarts[frame] + 8) expect(r.truncatedReason).toMatch(/CRC-32 mismatch/);
      }
    }
  });
});

describe('damaged preamble and header', () => {
  const goodHeader = runHeaderRecord(['spikes']);

  it('names the byte offset and what was expected', () => {
    const cases: [Uint8Array, string, RegExp][] = [
      [new Uint8Array(0), 'byte 0', /file is empty/],
      [new TextEncoder().encode('PK\x03\x04 a zip file'), 'byte 0', /expected the magic "AERIETRC", found "PK\\x03\\x04/],
      [assemble([goodHeader], tracePreamble(2)), 'byte 8', /container version 2 is newer/],
      [assemble([goodHeader], tracePreamble(0)), 'byte 8', /container version 0 is not a valid version/],
      [assemble([]), 'byte 12', /ends where the header frame should start/],
      [assemble([{ ...goodHeader, version: 9 }]), 'byte 12, header.version', /record version 9 is newer/],
      [assemble([{ ...goodHeader, format: 'other' }]), 'byte 12, header.format', /expected 'aerie-trace'/],
      [assemble([{ kind: 'chunk', stepFrom: 0, stepTo: 1 }]), 'byte 12, header.kind', /expected 'header'/],
      [assemble([[1, 2, 3]]), 'byte 12, header', /expected a map/],
      [assemble([{ ...goodHeader, content: 'video' }]), 'byte 12, header.content', /not one of run, events/],
      [assemble([{ ...goodHeader, content: 'events', timeUnit: 'us', recorded: ['events'], sensor: { width: 0, height: 5 }, source: { format: 'x', file: 'y' } }]), 'byte 12, header.sensor.width', /outside/],
    ];
    for (const [bytes, where, message] of cases) {
      const e = inputError(() => TraceReader.fromBytes(bytes, 'damaged'));
      expect(e.problems[0].where, String(message)).toBe(where);
      expect(e.problems[0].message).toMatch(message);
      expect(e.source).toBe('damaged');
    }
  });

  it('treats a frame whose CRC is right but whose record is wrong as an error, not a crash', () => {
    const chunk = (from: number, to: number) => ({ kind: 'chunk', stepFrom: from, stepTo: to });
    const h = assemble([goodHeader]);
    const at = h.length;
    const cases: [unknown[], RegExp][] = [
      [[goodHeader, goodHeader], /found a second header/],
      [[goodHeader, { kind: 'mystery' }], /unknown kind "mystery"/],
      [[goodHeader, 'just a string'], /unknown kind undefined/],
      [[goodHeader, { ...chunk(0, 1), packets: { step: new Uint32Array(0) } }], /does not include 'packets'/],
      [[goodHeader, chunk(0, 1), { kind: 'footer', complete: true, chunks: 5, totals: {} }], /says 5 chunks but the trace holds 1/],
      [[goodHeader, chunk(0, 2), chunk(1, 3)], /overlaps or precedes/],
    ];
    for (const [records, message] of cases) {
      const bytes = assemble(records);
      const r = TraceReader.fromBytes(bytes);
      const e = inputError(() => [...r.chunks()]);
      expect(e.problems[0].message).toMatch(message);
      expect(e.problems[0].where).toMatch(/^byte \d+/);
      expect(Number(/^byte (\d+)/.exec(e.problems[0].where)![1])).toBeGreaterThanOrEqual(at);
    }
    // trailing bytes after a valid footer
    const done = assemble([goodHeader, { kind: 'footer', complete: true, chunks: 0, totals: {} }]);
    const extra = new Uint8Array(done.length + 3);
    extra.set(done);
    const e = inputError(() => TraceReader.fromBytes(extra).scan());
    expect(e.problems[0]).toEqual({ where: `byte ${done.length}`, message: '3 unexpected byte(s) after the footer' });
    // unknown fields are ignored by the reader (forward compatibility), refused by the writer
    const r = TraceReader.fromBytes(assemble([{ ...goodHeader, futureField: 1 }, { ...chunk(0, 1), futureColumn: new Uint8Array(3) }]));
    expect([...r.chunks()]).toEqual([chunk(0, 1)]);
  });

  it('refuses a frame length over the cap or past the end without allocating it', () => {
    const h = assemble([runHeaderRecord()]);
    for (const len of [MAX_FRAME_BYTES + 1, 0xffffffff, 1_000_000, 0]) {
      const b = new Uint8Array(h.length + 8 + 16);
      b.set(h);
      new DataView(b.buffer).setUint32(h.length, len, true);
      const r = TraceReader.fromBytes(b);
      expect([...r.chunks()]).toEqual([]);
      expect(r.truncatedAt).toBe(h.length);
      expect(r.truncatedReason).toMatch(len === 0 ? /length is 0/ : len > MAX_FRAME_BYTES ? /over the \d+-byte cap/ : /runs past the end/);
    }
  });
});

describe('constant-memory reading', () => {
  it('reads a many-chunk file frame by frame, never the whole file', () => {
    const file = path.join(dir, 'large.aerietrace');
    const w = TraceWriter.open(file, { content: 'run', recorded: ['spikes', 'packets', 'probes', 'timing', 'counters'] });
    const nChunks = 400;
    let biggestFrame = 0;
    for (let c = 0; c < nChunks; c++) {
      const before = w.bytesWritten;
      w.append(fullRunChunk(c * 10, 10, c, 20));
      biggestFrame = Math.max(biggestFrame, w.bytesWritten - before);
    }
    w.close();
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(50 * biggestFrame);
    const sources: FileSource[] = [];
    const r = TraceReader.fromSource(() => {
      const s = new FileSource(file);
      sources.push(s);
      return s;
    }, file);
    let n = 0;
    let spikes = 0;
    for (const c of r.chunks()) {
      n++;
      spikes += (c as RunChunk).spikes!.step.length;
    }
    expect(n).toBe(nChunks);
    expect(spikes).toBe(nChunks * 10 * 20);
    expect(r.complete).toBe(true);
    const iterSource = sources[sources.length - 1];
    expect(iterSource.maxReadBytes).toBeGreaterThan(0);
    expect(iterSource.maxReadBytes).toBeLessThanOrEqual(biggestFrame);
  });
});

describe('a writer killed mid-run', () => {
  const writerScript = (file: string, mode: 'kill' | 'exit') => `
    import { TraceWriter } from ${JSON.stringify(path.join(REPO_ROOT, 'emulator/trace/index.ts'))};
    const w = TraceWriter.open(${JSON.stringify(file)}, { content: 'run', recorded: ['spikes'] });
    const steps = 50;
    for (let c = 0; c < 2000; c++) {
      const step = new Uint32Array(5000).fill(c * steps);
      const neuron = new Uint32Array(5000).map((_, i) => i * 7 + c);
      w.append({ kind: 'chunk', stepFrom: c * steps, stepTo: (c + 1) * steps, spikes: { step, neuron } });
      if (c === 20) process.stdout.write('ready\\n');
      if (${mode === 'exit'} && c === 30) process.exit(0);
    }
    process.exit(3); // never reached unless the parent failed to kill us: bounded either way
  `;

  function runChild(file: string, mode: 'kill' | 'exit'): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writerScript(file, mode)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (mode === 'kill' && out.includes('ready')) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === null && code !== 0 ? reject(new Error(`child failed: ${err}`)) : resolve({ code, signal })));
    });
  }

  function checkPrefix(file: string, atLeast: number): number {
    const r = TraceReader.open(file);
    let n = 0;
    for (const c of r.chunks()) {
      const rc = c as RunChunk;
      expect(rc.stepFrom).toBe(n * 50);
      expect(rc.spikes!.neuron[4999]).toBe(4999 * 7 + n);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(atLeast);
    expect(r.complete).toBe(false);
    expect(r.truncatedAt).toBeGreaterThan(PREAMBLE_BYTES);
    expect(r.truncatedAt).toBeLessThanOrEqual(fs.statSync(file).size);
    return n;
  }

  it('SIGKILL leaves a readable prefix that says it is incomplete', async () => {
    const file = path.join(dir, 'killed.aerietrace');
    const res = await runChild(file, 'kill');
    expect(res.signal).toBe('SIGKILL');
    checkPrefix(file, 21);
  });

  it('process.exit without close leaves every appended chunk readable', async () => {
    const file = path.join(dir, 'exited.aerietrace');
    const res = await runChild(file, 'exit');
    expect(res.code).toBe(0);
    expect(checkPrefix(file, 31)).toBe(31);
    expect(TraceReader.open(file).scan()).toBe(31);
  });
});
