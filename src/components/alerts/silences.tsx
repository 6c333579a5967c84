"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { TableSkeleton } from "@/components/dashboards/states";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNotice, PageHeader, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { SilenceDialog } from "./silence-dialog";

/** Active and scheduled silences of the project's rules; members create and end them. */
export function SilencesPage() {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const org = useOrg();
  const canWrite = org.can("alerts:write");
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.listRules.queryOptions(scope));
  const end = useMutation(trpc.alerts.endSilence.mutationOptions());
  const [creating, setCreating] = useState(false);
  // Spend rules are read-only to roles without spend:read (the server refuses their silences too).
  const silenceable = (rules.data ?? []).filter((r) => !r.moneyHidden);
  const silences = (rules.data ?? [])
    .flatMap((r) => r.silences.map((s) => ({ ...s, ruleName: r.name, writable: !r.moneyHidden })))
    .sort((a, b) => new Date(a.endsAt).getTime() - new Date(b.endsAt).getTime());

  return (
    <>
      <PageHeader
        title="Silences"
        description="A silenced rule keeps evaluating and recording incidents but notifies nobody; when the silence ends, a still-firing alert is notified."
        actions={canWrite && silenceable.length ? <Button onClick={() => setCreating(true)}>New silence</Button> : null}
      />
      <Panel>
        <ErrorNotice error={rules.error ?? end.error} />
        {rules.isPending ? (
          <TableSkeleton rows={3} />
        ) : silences.length ? (
          <Table label="Silences">
            <thead>
              <tr>
                <Th>Rule</Th>
                <Th>Reason</Th>
                <Th>Started</Th>
                <Th>Ends</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {silences.map((s) => (
                <Tr key={s.id}>
                  <Td className="font-medium text-gray-900">{s.ruleName}</Td>
                  <Td className="whitespace-normal text-gray-600">{s.reason ?? <span className="text-gray-400">—</span>}</Td>
                  <Td>
                    <Time value={s.startsAt} />
                  </Td>
                  <Td>
                    <Time value={s.endsAt} />{" "}
                    <span className="text-xs text-gray-500">
                      (<Time value={s.endsAt} relative />)
                    </span>
                  </Td>
                  <Td className="text-right">
                    {canWrite && s.writable && (
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={`End silence on ${s.ruleName}`}
                        loading={end.isPending && end.variables?.id === s.id}
                        onClick={() =>
                          end.mutate(
                            { ...scope, id: s.id },
                            { onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.listRules.queryKey(scope) }) },
                          )
                        }
                      >
                        End now
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState
            title="No active silences"
            action={
              canWrite && silenceable.length ? (
                <Button variant="secondary" onClick={() => setCreating(true)}>
                  New silence
                </Button>
              ) : null
            }
          >
            Silence a rule during a deploy or while you work on a known problem.
          </EmptyState>
        )}
      </Panel>
      {creating && <SilenceDialog rules={silenceable.map((r) => ({ id: r.id, name: r.name }))} onClose={() => setCreating(false)} />}
    </>
  );
}
