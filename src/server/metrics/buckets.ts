/**
 * Time buckets. Rollups use UTC buckets of one minute, hour, day or week (weeks start on Saturday
 * 2000-01-01 and every 7 days since: they only serve totals, never a chart step). A read over
 * [from, to) is split into segments: whole closed buckets of the largest allowed grain in the
 * middle, smaller grains towards the edges, and raw rows for what no closed bucket covers
 * (sub-minute edges and the open tail after each grain's watermark). Every instant lands in exactly
 * one segment.
 */
export const GRAINS = ["minute", "hour", "day", "week"] as const;
export type Grain = (typeof GRAINS)[number];
export const GRAIN_MS: Record<Grain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };
export const GRAIN_INTERVAL: Record<Grain, string> = { minute: "1 minute", hour: "1 hour", day: "1 day", week: "7 days" };
/** The origin of every bucket (SQL: `date_bin(interval, time, origin)`). */
export const ORIGIN_MS = Date.UTC(2000, 0, 1);

export const floorTo = (t: number, grain: Grain) => Math.floor((t - ORIGIN_MS) / GRAIN_MS[grain]) * GRAIN_MS[grain] + ORIGIN_MS;
export const ceilTo = (t: number, grain: Grain) => Math.ceil((t - ORIGIN_MS) / GRAIN_MS[grain]) * GRAIN_MS[grain] + ORIGIN_MS;

/**
 * How far back before its watermark a grain's buckets are kept. Minute buckets serve the edges of a
 * range and alert windows, which sit near "now"; older edges read raw rows (at most an hour's worth,
 * and none at all for ranges that start on a chart step, see alignedStart). Without this limit the
 * minute rollups of per-endpoint or per-model data hold about as many rows as the raw tables.
 */
export const RETENTION_MS: Partial<Record<Grain, number>> = { minute: 72 * 3_600_000 };

export type Segment = { grain: Grain | null; from: Date; to: Date };
export type Watermarks = Partial<Record<Grain, Date>>;

/**
 * Splits [from, to) into rollup segments (grains in `grains`, only before that grain's
 * watermark and within its retention) and raw segments. `grains` may be in any order; larger grains are used first.
 */
export function coverRange(from: Date, to: Date, grains: readonly Grain[], watermarks: Watermarks): Segment[] {
  const ordered = [...grains].sort((a, b) => GRAIN_MS[b] - GRAIN_MS[a]);
  const out: Segment[] = [];
  const cover = (a: number, b: number, level: number) => {
    if (a >= b) return;
    const grain = ordered[level];
    if (!grain) return void out.push({ grain: null, from: new Date(a), to: new Date(b) });
    const mark = watermarks[grain]?.getTime();
    const retention = RETENTION_MS[grain];
    const oldest = mark !== undefined && retention !== undefined ? mark - retention : -Infinity;
    const start = ceilTo(Math.max(a, oldest), grain);
    const end = mark === undefined ? start : Math.min(floorTo(b, grain), floorTo(mark, grain));
    if (start >= end) return cover(a, b, level + 1);
    cover(a, start, level + 1);
    out.push({ grain, from: new Date(start), to: new Date(end) });
    cover(end, b, level + 1);
  };
  cover(from.getTime(), to.getTime(), 0);
  return out;
}

/** Series steps a chart may use, from fine to coarse. */
const STEPS: Array<{ ms: number; interval: string }> = [
  { ms: 60_000, interval: "1 minute" },
  { ms: 5 * 60_000, interval: "5 minutes" },
  { ms: 15 * 60_000, interval: "15 minutes" },
  { ms: 3_600_000, interval: "1 hour" },
  { ms: 3 * 3_600_000, interval: "3 hours" },
  { ms: 6 * 3_600_000, interval: "6 hours" },
  { ms: 86_400_000, interval: "1 day" },
];

export type Step = { ms: number; interval: string };

/** The finest step that gives at most `maxPoints` points over the range. */
export function pickStep(from: Date, to: Date, maxPoints = 48): Step {
  const span = to.getTime() - from.getTime();
  return STEPS.find((s) => span / s.ms <= maxPoints) ?? STEPS[STEPS.length - 1]!;
}

/**
 * Grains whose buckets never straddle a series point: no larger than the step; for steps of a day
 * or more in a time zone other than UTC no day buckets (a local day is not a UTC day); and in zones
 * whose offset is not a whole number of hours (India, Nepal, parts of Australia) no hour buckets
 * either, since a local hour there is not a UTC hour.
 */
export function grainsForStep(step: Step, timeZone: string): Grain[] {
  return GRAINS.filter(
    (g) => GRAIN_MS[g] <= step.ms && (g !== "day" || timeZone === "UTC") && (g !== "hour" || wholeHourZone(timeZone)),
  );
}

const wholeHourZones = new Map<string, boolean>();

/** Whether the zone's UTC offset is a whole number of hours, in winter and in summer. */
export function wholeHourZone(timeZone: string): boolean {
  const known = wholeHourZones.get(timeZone);
  if (known !== undefined) return known;
  const format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
  const year = new Date().getUTCFullYear();
  const whole = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)].every((t) => {
    const offset = format.formatToParts(t).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    return /^GMT(?:[+-]\d{2}(?::00)?)?$/.test(offset);
  });
  wholeHourZones.set(timeZone, whole);
  return whole;
}
