"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { AuditTable } from "@/components/audit/audit-table";
import { AuditVerificationPanel } from "@/components/audit/verification-panel";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { EmptyState, ErrorNotice, Loading, Panel } from "@/components/ui/states";

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
  const [draft, setDraft] = useState({ action: "", actor: "" });
  const [filter, setFilter] = useState({ action: "", actor: "" });
  const actions = useQuery(trpc.audit.app.actions.queryOptions(project));
  const log = useInfiniteQuery(
    trpc.audit.app.list.infiniteQueryOptions(
      { ...project, limit: PAGE_SIZE, action: filter.action || undefined, actorEmail: filter.actor.trim() || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(draft);
  }

  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filter.action || filter.actor);
  return (
    <>
      <Panel>
        <form onSubmit={apply} className="mb-5 grid items-end gap-3 sm:grid-cols-[14rem_1fr_auto_auto]" role="search" aria-label="Search the audit trail">
          <SelectField label="Action" name="action" value={draft.action} onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}>
            <option value="">All actions</option>
            {(actions.data ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <TextField label="Actor" name="actor" placeholder="id or e-mail contains…" value={draft.actor} onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))} />
          <Button type="submit" variant="secondary">
            Search
          </Button>
          {filtered ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft({ action: "", actor: "" });
                setFilter({ action: "", actor: "" });
              }}
            >
              Clear
            </Button>
          ) : (
            <span />
          )}
        </form>
        <ErrorNotice error={log.error} />
        {log.isPending ? (
          <Loading label="Loading audit trail…" />
        ) : rows.length ? (
          <>
            <AuditTable rows={rows} />
            <div className="mt-4 flex items-center justify-between text-xs text-gray-500">
              <span>
                {rows.length} entr{rows.length === 1 ? "y" : "ies"} shown
              </span>
              {log.hasNextPage && (
                <Button variant="secondary" size="sm" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                  Load more
                </Button>
              )}
            </div>
          </>
        ) : filtered ? (
          <EmptyState title="No entries match this search" />
        ) : (
          <EmptyState title="No audit events yet">
            <p className="mb-2">Send your app&apos;s security-relevant actions (sign-ins, permission changes, exports) as <code>audit</code> events:</p>
            <pre className="overflow-x-auto rounded bg-gray-50 p-3 text-left text-xs">{FIRST_EVENT}</pre>
          </EmptyState>
        )}
      </Panel>
      <div className="mt-6">
        <AuditVerificationPanel {...project} canSign={org.can("audit:read")} />
      </div>
    </>
  );
}
