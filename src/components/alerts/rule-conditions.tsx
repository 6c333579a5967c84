"use client";

import { LOG_LEVELS, METRIC_AGGREGATIONS } from "@/server/vocabulary";
import type { Metric } from "@/server/alerts/schemas";
import { SelectField, TextField } from "@/components/ui/field";
import { Check, Fieldset } from "./fieldset";
import { METRIC_LABELS } from "./format";
import type { Draft } from "./rule-draft";

/** The rule form's per-kind field groups: each edits the draft and shows the server's error beside its fields. */

const FILTER_LABELS: Record<string, string> = {
  service: "Service",
  environment: "Environment",
  route: "Route",
  method: "HTTP method",
  model: "Model",
  provider: "Provider",
  feature: "Feature tag",
  release: "Release",
  level: "Log level",
  user: "User ID",
};

export type FieldProps = {
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
  err: (path: string) => string | undefined;
};

/** A metric rule's condition: the metric (a custom metric's name, kind and aggregation, or a log search), threshold and evaluation. */
export function MetricCondition({ draft, set, err, metrics }: FieldProps & { metrics: readonly Metric[] }) {
  const metric = draft.metric as Metric;
  return (
    <Fieldset legend="Condition" description="Re-evaluated every minute over a sliding window.">
      <SelectField label="Metric" value={draft.metric} onChange={(e) => set("metric", e.target.value)} error={err("config.metric")}>
        {metrics.map((m) => (
          <option key={m} value={m}>
            {METRIC_LABELS[m]}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Window (minutes)"
        type="number"
        min={1}
        max={1440}
        value={draft.windowMinutes}
        onChange={(e) => set("windowMinutes", e.target.value)}
        error={err("config.windowMinutes")}
      />
      {metric === "custom_metric" && (
        <>
          <TextField
            label="Metric name"
            value={draft.customName}
            onChange={(e) => set("customName", e.target.value)}
            error={err("config.custom.name")}
            placeholder="http.server.requests"
          />
          <SelectField
            label="Metric kind"
            value={draft.customKind}
            onChange={(e) => {
              set("customKind", e.target.value as Draft["customKind"]);
              set("customAggregation", METRIC_AGGREGATIONS[e.target.value as Draft["customKind"]][0]);
            }}
            error={err("config.custom.kind")}
          >
            {Object.keys(METRIC_AGGREGATIONS).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Aggregation"
            value={draft.customAggregation}
            onChange={(e) => set("customAggregation", e.target.value)}
            error={err("config.custom.aggregation")}
          >
            {METRIC_AGGREGATIONS[draft.customKind].map((a) => (
              <option key={a} value={a}>
                {a === "rate" ? "rate per second" : a}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Attribute filter"
            value={draft.customWhere}
            onChange={(e) => set("customWhere", e.target.value)}
            error={err("config.custom.attributes")}
            hint="key=value, comma-separated"
          />
        </>
      )}
      {metric === "log_count" && (
        <TextField
          label="Search text"
          value={draft.search}
          onChange={(e) => set("search", e.target.value)}
          error={err("config.search")}
          hint="Log lines whose message contains this text."
          className="sm:col-span-2"
        />
      )}
      <SelectField
        label="Threshold type"
        value={draft.thresholdType}
        onChange={(e) => set("thresholdType", e.target.value as Draft["thresholdType"])}
        error={err("config.thresholdType")}
      >
        <option value="static">Static value</option>
        <option value="percent_change">% change vs previous window</option>
      </SelectField>
      <SelectField
        label="Fires when the value is"
        value={draft.comparison}
        onChange={(e) => set("comparison", e.target.value as Draft["comparison"])}
        error={err("config.comparison")}
      >
        <option value="above">above the threshold</option>
        <option value="below">below the threshold</option>
      </SelectField>
      <TextField
        label={draft.thresholdType === "percent_change" ? "Threshold (%)" : "Threshold"}
        type="number"
        step="any"
        value={draft.threshold}
        onChange={(e) => set("threshold", e.target.value)}
        error={err("config.threshold")}
      />
      <TextField
        label="Resolve threshold"
        type="number"
        step="any"
        value={draft.resolveThreshold}
        onChange={(e) => set("resolveThreshold", e.target.value)}
        error={err("config.resolveThreshold")}
        hint="Optional: resolves only past this value (hysteresis)."
      />
      <TextField
        label="Pending period (for, minutes)"
        type="number"
        min={0}
        max={1440}
        value={draft.forMinutes}
        onChange={(e) => set("forMinutes", e.target.value)}
        error={err("config.forMinutes")}
        hint="The condition must hold this long before it fires."
      />
      <TextField
        label="Minimum requests"
        type="number"
        min={0}
        value={draft.minRequests}
        onChange={(e) => set("minRequests", e.target.value)}
        error={err("config.minRequests")}
        hint="Skip windows with fewer requests (guards rates on low traffic)."
      />
      <SelectField
        label="When there is no data"
        value={draft.noData}
        onChange={(e) => set("noData", e.target.value as Draft["noData"])}
        error={err("config.noData")}
      >
        <option value="ok">Treat as OK</option>
        <option value="keep">Keep the last state</option>
        <option value="alerting">Fire</option>
      </SelectField>
    </Fieldset>
  );
}

/** An error-group count rule's condition. */
export function GroupCountCondition({ draft, set, err }: FieldProps) {
  return (
    <Fieldset legend="Condition" description="Fires for each error group seen more often than this.">
      <TextField
        label="More than (events)"
        type="number"
        min={0}
        value={draft.threshold}
        onChange={(e) => set("threshold", e.target.value)}
        error={err("config.threshold")}
      />
      <TextField
        label="Window (minutes)"
        type="number"
        min={1}
        max={1440}
        value={draft.windowMinutes}
        onChange={(e) => set("windowMinutes", e.target.value)}
        error={err("config.windowMinutes")}
      />
    </Fieldset>
  );
}

/** New and regressed error-group rules: their look-back window. */
export function ErrorGroupCondition({ draft, set, err }: FieldProps) {
  return (
    <Fieldset
      legend="Condition"
      description={draft.kind === "new_group" ? "Fires when an error group is first seen." : "Fires when a resolved error group is seen again."}
    >
      <TextField
        label="Look-back window (minutes)"
        type="number"
        min={1}
        max={1440}
        value={draft.windowMinutes}
        onChange={(e) => set("windowMinutes", e.target.value)}
        error={err("config.windowMinutes")}
      />
    </Fieldset>
  );
}

/** A budget: monthly amount, notification percentages and what it applies to. */
export function BudgetFields({ draft, set, err }: FieldProps) {
  return (
    <Fieldset legend="Budget" description="LLM spend per calendar month, for the whole project or one user or feature tag.">
      <TextField
        label="Monthly budget (USD)"
        type="number"
        min={0}
        step="any"
        value={draft.amountUsd}
        onChange={(e) => set("amountUsd", e.target.value)}
        error={err("config.amountUsd")}
      />
      <TextField
        label="Notify at (% of budget)"
        value={draft.notifyAtPercent}
        onChange={(e) => set("notifyAtPercent", e.target.value)}
        error={err("config.notifyAtPercent")}
        hint="Comma-separated, e.g. 50, 80, 100."
      />
      <SelectField label="Applies to" value={draft.budgetScope} onChange={(e) => set("budgetScope", e.target.value as Draft["budgetScope"])}>
        <option value="project">The whole project</option>
        <option value="user">One user</option>
        <option value="feature">One feature tag</option>
      </SelectField>
      {draft.budgetScope === "user" && (
        <TextField label="User id" value={draft.budgetUser} onChange={(e) => set("budgetUser", e.target.value)} error={err("config.userId")} />
      )}
      {draft.budgetScope === "feature" && (
        <TextField label="Feature tag" value={draft.budgetFeature} onChange={(e) => set("budgetFeature", e.target.value)} error={err("config.feature")} />
      )}
      <div className="sm:col-span-2">
        <Check
          label="Also notify when the month-end projection overruns the budget"
          checked={draft.notifyOnProjectedOverrun}
          onChange={(v) => set("notifyOnProjectedOverrun", v)}
        />
      </div>
    </Fieldset>
  );
}

/** The filters the rule's metric (or error groups) can be narrowed by. */
export function RuleFilters({
  draft,
  err,
  allowedFilters,
  setFilter,
}: Omit<FieldProps, "set"> & { allowedFilters: readonly string[]; setFilter: (key: string, value: string) => void }) {
  const metric = draft.metric as Metric;
  return (
    <Fieldset
      legend="Filters"
      description={`Leave empty to match everything. ${draft.kind === "metric" ? METRIC_LABELS[metric] : "Error groups"} can be narrowed by ${allowedFilters.join(", ")}.`}
    >
      {allowedFilters.map((f) =>
        f === "level" ? (
          <SelectField
            key={f}
            label={FILTER_LABELS[f]!}
            value={draft.filters[f] ?? ""}
            onChange={(e) => setFilter(f, e.target.value)}
            error={err(`config.filters.${f}`)}
          >
            <option value="">any</option>
            {[...LOG_LEVELS].reverse().map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            key={f}
            label={FILTER_LABELS[f] ?? f}
            value={draft.filters[f] ?? ""}
            onChange={(e) => setFilter(f, e.target.value)}
            error={err(`config.filters.${f}`)}
            placeholder="any"
          />
        ),
      )}
    </Fieldset>
  );
}
