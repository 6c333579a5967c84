"use client";

import { useParams } from "next/navigation";
import { TraceView } from "@/components/dashboards/waterfall";

export default function TracePage() {
  const { traceId } = useParams<{ traceId: string }>();
  return <TraceView traceId={decodeURIComponent(traceId)} />;
}
