/**
 * Distributed sweeps against a real nats-server (JetStream on loopback, random port, temporary
 * store). Skipped, with a message, only when nats-server is not installed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect } from 'nats';
import { hashJson } from '../../emulator/trace/hash.js';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { aerieVersion, buildTable, loadSweepFile, runPoint, tableJson, BUCKET, STREAM, type PointResult } from '../../tools/sweep/index.js';
import { BackgroundCli, findNatsServer, NatsServer, tmpDir, writeSweep } from './helpers.js';
import { systemPackage } from '../helpers/system.js';

const BIN = findNatsServer();
const HAVE_NATS = systemPackage('nats-server', BIN !== undefined, 'test/sweep/nats.test.ts: nats-server not found (apt-get install nats-server); skipping the NATS sweep tests');

const EI = path.join(REPO_ROOT, 'firmware-models', 'examples', 'ei-network.yaml');

/** The table computed in this process, point by point, for comparison with what the CLI wrote. */
function referenceTable(file: string): string {
  const sweep = loadSweepFile(file);
  const results = new Map<string, PointResult>(sweep.points.map((p) => [p.key, runPoint(p.key, p.config)]));
  return tableJson(buildTable(sweep, results));
}

/** Every key in the result bucket with its number of stored revisions, and messages left in the queue. */
async function serverState(url: string): Promise<{ revisions: Map<string, number>; queued: number }> {
  const nc = await connect({ servers: url });
  try {
    const js = nc.jetstream();
    const kv = await js.views.kv(BUCKET, { history: 1 });
    const revisions = new Map<string, number>();
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    for (const k of keys) {
      let n = 0;
      for await (const e of await kv.history({ key: k })) if (e.operation === 'PUT') n++;
      revisions.set(k, n);
    }
    const jsm = await nc.jetstreamManager();
    const queued = (await jsm.streams.info(STREAM)).state.messages;
    return { revisions, queued };
  } finally {
    await nc.close();
  }
}

