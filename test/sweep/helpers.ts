/** Helpers for the sweep tests: tiny networks and sweep files, background CLI processes, a real nats-server. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/** A small network (40 compartments) that runs a step in well under a millisecond. */
export const TINY_NETWORK = `format: aerie-network/1
name: tiny
seed: 3
populations:
  - {name: input, kind: spike-source, size: 20, poisson: {rate: 200, seed: 5}}
  - {name: exc, kind: lif, size: 30, params: {du: 410, dv: 205, vth: 1000}}
projections:
  - {name: in_exc, from: input, to: exc, connect: {p: 0.3, weight: {min: 40, max: 120}, seed: 1}}
  - {name: exc_exc, from: exc, to: exc, connect: {p: 0.1, weight: 20, seed: 2}}
`;

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aerie-sweep-${tag}-`));
}

/** Write the tiny network and a sweep file over it into `dir`; returns the sweep file path. */
export function writeSweep(dir: string, body: string, name = 'sweep.yaml'): string {
  fs.writeFileSync(path.join(dir, 'tiny.yaml'), TINY_NETWORK);
  const f = path.join(dir, name);
  fs.writeFileSync(f, body);
  return f;
}

const CLI_ARGS =
  process.env.AERIE_TEST_DIST === '1' ? [path.join(REPO_ROOT, 'dist', 'tools', 'cli.js')] : ['--import', 'tsx', path.join(REPO_ROOT, 'tools', 'cli.ts')];

/** A CLI process running in the background, with its output collected as it arrives. */
export class BackgroundCli {
  readonly proc: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  constructor(readonly args: string[]) {
    this.proc = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((r) => this.proc.on('exit', (code) => r(code)));
  }
  /** Resolve when stderr matches `re` (rejects after `timeoutMs`). */
  async waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const t0 = Date.now();
    for (;;) {
      const m = re.exec(this.stderr);
      if (m) return m;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${re} in:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** The exit code, or an error showing what the process printed if it has not ended within `timeoutMs`. */
  async exit(timeoutMs = 90_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`process ${this.args.join(' ')} still running after ${timeoutMs} ms; stderr:\n${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
  }
}

/** The nats-server binary, or undefined when it is not installed. */
export function findNatsServer(): string | undefined {
  for (const p of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A nats-server with JetStream on loopback, a random port and a temporary store folder. */
export class NatsServer {
  private proc: ChildProcess | undefined;
  private constructor(
    readonly bin: string,
    readonly port: number,
    readonly storeDir: string,
  ) {}

  static async start(bin: string): Promise<NatsServer> {
    const s = new NatsServer(bin, await freePort(), tmpDir('js'));
    await s.startProcess();
    return s;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  private async startProcess(): Promise<void> {
    const proc = spawn(this.bin, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 15_000);
      proc.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}):\n${log}`));
      });
    });
    proc.removeAllListeners('exit');
  }

  /** Stop (SIGTERM) and wait for the process to end. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.startProcess();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.storeDir, { recursive: true, force: true });
  }
}
