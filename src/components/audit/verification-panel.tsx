"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { ErrorNotice, Loading, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * The verifier key and the latest signed checkpoint of a chain, to keep outside Sightline: the
 * organisation's own log, or (with `projectSlug`) an app's audit trail. `canSign` shows "sign now".
 */
export function AuditVerificationPanel({ orgSlug, projectSlug, canSign = true }: { orgSlug: string; projectSlug?: string; canSign?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgVerification = useQuery({ ...trpc.audit.verification.queryOptions({ orgSlug }), enabled: !projectSlug });
  const appVerification = useQuery({ ...trpc.audit.app.verification.queryOptions({ orgSlug, projectSlug: projectSlug ?? "" }), enabled: Boolean(projectSlug) });
  const verification = projectSlug ? appVerification : orgVerification;
  const refresh = () => queryClient.invalidateQueries({ queryKey: projectSlug ? trpc.audit.app.verification.queryKey() : trpc.audit.verification.queryKey() });
  const orgCheckpoint = useMutation(trpc.audit.checkpointNow.mutationOptions({ onSuccess: refresh }));
  const appCheckpoint = useMutation(trpc.audit.app.checkpointNow.mutationOptions({ onSuccess: refresh }));
  const checkpoint = {
    isPending: orgCheckpoint.isPending || appCheckpoint.isPending,
    error: orgCheckpoint.error ?? appCheckpoint.error,
    mutate: () => (projectSlug ? appCheckpoint.mutate({ orgSlug, projectSlug }) : orgCheckpoint.mutate({ orgSlug })),
  };
  const fileName = projectSlug ? `${orgSlug}-${projectSlug}` : orgSlug;
  const v = verification.data;
  const latest = v?.latest;
  const behind = v && latest ? v.entries - latest.treeSize : 0;
  return (
    <Panel
      title="Verify this log"
      description="Every hour the portal signs a checkpoint (entry count and Merkle root) of this log with its Ed25519 key. Keep checkpoints outside Sightline: a later log that does not extend them was rewritten or cut."
      actions={
        <div className="flex gap-2">
          {canSign && (
            <Button variant="secondary" size="sm" loading={checkpoint.isPending} disabled={!v || (behind === 0 && Boolean(latest))} onClick={checkpoint.mutate}>
              Sign a checkpoint now
            </Button>
          )}
          <Button size="sm" disabled={!latest} onClick={() => latest && download(`sightline-audit-${fileName}-${latest.treeSize}.checkpoint`, latest.note)}>
            Download checkpoint
          </Button>
        </div>
      }
    >
      <ErrorNotice error={verification.error ?? checkpoint.error} />
      {verification.isPending ? (
        <Loading label="Loading checkpoint…" />
      ) : v ? (
        <dl className="grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-gray-500">Latest checkpoint</dt>
          <dd data-testid="audit-checkpoint-status">
            {latest ? (
              <>
                {latest.treeSize} of {v.entries} entries, signed <Time value={latest.createdAt} />
                {behind > 0 && (
                  <span className="text-gray-500">
                    {" "}
                    · {behind} newer entr{behind === 1 ? "y" : "ies"} not yet covered
                  </span>
                )}
              </>
            ) : (
              `None yet: ${v.entries} entries; the hourly job signs the first one${canSign ? ", or sign one now" : ""}.`
            )}
          </dd>
          <dt className="text-gray-500">Verifier key</dt>
          <dd>
            <code className="block break-all rounded bg-gray-50 px-2 py-1 text-xs" data-testid="audit-verifier-key">
              {v.verifierKey}
            </code>
          </dd>
          <dt className="text-gray-500">Check it</dt>
          <dd className="text-xs text-gray-600">
            <code>npm run audit:verify -- --checkpoint &lt;file&gt;</code> on the server, or offline with <code>verifyCheckpoint(note, verifierKey)</code> and
            the proofs of <code>@sightline/node/audit</code>
            {projectSlug ? (
              <>
                ; each entry&apos;s inclusion proof: <code>GET /api/v1/audit/proof?seq=N</code> with a read key
              </>
            ) : null}
            .
          </dd>
        </dl>
      ) : null}
    </Panel>
  );
}
