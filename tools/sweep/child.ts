/**
 * A sweep child process: receives `{key, config}` point messages over IPC, runs each with the
 * library and sends the PointResult back. Exits when its parent goes away (IPC disconnect), so a
 * killed `aerie sweep` or `aerie worker` leaves no orphans: at most the point in hand finishes first.
 */
import { runPoint } from './point.js';
import type { PointConfig } from './spec.js';

if (!process.send) {
  process.stderr.write('error: tools/sweep/child is started by aerie sweep / aerie worker, not by hand\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));
process.on('message', (m: { key: string; config: PointConfig }) => {
  const r = runPoint(m.key, m.config);
  // a parent killed while this point ran is noticed here (the run itself is synchronous)
  if (process.connected) process.send!(r);
  else process.exit(0);
});
