"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { useProjectInput } from "@/components/dashboards/use-project";

const LABELS: Record<string, string> = {
  logs: "Logs",
  requests: "Requests",
  error_events: "Error events",
  llm_calls: "LLM calls",
  product_events: "Product events",
  rollup_users: "Per-user rollups",
};

/** Settings → Data → End-user data: look up, export and erase one of the app's users (owners and admins). */
export function EndUserData() {
  const trpc = useTRPC();
  const project = useProjectInput();
  const [draft, setDraft] = useState("");
  const [userId, setUserId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const found = useQuery({ ...trpc.lifecycle.endUser.queryOptions({ ...project, userId: userId ?? "" }), enabled: userId !== null });
  const erase = useMutation(
    trpc.lifecycle.eraseEndUser.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void found.refetch();
      },
    }),
  );
  const total = found.data ? Object.values(found.data).reduce((n, v) => n + v, 0) : 0;
  const exportHref = userId ? `/api/end-users/${project.orgSlug}/${project.projectSlug}?userId=${encodeURIComponent(userId)}` : "#";
  return (
    <Panel title="End-user data" description="Everything stored about one of your app's users (the userId your app sends): export it, or erase it for good.">
      <form
        className="flex items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          erase.reset();
          setConfirming(false);
          setUserId(draft.trim());
        }}
      >
        <TextField
          label="End-user id"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="e.g. user_1234"
          error={fieldErrorsOf(found.error).userId}
        />
        <Button type="submit">Look up</Button>
      </form>
      <ErrorNotice error={found.error && !fieldErrorsOf(found.error).userId ? found.error : null} />
      {found.data && (
        <div className="mt-4 space-y-3 text-sm" data-testid="end-user-result">
          <p>
            {total} rows stored about <span className="font-mono">{userId}</span>:{" "}
            {Object.entries(found.data)
              .map(([k, n]) => `${LABELS[k] ?? k} ${n}`)
              .join(" · ")}
          </p>
          <div className="flex items-center gap-3">
            <a className="text-blue-700 hover:underline" href={exportHref} download>
              Export (NDJSON.gz)
            </a>
            {!confirming ? (
              <Button variant="ghost" onClick={() => setConfirming(true)} disabled={!total}>
                Erase…
              </Button>
            ) : (
              <>
                <span className="text-red-700">Deletes these rows and keeps them out of restores. This cannot be undone.</span>
                <Button onClick={() => userId && erase.mutate({ ...project, userId })} loading={erase.isPending}>
                  Erase end-user data
                </Button>
                <Button variant="ghost" onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </>
            )}
          </div>
          {erase.data && (
            <p role="status" data-testid="erase-result">
              Erased:{" "}
              {Object.entries(erase.data.deleted)
                .map(([k, n]) => `${LABELS[k] ?? k} ${n}`)
                .join(" · ")}
            </p>
          )}
          {formErrorOf(erase.error) && (
            <p role="alert" className="text-xs text-red-600">
              {formErrorOf(erase.error)}
            </p>
          )}
        </div>
      )}
    </Panel>
  );
}
