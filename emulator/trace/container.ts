/**
 * The aerie trace container: a preamble, then length- and CRC-framed msgpack records, written in
 * place and read back frame by frame.
 *
 *   preamble  8 bytes ASCII "AERIETRC", uint32 LE container version (1)
 *   frame     uint32 LE body length, uint32 LE CRC-32 (IEEE) of the body, body (one msgpack record)
 *   records   header frame, then chunk frames, then a footer frame that marks a complete trace
 *
 * Crash safety: every frame is written with fs.writeSync straight into the final file, so a
 * process killed at any instant (or a disk that fills up) leaves a prefix of whole frames plus at
 * most one torn frame. The reader stops at the first frame that is cut short, runs past the end of
 * the file, is longer than the frame cap or fails its CRC, keeps every chunk before it, and reports
 * the trace incomplete with that frame's byte offset. Damage in the preamble or the header — where
 * nothing could be read — is an InputError naming the byte offset and what was expected.
 *
 * Memory: the writer holds one packed chunk at a time; the reader reads one frame at a time with
 * fs.readSync and checks every length against the bytes left in the file before allocating.
 */
import * as fs from 'node:fs';
import { Packr } from 'msgpackr';
import { InputError, type Problem } from '../errors.js';
import { crc32 } from './crc32.js';
import { hashJson } from './hash.js';
import {
  checkChunk,
  checkFooter,
  checkHeader,
  TRACE_FORMAT_NAME,
  TRACE_RECORD_VERSION,
  type ChunkContext,
  type EventChunk,
  type RunChunk,
  type TraceChunk,
  type TraceFooter,
  type TraceHeader,
  type TraceHeaderInit,
} from './records.js';

/** Magic bytes at offset 0 of every trace. */
export const TRACE_MAGIC = 'AERIETRC';
const MAGIC_BYTES = new TextEncoder().encode(TRACE_MAGIC);

/** Parameters of the container, declared once (value, unit, where the number comes from). */
export const TRACE_PARAMS = {
  containerVersion: { value: 1, unit: '', description: 'container (byte layout and framing) version written to bytes 8–11', source: 'aerie docs/TRACE-FORMAT.md §Versioning' },
  preambleBytes: { value: 12, unit: 'B', description: 'magic + version before the first frame', source: 'aerie docs/TRACE-FORMAT.md §Byte layout: 8 magic + 4 version' },
  frameHeadBytes: { value: 8, unit: 'B', description: 'length and CRC before every frame body', source: 'aerie docs/TRACE-FORMAT.md §Framing: 4 length + 4 CRC-32' },
  maxFrameBytes: {
    value: 1 << 30,
    unit: 'B',
    description: 'largest frame body a reader accepts or a writer writes',
    source: 'assumption: 1 GiB cap on one frame body, far above any chunk the writers make (a few MB), low enough to refuse absurd lengths before allocating',
  },
} as const;

export const TRACE_CONTAINER_VERSION = TRACE_PARAMS.containerVersion.value;
export const PREAMBLE_BYTES = TRACE_PARAMS.preambleBytes.value;
export const FRAME_HEAD_BYTES = TRACE_PARAMS.frameHeadBytes.value;
export const MAX_FRAME_BYTES = TRACE_PARAMS.maxFrameBytes.value;

/**
 * msgpack with typed arrays kept as typed arrays (msgpackr `moreTypes`: extension type 0x74 holding
 * a one-byte array kind and the raw little-endian bytes). No shared record structures
 * (`useRecords: false`): every frame decodes on its own, which is what makes a prefix readable.
 */
const packr = new Packr({ moreTypes: true, useRecords: false, structuredClone: false, mapsAsObjects: true });

/** Typed arrays are stored in host byte order, which must be little-endian (x86-64, ARM64). */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndian(): void {
  if (!HOST_LITTLE_ENDIAN) throw new Error('aerie traces store typed arrays little-endian; this big-endian host cannot read or write them');
}

