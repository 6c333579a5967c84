"use client";

import { MetricsExplorer } from "@/components/dashboards/metrics-explorer";
import { PageHeader } from "@/components/ui/states";

export default function MetricsPage() {
  return (
    <>
      <PageHeader title="Metrics" description="Explore any metric your apps send: counters as increases or rates, gauges, histogram percentiles." />
      <MetricsExplorer />
    </>
  );
}
