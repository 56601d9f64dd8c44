/**
 * Reading flatbuffers from untrusted bytes. The `flatbuffers` package's ByteBuffer does the
 * reads; it does not verify anything (an offset past the end reads as zero), so every table,
 * vtable, string and vector position is checked here before it is used.
 */
import { ByteBuffer } from 'flatbuffers';
import { DecompressError } from './lz4.js';

/** A verified table: its position in the buffer and the size of its inline data. */
export class FlatTable {
  private constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableBytes: number,
    private readonly objectBytes: number,
  ) {}

  /** The root table of a flatbuffer occupying all of `bytes` (no size prefix). */
  static root(bytes: Uint8Array, identifier: string | undefined, what: string): FlatTable {
    if (bytes.length < 8) throw new DecompressError(0, `${what}: flatbuffer of ${bytes.length} bytes is too short`);
    const bb = new ByteBuffer(bytes);
    if (identifier !== undefined && !bb.__has_identifier(identifier)) {
      const found = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]).replace(/[^\x20-\x7e]/g, '?');
      throw new DecompressError(4, `${what}: expected the flatbuffer identifier '${identifier}', found '${found}'`);
    }
    return FlatTable.at(bb, bb.readUint32(0), what);
  }

  /** The table at `pos`, checked against the buffer bounds. */
  static at(bb: ByteBuffer, pos: number, what: string): FlatTable {
    const cap = bb.capacity();
    if (pos < 0 || pos + 4 > cap) throw new DecompressError(pos, `${what}: table offset ${pos} is outside the ${cap}-byte buffer`);
    const vtable = pos - bb.readInt32(pos);
    if (vtable < 0 || vtable + 4 > cap || vtable % 2 !== 0) throw new DecompressError(pos, `${what}: vtable offset ${vtable} is outside the buffer`);
    const vtableBytes = bb.readUint16(vtable);
    const objectBytes = bb.readUint16(vtable + 2);
    if (vtableBytes < 4 || vtableBytes % 2 !== 0 || vtable + vtableBytes > cap) throw new DecompressError(vtable, `${what}: bad vtable size ${vtableBytes}`);
    if (objectBytes < 4 || pos + objectBytes > cap) throw new DecompressError(vtable, `${what}: table of ${objectBytes} bytes runs past the buffer`);
    return new FlatTable(bb, pos, vtable, vtableBytes, objectBytes);
  }

  /** Absolute position of field `index`'s inline value (`width` bytes), or -1 when absent. */
  field(index: number, width: number, what: string): number {
    const slot = 4 + 2 * index;
    if (slot + 2 > this.vtableBytes) return -1;
    const off = this.bb.readUint16(this.vtable + slot);
    if (off === 0) return -1;
    if (off + width > this.objectBytes) throw new DecompressError(this.vtable + slot, `${what}: field offset ${off} is outside its table`);
    return this.pos + off;
  }

  int32(index: number, fallback: number, what: string): number {
    const at = this.field(index, 4, what);
    return at < 0 ? fallback : this.bb.readInt32(at);
  }

  int64(index: number, fallback: number, what: string): number {
    const at = this.field(index, 8, what);
    return at < 0 ? fallback : Number(this.bb.readInt64(at));
  }

  /** Start and element count of a vector field of `elementBytes`-byte elements, or undefined. */
  vector(index: number, elementBytes: number, what: string): { start: number; length: number } | undefined {
    const at = this.field(index, 4, what);
    if (at < 0) return undefined;
    const cap = this.bb.capacity();
    const vec = at + this.bb.readUint32(at);
    if (vec + 4 > cap) throw new DecompressError(at, `${what}: vector offset ${vec} is outside the ${cap}-byte buffer`);
    const length = this.bb.readUint32(vec);
    const start = vec + 4;
    if (start + length * elementBytes > cap)
      throw new DecompressError(vec, `${what}: vector of ${length} x ${elementBytes} bytes runs past the ${cap}-byte buffer`);
    return { start, length };
  }

  string(index: number, what: string): string | undefined {
    const v = this.vector(index, 1, what);
    if (!v) return undefined;
    return Buffer.from(this.bb.bytes().buffer, this.bb.bytes().byteOffset + v.start, v.length).toString('utf8');
  }
}
