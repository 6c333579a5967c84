"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Loading, Panel } from "@/components/ui/states";

const ROLES = ["admin", "member", "viewer"] as const;

/** Owners choose which other roles see LLM spend (`spend:read`); others see the current setting. */
export function SpendAccessPanel() {
  const trpc = useTRPC();
  const org = useOrg();
  const client = useQueryClient();
  const q = useQuery(trpc.dashboards.spendAccess.queryOptions({ orgSlug: org.orgSlug }));
  const [draft, setDraft] = useState<Array<(typeof ROLES)[number]> | null>(null);
  const save = useMutation(
    trpc.dashboards.setSpendAccess.mutationOptions({
      onSuccess: () => void client.invalidateQueries(),
      onError: () => setDraft(null),
    }),
  );
  const isOwner = org.can("spend:manage");
  const roles = new Set<string>(draft ?? q.data?.roles ?? []);
  return (
    <Panel title="Who sees LLM spend" description="Owners always do. Costs, projections and prices are hidden from the roles you leave unticked.">
      <ErrorNotice error={q.error ?? save.error} />
      {!q.data ? (
        <Loading />
      ) : (
        <fieldset className="flex flex-wrap gap-6" disabled={!isOwner}>
          <legend className="sr-only">Roles that see spend</legend>
          <label className="inline-flex items-center gap-2 text-sm text-gray-500">
            <input type="checkbox" checked disabled className="h-4 w-4" /> owner
          </label>
          {ROLES.map((role) => (
            <label key={role} className="inline-flex items-center gap-2 text-sm text-gray-800">
              <input
                type="checkbox"
                className="h-4 w-4 rounded border-gray-300 text-blue-600"
                aria-label={`${role} sees spend`}
                checked={roles.has(role)}
                onChange={(e) => {
                  const next = ROLES.filter((r) => (r === role ? e.target.checked : roles.has(r)));
                  setDraft(next);
                  save.mutate({ orgSlug: org.orgSlug, roles: next });
                }}
              />
              {role}
            </label>
          ))}
        </fieldset>
      )}
      {!isOwner && <p className="mt-3 text-xs text-gray-500">Only owners can change this.</p>}
    </Panel>
  );
}
