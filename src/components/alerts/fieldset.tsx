"use client";

import type { ReactNode } from "react";

/** The rule form's building blocks: a labelled group of fields, and a checkbox with its label and hint. */

export function Fieldset({ legend, description, children }: { legend: string; description?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 border-t border-gray-100 pt-5 first:border-0 first:pt-0 md:grid-cols-[14rem_1fr]">
      <legend className="contents">
        <div>
          <span className="block text-sm font-semibold text-gray-900">{legend}</span>
          {description && <span className="mt-1 block text-xs text-gray-500">{description}</span>}
        </div>
      </legend>
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

export function Check({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  return (
    <label className="flex items-start gap-2 text-sm text-gray-700">
      <input
        type="checkbox"
        className="mt-0.5 h-4 w-4 rounded border-gray-300 text-blue-600 focus:ring-blue-600"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span>
        {label}
        {hint && <span className="block text-xs text-gray-500">{hint}</span>}
      </span>
    </label>
  );
}
