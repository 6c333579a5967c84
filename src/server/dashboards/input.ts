/** The input every metric function takes: project, time range, filters, the viewer's time zone. */
import { z } from "zod";

const text = (max: number) => z.string().trim().min(1).max(max).optional();

const ZMetricFilters = z
  .object({
    environment: text(64),
    service: text(256),
    release: text(256),
    route: text(512),
    method: text(16),
    model: text(256),
    provider: text(256),
    feature: text(256),
  })
  .strict();

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** An IANA time zone (the viewer's), UTC when absent. */
export const ZTimeZone = z.string().max(64).refine(validTimeZone, "must be an IANA time zone such as Europe/Berlin").default("UTC");

const MAX_RANGE_DAYS = 400;

export const ZMetricRange = z
  .object({
    from: z.coerce.date(),
    to: z.coerce.date(),
    timeZone: ZTimeZone,
    filters: ZMetricFilters.default({}),
  })
  .superRefine((v, ctx) => {
    if (v.from >= v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    if (v.to.getTime() - v.from.getTime() > MAX_RANGE_DAYS * 86_400_000)
      ctx.addIssue({ code: "custom", path: ["from"], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  });
export type MetricRange = z.output<typeof ZMetricRange>;

/** `rollups: false` reads raw rows only (the benchmark's baseline and the tests' reference). */
export type MetricInput = MetricRange & { projectId: string; rollups?: boolean };
