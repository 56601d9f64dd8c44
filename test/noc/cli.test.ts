import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseMesh, parseSweep } from '../../tools/commands/noc.js';
import { UsageError } from '../../tools/cli-support.js';

// Each CLI run starts a process through tsx; keep their number small.
describe('aerie noc', () => {
  it('--json --sweep: offered/accepted throughput, latency and hops per rate (cycle model)', () => {
    const r = runCli(['noc', '--mesh', '4x4', '--traffic', 'uniform', '--sweep', '0.05:0.1:0.05', '--packet-flits', '2', '--cycles', '1500', '--noc', 'cycle', '--vcs', '2', '--buffer', '4', '--seed', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ mesh: '4x4', traffic: 'uniform', model: 'cycle', packetFlits: 2, vcs: 2, bufferDepth: 4, warmup: 150, seed: 3, channelLoadBound: 0.5 });
    expect(j.points.map((p: { rate: number }) => p.rate)).toEqual([0.05, 0.1]);
    const p = j.points[1];
    expect(p.offered).toBeGreaterThan(0.08);
    expect(p.offered).toBeLessThan(0.12);
    expect(p.accepted).toBeGreaterThan(0.08);
    expect(p.meanLatency).toBeGreaterThanOrEqual(p.zeroLoadLatency);
    expect(p.p99Latency).toBeGreaterThanOrEqual(p.p50Latency);
    expect(p.meanHops).toBeGreaterThan(2);
    expect(p.meanHops).toBeLessThan(3);
    expect(p.status).toBe('ok');
    expect(j.points[0].offered).toBeLessThan(p.offered);
  });

  it('prints a table by default (analytic model)', () => {
    const t = runCli(['noc', '--mesh', '4x4', '--rate', '0.2', '--cycles', '1000']);
    expect(t.code).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/4x4 mesh, uniform traffic, 1-flit packets, analytic model, xy routing, 1000 cycles \(100 warm-up\), seed 1/);
    expect(lines[1]).toMatch(/channel-load bound 1\.0000 packets\/node\/cycle/);
    expect(lines[2]).toMatch(/rate\s+offered\s+accepted\s+meanLatency\s+p99Latency\s+meanHops\s+undelivered/);
    expect(lines).toHaveLength(4);
    expect(lines[3].trim().startsWith('0.2000')).toBe(true);
  });

  it('bad arguments exit 2 with one line per problem and no stack trace', () => {
    const b = runCli(['noc', '--mesh', '3x4', '--traffic', 'transpose', '--rate', '1.5']);
    expect(b.code).toBe(2);
    const lines = b.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: aerie noc: --rate: /);
    expect(lines[1]).toMatch(/transpose needs a square mesh/);
  });

  it('parses --mesh WxH and --sweep R1:R2:STEP, rejecting malformed values', () => {
    expect(parseMesh('8x4')).toEqual([8, 4]);
    expect(() => parseMesh('8')).toThrow(/--mesh: '8' is not of the form WxH/);
    expect(() => parseMesh('0x4')).toThrow(UsageError);
    expect(parseSweep('0.05:0.2:0.05')).toEqual([0.05, 0.1, 0.15, 0.2]);
    expect(parseSweep('0.1:0.1:0.5')).toEqual([0.1]);
    expect(() => parseSweep('0.5:0.1:0.1')).toThrow(UsageError);
    expect(() => parseSweep('0.1:0.5')).toThrow(/R1:R2:STEP/);
    expect(() => parseSweep('0.1:0.5:0')).toThrow(/step/);
    expect(() => parseSweep('0.1:2:0.1')).toThrow(/<= 1/);
  });
});
