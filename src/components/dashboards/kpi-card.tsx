"use client";

import { SparkAreaChart } from "@tremor/react";

type Point = { t: Date | string; value: number | null };

/**
 * A headline number with its change against the previous period and a sparkline. `goodWhen`
 * says which direction is good news (errors up is red, requests up is green). Leave `change` out
 * (undefined) for a figure that has no comparison; null means "no previous period to compare".
 */
export function KpiCard({
  title,
  value,
  change,
  sparkline,
  goodWhen = "up",
  color = "blue",
  testId,
  hint,
}: {
  title: string;
  value: string;
  change?: number | null;
  sparkline: Point[];
  goodWhen?: "up" | "down" | "neutral";
  color?: string;
  testId?: string;
  hint?: string;
}) {
  const data = sparkline.map((p, i) => ({ i: String(i), value: p.value ?? 0 }));
  return (
    <section className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" data-testid={testId} aria-label={title}>
      <div className="flex items-start justify-between gap-2">
        <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500" title={hint}>
          {title}
        </h3>
        {change !== undefined && <ChangeBadge change={change} goodWhen={goodWhen} />}
      </div>
      <p className="mt-2 text-2xl font-semibold tabular-nums text-gray-900" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </p>
      <div className="mt-3 h-10">
        {data.length > 1 ? (
          <SparkAreaChart data={data} index="i" categories={["value"]} colors={[color]} className="h-10 w-full" />
        ) : (
          <div className="h-10 border-b border-dashed border-gray-200" />
        )}
      </div>
    </section>
  );
}

/** "+12.5%" against the previous period; coloured by whether that is good news. */
function ChangeBadge({ change, goodWhen = "up" }: { change: number | null | undefined; goodWhen?: "up" | "down" | "neutral" }) {
  if (change == null || !Number.isFinite(change))
    return (
      <span className="text-xs text-gray-400" title="No previous period to compare">
        —
      </span>
    );
  const up = change > 0;
  const flat = Math.abs(change) < 0.0005;
  const good = goodWhen === "neutral" || flat ? null : (up && goodWhen === "up") || (!up && goodWhen === "down");
  const tone = good === null ? "bg-gray-100 text-gray-600" : good ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700";
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium tabular-nums ${tone}`} title="Change against the previous period of the same length">
      {flat ? "±0%" : `${up ? "▲" : "▼"} ${Math.abs(change * 100).toFixed(Math.abs(change) < 0.1 ? 1 : 0)}%`}
    </span>
  );
}
