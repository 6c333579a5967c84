import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { createCallerFactory } from "@/server/api/trpc";
import { ingestSettingsRouter } from "@/server/api/routers/ingest-settings";
import { pool } from "@/server/db/pool";
import { recomputeCosts } from "@/server/llm/recompute";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, rows, sendBatch, uniq } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute });
});
afterAll(async () => {
  await server.close();
});

const settingsCaller = (p: Awaited<ReturnType<typeof makeIngestProject>>) =>
  createCallerFactory(ingestSettingsRouter)({
    user: { id: p.user.id, email: p.user.email, name: "ingest" },
    ip: "203.0.113.1",
    userAgent: "vitest",
    requestId: uniq(),
  } as never);

async function costs(projectId: string) {
  const list = await rows<{ client_id: string; cost: string | null; cost_source: string; price_id: string | null }>(
    `SELECT client_id, cost_usd::text AS cost, cost_source, price_id FROM llm_calls WHERE project_id = $1`,
    [projectId],
  );
  return Object.fromEntries(list.map((r) => [r.client_id, r]));
}

describe("LLM cost at ingest", () => {
  it("prices input, cached input, cache writes, output and reasoning at their own rates, to the cent and beyond", async () => {
    const p = await makeIngestProject();
    const res = await sendBatch(server.baseUrl, p.ingestKey.secret, [
      // gpt-4o 2.50 / 1.25 cached / 10.00: 600×2.5 + 400×1.25 + 500×10 (reasoning at the output rate) = $0.0070
      {
        type: "llm",
        id: "a",
        provider: "openai",
        model: "gpt-4o-2024-08-06",
        inputTokens: 1000,
        cachedInputTokens: 400,
        outputTokens: 500,
        reasoningTokens: 100,
      },
      // gpt-4o-mini 0.15 / 0.075 / 0.60: 10000×0.15 + 10000×0.075 + 3000×0.6 = $0.00405
      { type: "llm", id: "b", model: "gpt-4o-mini", inputTokens: 20000, cachedInputTokens: 10000, outputTokens: 3000 },
      // Claude Sonnet 4: 3 / 0.30 read / 3.75 write / 15: 2000×3 + 6000×0.3 + 2000×3.75 + 1000×15 = $0.0303
      {
        type: "llm",
        id: "c",
        provider: "anthropic",
        model: "claude-sonnet-4-20250514",
        inputTokens: 10000,
        cachedInputTokens: 6000,
        cacheWriteTokens: 2000,
        outputTokens: 1000,
      },
      // o4-mini 1.10 / 0.275 / 4.40, reasoning inside output: 1000×1.1 + 1000×0.275 + 5000×4.4 = $0.023375
      { type: "llm", id: "d", model: "o4-mini-2025-04-16", inputTokens: 2000, cachedInputTokens: 1000, outputTokens: 5000, reasoningTokens: 4000 },
      // o3: the 2025-06-10 price cut (2 / 0.5 / 8) applies to a call after it: 1000×2 + 1000×8 = $0.010
      { type: "llm", id: "e", model: "o3", inputTokens: 1000, outputTokens: 1000 },
      { type: "llm", id: "client", model: "gpt-4o", inputTokens: 1000, outputTokens: 1000, costUsd: 0.5 },
      { type: "llm", id: "unknown", model: "my-own-model", inputTokens: 1000, outputTokens: 1000 },
    ]);
    expect(res.status).toBe(200);
    const c = await costs(p.project.id);
    expect(c.a).toMatchObject({ cost: "0.0070000000", cost_source: "table" });
    expect(c.b).toMatchObject({ cost: "0.0040500000", cost_source: "table" });
    expect(c.c).toMatchObject({ cost: "0.0303000000", cost_source: "table" });
    expect(c.d).toMatchObject({ cost: "0.0233750000", cost_source: "table" });
    expect(c.e).toMatchObject({ cost: "0.0100000000", cost_source: "table" });
    expect(c.client).toMatchObject({ cost: "0.5000000000", cost_source: "client", price_id: null });
    expect(c.unknown).toMatchObject({ cost: null, cost_source: "none", price_id: null });
  });

  it("a project override beats the built-in price, records its version, and recomputeCosts re-prices a range", async () => {
    const p = await makeIngestProject();
    const caller = settingsCaller(p);
    const scope = { orgSlug: p.org.slug, projectSlug: p.project.slug };
    const override = await caller.createPriceOverride({
      ...scope,
      provider: "openai",
      model: "gpt-4o (contract)",
      matchPattern: "(?i)^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$",
      inputPer1m: 1,
      outputPer1m: 2,
    });
    await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "llm", id: "x", model: "gpt-4o-2024-11-20", inputTokens: 1_000_000, outputTokens: 1_000_000 },
      { type: "llm", id: "mini", model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 0 },
    ]);
    let c = await costs(p.project.id);
    expect(c.x).toMatchObject({ cost: "3.0000000000", price_id: override.id });
    expect(c.mini).toMatchObject({ cost: "0.1500000000" });

    await caller.updatePriceOverride({
      ...scope,
      priceId: override.id,
      provider: "openai",
      model: "gpt-4o (contract)",
      matchPattern: "^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$",
      inputPer1m: 2,
      outputPer1m: 4,
    });
    const result = await caller.recomputeCosts({ ...scope, from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 60_000) });
    expect(result).toMatchObject({ examined: 2, changed: 1, previousTotalUsd: "3.150000", newTotalUsd: "6.150000" });
    c = await costs(p.project.id);
    expect(c.x).toMatchObject({ cost: "6.0000000000", price_id: override.id });
    const [v] = await rows<{ price_version: number }>(`SELECT price_version FROM llm_calls WHERE project_id = $1 AND client_id = 'x'`, [p.project.id]);
    expect(v!.price_version).toBe(2);
    const again = await recomputeCosts(pool, {
      projectId: p.project.id,
      from: new Date(Date.now() - 3600_000),
      to: new Date(Date.now() + 60_000),
      pageSize: 1,
    });
    expect(again).toMatchObject({ examined: 2, changed: 0, newTotalUsd: "6.150000" });

    const listed = await caller.modelPrices(scope);
    expect(listed.overrides.map((o) => o.id)).toEqual([override.id]);
    expect(listed.builtIn.find((b) => b.model === "gpt-4o")).toMatchObject({ inputPer1m: "2.5", cachedInputPer1m: "1.25", outputPer1m: "10" });
    await caller.deletePriceOverride({ ...scope, priceId: override.id });
    expect((await caller.modelPrices(scope)).overrides).toEqual([]);
  });
});

