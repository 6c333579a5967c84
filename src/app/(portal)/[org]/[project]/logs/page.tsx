"use client";

import { LogsExplorer } from "@/components/dashboards/logs";
import { PageHeader } from "@/components/ui/states";

export default function LogsPage() {
  return (
    <>
      <PageHeader title="Logs" description="Search, filter and tail this project's logs." />
      <LogsExplorer />
    </>
  );
}
