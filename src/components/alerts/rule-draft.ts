import { METRIC_FILTERS, type Metric, type RuleConfig, type RuleFields } from "@/server/alerts/schemas";
import type { PathErrors } from "./field-errors";

/** The rule form's state: text as typed, turned into the router's input on submit. */
export type Draft = {
  name: string;
  severity: RuleFields["severity"];
  kind: RuleConfig["kind"];
  metric: string;
  search: string;
  thresholdType: "static" | "percent_change";
  comparison: "above" | "below";
  threshold: string;
  resolveThreshold: string;
  windowMinutes: string;
  forMinutes: string;
  minRequests: string;
  noData: "ok" | "keep" | "alerting";
  filters: Record<string, string>;
  /** custom_metric: the metric, its kind, the aggregation and `key=value, key=value` attribute filters. */
  customName: string;
  customKind: "counter" | "gauge" | "histogram";
  customAggregation: string;
  customWhere: string;
  amountUsd: string;
  notifyAtPercent: string;
  budgetScope: "project" | "user" | "feature";
  budgetUser: string;
  budgetFeature: string;
  notifyOnProjectedOverrun: boolean;
  channelIds: string[];
  repeatInterval: string;
  notifyOnce: boolean;
  enabled: boolean;
};

export const emptyDraft = (): Draft => ({
  name: "",
  severity: "warning",
  kind: "metric",
  metric: "error_count",
  search: "",
  thresholdType: "static",
  comparison: "above",
  threshold: "",
  resolveThreshold: "",
  windowMinutes: "5",
  forMinutes: "0",
  minRequests: "0",
  noData: "ok",
  filters: {},
  customName: "",
  customKind: "counter",
  customAggregation: "rate",
  customWhere: "",
  amountUsd: "",
  notifyAtPercent: "50, 80, 100",
  budgetScope: "project",
  budgetUser: "",
  budgetFeature: "",
  notifyOnProjectedOverrun: true,
  channelIds: [],
  repeatInterval: "240",
  notifyOnce: false,
  enabled: true,
});

const str = (v: number | undefined | null) => (v === undefined || v === null ? "" : String(v));

export function draftFromRule(rule: {
  name: string;
  severity: string;
  config: RuleConfig;
  channelIds: string[];
  repeatIntervalMinutes: number | null;
  enabled: boolean;
}): Draft {
  const d: Draft = {
    ...emptyDraft(),
    name: rule.name,
    severity: rule.severity as Draft["severity"],
    kind: rule.config.kind,
    channelIds: rule.channelIds,
    enabled: rule.enabled,
    notifyOnce: rule.repeatIntervalMinutes === null,
    repeatInterval: str(rule.repeatIntervalMinutes ?? 240),
  };
  const c = rule.config;
  if (c.kind === "new_group" || c.kind === "regression") return { ...d, windowMinutes: str(c.windowMinutes) };
  if (c.kind === "group_count")
    return { ...d, threshold: str(c.threshold), windowMinutes: str(c.windowMinutes), filters: { ...c.filters } as Record<string, string> };
  if (c.kind === "budget")
    return {
      ...d,
      amountUsd: str(c.amountUsd),
      notifyAtPercent: c.notifyAtPercent.join(", "),
      notifyOnProjectedOverrun: c.notifyOnProjectedOverrun,
      budgetScope: c.userId ? "user" : c.feature ? "feature" : "project",
      budgetUser: c.userId ?? "",
      budgetFeature: c.feature ?? "",
    };
  return {
    ...d,
    metric: c.metric,
    search: c.search ?? "",
    thresholdType: c.thresholdType,
    comparison: c.comparison,
    threshold: str(c.threshold),
    resolveThreshold: str(c.resolveThreshold),
    windowMinutes: str(c.windowMinutes),
    forMinutes: str(c.forMinutes),
    minRequests: str(c.minRequests),
    noData: c.noData,
    filters: { ...c.filters } as Record<string, string>,
    ...(c.custom
      ? {
          customName: c.custom.name,
          customKind: c.custom.kind,
          customAggregation: c.custom.aggregation,
          customWhere: c.custom.attributes.map((a) => `${a.key}=${a.value}`).join(", "),
        }
      : {}),
  };
}

