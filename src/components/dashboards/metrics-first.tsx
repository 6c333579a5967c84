"use client";

import { useEffect, useState } from "react";
import { useSlugs } from "@/components/org/use-org";
import { CopyButton } from "@/components/ui/copy-button";

/** The explorer's empty state: how to send a first metric with OpenTelemetry or the batch API. */
export function FirstMetric() {
  const { orgSlug, projectSlug } = useSlugs();
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const otel = `export OTEL_EXPORTER_OTLP_ENDPOINT=${origin}/api/v1/otlp
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer $SIGHTLINE_INGEST_KEY"
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
# then, in your app (@opentelemetry/sdk-metrics + exporter-metrics-otlp-proto):
#   meter.createCounter("orders.created").add(1, { plan: "pro" })`;
  const curl = `curl -X POST ${origin}/api/v1/ingest \\
  -H "Authorization: Bearer $SIGHTLINE_INGEST_KEY" -H "Content-Type: application/json" \\
  -d '{"batch":[{"type":"metric","name":"orders.created","kind":"counter","value":1,"attributes":{"plan":"pro"}}]}'`;
  return (
    <div className="rounded-lg border border-dashed border-gray-300 bg-gray-50/50 px-6 py-8" data-testid="no-metrics">
      <p className="text-center text-sm font-semibold text-gray-900">No metrics in this range</p>
      <p className="mx-auto mt-1 max-w-xl text-center text-sm text-gray-500">
        Try a longer range, or send a first metric with an ingest key
        {projectSlug ? (
          <>
            {" "}
            (
            <a className="text-blue-600 hover:underline" href={`/${orgSlug}/${projectSlug}/settings/keys`}>
              API keys
            </a>
            )
          </>
        ) : null}
        . Counters sent to the batch API are increments; OpenTelemetry&apos;s cumulative counters are turned into increases.
      </p>
      <div className="mx-auto mt-4 max-w-2xl space-y-3">
        {[
          ["OpenTelemetry (OTLP/HTTP)", otel],
          ["Batch API", curl],
        ].map(([title, text]) => (
          <div key={title}>
            <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-500">{title}</p>
            <div className="relative">
              <pre className="whitespace-pre-wrap break-all rounded-lg bg-gray-900 p-4 pr-32 text-xs leading-relaxed text-gray-100">{text}</pre>
              <div className="absolute right-2 top-2">
                <CopyButton value={text!} label="Copy" />
              </div>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
