import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseSweep } from '../../tools/commands/noc.js';
import { UsageError } from '../../tools/cli-support.js';

describe('aerie noc', () => {
  it('prints offered/accepted throughput, latency and hops as JSON (cycle model)', () => {
    const r = runCli(['noc', '--mesh', '4x4', '--traffic', 'uniform', '--rate', '0.1', '--packet-flits', '2', '--cycles', '1500', '--noc', 'cycle', '--vcs', '2', '--buffer', '4', '--seed', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ mesh: '4x4', traffic: 'uniform', model: 'cycle', packetFlits: 2, vcs: 2, bufferDepth: 4, warmup: 150, seed: 3, channelLoadBound: 0.5 });
    expect(j.offered).toBeGreaterThan(0.08);
    expect(j.offered).toBeLessThan(0.12);
    expect(j.accepted).toBeGreaterThan(0.08);
    expect(j.meanLatency).toBeGreaterThanOrEqual(j.zeroLoadLatency);
    expect(j.p99Latency).toBeGreaterThanOrEqual(j.p50Latency);
    expect(j.meanHops).toBeGreaterThan(2);
    expect(j.meanHops).toBeLessThan(3);
    expect(j.status).toBe('ok');
  });

  it('--sweep prints one row per rate, as a table or JSON points', () => {
    const t = runCli(['noc', '--mesh', '4x4', '--sweep', '0.1:0.3:0.1', '--cycles', '1000']);
    expect(t.code).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/4x4 mesh, uniform traffic, 1-flit packets, analytic model/);
    expect(lines[2]).toMatch(/rate\s+offered\s+accepted\s+meanLatency\s+p99Latency\s+meanHops/);
    expect(lines.slice(3)).toHaveLength(3);
    expect(lines[5].trim().startsWith('0.3000')).toBe(true);
    const j = JSON.parse(runCli(['noc', '--mesh', '4x4', '--sweep', '0.1:0.3:0.1', '--cycles', '1000', '--json']).stdout);
    expect(j.points.map((p: { rate: number }) => p.rate)).toEqual([0.1, 0.2, 0.3]);
    expect(j.points[2].meanLatency).toBeGreaterThan(j.points[0].meanLatency);
  });

  it('bad arguments exit 2 with one line per problem', () => {
    const a = runCli(['noc', '--mesh', '8']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--mesh: '8' is not of the form WxH/);
    const b = runCli(['noc', '--mesh', '3x4', '--traffic', 'transpose', '--rate', '1.5']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--rate/);
    expect(b.stderr).toMatch(/transpose needs a square mesh/);
    expect(b.stderr).not.toMatch(/at .*\.ts/); // no stack trace
  });

  it('parses --sweep R1:R2:STEP inclusively and rejects malformed sweeps', () => {
    expect(parseSweep('0.05:0.2:0.05')).toEqual([0.05, 0.1, 0.15, 0.2]);
    expect(parseSweep('0.1:0.1:0.5')).toEqual([0.1]);
    expect(() => parseSweep('0.5:0.1:0.1')).toThrow(UsageError);
    expect(() => parseSweep('0.1:0.5')).toThrow(/R1:R2:STEP/);
    expect(() => parseSweep('0.1:0.5:0')).toThrow(/step/);
    expect(() => parseSweep('0.1:2:0.1')).toThrow(/<= 1/);
  });
});
