/**
 * Shared shapes of the event importers: the block of decoded events every decoder fills, the
 * options and conventions a caller can set, and the statistics an import reports.
 */
import type { Problem } from '../../errors.js';

/** The external formats aerie can import. */
export const EVENT_FORMATS = ['aedat2', 'aedat3', 'aedat4', 'nmnist', 'evt2', 'evt3'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/**
 * A block of address events in structure-of-arrays form; all four arrays have the same length.
 * `t` is in microseconds and never decreases, `x`/`y` are pixel coordinates after the
 * convention was applied, `p` is 1 for an ON (brightness increase) event and 0 for OFF.
 */
export interface EventBlock {
  t: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
}

/** Which raw polarity bit value means ON. */
export const POLARITY_CONVENTIONS = ['raw1-on', 'raw0-on'] as const;
export type PolarityConvention = (typeof POLARITY_CONVENTIONS)[number];

/**
 * How raw addresses become (x, y, p). Applied in this order: polarity, x flip, y flip (both on
 * the raw axes, `x' = width - 1 - x`), then the axis swap (which also swaps width and height).
 */
export interface Convention {
  polarity: PolarityConvention;
  flipX: boolean;
  flipY: boolean;
  swapXY: boolean;
}

/** Address layouts inside AEDAT 2.0 records. */
export const AEDAT2_LAYOUTS = ['dvs128', 'davis'] as const;
export type Aedat2Layout = (typeof AEDAT2_LAYOUTS)[number];

export interface ImportOptions {
  /** Format, or 'auto' (default) to detect it from the header. */
  format?: EventFormat | 'auto';
  /** Keep every complete event before damage instead of failing; skipped bytes are counted. */
  lenient?: boolean;
  /** Convention overrides; unset fields take the format's default (see `defaultConvention`). */
  polarity?: PolarityConvention;
  flipX?: boolean;
  flipY?: boolean;
  swapXY?: boolean;
  /** Sensor size overrides (raw axes, before any swap). */
  width?: number;
  height?: number;
  /** Events per output block. */
  blockEvents?: number;
  /** Word byte order of Prophesee EVT 2.0 / 3.0 data. */
  endian?: 'le' | 'be';
  /** AEDAT 2.0 address layout; default from the header's AEChip line. */
  aedat2Layout?: Aedat2Layout;
  /** AEDAT 4.0 stream to read; default the first EVTS stream of the header. */
  streamId?: number;
  /** Largest decompressed AEDAT 4.0 packet accepted, in bytes. */
  maxPacketBytes?: number;
  /** Label used in error messages (usually the file name). */
  source?: string;
}

/** What the header (or the options) say about a recording. */
export interface RecordingInfo {
  format: EventFormat;
  /** Raw sensor size before the axis swap; 0 when neither header nor options give it. */
  width: number;
  height: number;
  /** Byte offset of the first event data. */
  dataOffset: number;
  /** Free-form facts from the header (sensor name, layout, compression, ...). */
  details: Record<string, string | number>;
}

/** Counts an import reports besides the events themselves. */
export interface ImportStats {
  events: number;
  /** Bytes of the input examined. */
  bytes: number;
  /** Bytes not decoded because they were damaged or truncated (lenient mode). */
  skippedBytes: number;
  /** Events dropped because they were invalid, outside the sensor, or before the first time base. */
  droppedEvents: number;
  /** Events whose time went backwards and was clamped to the previous event's time. */
  clampedTimestamps: number;
  /** Records that are not events (other event types, triggers, APS/IMU samples) that were skipped. */
  otherRecords: number;
  /** First problems met in lenient mode (at most `MAX_REPORTED_DAMAGE`). */
  damage: Problem[];
  /** Total damage sites, including those not listed in `damage`. */
  damageCount: number;
  firstTime: number;
  lastTime: number;
}

export const MAX_REPORTED_DAMAGE = 20;

export function emptyStats(): ImportStats {
  return {
    events: 0,
    bytes: 0,
    skippedBytes: 0,
    droppedEvents: 0,
    clampedTimestamps: 0,
    otherRecords: 0,
    damage: [],
    damageCount: 0,
    firstTime: NaN,
    lastTime: NaN,
  };
}
