/**
 * Alert rules and channels at the boundary: one zod schema per rule kind, with the filters each
 * metric can honour (the dimensions its rollup keeps), so a rule that could never be evaluated
 * is refused when it is written, naming the field.
 */
import { z } from "zod";
import { ANY_LEVELS, METRIC_AGGREGATIONS, type MetricAggregation } from "@/server/vocabulary";

const SEVERITIES = ["critical", "warning", "info"] as const;
export const METRICS = [
  "error_count",
  "error_rate",
  "request_count",
  "latency_p95",
  "latency_p99",
  "llm_spend",
  "llm_tokens",
  "log_count",
  "custom_metric",
] as const;
export type Metric = (typeof METRICS)[number];

/**
 * Filters each metric honours: the dimensions its rollup keeps, plus `user` (the app's user id),
 * which rollups do not keep, so a rule filtered by user is read from raw rows (measures.ts).
 */
export const METRIC_FILTERS: Record<Metric, readonly string[]> = {
  error_count: ["environment", "release", "user"],
  error_rate: ["service", "environment", "route", "method", "user"],
  request_count: ["service", "environment", "route", "method", "user"],
  latency_p95: ["service", "environment", "route", "method", "user"],
  latency_p99: ["service", "environment", "route", "method", "user"],
  llm_spend: ["model", "provider", "feature", "environment", "user"],
  llm_tokens: ["model", "provider", "feature", "environment", "user"],
  log_count: ["service", "environment", "level", "user"],
  // A custom metric is filtered by its own attributes (`custom.attributes`).
  custom_metric: [],
};

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

const ZAlertFilters = z
  .object({
    service: text(256).optional(),
    environment: text(64).optional(),
    route: text(512).optional(),
    method: text(16).optional(),
    model: text(256).optional(),
    provider: text(256).optional(),
    feature: text(256).optional(),
    release: text(256).optional(),
    user: text(256).optional(),
    level: z.enum(ANY_LEVELS).optional(),
  })
  .strict();
export type AlertFilters = z.infer<typeof ZAlertFilters>;

const window = z.number().int().min(1).max(1440);

/** Any metric the project sends, with an aggregation its kind allows (as in the metrics explorer). */
const ZCustomMetric = z
  .object({
    name: text(256),
    kind: z.enum(["counter", "gauge", "histogram"]),
    aggregation: z.enum([...new Set(Object.values(METRIC_AGGREGATIONS).flat())] as [MetricAggregation, ...MetricAggregation[]]),
    attributes: z
      .array(z.object({ key: text(256), value: z.string().max(1024) }).strict())
      .max(5)
      .default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const allowed = METRIC_AGGREGATIONS[c.kind] as readonly string[];
    if (!allowed.includes(c.aggregation)) ctx.addIssue({ code: "custom", path: ["aggregation"], message: `a ${c.kind} takes ${allowed.join(", ")}` });
  });

const ZNewGroupConfig = z.object({ kind: z.literal("new_group"), windowMinutes: window.default(60) }).strict();
const ZRegressionConfig = z.object({ kind: z.literal("regression"), windowMinutes: window.default(60) }).strict();
const ZGroupCountConfig = z
  .object({
    kind: z.literal("group_count"),
    threshold: z.number().int().min(0).max(1_000_000_000),
    windowMinutes: window.default(60),
    filters: ZAlertFilters.pick({ environment: true, release: true }).strict().default({}),
  })
  .strict();

const metricFields = z
  .object({
    kind: z.literal("metric"),
    metric: z.enum(METRICS),
    filters: ZAlertFilters.default({}),
    search: text(200).optional(),
    custom: ZCustomMetric.optional(),
    thresholdType: z.enum(["static", "percent_change"]).default("static"),
    comparison: z.enum(["above", "below"]).default("above"),
    threshold: z.number().finite(),
    resolveThreshold: z.number().finite().optional(),
    windowMinutes: window.default(5),
    forMinutes: z.number().int().min(0).max(1440).default(0),
    minRequests: z.number().int().min(0).max(1_000_000_000).default(0),
    noData: z.enum(["ok", "keep", "alerting"]).default("ok"),
  })
  .strict();
