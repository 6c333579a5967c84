"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { AreaChart, LineChart } from "@tremor/react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { bucketLabel, fmtCount, fmtMs, fmtPct, fmtUsd } from "./format";
import { KpiCard } from "./kpi-card";
import { ChartSkeleton, NoData, Skeleton } from "./states";
import { DashboardToolbar, UrlSelect } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

export const ENVIRONMENTS = ["production", "staging", "development"];

export function OverviewDashboard() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get } = useUrlParams();
  const href = useProjectHref();
  const env = get("env");
  const input = { ...useProjectInput(), from: range.from, to: range.to, timeZone: range.timeZone, filters: env ? { environment: env } : {} };
  const q = useQuery({ ...trpc.dashboards.overview.queryOptions(input), placeholderData: keepPreviousData, refetchInterval: range.refetchInterval });
  const d = q.data;
  const empty = d && d.requests.value === 0 && d.activeUsers.value === 0 && d.openErrorGroups.value === 0 && !("spend" in d && d.spend.monthToDateUsd);
  const rows =
    d?.requests.sparkline.map((p, i) => ({
      t: bucketLabel(p.t, d.range.step),
      Requests: p.value ?? 0,
      "Error rate %": (d.errorRate.sparkline[i]?.value ?? 0) * 100,
      p50: d.latency.sparkline[i]?.p50 ?? null,
      p95: d.latency.sparkline[i]?.p95 ?? null,
      p99: d.latency.sparkline[i]?.p99 ?? null,
    })) ?? [];
  const latencySpark = (q: "p50" | "p95" | "p99") => d?.latency.sparkline.map((p) => ({ t: p.t, value: p[q] })) ?? [];
  return (
    <>
      <DashboardToolbar>
        <UrlSelect param="env" label="Environment" options={ENVIRONMENTS} />
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      {!d ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {Array.from({ length: 9 }, (_, i) => (
            <Skeleton key={i} className="h-32" />
          ))}
        </div>
      ) : (
        <div className="space-y-6">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="kpis">
            <KpiCard testId="kpi-requests" title="Requests" value={fmtCount(d.requests.value)} change={d.requests.change} sparkline={d.requests.sparkline} />
            <KpiCard
              testId="kpi-error-rate"
              title="Error rate"
              value={fmtPct(d.errorRate.value)}
              change={d.errorRate.change}
              sparkline={d.errorRate.sparkline}
              goodWhen="down"
              color="red"
            />
            <KpiCard
              testId="kpi-latency"
              title="Latency p95"
              value={fmtMs(d.latency.value.p95)}
              change={d.latency.change.p95}
              sparkline={latencySpark("p95")}
              goodWhen="down"
              color="amber"
            />
            <KpiCard
              testId="kpi-users"
              title="Active users"
              value={fmtCount(d.activeUsers.value)}
              change={d.activeUsers.change}
              sparkline={d.activeUsers.sparkline}
              color="violet"
            />
            <KpiCard
              testId="kpi-errors"
              title="Open error groups"
              value={fmtCount(d.openErrorGroups.value)}
              change={d.openErrorGroups.change}
              sparkline={d.openErrorGroups.sparkline}
              goodWhen="down"
              color="rose"
              hint="Unresolved groups with events in the range; the sparkline counts, per step, those that had events in that step"
            />
            <KpiCard
              testId="kpi-latency-p50"
              title="Latency p50"
              value={fmtMs(d.latency.value.p50)}
              change={d.latency.change.p50}
              sparkline={latencySpark("p50")}
              goodWhen="down"
              color="emerald"
            />
            <KpiCard
              testId="kpi-latency-p99"
              title="Latency p99"
              value={fmtMs(d.latency.value.p99)}
              change={d.latency.change.p99}
              sparkline={latencySpark("p99")}
              goodWhen="down"
              color="rose"
            />
            {"spend" in d && (
              <>
                <KpiCard
                  testId="kpi-spend-today"
                  title="LLM spend today"
                  value={fmtUsd(d.spend.todayUsd)}
                  change={d.spend.todayChange}
                  sparkline={d.spend.sparkline}
                  goodWhen="neutral"
                  color="emerald"
                  hint="Against yesterday up to the same time"
                />
                <KpiCard
                  testId="kpi-spend-mtd"
                  title="LLM spend month to date"
                  value={fmtUsd(d.spend.monthToDateUsd)}
                  change={d.spend.monthToDateChange}
                  sparkline={d.spend.sparkline}
                  goodWhen="neutral"
                  color="emerald"
                  hint="Against last month up to the same day"
                />
              </>
            )}
          </div>
          {empty ? (
            <NoData title="Send your first event">
              This project has no requests, errors, LLM calls or users in this range yet. Dashboards fill in as soon as it receives data:
            </NoData>
          ) : (
            <div className="grid gap-6 lg:grid-cols-2">
              <Panel
                title="Requests"
                description="Per bucket"
                actions={
                  <Link className="text-xs font-medium text-blue-600" href={href("performance")}>
                    Performance →
                  </Link>
                }
              >
                {q.isFetching && !rows.length ? (
                  <ChartSkeleton />
                ) : (
                  <AreaChart
                    className="h-56"
                    data={rows}
                    index="t"
                    categories={["Requests"]}
                    colors={["blue"]}
                    showLegend={false}
                    showAnimation={false}
                    yAxisWidth={48}
                    valueFormatter={fmtCount}
                  />
                )}
              </Panel>
              <Panel title="Latency" description="p50, p95 and p99 per bucket">
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
              </Panel>
            </div>
          )}
        </div>
      )}
    </>
  );
}
