"use client";

import type { ReactNode } from "react";
import { useSlugs } from "@/components/org/use-org";
import { SendDataSnippet } from "@/components/project/send-data";

/** Grey blocks in the shape of what is loading. */
export function Skeleton({ className = "h-4 w-full" }: { className?: string }) {
  return <div className={`animate-pulse rounded bg-gray-100 ${className}`} aria-hidden />;
}

export function ChartSkeleton({ height = "h-56" }: { height?: string }) {
  return (
    <div role="status" aria-label="Loading" className={`flex ${height} items-end gap-1.5`}>
      {Array.from({ length: 24 }, (_, i) => (
        <div key={i} className="flex-1 animate-pulse rounded-t bg-gray-100" style={{ height: `${25 + ((i * 37) % 60)}%` }} />
      ))}
    </div>
  );
}

export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading" className="space-y-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-5 w-full" />
      ))}
    </div>
  );
}

/** Empty state for a dashboard: says what would show here and how to send the first event. */
export function NoData({ title = "No data in this range", children, compact = false }: { title?: string; children?: ReactNode; compact?: boolean }) {
  const { orgSlug, projectSlug } = useSlugs();
  return (
    <div className="rounded-lg border border-dashed border-gray-300 bg-gray-50/50 px-6 py-8" data-testid="no-data">
      <p className="text-center text-sm font-semibold text-gray-900">{title}</p>
      <p className="mx-auto mt-1 max-w-lg text-center text-sm text-gray-500">
        {children ?? "Try a longer time range or fewer filters. If this project has never received data, send its first event:"}
      </p>
      {!compact && (
        <div className="mx-auto mt-4 max-w-2xl">
          <SendDataSnippet keysHref={projectSlug ? `/${orgSlug}/${projectSlug}/settings/keys` : undefined} />
        </div>
      )}
    </div>
  );
}

/** A small coloured pill. */
export function Pill({ children, tone = "gray" }: { children: ReactNode; tone?: "gray" | "red" | "amber" | "green" | "blue" | "purple" }) {
  const tones = {
    gray: "bg-gray-50 text-gray-700 ring-gray-200",
    red: "bg-red-50 text-red-700 ring-red-200",
    amber: "bg-amber-50 text-amber-800 ring-amber-200",
    green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
    blue: "bg-blue-50 text-blue-700 ring-blue-200",
    purple: "bg-purple-50 text-purple-700 ring-purple-200",
  };
  return <span className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>{children}</span>;
}

export const levelTone = (level: string | null | undefined) =>
  level === "fatal" || level === "error" ? "red" : level === "warning" || level === "warn" ? "amber" : level === "info" ? "blue" : "gray";
