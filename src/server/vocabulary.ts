/**
 * The event vocabulary: the one list of each kind of value the portal accepts, stores and shows —
 * event types, log and error levels, error triage statuses, span kinds and statuses, metric kinds.
 * Ingest validates against these lists, reads filter by them and components render them; declare a
 * new level or status here and nowhere else. Pure data, safe to import from browser components.
 */

export const EVENT_TYPES = ["log", "request", "error", "llm", "span", "metric", "event", "audit"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Log levels, least to most severe (the OpenTelemetry severity ranges in this order). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Error levels (Sentry's), most to least severe. */
export const ERROR_LEVELS = ["fatal", "error", "warning", "info", "debug"] as const;

/** Every level either list holds (alert rules match log and error events alike). */
export const ANY_LEVELS = ["fatal", "error", "warn", "warning", "info", "debug", "trace"] as const;

/** An error group's triage state, and where an unresolved group came from. */
export const ERROR_STATUSES = ["unresolved", "resolved", "ignored"] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];
export const ERROR_SUBSTATUSES = ["new", "ongoing", "regressed"] as const;

export const SPAN_KINDS = ["internal", "server", "client", "producer", "consumer"] as const;
export const SPAN_STATUSES = ["ok", "error", "unset"] as const;
/** What came of an action in an app's audit trail (`audit` events). */
export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
/** An LLM call's outcome. */
export const LLM_STATUSES = ["ok", "error"] as const;

export const METRIC_KINDS = ["counter", "gauge", "histogram"] as const;
/** OTLP's metric data types, as stored in `metric_points.metric_type`. */
export const METRIC_TYPES = ["sum", "gauge", "histogram", "exponential_histogram", "summary"] as const;
export type MetricType = (typeof METRIC_TYPES)[number];
export const TEMPORALITIES = ["delta", "cumulative"] as const;
/** What each metric kind may be asked in the explorer and in alert rules. */
export const METRIC_AGGREGATIONS = {
  counter: ["increase", "rate"],
  gauge: ["last", "avg", "min", "max"],
  histogram: ["count", "avg", "p50", "p90", "p95", "p99"],
} as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[keyof typeof METRIC_AGGREGATIONS][number];
