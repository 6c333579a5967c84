"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { SPAN_STATUSES } from "@/server/vocabulary";
import { fmtMs } from "./format";
import { NoData, Pill, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect, UrlText } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

const STATUSES = SPAN_STATUSES;

export function TracesExplorer() {
  const trpc = useTRPC();
  const router = useRouter();
  const range = useTimeRange();
  const { get } = useUrlParams();
  const href = useProjectHref();
  const status = STATUSES.find((s) => s === get("status"));
  const input = {
    ...useProjectInput(),
    from: range.from,
    to: range.to,
    ...(get("service") ? { service: get("service") } : {}),
    ...(status ? { status } : {}),
    ...(get("q") ? { q: get("q") } : {}),
    limit: 50,
  };
  const q = useInfiniteQuery({
    ...trpc.dashboards.explore.traces.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    placeholderData: keepPreviousData,
    refetchInterval: range.refetchInterval,
  });
  const rows = (q.data?.pages.flatMap((p) => p.items) ?? []) as Array<Record<string, any>>;
  const max = Math.max(1, ...rows.map((r) => Number(r.durationMs) || 0));
  return (
    <>
      <DashboardToolbar>
        <UrlText param="q" label="Root span name" placeholder="Root span name…" className="w-56" />
        <UrlText param="service" label="Service" placeholder="Service" className="w-32" />
        <UrlSelect param="status" label="Status" options={[...STATUSES]} />
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      <Panel title="Traces" description="Root spans, newest first">
        {q.isPending ? (
          <TableSkeleton rows={8} />
        ) : rows.length === 0 ? (
          <NoData>No traces in this range. Send spans (type “span”) or point an OpenTelemetry trace exporter at /api/v1/otlp/v1/traces:</NoData>
        ) : (
          <>
            <table aria-label="Traces" className="min-w-full text-sm">
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                  <th className="py-2">Root</th>
                  <th>Service</th>
                  <th>Started</th>
                  <th className="text-right">Spans</th>
                  <th className="w-1/4 pl-4">Duration</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={r.id}
                    data-testid="trace-row"
                    className="cursor-pointer border-t border-gray-100 hover:bg-blue-50/40"
                    onClick={() => router.push(href(`traces/${r.traceId}`))}
                  >
                    <td className="py-2 pr-3">
                      <p className="font-medium text-gray-900">{r.rootName}</p>
                      <p className="font-mono text-[11px] text-gray-400">{r.traceId}</p>
                    </td>
                    <td className="pr-3 text-gray-600">{r.service ?? "—"}</td>
                    <td className="pr-3 text-gray-500">
                      <Time value={r.startTime} />
                    </td>
                    <td className="text-right tabular-nums">{r.spanCount}</td>
                    <td className="pl-4">
                      <div className="flex items-center gap-2">
                        <div className="h-2 flex-1 rounded bg-gray-100">
                          <div
                            className={`h-2 rounded ${r.status === "error" ? "bg-red-400" : "bg-blue-400"}`}
                            style={{ width: `${Math.max(2, ((Number(r.durationMs) || 0) / max) * 100)}%` }}
                          />
                        </div>
                        <span className="w-16 text-right text-xs tabular-nums">{fmtMs(Number(r.durationMs))}</span>
                      </div>
                    </td>
                    <td className="pl-3">
                      <Pill tone={r.status === "error" ? "red" : r.status === "ok" ? "green" : "gray"}>{r.status}</Pill>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {q.hasNextPage && (
              <div className="mt-3 text-center">
                <Button variant="secondary" size="sm" loading={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
                  Load older traces
                </Button>
              </div>
            )}
          </>
        )}
      </Panel>
    </>
  );
}
