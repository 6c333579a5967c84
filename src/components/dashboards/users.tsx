"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { BarChart, BarList } from "@tremor/react";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { bucketLabel, fmtCount, fmtUsd } from "./format";
import { ENVIRONMENTS } from "./overview";
import { ChartSkeleton, NoData, Skeleton, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectInput } from "./use-project";

export function UsersDashboard() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get } = useUrlParams();
  const env = get("env");
  const input = { ...useProjectInput(), from: range.from, to: range.to, timeZone: range.timeZone, filters: env ? { environment: env } : {} };
  const q = useQuery({ ...trpc.dashboards.users.queryOptions(input), placeholderData: keepPreviousData, refetchInterval: range.refetchInterval });
  const d = q.data;
  const stat = (label: string, value: number | undefined, testId: string) => (
    <section className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" aria-label={label} data-testid={testId}>
      <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</h3>
      {value === undefined ? (
        <Skeleton className="mt-2 h-8 w-20" />
      ) : (
        <p className="mt-2 text-2xl font-semibold tabular-nums text-gray-900" data-testid={`${testId}-value`}>
          {fmtCount(value)}
        </p>
      )}
    </section>
  );
  return (
    <>
      <DashboardToolbar>
        <UrlSelect param="env" label="Environment" options={ENVIRONMENTS} />
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      {d && d.activeInRange === 0 && d.featureUsage.length === 0 ? (
        <NoData>
          No user activity in this range. Set <code>userId</code> on requests, LLM calls and product events (type “event”) to see active users and feature
          usage:
        </NoData>
      ) : (
        <div className="space-y-6">
          <div className="grid gap-4 sm:grid-cols-3">
            {stat("Daily active users (last 24 h)", d?.dau, "users-dau")}
            {stat("Weekly active users (last 7 days)", d?.wau, "users-wau")}
            {stat("Active in range", d?.activeInRange, "users-range")}
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <Panel title="Daily active users" description="Distinct users with a request, LLM call or product event per day (your time zone)">
              {!d ? (
                <ChartSkeleton />
              ) : (
                <BarChart
                  data-testid="users-daily-chart"
                  className="h-56"
                  data={d.dailyActive.map((p) => ({ day: bucketLabel(p.t, "1 day"), Users: p.users }))}
                  index="day"
                  categories={["Users"]}
                  colors={["violet"]}
                  showLegend={false}
                  showAnimation={false}
                  allowDecimals={false}
                  yAxisWidth={40}
                />
              )}
            </Panel>
            <Panel
              title="Weekly active users"
              description="Distinct users per calendar week, Monday to Sunday in your time zone (the first week counted from its Monday)"
            >
              {!d ? (
                <ChartSkeleton />
              ) : (
                <BarChart
                  data-testid="users-weekly-chart"
                  className="h-56"
                  data={d.weeklyActive.map((p) => ({ week: `Week of ${bucketLabel(p.t, "1 day")}`, Users: p.users }))}
                  index="week"
                  categories={["Users"]}
                  colors={["indigo"]}
                  showLegend={false}
                  showAnimation={false}
                  allowDecimals={false}
                  yAxisWidth={40}
                />
              )}
            </Panel>
          </div>
          <div className="grid gap-6 lg:grid-cols-3">
            <Panel title="Top users by requests">
              {!d ? (
                <TableSkeleton />
              ) : (
                <BarList data={d.topByRequests.map((u) => ({ name: u.userId, value: u.requests }))} valueFormatter={fmtCount} color="blue" />
              )}
            </Panel>
            {d && "topBySpend" in d ? (
              <Panel title="Top users by LLM spend">
                <BarList
                  data-testid="top-by-spend"
                  data={d.topBySpend.map((u) => ({ name: `${u.userId} · ${fmtCount(u.calls)} calls`, value: u.costUsd }))}
                  valueFormatter={fmtUsd}
                  color="emerald"
                />
              </Panel>
            ) : d ? (
              <Panel title="Top users by LLM spend">
                <p className="text-sm text-gray-500" data-testid="spend-hidden">
                  Hidden: your role does not have the spend permission.
                </p>
              </Panel>
            ) : null}
            <Panel title="Feature usage" description="Product events by name, with distinct users">
              {!d ? (
                <TableSkeleton />
              ) : d.featureUsage.length === 0 ? (
                <p className="text-sm text-gray-500">
                  No product events. Send <code>{`{"type":"event","name":"…"}`}</code>.
                </p>
              ) : (
                <BarList
                  data={d.featureUsage.map((f) => ({ name: `${f.name} · ${fmtCount(f.users)} users`, value: f.count }))}
                  valueFormatter={fmtCount}
                  color="amber"
                />
              )}
            </Panel>
          </div>
        </div>
      )}
    </>
  );
}
