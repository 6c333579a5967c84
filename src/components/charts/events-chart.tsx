"use client";

import { AreaChart } from "@tremor/react";
import { useMemo } from "react";

export type EventsPerDay = { date: string; Events: number };

const DAY_FORMAT = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** The last `days` days in the viewer's time zone, each with zero events (the empty chart's axis). */
function emptyDays(days: number): EventsPerDay[] {
  const today = new Date();
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1 - i));
    return { date: DAY_FORMAT.format(d), Events: 0 };
  });
}

/**
 * Events per day as a Tremor AreaChart. With no events yet the axis is drawn faintly and an
 * empty state on top says how to send the first one (`emptyState`).
 */
export function EventsChart({ data, emptyState }: { data: EventsPerDay[]; emptyState: React.ReactNode }) {
  const hasData = data.some((d) => d.Events > 0);
  const rows = useMemo(() => (hasData ? data : emptyDays(14)), [data, hasData]);
  return (
    <div className="relative" data-testid="events-chart">
      <AreaChart
        className={`h-56 ${hasData ? "" : "opacity-30"}`}
        data={rows}
        index="date"
        categories={["Events"]}
        colors={["blue"]}
        showLegend={false}
        showAnimation={false}
        allowDecimals={false}
        yAxisWidth={40}
        valueFormatter={(n) => n.toLocaleString()}
      />
      {!hasData && <div className="absolute inset-0 flex items-center justify-center p-4">{emptyState}</div>}
    </div>
  );
}
