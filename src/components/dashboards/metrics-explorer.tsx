"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LineChart } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { METRIC_AGGREGATIONS } from "@/server/vocabulary";
import { bucketLabel } from "./format";
import { FirstMetric } from "./metrics-first";
import { ChartSkeleton, Pill, TableSkeleton } from "./states";
import { DashboardToolbar, UrlText } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

type Kind = keyof typeof METRIC_AGGREGATIONS;
const KINDS = Object.keys(METRIC_AGGREGATIONS) as Kind[];
const AGG_LABEL: Record<string, string> = {
  increase: "Increase",
  rate: "Rate per second",
  last: "Last",
  avg: "Average",
  min: "Min",
  max: "Max",
  count: "Count",
};
const inputClass = "rounded-md border-0 py-1.5 px-2.5 text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-blue-600";
const fmt = (n: number | null | undefined) => (n == null ? "—" : Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(4)).toString());

/** `route=/a, method=GET` → attribute filters (the URL keeps the text as typed). */
function parseFilters(text: string | undefined) {
  return (text ?? "")
    .split(",")
    .map((part) => part.split("="))
    .filter((kv) => kv.length >= 2 && kv[0]!.trim())
    .map(([k, ...v]) => ({ key: k!.trim(), value: v.join("=").trim() }))
    .slice(0, 5);
}

const groupLabel = (labels: Record<string, string> | null, key: string) =>
  labels === null
    ? key
    : Object.keys(labels).length === 0
      ? "all"
      : Object.entries(labels)
          .map(([k, v]) => `${k}=${v || "∅"}`)
          .join(" · ");

function MetricPicker({
  range,
  selected,
  onPick,
}: {
  range: { from: Date; to: Date; timeZone: string };
  selected?: string;
  onPick: (m: { name: string; kind: Kind }) => void;
}) {
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const names = useQuery({
    ...trpc.dashboards.metrics.names.queryOptions({ ...useProjectInput(), ...range, q: q || undefined }),
    placeholderData: keepPreviousData,
  });
  return (
    <Panel title="Metrics" description="Names seen in the range">
      <input
        type="search"
        aria-label="Search metrics"
        placeholder="Search metric names"
        className={`mb-3 w-full ${inputClass}`}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <ErrorNotice error={names.error} />
      {!names.data ? (
        <TableSkeleton />
      ) : (
        <ul aria-label="Metric names" className="max-h-96 space-y-1 overflow-y-auto">
          {names.data.map((m) => (
            <li key={`${m.name}/${m.kind}/${m.unit}`}>
              <button
                type="button"
                aria-pressed={m.name === selected}
                onClick={() => onPick({ name: m.name, kind: m.kind as Kind })}
                className={`w-full rounded px-2 py-1.5 text-left text-sm hover:bg-gray-50 focus:outline-none focus:ring-2 focus:ring-blue-600 ${m.name === selected ? "bg-blue-50" : ""}`}
              >
                <span className="block truncate font-mono text-xs text-gray-900">{m.name}</span>
                <span className="mt-0.5 flex gap-1">
                  <Pill tone="blue">{m.metricType}</Pill>
                  {m.unit ? <Pill>{m.unit}</Pill> : null}
                </span>
              </button>
            </li>
          ))}
          {names.data.length === 0 && <li className="text-sm text-gray-500">No metric matches.</li>}
        </ul>
      )}
    </Panel>
  );
}

