/**
 * The sweep output folder: one result file per point under `points/<key>.json` (content-addressed
 * by the point's configuration hash, written by writeOutputFile — temporary file, then rename — so
 * a crash never leaves half a result, and any sweep can reuse another's points), a manifest naming
 * the sweep that owns the folder, and the tables and report rebuilt from the stored points on every run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, writeOutputFile } from '../cli-support.js';
import { asPointResult, isFinished, type PointResult } from './point.js';
import type { Sweep } from './spec.js';

export const MANIFEST = 'sweep.json';
export const MANIFEST_FORMAT = 'aerie-sweep-dir/1';
const KEY_RE = /^[0-9a-f]{64}$/;

export class SweepStore {
  readonly pointsDir: string;
  constructor(readonly dir: string) {
    this.pointsDir = path.join(dir, 'points');
  }

  /**
   * Create or reopen the folder for `sweep`. A folder that belongs to another sweep file (or holds
   * other files) is refused unless `force`; then its tables are replaced and its points reused.
   */
  open(sweep: Sweep, force: boolean): void {
    const source = path.resolve(sweep.source);
    if (fs.existsSync(this.dir)) {
      if (!fs.statSync(this.dir).isDirectory()) throw new UsageError(`--out ${this.dir}: is a file, expected a folder`);
      const mf = path.join(this.dir, MANIFEST);
      let owner: string | undefined;
      if (fs.existsSync(mf)) {
        try {
          const m = JSON.parse(fs.readFileSync(mf, 'utf8')) as { format?: string; source?: string };
          if (m.format === MANIFEST_FORMAT) owner = m.source;
        } catch {
          /* unreadable manifest: treated as a foreign folder */
        }
      }
      const empty = fs.readdirSync(this.dir).length === 0;
      if (!force && !empty && owner !== source)
        throw new UsageError(
          owner
            ? `--out ${this.dir}: holds the results of another sweep (${owner}); pass --force to replace its tables (stored points are kept and reused)`
            : `--out ${this.dir}: already exists and is not a sweep folder; pass --force to use it anyway`,
        );
    } else {
      const parent = path.dirname(path.resolve(this.dir));
      if (!fs.existsSync(parent)) throw new UsageError(`--out ${this.dir}: folder ${parent} does not exist`);
      fs.mkdirSync(this.dir);
    }
    fs.mkdirSync(this.pointsDir, { recursive: true });
    writeOutputFile(path.join(this.dir, MANIFEST), JSON.stringify({ format: MANIFEST_FORMAT, name: sweep.name, source, points: sweep.points.length, id: sweep.id }, null, 1) + '\n', true);
  }

  file(key: string): string {
    if (!KEY_RE.test(key)) throw new RangeError(`not a point key: ${key}`);
    return path.join(this.pointsDir, `${key}.json`);
  }

  /** The stored finished result of a point, or undefined (missing, unreadable or unfinished). */
  get(key: string): PointResult | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const r = asPointResult(JSON.parse(text), key);
      return r && isFinished(r) ? r : undefined;
    } catch {
      return undefined;
    }
  }

  /** Store a finished result (atomically). Internal failures are never stored. */
  put(r: PointResult): boolean {
    if (!isFinished(r)) return false;
    writeOutputFile(this.file(r.key), JSON.stringify(r) + '\n', true);
    return true;
  }

  writeOutput(name: string, data: string): string {
    const f = path.join(this.dir, name);
    writeOutputFile(f, data, true);
    return f;
  }
}
