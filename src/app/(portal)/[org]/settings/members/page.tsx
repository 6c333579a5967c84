"use client";

import { useQuery } from "@tanstack/react-query";
import { InvitationsTable } from "@/components/members/invitations-table";
import { InviteForm } from "@/components/members/invite-form";
import { MembersTable } from "@/components/members/members-table";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Loading, PageHeader, Panel } from "@/components/ui/states";

export default function MembersPage() {
  const trpc = useTRPC();
  const org = useOrg();
  const me = useQuery(trpc.account.me.queryOptions());
  if (!org.data) return <Loading />;
  const role = org.data.role;
  return (
    <>
      <PageHeader title="Members" description={`People in ${org.data.name} and what their role lets them do. Your role: ${role}.`} />
      <div className="space-y-6">
        {org.can("members:invite") && (
          <Panel title="Invite a teammate" description="They get a link to join with the role you choose. The link expires after a few days.">
            <InviteForm orgSlug={org.orgSlug} myRole={role} />
          </Panel>
        )}
        <Panel title="Members">
          <MembersTable
            orgSlug={org.orgSlug}
            myRole={role}
            myUserId={me.data?.user.id}
            canUpdate={org.can("members:update")}
            canRemove={org.can("members:remove")}
          />
        </Panel>
        {org.can("members:invite") && (
          <Panel title="Pending invitations">
            <InvitationsTable orgSlug={org.orgSlug} canRevoke={org.can("members:invite")} />
          </Panel>
        )}
      </div>
    </>
  );
}
