import { pool } from "@/server/db/pool";
import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { cacheSet, clearApiKeyCache } from "@/server/keys/cache";
import { hashApiKeySecret } from "@/server/keys/generate";
import { notifyRevoked, startRevocationListener } from "@/server/keys/revocation-listener";
import { createApiKey } from "@/server/keys/create";
import { authenticateApiKey } from "@/server/keys/http";
import { revokeApiKey } from "@/server/keys/revoke";
import { verifyApiKey } from "@/server/keys/verify";
import { actorOf, makeOrg, makeProject, makeUser } from "./tenancy-fixtures";

async function setup() {
  const owner = await makeUser("keys-owner");
  const org = await makeOrg(owner);
  const project = await makeProject(org.id);
  return { owner, org, project, actor: actorOf(owner) };
}

const request = (headers: Record<string, string>) => new Request("http://localhost/api/v1/ingest", { method: "POST", headers });

describe("verifyApiKey", () => {
  it("resolves a fresh key to its project and organisation and stores only the hash", async () => {
    const { org, project, actor } = await setup();
    const created = await createApiKey({ seesSpend: true, project, input: { name: "server", scope: "ingest" }, actor });
    const verified = await verifyApiKey(pool, created.secret);
    expect(verified).toEqual({ keyId: created.id, projectId: project.id, orgId: org.id, scope: "ingest", seesSpend: true });
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(row.prefix).toBe(created.prefix);
    const audit = await prisma.auditLog.findFirst({ where: { orgId: org.id, action: "api_key.created", targetId: created.id } });
    expect(audit?.actorId).toBe(actor.userId);
  });

  it("returns null for unknown and malformed secrets", async () => {
    expect(await verifyApiKey(pool, "sl_ingest_" + "Z".repeat(40))).toBeNull();
    expect(await verifyApiKey(pool, "not-a-key")).toBeNull();
    expect(await verifyApiKey(pool, "")).toBeNull();
  });

  it("fails at once after revoke even though the key was cached", async () => {
    const { org, project, actor } = await setup();
    const created = await createApiKey({ seesSpend: true, project, input: { name: "ci", scope: "read" }, actor });
    expect(await verifyApiKey(pool, created.secret)).not.toBeNull();
    await revokeApiKey({ project, keyId: created.id, actor });
    expect(await verifyApiKey(pool, created.secret)).toBeNull();
    const audit = await prisma.auditLog.count({ where: { orgId: org.id, action: "api_key.revoked", targetId: created.id } });
    expect(audit).toBe(1);
    await revokeApiKey({ project, keyId: created.id, actor });
    expect(await prisma.auditLog.count({ where: { orgId: org.id, action: "api_key.revoked", targetId: created.id } })).toBe(1);
  });

  it("will not revoke a key through another project", async () => {
    const { project, actor } = await setup();
    const other = await setup();
    const created = await createApiKey({ seesSpend: true, project, input: { name: "mine", scope: "ingest" }, actor });
    await expect(revokeApiKey({ project: other.project, keyId: created.id, actor: other.actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyApiKey(pool, created.secret)).not.toBeNull();
  });

  it("writes last_used_at on first use and then at most once a minute", async () => {
    const { project, actor } = await setup();
    const created = await createApiKey({ seesSpend: true, project, input: { name: "throttle", scope: "ingest" }, actor });
    const lastUsed = async () => (await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt?.getTime() ?? null;
    expect(await lastUsed()).toBeNull();
    const t0 = new Date(Date.now() + 3_600_000);
    await verifyApiKey(pool, created.secret, { now: t0 });
    expect(await lastUsed()).toBe(t0.getTime());
    await verifyApiKey(pool, created.secret, { now: new Date(t0.getTime() + 30_000) });
    expect(await lastUsed()).toBe(t0.getTime());
    clearApiKeyCache();
    await verifyApiKey(pool, created.secret, { now: new Date(t0.getTime() + 59_000) });
    expect(await lastUsed()).toBe(t0.getTime());
    const t1 = new Date(t0.getTime() + 61_000);
    await verifyApiKey(pool, created.secret, { now: t1 });
    expect(await lastUsed()).toBe(t1.getTime());
  });
});

describe("authenticateApiKey", () => {
  it("accepts Bearer and x-api-key for the right scope", async () => {
    const { project, actor } = await setup();
    const ingest = await createApiKey({ seesSpend: true, project, input: { name: "i", scope: "ingest" }, actor });
    const bearer = await authenticateApiKey(pool, request({ authorization: `Bearer ${ingest.secret}` }), "ingest");
    expect(bearer).toMatchObject({ ok: true, key: { keyId: ingest.id, projectId: project.id } });
    const header = await authenticateApiKey(pool, request({ "x-api-key": ingest.secret }), "ingest");
    expect(header.ok).toBe(true);
  });

  it("answers 401 with WWW-Authenticate for a missing, unknown or revoked key", async () => {
    const { project, actor } = await setup();
    const key = await createApiKey({ seesSpend: true, project, input: { name: "r", scope: "ingest" }, actor });
    await revokeApiKey({ project, keyId: key.id, actor });
    const cases: Record<string, string>[] = [
      {},
      { authorization: "Bearer sl_ingest_" + "q".repeat(40) },
      { authorization: `Bearer ${key.secret}` },
      { authorization: "Basic abc" },
    ];
    for (const headers of cases) {
      const result = await authenticateApiKey(pool, request(headers), "ingest");
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.response.status).toBe(401);
      expect(result.response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = (await result.response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/api_key/);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
  });

  it("answers 403 for a key of the wrong scope", async () => {
    const { project, actor } = await setup();
    const read = await createApiKey({ seesSpend: true, project, input: { name: "r", scope: "read" }, actor });
    const result = await authenticateApiKey(pool, request({ authorization: `Bearer ${read.secret}` }), "ingest");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(403);
    expect(((await result.response.json()) as { error: { code: string } }).error.code).toBe("insufficient_scope");
  });
});

describe("revocation", () => {
  it("takes effect in the revoking process before revoke returns, even for a lookup already in flight", async () => {
    const { project, actor } = await setup();
    const created = await createApiKey({ seesSpend: true, project, input: { name: "race", scope: "ingest" }, actor });
    const verified = await verifyApiKey(pool, created.secret);
    expect(verified).not.toBeNull();
    // A lookup that read the key just before the revocation committed finishes after it: it must not cache the key again.
    await revokeApiKey({ project, keyId: created.id, actor });
    cacheSet(hashApiKeySecret(created.secret), verified!, Date.now());
    expect(await verifyApiKey(pool, created.secret)).toBeNull();
  });

  it("reaches other processes through Postgres NOTIFY on commit, not on rollback", async () => {
    const { project, actor } = await setup();
    const heard: string[] = [];
    const listener = startRevocationListener({ connectionString: process.env.DATABASE_URL!, onRevoked: (id) => heard.push(id) });
    try {
      await listener.ready;
      const kept = await createApiKey({ seesSpend: true, project, input: { name: "kept", scope: "ingest" }, actor });
      const gone = await createApiKey({ seesSpend: true, project, input: { name: "gone", scope: "read" }, actor });
      await prisma
        .$transaction(async (tx) => {
          await notifyRevoked(tx, [kept.id]);
          throw new Error("rolled back");
        })
        .catch(() => {});
      await revokeApiKey({ project, keyId: gone.id, actor });
      await expect.poll(() => heard.includes(gone.id), { timeout: 5_000 }).toBe(true);
      expect(heard).not.toContain(kept.id);
    } finally {
      await listener.stop();
    }
  });
});
