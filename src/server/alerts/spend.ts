/**
 * LLM spend in alerts needs `spend:read`, as it does on the dashboards. Spend rules (budgets and
 * metric rules on `llm_spend`) are listed to every reader with their name, state and severity, but
 * callers without the permission get them without money: no budget amount or threshold, no last
 * value, and incident titles and timeline messages rebuilt from what is not money. Such callers
 * cannot create, change, silence or delete spend rules. Notifications to channels are unchanged:
 * channels are configured by people who may.
 */
import { AppError } from "@/server/app-error";
import type { BudgetConfig, MetricConfig, RuleConfig } from "./schemas";

export const SPEND_HIDDEN = "amounts hidden: needs spend:read";

type SpendConfig = BudgetConfig | (MetricConfig & { metric: "llm_spend" });
/** A spend rule's condition as a caller without `spend:read` sees it. */
export type HiddenSpendConfig = Omit<BudgetConfig, "amountUsd"> | Omit<MetricConfig, "threshold" | "resolveThreshold">;

/** Budgets and metric rules on `llm_spend`: a stored config (JSON) is judged the same way as a parsed one. */
function isSpend(config: unknown): boolean {
  const c = config && typeof config === "object" ? (config as { kind?: unknown; metric?: unknown }) : {};
  return c.kind === "budget" || (c.kind === "metric" && c.metric === "llm_spend");
}
export const isSpendConfig = (c: RuleConfig): c is SpendConfig => isSpend(c);

export function configWithoutSpend(c: SpendConfig): HiddenSpendConfig {
  if (c.kind === "budget") {
    const { amountUsd: _amount, ...rest } = c;
    return rest;
  }
  const { threshold: _threshold, resolveThreshold: _resolve, ...rest } = c;
  return rest;
}

/**
 * Refuses a write touching a spend rule for a caller without `spend:read`: `configs` are the rule's
 * stored condition and, for an edit, the new one (a rule may not become a spend rule either).
 */
export function assertSpendWrite(includeSpend: boolean, ...configs: unknown[]) {
  if (includeSpend || !configs.some(isSpend)) return;
  throw new AppError(
    "FORBIDDEN",
    "LLM spend rules and budgets need spend:read: your role does not see LLM spend in this organisation, so it cannot create or change them. An owner can grant it.",
  );
}

/** Budget series are `pct:<n>` and `projected` (evaluate.ts); a metric series records its metric in its labels. */
const BUDGET_SERIES = /^(pct:(\d+)|projected)$/;

/**
 * Whether an incident is about spend, from its own record (so a rule edited or deleted since does not
 * let its old, money-bearing titles through) or from its rule's current condition.
 */
export function isSpendIncident(i: { seriesKey: string; labels: unknown; ruleConfig: RuleConfig | null }): boolean {
  const labels = i.labels && typeof i.labels === "object" ? (i.labels as Record<string, unknown>) : {};
  return BUDGET_SERIES.test(i.seriesKey) || labels.metric === "llm_spend" || (i.ruleConfig !== null && isSpendConfig(i.ruleConfig));
}

/** What a spend series is about, without its amounts. */
function spendLabel(seriesKey: string): string {
  const budget = BUDGET_SERIES.exec(seriesKey);
  const what = budget?.[2]
    ? `LLM spend reached ${budget[2]}% of the monthly budget`
    : budget
      ? "LLM spend is projected to overrun the monthly budget"
      : "LLM spend crossed the rule's threshold";
  return `${what} (${SPEND_HIDDEN})`;
}

const EVENT_PREFIX: Record<string, string> = { firing: "Firing: ", evaluation: "", resolved: "Resolved: " };

type IncidentCore = { title: string; seriesKey: string; lastValue: number | null };
type IncidentEvent = { kind: string; message: string; detail: unknown };

/**
 * A spend incident without money: the title keeps the rule name it fired under (evaluate.ts writes
 * `<name> — <label>`), the last value goes, and the timeline's evaluation messages and values are
 * rebuilt or dropped; notification and silence events carry no amounts and stay.
 */
export function incidentWithoutSpend<T extends IncidentCore>(incident: T): T & { moneyHidden: true } {
  const name = incident.title.split(" — ")[0]!;
  return { ...incident, title: `${name} — ${spendLabel(incident.seriesKey)}`.slice(0, 500), lastValue: null, moneyHidden: true };
}

export function eventWithoutSpend<E extends IncidentEvent>(event: E, seriesKey: string): E {
  const detail = event.detail && typeof event.detail === "object" && !Array.isArray(event.detail) ? { ...(event.detail as Record<string, unknown>) } : {};
  delete detail.value;
  const prefix = EVENT_PREFIX[event.kind];
  return { ...event, message: prefix === undefined ? event.message : `${prefix}${spendLabel(seriesKey)}`, detail };
}
