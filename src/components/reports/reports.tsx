"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { TableSkeleton } from "@/components/dashboards/states";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNotice, PageHeader, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

const weekLabel = (weekStart: string) => {
  const start = new Date(`${weekStart}T00:00:00Z`);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  const f = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
  return `${f.format(start)} – ${f.format(end)}, ${end.getUTCFullYear()}`;
};

/** The caller's own weekly-report subscription for this organisation, as a switch. */
function SubscriptionToggle({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sub = useQuery({ ...trpc.reports.subscription.queryOptions({ orgSlug }), staleTime: 0 });
  const set = useMutation(trpc.reports.setSubscription.mutationOptions());
  const on = sub.data?.subscribed ?? false;
  return (
    <div className="flex items-center justify-between gap-4">
      <div className="flex-1">
        <p id="subscription-label" className="text-sm font-medium text-gray-900">
          E-mail me the weekly report
        </p>
        <p className="text-xs text-gray-500">Mondays at 09:00 in the organisation&apos;s time zone. Only your own subscription changes.</p>
        {set.error && (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {set.error.message}
          </p>
        )}
      </div>
      <span className="text-sm text-gray-600" aria-hidden>
        {sub.isPending ? "" : on ? "Subscribed" : "Unsubscribed"}
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-labelledby="subscription-label"
        disabled={sub.isPending || set.isPending}
        onClick={() =>
          set.mutate({ orgSlug, subscribed: !on }, { onSuccess: (data) => queryClient.setQueryData(trpc.reports.subscription.queryKey({ orgSlug }), data) })
        }
        className={`relative inline-flex h-6 w-11 shrink-0 rounded-full focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-60 ${on ? "bg-blue-600" : "bg-gray-300"}`}
      >
        <span className={`m-0.5 inline-block h-5 w-5 rounded-full bg-white shadow ${on ? "translate-x-5" : ""}`} />
      </button>
    </div>
  );
}

/** Stored weekly reports, the caller's subscription, and "send me this week's report now". */
export function ReportsPage() {
  const trpc = useTRPC();
  const org = useOrg();
  const orgSlug = org.orgSlug;
  const reports = useQuery(trpc.reports.list.queryOptions({ orgSlug }));
  const send = useMutation(trpc.reports.sendMeNow.mutationOptions());
  const queryClient = useQueryClient();

  return (
    <>
      <PageHeader
        title="Weekly reports"
        description="Requests, errors, latency, LLM spend and alerts of each project, week over week."
        actions={
          <Button
            loading={send.isPending}
            onClick={() => send.mutate({ orgSlug }, { onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.reports.list.queryKey({ orgSlug }) }) })}
          >
            Send me this week&apos;s report now
          </Button>
        }
      />
      <div className="space-y-6">
        <div aria-live="polite">
          {send.data && (
            <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
              Sent a preview of the week of {weekLabel(send.data.weekStart)} to your e-mail address.{" "}
              <Link className="font-medium underline" href={`/${orgSlug}/reports/${send.data.reportId}`}>
                View it here
              </Link>
              .
            </div>
          )}
          <ErrorNotice error={send.error} />
        </div>
        <Panel>
          <SubscriptionToggle orgSlug={orgSlug} />
        </Panel>
        <Panel title="Stored reports">
          <ErrorNotice error={reports.error} />
          {reports.isPending ? (
            <TableSkeleton rows={4} />
          ) : reports.data?.length ? (
            <Table label="Weekly reports">
              <thead>
                <tr>
                  <Th>Week</Th>
                  <Th>Time zone</Th>
                  <Th>Generated</Th>
                  <Th className="text-right">
                    <span className="sr-only">Open</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {reports.data.map((r) => (
                  <Tr key={r.id}>
                    <Td className="font-medium text-gray-900">
                      <Link href={`/${orgSlug}/reports/${r.id}`} className="hover:text-blue-700">
                        {weekLabel(r.weekStart)}
                      </Link>
                    </Td>
                    <Td className="text-xs">{r.timeZone}</Td>
                    <Td className="text-xs">
                      <Time value={r.generatedAt} />
                    </Td>
                    <Td className="text-right">
                      <Link
                        href={`/${orgSlug}/reports/${r.id}`}
                        className="text-sm font-medium text-blue-700 hover:underline"
                        aria-label={`View report for ${weekLabel(r.weekStart)}`}
                      >
                        View
                      </Link>
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <EmptyState title="No reports yet">The first report is generated on Monday at 09:00, or now with “Send me this week&apos;s report now”.</EmptyState>
          )}
        </Panel>
      </div>
    </>
  );
}

/** One stored report as it was e-mailed (HTML in a sandboxed, script-less frame sized to its content), with its plain-text part. */
export function ReportView({ id }: { id: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const report = useQuery(trpc.reports.get.queryOptions({ orgSlug: org.orgSlug, id }));
  if (report.isPending) return <TableSkeleton rows={8} />;
  if (report.error) return <ErrorNotice error={report.error} />;
  const r = report.data;
  return (
    <>
      <Link href={`/${org.orgSlug}/reports`} className="text-sm text-gray-500 hover:text-gray-800">
        ← Weekly reports
      </Link>
      <PageHeader
        title={`Week of ${weekLabel(r.weekStart)}`}
        description={
          <>
            Generated <Time value={r.generatedAt} />. Spend figures appear only for roles allowed to see spend.
          </>
        }
      />
      <div className="space-y-6">
        <div className="overflow-hidden rounded-lg border border-gray-200 bg-white shadow-sm">
          <iframe
            title="Report e-mail"
            sandbox="allow-same-origin"
            srcDoc={r.html}
            className="h-[600px] w-full"
            onLoad={(e) => {
              const doc = e.currentTarget.contentDocument;
              if (doc) e.currentTarget.style.height = `${doc.documentElement.scrollHeight + 24}px`;
            }}
          />
        </div>
        <details className="rounded-lg border border-gray-200 bg-white p-5 shadow-sm">
          <summary className="cursor-pointer text-sm font-medium text-gray-900">Plain-text version</summary>
          <pre className="mt-3 whitespace-pre-wrap font-mono text-xs text-gray-700">{r.text}</pre>
        </details>
      </div>
    </>
  );
}
