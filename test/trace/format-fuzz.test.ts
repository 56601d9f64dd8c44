import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../emulator/errors.js';
import { crc32, encodeFrame, MemorySource, tracePreamble, TraceReader, type ByteSource } from '../../emulator/trace/index.js';
import { assemble, eventBlock, runHeaderRecord, smallRunTrace, tmpDir } from './format-helpers.js';

const dir = tmpDir('trace-fuzz');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A memory source that fails the test if the reader ever asks for bytes beyond the data. */
class BoundedSource implements ByteSource {
  private readonly inner: MemorySource;
  constructor(private readonly bytes: Uint8Array) {
    this.inner = new MemorySource(bytes);
  }
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.bytes.length)) {
      throw new Error(`reader asked for ${length} bytes at ${offset} of a ${this.bytes.length}-byte trace`);
    }
    return this.inner.read(offset, length);
  }
  close(): void {}
}

/** Read everything; return 'ok' | 'input-error'; anything else thrown fails the property. */
const tally: Record<string, number> = {};

function readAllOrInputError(bytes: Uint8Array): 'complete' | 'incomplete' | 'input-error' {
  const out = readOnce(bytes);
  tally[out] = (tally[out] ?? 0) + 1;
  return out;
}

function resetTally(): void {
  for (const k of Object.keys(tally)) delete tally[k];
}

function readOnce(bytes: Uint8Array): 'complete' | 'incomplete' | 'input-error' {
  try {
    const r = TraceReader.fromSource(() => new BoundedSource(bytes), 'fuzz');
    let n = 0;
    for (const c of r.chunks()) {
      expect(c.kind).toBe('chunk');
      n++;
    }
    expect(n).toBe(r.chunksRead);
    if (!r.complete) {
      expect(r.truncatedAt).toBeGreaterThanOrEqual(r.dataOffset);
      expect(r.truncatedAt).toBeLessThanOrEqual(bytes.length);
    }
    return r.complete ? 'complete' : 'incomplete';
  } catch (e) {
    if (e instanceof InputError) {
      expect(e.problems.length).toBeGreaterThan(0);
      return 'input-error';
    }
    throw e;
  }
}

const validTraces: Uint8Array[] = [];
{
  validTraces.push(smallRunTrace(dir, 3, 2).bytes);
  validTraces.push(smallRunTrace(dir, 1, 4).bytes);
  const evHeader = { ...runHeaderRecord(), content: 'events', timeUnit: 'us', recorded: ['events'], sensor: { width: 346, height: 260 }, source: { format: 'evt3', file: 'f.raw' } };
  validTraces.push(assemble([evHeader, { kind: 'chunk', events: eventBlock(20, 1) }, { kind: 'footer', complete: true, chunks: 1, totals: { events: 20 } }]));
}

