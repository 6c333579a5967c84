"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Pill, TableSkeleton } from "@/components/dashboards/states";
import { useProjectHref, useProjectInput } from "@/components/dashboards/use-project";
import { useTRPC } from "@/components/trpc/react";
import { EmptyState, ErrorNotice, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { durationBetween, formatValue, severityTone } from "./format";
import { IncidentStatus } from "./incidents";
import { HiddenAmount, SpendHiddenNote } from "./spend-hidden";

const EVENT_STYLE: Record<string, { dot: string; label: string }> = {
  firing: { dot: "bg-red-500", label: "Firing" },
  evaluation: { dot: "bg-gray-300", label: "Evaluated" },
  suppressed: { dot: "bg-purple-400", label: "Suppressed (silenced)" },
  notification_queued: { dot: "bg-sky-300", label: "Notification queued" },
  notification_sent: { dot: "bg-blue-500", label: "Notification sent" },
  notification_failed: { dot: "bg-amber-500", label: "Notification failed" },
  notification_folded: { dot: "bg-gray-400", label: "Folded into digest" },
  resolved: { dot: "bg-emerald-500", label: "Resolved" },
};

const deliveryTone = (s: string) => (s === "sent" ? "green" : s === "failed" || s === "dead" ? "red" : s === "folded" ? "gray" : "amber");

/** One incident: what fired, its labels, the timeline of evaluations and notifications, and each delivery's outcome. */
export function IncidentDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const href = useProjectHref();
  const incident = useQuery({ ...trpc.alerts.getIncident.queryOptions({ ...scope, id }), refetchInterval: 30_000 });

  if (incident.isPending) return <TableSkeleton rows={6} />;
  if (incident.error) return <ErrorNotice error={incident.error} />;
  const i = incident.data;
  const labels = Object.entries((i.labels ?? {}) as Record<string, unknown>);

  return (
    <div className="space-y-6">
      <div>
        <Link href={href("alerts/incidents")} className="text-sm text-gray-500 hover:text-gray-800">
          ← Incidents
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <IncidentStatus status={i.status} />
          <Pill tone={severityTone(i.severity)}>{i.severity}</Pill>
          <h1 className="text-xl font-semibold text-gray-900">{i.title}</h1>
        </div>
      </div>
      {i.moneyHidden && <SpendHiddenNote />}
      <dl className="grid gap-4 rounded-lg border border-gray-200 bg-white p-5 text-sm shadow-sm sm:grid-cols-5">
        <div>
          <dt className="text-xs uppercase tracking-wide text-gray-500">Rule</dt>
          <dd className="mt-1 font-medium">
            {i.rule ? (
              <Link className="text-blue-700 hover:underline" href={href(`alerts/rules/${i.rule.id}`)}>
                {i.rule.name}
              </Link>
            ) : (
              "deleted rule"
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-gray-500">Started</dt>
          <dd className="mt-1">
            <Time value={i.startedAt} />
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-gray-500">Resolved</dt>
          <dd className="mt-1">
            <Time value={i.resolvedAt} fallback="Still firing" />
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-gray-500">Duration</dt>
          <dd className="mt-1">{durationBetween(i.startedAt, i.resolvedAt)}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-gray-500">Last value</dt>
          <dd className="mt-1 tabular-nums">{i.moneyHidden ? <HiddenAmount /> : formatValue(i.lastValue)}</dd>
        </div>
        <div className="sm:col-span-5">
          <dt className="text-xs uppercase tracking-wide text-gray-500">Dedup key</dt>
          <dd className="mt-1 flex flex-wrap gap-1.5">
            <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs">{i.dedupKey}</code>
            {labels.map(([k, v]) => (
              <code key={k} className="rounded bg-blue-50 px-1.5 py-0.5 font-mono text-xs text-blue-800">
                {k}={String(v)}
              </code>
            ))}
          </dd>
        </div>
      </dl>

      <div className="grid gap-6 lg:grid-cols-[1fr_1.1fr]">
        <Panel title="Timeline" description="Times in your time zone.">
          {i.events.length ? (
            <ol aria-label="Timeline" className="relative space-y-4 border-l border-gray-200 pl-5">
              {i.events.map((e) => {
                const style = EVENT_STYLE[e.kind] ?? { dot: "bg-gray-300", label: e.kind };
                return (
                  <li key={e.id} className="relative" data-kind={e.kind}>
                    <span className={`absolute -left-[26px] top-1 h-3 w-3 rounded-full ring-4 ring-white ${style.dot}`} aria-hidden />
                    <p className="text-sm font-medium text-gray-900">{style.label}</p>
                    {e.message && <p className="text-sm text-gray-600">{e.message}</p>}
                    <p className="text-xs text-gray-400">
                      <Time value={e.at} />
                    </p>
                  </li>
                );
              })}
            </ol>
          ) : (
            <EmptyState title="No events recorded" />
          )}
        </Panel>
        <Panel title="Deliveries" description="Failed notifications are retried with backoff; the last error is shown.">
          {i.deliveries.length ? (
            <Table label="Deliveries">
              <thead>
                <tr>
                  <Th>Channel</Th>
                  <Th>Notice</Th>
                  <Th>Status</Th>
                  <Th>Attempts</Th>
                  <Th>When</Th>
                </tr>
              </thead>
              <tbody>
                {i.deliveries.map((d) => (
                  <Tr key={d.id}>
                    <Td className="font-medium text-gray-900">
                      {d.channel.name} <span className="text-xs font-normal text-gray-500">{d.channel.kind}</span>
                    </Td>
                    <Td className="text-xs">{d.kind}</Td>
                    <Td className="whitespace-normal">
                      <Pill tone={deliveryTone(d.status)}>{d.status}</Pill>
                      {d.lastError && <p className="mt-1 max-w-[16rem] text-xs text-red-600">{d.lastError}</p>}
                      {d.status === "pending" && d.attempts > 0 && (
                        <p className="text-xs text-gray-500">
                          retry <Time value={d.nextAttemptAt} relative />
                        </p>
                      )}
                    </Td>
                    <Td className="text-xs tabular-nums">{d.attempts}</Td>
                    <Td className="text-xs">
                      <Time value={d.sentAt ?? d.createdAt} />
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <EmptyState title="No notifications">The rule has no channels, or the incident was silenced.</EmptyState>
          )}
        </Panel>
      </div>
    </div>
  );
}
