import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { createCallerFactory } from "@/server/api/trpc";
import { ingestSettingsRouter } from "@/server/api/routers/ingest-settings";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, rows, sendBatch, uniq } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute });
});
afterAll(() => server.close());

const settingsCaller = (p: Awaited<ReturnType<typeof makeIngestProject>>) =>
  createCallerFactory(ingestSettingsRouter)({
    user: { id: p.user.id, email: p.user.email, name: "ingest" },
    ip: "203.0.113.1",
    userAgent: "vitest",
    requestId: uniq(),
  } as never);

describe("tenant-written patterns run in linear time", () => {
  it("a catastrophic-backtracking redaction rule on a long line neither freezes ingest nor other requests", async () => {
    const p = await makeIngestProject();
    const caller = settingsCaller(p);
    const scope = { orgSlug: p.org.slug, projectSlug: p.project.slug };
    await caller.createRedactionRule({ ...scope, kind: "pattern", pattern: "(a+)+$" });
    // 27 characters froze a JavaScript RegExp for seconds; this is the longest message ingest takes.
    const line = `${"a".repeat(32_767)}!`;
    const ticks: number[] = [];
    const clock = setInterval(() => ticks.push(Date.now()), 20);
    try {
      await sendBatch(server.baseUrl, p.ingestKey.secret, [
        { type: "log", id: "long", message: line },
        { type: "log", id: "end", message: "order aaaa" },
      ]);
    } finally {
      clearInterval(clock);
    }
    const stored = Object.fromEntries(
      (await rows<{ client_id: string; message: string }>(`SELECT client_id, message FROM logs WHERE project_id = $1`, [p.project.id])).map((r) => [
        r.client_id,
        r.message,
      ]),
    );
    expect(stored.long).toBe(line); // `(a+)+$` needs the a's at the very end: no match
    expect(stored.end).toBe("order [REDACTED]");
    // The event loop kept turning while the line was matched (other tenants' requests are served).
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(Math.max(0, ...gaps)).toBeLessThan(2_000);
  });

  it("patterns the linear-time engine cannot run are refused naming the field and the reason", async () => {
    const p = await makeIngestProject();
    const caller = settingsCaller(p);
    const scope = { orgSlug: p.org.slug, projectSlug: p.project.slug };
    const refused = await caller.createRedactionRule({ ...scope, kind: "pattern", pattern: "(?<=token=)\\w+" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(refused)).toMatch(/pattern/);
    expect(String((refused as Error).message)).toMatch(/RE2 syntax: no look-around or back-references/);
    await expect(
      caller.createPriceOverride({ ...scope, provider: "openai", model: "gpt-x", matchPattern: "^(gpt)-\\1$", inputPer1m: 1, outputPer1m: 1 }),
    ).rejects.toThrow(/RE2 syntax/);
    const price = await caller.createPriceOverride({
      ...scope,
      provider: "openai",
      model: "gpt-x",
      matchPattern: "(?i)^GPT-X(-\\d{4}-\\d{2}-\\d{2})?$",
      inputPer1m: 100_000,
      outputPer1m: 0,
    });
    expect(price.matchPattern).toBe("(?i)^GPT-X(-\\d{4}-\\d{2}-\\d{2})?$");
    await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "llm", id: "x", provider: "openai", model: "gpt-x-2026-01-01", inputTokens: 3, outputTokens: 0 },
    ]);
    const [call] = await rows<{ cost: string; price_id: string }>(`SELECT cost_usd::text AS cost, price_id FROM llm_calls WHERE project_id = $1`, [
      p.project.id,
    ]);
    expect(call).toMatchObject({ cost: "0.3000000000", price_id: price.id });
  });
});
