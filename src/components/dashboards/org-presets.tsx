"use client";

import Link from "next/link";
import { useOrg } from "@/components/org/use-org";
import { Panel } from "@/components/ui/states";
import { useUrlParams } from "./use-dashboard-url";

const PRESETS = {
  engineering: {
    label: "Engineering",
    text: "What is failing and what is slow.",
    links: [["errors", "Errors"], ["performance", "Performance"], ["traces", "Traces"], ["logs", "Logs"]],
  },
  operations: {
    label: "Operations",
    text: "Is it up, and how busy is it.",
    links: [["", "Overview"], ["performance", "Throughput and latency"], ["logs?live=on", "Live logs"], ["errors", "Open errors"]],
  },
  management: {
    label: "Management",
    text: "Usage, LLM spend and where it is heading.",
    links: [["llm", "LLM spend and projection"], ["users", "Active users"], ["", "Overview"]],
  },
} as const;
type Preset = keyof typeof PRESETS;

/** Engineering / Operations / Management views on the organisation home: each project's relevant pages. */
export function OrgPresets({ projects }: { projects: Array<{ slug: string; name: string }> }) {
  const org = useOrg();
  const { get, set } = useUrlParams();
  const view: Preset = (Object.keys(PRESETS) as Preset[]).find((k) => k === get("view")) ?? (org.data?.role === "viewer" ? "operations" : "engineering");
  const preset = PRESETS[view];
  if (!projects.length) return null;
  return (
    <Panel
      title={`${preset.label} view`}
      description={preset.text}
      actions={
        <nav aria-label="Views" className="flex gap-1 rounded-lg bg-gray-100 p-1">
          {(Object.keys(PRESETS) as Preset[]).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={k === view} onClick={() => set({ view: k })}
              className={`rounded-md px-3 py-1 text-sm font-medium ${k === view ? "bg-white text-gray-900 shadow-sm" : "text-gray-500 hover:text-gray-800"}`}>
              {PRESETS[k].label}
            </button>
          ))}
        </nav>
      }
    >
      <ul className="divide-y divide-gray-100" data-testid="preset-projects">
        {projects.map((p) => (
          <li key={p.slug} className="flex flex-wrap items-center justify-between gap-3 py-2.5">
            <span className="font-medium text-gray-900">{p.name}</span>
            <span className="flex flex-wrap gap-2">
              {preset.links.map(([path, label]) => (
                <Link key={label} href={`/${org.orgSlug}/${p.slug}${path ? `/${path}` : ""}`.replace("/?", "?")}
                  className="rounded-md px-2.5 py-1 text-sm font-medium text-blue-700 ring-1 ring-inset ring-blue-200 hover:bg-blue-50">
                  {label}
                </Link>
              ))}
              {view === "management" && org.data?.role === "owner" && (
                <Link href={`/${org.orgSlug}/settings/spend`} className="rounded-md px-2.5 py-1 text-sm text-gray-600 ring-1 ring-inset ring-gray-200 hover:bg-gray-50">Who sees spend</Link>
              )}
            </span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
