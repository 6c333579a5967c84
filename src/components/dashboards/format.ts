/** Number, duration, money and percentage formatting shared by the dashboard pages. */
const COMPACT = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const INTEGER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const fmtCount = (n: number | null | undefined) => (n == null ? "—" : n >= 10_000 ? COMPACT.format(n) : INTEGER.format(n));

export function fmtMs(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export const fmtPct = (r: number | null | undefined, digits = 2) => (r == null ? "—" : `${(r * 100).toFixed(digits)}%`);

export function fmtUsd(n: number | null | undefined): string {
  if (n == null) return "—";
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 2 }).format(n);
}

export const fmtTokens = (n: number | null | undefined) => (n == null ? "—" : COMPACT.format(n));

/** A chart axis label for a bucket start, in the viewer's zone; finer when the step is below a day. */
export function bucketLabel(t: Date | string, step?: string): string {
  const d = typeof t === "string" ? new Date(t) : t;
  const daily = step?.includes("day");
  return new Intl.DateTimeFormat(
    undefined,
    daily ? { month: "short", day: "numeric" } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
  ).format(d);
}
