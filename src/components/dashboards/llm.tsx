"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { AreaChart, BarList } from "@tremor/react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { bucketLabel, fmtCount, fmtMs, fmtPct, fmtTokens, fmtUsd } from "./format";
import { ENVIRONMENTS } from "./overview";
import { ChartSkeleton, NoData, Skeleton, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect, UrlText } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

const BREAKDOWNS = [
  { value: "model", label: "Model", plural: "models" },
  { value: "provider", label: "Provider", plural: "providers" },
  { value: "feature", label: "Feature", plural: "features" },
  { value: "user", label: "User", plural: "users" },
] as const;
type Breakdown = (typeof BREAKDOWNS)[number]["value"];

/** Eight series keep their own colour; the last colour is everything else together. */
const SERIES_COLORS = ["emerald", "blue", "violet", "amber", "rose", "cyan", "fuchsia", "lime", "gray"];

/** One step of one key (model, provider, feature or user); `tokens` is absent for users, `costUsd` without spend. */
type SeriesPoint = { t: Date | string; key: string; calls: number; tokens?: number; costUsd?: number };

/**
 * Chart rows (one per step, one column per key) from a per-key series: the keys with the most cost
 * (or volume) keep their own colour, the rest — and the server's own remainder, `otherKey` — are
 * summed as `other`. Volume is tokens, or calls where tokens are not kept (users).
 */
function pivot(steps: Array<Date | string>, points: SeriesPoint[], step: string, other: string, otherKey: string | null) {
  const volume = (p: SeriesPoint) => p.tokens ?? p.calls;
  const totals = new Map<string, { cost: number; volume: number }>();
  for (const p of points) {
    if (p.key === otherKey) continue;
    const t = totals.get(p.key) ?? { cost: 0, volume: 0 };
    totals.set(p.key, { cost: t.cost + (p.costUsd ?? 0), volume: t.volume + volume(p) });
  }
  const ranked = [...totals.entries()].sort(([, a], [, b]) => b.cost - a.cost || b.volume - a.volume).map(([k]) => k);
  const shown = ranked.slice(0, SERIES_COLORS.length - 1);
  const hasOther = ranked.length > shown.length || points.some((p) => p.key === otherKey);
  const label = (key: string) => key || "(none)";
  const keys = [...shown.map(label), ...(hasOther ? [other] : [])];
  const column = (key: string) => (shown.includes(key) ? label(key) : other);
  const empty = () => Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;
  const costs = new Map(steps.map((t) => [new Date(t).getTime(), empty()]));
  const volumes = new Map(steps.map((t) => [new Date(t).getTime(), empty()]));
  for (const p of points) {
    const at = new Date(p.t).getTime();
    const c = costs.get(at);
    const v = volumes.get(at);
    if (c) c[column(p.key)]! += p.costUsd ?? 0;
    if (v) v[column(p.key)]! += volume(p);
  }
  const rows = (m: Map<number, Record<string, number>>) => steps.map((t) => ({ t: bucketLabel(t, step), ...m.get(new Date(t).getTime()) }));
  return { keys, cost: rows(costs), volume: rows(volumes) };
}

function Stat({ label, value, sub, note, testId }: { label: string; value: string; sub?: string; note?: string; testId?: string }) {
  return (
    <section className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" aria-label={label} data-testid={testId}>
      <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</h3>
      <p className="mt-2 text-2xl font-semibold tabular-nums text-gray-900">{value}</p>
      {sub && <p className="mt-1 text-xs text-gray-500">{sub}</p>}
      {note && <p className="mt-1 text-[11px] leading-snug text-gray-400">{note}</p>}
    </section>
  );
}

