/**
 * Process shards over a real nats-server (emulator/system/shard-nats.ts): the same results as one
 * process, shards joining from "another host" (`aerie shard`), large messages split into frames,
 * and a clear error when the server cannot be reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { loadNetworkFile, prepare, resolveArch } from '../../emulator/index.js';
import { startProcessShards } from '../../emulator/system/cluster.js';
import { Framer } from '../../emulator/system/shard-nats.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { BackgroundCli, findNatsServer, NatsServer } from '../sweep/helpers.js';
import { systemPackage } from '../helpers/system.js';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'shards');
const NET = path.join(FIX, 'board-net.yaml');
const ARCH = path.join(FIX, 'board-arch.yaml');
const BIN = findNatsServer();
const HAVE_NATS = systemPackage('nats-server', BIN !== undefined, 'nats-server is not installed (apt-get install nats-server): the NATS shard tests are skipped');
const plain = (v: unknown): string => JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x));

describe('NATS frames', () => {
  it('split a message larger than max_payload and put it back together, in order only', () => {
    const f = new Framer({ info: { max_payload: 2048 } as never });
    const bytes = new Uint8Array(10_000).map((_, i) => i * 7);
    const frames = f.encode({ kind: 'part', step: 3, bytes });
    expect(frames.length).toBeGreaterThan(5);
    for (const fr of frames) expect(fr.byteLength).toBeLessThanOrEqual(2048);
    const g = new Framer({ info: { max_payload: 2048 } as never });
    let out;
    for (const fr of frames) out = g.decode(fr);
    expect(out && 'kind' in out && Array.from(out.bytes)).toEqual(Array.from(bytes));
    const h = new Framer({ info: { max_payload: 2048 } as never });
    expect(() => h.decode(frames[1])).toThrow(/out of order/);
  });
});

describe.skipIf(!HAVE_NATS)('process shards over NATS (real nats-server)', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await NatsServer.start(BIN!);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('two and three processes give the same counters and step timing as one', async () => {
    const steps = 60;
    const p = prepare(loadNetworkFile(NET), resolveArch(ARCH, '2x2'));
    p.emulator.run(steps);
    const ref = plain(p.emulator.activity());
    for (const n of [2, 3]) {
      const run = await startProcessShards({ spec: loadNetworkFile(NET), arch: resolveArch(ARCH, '2x2'), steps }, n, { nats: server.url });
      try {
        await run.run(steps);
        await run.finish();
      } catch (e) {
        await run.close();
        throw e;
      }
      expect(plain(run.emulator.activity()), `${n} shards`).toBe(ref);
    }
  });

  it('a shard started separately (aerie shard) joins a coordinator waiting for external shards', async () => {
    const base = ['run', NET, '--arch', ARCH, '--chips', '2x2', '--steps', '40', '--json', '--quiet'];
    const one = runCli(base);
    expect(one.code).toBe(0);
    const coord = new BackgroundCli([...base, '--shards', '2', '--nats', server.url, '--external-shards', '--shard-run', 'ext1']);
    await coord.waitFor(/aerie shard --nats .* --run ext1 --index K/);
    // an index the run does not have is refused at once (one line, exit 2), not left waiting
    const wrong = new BackgroundCli(['shard', '--nats', server.url, '--run', 'ext1', '--index', '5']);
    expect(await wrong.exit()).toBe(2);
    expect(wrong.stderr).toMatch(/run ext1 has shards 1…1 \(0 is the coordinator\); index 5 is not one of them/);
    const shard = new BackgroundCli(['shard', '--nats', server.url, '--run', 'ext1', '--index', '1']);
    expect(await coord.exit()).toBe(0);
    expect(await shard.exit()).toBe(0);
    const strip = (t: string): string => {
      const s = JSON.parse(t);
      delete s.run;
      return JSON.stringify(s);
    };
    expect(strip(coord.stdout)).toBe(strip(one.stdout));
  });

  it('a shard that no coordinator takes gives up after --wait seconds (exit 2)', () => {
    const r = runCli(['shard', '--nats', server.url, '--run', 'nobody', '--index', '1', '--wait', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no coordinator took this shard within 1 s/);
  });

  it('an unreachable server is one clear line and exit code 2', () => {
    const r = runCli(['run', NET, '--arch', ARCH, '--chips', '2x2', '--steps', '5', '--shards', '2', '--nats', 'nats://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--nats: nats:\/\/127\.0\.0\.1:1: cannot reach a NATS server/);
  });
});
