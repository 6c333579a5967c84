import { randomBytes } from "node:crypto";
import { getTRPCErrorFromUnknown, getTRPCErrorShape } from "@trpc/server";
import { expect } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
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

/** A tRPC caller acting as `user` (or signed out). */
export const callerFor = (user: TestUser | null, origin?: string | null) => createCaller(contextFor(user, origin));

/** The error shape a client receives (through the project's real error formatter). */
export function clientShapeOf(error: unknown) {
  const trpcError = getTRPCErrorFromUnknown(error);
  return getTRPCErrorShape({ config: appRouter._def._config, error: trpcError, type: "mutation", path: "test", input: undefined, ctx: undefined });
}

/**
 * Awaits a call that must fail with `code`; when `field` is given, the client must see that field
 * in `error.data.fieldErrors`. Returns the client shape for further checks.
 */
export async function expectTRPCError(call: Promise<unknown>, code: string, field?: string) {
  const error = await call.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  const shape = clientShapeOf(error);
  expect(shape.data.code, shape.message).toBe(code);
  if (field) expect(Object.keys(shape.data.fieldErrors ?? {}), shape.message).toContain(field);
  return shape;
}

/** Creates a user with an org where `others` hold the given roles; returns callers for each. */
export async function orgWithRoles() {
  const owner = await makeUser("owner");
  const admin = await makeUser("admin");
  const member = await makeUser("member");
  const viewer = await makeUser("viewer");
  const org = await makeOrg(owner, [
    [admin, "admin"],
    [member, "member"],
    [viewer, "viewer"],
  ]);
  return { org, owner, admin, member, viewer };
}

export async function auditCount(orgId: string | null, action: string, targetId?: string) {
  return prisma.auditLog.count({ where: { orgId, action, ...(targetId ? { targetId } : {}) } });
}
