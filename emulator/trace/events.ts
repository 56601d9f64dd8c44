/**
 * Event traces: sensor recordings (DVS / event-camera) imported into the aerie container, one
 * chunk per block of events held as four typed columns (t in µs, x, y, polarity).
 */
import { InputError } from '../errors.js';
import { TraceReader, TraceWriter, type TraceWriteSummary } from './container.js';
import type { EventChunk, EventColumns, EventTraceHeader, EventTraceHeaderInit } from './records.js';

/** Event-trace parameters, declared once. */
export const EVENT_TRACE_PARAMS = {
  maxEventsPerChunk: {
    value: 1 << 20,
    unit: 'event',
    description: 'most events one event-trace chunk holds; larger blocks are split',
    source: 'assumption: 2^20 events × 13 B ≈ 13.6 MB per chunk keeps reading memory small and frames far below the 1 GiB cap',
  },
} as const;

/** Most events one chunk holds; larger blocks are split. */
export const EVENT_CHUNK_MAX_EVENTS = EVENT_TRACE_PARAMS.maxEventsPerChunk.value;

export interface EventTraceSummary extends TraceWriteSummary {
  events: number;
  /** Earliest and latest timestamp in µs (NaN when there are no events). */
  tFirst: number;
  tLast: number;
}

/**
 * Write an event trace from blocks of events (any iterable, consumed lazily: memory stays at one
 * block). Blocks over EVENT_CHUNK_MAX_EVENTS are split into several chunks. The footer totals
 * hold the event count and the first/last timestamps. If the iterable throws, the file is left
 * as an incomplete trace (readable prefix) and the error is passed on.
 */
export function writeEventTrace(path: string, header: EventTraceHeaderInit, blocks: Iterable<EventColumns>, opts: { force?: boolean } = {}): EventTraceSummary {
  const w = TraceWriter.open(path, { ...header, content: 'events' }, opts);
  let tMin = Infinity;
  let tMax = -Infinity;
  let events = 0;
  try {
    for (const b of blocks) {
      const n = b.t.length;
      if (n <= EVENT_CHUNK_MAX_EVENTS || b.x?.length !== n || b.y?.length !== n || b.p?.length !== n) {
        // small enough, or malformed (the writer's validation then names the bad column)
        if (n > 0 || b.x?.length || b.y?.length || b.p?.length) {
          w.append({ kind: 'chunk', events: b });
          events += n;
          [tMin, tMax] = extendRange(b.t, tMin, tMax);
        }
        continue;
      }
      for (let from = 0; from < n; from += EVENT_CHUNK_MAX_EVENTS) {
        const to = Math.min(n, from + EVENT_CHUNK_MAX_EVENTS);
        const part: EventColumns = { t: b.t.subarray(from, to), x: b.x.subarray(from, to), y: b.y.subarray(from, to), p: b.p.subarray(from, to) };
        w.append({ kind: 'chunk', events: part });
        events += to - from;
        [tMin, tMax] = extendRange(part.t, tMin, tMax);
      }
    }
  } catch (err) {
    w.abandon();
    throw err;
  }
  const totals: Record<string, number> = events ? { tFirstUs: tMin, tLastUs: tMax } : {};
  const s = w.close({ totals });
  return { ...s, events, tFirst: events ? tMin : NaN, tLast: events ? tMax : NaN };
}

/** Reading an event trace: the header, then event blocks; completeness known after iterating. */
export class EventTraceReader {
  constructor(readonly reader: TraceReader) {}

  get header(): EventTraceHeader {
    return this.reader.header as EventTraceHeader;
  }
  get complete(): boolean {
    return this.reader.complete;
  }
  get truncatedAt(): number | undefined {
    return this.reader.truncatedAt;
  }
  get truncatedReason(): string | undefined {
    return this.reader.truncatedReason;
  }

  /** Yield the event blocks in order (one chunk in memory at a time). */
  *blocks(): Generator<EventColumns, void, undefined> {
    for (const c of this.reader.chunks()) yield (c as EventChunk).events;
  }
}

/** Open an event trace (InputError if the file is not a trace, or holds a run rather than events). */
export function readEventTrace(path: string): EventTraceReader {
  return eventReader(TraceReader.open(path));
}

/** The same over bytes in memory. */
export function readEventTraceBytes(bytes: Uint8Array, source = '<memory>'): EventTraceReader {
  return eventReader(TraceReader.fromBytes(bytes, source));
}

function eventReader(r: TraceReader): EventTraceReader {
  if (r.header.content !== 'events') {
    throw new InputError(r.source, [{ where: 'header.content', message: `expected an event trace (content 'events'), this trace holds '${r.header.content}'` }]);
  }
  return new EventTraceReader(r);
}

function extendRange(t: Float64Array, lo: number, hi: number): [number, number] {
  for (let i = 0; i < t.length; i++) {
    if (t[i] < lo) lo = t[i];
    if (t[i] > hi) hi = t[i];
  }
  return [lo, hi];
}
