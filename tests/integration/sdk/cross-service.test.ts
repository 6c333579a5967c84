import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flush, wrapOpenAI } from "@sightline/node";
import { createApp } from "../../../examples/express-llm/src/app";
import { freePort } from "../../free-port";
import { startFakeLlmProviders } from "../../fakes/llm-providers";
import { flushAndStop, initSdk, rows, startPortal, waitFor } from "./harness";

let portal: Awaited<ReturnType<typeof startPortal>>;
let fake: Awaited<ReturnType<typeof startFakeLlmProviders>>;
let pricing: ChildProcess;
let shop: http.Server;
let shopUrl: string;

beforeAll(async () => {
  portal = await startPortal();
  fake = await startFakeLlmProviders();
  const pricingPort = await freePort();
  // The second service is a real separate process with its own SDK client.
  pricing = spawn(process.execPath, ["--import", "tsx", path.resolve("examples/express-llm/src/pricing.ts")], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(pricingPort),
      SIGHTLINE_SERVICE: "pricing",
      SIGHTLINE_ENDPOINT: portal.baseUrl,
      SIGHTLINE_API_KEY: portal.key,
      NODE_ENV: "test",
    },
  });
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${pricingPort}/health`).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s === 404,
    30_000,
  );

  initSdk(portal.baseUrl, portal.key, { service: "shop-api" });
  const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `${fake.baseUrl}/v1`, maxRetries: 0 }), { includeUsage: true });
  shop = createApp({ pricingUrl: `http://127.0.0.1:${pricingPort}`, openai }).listen(0, "127.0.0.1");
  await new Promise((r) => shop.once("listening", r));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  pricing.kill("SIGKILL");
  await flushAndStop();
  shop.close();
  await fake.close();
  await portal.close();
});

describe("a request that calls a second instrumented service", { timeout: 90_000 }, () => {
  it("yields one trace with both services' spans, the fetch client span between them, logs, the LLM call and the error", async () => {
    const res = await fetch(`${shopUrl}/api/quote/sku-1?coupon=BOGUS`, { headers: { "x-user-id": "u-42" } });
    expect(res.status).toBe(422);
    await flush();
    // SIGTERM: the pricing process flushes its queue before it exits (flushOnSignals).
    const exited = new Promise((r) => pricing.once("exit", r));
    pricing.kill("SIGTERM");
    await exited;

    const [request] = await waitFor(
      () => rows<Record<string, any>>(`SELECT * FROM requests WHERE project_id = $1 AND service = 'shop-api'`, [portal.projectId]),
      (r) => r.length > 0,
    );
    const traceId = request!.trace_id as string;
    expect(request).toMatchObject({ route: "/api/quote/:sku", status: 422, user_id: "u-42" });
    const spans = await waitFor(
      () => rows<Record<string, any>>(`SELECT * FROM spans WHERE project_id = $1 AND trace_id = $2 ORDER BY start_time`, [portal.projectId, traceId]),
      (r) => r.length >= 4,
    );
    const byName = Object.fromEntries(spans.map((s) => [`${s.service}:${s.kind}:${s.name}`, s]));
    const server = byName["shop-api:server:GET /api/quote/:sku"]!;
    const client = spans.find((s) => s.service === "shop-api" && s.kind === "client" && s.name.startsWith("GET 127.0.0.1:"))!;
    const remote = byName["pricing:server:GET /prices/:sku"]!;
    const llm = byName["shop-api:client:chat gpt-4o-mini-2024-07-18"]!;
    expect(server.parent_span_id).toBeNull();
    expect(client.parent_span_id).toBe(server.span_id);
    expect(remote.parent_span_id).toBe(client.span_id);
    expect(llm.parent_span_id).toBe(server.span_id);
    expect(client.attributes).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 200, "server.address": "127.0.0.1" });
    expect(server.status).toBe("unset");

    const logs = await rows<Record<string, any>>(`SELECT service, level, message FROM logs WHERE project_id = $1 AND trace_id = $2 ORDER BY time, id`, [
      portal.projectId,
      traceId,
    ]);
    expect(logs.map((l) => `${l.service} ${l.level} ${l.message}`)).toEqual(
      [
        "shop-api info Quoting sku-1 for u-42",
        "pricing info Price lookup sku-1 → 19.99",
        "shop-api debug Price for sku-1 is 19.99 EUR",
        "shop-api info Pitch ready for sku-1 (14 chars)",
        "shop-api warn Unknown coupon BOGUS",
      ].filter((l) => !l.includes(" debug ")),
    );
    const llmCalls = await rows<Record<string, any>>(`SELECT * FROM llm_calls WHERE project_id = $1 AND trace_id = $2`, [portal.projectId, traceId]);
    expect(llmCalls).toHaveLength(1);
    expect(llmCalls[0]).toMatchObject({ feature: "quote-pitch", user_id: "u-42", cost_source: "table" });
    const errors = await rows<Record<string, any>>(`SELECT * FROM error_events WHERE project_id = $1 AND trace_id = $2`, [portal.projectId, traceId]);
    expect(errors.map((e) => [e.type, e.message])).toEqual([["CouponError", "Coupon BOGUS does not exist"]]);
  });
});
