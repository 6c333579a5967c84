import type { ReactNode } from "react";
import { PortalHeader } from "@/components/layout/portal-header";
import { orNotFound, requireUser, serverCaller } from "@/app/_lib/server";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const user = await requireUser(`/${org}`);
  await orNotFound((await serverCaller(user)).org.get({ orgSlug: decodeURIComponent(org) }));
  return (
    <div className="min-h-screen">
      <PortalHeader user={user} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
