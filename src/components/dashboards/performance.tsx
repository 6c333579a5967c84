"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { AreaChart, DonutChart, LineChart } from "@tremor/react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { DataTable } from "./data-table";
import { bucketLabel, fmtCount, fmtMs, fmtPct } from "./format";
import { ENVIRONMENTS } from "./overview";
import { ChartSkeleton, NoData, Pill, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect, UrlText } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

type Endpoint = { route: string | null; method: string; count: number; errorRate: number | null; p50: number | null; p95: number | null; p99: number | null };
const col = createColumnHelper<Endpoint>();

const statusTone = (s: number) => (s >= 500 ? "red" : s >= 400 ? "amber" : "green");

export function PerformanceDashboard() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get, set } = useUrlParams();
  const href = useProjectHref();
  const filters = Object.fromEntries(
    [
      ["environment", get("env")],
      ["service", get("service")],
      ["route", get("route")],
      ["method", get("method")],
    ].filter(([, v]) => v),
  );
  const input = { ...useProjectInput(), from: range.from, to: range.to, timeZone: range.timeZone, filters };
  const q = useQuery({ ...trpc.dashboards.performance.queryOptions(input), placeholderData: keepPreviousData, refetchInterval: range.refetchInterval });
  const d = q.data;
  const rows =
    d?.overTime.map((p) => ({
      t: bucketLabel(p.t, d.range.step),
      "Requests/s": p.throughputPerSecond,
      Requests: p.requests,
      p50: p.p50,
      p95: p.p95,
      p99: p.p99,
    })) ?? [];
  const columns = [
    col.accessor("route", {
      header: "Endpoint",
      cell: (c) => (
        <button
          type="button"
          className="text-left font-mono text-xs text-blue-700 hover:underline"
          onClick={() => set({ route: c.getValue() ?? null, method: c.row.original.method })}
        >
          <span className="mr-2 font-semibold text-gray-500">{c.row.original.method}</span>
          {c.getValue() ?? "(no route)"}
        </button>
      ),
    }),
    col.accessor("count", { header: "Requests", cell: (c) => fmtCount(c.getValue()), meta: { numeric: true } }),
    col.accessor("errorRate", {
      header: "Error rate",
      cell: (c) => <span className={(c.getValue() ?? 0) > 0.05 ? "text-red-600" : ""}>{fmtPct(c.getValue())}</span>,
      meta: { numeric: true },
    }),
    col.accessor("p50", { header: "p50", cell: (c) => fmtMs(c.getValue()), meta: { numeric: true } }),
    col.accessor("p95", { header: "p95", cell: (c) => fmtMs(c.getValue()), meta: { numeric: true } }),
    col.accessor("p99", { header: "p99", cell: (c) => fmtMs(c.getValue()), meta: { numeric: true } }),
  ];
  const total = d?.overTime.reduce((a, p) => a + p.requests, 0) ?? 0;
  return (
    <>
      <DashboardToolbar>
        <UrlSelect param="env" label="Environment" options={ENVIRONMENTS} />
        <UrlSelect param="method" label="Method" options={["GET", "POST", "PUT", "PATCH", "DELETE"]} />
        <UrlText param="route" label="Route" placeholder="Route template, e.g. /api/chat" />
        <UrlText param="service" label="Service" placeholder="Service" className="w-32" />
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      {d && total === 0 ? (
        <NoData>No HTTP requests match this range and these filters. Send request events (type “request”) from your app:</NoData>
      ) : (
        <div className="space-y-6">
          <div className="grid gap-6 lg:grid-cols-2">
            <Panel
              title="Throughput"
              description={d ? `Requests per second, ${d.range.step} buckets · ${fmtCount(total)} requests in range` : "Requests per second"}
            >
              {!d ? (
                <ChartSkeleton />
              ) : (
                <AreaChart
                  data-testid="throughput-chart"
                  className="h-56"
                  data={rows}
                  index="t"
                  categories={["Requests/s"]}
                  colors={["blue"]}
                  showLegend={false}
                  showAnimation={false}
                  yAxisWidth={48}
                  valueFormatter={(n) => n.toFixed(n < 10 ? 2 : 0)}
                />
              )}
            </Panel>
            <Panel title="Latency percentiles" description="p50 / p95 / p99 per bucket (DDSketch, ≤1% relative error)">
              {!d ? (
                <ChartSkeleton />
              ) : (
                <LineChart
                  className="h-56"
                  data={rows}
                  index="t"
                  categories={["p50", "p95", "p99"]}
                  colors={["emerald", "amber", "rose"]}
                  showAnimation={false}
                  yAxisWidth={56}
                  valueFormatter={fmtMs}
                  connectNulls
                />
              )}
            </Panel>
          </div>
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <Panel title="Endpoints" description="Click a column to sort, an endpoint to filter by it">
                {!d ? (
                  <TableSkeleton />
                ) : (
                  <DataTable label="Endpoints" data={d.endpoints} columns={columns} initialSort={[{ id: "count", desc: true }]} rowTestId="endpoint-row" />
                )}
              </Panel>
            </div>
            <Panel title="Status classes">
              {!d ? (
                <ChartSkeleton />
              ) : (
                <>
                  <DonutChart
                    className="h-44"
                    data={d.statusClasses}
                    category="count"
                    index="statusClass"
                    colors={["emerald", "blue", "amber", "rose", "gray"]}
                    valueFormatter={fmtCount}
                    showAnimation={false}
                  />
                  <ul className="mt-4 space-y-1 text-sm">
                    {d.statusClasses.map((c) => (
                      <li key={c.statusClass} className="flex justify-between">
                        <span className="text-gray-600">{c.statusClass}</span>
                        <span className="tabular-nums">{fmtCount(c.count)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Panel>
          </div>
          <Panel title="Slowest requests" description="The slowest individual requests in the range">
            {!d ? (
              <TableSkeleton />
            ) : (
              <div className="overflow-x-auto">
                <table aria-label="Slowest requests" className="min-w-full text-sm">
                  <thead>
                    <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                      <th className="py-2">Time</th>
                      <th>Request</th>
                      <th>Status</th>
                      <th className="text-right">Duration</th>
                      <th className="pl-4">Trace</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.slowest.map((r) => (
                      <tr key={r.id} className="border-t border-gray-100">
                        <td className="py-2 pr-3 text-gray-500">
                          <Time value={r.time} />
                        </td>
                        <td className="pr-3 font-mono text-xs">
                          <span className="mr-2 font-semibold text-gray-500">{r.method}</span>
                          {r.path}
                        </td>
                        <td className="pr-3">
                          <Pill tone={statusTone(r.status)}>{r.status}</Pill>
                        </td>
                        <td className="text-right tabular-nums">{fmtMs(r.durationMs)}</td>
                        <td className="pl-4">
                          {r.traceId ? (
                            <Link className="font-mono text-xs text-blue-600 hover:underline" href={href(`traces/${r.traceId}`)}>
                              {String(r.traceId).slice(0, 10)}…
                            </Link>
                          ) : (
                            <span className="text-gray-300">—</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Panel>
        </div>
      )}
    </>
  );
}
