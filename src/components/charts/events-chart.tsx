"use client";

import { BarChart } from "@tremor/react";
import { useMemo } from "react";

/** One day: its label and the events of each category stored that day. */
type EventsPerDay = { date: string } & Record<string, number | string>;

const DAY_FORMAT = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** The last `days` days in the viewer's time zone, each with zero events (the empty chart's axis). */
function emptyDays(days: number, categories: string[]): EventsPerDay[] {
  const today = new Date();
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1 - i));
    return { date: DAY_FORMAT.format(d), ...Object.fromEntries(categories.map((c) => [c, 0])) };
  });
}

/**
 * Events per day as a stacked Tremor BarChart, one colour per event type. With no events yet the
 * axis is drawn faintly and an empty state on top says how to send the first one (`emptyState`).
 */
export function EventsChart({ data, categories, emptyState }: { data: EventsPerDay[]; categories: string[]; emptyState: React.ReactNode }) {
  const hasData = data.some((d) => categories.some((c) => Number(d[c]) > 0));
  const rows = useMemo(() => (hasData ? data : emptyDays(14, categories)), [data, hasData, categories]);
  return (
    <div className="relative" data-testid="events-chart">
      <BarChart
        className={`h-56 ${hasData ? "" : "opacity-30"}`}
        data={rows}
        index="date"
        categories={categories}
        colors={["blue", "cyan", "violet", "amber", "rose", "emerald", "gray"]}
        stack
        showLegend={hasData}
        showAnimation={false}
        allowDecimals={false}
        yAxisWidth={48}
        valueFormatter={(n) => n.toLocaleString()}
      />
      {!hasData && <div className="absolute inset-0 flex items-center justify-center p-4">{emptyState}</div>}
    </div>
  );
}
