"use client";

import { useQuery } from "@tanstack/react-query";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useTRPC } from "@/components/trpc/react";
import { Time } from "@/components/ui/time";

function formatLag(seconds: number) {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * When the alerts job last evaluated rules, refreshed every 30 s; a banner when evaluation is
 * behind (the job has not succeeded for three of its intervals), so nobody trusts a quiet page.
 */
export function EvaluationStatus() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.alerts.evaluationStatus.queryOptions(useProjectInput()), refetchInterval: 30_000 });
  if (!status.data) return null;
  const s = status.data;
  if (!s.behind)
    return (
      <p className="mb-4 text-xs text-gray-500" aria-live="polite">
        Rules are evaluated every minute · last evaluation{" "}
        <Time value={s.lastSuccessAt} relative fallback="not yet (the first runs within a minute of start-up)" />
      </p>
    );
  return (
    <div role="alert" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">
        Alert evaluation is behind{s.lagSeconds ? ` by ${formatLag(s.lagSeconds)}` : ""}: rules are not being checked, so no notification is sent.
      </p>
      <p className="mt-1 text-xs">
        {s.databaseReachable ? (
          <>
            Last successful evaluation <Time value={s.lastSuccessAt} relative fallback="never" />.
          </>
        ) : (
          "The portal cannot reach its database."
        )}{" "}
        {s.lastError && (
          <>
            Last error: <code className="break-all">{s.lastError}</code>.{" "}
          </>
        )}
        Whoever runs this Sightline can check <code>npm run job -- status</code> or <code>GET /api/health</code>; jobs run inside <code>npm start</code> unless{" "}
        <code>JOBS_RUNNER</code> is off.
      </p>
    </div>
  );
}