export function MetricsExplorer() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get, set } = useUrlParams();
  const project = useProjectInput();
  const href = useProjectHref();
  const span = { from: range.from, to: range.to, timeZone: range.timeZone };
  const name = get("metric");
  const kind = (KINDS.includes(get("kind") as Kind) ? get("kind") : "counter") as Kind;
  const aggregations = METRIC_AGGREGATIONS[kind] as readonly string[];
  const aggregation = aggregations.includes(get("agg") ?? "") ? get("agg")! : aggregations[0]!;
  const groupBy = (get("group") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 2);
  const filters = parseFilters(get("where"));
  const top = Number(get("top") ?? 5) || 5;
  const names = useQuery(trpc.dashboards.metrics.names.queryOptions({ ...project, ...span, limit: 1 }));
  const keys = useQuery({ ...trpc.dashboards.metrics.attributeKeys.queryOptions({ ...project, ...span, name: name ?? "" }), enabled: !!name });
  const q = useQuery({
    ...trpc.dashboards.metrics.explore.queryOptions({ ...project, ...span, name: name ?? "", kind, aggregation: aggregation as never, filters, groupBy, top }),
    enabled: !!name,
    placeholderData: keepPreviousData,
    refetchInterval: range.refetchInterval,
  });
  const d = q.data;
  const labels = new Map(d?.groups.map((g) => [g.key, groupLabel(g.labels, g.key)]) ?? []);
  const rows =
    d?.points.map((p) => ({ t: bucketLabel(p.t, d.range.step), ...Object.fromEntries(Object.entries(p.values).map(([k, v]) => [labels.get(k) ?? k, v])) })) ??
    [];
  const setGroup = (i: number, key: string) => {
    const next = [...groupBy];
    if (key) next[i] = key;
    else next.splice(i, 1);
    set({ group: [...new Set(next.filter(Boolean))].join(",") || null });
  };
  if (names.data && names.data.length === 0 && !name)
    return (
      <>
        <DashboardToolbar />
        <FirstMetric />
      </>
    );
  return (
    <>
      <DashboardToolbar>
        {name && (
          <>
            <label className="inline-flex items-center gap-1.5 text-sm text-gray-600">
              <span>Aggregation</span>
              <select aria-label="Aggregation" className={inputClass} value={aggregation} onChange={(e) => set({ agg: e.target.value })}>
                {aggregations.map((a) => (
                  <option key={a} value={a}>
                    {AGG_LABEL[a] ?? a}
                  </option>
                ))}
              </select>
            </label>
            {[0, 1].map(
              (i) =>
                (i === 0 || groupBy[0]) && (
                  <label key={i} className="inline-flex items-center gap-1.5 text-sm text-gray-600">
                    <span>{i === 0 ? "Group by" : "then by"}</span>
                    <select
                      aria-label={i === 0 ? "Group by" : "Then group by"}
                      className={inputClass}
                      value={groupBy[i] ?? ""}
                      onChange={(e) => setGroup(i, e.target.value)}
                    >
                      <option value="">{i === 0 ? "Nothing" : "—"}</option>
                      {[...new Set([...(keys.data?.map((k) => k.key) ?? []), ...groupBy])].map((k) => (
                        <option key={k} value={k}>
                          {k}
                        </option>
                      ))}
                    </select>
                  </label>
                ),
            )}
            <UrlText param="where" label="Attribute filter" placeholder="key=value, key=value" className="w-56" />
          </>
        )}
      </DashboardToolbar>
      <div className="grid gap-6 lg:grid-cols-4">
        <MetricPicker range={span} selected={name} onPick={(m) => set({ metric: m.name, kind: m.kind, agg: null, group: null, where: null })} />
        <div className="space-y-6 lg:col-span-3">
          {!name ? (
            <p className="text-sm text-gray-500">Pick a metric to chart it.</p>
          ) : (
            <>
              <ErrorNotice error={q.error} />
              <Panel
                title={name}
                description={d ? `${AGG_LABEL[aggregation] ?? aggregation} per ${d.range.step} · ${d.range.timeZone}` : undefined}
                actions={
                  <Link
                    className="text-sm font-medium text-blue-600 hover:underline"
                    href={href("alerts/rules/new", { metric: name, kind, agg: aggregation, where: get("where") })}
                  >
                    Create alert rule
                  </Link>
                }
              >
                {!d ? (
                  <ChartSkeleton />
                ) : d.points.length === 0 ? (
                  <p className="text-sm text-gray-500">No points match this range and filter.</p>
                ) : (
                  <LineChart
                    data-testid="metric-chart"
                    className="h-64"
                    data={rows}
                    index="t"
                    categories={[...labels.values()]}
                    showAnimation={false}
                    yAxisWidth={56}
                    valueFormatter={fmt}
                    connectNulls
                  />
                )}
              </Panel>
              <Panel title="Series" description={`Top ${top} groups over the whole range; the rest folded into “(other)”`}>
                {!d ? (
                  <TableSkeleton />
                ) : (
                  <table aria-label="Series" className="min-w-full text-sm">
                    <thead>
                      <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                        <th className="py-2">Series</th>
                        <th className="text-right">{AGG_LABEL[aggregation] ?? aggregation}</th>
                        <th className="text-right">Points</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.series.map((s) => (
                        <tr key={s.key} className="border-t border-gray-100" data-testid="series-row">
                          <td className="py-2 font-mono text-xs">{groupLabel(s.labels, s.key)}</td>
                          <td className="text-right tabular-nums">{fmt(s.value)}</td>
                          <td className="text-right tabular-nums text-gray-500">{s.points ?? "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Panel>
            </>
          )}
        </div>
      </div>
    </>
  );
}
