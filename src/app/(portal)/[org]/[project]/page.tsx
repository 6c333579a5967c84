"use client";

import { useOrg, useSlugs } from "@/components/org/use-org";
import { SendDataSnippet, useIngestUrl } from "@/components/project/send-data";
import { CopyField } from "@/components/ui/copy-button";
import { Panel } from "@/components/ui/states";

const PLANNED = [
  { title: "Requests", text: "Throughput, latency percentiles and error rate per route." },
  { title: "Errors", text: "Grouped exceptions with stack traces and first/last seen." },
  { title: "LLM calls", text: "Tokens, latency and cost per model." },
];

export default function ProjectHomePage() {
  const { orgSlug, projectSlug } = useSlugs();
  const org = useOrg();
  const ingestUrl = useIngestUrl();
  const keysHref = org.can("apiKeys:read") ? `/${orgSlug}/${projectSlug}/settings/keys` : undefined;
  return (
    <div className="space-y-6">
      <div className="grid gap-4 md:grid-cols-3">
        {PLANNED.map((card) => (
          <section key={card.title} className="rounded-lg border border-gray-200 bg-white p-5 shadow-sm">
            <h2 className="text-sm font-semibold text-gray-900">{card.title}</h2>
            <p className="mt-1 text-xs text-gray-500">{card.text}</p>
            <p className="mt-6 text-2xl font-semibold text-gray-300">—</p>
            <p className="text-xs text-gray-400">No data yet</p>
          </section>
        ))}
      </div>
      <Panel title="Send your first event" description="Dashboards fill in as soon as this project receives data.">
        <div className="grid gap-6 lg:grid-cols-2">
          <SendDataSnippet keysHref={keysHref} />
          <div className="space-y-4">
            <CopyField label="Ingest URL" value={ingestUrl} />
            <p className="text-xs text-gray-500">
              Send a batch of typed events (logs, requests, errors, LLM calls, spans, metrics) as JSON, or point any OpenTelemetry exporter at{" "}
              <code className="rounded bg-gray-100 px-1">/api/v1/otlp</code>. Authenticate with a project key of the <strong>ingest</strong> scope.
            </p>
          </div>
        </div>
      </Panel>
    </div>
  );
}
