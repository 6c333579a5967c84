"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useProjectHref } from "@/components/dashboards/use-project";

const TABS = [
  { path: "alerts", label: "Alert rules", exact: true, also: "alerts/rules" },
  { path: "alerts/incidents", label: "Incidents" },
  { path: "alerts/channels", label: "Channels" },
  { path: "alerts/silences", label: "Silences" },
];

/** Second-level tabs of a project's alerting pages. */
export function AlertsNav() {
  const pathname = usePathname();
  const href = useProjectHref();
  return (
    <nav aria-label="Alerting" className="mb-5 flex gap-5 border-b border-gray-200 text-sm">
      {TABS.map((tab) => {
        const to = href(tab.path);
        const active = tab.exact ? pathname === to || (tab.also ? pathname.startsWith(href(tab.also)) : false) : pathname.startsWith(to);
        return (
          <Link
            key={tab.path}
            href={to}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-0.5 pb-2.5 font-medium ${active ? "border-blue-600 text-gray-900" : "border-transparent text-gray-500 hover:border-gray-300 hover:text-gray-800"}`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
