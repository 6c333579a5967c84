import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { callerFor, makeProject, orgWithRoles } from "../tenancy-fixtures";
import { getJson, ingest, startApiServer } from "./fixtures";

let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server.close());

/**
 * An owner who withholds LLM spend from admins withholds it from the keys they create too: a read
 * key sees spend only if its creator did when creating it (shown on the key).
 */
describe("read keys and spend:read", () => {
  it("a key made by an admin without spend:read reads LLM calls and traces without cost; the owner's key with it", async () => {
    const { org, owner, admin } = await orgWithRoles();
    const project = await makeProject(org.id);
    await prisma.organization.update({ where: { id: org.id }, data: { spendReadRoles: [] } }); // only owners see spend
    const scope = { orgSlug: org.slug, projectSlug: project.slug };
    const ingestKey = await callerFor(owner).apiKey.create({ ...scope, name: "in", scope: "ingest" });
    const ownerRead = await callerFor(owner).apiKey.create({ ...scope, name: "owner read", scope: "read" });
    const adminRead = await callerFor(admin).apiKey.create({ ...scope, name: "admin read", scope: "read" });
    const listed = await callerFor(owner).apiKey.list(scope);
    expect(Object.fromEntries(listed.map((k) => [k.name, k.seesSpend]))).toMatchObject({ "owner read": true, "admin read": false });

    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await ingest(server.baseUrl, ingestKey.secret, [
      {
        type: "llm",
        id: "c1",
        provider: "openai",
        model: "gpt-4o",
        inputTokens: 1000,
        outputTokens: 100,
        traceId,
        attributes: { "llm.cost_usd": 1.5, team: "a" },
      },
    ]);
    const asOwner = await getJson(server.baseUrl, ownerRead.secret, "/api/v1/llm-calls");
    expect(asOwner.body.items[0].costUsd).toBeCloseTo(0.0035, 10);
    const asAdmin = await getJson(server.baseUrl, adminRead.secret, "/api/v1/llm-calls");
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.items).toHaveLength(1);
    expect(asAdmin.body.items[0]).not.toHaveProperty("costUsd");
    expect(asAdmin.body.items[0].attributes).toEqual({ team: "a" });
    const trace = await getJson(server.baseUrl, adminRead.secret, `/api/v1/traces/${traceId}`);
    expect(trace.status).toBe(200);
    expect(JSON.stringify(trace.body)).not.toMatch(/costUsd|cost_usd/);
    expect((await getJson(server.baseUrl, ownerRead.secret, `/api/v1/traces/${traceId}`)).body.llmCalls[0].costUsd).toBeCloseTo(0.0035, 10);

    // Recomputing costs tells an admin without spend:read counts, not dollars, and audits no dollars.
    const result = await callerFor(admin).ingestSettings.recomputeCosts({
      ...scope,
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(result).toEqual({ examined: 1, changed: 0 });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "settings.changed" }, orderBy: { id: "desc" } });
    expect(JSON.stringify(audit.metadata)).not.toMatch(/TotalUsd/);
  });
});
