"use client";

import { TracesExplorer } from "@/components/dashboards/traces";
import { PageHeader } from "@/components/ui/states";

export default function TracesPage() {
  return (
    <>
      <PageHeader title="Traces" description="Distributed traces by their root span." />
      <TracesExplorer />
    </>
  );
}
