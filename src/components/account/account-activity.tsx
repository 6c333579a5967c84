"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/react";
import { EmptyState, ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

const LABELS: Record<string, string> = {
  "user.signed_up": "Account created",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Failed sign-in",
  "user.signed_out": "Signed out",
};

/** The user's own sign-ins, failed sign-ins for their e-mail and sign-outs: only they see these. */
export function AccountActivity({ user }: { user: { name: string; email: string } }) {
  const trpc = useTRPC();
  const activity = useQuery(trpc.account.activity.queryOptions());
  return (
    <>
      <PageHeader title="Your account" description={`${user.name} · ${user.email}`} />
      <Panel title="Sign-in activity" description="Where your account was used from. Only you see this; organisation admins do not.">
        <ErrorNotice error={activity.error} />
        {activity.isPending ? (
          <Loading />
        ) : activity.data?.length ? (
          <Table label="Sign-in activity">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Event</Th>
                <Th>IP address</Th>
                <Th>Device</Th>
              </tr>
            </thead>
            <tbody>
              {activity.data.map((e) => (
                <Tr key={e.id}>
                  <Td className="text-xs">
                    <Time value={e.createdAt} />
                  </Td>
                  <Td className={e.action === "user.sign_in_failed" ? "text-red-700" : ""}>{LABELS[e.action] ?? e.action}</Td>
                  <Td className="font-mono text-xs">{e.ip ?? <span className="text-gray-400">unknown</span>}</Td>
                  <Td className="max-w-xs truncate text-xs text-gray-500" title={e.userAgent ?? undefined}>
                    {e.userAgent ?? "—"}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState title="No sign-in activity yet" />
        )}
      </Panel>
    </>
  );
}
