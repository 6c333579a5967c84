"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { EventsChart } from "@/components/charts/events-chart";
import { OrgPresets } from "@/components/dashboards/org-presets";
import { useOrg } from "@/components/org/use-org";
import { CreateProjectDialog } from "@/components/project/create-project-dialog";
import { SendDataSnippet } from "@/components/project/send-data";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";

export default function OrgHomePage() {
  const trpc = useTRPC();
  const org = useOrg();
  const projects = useQuery(trpc.project.list.queryOptions({ orgSlug: org.orgSlug }));
  const [creating, setCreating] = useState(false);
  const canCreate = org.can("projects:create");
  const firstProject = projects.data?.[0];

  const newProject = canCreate ? <Button onClick={() => setCreating(true)}>New project</Button> : null;
  return (
    <>
      <PageHeader title={org.data?.name ?? "…"} description="Projects in this organisation and the events they send." actions={newProject} />
      <div className="space-y-6">
        <OrgPresets projects={projects.data ?? []} />
        <Panel title="Events per day" description="All projects, last 14 days">
          <EventsChart
            data={[]}
            emptyState={
              <div className="rounded-lg border border-gray-200 bg-white/95 px-6 py-4 text-center shadow-sm">
                <p className="text-sm font-semibold text-gray-900">No events yet</p>
                <p className="mt-1 text-sm text-gray-500">This chart fills in once a project sends its first event — here is how.</p>
              </div>
            }
          />
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