describe("redaction", () => {
  it("redacts default keys at any depth and card numbers, plus project key and pattern rules, and records which applied", async () => {
    const p = await makeIngestProject();
    const caller = settingsCaller(p);
    const scope = { orgSlug: p.org.slug, projectSlug: p.project.slug };
    const keyRule = await caller.createRedactionRule({ ...scope, kind: "key", pattern: "ssn" });
    const patternRule = await caller.createRedactionRule({ ...scope, kind: "pattern", pattern: "EMP-\\d{6}" });
    await expect(caller.createRedactionRule({ ...scope, kind: "pattern", pattern: "(" })).rejects.toThrow(/regular expression/);

    await sendBatch(server.baseUrl, p.ingestKey.secret, [
      {
        type: "log",
        id: "l",
        message: "paid with 4242 4242 4242 4242 by EMP-123456, order 1234567890123",
        attributes: { user: { profile: { SSN: "123-45-6789", Password: "hunter2", name: "Ann" } }, list: [{ api_key: "k" }], inputTokens: 5 },
      },
      {
        type: "request",
        id: "r",
        method: "GET",
        path: "/",
        status: 200,
        durationMs: 1,
        requestHeaders: { Authorization: "Bearer abc", Cookie: "sid=1", "X-Api-Key": "k", accept: "*/*" },
        responseHeaders: { "Set-Cookie": "sid=2" },
      },
      { type: "llm", id: "m", model: "gpt-4o", prompt: "card 5555555555554444 please", inputTokens: 1 },
    ]);
    const [log] = await rows<{ message: string; attributes: Record<string, unknown>; redactions: string[] }>(
      `SELECT message, attributes, redactions FROM logs WHERE project_id = $1`,
      [p.project.id],
    );
    expect(log!.message).toBe("paid with [REDACTED] by [REDACTED], order 1234567890123");
    expect(log!.attributes).toEqual({
      user: { profile: { SSN: "[REDACTED]", Password: "[REDACTED]", name: "Ann" } },
      list: [{ api_key: "[REDACTED]" }],
      inputTokens: 5,
    });
    expect(log!.redactions).toEqual(["default:card-number", "default:sensitive-key", `rule:${keyRule.id}`, `rule:${patternRule.id}`].sort());
    const [req] = await rows<{ request_headers: unknown; response_headers: unknown }>(
      `SELECT request_headers, response_headers FROM requests WHERE project_id = $1`,
      [p.project.id],
    );
    expect(req!.request_headers).toEqual({ Authorization: "[REDACTED]", Cookie: "[REDACTED]", "X-Api-Key": "[REDACTED]", accept: "*/*" });
    expect(req!.response_headers).toEqual({ "Set-Cookie": "[REDACTED]" });
    const [llm] = await rows<{ prompt: string }>(`SELECT prompt FROM llm_calls WHERE project_id = $1`, [p.project.id]);
    expect(llm!.prompt).toBe("card [REDACTED] please");

    expect(await caller.redactionRules(scope)).toHaveLength(2);
    await caller.deleteRedactionRule({ ...scope, ruleId: keyRule.id });
    await sendBatch(server.baseUrl, p.ingestKey.secret, [{ type: "log", id: "after", message: "x", attributes: { ssn: "kept now" } }]);
    const [after] = await rows<{ attributes: unknown }>(`SELECT attributes FROM logs WHERE project_id = $1 AND client_id = 'after'`, [p.project.id]);
    expect(after!.attributes).toEqual({ ssn: "kept now" });
  });
});

