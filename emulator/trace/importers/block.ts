/**
 * Filling blocks of events and reporting damage: the two things every decoder shares.
 *
 * `BlockBuilder.push` is the only per-event call; it stores into preallocated typed arrays and
 * keeps time monotonic. When a block is full the decoder yields `take()`, which hands the arrays
 * over and allocates the next set (one allocation per block, never per event).
 */
import { InputError } from '../../errors.js';
import { MAX_REPORTED_DAMAGE, type EventBlock, type ImportStats } from './types.js';

export class BlockBuilder {
  t: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
  /** Events in the current block. */
  n = 0;
  /** Time of the last event pushed (for the monotonic clamp). */
  last = -Infinity;
  clamped = 0;
  total = 0;
  first = NaN;

  constructor(readonly cap: number) {
    this.t = new Float64Array(cap);
    this.x = new Uint16Array(cap);
    this.y = new Uint16Array(cap);
    this.p = new Uint8Array(cap);
  }

  /** Append one event; time going backwards is clamped to the previous event's time and counted. */
  push(t: number, x: number, y: number, p: number): void {
    const n = this.n;
    if (t < this.last) {
      t = this.last;
      this.clamped++;
    }
    this.last = t;
    this.t[n] = t;
    this.x[n] = x;
    this.y[n] = y;
    this.p[n] = p;
    this.n = n + 1;
  }

  /** Hand over the events collected so far and start a new block. */
  take(): EventBlock {
    const n = this.n;
    if (this.total === 0 && n > 0) this.first = this.t[0];
    this.total += n;
    let block: EventBlock;
    if (n === this.cap) {
      block = { t: this.t, x: this.x, y: this.y, p: this.p };
      this.t = new Float64Array(this.cap);
      this.x = new Uint16Array(this.cap);
      this.y = new Uint16Array(this.cap);
      this.p = new Uint8Array(this.cap);
    } else {
      block = { t: this.t.slice(0, n), x: this.x.slice(0, n), y: this.y.slice(0, n), p: this.p.slice(0, n) };
    }
    this.n = 0;
    return block;
  }
}

/**
 * Where a decoder reports damage. Strict mode throws an InputError naming the byte offset and
 * what was expected; lenient mode records the problem and lets the decoder skip or stop.
 */
export class DecodeContext {
  constructor(
    readonly source: string,
    readonly lenient: boolean,
    readonly stats: ImportStats,
  ) {}

  /** Damage at `offset`; in lenient mode `skipped` bytes are counted as not decoded. */
  damage(offset: number, message: string, skipped: number): void {
    if (!this.lenient) throw new InputError(this.source, [{ where: `byte ${offset}`, message }]);
    this.stats.damageCount++;
    this.stats.skippedBytes += Math.max(0, skipped);
    if (this.stats.damage.length < MAX_REPORTED_DAMAGE) this.stats.damage.push({ where: `byte ${offset}`, message });
  }

  /** An event outside the sensor: an error, or (lenient) dropped and counted. */
  outOfRange(offset: number, x: number, y: number, width: number, height: number, hint: string): void {
    this.damage(offset, `event at x=${x}, y=${y} is outside the ${width}x${height} sensor${hint}`, 0);
    this.stats.droppedEvents++;
  }

  /** A header problem: always an error (nothing can be decoded without the header). */
  headerError(offset: number, message: string): never {
    throw new InputError(this.source, [{ where: `byte ${offset}`, message }]);
  }
}
