"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Pill, TableSkeleton } from "@/components/dashboards/states";
import { useProjectHref, useProjectInput } from "@/components/dashboards/use-project";
import { useTRPC } from "@/components/trpc/react";
import { EmptyState, ErrorNotice, PageHeader, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { durationBetween, formatValue, severityTone } from "./format";
import { HiddenAmount, SpendHiddenNote } from "./spend-hidden";

type Status = "all" | "firing" | "resolved";

export function IncidentStatus({ status }: { status: string }) {
  return <Pill tone={status === "firing" ? "red" : "green"}>{status}</Pill>;
}

/** Incidents newest first, filtered by status; refreshed every 30 s while open. */
export function IncidentsList() {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const href = useProjectHref();
  const [status, setStatus] = useState<Status>("all");
  const incidents = useQuery({
    ...trpc.alerts.listIncidents.queryOptions({ ...scope, status: status === "all" ? undefined : status, limit: 100 }),
    refetchInterval: 30_000,
  });

  return (
    <>
      <PageHeader title="Incidents" description="Each firing of a rule is an incident, with its evaluations, notifications and resolution." />
      <Panel
        actions={
          <div role="group" aria-label="Status" className="flex gap-1 rounded-md bg-gray-100 p-0.5 text-xs">
            {(["all", "firing", "resolved"] as const).map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={status === s}
                onClick={() => setStatus(s)}
                className={`rounded px-2.5 py-1 font-medium capitalize ${status === s ? "bg-white text-gray-900 shadow-sm" : "text-gray-500"}`}
              >
                {s}
              </button>
            ))}
          </div>
        }
        title={incidents.data ? `${incidents.data.length} incidents` : "Incidents"}
      >
        <ErrorNotice error={incidents.error} />
        {incidents.data?.some((i) => i.moneyHidden) && <SpendHiddenNote />}
        {incidents.isPending ? (
          <TableSkeleton />
        ) : incidents.data?.length ? (
          <Table label="Incidents">
            <thead>
              <tr>
                <Th>Status</Th>
                <Th>Incident</Th>
                <Th>Severity</Th>
                <Th>Started</Th>
                <Th>Duration</Th>
                <Th className="text-right">Last value</Th>
              </tr>
            </thead>
            <tbody>
              {incidents.data.map((i) => (
                <Tr key={i.id}>
                  <Td>
                    <IncidentStatus status={i.status} />
                  </Td>
                  <Td className="max-w-lg whitespace-normal">
                    <Link href={href(`alerts/incidents/${i.id}`)} className="font-medium text-gray-900 hover:text-blue-700">
                      {i.title}
                    </Link>
                    <p className="text-xs text-gray-500">{i.rule ? i.rule.name : "deleted rule"}</p>
                  </Td>
                  <Td>
                    <Pill tone={severityTone(i.severity)}>{i.severity}</Pill>
                  </Td>
                  <Td>
                    <Time value={i.startedAt} />
                  </Td>
                  <Td className="text-xs">
                    {durationBetween(i.startedAt, i.resolvedAt)}
                    {i.status === "firing" ? " so far" : ""}
                  </Td>
                  <Td className="text-right tabular-nums">{i.moneyHidden ? <HiddenAmount /> : formatValue(i.lastValue)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState title={status === "all" ? "No incidents" : `No ${status} incidents`}>
            {status === "firing" ? "Nothing is firing right now." : "When a rule fires, its incident appears here."}
          </EmptyState>
        )}
      </Panel>
    </>
  );
}
