"use client";

import { useState } from "react";

type Frame = {
  filename?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  abs_path?: string;
  in_app?: boolean;
  context_line?: string;
};
type Exception = { type?: string; value?: string; module?: string; mechanism?: { type?: string; handled?: boolean }; stacktrace?: { frames?: Frame[] } };

/**
 * The exception chain of an event, most recent call first (as Sentry shows it). In-app frames are
 * highlighted; library frames are collapsed behind a toggle.
 */
export function StackTrace({ exception }: { exception: { values?: Exception[] } | null | undefined }) {
  const [allFrames, setAllFrames] = useState(false);
  const values = [...(exception?.values ?? [])].reverse();
  if (!values.length) return <p className="text-sm text-gray-500">This event carries no stack trace.</p>;
  return (
    <div className="space-y-5" data-testid="stack-trace">
      <label className="flex items-center gap-2 text-xs text-gray-600">
        <input type="checkbox" checked={allFrames} onChange={(e) => setAllFrames(e.target.checked)} className="h-3.5 w-3.5 rounded border-gray-300" />
        Show library frames
      </label>
      {values.map((ex, i) => {
        const frames = [...(ex.stacktrace?.frames ?? [])].reverse();
        const shown = allFrames || frames.every((f) => !f.in_app) ? frames : frames.filter((f) => f.in_app);
        return (
          <div key={i}>
            <p className="font-mono text-sm">
              <span className="font-semibold text-red-700">{ex.type ?? "Error"}</span>
              {ex.value && <span className="text-gray-800">: {ex.value}</span>}
              {ex.mechanism?.handled === false && <span className="ml-2 rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700">unhandled</span>}
            </p>
            <ol className="mt-2 divide-y divide-gray-100 overflow-hidden rounded-md border border-gray-200">
              {shown.map((f, j) => (
                <li
                  key={j}
                  data-in-app={f.in_app ? "true" : "false"}
                  className={`px-3 py-2 font-mono text-xs ${f.in_app ? "border-l-4 border-l-blue-500 bg-blue-50/50" : "bg-gray-50 text-gray-500"}`}
                >
                  <div className="flex flex-wrap items-baseline gap-x-2">
                    <span className={f.in_app ? "font-semibold text-gray-900" : ""}>{f.filename ?? f.module ?? f.abs_path ?? "?"}</span>
                    {f.function && (
                      <span className="text-gray-500">
                        in <span className={f.in_app ? "text-blue-800" : ""}>{f.function}</span>
                      </span>
                    )}
                    {f.lineno != null && (
                      <span className="text-gray-400">
                        at line {f.lineno}
                        {f.colno != null ? `:${f.colno}` : ""}
                      </span>
                    )}
                    {f.in_app && <span className="ml-auto rounded bg-blue-100 px-1 text-[10px] font-sans font-medium uppercase text-blue-700">in app</span>}
                  </div>
                  {f.context_line && <pre className="mt-1 overflow-x-auto rounded bg-gray-900 px-2 py-1 text-gray-100">{f.context_line}</pre>}
                </li>
              ))}
            </ol>
            {shown.length < frames.length && <p className="mt-1 text-xs text-gray-400">{frames.length - shown.length} library frame(s) hidden</p>}
          </div>
        );
      })}
    </div>
  );
}
