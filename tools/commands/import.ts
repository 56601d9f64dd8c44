/** `aerie import FILE` — decode an event-camera recording, print its summary, optionally write an aerie event trace. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { writeEventTrace } from '../../emulator/trace/index.js';
import {
  AEDAT2_LAYOUTS,
  EVENT_FORMATS,
  openEvents,
  POLARITY_CONVENTIONS,
  type Aedat2Layout,
  type EventFormat,
  type EventImport,
  type ImportOptions,
  type PolarityConvention,
} from '../../emulator/trace/importers/index.js';
import { commonOptions, runCommand, UsageError } from '../cli-support.js';

interface ImportArgs {
  file: string;
  format: string;
  lenient: boolean;
  polarity?: string;
  'flip-x'?: boolean;
  'flip-y'?: boolean;
  'swap-xy'?: boolean;
  width?: number;
  height?: number;
  endian: string;
  layout?: string;
  stream?: number;
  json: boolean;
  out?: string;
  force: boolean;
  debug: boolean;
  quiet: boolean;
}

/** What `aerie import` reports (also its --json output). */
export interface ImportSummary {
  file: string;
  format: EventFormat;
  sensor: { width: number; height: number };
  events: number;
  first_us: number | null;
  last_us: number | null;
  duration_us: number;
  rate_eps: number;
  convention: { polarity: PolarityConvention; flipX: boolean; flipY: boolean; swapXY: boolean };
  details: Record<string, string | number>;
  skipped_bytes: number;
  dropped_events: number;
  clamped_timestamps: number;
  other_records: number;
  damage: { where: string; message: string }[];
  damage_count: number;
  output: { path: string; bytes: number; chunks: number } | null;
}

function summarize(file: string, imp: EventImport, output: ImportSummary['output']): ImportSummary {
  const s = imp.stats;
  const duration = s.events > 1 ? s.lastTime - s.firstTime : 0;
  return {
    file,
    format: imp.format,
    sensor: imp.sensor,
    events: s.events,
    first_us: s.events ? s.firstTime : null,
    last_us: s.events ? s.lastTime : null,
    duration_us: duration,
    rate_eps: duration > 0 ? (s.events / duration) * 1e6 : 0,
    convention: imp.convention,
    details: imp.info.details,
    skipped_bytes: s.skippedBytes,
    dropped_events: s.droppedEvents,
    clamped_timestamps: s.clampedTimestamps,
    other_records: s.otherRecords,
    damage: s.damage,
    damage_count: s.damageCount,
    output,
  };
}

export function formatImportSummary(r: ImportSummary): string {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const yn = (b: boolean): string => (b ? 'yes' : 'no');
  const details = Object.entries(r.details)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `aerie import: ${r.file} (${r.format})`,
    `  events                ${fmt(r.events)}`,
    `  sensor                ${r.sensor.width} x ${r.sensor.height}`,
    `  duration              ${(r.duration_us / 1e6).toFixed(6)} s` + (r.first_us !== null ? ` (first ${r.first_us} µs, last ${r.last_us} µs)` : ''),
    `  rate                  ${fmt(r.rate_eps)} events/s`,
    `  convention            polarity ${r.convention.polarity}, flip-x ${yn(r.convention.flipX)}, flip-y ${yn(r.convention.flipY)}, swap-xy ${yn(r.convention.swapXY)}`,
    `  header                ${details}`,
  ];
  if (r.other_records) lines.push(`  other records         ${fmt(r.other_records)} skipped (not polarity events)`);
  if (r.dropped_events) lines.push(`  dropped events        ${fmt(r.dropped_events)} (invalid, outside the sensor, or before the first time base)`);
  if (r.clamped_timestamps) lines.push(`  clamped timestamps    ${fmt(r.clamped_timestamps)} (time went backwards; set to the previous event's time)`);
  if (r.damage_count) {
    lines.push(`  damage                ${r.damage_count} site(s), ${fmt(r.skipped_bytes)} bytes skipped (--lenient)`);
    for (const d of r.damage) lines.push(`    ${d.where}: ${d.message}`);
    if (r.damage_count > r.damage.length) lines.push(`    ... ${r.damage_count - r.damage.length} more`);
  }
  if (r.output) lines.push(`  written               ${r.output.path} (${fmt(r.output.bytes)} bytes, ${r.output.chunks} chunks)`);
  return lines.join('\n');
}

