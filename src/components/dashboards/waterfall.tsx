"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { fmtMs, fmtTokens, fmtUsd } from "./format";
import { levelTone, Pill, TableSkeleton } from "./states";
import { useProjectHref, useProjectInput } from "./use-project";

type Span = Record<string, any> & {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startTime: Date;
  endTime: Date;
  durationMs: number;
  status: string;
};

/** Spans in depth-first order with their depth; orphans (parent not in the trace) start at the root. */
function flatten(spans: Span[]): Array<{ span: Span; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, Span[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: Array<{ span: Span; depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const s of (children.get(parent) ?? []).sort((a, b) => new Date(a.startTime).getTime() - new Date(b.startTime).getTime())) {
      out.push({ span: s, depth });
      walk(s.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

const SERVICE_COLORS = ["bg-blue-500", "bg-violet-500", "bg-emerald-500", "bg-amber-500", "bg-cyan-500", "bg-fuchsia-500"];

export function TraceView({ traceId }: { traceId: string }) {
  const trpc = useTRPC();
  const href = useProjectHref();
  const q = useQuery(trpc.dashboards.explore.trace.queryOptions({ ...useProjectInput(), traceId }));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const t = q.data;
  const rows = useMemo(() => flatten((t?.spans ?? []) as Span[]), [t]);
  const services = [...new Set(rows.map((r) => r.span.service ?? ""))];
  const start = t?.startTime ? new Date(t.startTime).getTime() : 0;
  const total = Math.max(1, t?.durationMs ?? 1);
  const selected = rows.find((r) => r.span.spanId === selectedId)?.span ?? rows[0]?.span;
  return (
    <>
      <Link href={href("traces")} className="mb-3 inline-block text-sm text-gray-500 hover:text-gray-800">
        ← All traces
      </Link>
      <ErrorNotice error={q.error} />
      {!t ? (
        q.isPending ? (
          <TableSkeleton rows={10} />
        ) : null
      ) : (
        <div className="space-y-6">
          <div>
            <h1 className="text-xl font-semibold text-gray-900">{rows[0]?.span.name ?? "Trace"}</h1>
            <p className="mt-1 text-sm text-gray-500">
              <span className="font-mono">{t.traceId}</span> · {rows.length} spans · {fmtMs(t.durationMs)} · started <Time value={t.startTime} />
            </p>
          </div>
          <Panel title="Waterfall" description="Click a span for its attributes and events">
            <div className="relative" role="tree" aria-label="Spans">
              <div className="mb-2 flex text-[11px] text-gray-400">
                <span className="w-2/5" />
                <div className="flex flex-1 justify-between">
                  <span>0</span>
                  <span>{fmtMs(total / 2)}</span>
                  <span>{fmtMs(total)}</span>
                </div>
              </div>
              {rows.map(({ span, depth }) => {
                const left = ((new Date(span.startTime).getTime() - start) / total) * 100;
                const width = Math.max(0.4, (Number(span.durationMs) / total) * 100);
                const color = span.status === "error" ? "bg-red-500" : SERVICE_COLORS[services.indexOf(span.service ?? "") % SERVICE_COLORS.length];
                return (
                  <button
                    key={span.spanId}
                    type="button"
                    role="treeitem"
                    aria-selected={selected?.spanId === span.spanId}
                    data-testid="span-row"
                    onClick={() => setSelectedId(span.spanId)}
                    className={`flex w-full items-center py-1 text-left text-xs hover:bg-gray-50 ${selected?.spanId === span.spanId ? "bg-blue-50" : ""}`}
                  >
                    <span className="flex w-2/5 min-w-0 items-center gap-1.5 pr-2" style={{ paddingLeft: depth * 14 }}>
                      {depth > 0 && <span className="text-gray-300">└</span>}
                      <span className={`h-2 w-2 shrink-0 rounded-full ${color}`} />
                      <span className="truncate font-medium text-gray-800">{span.name}</span>
                      <span className="shrink-0 text-gray-400">{span.service}</span>
                    </span>
                    <span className="relative h-4 flex-1 rounded bg-gray-50">
                      <span className={`absolute top-0.5 h-3 rounded-sm ${color}`} style={{ left: `${left}%`, width: `${width}%` }} />
                      <span className="absolute top-0 whitespace-nowrap pl-1 text-[11px] text-gray-600" style={{ left: `${Math.min(left + width, 88)}%` }}>
                        {fmtMs(Number(span.durationMs))}
                      </span>
                    </span>
                  </button>
                );
              })}
            </div>
          </Panel>
          {selected && (
            <Panel
              title={`Span: ${selected.name}`}
              description={`${selected.kind} · ${selected.service ?? "no service"} · ${fmtMs(Number(selected.durationMs))} · status ${selected.status}${selected.statusMessage ? ` (${selected.statusMessage})` : ""}`}
            >
              <div className="grid gap-6 lg:grid-cols-2">
                <div>
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-gray-500">Attributes</h3>
                  <dl className="mt-2 grid grid-cols-3 gap-x-3 gap-y-1 text-xs" data-testid="span-attributes">
                    {Object.entries((selected.attributes ?? {}) as Record<string, unknown>).map(([k, v]) => (
                      <div key={k} className="contents">
                        <dt className="truncate font-mono text-gray-500">{k}</dt>
                        <dd className="col-span-2 break-all font-mono text-gray-900">{typeof v === "object" ? JSON.stringify(v) : String(v)}</dd>
                      </div>
                    ))}
                  </dl>
                </div>
                <div>
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-gray-500">Events</h3>
                  {Array.isArray(selected.events) && selected.events.length ? (
                    <ul className="mt-2 space-y-2 text-xs">
                      {(selected.events as Array<Record<string, any>>).map((e, i) => (
                        <li key={i} className="rounded border border-gray-200 p-2">
                          <p className="font-medium text-gray-900">
                            {e.name} {e.timestamp && <span className="font-normal text-gray-400">+{fmtMs(new Date(e.timestamp).getTime() - start)}</span>}
                          </p>
                          {e.attributes && <pre className="mt-1 whitespace-pre-wrap break-all text-gray-600">{JSON.stringify(e.attributes, null, 2)}</pre>}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="mt-2 text-xs text-gray-400">No span events.</p>
                  )}
                </div>
              </div>
            </Panel>
          )}
          <div className="grid gap-6 lg:grid-cols-2">
            <Panel title={`Errors (${t.errors.length})`}>
              {t.errors.length === 0 ? (
                <p className="text-sm text-gray-500">No errors in this trace.</p>
              ) : (
                <ul className="space-y-2 text-sm">
                  {(t.errors as Array<Record<string, any>>).map((e) => (
                    <li key={e.id}>
                      <Link className="font-medium text-red-700 hover:underline" href={href(`errors/${e.groupId}`)}>
                        {e.title ?? e.message}
                      </Link>{" "}
                      <span className="text-xs text-gray-400">{e.culprit}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Panel>
            <Panel title={`LLM calls (${t.llmCalls.length})`}>
              {t.llmCalls.length === 0 ? (
                <p className="text-sm text-gray-500">No LLM calls in this trace.</p>
              ) : (
                <ul className="space-y-1.5 text-sm">
                  {(t.llmCalls as Array<Record<string, any>>).map((c) => (
                    <li key={c.id} className="flex justify-between gap-3" data-testid="trace-llm-call">
                      <span className="font-mono text-xs">{c.model}</span>
                      {/* Callers without spend:read get no costUsd from the server (traceWithoutSpend). */}
                      <span className="text-xs text-gray-500">
                        {fmtTokens(c.inputTokens)} in · {fmtTokens(c.outputTokens)} out · {fmtMs(c.latencyMs)}
                        {typeof c.costUsd === "number" ? ` · ${fmtUsd(c.costUsd)}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Panel>
          </div>
          <Panel title={`Logs (${t.logs.length})`}>
            {t.logs.length === 0 ? (
              <p className="text-sm text-gray-500">No logs carry this trace id.</p>
            ) : (
              <ul className="divide-y divide-gray-100 font-mono text-xs">
                {(t.logs as Array<Record<string, any>>).map((l) => (
                  <li key={l.id} className="flex gap-3 py-1">
                    <span className="text-gray-400">+{fmtMs(new Date(l.time).getTime() - start)}</span>
                    <Pill tone={levelTone(l.level)}>{l.level}</Pill>
                    <span className="truncate">{l.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        </div>
      )}
    </>
  );
}
