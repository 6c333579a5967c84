"use client";

import { LlmDashboard } from "@/components/dashboards/llm";
import { PageHeader } from "@/components/ui/states";

export default function LlmPage() {
  return (
    <>
      <PageHeader title="LLM" description="Calls, tokens, latency and spend per model, provider, feature and user." />
      <LlmDashboard />
    </>
  );
}
