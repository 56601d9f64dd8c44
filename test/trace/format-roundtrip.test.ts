import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../emulator/errors.js';
import {
  crc32,
  hashJson,
  packRecord,
  readEventTrace,
  readEventTraceBytes,
  TraceReader,
  TraceWriter,
  writeEventTrace,
  EVENT_CHUNK_MAX_EVENTS,
  type EventChunk,
  type RunChunk,
  type TraceChunk,
} from '../../emulator/trace/index.js';
import { eventBlock, expectSameChunk, FULL_RUN_HEADER, fullRunChunk, tmpDir } from './format-helpers.js';

const dir = tmpDir('trace-roundtrip');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function readAll(r: TraceReader): TraceChunk[] {
  return [...r.chunks()];
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('run trace round trip', () => {
  it('keeps every chunk kind byte-exact, through a file and through memory', () => {
    const file = path.join(dir, 'full.aerietrace');
    const network = FULL_RUN_HEADER.network;
    const w = TraceWriter.open(file, { ...FULL_RUN_HEADER, networkHash: hashJson(network), created: '2026-01-02T03:04:05Z' });
    const chunks = [fullRunChunk(0, 4, 1), fullRunChunk(4, 3, 2), fullRunChunk(10, 1, 3, 0)];
    for (const c of chunks) w.append(c);
    const summary = w.close({ totals: { energyJ: 1.25e-6, model: 'cuba' }, wallSeconds: 0.5 });
    expect(summary.chunks).toBe(3);
    expect(summary.bytes).toBe(fs.statSync(file).size);
    expect(summary.totals).toEqual({ energyJ: 1.25e-6, model: 'cuba', spikes: 4 * 3 + 3 * 3, packets: 2 * (4 * 3 + 3 * 3), steps: 11 });

    const readers = [TraceReader.open(file), TraceReader.fromBytes(new Uint8Array(fs.readFileSync(file)), 'mem')];
    for (const r of readers) {
      expect(r.header).toEqual({
        kind: 'header',
        format: 'aerie-trace',
        version: 1,
        timeUnit: 'step',
        ...FULL_RUN_HEADER,
        networkHash: hashJson(network),
        created: '2026-01-02T03:04:05Z',
      });
      const got = readAll(r);
      expect(got.length).toBe(3);
      got.forEach((c, i) => expect(expectSameChunk(c, chunks[i])).toEqual([]));
      expect(r.complete).toBe(true);
      expect(r.truncatedAt).toBeUndefined();
      expect(r.footer?.totals).toEqual(summary.totals);
      expect(r.footer?.wallSeconds).toBe(0.5);
      expect(r.footer?.chunks).toBe(3);
      // a second iteration reads the same again
      expect(r.scan()).toBe(3);
      expect(r.complete).toBe(true);
    }
  });

  it('writes byte-identical files for identical input (no hidden clock or randomness)', () => {
    const a = path.join(dir, 'same-a.aerietrace');
    const b = path.join(dir, 'same-b.aerietrace');
    for (const f of [a, b]) {
      const w = TraceWriter.open(f, FULL_RUN_HEADER);
      w.append(fullRunChunk(0, 2, 9));
      w.close();
    }
    expect(Buffer.compare(fs.readFileSync(a), fs.readFileSync(b))).toBe(0);
  });

  it('keeps special float values and extreme integers exactly', () => {
    const file = path.join(dir, 'extremes.aerietrace');
    const w = TraceWriter.open(file, { content: 'run', recorded: ['spikes', 'packets', 'probes', 'counters'] });
    const chunk: RunChunk = {
      kind: 'chunk',
      stepFrom: 0xfffffffe,
      stepTo: 0x100000000,
      spikes: { step: new Uint32Array([0xfffffffe, 0xffffffff]), neuron: new Uint32Array([0, 0xffffffff]) },
      packets: {
        step: new Uint32Array([0xffffffff]),
        srcCore: new Uint32Array([0xffffffff]),
        dstCore: new Uint32Array([0]),
        hops: new Uint16Array([0xffff]),
        latencyPs: new Float64Array([Number.MAX_VALUE]),
      },
      probes: [{ name: 'ü-probe ✓', width: 1, values: new Int32Array([-0x80000000, 0x7fffffff]) }],
      counters: { names: ['a'], values: new Float64Array([-0, 5e-324]) },
    };
    w.append(chunk);
    w.close();
    const r = TraceReader.open(file);
    const [got] = readAll(r);
    expect(expectSameChunk(got, chunk)).toEqual([]);
    expect(Object.is((got as RunChunk).counters!.values[0], -0)).toBe(true);
  });

  it('validates chunks before writing: a bad chunk names its field and leaves the file intact', () => {
    const file = path.join(dir, 'bad-chunks.aerietrace');
    const w = TraceWriter.open(file, { content: 'run', recorded: ['spikes', 'timing', 'probes'] });
    const good = { kind: 'chunk', stepFrom: 0, stepTo: 2, spikes: { step: new Uint32Array([0, 1]), neuron: new Uint32Array([4, 5]) } } as RunChunk;
    w.append(good);
    const bad: [unknown, string][] = [
      [{ ...good, stepFrom: 1 }, 'chunk.stepFrom'], // overlaps the previous chunk
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, spikes: { step: new Uint32Array([3]), neuron: new Uint32Array([1]) } }, 'chunk.spikes.step[0]'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 4, spikes: { step: new Uint32Array([3, 2]), neuron: new Uint32Array([1, 1]) } }, 'chunk.spikes.step[1]'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, spikes: { step: new Uint32Array([2]), neuron: new Uint32Array([1, 2]) } }, 'chunk.spikes.neuron'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, spikes: { step: [2], neuron: new Uint32Array([1]) } }, 'chunk.spikes.step'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, spikes: { step: new Int32Array([2]), neuron: new Uint32Array([1]) } }, 'chunk.spikes.step'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, spike: {} }, 'chunk.spike'], // typo: strict writer refuses
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, packets: {} }, 'chunk.packets'], // not in recorded
      [{ kind: 'chunk', stepFrom: 2, stepTo: 4, timing: { step: new Uint32Array([2, 2]), durationPs: new Float64Array([1, 1]) } }, 'chunk.timing.step[1]'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 3, timing: { step: new Uint32Array([2]), durationPs: new Float64Array([NaN]) } }, 'chunk.timing.durationPs[0]'],
      [{ kind: 'chunk', stepFrom: 2, stepTo: 4, probes: [{ name: 'v', width: 2, values: new Int32Array(3) }] }, 'chunk.probes[0].values'],
      [{ kind: 'chunk', stepFrom: 2.5, stepTo: 4 }, 'chunk.stepFrom'],
      [{ kind: 'chunk', stepFrom: 4, stepTo: 3 }, 'chunk.stepTo'],
    ];
    for (const [chunk, where] of bad) {
      const err = catchError(() => w.append(chunk as RunChunk));
      expect(err, where).toBeInstanceOf(InputError);
      expect((err as InputError).problems.map((p) => p.where).join(' | '), where).toContain(where);
    }
    w.append({ kind: 'chunk', stepFrom: 2, stepTo: 3 });
    w.close();
    const r = TraceReader.open(file);
    expect(r.scan()).toBe(2);
    expect(r.complete).toBe(true);
  });

  it('fills in the hash of an embedded network, and refuses a hash that does not match it', () => {
    const file = path.join(dir, 'hash-filled.aerietrace');
    const network = { populations: [{ name: 'a', size: 3 }] };
    TraceWriter.open(file, { content: 'run', recorded: ['spikes'], network }).close();
    expect((TraceReader.open(file).header as { networkHash?: string }).networkHash).toBe(hashJson(network));
    const bad = path.join(dir, 'hash-bad.aerietrace');
    const err = catchError(() => TraceWriter.open(bad, { content: 'run', recorded: ['spikes'], network, networkHash: '0'.repeat(64) }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems[0].where).toBe('header: header.networkHash');
    expect(fs.existsSync(bad)).toBe(false);
  });

  it('refuses a bad header before creating the file', () => {
    const file = path.join(dir, 'bad-header.aerietrace');
    const err = catchError(() => TraceWriter.open(file, { content: 'run', recorded: ['spikes', 'spiks' as 'spikes'], networkHash: 'xyz' }));
    expect(err).toBeInstanceOf(InputError);
    const wheres = (err as InputError).problems.map((p) => p.where);
    expect(wheres).toContain('header: header.recorded[1]');
    expect(wheres).toContain('header: header.networkHash');
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('bytes on disk (pinned: a change here is a format change, see Versioning)', () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const str = (s: string) => (s.length < 32 ? (0xa0 + s.length).toString(16) : '') + Buffer.from(s, 'ascii').toString('hex');

  it('typed arrays are msgpack ext 0x74: kind byte then raw little-endian bytes', () => {
    expect(hex(packRecord(new Uint32Array([1, 2])))).toBe('c70974' + '06' + '01000000' + '02000000');
    expect(hex(packRecord(new Uint16Array([0x1234])))).toBe('c70374' + '04' + '3412');
    expect(hex(packRecord(new Int32Array([-2])))).toBe('c70574' + '05' + 'feffffff');
    expect(hex(packRecord(new Uint8Array([7])))).toBe('c70274' + '01' + '07');
    expect(hex(packRecord(new Float64Array([1])))).toBe('c70974' + '08' + '000000000000f03f');
  });

  it('preamble, frame heads and a chunk body are laid out as documented', () => {
    const file = path.join(dir, 'bytes.aerietrace');
    const w = TraceWriter.open(file, { content: 'run', recorded: ['spikes'] });
    const chunkAt = w.bytesWritten;
    w.append({ kind: 'chunk', stepFrom: 0, stepTo: 1 });
    w.close();
    const b = new Uint8Array(fs.readFileSync(file));
    expect(hex(b.subarray(0, 12))).toBe(Buffer.from('AERIETRC').toString('hex') + '01000000');
    const dv = new DataView(b.buffer, b.byteOffset);
    const headerLen = dv.getUint32(12, true);
    expect(20 + headerLen).toBe(chunkAt);
    expect(dv.getUint32(16, true)).toBe(crc32(b.subarray(20, 20 + headerLen)));
    // {kind: 'chunk', stepFrom: 0, stepTo: 1} as a 3-entry map (msgpackr writes maps as map16)
    const body = 'de0003' + str('kind') + str('chunk') + str('stepFrom') + '00' + str('stepTo') + '01';
    const len = body.length / 2;
    expect(hex(b.subarray(chunkAt, chunkAt + 4))).toBe(len.toString(16).padStart(2, '0') + '000000');
    expect(dv.getUint32(chunkAt + 4, true)).toBe(crc32(Buffer.from(body, 'hex')));
    expect(hex(b.subarray(chunkAt + 8, chunkAt + 8 + len))).toBe(body);
  });
});

describe('writer file handling', () => {
  it('refuses to overwrite an existing file unless forced', () => {
    const file = path.join(dir, 'exists.aerietrace');
    fs.writeFileSync(file, 'precious');
    const err = catchError(() => TraceWriter.open(file, { content: 'run', recorded: ['spikes'] }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain(file);
    expect((err as InputError).message).toContain('--force');
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
    const w = TraceWriter.open(file, { content: 'run', recorded: ['spikes'] }, { force: true });
    w.close();
    expect(TraceReader.open(file).scan()).toBe(0);
  });

  it('reports an unwritable path with the path and the reason', () => {
    const missing = path.join(dir, 'no-such-folder', 'x.aerietrace');
    const e1 = catchError(() => TraceWriter.open(missing, { content: 'run', recorded: ['spikes'] }));
    expect(e1).toBeInstanceOf(InputError);
    expect((e1 as InputError).message).toContain(missing);
    expect((e1 as InputError).message).toMatch(/folder does not exist/);
    const e2 = catchError(() => TraceWriter.open(dir, { content: 'run', recorded: ['spikes'] }, { force: true }));
    expect(e2).toBeInstanceOf(InputError);
    expect((e2 as InputError).message).toMatch(/is a folder/);
  });

  it.skipIf(!fs.existsSync('/dev/full'))('reports a full disk (ENOSPC) naming the path', () => {
    // /dev/full accepts an open and fails every write with ENOSPC.
    const err = catchError(() => {
      const w = TraceWriter.open('/dev/full', { content: 'run', recorded: ['spikes'] }, { force: true });
      w.append({ kind: 'chunk', stepFrom: 0, stepTo: 1 });
    });
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain('/dev/full');
    expect((err as InputError).message).toMatch(/disk is full \(ENOSPC\)/);
  });

  it('refuses appends after close', () => {
    const w = TraceWriter.open(path.join(dir, 'closed.aerietrace'), { content: 'run', recorded: ['spikes'] });
    w.close();
    expect(() => w.append({ kind: 'chunk', stepFrom: 0, stepTo: 1 })).toThrow(/closed/);
    expect(w.isOpen).toBe(false);
  });
});

describe('reader errors on files that are not traces', () => {
  it('names missing files and folders', () => {
    const e = catchError(() => TraceReader.open(path.join(dir, 'nope.aerietrace')));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/file not found/);
    expect((catchError(() => TraceReader.open(dir)) as InputError).message).toMatch(/is a folder/);
  });

  it('refuses a run trace where an event trace is expected', () => {
    const file = path.join(dir, 'run-not-events.aerietrace');
    TraceWriter.open(file, { content: 'run', recorded: ['spikes'] }).close();
    const e = catchError(() => readEventTrace(file));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).problems[0].where).toBe('header.content');
  });
});

describe('event traces', () => {
  const header = { sensor: { width: 346, height: 260 }, source: { format: 'aedat2', file: 'rec.aedat' } };

  it('round-trip blocks byte-exact, split blocks over the chunk cap, skip empty blocks', () => {
    const file = path.join(dir, 'events.aerietrace');
    const small = eventBlock(1000, 1);
    const big = eventBlock(EVENT_CHUNK_MAX_EVENTS + 77, 2, 346, 260, 5000);
    const empty = eventBlock(0, 3);
    const s = writeEventTrace(file, header, [small, empty, big]);
    expect(s.events).toBe(1000 + EVENT_CHUNK_MAX_EVENTS + 77);
    expect(s.chunks).toBe(3);
    expect(s.tFirst).toBe(0);
    expect(s.tLast).toBe(5000 + (EVENT_CHUNK_MAX_EVENTS + 76) * 1.5);
    const r = readEventTrace(file);
    expect(r.header).toMatchObject({ content: 'events', timeUnit: 'us', recorded: ['events'], ...header });
    const blocks = [...r.blocks()];
    expect(r.complete).toBe(true);
    expect(blocks.map((b) => b.t.length)).toEqual([1000, EVENT_CHUNK_MAX_EVENTS, 77]);
    expect(expectSameChunk({ kind: 'chunk', events: blocks[0] }, { kind: 'chunk', events: small })).toEqual([]);
    const joined = (k: 't' | 'x' | 'y' | 'p') => {
      const a = blocks[1][k];
      const out = new (a.constructor as new (n: number) => typeof a)(a.length + blocks[2][k].length);
      out.set(a as never);
      out.set(blocks[2][k] as never, a.length);
      return out;
    };
    expect(expectSameChunk({ kind: 'chunk', events: { t: joined('t'), x: joined('x'), y: joined('y'), p: joined('p') } } as EventChunk, { kind: 'chunk', events: big })).toEqual([]);
    expect(r.reader.footer?.totals).toEqual({ events: s.events, tFirstUs: s.tFirst, tLastUs: s.tLast });
  });

  it('refuses events outside the sensor or with bad polarity, naming the event', () => {
    const b = eventBlock(10, 4, 32, 32);
    b.x[7] = 32;
    const e = catchError(() => writeEventTrace(path.join(dir, 'ev-bad-x.aerietrace'), { ...header, sensor: { width: 32, height: 32 } }, [b]));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).problems[0].where).toContain('chunk.events.x[7]');
    const b2 = eventBlock(10, 4, 32, 32);
    b2.p[3] = 2;
    const e2 = catchError(() => writeEventTrace(path.join(dir, 'ev-bad-p.aerietrace'), { ...header, sensor: { width: 32, height: 32 } }, [b2]));
    expect((e2 as InputError).problems[0].where).toContain('chunk.events.p[3]');
    const b3 = { ...eventBlock(10, 4), y: new Uint16Array(9) };
    const e3 = catchError(() => writeEventTrace(path.join(dir, 'ev-bad-len.aerietrace'), header, [b3]));
    expect((e3 as InputError).problems[0].where).toContain('chunk.events.y');
  });

  it('leaves a readable incomplete trace when the block source fails midway', () => {
    const file = path.join(dir, 'ev-abort.aerietrace');
    function* blocks() {
      yield eventBlock(100, 5);
      yield eventBlock(100, 6, 346, 260, 1000);
      throw new Error('decoder gave up');
    }
    expect(() => writeEventTrace(file, header, blocks())).toThrow('decoder gave up');
    const r = readEventTraceBytes(new Uint8Array(fs.readFileSync(file)));
    expect([...r.blocks()].length).toBe(2);
    expect(r.complete).toBe(false);
    expect(r.truncatedAt).toBe(fs.statSync(file).size);
    expect(r.truncatedReason).toMatch(/ends before the footer/);
  });
});
