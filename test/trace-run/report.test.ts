/** `aerie report TRACE`: the energy/latency report of a recorded run, rendered from its footer and chunks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, LOIHI_2018 } from '../../emulator/energy/index.js';
import { TraceRecording, loadRecordedActivity } from '../../emulator/system/recording.js';
import { writeEventTrace } from '../../emulator/trace/events.js';
import { runCli } from '../helpers/cli.js';
import { InputError } from '../../emulator/errors.js';
import { TraceWriter } from '../../emulator/trace/container.js';
import { loihiWithCores, prepareSmall, tempDir } from './helpers.js';

const dir = tempDir();

describe('report from a trace', () => {
  const { spec, p } = prepareSmall(loihiWithCores(64));
  const file = path.join(dir, 'run.trace');
  const rec = new TraceRecording(p, file, 'spikes', { spec, stepsPerChunk: 30 });
  p.emulator.run(80, rec.callback);
  rec.finish();

  it('rebuilds the run’s ActivityCounts: the same report as from the live run', () => {
    const live = buildReport(p.emulator.activity(), LOIHI_2018, { run: 'x' });
    const back = buildReport(loadRecordedActivity(file).activity, LOIHI_2018, { run: 'x' });
    expect(back).toEqual(live);
  });

  it('aerie report renders JSON to a file', () => {
    const out = path.join(dir, 'report.json');
    const r = runCli(['report', file, '--energy', 'loihi-2018', '-o', out]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(fs.readFileSync(out, 'utf8'));
    const live = JSON.parse(JSON.stringify(buildReport(p.emulator.activity(), LOIHI_2018, { run: 'x' })));
    expect(rep.summary).toEqual(live.summary);
    expect(JSON.stringify(rep)).toContain('trace-run-net');
  });

  it('refuses an event trace and a run trace whose footer has no activity', () => {
    const ev = path.join(dir, 'events.trace');
    writeEventTrace(ev, { sensor: { width: 2, height: 2 }, source: { format: 'test', file: 'x' } }, []);
    expect(() => loadRecordedActivity(ev)).toThrow(InputError);
    expect(() => loadRecordedActivity(ev)).toThrow(/expected a recorded run/);
    const bare = path.join(dir, 'bare.trace');
    TraceWriter.open(bare, { content: 'run', recorded: ['spikes', 'timing'] }).close();
    expect(() => loadRecordedActivity(bare)).toThrow(/footer holds no run activity/);
    const noTiming = path.join(dir, 'notiming.trace');
    TraceWriter.open(noTiming, { content: 'run', recorded: ['spikes'] }).close();
    expect(() => loadRecordedActivity(noTiming)).toThrow(/no step timing/);
  });
});