const ZMetricConfig = metricFields.superRefine((c, ctx) => {
  const allowed = METRIC_FILTERS[c.metric];
  for (const key of Object.keys(c.filters)) {
    if (!allowed.includes(key)) ctx.addIssue({ code: "custom", path: ["filters", key], message: `${c.metric} can be filtered by ${allowed.join(", ")} only` });
  }
  if (c.metric === "log_count" && !c.search) ctx.addIssue({ code: "custom", path: ["search"], message: "log_count needs the text to search for" });
  if (c.metric !== "log_count" && c.search) ctx.addIssue({ code: "custom", path: ["search"], message: "search applies to log_count only" });
  if (c.metric === "custom_metric" && !c.custom)
    ctx.addIssue({ code: "custom", path: ["custom"], message: "custom_metric needs the metric's name, kind and aggregation" });
  if (c.metric !== "custom_metric" && c.custom) ctx.addIssue({ code: "custom", path: ["custom"], message: "custom applies to custom_metric only" });
  if (c.resolveThreshold !== undefined) {
    const wrongSide = c.comparison === "above" ? c.resolveThreshold > c.threshold : c.resolveThreshold < c.threshold;
    if (wrongSide)
      ctx.addIssue({
        code: "custom",
        path: ["resolveThreshold"],
        message: `must be ${c.comparison === "above" ? "at most" : "at least"} the threshold (it resolves on the other side)`,
      });
  }
});

const budgetFields = z
  .object({
    kind: z.literal("budget"),
    amountUsd: z.number().positive().max(1e9),
    userId: text(256).optional(),
    feature: text(256).optional(),
    notifyAtPercent: z.array(z.number().int().min(1).max(1000)).min(1).max(10).default([50, 80, 100]),
    notifyOnProjectedOverrun: z.boolean().default(true),
  })
  .strict();
const ZBudgetConfig = budgetFields.refine((c) => !(c.userId && c.feature), {
  path: ["feature"],
  message: "a budget is per project, per user or per feature tag, not both",
});

export const ZRuleConfig = z.union([ZNewGroupConfig, ZRegressionConfig, ZGroupCountConfig, ZMetricConfig, ZBudgetConfig]);
export type RuleConfig = z.infer<typeof ZRuleConfig>;
export type MetricConfig = z.infer<typeof ZMetricConfig>;
export type BudgetConfig = z.infer<typeof ZBudgetConfig>;
/** A spend rule's condition without its amounts, as a caller without `spend:read` reads it (spend.ts). */
export const ZHiddenSpendConfig = z.union([budgetFields.omit({ amountUsd: true }), metricFields.omit({ threshold: true, resolveThreshold: true })]);

export const ZRuleFields = z.object({
  name: text(200),
  severity: z.enum(SEVERITIES).default("warning"),
  config: ZRuleConfig,
  channelIds: z.array(z.uuid()).max(20).default([]),
  /** Minutes between repeats while firing; null = notify once. Default 4 h, as Alertmanager. */
  repeatIntervalMinutes: z.number().int().min(5).max(43_200).nullable().default(240),
  enabled: z.boolean().default(true),
});
export type RuleFields = z.infer<typeof ZRuleFields>;

export const ZRuleUpdate = ZRuleFields.partial().extend({ id: z.uuid() });

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048);

export const ZChannelConfig = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), userIds: z.array(z.uuid()).min(1, "choose at least one member").max(100) }).strict(),
  z.object({ kind: z.literal("slack"), url }).strict(),
  z.object({ kind: z.literal("webhook"), url }).strict(),
]);
export type ChannelConfig = z.infer<typeof ZChannelConfig>;

export const ZChannelFields = z.object({
  name: text(100),
  config: ZChannelConfig,
  maxPerHour: z.number().int().min(1).max(1000).default(20),
});

/**
 * An edit keeps the channel's type (a webhook's secret and deliveries belong to it). Slack and
 * webhook URLs are never shown back in full, so leaving `url` out keeps the stored one.
 */
const ZChannelConfigUpdate = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), userIds: z.array(z.uuid()).min(1, "choose at least one member").max(100) }).strict(),
  z.object({ kind: z.literal("slack"), url: url.optional() }).strict(),
  z.object({ kind: z.literal("webhook"), url: url.optional() }).strict(),
]);

export const ZChannelUpdate = z.object({
  id: z.uuid("Unknown channel"),
  name: text(100).optional(),
  config: ZChannelConfigUpdate.optional(),
  maxPerHour: z.number().int().min(1).max(1000).optional(),
});

export const ZSilenceFields = z.object({
  ruleId: z.uuid(),
  endsAt: z.coerce.date(),
  reason: text(500).optional(),
});
