"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { AuditTable } from "@/components/audit/audit-table";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { EmptyState, ErrorNotice, Loading } from "@/components/ui/states";
import type { AuditListItem } from "@/server/audit/query";

export type AuditFilter = { action: string; actor: string };

type Log = {
  data?: { pages: Array<{ items: AuditListItem[] }> };
  error: { message: string } | null;
  isPending: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

/**
 * A filterable, paged audit log: the organisation's own (Settings → Audit log) or an app's trail
 * (the project's Audit page). The caller owns the query; this owns the form, the table and paging.
 */
export function AuditBrowser(props: {
  actions: string[];
  log: Log;
  filter: AuditFilter;
  onFilter: (filter: AuditFilter) => void;
  labels: { search: string; submit: string; actor: string; actorPlaceholder: string; loading: string; noun: [string, string]; noMatch: string };
  empty: ReactNode;
}) {
  const { actions, log, filter, onFilter, labels } = props;
  const [draft, setDraft] = useState(filter);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onFilter(draft);
  };
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filter.action || filter.actor);
  return (
    <>
      <form onSubmit={apply} className="mb-5 grid items-end gap-3 sm:grid-cols-[14rem_1fr_auto_auto]" role="search" aria-label={labels.search}>
        <SelectField label="Action" name="action" value={draft.action} onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}>
          <option value="">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </SelectField>
        <TextField
          label={labels.actor}
          name="actor"
          placeholder={labels.actorPlaceholder}
          value={draft.actor}
          onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))}
        />
        <Button type="submit" variant="secondary">
          {labels.submit}
        </Button>
        {filtered ? (
          <Button
            variant="ghost"
            onClick={() => {
              setDraft({ action: "", actor: "" });
              onFilter({ action: "", actor: "" });
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
        <Loading label={labels.loading} />
      ) : rows.length ? (
        <>
          <AuditTable rows={rows} />
          <div className="mt-4 flex items-center justify-between text-xs text-gray-500">
            <span>
              {rows.length} {rows.length === 1 ? labels.noun[0] : labels.noun[1]} shown
            </span>
            {log.hasNextPage && (
              <Button variant="secondary" size="sm" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </div>
        </>
      ) : filtered ? (
        <EmptyState title={labels.noMatch} />
      ) : (
        props.empty
      )}
    </>
  );
}
