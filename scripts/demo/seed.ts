import { auditFromActor, recordAudit, type AuditActor } from "../../src/server/audit/record";
import { hashPassword, verifyPassword } from "../../src/server/auth/password";
import { prisma } from "../../src/server/db/prisma";
import { createApiKey } from "../../src/server/keys/create";
import { apiKeyFromRandom, base62FromSeed, type ApiKeyScope } from "../../src/server/keys/generate";
import { createOrganizationInTx } from "../../src/server/tenancy/organizations";
import { createProject } from "../../src/server/tenancy/projects";

/** The demo account. Public on purpose: it exists for newcomers and scripts, never for production data. */
export const DEMO = {
  email: "demo@sightline.local",
  password: "sightline-demo-1",
  name: "Demo User",
  orgSlug: "demo",
  orgName: "Demo",
  projectSlug: "demo-app",
  projectName: "Demo App",
  keySeed: "sightline-demo-keys-v1",
} as const;

export type DemoSeed = { email: string; password: string; orgSlug: string; projectId: string; ingestKey: string; readKey: string };

/** Demo keys are derived from a fixed seed, so every run prints the same secrets and their hashes match. */
export const demoKey = (scope: ApiKeyScope) => apiKeyFromRandom(scope, base62FromSeed(`${DEMO.keySeed}:${scope}`));

async function ensureUser(): Promise<string> {
  const existing = await prisma.user.findUnique({ where: { email: DEMO.email }, select: { id: true, passwordHash: true } });
  if (existing) {
    if (!(await verifyPassword(DEMO.password, existing.passwordHash))) {
      await prisma.user.update({ where: { id: existing.id }, data: { passwordHash: await hashPassword(DEMO.password) } });
    }
    return existing.id;
  }
  const passwordHash = await hashPassword(DEMO.password);
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email: DEMO.email, name: DEMO.name, passwordHash }, select: { id: true } });
    await recordAudit(
      {
        action: "user.signed_up",
        actorId: user.id,
        actorEmail: DEMO.email,
        userAgent: "seed-demo",
        targetType: "user",
        targetId: user.id,
        metadata: { seed: true },
      },
      tx,
    );
    return user.id;
  });
}

async function ensureOrg(actor: AuditActor & { userId: string }): Promise<string> {
  const org = await prisma.organization.findUnique({ where: { slug: DEMO.orgSlug }, select: { id: true } });
  if (!org) {
    const created = await prisma.$transaction((tx) => createOrganizationInTx(tx, { userId: actor.userId, name: DEMO.orgName, slug: DEMO.orgSlug, actor }));
    return created.id;
  }
  const membership = await prisma.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: actor.userId } }, select: { role: true } });
  if (!membership) {
    throw new Error(`An organisation "${DEMO.orgSlug}" already exists and the demo user is not in it: refusing to join it with a public password`);
  }
  if (membership.role !== "owner") {
    await prisma.membership.update({ where: { orgId_userId: { orgId: org.id, userId: actor.userId } }, data: { role: "owner" } });
  }
  return org.id;
}

async function ensureProject(orgId: string, actor: AuditActor): Promise<{ id: string; orgId: string }> {
  const found = await prisma.project.findUnique({ where: { orgId_slug: { orgId, slug: DEMO.projectSlug } }, select: { id: true, orgId: true } });
  if (found) return found;
  const created = await createProject({ org: { id: orgId }, input: { name: DEMO.projectName, slug: DEMO.projectSlug }, actor });
  return { id: created.id, orgId };
}

async function ensureKey(project: { id: string; orgId: string }, scope: ApiKeyScope, actor: AuditActor & { userId: string }): Promise<string> {
  const key = demoKey(scope);
  const existing = await prisma.apiKey.findUnique({ where: { secretHash: key.secretHash }, select: { id: true, projectId: true, revokedAt: true } });
  if (!existing) {
    await createApiKey({ seesSpend: true, project, input: { name: `Demo ${scope} key`, scope }, actor, key });
  } else if (existing.projectId !== project.id || existing.revokedAt) {
    await prisma.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: existing.id }, data: { projectId: project.id, revokedAt: null } });
      await recordAudit(
        {
          ...auditFromActor(actor, { orgId: project.orgId, action: "api_key.created", targetType: "api_key", targetId: existing.id }),
          metadata: { projectId: project.id, scope, prefix: key.prefix, restoredBySeed: true },
        },
        tx,
      );
    });
  }
  return key.secret;
}

/**
 * Creates — or brings back to the documented state — the demo user, organisation `demo`,
 * project `demo-app` and one ingest and one read key. Safe to run any number of times.
 */
export async function seedDemo(): Promise<DemoSeed> {
  const userId = await ensureUser();
  const actor = { userId, email: DEMO.email, ip: null, userAgent: "seed-demo" };
  const orgId = await ensureOrg(actor);
  const project = await ensureProject(orgId, actor);
  const ingestKey = await ensureKey(project, "ingest", actor);
  const readKey = await ensureKey(project, "read", actor);
  return { email: DEMO.email, password: DEMO.password, orgSlug: DEMO.orgSlug, projectId: project.id, ingestKey, readKey };
}