/** Encode one record as a msgpack body (a view into msgpackr's buffer: use it before the next call). */
export function packRecord(record: unknown): Uint8Array {
  return packr.pack(record);
}

/** Decode one msgpack body (throws whatever msgpackr throws on malformed data). */
export function unpackRecord(body: Uint8Array): unknown {
  return packr.unpack(body);
}

/** The 12-byte preamble. */
export function tracePreamble(version: number = TRACE_CONTAINER_VERSION): Uint8Array {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(MAGIC_BYTES, 0);
  new DataView(out.buffer).setUint32(8, version, true);
  return out;
}

/** The 8-byte frame head for a body. */
export function frameHead(body: Uint8Array): Uint8Array {
  const head = new Uint8Array(FRAME_HEAD_BYTES);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, body.length, true);
  dv.setUint32(4, crc32(body), true);
  return head;
}

/** A whole frame (head + body) in one array: for building traces in memory (tests, fixtures). */
export function encodeFrame(record: unknown): Uint8Array {
  const body = packRecord(record);
  const out = new Uint8Array(FRAME_HEAD_BYTES + body.length);
  out.set(frameHead(body), 0);
  out.set(body, FRAME_HEAD_BYTES);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writer

export interface TraceWriterOptions {
  /** Overwrite an existing file (otherwise an existing file is refused). */
  force?: boolean;
  /** fsync after every chunk (survives power loss, slower). Default false: the OS page cache survives a killed process. */
  syncEveryChunk?: boolean;
}

/** Result of closing a writer. */
export interface TraceWriteSummary {
  path: string;
  bytes: number;
  chunks: number;
  totals: Record<string, number | string>;
}

/** Extra footer content from the caller: `totals` are merged with the writer's own counts. */
export interface FooterExtra {
  totals?: Record<string, number | string>;
  [key: string]: unknown;
}

const FOOTER_RESERVED = new Set(['kind', 'complete', 'chunks', 'totals']);

/** Streams a trace to a file: header at open, one frame per append, footer at close. */
export class TraceWriter {
  private fd: number | undefined;
  private offset = 0;
  private nChunks = 0;
  private readonly ctx: ChunkContext = { prevStepTo: 0 };
  private counts = { spikes: 0, packets: 0, events: 0, steps: 0 };
  private readonly syncEveryChunk: boolean;

  private constructor(
    readonly path: string,
    readonly header: TraceHeader,
    fd: number,
    opts: TraceWriterOptions,
  ) {
    this.fd = fd;
    this.syncEveryChunk = Boolean(opts.syncEveryChunk);
  }

  /**
   * Create the file (refused if it exists unless `force`), write the preamble and the header.
   * The header is validated first: a bad header never creates a file.
   */
  static open(path: string, header: TraceHeaderInit, opts: TraceWriterOptions = {}): TraceWriter {
    requireLittleEndian();
    const full = completeHeader(header);
    const checked = checkHeader(full, path, true);
    if (!checked.value) throw new InputError(path, checked.problems.map((p) => ({ where: `header: ${p.where}`, message: p.message })));
    if (checked.value.content === 'run' && checked.value.network !== undefined) {
      // an embedded network always carries its hash, and a given hash must be the network's
      const h = hashJson(checked.value.network, path);
      if (checked.value.networkHash === undefined) checked.value.networkHash = h;
      else if (checked.value.networkHash !== h) {
        throw new InputError(path, [{ where: 'header: header.networkHash', message: `${checked.value.networkHash} is not the hash of the embedded network (${h})` }]);
      }
    }
    let fd: number;
    try {
      fd = fs.openSync(path, opts.force ? 'w' : 'wx');
    } catch (err) {
      throw writeFailure(path, err, 'cannot create the trace');
    }
    const w = new TraceWriter(path, checked.value, fd, opts);
    w.writeBytes(tracePreamble(), 'preamble');
    w.writeRecord(checked.value, 'header');
    return w;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.offset;
  }

  /** Chunks written so far. */
  get chunkCount(): number {
    return this.nChunks;
  }

  /** Is the file still open for appending? */
  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Validate a chunk against the header (refusing unknown fields, out-of-range steps, mismatched
   * columns) and append it as one frame.
   */
  append(chunk: TraceChunk): void {
    this.ensureOpen();
    const checked = checkChunk(chunk, this.header, this.ctx, this.path, true);
    if (!checked.value) throw new InputError(this.path, checked.problems.map((p) => ({ where: `chunk ${this.nChunks}: ${p.where}`, message: p.message })));
    const c = checked.value;
    this.writeRecord(c, `chunk ${this.nChunks}`);
    this.nChunks++;
    if (this.header.content === 'run') {
      const rc = c as RunChunk;
      this.ctx.prevStepTo = rc.stepTo;
      this.counts.steps = rc.stepTo;
      this.counts.spikes += rc.spikes?.step.length ?? 0;
      this.counts.packets += rc.packets?.step.length ?? 0;
    } else {
      this.counts.events += (c as EventChunk).events.t.length;
    }
    if (this.syncEveryChunk) this.sync();
  }

  /** Write the footer (marking the trace complete), flush to disk and close the file. */
  close(extra: FooterExtra = {}): TraceWriteSummary {
    this.ensureOpen();
    const totals: Record<string, number | string> = { ...(extra.totals ?? {}) };
    if (this.header.content === 'run') {
      if (this.header.recorded.includes('spikes')) totals.spikes = this.counts.spikes;
      if (this.header.recorded.includes('packets')) totals.packets = this.counts.packets;
      totals.steps = this.counts.steps;
    } else {
      totals.events = this.counts.events;
    }
    const footer: TraceFooter = { kind: 'footer', complete: true, chunks: this.nChunks, totals };
    for (const [k, v] of Object.entries(extra)) if (!FOOTER_RESERVED.has(k)) footer[k] = v;
    const checked = checkFooter(footer, this.nChunks, this.path, false);
    if (!checked.value) throw new InputError(this.path, checked.problems);
    this.writeRecord(footer, 'footer');
    this.sync();
    this.release();
    return { path: this.path, bytes: this.offset, chunks: this.nChunks, totals };
  }

  /** Close the file without a footer (the trace then reads as incomplete). Safe to call twice. */
  abandon(): void {
    this.release();
  }

  private ensureOpen(): void {
    if (this.fd === undefined) throw new Error(`${this.path}: trace writer is closed`);
  }

  private release(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      /* closing can only fail if the fd is already gone */
    }
  }

  private sync(): void {
    if (this.fd === undefined) return;
    try {
      fs.fsyncSync(this.fd);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Character devices and some file systems do not support fsync; the data is written either way.
      if (code !== 'EINVAL' && code !== 'ENOTSUP') {
        this.release();
        throw writeFailure(this.path, err, `cannot flush the trace to disk after byte ${this.offset}`);
      }
    }
  }

  private writeRecord(record: unknown, what: string): void {
    const body = packRecord(record);
    if (body.length > MAX_FRAME_BYTES) {
      throw new Error(`${this.path}: ${what} packs to ${body.length} bytes, over the ${MAX_FRAME_BYTES}-byte frame cap; record it in smaller chunks`);
    }
    this.writeBytes(frameHead(body), what);
    this.writeBytes(body, what);
  }

  private writeBytes(bytes: Uint8Array, what: string): void {
    const fd = this.fd as number;
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = fs.writeSync(fd, bytes, done, bytes.length - done);
        if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        done += n;
        this.offset += n;
      }
    } catch (err) {
      this.release();
      throw writeFailure(
        this.path,
        err,
        `cannot write the ${what} at byte ${this.offset}; the file keeps ${this.nChunks} complete chunk(s) and reads as an incomplete trace`,
      );
    }
  }
}

