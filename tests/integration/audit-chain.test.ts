import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { pool } from "@/server/db/pool";
import { recordAudit } from "@/server/audit/record";
import { verifyAuditLog } from "@/server/audit/verify";

const orgId = randomUUID();

async function tamper(sql: string, params: unknown[]) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(sql, params);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

describe("audit hash chain", () => {
  afterAll(async () => {
    await tamper("DELETE FROM audit_log WHERE org_id = $1", [orgId]);
  });

  it("links records in order, refuses plain updates, and names the first tampered record", async () => {
    for (const action of ["project.created", "api_key.created", "api_key.revoked"]) {
      await recordAudit({ orgId, action, actorEmail: "a@example.com", targetType: "project", targetId: "p1", metadata: { n: 1 } });
    }
    const rows = await prisma.auditLog.findMany({ where: { orgId }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.seq)).toEqual([1n, 2n, 3n]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);

    const before = await verifyAuditLog(process.env.DATABASE_URL!);
    expect(before.firstBreak).toBeNull();

    await expect(prisma.auditLog.update({ where: { id: rows[1]!.id }, data: { action: "x" } })).rejects.toThrow();

    await tamper("UPDATE audit_log SET target_id = 'p2' WHERE id = $1", [rows[1]!.id]);
    const after = await verifyAuditLog(process.env.DATABASE_URL!);
    expect(after.firstBreak).toMatchObject({ id: rows[1]!.id.toString(), chain: orgId, seq: "2" });
    expect(after.firstBreak!.reason).toMatch(/hash/);
  });

  it("serialises concurrent appends into one gap-free chain", async () => {
    const chainOrg = randomUUID();
    await Promise.all(Array.from({ length: 8 }, (_, i) => recordAudit({ orgId: chainOrg, action: "settings.changed", metadata: { i } })));
    const seqs = (await prisma.auditLog.findMany({ where: { orgId: chainOrg }, orderBy: { seq: "asc" } })).map((r) => Number(r.seq));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await tamper("DELETE FROM audit_log WHERE org_id = $1", [chainOrg]);
  });
});
