/**
 * A pool of child processes that run sweep points in parallel (`--jobs N`). Each child runs one
 * point at a time; points queue in the parent. A child that dies mid-point turns that point into
 * an internal-error result and is replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_FORMAT, type PointResult } from './point.js';
import type { PointConfig } from './spec.js';

interface Task {
  key: string;
  config: PointConfig;
  resolve: (r: PointResult) => void;
}

interface Slot {
  child: ChildProcess;
  task: Task | undefined;
}

/** The child entry beside this file (child.ts under tsx, child.js when compiled). */
function childPath(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), 'child' + path.extname(here));
}

export class PointPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(readonly jobs: number) {
    if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`PointPool: jobs must be a positive integer, got ${jobs}`);
  }

  /** Run a point in some child; resolves with its result (never rejects). */
  run(key: string, config: PointConfig): Promise<PointResult> {
    if (this.closed) return Promise.resolve({ format: RESULT_FORMAT, key, error: { kind: 'internal', message: 'point pool is closed' } });
    return new Promise((resolve) => {
      this.queue.push({ key, config, resolve });
      this.pump();
    });
  }

  close(): void {
    this.closed = true;
    for (const s of this.slots) if (s.child.connected) s.child.disconnect();
    this.slots.length = 0;
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.jobs) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.child.send({ key: task.key, config: task.config });
    }
  }

  private spawn(): Slot {
    const child = fork(childPath(), [], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const slot: Slot = { child, task: undefined };
    this.slots.push(slot);
    child.on('message', (r: PointResult) => {
      const t = slot.task;
      slot.task = undefined;
      t?.resolve(r);
      this.pump();
    });
    child.on('exit', (code, signal) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const t = slot.task;
      slot.task = undefined;
      if (t) t.resolve({ format: RESULT_FORMAT, key: t.key, error: { kind: 'internal', message: `point process ended (${signal ?? `exit code ${code}`}) while running the point` } });
      if (!this.closed) this.pump();
    });
    return slot;
  }
}
