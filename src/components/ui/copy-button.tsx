"use client";

import { useState } from "react";
import { Button } from "./button";

/** Copies `value` to the clipboard and says so for a moment. */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </Button>
  );
}

/** A read-only, selectable value with a copy button beside it (secrets, links, URLs). */
export function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <div className="space-y-1.5">
      <span className="block text-sm font-medium text-gray-700">{label}</span>
      <div className="flex items-center gap-2">
        <input
          readOnly
          aria-label={label}
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-md border-0 bg-gray-50 px-3 py-2 font-mono text-xs text-gray-900 ring-1 ring-inset ring-gray-300"
        />
        <CopyButton value={value} />
      </div>
    </div>
  );
}
