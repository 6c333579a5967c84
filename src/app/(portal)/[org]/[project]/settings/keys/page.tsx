"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { CreateKeyDialog } from "@/components/project/create-key-dialog";
import { RevokeKeyButton } from "@/components/project/revoke-key-button";
import { useOrg, useSlugs } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNotice, Loading, Panel, RoleBadge } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export default function ApiKeysPage() {
  const trpc = useTRPC();
  const { orgSlug, projectSlug } = useSlugs();
  const org = useOrg();
  const scope = { orgSlug, projectSlug: projectSlug ?? "" };
  const canRead = org.can("apiKeys:read");
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions(scope), enabled: canRead });
  const [creating, setCreating] = useState(false);
  const canCreate = org.can("apiKeys:create");
  const canRevoke = org.can("apiKeys:revoke");

  if (org.isPending) return <Loading />;
  if (!canRead) {
    return (
      <EmptyState title="API keys are hidden for your role">
        Your role ({org.data?.role}) cannot see this project&apos;s keys. Ask an owner or admin if you need one.
      </EmptyState>
    );
  }

  return (
    <>
      <Panel
        title="API keys"
        description="Keys authenticate your apps: ingest keys send data, read keys query it. Secrets are shown once, when created."
        actions={canCreate ? <Button onClick={() => setCreating(true)}>Create key</Button> : null}
      >
        <ErrorNotice error={keys.error} />
        {keys.isPending ? (
          <Loading label="Loading keys…" />
        ) : keys.data?.length ? (
          <Table label="API keys">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Scope</Th>
                <Th>Created by</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <Tr key={key.id} className={key.revokedAt ? "text-gray-400" : ""}>
                  <Td className="font-medium text-gray-900">{key.name}</Td>
                  <Td>
                    <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs">{key.prefix}…</code>
                  </Td>
                  <Td>
                    <RoleBadge role={key.scope} />
                    {key.scope === "read" && (
                      <span className="ml-2 text-xs text-gray-500" title="Read keys see LLM spend only if their creator could when they made it">
                        {key.seesSpend ? "with spend" : "no spend"}
                      </span>
                    )}
                  </Td>
                  <Td title={key.createdBy.email}>{key.createdBy.name}</Td>
                  <Td>
                    <Time value={key.createdAt} />
                  </Td>
                  <Td>
                    <Time value={key.lastUsedAt} relative fallback="Never" />
                  </Td>
                  <Td className="text-right">
                    {key.revokedAt ? (
                      <span className="text-xs text-gray-500">
                        Revoked <Time value={key.revokedAt} relative />
                      </span>
                    ) : canRevoke ? (
                      <RevokeKeyButton scope={scope} apiKey={key} />
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState title="No API keys yet" action={canCreate ? <Button onClick={() => setCreating(true)}>Create key</Button> : null}>
            Create an <strong>ingest</strong> key to start sending events from your app.
          </EmptyState>
        )}
      </Panel>
      {canCreate && <CreateKeyDialog scope={scope} open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
