"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { assignableRoles, ROLES, type Role } from "@/server/auth/permissions";
import { useTRPC } from "@/components/trpc/react";
import { formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { ErrorNotice, Loading, RoleBadge } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

type Member = { userId: string; name: string; email: string; role: Role; joinedAt: Date };

export function MembersTable({
  orgSlug,
  myRole,
  myUserId,
  canUpdate,
  canRemove,
}: {
  orgSlug: string;
  myRole: Role;
  myUserId?: string;
  canUpdate: boolean;
  canRemove: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ orgSlug }));
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions());
  const remove = useMutation(trpc.member.remove.mutationOptions());
  const [removing, setRemoving] = useState<Member | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ orgSlug }) });
  const grantable = new Set(assignableRoles(myRole));

  async function setRole(member: Member, role: Role) {
    await changeRole.mutateAsync({ orgSlug, userId: member.userId, role }).catch(() => null);
    await refresh();
  }

  async function confirmRemove() {
    if (!removing) return;
    try {
      await remove.mutateAsync({ orgSlug, userId: removing.userId });
    } catch {
      return;
    }
    setRemoving(null);
    await refresh();
  }

  if (members.isPending) return <Loading label="Loading members…" />;
  return (
    <div className="space-y-3">
      <ErrorNotice error={members.error ?? changeRole.error} />
      <Table label="Members">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>E-mail</Th>
            <Th>Role</Th>
            <Th>Joined</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {(members.data ?? []).map((member) => {
            const editable = canUpdate && grantable.has(member.role);
            return (
              <Tr key={member.userId}>
                <Td className="font-medium text-gray-900">
                  {member.name}
                  {member.userId === myUserId && <span className="ml-2 text-xs font-normal text-gray-400">(you)</span>}
                </Td>
                <Td>{member.email}</Td>
                <Td>
                  {editable ? (
                    <select
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      disabled={changeRole.isPending}
                      onChange={(e) => void setRole(member, e.target.value as Role)}
                      className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-blue-600"
                    >
                      {ROLES.filter((r) => grantable.has(r) || r === member.role).map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <RoleBadge role={member.role} />
                  )}
                </Td>
                <Td>
                  <Time value={member.joinedAt} />
                </Td>
                <Td className="text-right">
                  {canRemove && grantable.has(member.role) && (
                    <Button variant="ghost" size="sm" onClick={() => setRemoving(member)} aria-label={`Remove ${member.email}`}>
                      Remove
                    </Button>
                  )}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove member?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={confirmRemove} loading={remove.isPending}>
              Remove
            </Button>
          </>
        }
      >
        <FormError message={formErrorOf(remove.error)} />
        <p className="text-gray-600">
          {removing?.name} ({removing?.email}) loses access to this organisation and all its projects.
        </p>
      </Dialog>
    </div>
  );
}
