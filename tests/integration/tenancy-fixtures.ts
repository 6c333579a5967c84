import { randomBytes } from "node:crypto";
import { prisma } from "@/server/db/prisma";
import type { Role } from "@/server/auth/permissions";
import type { TRPCContext } from "@/server/api/trpc";

/** Unique suffix so every test creates its own users, orgs and projects in the shared run database. */
export const uniq = () => randomBytes(4).toString("hex");

export type TestUser = { id: string; email: string; name: string };

export async function makeUser(label = "user"): Promise<TestUser> {
  const email = `${label}-${uniq()}@example.test`;
  return prisma.user.create({ data: { email, name: label, passwordHash: "x" }, select: { id: true, email: true, name: true } });
}

export async function makeOrg(owner: TestUser, members: Array<[TestUser, Role]> = []) {
  const slug = `org-${uniq()}`;
  return prisma.organization.create({
    data: {
      slug,
      name: `Org ${slug}`,
      memberships: { create: [{ userId: owner.id, role: "owner" }, ...members.map(([u, role]) => ({ userId: u.id, role }))] },
    },
    select: { id: true, slug: true, name: true },
  });
}

export async function makeProject(orgId: string, slug = `proj-${uniq()}`) {
  return prisma.project.create({ data: { orgId, slug, name: `Project ${slug}` }, select: { id: true, slug: true, name: true, orgId: true } });
}

export function contextFor(user: TestUser | null, origin: string | null = "http://portal.test"): TRPCContext {
  return { user, ip: "203.0.113.7", userAgent: "vitest", requestId: `req-${uniq()}`, origin };
}

export const actorOf = (user: TestUser) => ({ userId: user.id, email: user.email, ip: "203.0.113.7", userAgent: "vitest" });
