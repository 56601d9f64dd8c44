/**
 * Tunable limits of the importers, declared once with unit, default and source so docs and
 * `aerie info` can list them.
 */
export interface ImportParam {
  value: number;
  unit: string;
  description: string;
  source: string;
}

export const IMPORT_PARAMS = {
  blockEvents: {
    value: 65536,
    unit: 'events',
    description: 'events per decoded block (one set of typed arrays)',
    source: 'assumption: large enough to amortise per-block work, small enough to stay in cache (~850 KiB per block)',
  },
  readWindowBytes: {
    value: 4 * 1024 * 1024,
    unit: 'bytes',
    description: 'bytes read from a file at a time for word- and record-based formats',
    source: 'assumption: bounds memory while keeping read() calls rare',
  },
  maxHeaderBytes: {
    value: 16 * 1024 * 1024,
    unit: 'bytes',
    description: 'longest text header accepted (AEDAT 2/3 `#` lines, Prophesee `%` lines)',
    source: 'assumption: jAER preference blocks are ~100 KiB; anything far larger is not a header',
  },
  maxPacketBytes: {
    value: 256 * 1024 * 1024,
    unit: 'bytes',
    description: 'largest decompressed AEDAT 4.0 packet accepted',
    source: 'assumption: dv-processing writes packets of at most a few MiB',
  },
  maxExpansion: {
    value: 1024,
    unit: 'ratio',
    description: 'largest decompressed/compressed size ratio accepted for one AEDAT 4.0 packet',
    source: 'LZ4 block format caps the ratio near 255 (one token byte per 255+ literal/match bytes); assumption for Zstd (event data never compresses that well)',
  },
} as const satisfies Record<string, ImportParam>;
