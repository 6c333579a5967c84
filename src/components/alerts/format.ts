import type { RuleConfig } from "@/server/alerts/schemas";
import type { HiddenSpendConfig } from "@/server/alerts/spend";

export const METRIC_LABELS: Record<string, string> = {
  error_count: "Error count",
  error_rate: "Error rate (%)",
  request_count: "Request count",
  latency_p95: "p95 latency (ms)",
  latency_p99: "p99 latency (ms)",
  llm_spend: "LLM spend (USD)",
  llm_tokens: "LLM tokens",
  log_count: "Log lines matching a search",
  custom_metric: "Custom metric",
};

export const KIND_LABELS: Record<RuleConfig["kind"], string> = {
  metric: "Metric threshold",
  group_count: "Error group seen more than N times",
  new_group: "New error group",
  regression: "Regressed error group",
  budget: "LLM spend budget",
};

export const severityTone = (s: string) => (s === "critical" ? "red" : s === "warning" ? "amber" : "blue") as "red" | "amber" | "blue";

const minutes = (m: number) => (m % 1440 === 0 ? `${m / 1440} d` : m % 60 === 0 ? `${m / 60} h` : `${m} min`);
export const formatMinutes = minutes;

function filtersText(filters: Record<string, string | undefined> | undefined) {
  const parts = Object.entries(filters ?? {})
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? ` where ${parts.join(", ")}` : "";
}

/** One line a person reads in a list: "Error count > 5 in 5 min for 2 min". Spend amounts may be withheld (spend.ts). */
export function describeCondition(config: RuleConfig | HiddenSpendConfig): string {
  switch (config.kind) {
    case "new_group":
      return `A new error group appears (looked back ${minutes(config.windowMinutes)})`;
    case "regression":
      return `A resolved error group comes back (looked back ${minutes(config.windowMinutes)})`;
    case "group_count":
      return `An error group is seen more than ${config.threshold} times in ${minutes(config.windowMinutes)}${filtersText(config.filters)}`;
    case "budget": {
      const scope = config.userId ? ` for user ${config.userId}` : config.feature ? ` for feature ${config.feature}` : "";
      const budget = "amountUsd" in config ? `$${config.amountUsd.toLocaleString()} a month` : "the monthly budget (amount hidden)";
      return `LLM spend${scope} reaches ${config.notifyAtPercent.join("/")}% of ${budget}${config.notifyOnProjectedOverrun ? ", or is projected to overrun" : ""}`;
    }
    case "metric": {
      const op = config.comparison === "above" ? ">" : "<";
      const custom = config.custom;
      const label =
        config.metric === "log_count"
          ? `Logs matching “${config.search ?? ""}”`
          : custom
            ? `${custom.aggregation} of ${custom.name}${custom.attributes.length ? ` where ${custom.attributes.map((a) => `${a.key}=${a.value}`).join(", ")}` : ""}`
            : (METRIC_LABELS[config.metric] ?? config.metric);
      const threshold = !("threshold" in config)
        ? `${op} a hidden threshold`
        : config.thresholdType === "percent_change"
          ? `${op} ${config.threshold}% vs previous window`
          : `${op} ${config.threshold}`;
      const pending = config.forMinutes ? ` for ${minutes(config.forMinutes)}` : "";
      return `${label} ${threshold} in ${minutes(config.windowMinutes)}${pending}${filtersText(config.filters)}`;
    }
  }
}

export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString() : Number(value.toFixed(3)).toLocaleString();
}

export function durationBetween(from: Date | string, to: Date | string | null | undefined): string {
  const ms = (to ? new Date(to).getTime() : Date.now()) - new Date(from).getTime();
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m} min`;
  if (m < 1440) return `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}
