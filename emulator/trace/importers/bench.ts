/**
 * Import throughput: synthetic EVT 3.0 and AEDAT 2.0 buffers decoded in memory (events/s on one
 * core). The buffers are built here with deterministic patterns (no randomness needed).
 */
import { openEvents } from './index.js';
import { EVT3 } from './evt3.js';

export interface BenchImportOptions {
  /** Events per synthetic recording (default 10 M). */
  events?: number;
  /** Timed repetitions; the best is reported (default 3). */
  repeats?: number;
}

const EVT3_WIDTH = 1280;
const EVT3_HEIGHT = 720;

/**
 * A synthetic EVT 3.0 recording of `events` events on a 1280x720 sensor: rows of 8 events, half
 * as single EVT_ADDR_X words and half as a VECT_BASE_X + VECT_12 vector, a TIME_LOW every row and
 * a TIME_HIGH every 4096 µs (so the 24-bit time base wraps in long recordings).
 */
export function syntheticEvt3(events: number): Uint8Array {
  const header = Buffer.from(`% format EVT3;width=${EVT3_WIDTH};height=${EVT3_HEIGHT}\n% end\n`, 'latin1');
  const words = new Uint16Array(Math.ceil(events / 8) * 10 + 16);
  let w = 0;
  let n = 0;
  let t = 0;
  let lastHigh = -1;
  for (let row = 0; n < events; row++) {
    t += 1;
    const high = (t >>> 12) & 0xfff;
    if (high !== lastHigh) {
      words[w++] = (EVT3.TIME_HIGH << 12) | high;
      lastHigh = high;
    }
    words[w++] = (EVT3.TIME_LOW << 12) | (t & 0xfff);
    words[w++] = (EVT3.ADDR_Y << 12) | (row * 7) % EVT3_HEIGHT;
    const base = (row * 13) % (EVT3_WIDTH - 16);
    for (let k = 0; k < 4 && n < events; k++, n++) words[w++] = (EVT3.ADDR_X << 12) | ((row + k) & 1) << 11 | (base + 3 * k);
    if (n < events) {
      const left = Math.min(4, events - n);
      words[w++] = (EVT3.VECT_BASE_X << 12) | (row & 1) << 11 | base;
      words[w++] = (EVT3.VECT_12 << 12) | [0, 0x001, 0x009, 0x049, 0x249][left];
      n += left;
    }
  }
  const body = new Uint8Array(words.buffer, 0, w * 2);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** A synthetic AEDAT 2.0 DVS128 recording: 8-byte big-endian records, 1 µs apart. */
export function syntheticAedat2(events: number): Uint8Array {
  const header = Buffer.from('#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n', 'latin1');
  const out = new Uint8Array(header.length + events * 8);
  out.set(header, 0);
  const dv = new DataView(out.buffer, header.length);
  for (let i = 0; i < events; i++) {
    const x = (i * 7) & 127;
    const y = (i * 13) & 127;
    dv.setUint32(i * 8, (y << 8) | (x << 1) | (i & 1), false);
    dv.setUint32(i * 8 + 4, i, false);
  }
  return out;
}

/** Best wall time and best CPU time (user + system of this process, less disturbed by other load) of `repeats` decodes. */
function timeDecode(bytes: Uint8Array, repeats: number): { events: number; seconds: number; cpuSeconds: number } {
  let best = Infinity;
  let bestCpu = Infinity;
  let events = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const imp = openEvents(bytes, { format: 'auto' });
    let n = 0;
    for (const b of imp.blocks()) n += b.t.length;
    const c = process.cpuUsage(c0);
    const s = (performance.now() - t0) / 1000;
    events = n;
    if (s < best) best = s;
    if ((c.user + c.system) / 1e6 < bestCpu) bestCpu = (c.user + c.system) / 1e6;
  }
  return { events, seconds: best, cpuSeconds: bestCpu };
}

/** Decode a synthetic EVT 3.0 and AEDAT 2.0 recording in memory; events/s of the best run. */
export function benchImport(opts: BenchImportOptions = {}): Record<string, number | string> {
  const events = opts.events ?? 10_000_000;
  const repeats = opts.repeats ?? 3;
  const evt3 = syntheticEvt3(events);
  const e = timeDecode(evt3, repeats);
  const aedat2 = syntheticAedat2(events);
  const a = timeDecode(aedat2, repeats);
  return {
    events,
    evt3_bytes: evt3.length,
    evt3_decoded: e.events,
    evt3_s: e.seconds,
    evt3_events_per_s: Math.round(e.events / e.seconds),
    evt3_cpu_s: e.cpuSeconds,
    evt3_events_per_cpu_s: Math.round(e.events / e.cpuSeconds),
    aedat2_bytes: aedat2.length,
    aedat2_decoded: a.events,
    aedat2_s: a.seconds,
    aedat2_events_per_s: Math.round(a.events / a.seconds),
    aedat2_cpu_s: a.cpuSeconds,
    aedat2_events_per_cpu_s: Math.round(a.events / a.cpuSeconds),
  };
}