/** `route=/a, method=GET` → attribute filters, as the metrics explorer reads its filter box. */
function parseAttributeFilters(text: string): { key: string; value: string }[] {
  return text
    .split(",")
    .map((part) => part.split("="))
    .filter((kv) => kv.length >= 2 && kv[0]!.trim())
    .map(([k, ...v]) => ({ key: k!.trim(), value: v.join("=").trim() }));
}

/** Builds the router input; numbers that do not parse are reported here, everything else by the server. */
export function inputFromDraft(d: Draft): { input: RuleFields; errors: PathErrors } {
  const errors: PathErrors = {};
  const num = (path: string, raw: string, required: boolean): number | undefined => {
    const t = raw.trim();
    if (!t) {
      if (required) errors[path] = "Enter a number";
      return undefined;
    }
    const n = Number(t);
    if (!Number.isFinite(n)) errors[path] = "Enter a number";
    return n;
  };
  const filters = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, d.filters[k]?.trim()]).filter(([, v]) => v));
  let config: Record<string, unknown>;
  switch (d.kind) {
    case "new_group":
    case "regression":
      config = { kind: d.kind, windowMinutes: num("config.windowMinutes", d.windowMinutes, true) };
      break;
    case "group_count":
      config = {
        kind: d.kind,
        threshold: num("config.threshold", d.threshold, true),
        windowMinutes: num("config.windowMinutes", d.windowMinutes, true),
        filters: filters(["environment", "release"]),
      };
      break;
    case "budget": {
      const percents = d.notifyAtPercent
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      if (!percents.length || percents.some((p) => !Number.isFinite(p))) errors["config.notifyAtPercent"] = "List percentages such as 50, 80, 100";
      config = {
        kind: "budget",
        amountUsd: num("config.amountUsd", d.amountUsd, true),
        notifyAtPercent: percents,
        notifyOnProjectedOverrun: d.notifyOnProjectedOverrun,
        ...(d.budgetScope === "user" ? { userId: d.budgetUser.trim() } : {}),
        ...(d.budgetScope === "feature" ? { feature: d.budgetFeature.trim() } : {}),
      };
      break;
    }
    case "metric":
      config = {
        kind: "metric",
        metric: d.metric,
        thresholdType: d.thresholdType,
        comparison: d.comparison,
        noData: d.noData,
        threshold: num("config.threshold", d.threshold, true),
        resolveThreshold: num("config.resolveThreshold", d.resolveThreshold, false),
        windowMinutes: num("config.windowMinutes", d.windowMinutes, true),
        forMinutes: num("config.forMinutes", d.forMinutes, false) ?? 0,
        minRequests: num("config.minRequests", d.minRequests, false) ?? 0,
        filters: filters([...(METRIC_FILTERS[d.metric as Metric] ?? [])]),
        ...(d.metric === "log_count" ? { search: d.search.trim() } : {}),
        ...(d.metric === "custom_metric"
          ? { custom: { name: d.customName.trim(), kind: d.customKind, aggregation: d.customAggregation, attributes: parseAttributeFilters(d.customWhere) } }
          : {}),
      };
      if (config.resolveThreshold === undefined) delete config.resolveThreshold;
      break;
  }
  const repeat = d.notifyOnce ? null : (num("repeatIntervalMinutes", d.repeatInterval, true) ?? null);
  return {
    input: { name: d.name, severity: d.severity, config: config as RuleConfig, channelIds: d.channelIds, repeatIntervalMinutes: repeat, enabled: d.enabled },
    errors,
  };
}
