"use client";

import { useEffect, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";

/** The ingest URL of this portal, as the browser reaches it. */
function useIngestUrl() {
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  return `${origin}/api/v1/ingest`;
}

/** How to send a first event: the ingest URL and a curl command to copy. */
export function SendDataSnippet({ keysHref }: { keysHref?: string }) {
  const url = useIngestUrl();
  const command = `curl -X POST ${url} \\
  -H "Authorization: Bearer $SIGHTLINE_INGEST_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"batch":[{"type":"log","level":"info","message":"hello from my app"}]}'`;
  return (
    <div className="space-y-3 text-left">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-gray-600">
        <li>
          Create a project API key with the <strong>ingest</strong> scope
          {keysHref ? (
            <>
              {" "}
              under{" "}
              <a href={keysHref} className="font-medium text-blue-600 hover:text-blue-700">
                API keys
              </a>
            </>
          ) : null}
          .
        </li>
        <li>
          Send events to <code className="rounded bg-gray-100 px-1 py-0.5 text-xs text-gray-800">{url}</code> with the SDK or any HTTP client:
        </li>
      </ol>
      <div className="relative">
        <pre className="whitespace-pre-wrap break-all rounded-lg bg-gray-900 p-4 pr-32 text-xs leading-relaxed text-gray-100">{command}</pre>
        <div className="absolute right-2 top-2">
          <CopyButton value={command} label="Copy command" />
        </div>
      </div>
    </div>
  );
}
