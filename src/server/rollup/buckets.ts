/**
 * Time buckets. Rollups use fixed UTC buckets of one minute, hour, six hours, day or week (weeks start
 * on Saturday 2000-01-01 and every 7 days since: they only serve totals, never a chart step), plus
 * sliding windows: "24h" windows that start on every whole hour and "29d" windows that start on every
 * UTC midnight. A read over [from, to) is split into segments: whole closed buckets of the largest
 * allowed grain in the middle, smaller grains towards the edges, and raw rows for what no closed
 * bucket covers (sub-minute edges and the open tail after each grain's watermark). Every instant
 * lands in exactly one segment.
 *
 * The sliding windows exist for the presets every page offers. "Last 24 hours", the default, starts
 * on a whole hour (see readScope) but rarely on midnight UTC, so without a window it merges 24 hourly
 * sketches and 24 hours of per-user rows, which at a 1% error bound compress little (an hour of one
 * endpoint's latencies fills about as many bins as it has requests). "Last 30 days" starts on the
 * viewer's midnight 30 days ago: whatever the zone, the 29 UTC days after the next UTC midnight lie
 * inside it, so one 29d window replaces four weeks and the days around them. Six-hour buckets cut
 * the hours of the current day that such ranges end with from up to 23 rows to at most 8.
 */
export const GRAINS = ["minute", "hour", "6h", "day", "24h", "29d", "week"] as const;
export type Grain = (typeof GRAINS)[number];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long a bucket is. */
export const GRAIN_MS: Record<Grain, number> = {
  minute: 60_000,
  hour: HOUR,
  "6h": 6 * HOUR,
  day: DAY,
  "24h": DAY,
  "29d": 29 * DAY,
  week: 7 * DAY,
};
/** Where buckets may start: every multiple of this since ORIGIN_MS (shorter than the bucket for sliding windows). */
export const ALIGN_MS: Record<Grain, number> = { ...GRAIN_MS, "24h": HOUR, "29d": DAY };
const GRAIN_INTERVAL: Record<Grain, string> = {
  minute: "1 minute",
  hour: "1 hour",
  "6h": "6 hours",
  day: "1 day",
  "24h": "24 hours",
  "29d": "29 days",
  week: "7 days",
};
/** The origin of every bucket (SQL: `date_bin(interval, time, origin)`). */
const ORIGIN_MS = Date.UTC(2000, 0, 1);
/** ORIGIN_MS as SQL, and a row's bucket of `grain` (the same alignment as floorTo, in Postgres). */
const ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`;
export const bucketOf = (grain: Grain, column = "time") => `date_bin('${GRAIN_INTERVAL[grain]}', ${column}, ${ORIGIN})`;

/** Whether the grain's buckets overlap (each starts one alignment step after the previous). */
export const isSliding = (grain: Grain) => ALIGN_MS[grain] < GRAIN_MS[grain];
/**
 * Fixed grains the rollup job merges from a finer grain's rows instead of folding raw rows (sliding
 * windows are always merged, from day and hour rows). GRAINS lists every source before its merges.
 */
export const MERGED_FROM: Partial<Record<Grain, Grain>> = { "6h": "hour", day: "hour", week: "day" };
/** The fixed grain whose buckets are a sliding grain's alignment steps (a late row dirties windows in those steps). */
export const alignmentGrain = (grain: Grain): Grain => GRAINS.find((g) => !isSliding(g) && GRAIN_MS[g] === ALIGN_MS[grain])!;

export const floorTo = (t: number, grain: Grain) => Math.floor((t - ORIGIN_MS) / ALIGN_MS[grain]) * ALIGN_MS[grain] + ORIGIN_MS;
const ceilTo = (t: number, grain: Grain) => Math.ceil((t - ORIGIN_MS) / ALIGN_MS[grain]) * ALIGN_MS[grain] + ORIGIN_MS;

/**
 * How far back before its watermark a grain's buckets are kept. Minute buckets serve the edges of a
 * range and alert windows, which sit near "now"; older edges read raw rows (at most an hour's worth,
 * and none at all for ranges that start on a chart step, see alignedStart). Without this limit the
 * minute rollups of per-endpoint or per-model data hold about as many rows as the raw tables.
 * Sliding windows serve the presets: "the last 24 hours" reads the window starting an hour before the
 * 24h watermark; "the last 30 days" starts at the viewer's midnight 30 days ago and reads the window
 * from the next UTC midnight, at most a day before the newest 29d window. Only the newest windows are
 * kept, so late data re-folds few of them; other ranges use fixed buckets.
 */
export const RETENTION_MS: Partial<Record<Grain, number>> = { minute: 72 * HOUR, "24h": 2 * HOUR, "29d": 3 * DAY };

export type Segment = { grain: Grain | null; from: Date; to: Date };
/** Per grain: every bucket that STARTS before this instant is folded. */
export type Watermarks = Partial<Record<Grain, Date>>;

/** The bucket starts a rollup segment reads: one per bucket, back to back from `from` to `to`. */
export function bucketStarts(segment: Segment): Date[] {
  const out: Date[] = [];
  const len = GRAIN_MS[segment.grain!];
  for (let t = segment.from.getTime(); t < segment.to.getTime(); t += len) out.push(new Date(t));
  return out;
}

/**
 * Splits [from, to) into rollup segments (grains in `grains`, only before that grain's
 * watermark and within its retention) and raw segments. `grains` may be in any order; larger grains are used first.
 */
export function coverRange(from: Date, to: Date, grains: readonly Grain[], watermarks: Watermarks): Segment[] {
  // Larger grains first; between equally long ones, fixed buckets before sliding windows.
  const ordered = [...grains].sort((a, b) => GRAIN_MS[b] - GRAIN_MS[a] || Number(isSliding(a)) - Number(isSliding(b)));
  const out: Segment[] = [];
  const cover = (a: number, b: number, level: number) => {
    if (a >= b) return;
    const grain = ordered[level];
    if (!grain) return void out.push({ grain: null, from: new Date(a), to: new Date(b) });
    const mark = watermarks[grain]?.getTime();
    const retention = RETENTION_MS[grain];
    const oldest = mark !== undefined && retention !== undefined ? mark - retention : -Infinity;
    const start = ceilTo(Math.max(a, oldest), grain);
    // The last folded bucket starts one alignment step before the watermark and ends a bucket later.
    const limit = mark === undefined ? start : Math.min(b, floorTo(mark, grain) - ALIGN_MS[grain] + GRAIN_MS[grain]);
    const end = start + Math.max(0, Math.floor((limit - start) / GRAIN_MS[grain])) * GRAIN_MS[grain];
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
 * Grains whose buckets never straddle a series point: not sliding, not weeks (they start on Saturdays in
 * UTC, calendar weeks on the viewer's Monday), no larger than the step; for steps of six hours or a day
 * in a time zone other than UTC no such buckets (a local day is not a UTC day); and in zones
 * whose offset is not a whole number of hours (India, Nepal, parts of Australia) no hour buckets
 * either, since a local hour there is not a UTC hour.
 */
export function grainsForStep(step: Step, timeZone: string): Grain[] {
  return GRAINS.filter(
    (g) => !isSliding(g) && g !== "week" && GRAIN_MS[g] <= step.ms && (GRAIN_MS[g] <= HOUR || timeZone === "UTC") && (g !== "hour" || wholeHourZone(timeZone)),
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
