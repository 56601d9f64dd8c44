/** Design-space sweeps (docs/SCALE-OUT.md): spec, point runner, local pool, NATS queue and worker. */
export { aerieVersion, loadSweepFile, parseSweep, knownAxisPaths, SWEEP_FORMAT, POINT_FORMAT, MAX_POINTS, type Sweep, type SweepPoint, type PointConfig, type Axis } from './spec.js';
export { runPoint, isFinished, RESULT_FORMAT, type PointResult } from './point.js';
export { PointPool } from './pool.js';
export { SweepStore } from './store.js';
export { buildTable, flattenSummary, tableCsv, tableJson, TABLE_FORMAT, type SweepTable, type Row } from './table.js';
export { sweepHtml, paretoFront, costColumn } from './html.js';
export { runSweep, checkJobs, Progress, type SweepOutcome, type SweepRunOptions } from './run.js';
export { runWorker, type WorkerOptions, type WorkerStats } from './worker.js';
export { BUCKET, CONSUMER, STREAM, DEFAULT_ACK_WAIT_S } from './nats.js';
