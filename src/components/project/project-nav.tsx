"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const DASHBOARD_TABS = [
  { path: "performance", label: "Performance" },
  { path: "errors", label: "Errors" },
  { path: "llm", label: "LLM" },
  { path: "logs", label: "Logs" },
  { path: "traces", label: "Traces" },
  { path: "users", label: "Users" },
  { path: "metrics", label: "Metrics" },
  { path: "audit", label: "Audit" },
];

export function ProjectNav({ orgSlug, projectSlug, projectName }: { orgSlug: string; projectSlug: string; projectName: string }) {
  const pathname = usePathname();
  const base = `/${orgSlug}/${projectSlug}`;
  const tabs = [
    { href: base, label: "Overview", active: pathname === base },
    ...DASHBOARD_TABS.map((t) => ({ href: `${base}/${t.path}`, label: t.label, active: pathname.startsWith(`${base}/${t.path}`) })),
    { href: `${base}/alerts`, label: "Alerts", active: pathname.startsWith(`${base}/alerts`) },
    { href: `${base}/settings/keys`, label: "API keys", active: pathname.startsWith(`${base}/settings/keys`) },
    { href: `${base}/settings/redaction`, label: "Redaction", active: pathname.startsWith(`${base}/settings/redaction`) },
    { href: `${base}/settings/prices`, label: "Prices", active: pathname.startsWith(`${base}/settings/prices`) },
    { href: `${base}/settings/data`, label: "Data", active: pathname.startsWith(`${base}/settings/data`) },
  ];
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-4">
      <nav aria-label="Breadcrumb" className="flex items-center gap-2 text-sm">
        <Link href={`/${orgSlug}`} className="text-gray-500 hover:text-gray-800">
          Projects
        </Link>
        <span className="text-gray-300" aria-hidden>
          /
        </span>
        <span className="font-semibold text-gray-900">{projectName}</span>
      </nav>
      <nav aria-label="Project" className="flex gap-1 rounded-lg bg-gray-100 p-1">
        {tabs.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={tab.active ? "page" : undefined}
            className={`rounded-md px-3 py-1 text-sm font-medium ${tab.active ? "bg-white text-gray-900 shadow-sm" : "text-gray-500 hover:text-gray-800"}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
