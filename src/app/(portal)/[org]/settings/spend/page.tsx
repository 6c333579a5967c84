"use client";

import { SpendAccessPanel } from "@/components/dashboards/spend-access";
import { PageHeader } from "@/components/ui/states";

export default function SpendAccessPage() {
  return (
    <>
      <PageHeader title="LLM spend access" description="Which roles see costs, spend projections and model prices in this organisation." />
      <SpendAccessPanel />
    </>
  );
}