export function LlmDashboard() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get } = useUrlParams();
  const href = useProjectHref();
  const filters = Object.fromEntries(
    [
      ["environment", get("env")],
      ["model", get("model")],
      ["provider", get("provider")],
      ["feature", get("feature")],
    ].filter(([, v]) => v),
  );
  const by: Breakdown = BREAKDOWNS.find((b) => b.value === get("by"))?.value ?? "model";
  const breakdownOf = BREAKDOWNS.find((b) => b.value === by)!;
  const input = { ...useProjectInput(), from: range.from, to: range.to, timeZone: range.timeZone, filters };
  const q = useQuery({ ...trpc.dashboards.llm.queryOptions(input), placeholderData: keepPreviousData, refetchInterval: range.refetchInterval });
  // The per-model series comes with the page's query; other breakdowns have their own (kept per breakdown, never shown under another's title).
  const ot = useQuery({
    ...trpc.dashboards.llmOverTime.queryOptions({ ...input, by }),
    enabled: by !== "model",
    placeholderData: (previous) => (previous?.by === by ? previous : undefined),
    refetchInterval: range.refetchInterval,
  });
  const d = q.data;
  const spend = d && "costUsd" in d.total;
  const cost = (x: object) => ("costUsd" in x ? (x.costUsd as number) : 0);
  const series =
    by === "model"
      ? d && {
          tokens: true,
          otherKey: null,
          points: d.overTimeByModel.map(
            (p): SeriesPoint => ({
              t: p.t,
              key: p.model,
              calls: p.calls,
              tokens: p.tokens.input + p.tokens.output,
              ...("costUsd" in p ? { costUsd: p.costUsd } : {}),
            }),
          ),
        }
      : ot.data;
  const overTime =
    d && series
      ? pivot(
          d.overTime.map((p) => p.t),
          series.points,
          d.range.step,
          `other ${breakdownOf.plural}`,
          series.otherKey,
        )
      : null;
  const breakdown = !d
    ? []
    : by === "user"
      ? d.byUser.map((u) => ({ name: u.userId, calls: u.calls, cost: cost(u) }))
      : (by === "provider" ? d.byProvider : by === "feature" ? d.byFeature : d.byModel).map((r) => ({
          name: (by === "provider" ? r.provider : by === "feature" ? r.feature : r.model) ?? "(none)",
          calls: r.calls,
          cost: cost(r),
        }));
  const metric = spend ? "cost" : "calls";
  return (
    <>
      <DashboardToolbar>
        <UrlSelect param="env" label="Environment" options={ENVIRONMENTS} />
        <UrlSelect param="provider" label="Provider" options={(d?.byProvider ?? []).map((p) => p.provider ?? "").filter(Boolean)} />
        <UrlSelect param="model" label="Model" options={(d?.byModel ?? []).map((m) => m.model ?? "").filter(Boolean)} />
        <UrlText param="feature" label="Feature" placeholder="Feature tag" className="w-36" />
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      {d && d.total.calls === 0 ? (
        <NoData>No LLM calls in this range. Send events of type “llm” (model, tokens, latency) or OpenTelemetry GenAI spans:</NoData>
      ) : (
        <div className="space-y-6">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="llm-stats">
            {!d ? (
              Array.from({ length: 4 }, (_, i) => <Skeleton key={i} className="h-24" />)
            ) : (
              <>
                <Stat testId="llm-calls" label="Calls" value={fmtCount(d.total.calls)} sub={`${fmtPct(d.total.errorRate)} failed`} />
                <Stat
                  label="Tokens"
                  value={fmtTokens(d.total.tokens.input + d.total.tokens.output)}
                  sub={`${fmtTokens(d.total.tokens.input)} in (${fmtTokens(d.total.tokens.cachedInput)} cached) · ${fmtTokens(d.total.tokens.output)} out (${fmtTokens(d.total.tokens.reasoning)} reasoning)`}
                />
                {"costUsd" in d.total && (
                  <Stat
                    testId="llm-cost"
                    label="Cost"
                    value={fmtUsd(d.total.costUsd)}
                    sub={`${fmtUsd(d.total.costPerCallUsd)} per call · ${"costPerUserUsd" in d ? fmtUsd(d.costPerUserUsd) : "—"} per user`}
                    note={
                      "userCostUsd" in d
                        ? `Per user: ${fmtUsd(d.userCostUsd)} of calls with a user id ÷ ${fmtCount(d.usersWithCalls)} users who made them`
                        : undefined
                    }
                  />
                )}
                {"projection" in d && (
                  <section
                    className="rounded-lg border border-emerald-200 bg-emerald-50/40 p-4 shadow-sm"
                    aria-label="Month-end projection"
                    data-testid="llm-projection"
                  >
                    <h3 className="text-xs font-medium uppercase tracking-wide text-emerald-800">Month-end projection</h3>
                    <p className="mt-2 text-2xl font-semibold tabular-nums text-gray-900">{fmtUsd(d.projection.projectedMonthEndUsd)}</p>
                    <p className="mt-1 text-xs text-gray-600">
                      {fmtUsd(d.projection.monthToDateUsd)} so far · {fmtUsd(d.projection.dailyRunRateUsd)}/day
                    </p>
                    <p className="mt-1 text-[11px] leading-snug text-gray-500" data-testid="projection-method">
                      Method: {d.projection.method}
                    </p>
                  </section>
                )}
              </>
            )}
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3" data-testid="llm-breakdown-control">
            <h2 className="text-sm font-semibold text-gray-900">
              {spend ? "Cost and " : ""}
              {by === "user" ? "calls" : "tokens"} by {breakdownOf.label.toLowerCase()}
            </h2>
            <UrlSelect param="by" label="Break down by" options={BREAKDOWNS.slice(1)} allLabel="Model" />
          </div>
          <ErrorNotice error={ot.error} />
          <div className={`grid gap-6 ${spend ? "lg:grid-cols-3" : "lg:grid-cols-2"}`}>
            {spend && (
              <Panel
                title={`Cost over time by ${breakdownOf.label.toLowerCase()}`}
                description={
                  by === "user"
                    ? `USD per bucket for the ${SERIES_COLORS.length - 1} users with the most cost and all other calls together, those without a user id included`
                    : `USD per bucket, stacked by ${breakdownOf.label.toLowerCase()}; priced at ingest from the model price table`
                }
              >
                {!overTime ? (
                  <ChartSkeleton />
                ) : (
                  <AreaChart
                    data-testid="llm-cost-over-time"
                    className="h-56"
                    data={overTime.cost}
                    index="t"
                    categories={overTime.keys}
                    colors={SERIES_COLORS}
                    stack
                    showAnimation={false}
                    yAxisWidth={56}
                    valueFormatter={fmtUsd}
                  />
                )}
              </Panel>
            )}
            {by === "user" ? (
              <Panel
                title="Calls over time by user"
                description={`Calls per bucket for the ${SERIES_COLORS.length - 1} ${spend ? "costliest" : "busiest"} users and all other calls together, those without a user id included. Token counts are not kept per user, so this breakdown shows calls${spend ? " and cost" : ""}`}
              >
                {!overTime ? (
                  <ChartSkeleton />
                ) : (
                  <AreaChart
                    data-testid="llm-calls-over-time"
                    className="h-56"
                    data={overTime.volume}
                    index="t"
                    categories={overTime.keys}
                    colors={SERIES_COLORS}
                    stack
                    showAnimation={false}
                    yAxisWidth={56}
                    valueFormatter={fmtCount}
                  />
                )}
              </Panel>
            ) : (
              <Panel
                title={`Tokens over time by ${breakdownOf.label.toLowerCase()}`}
                description={`Input plus output tokens (cached and reasoning included), stacked by ${breakdownOf.label.toLowerCase()}`}
              >
                {!overTime ? (
                  <ChartSkeleton />
                ) : (
                  <AreaChart
                    data-testid="llm-tokens-over-time"
                    className="h-56"
                    data={overTime.volume}
                    index="t"
                    categories={overTime.keys}
                    colors={SERIES_COLORS}
                    stack
                    showAnimation={false}
                    yAxisWidth={56}
                    valueFormatter={fmtTokens}
                  />
                )}
              </Panel>
            )}
            <Panel title={`${spend ? "Cost" : "Calls"} by ${breakdownOf.label.toLowerCase()}`}>
              {!d ? (
                <TableSkeleton />
              ) : (
                <BarList
                  data-testid="llm-breakdown"
                  data={breakdown.slice(0, 12).map((b) => ({ name: `${b.name} · ${fmtCount(b.calls)} calls`, value: b[metric] }))}
                  valueFormatter={spend ? fmtUsd : fmtCount}
                  color="emerald"
                />
              )}
            </Panel>
          </div>
          <Panel title="Models" description="Latency and time to first token (p50 / p95), error rate and cost per call">
            {!d ? (
              <TableSkeleton />
            ) : (
              <div className="overflow-x-auto">
                <table aria-label="Models" className="min-w-full text-sm">
                  <thead>
                    <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                      <th className="py-2">Model</th>
                      <th>Provider</th>
                      <th className="text-right">Calls</th>
                      <th className="text-right">Error rate</th>
                      <th className="text-right">Latency p50 / p95</th>
                      <th className="text-right">TTFT p50 / p95</th>
                      {spend && (
                        <>
                          <th className="text-right">Cost</th>
                          <th className="text-right">Per call</th>
                        </>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {d.byModel.map((m) => {
                      const lat = d.latencyByModel.find((l) => l.model === m.model);
                      return (
                        <tr key={`${m.provider}/${m.model}`} className="border-t border-gray-100">
                          <td className="py-2 pr-3 font-mono text-xs font-medium text-gray-900">{m.model}</td>
                          <td className="pr-3 text-gray-500">{m.provider ?? "—"}</td>
                          <td className="text-right tabular-nums">{fmtCount(m.calls)}</td>
                          <td className={`text-right tabular-nums ${(m.errorRate ?? 0) > 0.02 ? "text-red-600" : ""}`}>{fmtPct(m.errorRate)}</td>
                          <td className="text-right tabular-nums">
                            {fmtMs(lat?.latencyMs.p50)} / {fmtMs(lat?.latencyMs.p95)}
                          </td>
                          <td className="text-right tabular-nums">
                            {fmtMs(lat?.ttftMs.p50)} / {fmtMs(lat?.ttftMs.p95)}
                          </td>
                          {"costUsd" in m && (
                            <>
                              <td className="text-right tabular-nums">{fmtUsd(m.costUsd as number)}</td>
                              <td className="text-right tabular-nums">{fmtUsd(m.costPerCallUsd as number | null)}</td>
                            </>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </Panel>
          {d && "mostExpensive" in d && (
            <Panel title="Most expensive calls">
              <table aria-label="Most expensive calls" className="min-w-full text-sm">
                <thead>
                  <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                    <th className="py-2">Time</th>
                    <th>Model</th>
                    <th>Feature</th>
                    <th>User</th>
                    <th className="text-right">Tokens in / out</th>
                    <th className="text-right">Latency</th>
                    <th className="text-right">Cost</th>
                    <th className="pl-4">Trace</th>
                  </tr>
                </thead>
                <tbody>
                  {(d.mostExpensive as Array<Record<string, any>>).map((c) => (
                    <tr key={c.id} className="border-t border-gray-100">
                      <td className="py-2 pr-3 text-gray-500">
                        <Time value={c.time} />
                      </td>
                      <td className="pr-3 font-mono text-xs">{c.model}</td>
                      <td className="pr-3 text-gray-600">{c.feature ?? "—"}</td>
                      <td className="pr-3 font-mono text-xs text-gray-500">{c.userId ?? "—"}</td>
                      <td className="text-right tabular-nums">
                        {fmtTokens(c.inputTokens)} / {fmtTokens(c.outputTokens)}
                      </td>
                      <td className="text-right tabular-nums">{fmtMs(c.latencyMs)}</td>
                      <td className="text-right font-medium tabular-nums">{fmtUsd(c.costUsd)}</td>
                      <td className="pl-4">
                        {c.traceId ? (
                          <Link className="font-mono text-xs text-blue-600 hover:underline" href={href(`traces/${c.traceId}`)}>
                            {String(c.traceId).slice(0, 10)}…
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
          )}
          {d && !spend && (
            <p className="text-xs text-gray-500" data-testid="spend-hidden">
              Spend figures are hidden: your role does not have the spend permission in this organisation.
            </p>
          )}
        </div>
      )}
    </>
  );
}
