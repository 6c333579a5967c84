"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { METRIC_AGGREGATIONS } from "@/server/vocabulary";
import { TableSkeleton } from "@/components/dashboards/states";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { EmptyState, ErrorNotice, Panel } from "@/components/ui/states";
import { describeCondition, formatMinutes, KIND_LABELS } from "./format";
import type { Draft } from "./rule-draft";
import { RuleForm } from "./rule-form";
import { StatePill } from "./rules-list";
import { SpendHiddenNote } from "./spend-hidden";

/** The new-rule form for members and above; viewers are told why they cannot create one. */
export function NewRule() {
  const org = useOrg();
  const params = useSearchParams();
  if (org.isPending) return <TableSkeleton />;
  if (!org.can("alerts:write")) return <EmptyState title="Read-only">Your role ({org.data?.role}) can view alert rules but not create them.</EmptyState>;
  return <RuleForm initial={draftFromExplorer(params)} />;
}

/** `?metric=…&kind=…&agg=…&where=…` from the metrics explorer's "Create alert rule": a custom metric rule, prefilled. */
function draftFromExplorer(params: URLSearchParams): Partial<Draft> | undefined {
  const name = params.get("metric");
  const kind = params.get("kind") as Draft["customKind"] | null;
  if (!name || !kind || !(kind in METRIC_AGGREGATIONS)) return undefined;
  const agg = params.get("agg");
  const aggregation = agg && (METRIC_AGGREGATIONS[kind] as readonly string[]).includes(agg) ? agg : METRIC_AGGREGATIONS[kind][0];
  return { metric: "custom_metric", customName: name, customKind: kind, customAggregation: aggregation, customWhere: params.get("where") ?? "" };
}

/** One rule: the edit form for members and above, a read-only summary for viewers and for spend rules without spend:read. */
export function RuleEditor({ id }: { id: string }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const org = useOrg();
  const rules = useQuery(trpc.alerts.listRules.queryOptions(scope));
  if (rules.isPending || org.isPending) return <TableSkeleton />;
  if (rules.error) return <ErrorNotice error={rules.error} />;
  const rule = rules.data.find((r) => r.id === id);
  if (!rule) return <EmptyState title="Alert rule not found">It may have been deleted.</EmptyState>;
  if (org.can("alerts:write") && !rule.moneyHidden) return <RuleForm key={rule.id} rule={rule} />;
  return (
    <Panel title={rule.name} description={KIND_LABELS[rule.config.kind]}>
      {rule.moneyHidden && <SpendHiddenNote />}
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-gray-500">State</dt>
          <dd>
            <StatePill state={rule.state} silenced={Boolean(rule.silencedUntil)} />
          </dd>
        </div>
        <div>
          <dt className="text-gray-500">Severity</dt>
          <dd>{rule.severity}</dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="text-gray-500">Condition</dt>
          <dd>{describeCondition(rule.config)}</dd>
        </div>
        <div>
          <dt className="text-gray-500">Repeat</dt>
          <dd>{rule.repeatIntervalMinutes ? `every ${formatMinutes(rule.repeatIntervalMinutes)}` : "once"}</dd>
        </div>
        <div>
          <dt className="text-gray-500">Enabled</dt>
          <dd>{rule.enabled ? "yes" : "no"}</dd>
        </div>
      </dl>
    </Panel>
  );
}
