"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { BarChart, BarList } from "@tremor/react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { bucketLabel, fmtCount } from "./format";
import { ChartSkeleton, levelTone, Pill, TableSkeleton } from "./states";
import { StackTrace } from "./stack-trace";
import { DashboardToolbar } from "./toolbar";
import { TriageButtons } from "./triage";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

export function ErrorGroupDetail({ groupId }: { groupId: string }) {
  const trpc = useTRPC();
  const range = useTimeRange();
  const href = useProjectHref();
  const { params } = useUrlParams();
  const input = { ...useProjectInput(), from: range.from, to: range.to, timeZone: range.timeZone, groupId };
  const q = useQuery({ ...trpc.dashboards.errors.get.queryOptions(input), placeholderData: keepPreviousData, refetchInterval: range.refetchInterval });
  const d = q.data;
  const back = `${href("errors")}${params.toString() ? `?${params.toString()}` : ""}`;
  const latest = d?.latestEvent as Record<string, any> | null | undefined;
  const tagKeys = d ? [...new Set(d.tags.map((t) => t.key))] : [];
  return (
    <>
      <Link href={back} className="mb-3 inline-block text-sm text-gray-500 hover:text-gray-800">
        ← All errors
      </Link>
      <ErrorNotice error={q.error} />
      {!d ? (
        <TableSkeleton rows={8} />
      ) : (
        <div className="space-y-6">
          <div className="flex flex-wrap items-start justify-between gap-4">
            <div className="min-w-0">
              <h1 className="text-xl font-semibold text-gray-900">{d.group.title}</h1>
              <p className="mt-1 font-mono text-sm text-gray-500">{d.group.culprit ?? "—"}</p>
              <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-gray-500">
                <Pill tone={levelTone(d.group.level)}>{d.group.level}</Pill>
                <Pill tone={d.group.status === "resolved" ? "green" : d.group.status === "ignored" ? "gray" : "red"}>{d.group.status}</Pill>
                {d.group.substatus !== "ongoing" && <Pill tone="purple">{d.group.substatus}</Pill>}
                <span>{fmtCount(d.group.count)} events all-time</span>
                <span>
                  · first seen <Time value={d.group.firstSeen} relative />
                </span>
                <span>
                  · last seen <Time value={d.group.lastSeen} relative />
                </span>
                {d.group.firstRelease && <span>· first in {d.group.firstRelease}</span>}
              </div>
            </div>
            <TriageButtons groupId={groupId} status={d.group.status} title={d.group.title} />
          </div>
          <DashboardToolbar />
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <Panel title="Occurrences" description="Events per bucket in the selected range">
                {q.isPending ? (
                  <ChartSkeleton />
                ) : (
                  <BarChart
                    className="h-48"
                    data={d.occurrences.map((o) => ({ t: bucketLabel(o.t), Events: o.value }))}
                    index="t"
                    categories={["Events"]}
                    colors={["rose"]}
                    showLegend={false}
                    showAnimation={false}
                    yAxisWidth={40}
                    allowDecimals={false}
                  />
                )}
              </Panel>
            </div>
            <Panel title="Releases and environments">
              <BarList data={d.releases.map((r) => ({ name: r.release ?? "(none)", value: r.count }))} valueFormatter={fmtCount} color="violet" />
              <div className="mt-4 border-t border-gray-100 pt-4">
                <BarList data={d.environments.map((r) => ({ name: r.environment ?? "(none)", value: r.count }))} valueFormatter={fmtCount} color="cyan" />
              </div>
            </Panel>
          </div>
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <Panel
                title="Latest event"
                description={
                  latest ? (
                    <>
                      At <Time value={latest.time} /> · {latest.service ?? "unknown service"} · {latest.environment ?? "no environment"} ·{" "}
                      {latest.release ?? "no release"}
                    </>
                  ) : undefined
                }
                actions={
                  latest?.traceId ? (
                    <Link className="text-sm font-medium text-blue-600 hover:underline" href={href(`traces/${latest.traceId}`)}>
                      View trace →
                    </Link>
                  ) : undefined
                }
              >
                {latest ? <StackTrace exception={latest.exception} /> : <p className="text-sm text-gray-500">No events stored for this group.</p>}
              </Panel>
            </div>
            <Panel title="Tags" description="Share of the events in range with each value">
              {tagKeys.length === 0 ? (
                <p className="text-sm text-gray-500">No tags.</p>
              ) : (
                <dl className="space-y-3 text-sm">
                  {tagKeys.map((k) => {
                    const values = d.tags.filter((t) => t.key === k);
                    const total = values.reduce((a, t) => a + t.count, 0);
                    return (
                      <div key={k}>
                        <dt className="font-mono text-xs font-semibold text-gray-700">{k}</dt>
                        {values.slice(0, 4).map((t) => (
                          <dd key={t.value} className="mt-1">
                            <div className="flex justify-between text-xs text-gray-600">
                              <span className="truncate">{t.value}</span>
                              <span>{Math.round((t.count / total) * 100)}%</span>
                            </div>
                            <div className="mt-0.5 h-1.5 rounded bg-gray-100">
                              <div className="h-1.5 rounded bg-violet-400" style={{ width: `${(t.count / total) * 100}%` }} />
                            </div>
                          </dd>
                        ))}
                      </div>
                    );
                  })}
                </dl>
              )}
            </Panel>
          </div>
          <Panel title="Recent events">
            <table aria-label="Recent events" className="min-w-full text-sm">
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                  <th className="py-2">Time</th>
                  <th>Message</th>
                  <th>Release</th>
                  <th>User</th>
                  <th>Trace</th>
                </tr>
              </thead>
              <tbody>
                {(d.recentEvents as Array<Record<string, any>>).map((e) => (
                  <tr key={e.id} className="border-t border-gray-100">
                    <td className="py-2 pr-3 text-gray-500">
                      <Time value={e.time} />
                    </td>
                    <td className="max-w-md truncate pr-3">{e.message ?? e.title}</td>
                    <td className="pr-3 text-gray-500">{e.release ?? "—"}</td>
                    <td className="pr-3 font-mono text-xs text-gray-500">{e.userId ?? "—"}</td>
                    <td>
                      {e.traceId ? (
                        <Link className="font-mono text-xs text-blue-600 hover:underline" href={href(`traces/${e.traceId}`)}>
                          {String(e.traceId).slice(0, 10)}…
                        </Link>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        </div>
      )}
    </>
  );
}
