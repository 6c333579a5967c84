"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { LOG_LEVELS, type LogLevel } from "@/server/vocabulary";
import { ENVIRONMENTS } from "./overview";
import { levelTone, NoData, Pill, Skeleton, TableSkeleton } from "./states";
import { DashboardToolbar, UrlSelect, UrlText } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";
import { useProjectHref, useProjectInput } from "./use-project";

const LEVELS = LOG_LEVELS;
type Level = LogLevel;
type LogRow = {
  id: string;
  time: Date;
  level: string;
  message: string;
  logger: string | null;
  service: string | null;
  environment: string | null;
  release: string | null;
  traceId: string | null;
  spanId: string | null;
  userId: string | null;
  requestId: string | null;
  attributes: unknown;
  redactions: string[];
};
/** Time-range parameters a link from the drawer carries, so the error page shows the same period. */
const RANGE_PARAMS = ["range", "from", "to", "refresh"] as const;

const TIME = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
});

/** `key=value` from the URL's `attr` parameter. */
function parseAttr(attr: string | undefined): Record<string, string> | undefined {
  if (!attr || !attr.includes("=")) return undefined;
  const [key, ...rest] = attr.split("=");
  return key ? { [key.trim()]: rest.join("=").trim() } : undefined;
}

const LIVE_WINDOW_MOVE_MS = 10 * 60_000;

export function LogsExplorer() {
  const trpc = useTRPC();
  const range = useTimeRange();
  const { get, set } = useUrlParams();
  const live = get("live") === "on";
  const [selected, setSelected] = useState<LogRow | null>(null);
  const closeDrawer = useCallback(() => setSelected(null), []);
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
  // Live tail reads up to an hour past the page's clock; moving the clock now and then keeps new
  // lines inside the window however long the page stays open (a preset only; a custom range is fixed).
  const refreshRange = useRef(range.refresh);
  refreshRange.current = range.refresh;
  useEffect(() => {
    if (!live || range.fixed) return;
    const id = setInterval(() => refreshRange.current(), LIVE_WINDOW_MOVE_MS);
    return () => clearInterval(id);
  }, [live, range.fixed]);
  const q = useInfiniteQuery({
    ...trpc.dashboards.explore.logs.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 3_000 : range.refetchInterval,
  });
  const rows: LogRow[] = q.data?.pages.flatMap((p) => p.items) ?? [];
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && q.hasNextPage && !q.isFetchingNextPage) void q.fetchNextPage();
      },
      { rootMargin: "200px" },
    );
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
        {q.isPending ? (
          <TableSkeleton rows={10} />
        ) : rows.length === 0 ? (
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
                <span className="shrink-0 text-gray-400" suppressHydrationWarning>
                  {TIME.format(new Date(r.time))}
                </span>
                <span className="w-12 shrink-0">
                  <Pill tone={levelTone(r.level)}>{r.level}</Pill>
                </span>
                <span className="w-24 shrink-0 truncate text-gray-500">{r.service ?? "—"}</span>
                <span className="min-w-0 flex-1 truncate text-gray-800">{r.message}</span>
              </button>
            ))}
            <div ref={sentinel} className="px-5 py-3 text-center font-sans text-xs text-gray-400">
              {q.isFetchingNextPage ? (
                "Loading older logs…"
              ) : q.hasNextPage ? (
                <Button variant="ghost" size="sm" onClick={() => q.fetchNextPage()}>
                  Load older
                </Button>
              ) : (
                "Start of range reached"
              )}
            </div>
          </div>
        )}
      </Panel>
      {selected && <LogDrawer log={selected} onClose={closeDrawer} />}
    </>
  );
}

function LogDrawer({ log, onClose }: { log: LogRow; onClose: () => void }) {
  const trpc = useTRPC();
  const href = useProjectHref();
  const { get } = useUrlParams();
  const project = useProjectInput();
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    // Focus moves into the drawer and back to the row that opened it.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus();
    const esc = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", esc);
    return () => {
      window.removeEventListener("keydown", esc);
      opener?.focus();
    };
  }, [onClose]);
  // The error groups of the error events in this log's trace (and span): no trace, no lookup, no link.
  const errors = useQuery({
    ...trpc.dashboards.explore.logErrorGroups.queryOptions({ ...project, traceId: log.traceId ?? "", ...(log.spanId ? { spanId: log.spanId } : {}) }),
    enabled: !!log.traceId,
  });
  const keep = Object.fromEntries(RANGE_PARAMS.map((k) => [k, get(k)]));
  const fields: Array<[string, unknown]> = [
    ["time", new Date(log.time).toISOString()],
    ["level", log.level],
    ["service", log.service],
    ["environment", log.environment],
    ["release", log.release],
    ["logger", log.logger],
    ["trace id", log.traceId],
    ["span id", log.spanId],
    ["user id", log.userId],
    ["request id", log.requestId],
  ];
  return (
    <aside
      ref={panel}
      tabIndex={-1}
      role="dialog"
      aria-label="Log details"
      className="fixed outline-none inset-y-0 right-0 z-40 w-full max-w-xl overflow-y-auto border-l border-gray-200 bg-white p-6 shadow-2xl"
    >
      <div className="flex items-start justify-between gap-4">
        <h2 className="text-sm font-semibold text-gray-900">Log details</h2>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close">
          ✕
        </Button>
      </div>
      <pre className="mt-4 whitespace-pre-wrap break-words rounded-md bg-gray-900 p-3 text-xs text-gray-100">{log.message}</pre>
      <div className="mt-3 flex flex-col gap-1.5 text-sm">
        {log.traceId && (
          <Link href={href(`traces/${log.traceId}`)} className="font-medium text-blue-600 hover:underline">
            View trace →
          </Link>
        )}
        {log.traceId && errors.isPending && (
          <div role="status" aria-label="Looking for errors in this trace" data-testid="log-errors-loading">
            <Skeleton className="h-4 w-48" />
          </div>
        )}
        {errors.data && errors.data.length > 0 && (
          <ul aria-label={log.spanId ? "Errors in this span" : "Errors in this trace"} className="space-y-1">
            {errors.data.map((g) => (
              <li key={g.id}>
                <Link href={href(`errors/${g.id}`, keep)} className="font-medium text-red-600 hover:underline">
                  Error: {g.title} →
                </Link>
                <span className="ml-2 text-xs text-gray-500">
                  {g.events === 1 ? "1 event" : `${g.events} events`} {log.spanId ? "in this span" : "in this trace"} · {g.status}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <dl className="mt-5 grid grid-cols-3 gap-x-3 gap-y-1.5 text-xs">
        {fields
          .filter(([, v]) => v != null)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-gray-500">{k}</dt>
              <dd className="col-span-2 break-all font-mono text-gray-900">{String(v)}</dd>
            </div>
          ))}
      </dl>
      <h3 className="mt-6 text-xs font-semibold uppercase tracking-wide text-gray-500">Attributes</h3>
      <pre className="mt-2 overflow-x-auto rounded-md bg-gray-50 p-3 text-xs text-gray-800" data-testid="log-attributes">
        {JSON.stringify(log.attributes ?? {}, null, 2)}
      </pre>
      {Array.isArray(log.redactions) && log.redactions.length > 0 && (
        <p className="mt-3 text-xs text-amber-700">Redacted at ingest: {log.redactions.join(", ")}</p>
      )}
    </aside>
  );
}