describe("error grouping over HTTP", () => {
  const frame = (filename: string, fn: string, lineno: number, in_app = true) => ({ filename, function: fn, lineno, colno: 3, in_app });
  const err = (frames: ReturnType<typeof frame>[], value = "Cannot read properties of undefined (reading 'id')", release = "1.0.0") => ({
    type: "error",
    release,
    exception: { values: [{ type: "TypeError", value, stacktrace: { frames: [frame("node:internal/process", "processTicks", 1, false), ...frames] } }] },
  });

  it("groups deploys with shifted lines together, different paths apart, messages differing by ids together; regression reopens", async () => {
    const p = await makeIngestProject();
    await sendBatch(server.baseUrl, p.ingestKey.secret, [
      err([frame("/srv/app/dist/main.3f2a9c1b.js", "Router.handle", 120), frame("/srv/app/src/users.ts", "UserService.load", 42)]),
      err(
        [frame("/srv/app/dist/main.9be07d42.js", "Router.handle", 131), frame("/srv/app/src/users.ts", "UserService.load", 57)],
        "Cannot read properties of undefined (reading 'id')",
        "1.0.1",
      ),
      err([frame("/srv/app/src/billing.ts", "Billing.charge", 10)]),
      { type: "error", message: "Payment 8812 failed for user 5531 after 1200ms" },
      { type: "error", message: "Payment 17 failed for user 99 after 35ms" },
    ]);
    const groups = await rows<{ id: string; count: string; culprit: string | null; first_release: string | null; last_release: string | null; title: string }>(
      `SELECT id, count::text, culprit, first_release, last_release, title FROM error_groups WHERE project_id = $1 ORDER BY count DESC, title`,
      [p.project.id],
    );
    expect(groups).toHaveLength(3);
    const deploys = groups.find((g) => g.culprit?.includes("users.ts"))!;
    expect(deploys).toMatchObject({ count: "2", first_release: "1.0.0", last_release: "1.0.1" });
    expect(groups.find((g) => g.title.startsWith("Payment"))!.count).toBe("2");
    expect(groups.find((g) => g.culprit?.includes("billing.ts"))!.count).toBe("1");

    await pool.query(`UPDATE error_groups SET status = 'resolved', resolved_at = now() - interval '1 second' WHERE project_id = $1 AND id = $2`, [
      p.project.id,
      deploys.id,
    ]);
    const billing = groups.find((g) => g.culprit?.includes("billing.ts"))!;
    await pool.query(`UPDATE error_groups SET status = 'ignored' WHERE project_id = $1 AND id = $2`, [p.project.id, billing.id]);
    await sendBatch(server.baseUrl, p.ingestKey.secret, [
      err([frame("/srv/app/dist/main.aaaa1111.js", "Router.handle", 200), frame("/srv/app/src/users.ts", "UserService.load", 80)]),
      err([frame("/srv/app/src/billing.ts", "Billing.charge", 11)]),
    ]);
    const after = await rows<{ id: string; status: string; substatus: string; count: string; resolved_at: Date | null }>(
      `SELECT id, status, substatus, count::text, resolved_at FROM error_groups WHERE project_id = $1 AND id = ANY($2::uuid[])`,
      [p.project.id, [deploys.id, billing.id]],
    );
    expect(after.find((g) => g.id === deploys.id)).toMatchObject({ status: "unresolved", substatus: "regressed", count: "3", resolved_at: null });
    expect(after.find((g) => g.id === billing.id)).toMatchObject({ status: "ignored", count: "2" });
  });

  it("an explicit fingerprint wins and {{ default }} extends the default grouping", async () => {
    const p = await makeIngestProject();
    await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "error", message: "timeout A", fingerprint: ["upstream-timeout"] },
      { type: "error", message: "totally different B", fingerprint: ["upstream-timeout"] },
      { type: "error", message: "same text", fingerprint: ["{{ default }}", "eu"] },
      { type: "error", message: "same text", fingerprint: ["{{ default }}", "us"] },
    ]);
    const counts = await rows<{ count: string }>(`SELECT count::text FROM error_groups WHERE project_id = $1 ORDER BY count DESC`, [p.project.id]);
    expect(counts.map((c) => c.count)).toEqual(["2", "1", "1"]);
  });
});