describe.skipIf(!HAVE_NATS)('aerie sweep --nats / aerie worker (real nats-server)', () => {
  let server: NatsServer;
  let dir: string;
  const procs: BackgroundCli[] = [];
  const bg = (args: string[]): BackgroundCli => {
    const p = new BackgroundCli(args);
    procs.push(p);
    return p;
  };
  beforeEach(async () => {
    server = await NatsServer.start(BIN!);
    dir = tmpDir('nats');
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      p.kill('SIGKILL');
      await p.exited;
    }
    await server.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two workers give the same table as a local run; a second sweep reuses the recorded results', { timeout: 150_000 }, async () => {
    const file = writeSweep(dir, `format: aerie-sweep/1
name: two-workers
base: {network: tiny.yaml, steps: 30}
axes:
  seed: {from: 1, to: 6}
  core.compartments: [16, 64]
`);
    const w1 = bg(['worker', '--nats', server.url, '--idle-exit', '4']);
    const w2 = bg(['worker', '--nats', server.url, '--idle-exit', '4']);
    await w1.waitFor(/worker: connected/);
    // a message that is not a point is rejected (terminated), never retried
    const nc = await connect({ servers: server.url });
    await nc.jetstream().publish('aerie.sweep.points.bogus', new TextEncoder().encode('{"key": "nope"}'));
    // a point resolved by another aerie version is left for a worker of that version
    const foreign = { ...loadSweepFile(file).points[0].config, aerie: '0.0.0-other' };
    const foreignKey = hashJson(foreign);
    await nc.jetstream().publish(`aerie.sweep.points.${foreignKey}`, new TextEncoder().encode(JSON.stringify({ key: foreignKey, config: foreign })));
    await nc.close();
    const out = path.join(dir, 'out');
    const s = bg(['sweep', file, '--nats', server.url, '--out', out, '--timeout', '120']);
    expect(await s.exit()).toBe(0);
    expect(s.stdout).toMatch(/two-workers: 12 points \(12 run, 0 reused\)/);
    const table = fs.readFileSync(path.join(out, 'results.json'), 'utf8');
    expect(table).toBe(referenceTable(file));
    const ran = [w1, w2].map((w) => (w.stderr.match(/ done in /g) ?? []).length);
    expect(ran[0] + ran[1]).toBe(12);
    // a sweep of the same points into a new folder collects them from the server without running any
    const again = runCli(['sweep', file, '--nats', server.url, '--out', path.join(dir, 'again'), '--timeout', '30']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/12 points \(0 run, 12 reused\)/);
    expect(fs.readFileSync(path.join(dir, 'again', 'results.json'), 'utf8')).toBe(table);
    const st = await serverState(server.url);
    expect(st.revisions.size).toBe(12);
    expect([...st.revisions.values()].every((n) => n === 1)).toBe(true);
    expect(st.queued).toBe(1); // the foreign-version point, still waiting for its worker
    // --idle-exit: both workers leave on their own once the queue stays empty
    expect(await w1.exit()).toBe(0);
    expect(await w2.exit()).toBe(0);
    expect(w1.stderr + w2.stderr).toMatch(/rejected a malformed message on aerie\.sweep\.points\.bogus/);
    expect(w1.stderr + w2.stderr).toMatch(/, 1 rejected\)/);
    expect(w1.stderr + w2.stderr).toMatch(new RegExp(`point ${foreignKey.slice(0, 12)} is for aerie 0\\.0\\.0-other, this worker is ${aerieVersion().replace(/\./g, '\\.')}; leaving it`));
    expect(w1.stderr + w2.stderr).not.toMatch(new RegExp(`point ${foreignKey.slice(0, 12)} running`));
  });

  it('a worker killed mid-point loses nothing: the point is redelivered and recorded once', { timeout: 150_000 }, async () => {
    const file = writeSweep(dir, `format: aerie-sweep/1
name: kill
base: {network: ${EI}, steps: 10}
axes:
  steps: [1000, 10, 20, 30]
`);
    const sweep = loadSweepFile(file);
    const slow = sweep.points[0].key.slice(0, 12);
    const workers = [bg(['worker', '--nats', server.url]), bg(['worker', '--nats', server.url])];
    const out = path.join(dir, 'out');
    const s = bg(['sweep', file, '--nats', server.url, '--out', out, '--ack-wait', '2', '--timeout', '120']);
    // kill whichever worker took the slow point, while it is running it
    const started = new RegExp(`point ${slow} running \\(delivery 1\\)`);
    let victim: BackgroundCli | undefined;
    for (const t0 = Date.now(); !victim; await new Promise((r) => setTimeout(r, 20))) {
      victim = workers.find((w) => started.test(w.stderr));
      if (Date.now() - t0 > 60_000) throw new Error(`no worker took the slow point:\n${workers.map((w) => w.stderr).join('\n')}`);
    }
    const survivor = workers.find((w) => w !== victim)!;
    await new Promise((r) => setTimeout(r, 300));
    victim.kill('SIGKILL');
    await victim.exited;
    expect(await s.exit()).toBe(0);
    expect(survivor.stderr).toMatch(new RegExp(`point ${slow} running \\(delivery 2\\)`));
    expect(victim.stderr).not.toMatch(new RegExp(`point ${slow} done`));
    expect(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).toBe(referenceTable(file));
    const st = await serverState(server.url);
    expect(st.revisions.size).toBe(4);
    expect([...st.revisions.values()].every((n) => n === 1)).toBe(true);
    expect(st.queued).toBe(0);
  });

  it('survives a server restart during the sweep with no lost or duplicated results', { timeout: 150_000 }, async () => {
    const file = writeSweep(dir, `format: aerie-sweep/1
name: restart
base: {network: ${EI}, steps: 250}
axes:
  seed: {from: 1, to: 6}
`);
    const out = path.join(dir, 'out');
    const s = bg(['sweep', file, '--nats', server.url, '--out', out, '--ack-wait', '3', '--timeout', '120']);
    const w1 = bg(['worker', '--nats', server.url]);
    const w2 = bg(['worker', '--nats', server.url]);
    // restart once some, but not all, points are done
    const doneSoFar = (): number => [w1, w2].reduce((n, w) => n + (w.stderr.match(/ done in /g) ?? []).length, 0);
    while (doneSoFar() < 2) await new Promise((r) => setTimeout(r, 20));
    const doneAtRestart = doneSoFar();
    await server.restart();
    expect(doneAtRestart).toBeLessThan(6); // the restart really happened mid-sweep
    expect(await s.exit()).toBe(0);
    const doneCount = [w1, w2].reduce((n, w) => n + (w.stderr.match(/ done in /g) ?? []).length, 0);
    expect(doneCount).toBeLessThan(6 + 4); // nothing ran wildly often
    expect(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).toBe(referenceTable(file));
    const st = await serverState(server.url);
    expect(st.revisions.size).toBe(6);
    expect([...st.revisions.values()].every((n) => n === 1)).toBe(true);
    expect(st.queued).toBe(0);
  });

  it('an unreachable server is one clear error line and exit 2, before anything is written', async () => {
    const url = server.url;
    await server.stop();
    const file = writeSweep(dir, 'format: aerie-sweep/1\nbase: {network: tiny.yaml, steps: 5}\naxes: {seed: [1]}\n');
    const out = path.join(dir, 'never');
    const [r, w] = [bg(['sweep', file, '--nats', url, '--out', out]), bg(['worker', '--nats', url])];
    expect(await r.exit()).toBe(2);
    expect(r.stderr).toBe(`error: --nats ${url}: cannot reach a NATS server (connection refused)\n`);
    expect(fs.existsSync(out)).toBe(false);
    expect(await w.exit()).toBe(2);
    expect(w.stderr).toBe(`error: --nats ${url}: cannot reach a NATS server (connection refused)\n`);
  });
});
