"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNotice, Loading, RoleBadge } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export function InvitationsTable({ orgSlug, canRevoke }: { orgSlug: string; canRevoke: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ orgSlug }));
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions());

  async function revokeOne(invitationId: string) {
    await revoke.mutateAsync({ orgSlug, invitationId }).catch(() => null);
    await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey({ orgSlug }) });
  }

  if (invitations.isPending) return <Loading label="Loading invitations…" />;
  if (!invitations.data?.length)
    return (
      <>
        <ErrorNotice error={invitations.error} />
        <EmptyState title="No pending invitations" />
      </>
    );
  return (
    <div className="space-y-3">
      <ErrorNotice error={revoke.error} />
      <Table label="Pending invitations">
        <thead>
          <tr>
            <Th>E-mail</Th>
            <Th>Role</Th>
            <Th>Invited by</Th>
            <Th>Expires</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {invitations.data.map((inv) => (
            <Tr key={inv.id}>
              <Td className="font-medium text-gray-900">{inv.email}</Td>
              <Td>
                <RoleBadge role={inv.role} />
              </Td>
              <Td>{inv.invitedBy.name}</Td>
              <Td>
                <Time value={inv.expiresAt} />
              </Td>
              <Td className="text-right">
                {canRevoke && (
                  <Button variant="ghost" size="sm" onClick={() => void revokeOne(inv.id)} aria-label={`Revoke invitation for ${inv.email}`}>
                    Revoke
                  </Button>
                )}
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
