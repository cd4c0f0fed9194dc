// Embedding progress for `pagesense index`: a bar on a terminal (cli-progress: rate
// and ETA); in logs (CI, a pipe) a line at each tenth and at least every few seconds,
// so a slow first batch never reads as a hang.
import cliProgress from 'cli-progress';

const { SingleBar, Presets } = cliProgress;
type SingleBar = InstanceType<typeof cliProgress.SingleBar>;

/** Seconds between log lines at most, while passages are being embedded. */
export const LOG_EVERY_SECONDS = 5;

export function embedProgress(log: (line: string) => void, tty: boolean, now: () => number = () => performance.now(), verb = 'embedding') {
  let lastTenth = -1;
  let lastAt = now();
  let bar: SingleBar | undefined;
  let started = false;
  return (done: number, total: number, rate: number) => {
    if (tty) {
      bar ??= new SingleBar(
        { format: `${verb} [{bar}] {value}/{total} passages · {rate}/s · ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
        Presets.legacy,
      );
      if (!bar.isActive) bar.start(total, 0, { rate: '0.0' });
      bar.update(done, { rate: rate.toFixed(1) });
      if (done === total) bar.stop();
      return;
    }
    if (!started) {
      started = true;
      log(`${verb} ${total} passages`);
    }
    if (done === 0) return;
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
    const tenth = Math.floor((done / total) * 10);
    const t = now();
    if (tenth !== lastTenth || done === total || t - lastAt >= LOG_EVERY_SECONDS * 1000) {
      log(`${verb} ${done}/${total} passages · ${rate.toFixed(1)}/s · ETA ${eta} s`);
      lastTenth = tenth;
      lastAt = t;
    }
  };
}
