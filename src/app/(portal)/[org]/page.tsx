"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { EventsChart } from "@/components/charts/events-chart";
import { bucketLabel } from "@/components/dashboards/format";
import { OrgPresets } from "@/components/dashboards/org-presets";
import { ChartSkeleton } from "@/components/dashboards/states";
import { viewerTimeZone } from "@/components/dashboards/use-dashboard-url";
import { useOrg } from "@/components/org/use-org";
import { CreateProjectDialog } from "@/components/project/create-project-dialog";
import { SendDataSnippet } from "@/components/project/send-data";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";

/** Event types in the chart's stacking order, with their legend names. */
const EVENT_TYPES = [
  ["requests", "Requests"],
  ["logs", "Logs"],
  ["spans", "Spans"],
  ["llmCalls", "LLM calls"],
  ["errors", "Errors"],
  ["productEvents", "Product events"],
  ["metrics", "Metric points"],
] as const;
const CATEGORIES = EVENT_TYPES.map(([, label]) => label);
const DAYS = 14;

export default function OrgHomePage() {
  const trpc = useTRPC();
  const org = useOrg();
  const projects = useQuery(trpc.project.list.queryOptions({ orgSlug: org.orgSlug }));
  const [creating, setCreating] = useState(false);
  const canCreate = org.can("projects:create");
  const firstProject = projects.data?.[0];
  const events = useQuery({
    ...trpc.home.eventsPerDay.queryOptions({ orgSlug: org.orgSlug, timeZone: viewerTimeZone(), days: DAYS }),
    enabled: !!projects.data?.length,
  });
  const perDay = (events.data?.days ?? []).map((d) => ({
    date: bucketLabel(d.t, "1 day"),
    ...Object.fromEntries(EVENT_TYPES.map(([key, label]) => [label, d[key]])),
  }));

  const newProject = canCreate ? <Button onClick={() => setCreating(true)}>New project</Button> : null;
  return (
    <>
      <PageHeader title={org.data?.name ?? "…"} description="Projects in this organisation and the events they send." actions={newProject} />
      <div className="space-y-6">
        <OrgPresets projects={projects.data ?? []} />
        <Panel title="Events per day" description={`All projects, last ${DAYS} days (your time zone), by type`}>
          {projects.data?.length && events.isPending ? (
            <ChartSkeleton />
          ) : (
            <EventsChart
              data={perDay}
              categories={CATEGORIES}
              emptyState={
                <div className="rounded-lg border border-gray-200 bg-white/95 px-6 py-4 text-center shadow-sm">
                  <p className="text-sm font-semibold text-gray-900">No events yet</p>
                  <p className="mt-1 text-sm text-gray-500">This chart fills in once a project sends its first event — here is how.</p>
                </div>
              }
            />
          )}
          <ErrorNotice error={events.error} />
          <div className="mt-6 border-t border-gray-100 pt-5">
            <SendDataSnippet keysHref={firstProject ? `/${org.orgSlug}/${firstProject.slug}/settings/keys` : undefined} />
          </div>
        </Panel>

        <Panel title="Projects">
          <ErrorNotice error={projects.error} />
          {projects.isPending ? (
            <Loading label="Loading projects…" />
          ) : projects.data?.length ? (
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {projects.data.map((project) => (
                <li key={project.slug}>
                  <Link
                    href={`/${org.orgSlug}/${project.slug}`}
                    className="block rounded-lg border border-gray-200 p-4 transition hover:border-blue-300 hover:shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600"
                  >
                    <p className="font-medium text-gray-900">{project.name}</p>
                    <p className="mt-0.5 font-mono text-xs text-gray-500">{project.slug}</p>
                    <p className="mt-3 text-xs text-gray-400">
                      Created <Time value={project.createdAt} relative />
                    </p>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No projects yet" action={newProject}>
              {canCreate ? "A project is one app or service; its API keys send data to it." : "Ask an owner or admin to create one."}
            </EmptyState>
          )}
        </Panel>
      </div>
      {canCreate && <CreateProjectDialog orgSlug={org.orgSlug} open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
