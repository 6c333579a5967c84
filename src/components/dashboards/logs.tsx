"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { ENVIRONMENTS } from "./overview";
import { levelTone, NoData, Pill, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect, UrlText } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
type Level = (typeof LEVELS)[number];
type LogRow = Record<string, any> & { id: string; time: Date; level: string; message: string };

const TIME = new Intl.DateTimeFormat(undefined, { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 });

/** `key=value` from the URL's `attr` parameter. */
function parseAttr(attr: string | undefined): Record<string, string> | undefined {
  if (!attr || !attr.includes("=")) return undefined;
  const [key, ...rest] = attr.split("=");
  return key ? { [key.trim()]: rest.join("=").trim() } : undefined;
}

export function LogsExplorer() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get, set } = useUrlParams();
  const href = useProjectHref();
  const live = get("live") === "on";
  const [selected, setSelected] = useState<LogRow | null>(null);
  const level = LEVELS.find((l) => l === get("level"));
  const attributes = parseAttr(get("attr"));
  const input = {
    ...useProjectInput(),
    from: range.from,
    to: live ? new Date(range.to.getTime() + 3_600_000) : range.to,
    ...(get("q") ? { q: get("q") } : {}),
    ...(level ? { level: [level as Level] } : {}),
    ...(get("service") ? { service: get("service") } : {}),
    ...(get("env") ? { environment: get("env") } : {}),
    ...(get("trace") ? { traceId: get("trace") } : {}),
    ...(attributes ? { attributes } : {}),
    limit: 50,
  };
  const q = useInfiniteQuery({
    ...trpc.dashboards.explore.logs.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 3_000 : range.refetchInterval,
  });
  const rows = (q.data?.pages.flatMap((p) => p.items) ?? []) as LogRow[];
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && q.hasNextPage && !q.isFetchingNextPage) void q.fetchNextPage();
    }, { rootMargin: "200px" });
    io.observe(el);
    return () => io.disconnect();
  }, [q]);
  return (
    <>
      <DashboardToolbar>
        <UrlText param="q" label="Search logs" placeholder="Search messages…" className="w-64" />
        <UrlSelect param="level" label="Level" options={[...LEVELS]} />
        <UrlSelect param="env" label="Environment" options={ENVIRONMENTS} />
        <UrlText param="service" label="Service" placeholder="Service" className="w-28" />
        <UrlText param="trace" label="Trace id" placeholder="Trace id" className="w-32" />
        <UrlText param="attr" label="Attribute" placeholder="key=value" className="w-36" />
        <label className="inline-flex items-center gap-2 rounded-md bg-gray-900 px-2.5 py-1.5 text-sm text-white">
          <input type="checkbox" checked={live} onChange={(e) => set({ live: e.target.checked ? "on" : null })} className="h-3.5 w-3.5" />
          Live tail
          {live && <span className="h-2 w-2 animate-pulse rounded-full bg-emerald-400" aria-hidden />}
        </label>
      </DashboardToolbar>
      <ErrorNotice error={q.error} />
      <Panel title="Logs" description={live ? "Live: newest first, refreshed every 3 seconds" : "Newest first; scroll for older entries"}>
        {q.isPending ? <TableSkeleton rows={10} /> : rows.length === 0 ? (
          <NoData>No log lines match. Send events of type “log” or point an OpenTelemetry logs exporter at /api/v1/otlp/v1/logs:</NoData>
        ) : (
          <div className="-mx-5 -my-5 divide-y divide-gray-100 font-mono text-xs" role="table" aria-label="Logs">
            {rows.map((r) => (
              <button
                key={r.id}
                type="button"
                role="row"
                data-testid="log-row"
                onClick={() => setSelected(r)}
                className={`flex w-full items-start gap-3 px-5 py-1.5 text-left hover:bg-blue-50/50 ${selected?.id === r.id ? "bg-blue-50" : ""}`}
              >
                <span className="shrink-0 text-gray-400" suppressHydrationWarning>{TIME.format(new Date(r.time))}</span>
                <span className="w-12 shrink-0"><Pill tone={levelTone(r.level)}>{r.level}</Pill></span>
                <span className="w-24 shrink-0 truncate text-gray-500">{r.service ?? "—"}</span>
                <span className="min-w-0 flex-1 truncate text-gray-800">{r.message}</span>
              </button>
            ))}
            <div ref={sentinel} className="px-5 py-3 text-center font-sans text-xs text-gray-400">
              {q.isFetchingNextPage ? "Loading older logs…" : q.hasNextPage ? <Button variant="ghost" size="sm" onClick={() => q.fetchNextPage()}>Load older</Button> : "Start of range reached"}
            </div>
          </div>
        )}
      </Panel>
      {selected && <LogDrawer log={selected} onClose={() => setSelected(null)} traceHref={selected.traceId ? href(`traces/${selected.traceId}`) : undefined} errorsHref={href("errors")} />}
    </>
  );
}

function LogDrawer({ log, onClose, traceHref, errorsHref }: { log: LogRow; onClose: () => void; traceHref?: string; errorsHref: string }) {
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", esc);
    return () => window.removeEventListener("keydown", esc);
  }, [onClose]);
  const fields: Array<[string, unknown]> = [
    ["time", new Date(log.time).toISOString()], ["level", log.level], ["service", log.service], ["environment", log.environment],
    ["release", log.release], ["logger", log.logger], ["trace id", log.traceId], ["span id", log.spanId], ["user id", log.userId], ["request id", log.requestId],
  ];
  return (
    <aside role="dialog" aria-label="Log details" className="fixed inset-y-0 right-0 z-40 w-full max-w-xl overflow-y-auto border-l border-gray-200 bg-white p-6 shadow-2xl">
      <div className="flex items-start justify-between gap-4">
        <h2 className="text-sm font-semibold text-gray-900">Log details</h2>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close">✕</Button>
      </div>
      <pre className="mt-4 whitespace-pre-wrap break-words rounded-md bg-gray-900 p-3 text-xs text-gray-100">{log.message}</pre>
      <div className="mt-3 flex gap-4 text-sm">
        {traceHref && <Link href={traceHref} className="font-medium text-blue-600 hover:underline">View trace →</Link>}
        {(log.level === "error" || log.level === "fatal") && <Link href={traceHref ?? errorsHref} className="font-medium text-red-600 hover:underline">{traceHref ? "Errors in this trace →" : "Errors →"}</Link>}
      </div>
      <dl className="mt-5 grid grid-cols-3 gap-x-3 gap-y-1.5 text-xs">
        {fields.filter(([, v]) => v != null).map(([k, v]) => (
          <div key={k} className="contents"><dt className="text-gray-500">{k}</dt><dd className="col-span-2 break-all font-mono text-gray-900">{String(v)}</dd></div>
        ))}
      </dl>
      <h3 className="mt-6 text-xs font-semibold uppercase tracking-wide text-gray-500">Attributes</h3>
      <pre className="mt-2 overflow-x-auto rounded-md bg-gray-50 p-3 text-xs text-gray-800" data-testid="log-attributes">{JSON.stringify(log.attributes ?? {}, null, 2)}</pre>
      {Array.isArray(log.redactions) && log.redactions.length > 0 && <p className="mt-3 text-xs text-amber-700">Redacted at ingest: {log.redactions.join(", ")}</p>}
    </aside>
  );
}
