"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { SparkBarChart } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { ERROR_LEVELS } from "@/server/vocabulary";
import { DataTable } from "./data-table";
import { fmtCount } from "./format";
import { ENVIRONMENTS } from "./overview";
import { levelTone, NoData, Pill, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect, UrlText } from "./toolbar";
import { TriageButtons } from "./triage";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

const STATUSES = [
  { key: "unresolved", label: "Unresolved" },
  { key: "resolved", label: "Resolved" },
  { key: "ignored", label: "Ignored" },
] as const;
const LEVELS = ERROR_LEVELS;

type Group = {
  id: string;
  title: string;
  culprit: string | null;
  level: string;
  status: string;
  substatus: string;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  usersAffected: number;
  lastRelease: string | null;
  sparkline: Array<{ t: Date; value: number }>;
};
const col = createColumnHelper<Group>();

export function ErrorsDashboard() {
  const trpc = useTRPC();
  const router = useRouter();
  const range = useTimeRange();
  const { get, set, params } = useUrlParams();
  const href = useProjectHref();
  const status = STATUSES.find((s) => s.key === get("status"))?.key ?? "unresolved";
  const level = LEVELS.find((l) => l === get("level"));
  const filters = Object.fromEntries(
    [
      ["environment", get("env")],
      ["release", get("release")],
    ].filter(([, v]) => v),
  );
  const input = { ...useProjectInput(), from: range.from, to: range.to, timeZone: range.timeZone, filters, status, ...(level ? { level: [level] } : {}) };
  const q = useQuery({ ...trpc.dashboards.errors.list.queryOptions(input), placeholderData: keepPreviousData, refetchInterval: range.refetchInterval });
  const groups = (q.data?.groups ?? []) as Group[];
  const keep = params.toString();
  const columns = [
    col.accessor("title", {
      header: "Issue",
      enableSorting: false,
      cell: (c) => (
        <div className="max-w-md whitespace-normal">
          <p className="font-medium text-gray-900">{c.getValue()}</p>
          <p className="mt-0.5 truncate font-mono text-xs text-gray-500">{c.row.original.culprit ?? "—"}</p>
          <div className="mt-1 flex gap-1.5">
            <Pill tone={levelTone(c.row.original.level)}>{c.row.original.level}</Pill>
            {c.row.original.substatus === "regressed" && <Pill tone="purple">regressed</Pill>}
            {c.row.original.substatus === "new" && <Pill tone="blue">new</Pill>}
            {c.row.original.lastRelease && <Pill>{c.row.original.lastRelease}</Pill>}
          </div>
        </div>
      ),
    }),
    col.display({
      id: "trend",
      header: "Trend",
      cell: (c) => (
        <SparkBarChart
          className="h-8 w-28"
          data={c.row.original.sparkline.map((p, i) => ({ i: String(i), n: p.value }))}
          index="i"
          categories={["n"]}
          colors={["rose"]}
        />
      ),
    }),
    col.accessor("count", { header: "Events", cell: (c) => fmtCount(c.getValue()), meta: { numeric: true } }),
    col.accessor("usersAffected", { header: "Users", cell: (c) => fmtCount(c.getValue()), meta: { numeric: true } }),
    col.accessor("firstSeen", { header: "First seen", cell: (c) => <Time value={c.getValue()} relative />, sortingFn: "datetime" }),
    col.accessor("lastSeen", { header: "Last seen", cell: (c) => <Time value={c.getValue()} relative />, sortingFn: "datetime" }),
    col.display({
      id: "actions",
      header: "",
      cell: (c) => <TriageButtons size="sm" groupId={c.row.original.id} status={c.row.original.status} title={c.row.original.title} />,
    }),
  ];
  return (
    <>
      <DashboardToolbar>
        <UrlSelect param="level" label="Level" options={[...LEVELS]} />
        <UrlSelect param="env" label="Environment" options={ENVIRONMENTS} />
        <UrlText param="release" label="Release" placeholder="Release" className="w-32" />
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      <Panel
        title="Error groups"
        description="Events grouped by fingerprint; counts and users are for the selected range"
        actions={
          <nav aria-label="Error status" className="flex gap-1 rounded-lg bg-gray-100 p-1">
            {STATUSES.map((s) => (
              <button
                key={s.key}
                type="button"
                role="tab"
                aria-selected={s.key === status}
                onClick={() => set({ status: s.key === "unresolved" ? null : s.key })}
                className={`rounded-md px-3 py-1 text-sm font-medium ${s.key === status ? "bg-white text-gray-900 shadow-sm" : "text-gray-500 hover:text-gray-800"}`}
              >
                {s.label}
              </button>
            ))}
          </nav>
        }
      >
        {!q.data ? (
          <TableSkeleton />
        ) : groups.length === 0 ? (
          <NoData title={`No ${status} errors in this range`} compact={status !== "unresolved"}>
            {status === "unresolved"
              ? "Nothing is failing here — or no errors have been sent yet. Send error events (type “error”, with exception.values) from your app:"
              : "Groups you move here show up in this tab."}
          </NoData>
        ) : (
          <DataTable
            label="Error groups"
            data={groups}
            columns={columns}
            initialSort={[{ id: "count", desc: true }]}
            rowTestId="error-group-row"
            onRowClick={(g) => router.push(`${href(`errors/${g.id}`)}${keep ? `?${keep}` : ""}`)}
          />
        )}
      </Panel>
    </>
  );
}
