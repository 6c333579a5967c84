"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Pill, TableSkeleton } from "@/components/dashboards/states";
import { useProjectHref, useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState, ErrorNotice, PageHeader, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { EvaluationStatus } from "./evaluation-status";
import { describeCondition, formatMinutes, KIND_LABELS, severityTone } from "./format";
import { SilenceDialog } from "./silence-dialog";
import { SpendHiddenNote } from "./spend-hidden";

type Filter = "all" | "alerts" | "budgets";

export function StatePill({ state, silenced }: { state: string; silenced?: boolean }) {
  if (silenced) return <Pill tone="purple">silenced</Pill>;
  return <Pill tone={state === "firing" ? "red" : state === "pending" ? "amber" : "green"}>{state}</Pill>;
}

/** Every alert rule and budget of the project with its live state; members edit, silence and delete. */
export function RulesList() {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const href = useProjectHref();
  const org = useOrg();
  const canWrite = org.can("alerts:write");
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.listRules.queryOptions(scope));
  const channels = useQuery(trpc.alerts.listChannels.queryOptions(scope));
  const remove = useMutation(trpc.alerts.deleteRule.mutationOptions());
  const toggle = useMutation(trpc.alerts.updateRule.mutationOptions());
  const [filter, setFilter] = useState<Filter>("all");
  const [silencing, setSilencing] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.listRules.queryKey(scope) });
  const channelName = new Map((channels.data ?? []).map((c) => [c.id, c.name]));
  const shown = (rules.data ?? []).filter((r) => (filter === "all" ? true : filter === "budgets" ? r.kind === "budget" : r.kind !== "budget"));

  return (
    <>
      <PageHeader
        title="Alert rules"
        description="Conditions evaluated every minute. Firing and resolved notices go to the rule's channels, repeated only after its repeat interval."
        actions={
          canWrite ? (
            <Link href={href("alerts/rules/new")} className="rounded-md bg-blue-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-blue-700">
              New alert rule
            </Link>
          ) : null
        }
      />
      <EvaluationStatus />
      <Panel
        title={`${rules.data?.length ?? 0} ${rules.data?.length === 1 ? "rule" : "rules"}`}
        actions={
          <div role="group" aria-label="Show" className="flex gap-1 rounded-md bg-gray-100 p-0.5 text-xs">
            {(["all", "alerts", "budgets"] as const).map((f) => (
              <button
                key={f}
                type="button"
                aria-pressed={filter === f}
                onClick={() => setFilter(f)}
                className={`rounded px-2.5 py-1 font-medium capitalize ${filter === f ? "bg-white text-gray-900 shadow-sm" : "text-gray-500"}`}
              >
                {f}
              </button>
            ))}
          </div>
        }
      >
        <ErrorNotice error={rules.error ?? remove.error ?? toggle.error} />
        {rules.data?.some((r) => r.moneyHidden) && <SpendHiddenNote />}
        {rules.isPending ? (
          <TableSkeleton />
        ) : shown.length ? (
          <Table label="Alert rules">
            <thead>
              <tr>
                <Th>State</Th>
                <Th>Rule</Th>
                <Th>Severity</Th>
                <Th>Channels</Th>
                <Th>Repeat</Th>
                <Th>Last evaluated</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {shown.map((rule) => (
                <Tr key={rule.id} className={rule.enabled ? "" : "opacity-60"}>
                  <Td>{rule.enabled ? <StatePill state={rule.state} silenced={Boolean(rule.silencedUntil)} /> : <Pill>disabled</Pill>}</Td>
                  <Td className="min-w-[16rem] max-w-xs whitespace-normal">
                    <Link href={href(`alerts/rules/${rule.id}`)} className="font-medium text-gray-900 hover:text-blue-700">
                      {rule.name}
                    </Link>
                    <p className="mt-0.5 break-words text-xs text-gray-500">
                      <span className="text-gray-400">{KIND_LABELS[rule.config.kind]} · </span>
                      {describeCondition(rule.config)}
                    </p>
                    {rule.silencedUntil && (
                      <p className="mt-0.5 text-xs text-purple-700">
                        Silenced until <Time value={rule.silencedUntil} />
                      </p>
                    )}
                  </Td>
                  <Td>
                    <Pill tone={severityTone(rule.severity)}>{rule.severity}</Pill>
                  </Td>
                  <Td className="max-w-[10rem] whitespace-normal text-xs">
                    {rule.channelIds.length ? (
                      rule.channelIds.map((id) => channelName.get(id) ?? "…").join(", ")
                    ) : (
                      <span className="text-amber-700">none — records incidents only</span>
                    )}
                  </Td>
                  <Td className="text-xs">{rule.repeatIntervalMinutes ? `every ${formatMinutes(rule.repeatIntervalMinutes)}` : "once"}</Td>
                  <Td className="text-xs">
                    <Time value={rule.lastEvaluatedAt} relative fallback="Not yet" />
                  </Td>
                  <Td className="text-right">
                    {/* Spend rules come without their amounts to roles that may not see spend, and are read-only to them. */}
                    {canWrite && !rule.moneyHidden && (
                      <div className="flex justify-end gap-1">
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`${rule.enabled ? "Disable" : "Enable"} ${rule.name}`}
                          onClick={() => toggle.mutate({ ...scope, id: rule.id, enabled: !rule.enabled }, { onSuccess: refresh })}
                        >
                          {rule.enabled ? "Disable" : "Enable"}
                        </Button>
                        <Button size="sm" variant="ghost" aria-label={`Silence ${rule.name}`} onClick={() => setSilencing({ id: rule.id, name: rule.name })}>
                          Silence
                        </Button>
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-red-600"
                          aria-label={`Delete ${rule.name}`}
                          onClick={() => setDeleting({ id: rule.id, name: rule.name })}
                        >
                          Delete
                        </Button>
                      </div>
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState
            title={filter === "budgets" ? "No budgets yet" : "No alert rules yet"}
            action={
              canWrite ? (
                <Link href={href("alerts/rules/new")} className="text-sm font-medium text-blue-700 hover:underline">
                  Create the first rule →
                </Link>
              ) : null
            }
          >
            {canWrite
              ? "Alert on error bursts, new or regressed error groups, latency, error rate, LLM spend and tokens, or log lines; budgets warn before the month's LLM spend runs over."
              : "Members and above create alert rules; you can see them here once they exist."}
          </EmptyState>
        )}
      </Panel>
      {silencing && <SilenceDialog rule={silencing} onClose={() => setSilencing(null)} />}
      <Dialog
        open={Boolean(deleting)}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? "rule"}?`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={remove.isPending}
              onClick={() =>
                deleting &&
                remove.mutate(
                  { ...scope, id: deleting.id },
                  {
                    onSuccess: () => {
                      setDeleting(null);
                      void refresh();
                    },
                  },
                )
              }
            >
              Delete rule
            </Button>
          </>
        }
      >
        <p>The rule stops evaluating and its open incidents are marked resolved. Past incidents stay in the history.</p>
      </Dialog>
    </>
  );
}