describe('reader fuzzing (fast-check)', () => {
  it('random bytes, with and without a valid preamble', () => {
    resetTally();
    const pre = tracePreamble();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (junk, withPreamble) => {
        const bytes = withPreamble ? new Uint8Array([...pre, ...junk]) : junk;
        readAllOrInputError(bytes);
      }),
      { seed: 1, numRuns: 1500 },
    );
    expect(tally['input-error']).toBeGreaterThan(1000);
  });

  it('truncations, bit flips, overwrites and insertions of valid traces', () => {
    resetTally();
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
      fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
    );
    fc.assert(
      fc.property(fc.nat(validTraces.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
        let b = validTraces[which].slice();
        for (const m of muts) {
          const at = m.at % (b.length + 1);
          if (m.op === 'cut') b = b.slice(0, at);
          else if (m.op === 'flip' && at < b.length) b[at] ^= 1 << m.bit;
          else if (m.op === 'set' && at < b.length) b[at] = m.value;
          else if (m.op === 'insert') b = new Uint8Array([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        }
        readAllOrInputError(b);
      }),
      { seed: 2, numRuns: 1500 },
    );
    // the mutations must reach every outcome, or the harness is not testing the reader
    expect(tally['input-error']).toBeGreaterThan(50);
    expect(tally.incomplete).toBeGreaterThan(50);
  });

  it('frames with a correct CRC around random or lying msgpack bodies', () => {
    resetTally();
    const header = assemble([runHeaderRecord(['spikes', 'packets', 'probes', 'timing', 'counters'])]);
    // bodies: random bytes, or msgpack headers that claim huge lengths (arrays, maps, strings, bin, ext)
    const liar = fc.constantFrom(
      [0xdd, 0xff, 0xff, 0xff, 0xff],
      [0xdf, 0x7f, 0xff, 0xff, 0xff],
      [0xdb, 0xff, 0xff, 0xff, 0xf0, 0x41],
      [0xc6, 0xff, 0xff, 0xff, 0xff, 0x00],
      [0xc9, 0x7f, 0xff, 0xff, 0xff, 0x74, 0x06],
      [0xc7, 0x05, 0x74, 0x06, 1, 2, 3, 4],
      [0xc7, 0x03, 0x74, 0x63, 1, 2],
      [0x81, 0xa4, 0x6b, 0x69, 0x6e, 0x64, 0xa5, 0x63, 0x68, 0x75, 0x6e, 0x6b],
    );
    const body = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 200 }), liar.map((a) => new Uint8Array(a)), fc.constant(new Uint8Array(50_000).fill(0x91)));
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 3 }), (bodies) => {
        const frames = bodies.map((bd) => {
          const f = new Uint8Array(8 + bd.length);
          const dv = new DataView(f.buffer);
          dv.setUint32(0, bd.length, true);
          dv.setUint32(4, crc32(bd), true);
          f.set(bd, 8);
          return f;
        });
        const total = new Uint8Array(header.length + frames.reduce((a, f) => a + f.length, 0));
        total.set(header);
        let off = header.length;
        for (const f of frames) {
          total.set(f, off);
          off += f.length;
        }
        readAllOrInputError(total);
      }),
      { seed: 3, numRuns: 500 },
    );
    expect(tally['input-error']).toBeGreaterThan(400);
  });

  it('well-formed msgpack records of the wrong shape', () => {
    const typed = fc.oneof(
      fc.uint8Array({ maxLength: 8 }),
      fc.uint8Array({ maxLength: 8 }).map((a) => new Uint16Array(a)),
      fc.uint8Array({ maxLength: 8 }).map((a) => new Uint32Array(a)),
      fc.uint8Array({ maxLength: 8 }).map((a) => new Int32Array(a)),
      fc.uint8Array({ maxLength: 8 }).map((a) => new Float64Array(a)),
      fc.float32Array({ maxLength: 4 }),
    );
    const leaf = fc.oneof(typed, fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('step', 'neuron', 'name', 'width', 'values', 't', 'x', 'y', 'p', 'names'), tie('v'), { maxKeys: 4 })),
    })).v;
    const chunkLike = fc.record(
      {
        kind: fc.constantFrom('chunk', 'footer', 'header', 'x'),
        stepFrom: fc.oneof(fc.nat(10), fc.double()),
        stepTo: fc.oneof(fc.nat(20), fc.double()),
        spikes: value,
        packets: value,
        probes: value,
        timing: value,
        counters: value,
        events: value,
        complete: fc.boolean(),
        chunks: fc.nat(3),
        totals: value,
      },
      { requiredKeys: ['kind'] },
    );
    resetTally();
    const headers = [
      runHeaderRecord(['spikes', 'packets', 'probes', 'timing', 'counters']),
      { ...runHeaderRecord(), content: 'events', timeUnit: 'us', recorded: ['events'], sensor: { width: 8, height: 8 }, source: { format: 'x', file: 'y' } },
    ];
    fc.assert(
      fc.property(fc.nat(1), fc.array(chunkLike, { maxLength: 4 }), (h, recs) => {
        readAllOrInputError(assemble([headers[h], ...recs]));
      }),
      { seed: 4, numRuns: 1500 },
    );
    expect(tally['input-error']).toBeGreaterThan(100);
    expect(tally.incomplete).toBeGreaterThan(50);
  });

  it('random cuts after the header end iteration quietly (never an error)', () => {
    fc.assert(
      fc.property(fc.nat(), (cut) => {
        // once past the header, a cut never raises: it only ends the iteration early
        const b = validTraces[0];
        const dataOffset = TraceReader.fromBytes(b).dataOffset;
        const at = dataOffset + (cut % (b.length - dataOffset));
        const r = TraceReader.fromBytes(b.slice(0, at));
        const n = [...r.chunks()].length;
        expect(r.complete).toBe(false);
        expect(r.truncatedAt).toBeLessThanOrEqual(at);
        expect(n).toBeLessThanOrEqual(3);
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('builds frames that a reader accepts (sanity check of the fuzz harness)', () => {
    for (const t of validTraces) expect(readAllOrInputError(t)).toBe('complete');
    expect(encodeFrame({ kind: 'x' }).length).toBeGreaterThan(8);
  });
});