function completeHeader(h: TraceHeaderInit): Record<string, unknown> {
  const base = { kind: 'header', format: TRACE_FORMAT_NAME, version: TRACE_RECORD_VERSION };
  if (h.content === 'events' || 'sensor' in h) {
    return { ...base, content: 'events', timeUnit: 'us', recorded: ['events'], ...stripUndefined(h) };
  }
  return { ...base, timeUnit: 'step', ...stripUndefined(h) };
}

function stripUndefined(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

const ERRNO_TEXT: Record<string, string> = {
  EEXIST: 'already exists; pass --force to overwrite it',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, expected a file name',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file is too large for this file system',
  EIO: 'input/output error',
};

function writeFailure(path: string, err: unknown, what: string): InputError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const why = ERRNO_TEXT[code] ?? (err as Error)?.message ?? String(err);
  if (code === 'EEXIST') return new InputError(path, [{ where: '', message: why }]);
  return new InputError(path, [{ where: '', message: `${what}: ${why}${code ? ` (${code})` : ''}` }]);
}

// ---------------------------------------------------------------------------------------------
// Reader

/** Random-access bytes the reader pulls frames from. `read` returns at most `length` bytes (fewer at the end). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

/** Bytes already in memory (tests, fuzzing, traces received over a pipe). */
export class MemorySource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
  close(): void {}
}

