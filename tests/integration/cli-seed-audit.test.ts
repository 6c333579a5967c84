import { pool } from "@/server/db/pool";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { chainHash, GENESIS_HASH, type ChainedRecord } from "@/server/audit/chain";
import { createTestDatabase } from "../../scripts/lib/test-database";
import { prisma } from "@/server/db/prisma";
import { verifyApiKey } from "@/server/keys/verify";
import { verifyPassword } from "@/server/auth/password";

const run = promisify(execFile);

async function cli(script: string, args: string[] = [], databaseUrl = process.env.DATABASE_URL) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", script, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run seed:demo", () => {
  it("prints exactly one JSON object, is idempotent, and the printed keys and password work", { timeout: 180_000 }, async () => {
    const first = await cli("scripts/seed-demo.ts", ["--json"]);
    expect(first.code, first.stderr).toBe(0);
    const seed = JSON.parse(first.stdout) as Record<string, string>;
    expect(Object.keys(seed).sort()).toEqual(["email", "ingestKey", "orgSlug", "password", "projectId", "readKey"]);
    expect(seed).toMatchObject({ email: "demo@sightline.local", orgSlug: "demo" });

    const second = await cli("scripts/seed-demo.ts", ["--json"]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(seed);

    expect(await prisma.user.count({ where: { email: "demo@sightline.local" } })).toBe(1);
    const org = await prisma.organization.findUniqueOrThrow({ where: { slug: "demo" }, include: { projects: true } });
    expect(org.projects.map((p) => [p.slug, p.id])).toEqual([["demo-app", seed.projectId]]);
    expect(await prisma.apiKey.count({ where: { projectId: seed.projectId } })).toBe(2);

    expect(await verifyApiKey(pool, seed.ingestKey!)).toMatchObject({ projectId: seed.projectId, orgId: org.id, scope: "ingest" });
    expect(await verifyApiKey(pool, seed.readKey!)).toMatchObject({ projectId: seed.projectId, scope: "read" });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: seed.email! } });
    expect(await verifyPassword(seed.password!, user.passwordHash)).toBe(true);
  });
});

/** Appends `count` correctly chained records to one chain (more than 9, so seq 10 follows seq 9 numerically). */
async function appendChain(client: pg.Client, orgId: string, count: number) {
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const createdAt = new Date();
    const record: ChainedRecord = {
      chain: orgId,
      seq: String(seq),
      orgId,
      actorId: null,
      actorEmail: "cli@example.test",
      action: "settings.changed",
      targetType: null,
      targetId: null,
      ip: null,
      userAgent: null,
      metadata: { seq },
      createdAt: createdAt.toISOString(),
    };
    const hash = chainHash(prevHash, record);
    await client.query(
      `INSERT INTO audit_log (chain, seq, org_id, actor_email, action, metadata, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [orgId, seq, orgId, record.actorEmail, record.action, JSON.stringify(record.metadata), createdAt, prevHash, hash],
    );
    prevHash = hash;
  }
}

describe("npm run audit:verify", () => {
  // Its own database: tampering must not disturb other test files verifying the shared one.
  it("passes on an intact log and exits 1 naming the first tampered record", { timeout: 180_000 }, async () => {
    const db = await createTestDatabase("auditcli");
    const client = new pg.Client({ connectionString: db.url });
    try {
      expect((await cli("scripts/seed-demo.ts", ["--json"], db.url)).code).toBe(0);
      await client.connect();
      await appendChain(client, randomUUID(), 12);
      const ok = await cli("scripts/audit-verify.ts", [], db.url);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/intact: [1-9]\d* records/);

      const { rows } = await client.query<{ id: string }>("SELECT id::text FROM audit_log WHERE chain <> 'global' AND seq = 2 ORDER BY id LIMIT 1");
      const target = rows[0]!.id;
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query("UPDATE audit_log SET target_id = 'forged' WHERE id = $1", [target]);
      await client.query("COMMIT");
      const broken = await cli("scripts/audit-verify.ts", [], db.url);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`id=${target} `);
      expect(broken.stderr).toMatch(/hash does not match/);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
