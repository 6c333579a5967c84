"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AuditBrowser, type AuditFilter } from "@/components/audit/audit-browser";
import { AuditVerificationPanel } from "@/components/audit/verification-panel";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { EmptyState, Panel } from "@/components/ui/states";

const PAGE_SIZE = 50;

const FIRST_EVENT = `curl -X POST "$SIGHTLINE_ENDPOINT/api/v1/ingest" \\
  -H "Authorization: Bearer $SIGHTLINE_API_KEY" -H "Content-Type: application/json" \\
  -d '{"batch":[{"type":"audit","actor":{"id":"u-1","email":"ada@example.com"},"action":"user.signed_in","ip":"203.0.113.5"}]}'

// or with the SDK:  audit({ actor: { id: user.id }, action: "role.changed", target: { type: "user", id }, outcome: "success" })`;

/** The app's own audit trail (its `audit` events): search, the entries, and how to verify them. */
export function AppAuditTrail() {
  const trpc = useTRPC();
  const org = useOrg();
  const project = useProjectInput();
  const [filter, setFilter] = useState<AuditFilter>({ action: "", actor: "" });
  const actions = useQuery(trpc.audit.app.actions.queryOptions(project));
  const log = useInfiniteQuery(
    trpc.audit.app.list.infiniteQueryOptions(
      { ...project, limit: PAGE_SIZE, action: filter.action || undefined, actorEmail: filter.actor.trim() || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  return (
    <>
      <Panel>
        <AuditBrowser
          actions={actions.data ?? []}
          log={log}
          filter={filter}
          onFilter={setFilter}
          labels={{
            search: "Search the audit trail",
            submit: "Search",
            actor: "Actor",
            actorPlaceholder: "id or e-mail contains…",
            loading: "Loading audit trail…",
            noun: ["entry", "entries"],
            noMatch: "No entries match this search",
          }}
          empty={
            <EmptyState title="No audit events yet">
              <p className="mb-2">
                Send your app&apos;s security-relevant actions (sign-ins, permission changes, exports) as <code>audit</code> events:
              </p>
              <pre className="overflow-x-auto rounded bg-gray-50 p-3 text-left text-xs">{FIRST_EVENT}</pre>
            </EmptyState>
          }
        />
      </Panel>
      <div className="mt-6">
        <AuditVerificationPanel {...project} canSign={org.can("audit:read")} />
      </div>
    </>
  );
}