/** A file read with fs.readSync, one request at a time; nothing is read ahead. */
export class FileSource implements ByteSource {
  private fd: number | undefined;
  readonly size: number;
  /** Largest single read so far, in bytes (the reader's working-set bound; used by tests). */
  maxReadBytes = 0;

  constructor(readonly path: string) {
    try {
      this.fd = fs.openSync(path, 'r');
      const st = fs.fstatSync(this.fd);
      if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      this.size = st.size;
    } catch (err) {
      this.close();
      const code = (err as NodeJS.ErrnoException).code ?? '';
      const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, expected a trace file' : `cannot read (${code || (err as Error).message})`;
      throw new InputError(path, [{ where: '', message: why }]);
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new Error(`${this.path}: trace file is closed`);
    const want = Math.max(0, Math.min(length, this.size - offset));
    if (want > this.maxReadBytes) this.maxReadBytes = want;
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    try {
      while (got < want) {
        const n = fs.readSync(this.fd, buf, got, want - got, offset + got);
        if (n === 0) break; // the file shrank under us: behave as if it ends here
        got += n;
      }
    } catch (err) {
      throw new InputError(this.path, [{ where: `byte ${offset + got}`, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }]);
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/** Outcome of reading one frame. */
const FRAME_OK = 0;
const FRAME_END = 1;
const FRAME_BAD = 2;

/**
 * Reads a trace: the header at open, then chunks one by one. After a full iteration of `chunks()`,
 * `complete` says whether the footer was reached, and `truncatedAt` / `truncatedReason` say where
 * and why reading stopped otherwise.
 */
export class TraceReader {
  /** The header record. */
  readonly header: TraceHeader;
  /** Byte offset of the first frame after the header. */
  readonly dataOffset: number;
  /** True once an iteration reached a valid footer. */
  complete = false;
  /** Byte offset of the first incomplete or corrupt frame (set when an iteration ended without a footer). */
  truncatedAt: number | undefined;
  /** Why reading stopped at `truncatedAt`. */
  truncatedReason: string | undefined;
  /** The footer, once an iteration reached it. */
  footer: TraceFooter | undefined;
  /** Chunks yielded by the last iteration. */
  chunksRead = 0;
  /** Total bytes the trace holds (file size). */
  readonly size: number;

  private body: Uint8Array = new Uint8Array(0);
  private frameEnd = 0;
  private problem = '';

  private constructor(
    readonly source: string,
    private readonly openSource: () => ByteSource,
    first: ByteSource,
  ) {
    this.size = first.size;
    requireLittleEndian();
    try {
      checkPreamble(first, source);
      const st = this.readFrame(first, PREAMBLE_BYTES);
      if (st !== FRAME_OK) {
        const why = st === FRAME_END ? 'the file ends where the header frame should start' : this.problem;
        throw new InputError(source, [{ where: `byte ${PREAMBLE_BYTES}`, message: `expected the header frame: ${why}` }]);
      }
      const rec = decodeBody(this.body, source, PREAMBLE_BYTES, 'header');
      const checked = checkHeader(rec, source, false);
      if (!checked.value) throw new InputError(source, atByte(PREAMBLE_BYTES, checked.problems));
      this.header = checked.value;
      this.dataOffset = this.frameEnd;
    } finally {
      this.body = new Uint8Array(0);
    }
  }

  /** Open a trace file: checks the preamble and reads the header (InputError if either is bad). */
  static open(path: string): TraceReader {
    const first = new FileSource(path);
    try {
      return new TraceReader(path, () => new FileSource(path), first);
    } finally {
      first.close();
    }
  }

  /** Read a trace held in memory. */
  static fromBytes(bytes: Uint8Array, source = '<memory>'): TraceReader {
    const src = new MemorySource(bytes);
    return new TraceReader(source, () => src, src);
  }

  /** Read a trace from any byte source (opened once per iteration by `open`). */
  static fromSource(open: () => ByteSource, source: string): TraceReader {
    const first = open();
    try {
      return new TraceReader(source, open, first);
    } finally {
      first.close();
    }
  }

  /**
   * Yield the chunks in order, one frame in memory at a time. Stops quietly at the first torn or
   * corrupt frame (see `complete`, `truncatedAt`); throws InputError for frames whose CRC is right
   * but whose content is not a valid record (a writer bug or an incompatible file, not a crash).
   */
  *chunks(): Generator<TraceChunk, void, undefined> {
    this.complete = false;
    this.truncatedAt = undefined;
    this.truncatedReason = undefined;
    this.footer = undefined;
    this.chunksRead = 0;
    const src = this.openSource();
    const ctx: ChunkContext = { prevStepTo: 0 };
    let off = this.dataOffset;
    try {
      for (;;) {
        const st = this.readFrame(src, off);
        if (st !== FRAME_OK) {
          this.truncatedAt = off;
          this.truncatedReason = st === FRAME_END ? 'the file ends before the footer (the run did not finish writing it)' : this.problem;
          return;
        }
        const rec = decodeBody(this.body, this.source, off, 'record');
        this.body = new Uint8Array(0);
        const kind = (rec as { kind?: unknown } | null)?.kind;
        if (kind === 'chunk') {
          const checked = checkChunk(rec, this.header, ctx, this.source, false);
          if (!checked.value) throw new InputError(this.source, atByte(off, checked.problems));
          if (this.header.content === 'run') ctx.prevStepTo = (checked.value as RunChunk).stepTo;
          this.chunksRead++;
          off = this.frameEnd;
          yield checked.value;
        } else if (kind === 'footer') {
          const checked = checkFooter(rec, this.chunksRead, this.source, false);
          if (!checked.value) throw new InputError(this.source, atByte(off, checked.problems));
          if (this.frameEnd !== src.size) {
            throw new InputError(this.source, [{ where: `byte ${this.frameEnd}`, message: `${src.size - this.frameEnd} unexpected byte(s) after the footer` }]);
          }
          this.footer = checked.value;
          this.complete = true;
          return;
        } else {
          const what = kind === 'header' ? 'a second header' : `a record of unknown kind ${JSON.stringify(kind) ?? 'undefined'}`;
          throw new InputError(this.source, [{ where: `byte ${off}`, message: `expected a chunk or the footer, found ${what}` }]);
        }
      }
    } finally {
      this.body = new Uint8Array(0);
      src.close();
    }
  }

  /** Read to the end without keeping chunks: fills complete / truncatedAt / footer and returns the chunk count. */
  scan(): number {
    for (const _ of this.chunks()) {
      /* each chunk is validated and dropped */
    }
    return this.chunksRead;
  }

  /**
   * Read the frame at `off`. FRAME_OK: body in this.body, next offset in this.frameEnd.
   * FRAME_END: `off` is exactly the end of the data. FRAME_BAD: reason in this.problem.
   * Every length is checked against the bytes left before anything is allocated.
   */
  private readFrame(src: ByteSource, off: number): number {
    const left = src.size - off;
    if (left <= 0) return FRAME_END;
    if (left < FRAME_HEAD_BYTES) {
      this.problem = `frame head cut short: ${left} of ${FRAME_HEAD_BYTES} bytes present`;
      return FRAME_BAD;
    }
    const head = src.read(off, FRAME_HEAD_BYTES);
    if (head.length < FRAME_HEAD_BYTES) {
      this.problem = `frame head cut short: ${head.length} of ${FRAME_HEAD_BYTES} bytes present`;
      return FRAME_BAD;
    }
    const len = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
    const crc = (head[4] | (head[5] << 8) | (head[6] << 16) | (head[7] << 24)) >>> 0;
    if (len === 0) {
      this.problem = 'frame length is 0 (a frame always holds a record)';
      return FRAME_BAD;
    }
    if (len > MAX_FRAME_BYTES) {
      this.problem = `frame length ${len} is over the ${MAX_FRAME_BYTES}-byte cap`;
      return FRAME_BAD;
    }
    if (len > left - FRAME_HEAD_BYTES) {
      this.problem = `frame length ${len} runs past the end of the file (${left - FRAME_HEAD_BYTES} bytes left): frame cut short`;
      return FRAME_BAD;
    }
    const body = src.read(off + FRAME_HEAD_BYTES, len);
    if (body.length < len) {
      this.problem = `frame body cut short: ${body.length} of ${len} bytes present`;
      return FRAME_BAD;
    }
    const actual = crc32(body);
    if (actual !== crc) {
      this.problem = `CRC-32 mismatch (stored 0x${hex8(crc)}, computed 0x${hex8(actual)}): damaged frame`;
      return FRAME_BAD;
    }
    this.body = body;
    this.frameEnd = off + FRAME_HEAD_BYTES + len;
    return FRAME_OK;
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function atByte(off: number, problems: Problem[]): Problem[] {
  return problems.map((p) => ({ where: `byte ${off}${p.where ? `, ${p.where}` : ''}`, message: p.message }));
}

function checkPreamble(src: ByteSource, source: string): void {
  const pre = src.read(0, Math.min(PREAMBLE_BYTES, src.size));
  const magicHave = pre.subarray(0, MAGIC_BYTES.length);
  for (let i = 0; i < magicHave.length; i++) {
    if (magicHave[i] !== MAGIC_BYTES[i]) {
      throw new InputError(source, [{ where: 'byte 0', message: `not an aerie trace: expected the magic "${TRACE_MAGIC}", found ${printable(magicHave)}` }]);
    }
  }
  if (pre.length < PREAMBLE_BYTES) {
    const what = pre.length === 0 ? 'the file is empty' : `the file ends at byte ${pre.length}`;
    throw new InputError(source, [{ where: `byte ${pre.length}`, message: `expected the ${PREAMBLE_BYTES}-byte preamble ("${TRACE_MAGIC}" + version): ${what}` }]);
  }
  const version = (pre[8] | (pre[9] << 8) | (pre[10] << 16) | (pre[11] << 24)) >>> 0;
  if (version !== TRACE_CONTAINER_VERSION) {
    const why = version > TRACE_CONTAINER_VERSION ? `is newer than this aerie reads (${TRACE_CONTAINER_VERSION}); use a newer aerie` : `is not a valid version (expected ${TRACE_CONTAINER_VERSION})`;
    throw new InputError(source, [{ where: 'byte 8', message: `container version ${version} ${why}` }]);
  }
}

function printable(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return `"${s}"`;
}

function decodeBody(body: Uint8Array, source: string, off: number, what: string): unknown {
  try {
    return unpackRecord(body);
  } catch (err) {
    throw new InputError(source, [{ where: `byte ${off}`, message: `${what} frame passes its CRC but is not valid msgpack (${(err as Error)?.message ?? String(err)})` }]);
  }
}
