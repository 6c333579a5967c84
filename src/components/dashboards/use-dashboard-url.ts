"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useSyncExternalStore } from "react";

export const RANGE_PRESETS = [
  { key: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { key: "1h", label: "Last hour", ms: 3_600_000 },
  { key: "6h", label: "Last 6 hours", ms: 6 * 3_600_000 },
  { key: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { key: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["key"];
const DEFAULT_RANGE: RangePreset = "24h";
const REFRESH_MS = 30_000;

/** The viewer's IANA time zone (UTC on the server, where nothing is fetched). */
export const viewerTimeZone = () => (typeof Intl === "undefined" ? "UTC" : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");

const noSubscription = () => () => {};
/**
 * False while the server's HTML is hydrated, true after: text that depends on the viewer's zone is
 * rendered only then, or the server's UTC would stay on screen (hydration keeps server text).
 */
export const useHydrated = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

const nextMinute = () => Math.ceil(Date.now() / 60_000) * 60_000;

/** Reads and writes query-string parameters, keeping the rest; `null` removes a key. */
export function useUrlParams() {
  const params = useSearchParams();
  const pathname = usePathname();
  const set = useCallback(
    (changes: Record<string, string | null | undefined>) => {
      // The address bar, not the last render: two quick changes must not undo each other.
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v == null || v === "") next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      // history.replaceState is synced into useSearchParams by Next and updates the address bar at
      // once, so the next change (or a copied link) already sees this one.
      window.history.replaceState(null, "", qs ? `${pathname}?${qs}` : pathname);
    },
    [pathname],
  );
  const get = useCallback((key: string) => params.get(key) ?? undefined, [params]);
  return { params, get, set };
}

/**
 * The "now" preset ranges end at, shared by every useTimeRange on one page (the page's queries and
 * its toolbar), so Refresh, auto-refresh and a new preset move the window the queries read. Each
 * path gets a fresh clock when it is first shown again after all its users unmounted.
 */
type Clock = { now: number; tickedAt: number; users: number };
const clocks = new Map<string, Clock>();
const listeners = new Set<() => void>();
const clockOf = (path: string): Clock => {
  let clock = clocks.get(path);
  if (!clock) clocks.set(path, (clock = { now: nextMinute(), tickedAt: Date.now(), users: 0 }));
  return clock;
};
const setClock = (path: string, now: number) => {
  Object.assign(clockOf(path), { now, tickedAt: Date.now() });
  for (const listener of listeners) listener();
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

function useSharedNow(path: string) {
  const now = useSyncExternalStore(
    subscribe,
    () => clockOf(path).now,
    () => clockOf(path).now,
  );
  useEffect(() => {
    clockOf(path).users++;
    return () => {
      const clock = clockOf(path);
      if (--clock.users <= 0) clocks.delete(path);
    };
  }, [path]);
  return now;
}

/**
 * The page's time range from the URL: `range=<preset>` (relative to now, moved forward by
 * auto-refresh and Refresh) or `range=custom&from=<ISO>&to=<ISO>`. Defaults to the last 24 hours.
 */
export function useTimeRange() {
  const { get, set } = useUrlParams();
  const path = usePathname();
  const preset = (get("range") ?? DEFAULT_RANGE) as RangePreset | "custom";
  const autoRefresh = get("refresh") === "on";
  const now = useSharedNow(path);
  useEffect(() => {
    if (!autoRefresh) return;
    // Every instance on the page runs this; the first to fire moves the shared clock, the others see it moved.
    const id = setInterval(() => {
      if (Date.now() - clockOf(path).tickedAt >= REFRESH_MS / 2) setClock(path, Date.now());
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, [autoRefresh, path]);
  const range = useMemo(() => {
    const timeZone = viewerTimeZone();
    if (preset === "custom") {
      const from = new Date(get("from") ?? "");
      const to = new Date(get("to") ?? "");
      if (!Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && from < to) return { from, to, timeZone, fixed: true };
    }
    const ms = RANGE_PRESETS.find((p) => p.key === preset)?.ms ?? 86_400_000;
    return { from: new Date(now - ms), to: new Date(now), timeZone, fixed: false };
  }, [preset, get, now]);
  const queryClient = useQueryClient();
  return {
    ...range,
    preset,
    autoRefresh,
    // A preset's window moves with the clock (a new query key, so a new fetch); a fixed custom range refetches in place.
    refetchInterval: autoRefresh && range.fixed ? REFRESH_MS : (false as const),
    setPreset: (key: RangePreset) => {
      setClock(path, nextMinute());
      set({ range: key === DEFAULT_RANGE ? null : key, from: null, to: null });
    },
    setCustom: (from: Date, to: Date) => set({ range: "custom", from: from.toISOString(), to: to.toISOString() }),
    setAutoRefresh: (on: boolean) => set({ refresh: on ? "on" : null }),
    refresh: () => (range.fixed ? void queryClient.invalidateQueries() : setClock(path, Date.now())),
  };
}
