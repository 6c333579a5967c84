"use client";

import { useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { RANGE_PRESETS, useHydrated, useTimeRange, useUrlParams, type RangePreset } from "./use-dashboard-url";

/** `YYYY-MM-DDTHH:mm` in the viewer's zone, for `<input type="datetime-local">`. */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const selectClass =
  "rounded-md border-0 bg-white py-1.5 pl-2.5 pr-8 text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-blue-600";

const RANGE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Time range (presets + custom, viewer's zone), auto-refresh and the page's own filters. */
export function DashboardToolbar({ children }: { children?: ReactNode }) {
  const range = useTimeRange();
  const hydrated = useHydrated();
  const select = useRef<HTMLSelectElement>(null);
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const openCustom = () => setCustom({ from: toLocalInput(range.from), to: toLocalInput(range.to) });
  const closeCustom = () => {
    setCustom(null);
    select.current?.focus();
  };
  // `datetime-local` values are wall times in the viewer's zone; `new Date()` reads them in that zone.
  const customValid = custom && custom.from && custom.to && new Date(custom.from) < new Date(custom.to);
  return (
    <div className="mb-6 space-y-3" data-testid="dashboard-toolbar">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor="time-range">
          Time range
        </label>
        <select
          id="time-range"
          ref={select}
          className={selectClass}
          value={custom ? "custom" : range.preset}
          onChange={(e) => (e.target.value === "custom" ? openCustom() : (setCustom(null), range.setPreset(e.target.value as RangePreset)))}
        >
          {RANGE_PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range…</option>
        </select>
        {range.preset === "custom" && !custom && hydrated && (
          <button
            type="button"
            onClick={openCustom}
            className="text-sm text-gray-600 hover:text-gray-900"
            title="Change the custom range"
            data-testid="custom-range"
          >
            <time dateTime={range.from.toISOString()}>{RANGE_TIME.format(range.from)}</time>
            {" – "}
            <time dateTime={range.to.toISOString()}>{RANGE_TIME.format(range.to)}</time>
          </button>
        )}
        {children}
        <div className="ml-auto flex items-center gap-3">
          <span className="text-xs text-gray-400" title="Times are shown in your browser's time zone" data-testid="time-zone">
            {hydrated ? range.timeZone : ""}
          </span>
          <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-gray-600">
            <input
              type="checkbox"
              className="h-4 w-4 rounded border-gray-300 text-blue-600"
              checked={range.autoRefresh}
              onChange={(e) => range.setAutoRefresh(e.target.checked)}
            />
            Auto-refresh (30 s)
          </label>
          <Button variant="secondary" size="sm" onClick={range.refresh}>
            Refresh
          </Button>
        </div>
      </div>
      {custom && (
        <form
          aria-label="Custom time range"
          className="flex flex-wrap items-end gap-3 rounded-lg border border-gray-200 bg-white p-3 shadow-sm"
          onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), closeCustom())}
          onSubmit={(e) => {
            e.preventDefault();
            if (!customValid) return;
            range.setCustom(new Date(custom.from), new Date(custom.to));
            closeCustom();
          }}
        >
          <label className="text-xs font-medium text-gray-600">
            From
            {/* Choosing "Custom range…" is a request to type one: the first field takes the focus. */}
            <input
              type="datetime-local"
              // biome-ignore lint/a11y/noAutofocus: the user just asked to type a range
              autoFocus
              required
              className={`mt-1 block ${selectClass}`}
              value={custom.from}
              onChange={(e) => setCustom({ ...custom, from: e.target.value })}
            />
          </label>
          <label className="text-xs font-medium text-gray-600">
            To
            <input
              type="datetime-local"
              required
              className={`mt-1 block ${selectClass}`}
              value={custom.to}
              onChange={(e) => setCustom({ ...custom, to: e.target.value })}
            />
          </label>
          <span className="pb-2 text-xs text-gray-500">in {range.timeZone}</span>
          <Button type="submit" size="sm" disabled={!customValid}>
            Apply
          </Button>
          <Button variant="ghost" size="sm" onClick={closeCustom}>
            Cancel
          </Button>
          {!customValid && (
            <span role="alert" className="text-xs text-red-600">
              “From” must be before “To”.
            </span>
          )}
        </form>
      )}
    </div>
  );
}

/** A select bound to one URL parameter (empty = no filter). */
export function UrlSelect({
  param,
  label,
  options,
  allLabel = "All",
}: {
  param: string;
  label: string;
  options: Array<string | { value: string; label: string }>;
  allLabel?: string;
}) {
  const { get, set } = useUrlParams();
  const value = get(param) ?? "";
  const opts = options.map((o) => (typeof o === "string" ? { value: o, label: o } : o));
  if (value && !opts.some((o) => o.value === value)) opts.push({ value, label: value });
  return (
    <label className="inline-flex items-center gap-1.5 text-sm text-gray-600">
      <span>{label}</span>
      <select aria-label={label} className={selectClass} value={value} onChange={(e) => set({ [param]: e.target.value || null })}>
        <option value="">{allLabel}</option>
        {opts.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A text filter bound to one URL parameter, applied on Enter or blur. */
export function UrlText({ param, label, placeholder, className = "w-48" }: { param: string; label: string; placeholder?: string; className?: string }) {
  const { get, set } = useUrlParams();
  const current = get(param) ?? "";
  const [draft, setDraft] = useState<string | null>(null);
  const apply = () => {
    if (draft !== null && draft.trim() !== current) set({ [param]: draft.trim() || null });
    setDraft(null);
  };
  return (
    <input
      type="search"
      aria-label={label}
      placeholder={placeholder ?? label}
      className={`rounded-md border-0 py-1.5 px-2.5 text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 placeholder:text-gray-400 focus:ring-2 focus:ring-blue-600 ${className}`}
      value={draft ?? current}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => e.key === "Enter" && apply()}
    />
  );
}
