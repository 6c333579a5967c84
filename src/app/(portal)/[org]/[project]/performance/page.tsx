"use client";

import { PerformanceDashboard } from "@/components/dashboards/performance";
import { PageHeader } from "@/components/ui/states";

export default function PerformancePage() {
  return (
    <>
      <PageHeader title="Performance" description="Throughput, latency percentiles and the endpoints behind them." />
      <PerformanceDashboard />
    </>
  );
}
