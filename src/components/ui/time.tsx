"use client";

const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function relative(date: Date): string {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return RELATIVE.format(seconds, "second");
  if (abs < 3600) return RELATIVE.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return RELATIVE.format(Math.round(seconds / 3600), "hour");
  return RELATIVE.format(Math.round(seconds / 86400), "day");
}

/** A time in the viewer's own time zone; `relative` shows "5 minutes ago" with the full time on hover. */
export function Time({
  value,
  relative: asRelative = false,
  fallback = "—",
}: {
  value: Date | string | null | undefined;
  relative?: boolean;
  fallback?: string;
}) {
  if (!value) return <span className="text-gray-400">{fallback}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const full = FULL.format(date);
  return (
    <time dateTime={date.toISOString()} title={full} suppressHydrationWarning>
      {asRelative ? relative(date) : full}
    </time>
  );
}
