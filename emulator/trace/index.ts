/**
 * Traces: the aerie trace container (record, replay) and importers of external event formats.
 * docs/TRACE-FORMAT.md describes the file format.
 */
export { crc32, crc32Update, CRC32_POLYNOMIAL } from './crc32.js';
export { hashJson, canonicalJson } from './hash.js';
export {
  TRACE_MAGIC,
  TRACE_PARAMS,
  TRACE_CONTAINER_VERSION,
  PREAMBLE_BYTES,
  FRAME_HEAD_BYTES,
  MAX_FRAME_BYTES,
  TraceWriter,
  TraceReader,
  MemorySource,
  FileSource,
  packRecord,
  unpackRecord,
  tracePreamble,
  frameHead,
  encodeFrame,
  type ByteSource,
  type TraceWriterOptions,
  type TraceWriteSummary,
  type FooterExtra,
} from './container.js';
export {
  TRACE_FORMAT_NAME,
  TRACE_RECORD_VERSION,
  RUN_RECORD_KINDS,
  MAX_TRACE_STEP,
  MAX_SENSOR_SIDE,
  checkHeader,
  checkChunk,
  checkFooter,
  type RunRecordKind,
  type RunTraceHeader,
  type EventTraceHeader,
  type TraceHeader,
  type RunTraceHeaderInit,
  type EventTraceHeaderInit,
  type TraceHeaderInit,
  type SpikeColumns,
  type PacketColumns,
  type ProbeBlock,
  type TimingColumns,
  type CounterBlock,
  type RunChunk,
  type EventColumns,
  type EventChunk,
  type TraceChunk,
  type TraceFooter,
} from './records.js';
export { writeEventTrace, readEventTrace, readEventTraceBytes, EventTraceReader, EVENT_CHUNK_MAX_EVENTS, EVENT_TRACE_PARAMS, type EventTraceSummary } from './events.js';
export { ChunkedSpikeRecorder, RECORDER_PARAMS, type ChunkSink, type SpikeRecorderOptions } from './recorder.js';
export { openEvents, importEvents, detectFormat, resolveConvention, applyConvention, concatBlocks, DECODERS, EVENT_FORMATS, IMPORT_PARAMS, JAER_DVS128_CONVENTION, type EventImport, type EventBlock, type EventFormat, type ImportOptions, type ImportStats, type RecordingInfo, type Convention } from './importers/index.js';
