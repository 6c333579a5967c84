"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useProjectHref, useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { FormError, SelectField, TextField } from "@/components/ui/field";
import { Panel } from "@/components/ui/states";
import { METRIC_FILTERS, METRICS, type Metric, type RuleConfig, type RuleFields } from "@/server/alerts/schemas";
import { errorAt, pathErrorsOf, type PathErrors } from "./field-errors";
import { Check, Fieldset } from "./fieldset";
import { describeCondition, KIND_LABELS } from "./format";
import { BudgetFields, ErrorGroupCondition, GroupCountCondition, MetricCondition, RuleFilters } from "./rule-conditions";
import { draftFromRule, emptyDraft, inputFromDraft, type Draft } from "./rule-draft";

type RuleView = {
  id: string;
  name: string;
  severity: string;
  config: RuleConfig;
  channelIds: string[];
  repeatIntervalMinutes: number | null;
  enabled: boolean;
};

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

  const fields = { draft, set, err };
  const metric = draft.metric as Metric;
  const allowedFilters = draft.kind === "metric" ? METRIC_FILTERS[metric] : draft.kind === "group_count" ? ["environment", "release"] : [];
  const preview = inputFromDraft(draft);
  const summary = Object.keys(preview.errors).length
    ? null
    : (() => {
        try {
          return describeCondition(preview.input.config as RuleConfig);
        } catch {
          return null;
        }
      })();

  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      <Panel
        title={rule ? `Edit ${rule.name}` : "New alert rule"}
        description={summary ? `When: ${summary}` : "Choose what to watch, when it fires, and who hears about it."}
      >
        <div className="space-y-6">
          <FormError message={errors[""]} />
          <Fieldset legend="Rule" description="A name people recognise in a notification, and how urgent it is.">
            <TextField
              label="Name"
              value={draft.name}
              onChange={(e) => set("name", e.target.value)}
              error={err("name")}
              placeholder="Checkout errors"
              autoFocus
            />
            <SelectField label="Severity" value={draft.severity} onChange={(e) => set("severity", e.target.value as Draft["severity"])} error={err("severity")}>
              <option value="critical">critical</option>
              <option value="warning">warning</option>
              <option value="info">info</option>
            </SelectField>
            <SelectField
              label="Rule type"
              value={draft.kind}
              onChange={(e) => set("kind", e.target.value as Draft["kind"])}
              error={err("config.kind")}
              className="sm:col-span-2"
              hint={spend ? undefined : "Budgets and LLM spend rules are not offered: your role does not have the spend permission in this organisation."}
            >
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </SelectField>
          </Fieldset>

          {draft.kind === "metric" && <MetricCondition {...fields} metrics={metrics} />}
          {draft.kind === "group_count" && <GroupCountCondition {...fields} />}
          {(draft.kind === "new_group" || draft.kind === "regression") && <ErrorGroupCondition {...fields} />}
          {draft.kind === "budget" && <BudgetFields {...fields} />}
          {allowedFilters.length > 0 && <RuleFilters draft={draft} err={err} allowedFilters={allowedFilters} setFilter={setFilter} />}

          <Fieldset legend="Notifications" description="Firing and resolved notices go to these channels.">
            <div className="sm:col-span-2">
              <span className="block text-sm font-medium text-gray-700" id="channels-label">
                Channels
              </span>
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
                    No channels yet —{" "}
                    <Link className="text-blue-700 hover:underline" href={href("alerts/channels")}>
                      add one
                    </Link>
                    ; without channels incidents are only recorded.
                  </span>
                )}
              </div>
              {err("channelIds") && (
                <p role="alert" className="mt-1 text-xs text-red-600">
                  {err("channelIds")}
                </p>
              )}
            </div>
            <TextField
              label="Repeat interval (minutes)"
              type="number"
              min={5}
              max={43200}
              value={draft.repeatInterval}
              disabled={draft.notifyOnce}
              onChange={(e) => set("repeatInterval", e.target.value)}
              error={err("repeatIntervalMinutes")}
              hint="While firing, notify again after this long."
            />
            <div className="flex flex-col justify-center gap-2 pt-5">
              <Check label="Notify once (never repeat)" checked={draft.notifyOnce} onChange={(v) => set("notifyOnce", v)} />
              <Check label="Enabled" checked={draft.enabled} onChange={(v) => set("enabled", v)} />
            </div>
          </Fieldset>
        </div>
      </Panel>
      <div className="flex justify-end gap-2">
        <Link
          href={href("alerts")}
          className="rounded-md bg-white px-3.5 py-2 text-sm font-medium text-gray-800 shadow-sm ring-1 ring-inset ring-gray-300 hover:bg-gray-50"
        >
          Cancel
        </Link>
        <Button type="submit" loading={mutation.isPending}>
          {rule ? "Save rule" : "Create rule"}
        </Button>
      </div>
    </form>
  );
}