describe("ingest settings permissions", () => {
  it("members may read prices but only owners/admins change rules and prices; other orgs see nothing", async () => {
    const p = await makeIngestProject();
    const { prisma } = await import("@/server/db/prisma");
    const member = await prisma.user.create({
      data: { email: `member-${uniq()}@example.test`, name: "m", passwordHash: "x" },
      select: { id: true, email: true },
    });
    await prisma.membership.create({ data: { orgId: p.org.id, userId: member.id, role: "member" } });
    const asMember = createCallerFactory(ingestSettingsRouter)({ user: { ...member, name: "m" }, ip: null, userAgent: "vitest", requestId: uniq() } as never);
    const scope = { orgSlug: p.org.slug, projectSlug: p.project.slug };
    expect((await asMember.modelPrices(scope)).builtIn.length).toBeGreaterThan(10);
    await expect(asMember.createRedactionRule({ ...scope, kind: "key", pattern: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      asMember.createPriceOverride({ ...scope, provider: "x", model: "x", matchPattern: "^x$", inputPer1m: 1, outputPer1m: 1 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asMember.recomputeCosts({ ...scope, from: new Date(0), to: new Date() })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const other = await makeIngestProject();
    const asOther = settingsCaller(other);
    await expect(asOther.redactionRules(scope)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rule = await settingsCaller(p).createRedactionRule({ ...scope, kind: "key", pattern: "pin" });
    await expect(asOther.deleteRedactionRule({ orgSlug: other.org.slug, projectSlug: other.project.slug, ruleId: rule.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
