"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { AuditTable } from "@/components/audit/audit-table";
import { AuditVerificationPanel } from "@/components/audit/verification-panel";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { EmptyState, ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";

const PAGE_SIZE = 50;

export default function AuditLogPage() {
  const trpc = useTRPC();
  const org = useOrg();
  const allowed = org.can("audit:read");
  const [draft, setDraft] = useState({ action: "", actor: "" });
  const [filter, setFilter] = useState({ action: "", actor: "" });
  const actions = useQuery({ ...trpc.audit.actions.queryOptions({ orgSlug: org.orgSlug }), enabled: allowed });
  const log = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(
      { orgSlug: org.orgSlug, limit: PAGE_SIZE, action: filter.action || undefined, actorEmail: filter.actor.trim() || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    enabled: allowed,
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(draft);
  }

  if (org.isPending) return <Loading />;
  if (!allowed) return <EmptyState title="Only owners and admins can see the audit log" />;

  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filter.action || filter.actor);
  return (
    <>
      <PageHeader title="Audit log" description="Every security-relevant action in this organisation, newest first. Records are hash-chained and checkpointed; the panel below says how to verify them." />
      <Panel>
        <form onSubmit={apply} className="mb-5 grid items-end gap-3 sm:grid-cols-[14rem_1fr_auto_auto]" role="search" aria-label="Filter audit log">
          <SelectField label="Action" name="action" value={draft.action} onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}>
            <option value="">All actions</option>
            {(actions.data ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <TextField label="Actor e-mail" name="actor" placeholder="contains…" value={draft.actor} onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))} />
          <Button type="submit" variant="secondary">
            Apply filters
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
          <Loading label="Loading audit log…" />
        ) : rows.length ? (
          <>
            <AuditTable rows={rows} />
            <div className="mt-4 flex items-center justify-between text-xs text-gray-500">
              <span>
                {rows.length} record{rows.length === 1 ? "" : "s"} shown
              </span>
              {log.hasNextPage && (
                <Button variant="secondary" size="sm" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                  Load more
                </Button>
              )}
            </div>
          </>
        ) : (
          <EmptyState title={filtered ? "No records match these filters" : "No audit records yet"} />
        )}
      </Panel>
      <div className="mt-6">
        <AuditVerificationPanel orgSlug={org.orgSlug} />
      </div>
    </>
  );
}
