/**
 * Apps' audit trails: `audit` events through the batch API land in the project's hash chain (retries
 * append nothing), are listed by the read API, and each one comes with an RFC 9162 inclusion proof in
 * a signed checkpoint that the SDK's verifiers accept offline; other projects see none of it.
 */
import { leafHash, verifyCheckpoint, verifyInclusion } from "@sightline/node/audit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import * as proofRoute from "@/app/api/v1/audit/proof/route";
import { projectChain } from "@/server/audit/app-trail";
import { auditSigningKey } from "@/server/audit/signing-key";
import { checkpointChainNow } from "@/server/audit/verification";
import { verifyAuditLog } from "@/server/audit/verify";
import { listAuditLog } from "@/server/audit/query";
import { pool } from "@/server/db/pool";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, rows, sendBatch, uniq } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute, "/api/v1/audit": auditRoute, "/api/v1/audit/proof": proofRoute });
});
afterAll(() => server.close());

const read = async (key: string, path: string) => {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, json: (await res.json()) as any };
};

describe("app audit trails", () => {
  it("stores audit events in the project's chain once, lists them, and proves each one against a signed checkpoint", async () => {
    const p = await makeIngestProject();
    const id = uniq();
    const batch = [
      {
        type: "audit",
        id: `${id}-1`,
        actor: { id: "u-1", email: "ada@app.test" },
        action: "user.signed_in",
        ip: "203.0.113.5",
        metadata: { method: "password" },
      },
      {
        type: "audit",
        id: `${id}-2`,
        actor: "u-1",
        action: "role.changed",
        target: { type: "user", id: "u-2", name: "Grace" },
        metadata: { from: "viewer", to: "admin" },
      },
      { type: "log", id: `${id}-log`, message: "beside the audit events" },
      { type: "audit", id: `${id}-3`, actor: { email: "eve@app.test" }, action: "data.exported", outcome: "denied" },
    ];
    expect((await sendBatch(server.baseUrl, p.ingestKey.secret, batch)).json).toMatchObject({ accepted: 4, rejected: [] });
    expect((await sendBatch(server.baseUrl, p.ingestKey.secret, batch)).json).toMatchObject({ accepted: 4, rejected: [] });
    const stored = await rows<{ seq: string; action: string }>(`SELECT seq::text, action FROM audit_log WHERE chain = $1 ORDER BY seq`, [
      projectChain(p.project.id),
    ]);
    expect(stored.map((r) => [r.seq, r.action])).toEqual([
      ["1", "user.signed_in"],
      ["2", "role.changed"],
      ["3", "data.exported"],
    ]);
    expect((await verifyAuditLog(process.env.DATABASE_URL!)).firstBreak).toBeNull();

    const listed = await read(p.readKey.secret, "/api/v1/audit");
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((i: { action: string }) => i.action)).toEqual(["data.exported", "role.changed", "user.signed_in"]);
    expect(listed.json.items[0]).toMatchObject({ seq: "3", actorEmail: "eve@app.test", metadata: { outcome: "denied" } });
    expect(listed.json.items[1]).toMatchObject({ targetType: "user", targetId: "u-2", metadata: { from: "viewer", to: "admin", targetName: "Grace" } });
    const filtered = await read(p.readKey.secret, "/api/v1/audit?actor=ADA&limit=5");
    expect(filtered.json.items.map((i: { action: string }) => i.action)).toEqual(["user.signed_in"]);
    // The organisation's own log (portal actions) does not mix in the app's trail.
    expect((await listAuditLog(pool, { orgId: p.org.id, input: {} })).items.map((i) => i.action)).not.toContain("role.changed");

    const early = await read(p.readKey.secret, "/api/v1/audit/proof?seq=2");
    expect(early.status).toBe(409);
    expect(early.json.error.fields).toHaveProperty("seq");
    await checkpointChainNow(pool, auditSigningKey(), projectChain(p.project.id));

    const proof = await read(p.readKey.secret, "/api/v1/audit/proof?seq=2");
    expect(proof.status).toBe(200);
    const signed = verifyCheckpoint(proof.json.checkpoint, proof.json.verifierKey);
    expect(signed).toMatchObject({ ok: true, checkpoint: { size: 3 } });
    if (!signed.ok) return;
    const leaf = leafHash(proof.json.entry);
    expect(leaf.toString("hex")).toBe(proof.json.leafHash);
    const path = (proof.json.proof as string[]).map((h) => Buffer.from(h, "hex"));
    expect(verifyInclusion(leaf, 1, 3, path, signed.checkpoint.root)).toBe(true);
    expect(JSON.parse(proof.json.entry)).toMatchObject({ action: "role.changed", seq: "2", chain: projectChain(p.project.id) });
    const forged = leafHash(proof.json.entry.replace("admin", "owner"));
    expect(verifyInclusion(forged, 1, 3, path, signed.checkpoint.root)).toBe(false);

    expect((await read(p.readKey.secret, "/api/v1/audit/proof?seq=9")).status).toBe(404);
    expect((await read(p.readKey.secret, "/api/v1/audit/proof?seq=zero")).json.error.fields).toHaveProperty("seq");
    expect((await read(p.ingestKey.secret, "/api/v1/audit")).status).toBe(403);

    const other = await makeIngestProject();
    expect((await read(other.readKey.secret, "/api/v1/audit")).json.items).toEqual([]);
    expect((await read(other.readKey.secret, "/api/v1/audit/proof?seq=1")).status).toBe(409);
  });

  it("refuses malformed audit events one by one, naming the field, and keeps their neighbours", async () => {
    const p = await makeIngestProject();
    const res = await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "audit", actor: "u", action: "ok" },
      { type: "audit", actor: "u" },
      { type: "audit", actor: { type: "service" }, action: "x" },
      { type: "audit", actor: "u", action: "y", outcome: "maybe" },
    ]);
    expect(res.status).toBe(207);
    expect(res.json.accepted).toBe(1);
    const paths = (res.json.rejected ?? []).map((r) => [r.index, r.errors.map((e) => e.path).join(",")]);
    expect(paths).toEqual([
      [1, "action"],
      [2, "actor"],
      [3, "outcome"],
    ]);
    expect(res.json.rejected?.[0]?.errors[0]?.message).toBe("is required (string)");
  });
});
