/**
 * A progress bar for long runs: steps done, steps/s and ETA, redrawn at most ~10 times a second on
 * stderr. It appears only on a TTY, only after the run has taken ~2 s, and never with --quiet.
 */
export class ProgressBar {
  private readonly start = Date.now();
  private lastDraw = 0;
  private shown = false;
  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly enabled: boolean = Boolean(process.stderr.isTTY),
    private readonly delayMs = 2000,
  ) {}

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.start < this.delayMs || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    process.stderr.write('\r' + this.line(done, now) + '\x1b[K');
  }

  /** The text of the bar (exported for tests). */
  line(done: number, now = Date.now()): string {
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : Infinity;
    const width = 24;
    const filled = Math.round((width * done) / Math.max(1, this.total));
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    return `${this.label} ${bar} ${done}/${this.total} steps  ${rate >= 100 ? Math.round(rate) : rate.toFixed(1)} steps/s  ETA ${formatSeconds(eta)}`;
  }

  finish(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
