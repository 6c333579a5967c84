/**
 * Cron arithmetic for the job runner, through croner (UTC; five fields, or six with seconds for
 * fast test schedules). A tick is a scheduled instant: the runner claims ticks, never wall-clock times.
 */
import { Cron } from "croner";

const parse = (pattern: string) => new Cron(pattern, { timezone: "UTC", paused: true });

/** The most recent tick at or before `now`. */
export function latestTick(pattern: string, now: Date): Date | null {
  return parse(pattern).previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
}

/** The first tick after `now`. */
export function nextTick(pattern: string, now: Date): Date | null {
  return parse(pattern).nextRun(now);
}

/** The spacing of ticks around `now` (for `0 9 * * 1`, a week): how stale "three intervals" is. */
export function tickIntervalMs(pattern: string, now: Date): number {
  const cron = parse(pattern);
  const [previous] = cron.previousRuns(1, new Date(now.getTime() + 1));
  const next = cron.nextRun(now);
  if (!previous || !next) return Number.POSITIVE_INFINITY;
  const after = cron.nextRun(next);
  // The larger of the two gaps around `now`, so an irregular schedule (`0 9,17 * * *`) is never judged by its short gap.
  return Math.max(next.getTime() - previous.getTime(), after ? after.getTime() - next.getTime() : 0);
}
