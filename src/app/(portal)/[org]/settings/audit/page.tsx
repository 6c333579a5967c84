"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AuditBrowser, type AuditFilter } from "@/components/audit/audit-browser";
import { AuditVerificationPanel } from "@/components/audit/verification-panel";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { EmptyState, Loading, PageHeader, Panel } from "@/components/ui/states";

const PAGE_SIZE = 50;

export default function AuditLogPage() {
  const trpc = useTRPC();
  const org = useOrg();
  const allowed = org.can("audit:read");
  const [filter, setFilter] = useState<AuditFilter>({ action: "", actor: "" });
  const actions = useQuery({ ...trpc.audit.actions.queryOptions({ orgSlug: org.orgSlug }), enabled: allowed });
  const log = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(
      { orgSlug: org.orgSlug, limit: PAGE_SIZE, action: filter.action || undefined, actorEmail: filter.actor.trim() || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    enabled: allowed,
  });

  if (org.isPending) return <Loading />;
  if (!allowed) return <EmptyState title="Only owners and admins can see the audit log" />;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every security-relevant action in this organisation, newest first. Records are hash-chained and checkpointed; the panel below says how to verify them."
      />
      <Panel>
        <AuditBrowser
          actions={actions.data ?? []}
          log={log}
          filter={filter}
          onFilter={setFilter}
          labels={{
            search: "Filter audit log",
            submit: "Apply filters",
            actor: "Actor e-mail",
            actorPlaceholder: "contains…",
            loading: "Loading audit log…",
            noun: ["record", "records"],
            noMatch: "No records match these filters",
          }}
          empty={<EmptyState title="No audit records yet" />}
        />
      </Panel>
      <div className="mt-6">
        <AuditVerificationPanel orgSlug={org.orgSlug} />
      </div>
    </>
  );
}
