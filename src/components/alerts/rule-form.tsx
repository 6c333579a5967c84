"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { useProjectHref, useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { FormError, SelectField, TextField } from "@/components/ui/field";
import { Panel } from "@/components/ui/states";
import { LOG_LEVELS, METRIC_AGGREGATIONS } from "@/server/vocabulary";
import { METRIC_FILTERS, METRICS, type Metric, type RuleConfig, type RuleFields } from "@/server/alerts/schemas";
import { errorAt, pathErrorsOf, type PathErrors } from "./field-errors";
import { describeCondition, KIND_LABELS, METRIC_LABELS } from "./format";
import { draftFromRule, emptyDraft, inputFromDraft, type Draft } from "./rule-draft";

const FILTER_LABELS: Record<string, string> = {
  service: "Service", environment: "Environment", route: "Route", method: "HTTP method", model: "Model",
  provider: "Provider", feature: "Feature tag", release: "Release", level: "Log level", user: "User ID",
};

function Fieldset({ legend, description, children }: { legend: string; description?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 border-t border-gray-100 pt-5 first:border-0 first:pt-0 md:grid-cols-[14rem_1fr]">
      <legend className="contents">
        <div>
          <span className="block text-sm font-semibold text-gray-900">{legend}</span>
          {description && <span className="mt-1 block text-xs text-gray-500">{description}</span>}
        </div>
      </legend>
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

function Check({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  return (
    <label className="flex items-start gap-2 text-sm text-gray-700">
      <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-gray-300 text-blue-600 focus:ring-blue-600" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        {hint && <span className="block text-xs text-gray-500">{hint}</span>}
      </span>
    </label>
  );
}

type RuleView = { id: string; name: string; severity: string; config: RuleConfig; channelIds: string[]; repeatIntervalMinutes: number | null; enabled: boolean };

/** Create or edit an alert rule or budget: every kind's settings, with the server's errors beside each field. */
export function RuleForm({ rule, initial }: { rule?: RuleView; initial?: Partial<Draft> }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const href = useProjectHref();
  const router = useRouter();
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.alerts.listChannels.queryOptions(scope));
  // Budgets and LLM spend thresholds are money: offered only to roles that may see spend (the server refuses the others).
  const spend = useOrg().can("spend:read");
  const kinds = (Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[]).filter((k) => spend || k !== "budget");
  const metrics = METRICS.filter((m) => spend || m !== "llm_spend");
  const create = useMutation(trpc.alerts.createRule.mutationOptions());
  const update = useMutation(trpc.alerts.updateRule.mutationOptions());
  const [draft, setDraft] = useState<Draft>(() => (rule ? draftFromRule(rule) : { ...emptyDraft(), ...initial }));
  const [localErrors, setLocalErrors] = useState<PathErrors>({});
  const mutation = rule ? update : create;
  const errors = { ...pathErrorsOf(mutation.error), ...localErrors };
  // A field edited since the last submit no longer shows that submit's error.
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const touch = (key: string) => setEdited((e) => new Set(e).add(key));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    touch(key);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const setFilter = (key: string, value: string) => {
    touch(key);
    setDraft((d) => ({ ...d, filters: { ...d.filters, [key]: value } }));
  };
  const err = (path: string) => {
    const field = path.split(".").at(-1)!;
    return edited.has(field) || edited.has(field.replace(/Minutes$/, "")) ? undefined : errorAt(errors, path);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const built = inputFromDraft(draft);
    setEdited(new Set());
    setLocalErrors(built.errors);
    if (Object.keys(built.errors).length) return;
    const saved = rule
      ? await update.mutateAsync({ ...scope, id: rule.id, ...built.input }).catch(() => null)
      : await create.mutateAsync({ ...scope, ...built.input }).catch(() => null);
    if (!saved) return;
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.listRules.queryKey(scope) });
    router.push(href("alerts"));
  }

  const metric = draft.metric as Metric;
  const allowedFilters = draft.kind === "metric" ? METRIC_FILTERS[metric] : draft.kind === "group_count" ? ["environment", "release"] : [];
  const preview = inputFromDraft(draft);
  const summary = Object.keys(preview.errors).length ? null : (() => {
    try {
      return describeCondition(preview.input.config as RuleConfig);
    } catch {
      return null;
    }
  })();

  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      <Panel title={rule ? `Edit ${rule.name}` : "New alert rule"} description={summary ? `When: ${summary}` : "Choose what to watch, when it fires, and who hears about it."}>
        <div className="space-y-6">
          <FormError message={errors[""]} />
          <Fieldset legend="Rule" description="A name people recognise in a notification, and how urgent it is.">
            <TextField label="Name" value={draft.name} onChange={(e) => set("name", e.target.value)} error={err("name")} placeholder="Checkout errors" autoFocus />
            <SelectField label="Severity" value={draft.severity} onChange={(e) => set("severity", e.target.value as Draft["severity"])} error={err("severity")}>
              <option value="critical">critical</option>
              <option value="warning">warning</option>
              <option value="info">info</option>
            </SelectField>
            <SelectField
              label="Rule type" value={draft.kind} onChange={(e) => set("kind", e.target.value as Draft["kind"])} error={err("config.kind")} className="sm:col-span-2"
              hint={spend ? undefined : "Budgets and LLM spend rules are not offered: your role does not have the spend permission in this organisation."}
            >
              {kinds.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
            </SelectField>
          </Fieldset>

          {draft.kind === "metric" && (
            <Fieldset legend="Condition" description="Re-evaluated every minute over a sliding window.">
              <SelectField label="Metric" value={draft.metric} onChange={(e) => set("metric", e.target.value)} error={err("config.metric")}>
                {metrics.map((m) => <option key={m} value={m}>{METRIC_LABELS[m]}</option>)}
              </SelectField>
              <TextField label="Window (minutes)" type="number" min={1} max={1440} value={draft.windowMinutes} onChange={(e) => set("windowMinutes", e.target.value)} error={err("config.windowMinutes")} />
              {metric === "custom_metric" && (
                <>
                  <TextField label="Metric name" value={draft.customName} onChange={(e) => set("customName", e.target.value)} error={err("config.custom.name")} placeholder="http.server.requests" />
                  <SelectField label="Metric kind" value={draft.customKind} onChange={(e) => { set("customKind", e.target.value as Draft["customKind"]); set("customAggregation", METRIC_AGGREGATIONS[e.target.value as Draft["customKind"]][0]); }} error={err("config.custom.kind")}>
                    {Object.keys(METRIC_AGGREGATIONS).map((k) => <option key={k} value={k}>{k}</option>)}
                  </SelectField>
                  <SelectField label="Aggregation" value={draft.customAggregation} onChange={(e) => set("customAggregation", e.target.value)} error={err("config.custom.aggregation")}>
                    {METRIC_AGGREGATIONS[draft.customKind].map((a) => <option key={a} value={a}>{a === "rate" ? "rate per second" : a}</option>)}
                  </SelectField>
                  <TextField label="Attribute filter" value={draft.customWhere} onChange={(e) => set("customWhere", e.target.value)} error={err("config.custom.attributes")} hint="key=value, comma-separated" />
                </>
              )}
              {metric === "log_count" && (
                <TextField label="Search text" value={draft.search} onChange={(e) => set("search", e.target.value)} error={err("config.search")} hint="Log lines whose message contains this text." className="sm:col-span-2" />
              )}
              <SelectField label="Threshold type" value={draft.thresholdType} onChange={(e) => set("thresholdType", e.target.value as Draft["thresholdType"])} error={err("config.thresholdType")}>
                <option value="static">Static value</option>
                <option value="percent_change">% change vs previous window</option>
              </SelectField>
              <SelectField label="Fires when the value is" value={draft.comparison} onChange={(e) => set("comparison", e.target.value as Draft["comparison"])} error={err("config.comparison")}>
                <option value="above">above the threshold</option>
                <option value="below">below the threshold</option>
              </SelectField>
              <TextField label={draft.thresholdType === "percent_change" ? "Threshold (%)" : "Threshold"} type="number" step="any" value={draft.threshold} onChange={(e) => set("threshold", e.target.value)} error={err("config.threshold")} />
              <TextField label="Resolve threshold" type="number" step="any" value={draft.resolveThreshold} onChange={(e) => set("resolveThreshold", e.target.value)} error={err("config.resolveThreshold")} hint="Optional: resolves only past this value (hysteresis)." />
              <TextField label="Pending period (for, minutes)" type="number" min={0} max={1440} value={draft.forMinutes} onChange={(e) => set("forMinutes", e.target.value)} error={err("config.forMinutes")} hint="The condition must hold this long before it fires." />
              <TextField label="Minimum requests" type="number" min={0} value={draft.minRequests} onChange={(e) => set("minRequests", e.target.value)} error={err("config.minRequests")} hint="Skip windows with fewer requests (guards rates on low traffic)." />
              <SelectField label="When there is no data" value={draft.noData} onChange={(e) => set("noData", e.target.value as Draft["noData"])} error={err("config.noData")}>
                <option value="ok">Treat as OK</option>
                <option value="keep">Keep the last state</option>
                <option value="alerting">Fire</option>
              </SelectField>
            </Fieldset>
          )}

          {draft.kind === "group_count" && (
            <Fieldset legend="Condition" description="Fires for each error group seen more often than this.">
              <TextField label="More than (events)" type="number" min={0} value={draft.threshold} onChange={(e) => set("threshold", e.target.value)} error={err("config.threshold")} />
              <TextField label="Window (minutes)" type="number" min={1} max={1440} value={draft.windowMinutes} onChange={(e) => set("windowMinutes", e.target.value)} error={err("config.windowMinutes")} />
            </Fieldset>
          )}

          {(draft.kind === "new_group" || draft.kind === "regression") && (
            <Fieldset legend="Condition" description={draft.kind === "new_group" ? "Fires when an error group is first seen." : "Fires when a resolved error group is seen again."}>
              <TextField label="Look-back window (minutes)" type="number" min={1} max={1440} value={draft.windowMinutes} onChange={(e) => set("windowMinutes", e.target.value)} error={err("config.windowMinutes")} />
            </Fieldset>
          )}

          {draft.kind === "budget" && (
            <Fieldset legend="Budget" description="LLM spend per calendar month, for the whole project or one user or feature tag.">
              <TextField label="Monthly budget (USD)" type="number" min={0} step="any" value={draft.amountUsd} onChange={(e) => set("amountUsd", e.target.value)} error={err("config.amountUsd")} />
              <TextField label="Notify at (% of budget)" value={draft.notifyAtPercent} onChange={(e) => set("notifyAtPercent", e.target.value)} error={err("config.notifyAtPercent")} hint="Comma-separated, e.g. 50, 80, 100." />
              <SelectField label="Applies to" value={draft.budgetScope} onChange={(e) => set("budgetScope", e.target.value as Draft["budgetScope"])}>
                <option value="project">The whole project</option>
                <option value="user">One user</option>
                <option value="feature">One feature tag</option>
              </SelectField>
              {draft.budgetScope === "user" && <TextField label="User id" value={draft.budgetUser} onChange={(e) => set("budgetUser", e.target.value)} error={err("config.userId")} />}
              {draft.budgetScope === "feature" && <TextField label="Feature tag" value={draft.budgetFeature} onChange={(e) => set("budgetFeature", e.target.value)} error={err("config.feature")} />}
              <div className="sm:col-span-2">
                <Check label="Also notify when the month-end projection overruns the budget" checked={draft.notifyOnProjectedOverrun} onChange={(v) => set("notifyOnProjectedOverrun", v)} />
              </div>
            </Fieldset>
          )}

          {allowedFilters.length > 0 && (
            <Fieldset legend="Filters" description={`Leave empty to match everything. ${draft.kind === "metric" ? METRIC_LABELS[metric] : "Error groups"} can be narrowed by ${allowedFilters.join(", ")}.`}>
              {allowedFilters.map((f) =>
                f === "level" ? (
                  <SelectField key={f} label={FILTER_LABELS[f]!} value={draft.filters[f] ?? ""} onChange={(e) => setFilter(f, e.target.value)} error={err(`config.filters.${f}`)}>
                    <option value="">any</option>
                    {[...LOG_LEVELS].reverse().map((l) => <option key={l} value={l}>{l}</option>)}
                  </SelectField>
                ) : (
                  <TextField key={f} label={FILTER_LABELS[f] ?? f} value={draft.filters[f] ?? ""} onChange={(e) => setFilter(f, e.target.value)} error={err(`config.filters.${f}`)} placeholder="any" />
                ),
              )}
            </Fieldset>
          )}

          <Fieldset legend="Notifications" description="Firing and resolved notices go to these channels.">
            <div className="sm:col-span-2">
              <span className="block text-sm font-medium text-gray-700" id="channels-label">Channels</span>
              <div role="group" aria-labelledby="channels-label" className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
                {channels.isPending ? (
                  <span className="text-sm text-gray-500">Loading channels…</span>
                ) : channels.data?.length ? (
                  channels.data.map((c) => (
                    <Check
                      key={c.id}
                      label={`${c.name} (${c.kind})`}
                      checked={draft.channelIds.includes(c.id)}
                      onChange={(on) => set("channelIds", on ? [...draft.channelIds, c.id] : draft.channelIds.filter((id) => id !== c.id))}
                    />
                  ))
                ) : (
                  <span className="text-sm text-gray-500">
                    No channels yet — <Link className="text-blue-700 hover:underline" href={href("alerts/channels")}>add one</Link>; without channels incidents are only recorded.
                  </span>
                )}
              </div>
              {err("channelIds") && <p role="alert" className="mt-1 text-xs text-red-600">{err("channelIds")}</p>}
            </div>
            <TextField label="Repeat interval (minutes)" type="number" min={5} max={43200} value={draft.repeatInterval} disabled={draft.notifyOnce} onChange={(e) => set("repeatInterval", e.target.value)} error={err("repeatIntervalMinutes")} hint="While firing, notify again after this long." />
            <div className="flex flex-col justify-center gap-2 pt-5">
              <Check label="Notify once (never repeat)" checked={draft.notifyOnce} onChange={(v) => set("notifyOnce", v)} />
              <Check label="Enabled" checked={draft.enabled} onChange={(v) => set("enabled", v)} />
            </div>
          </Fieldset>
        </div>
      </Panel>
      <div className="flex justify-end gap-2">
        <Link href={href("alerts")} className="rounded-md bg-white px-3.5 py-2 text-sm font-medium text-gray-800 shadow-sm ring-1 ring-inset ring-gray-300 hover:bg-gray-50">Cancel</Link>
        <Button type="submit" loading={mutation.isPending}>{rule ? "Save rule" : "Create rule"}</Button>
      </div>
    </form>
  );
}