export const command: CommandModule<object, ImportArgs> = {
  command: 'import <file>',
  describe: 'decode an event-camera recording (AEDAT 2/3/4, N-MNIST, Prophesee EVT 2/3), print its summary, write an aerie event trace with -o',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'recording to import' })
      .option('format', { type: 'string', choices: ['auto', ...EVENT_FORMATS], default: 'auto', describe: 'input format; auto detects it from the header' })
      .option('lenient', { type: 'boolean', default: false, describe: 'keep every complete event before damage and count skipped bytes, instead of failing' })
      .option('polarity', { type: 'string', choices: [...POLARITY_CONVENTIONS], describe: "which raw polarity bit is ON (default: the format's; AEDAT 2 DVS128 follows jAER, raw0-on)" })
      .option('flip-x', { type: 'boolean', describe: "x = width-1-x (default: the format's; on for AEDAT 2 DVS128 as jAER does; --no-flip-x to turn off)" })
      .option('flip-y', { type: 'boolean', describe: 'y = height-1-y' })
      .option('swap-xy', { type: 'boolean', describe: 'exchange x and y (and width and height), as tonic does for DVS128' })
      .option('width', { type: 'number', describe: 'sensor width (raw axis) when the header gives none or a different one' })
      .option('height', { type: 'number', describe: 'sensor height (raw axis)' })
      .option('endian', { type: 'string', choices: ['le', 'be'], default: 'le', describe: 'word byte order of EVT 2.0 / 3.0 data' })
      .option('layout', { type: 'string', choices: [...AEDAT2_LAYOUTS], describe: "AEDAT 2.0 address layout (default from the header's AEChip line)" })
      .option('stream', { type: 'number', describe: 'AEDAT 4.0 stream id (default: the first EVTS stream)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as one JSON object' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the events as an aerie event trace (docs/TRACE-FORMAT.md)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing output file' })
      .options(commonOptions),
  handler: (argv) =>
    runCommand(argv, () => {
      for (const k of ['width', 'height', 'stream'] as const) {
        const v = argv[k];
        if (v !== undefined && !(Number.isInteger(v) && v >= (k === 'stream' ? 0 : 1))) throw new UsageError(`--${k} ${v}: expected ${k === 'stream' ? 'a non-negative' : 'a positive'} integer`);
      }
      const opts: ImportOptions = {
        format: argv.format as EventFormat | 'auto',
        lenient: argv.lenient,
        polarity: argv.polarity as PolarityConvention | undefined,
        flipX: argv['flip-x'],
        flipY: argv['flip-y'],
        swapXY: argv['swap-xy'],
        width: argv.width,
        height: argv.height,
        endian: argv.endian as 'le' | 'be',
        aedat2Layout: argv.layout as Aedat2Layout | undefined,
        streamId: argv.stream,
        source: argv.file,
      };
      const imp = openEvents(argv.file, opts);
      let output: ImportSummary['output'] = null;
      if (argv.out) {
        const out = argv.out;
        const dir = path.dirname(path.resolve(out));
        if (!fs.existsSync(dir)) throw new UsageError(`${out}: folder ${dir} does not exist`);
        if (!argv.force && fs.existsSync(out)) throw new UsageError(`${out}: already exists; pass --force to overwrite it`);
        try {
          const w = writeEventTrace(
            out,
            { sensor: imp.sensor, timeUnit: 'us', source: { format: imp.format, file: path.basename(argv.file) }, meta: { convention: { ...imp.convention }, details: imp.info.details } },
            imp.blocks(),
            { force: argv.force },
          );
          output = { path: out, bytes: w.bytes, chunks: w.chunks };
        } catch (err) {
          // a failed import leaves no output behind (the writer left an incomplete trace)
          fs.rmSync(out, { force: true });
          throw err;
        }
      } else {
        for (const b of imp.blocks()) void b;
      }
      const summary = summarize(argv.file, imp, output);
      if (argv.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else if (!argv.quiet || output === null) process.stdout.write(formatImportSummary(summary) + '\n');
    }),
};
