import type { ReactNode } from "react";
import { ProjectNav } from "@/components/project/project-nav";
import { orNotFound, requireUser, serverCaller } from "@/app/_lib/server";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  const user = await requireUser(`/${org}/${project}`);
  const found = await orNotFound((await serverCaller(user)).project.get({ orgSlug: decodeURIComponent(org), projectSlug: decodeURIComponent(project) }));
  return (
    <>
      <ProjectNav orgSlug={decodeURIComponent(org)} projectSlug={found.slug} projectName={found.name} />
      {children}
    </>
  );
}
