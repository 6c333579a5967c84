import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { pool } from "@/server/db/pool";
import { revokeApiKey } from "@/server/keys/revoke";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { countAll, makeIngestProject, post, rows, sendBatch, uniq } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
let p: Awaited<ReturnType<typeof makeIngestProject>>;

beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute });
  p = await makeIngestProject();
});
afterAll(async () => {
  await server.close();
});

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

describe("POST /api/v1/ingest — every event type round-trips", () => {
  it("stores each type with the values it was sent with", async () => {
    const t = iso(-60_000);
    const trace = uniq() + uniq() + uniq() + uniq();
    const res = await sendBatch(server.baseUrl, p.ingestKey.secret, [
      {
        type: "log",
        id: `log-${uniq()}`,
        timestamp: t,
        level: "warn",
        message: "disk almost full",
        logger: "fs.watch",
        service: "api",
        environment: "prod",
        release: "1.2.3",
        traceId: trace,
        spanId: "aaaa000000000001",
        userId: "u-1",
        requestId: "req-1",
        attributes: { disk: "/dev/sda1", pct: 93, nested: { ok: true } },
      },
      {
        type: "request",
        timestamp: t,
        method: "post",
        route: "/users/:id",
        path: "/users/42",
        status: 201,
        durationMs: 12.5,
        requestSize: 120,
        responseSize: 3400,
        userAgent: "curl/8",
        clientIp: "203.0.113.9",
        userId: "u-1",
        traceId: trace,
        requestHeaders: { accept: "application/json" },
        responseHeaders: { "content-type": "application/json" },
        service: "api",
      },
      {
        type: "error",
        timestamp: t,
        level: "fatal",
        release: "1.2.3",
        environment: "prod",
        traceId: trace,
        tags: { region: "eu" },
        user: { id: "u-1", email: "a@example.test" },
        exception: {
          values: [
            { type: "TypeError", value: "x is undefined", stacktrace: { frames: [{ filename: "src/app.ts", function: "handler", lineno: 10, in_app: true }] } },
          ],
        },
      },
      {
        type: "llm",
        timestamp: t,
        provider: "openai",
        model: "gpt-4o-2024-08-06",
        operation: "chat",
        inputTokens: 1000,
        cachedInputTokens: 400,
        outputTokens: 500,
        reasoningTokens: 100,
        latencyMs: 850,
        timeToFirstTokenMs: 120,
        status: "ok",
        userId: "u-1",
        feature: "summarise",
        prompt: "Summarise this",
        completion: "Done",
        traceId: trace,
      },
      {
        type: "span",
        traceId: trace,
        spanId: "aaaa000000000001",
        parentSpanId: "aaaa000000000000",
        name: "GET /users/:id",
        kind: "server",
        startTime: t,
        endTime: new Date(Date.parse(t) + 25).toISOString(),
        status: "ok",
        attributes: { "http.route": "/users/:id" },
        service: "api",
      },
      { type: "metric", timestamp: t, name: "queue.depth", kind: "gauge", value: 17, unit: "{item}", attributes: { queue: "mail" } },
      { type: "metric", timestamp: t, name: "latency", kind: "histogram", count: 4, sum: 10, min: 1, max: 4, explicitBounds: [2], bucketCounts: [1, 3] },
      { type: "event", timestamp: t, name: "report.exported", userId: "u-1", sessionId: "s-1", properties: { format: "csv" } },
    ]);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toEqual({ accepted: 8, rejected: [] });

    const [log] = await rows(`SELECT * FROM logs WHERE project_id = $1`, [p.project.id]);
    expect(log).toMatchObject({
      level: "warn",
      message: "disk almost full",
      logger: "fs.watch",
      service: "api",
      environment: "prod",
      release: "1.2.3",
      trace_id: trace,
      span_id: "aaaa000000000001",
      user_id: "u-1",
      request_id: "req-1",
      attributes: { disk: "/dev/sda1", pct: 93, nested: { ok: true } },
      redactions: [],
    });
    expect((log!.time as Date).toISOString()).toBe(t);

    const [request] = await rows(`SELECT * FROM requests WHERE project_id = $1`, [p.project.id]);
    expect(request).toMatchObject({
      method: "POST",
      route: "/users/:id",
      path: "/users/42",
      status: 201,
      duration_ms: 12.5,
      request_size: "120",
      response_size: "3400",
      user_agent: "curl/8",
      client_ip: "203.0.113.9",
      trace_id: trace,
      request_headers: { accept: "application/json" },
    });

    const [error] = await rows(`SELECT * FROM error_events WHERE project_id = $1`, [p.project.id]);
    expect(error).toMatchObject({
      level: "fatal",
      type: "TypeError",
      title: "TypeError: x is undefined",
      release: "1.2.3",
      user_id: "u-1",
      tags: { region: "eu" },
    });
    const [group] = await rows(`SELECT * FROM error_groups WHERE project_id = $1`, [p.project.id]);
    expect(group).toMatchObject({ id: error!.group_id, count: "1", status: "unresolved", substatus: "new", level: "fatal", culprit: "src/app.ts in handler" });

    const [llm] = await rows(`SELECT *, cost_usd::text AS cost FROM llm_calls WHERE project_id = $1`, [p.project.id]);
    expect(llm).toMatchObject({
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      input_tokens: 1000,
      cached_input_tokens: 400,
      output_tokens: 500,
      reasoning_tokens: 100,
      latency_ms: 850,
      ttft_ms: 120,
      feature: "summarise",
      prompt: "Summarise this",
      completion: "Done",
      cost: "0.0070000000",
      cost_source: "table",
      price_version: 1,
    });

    const [span] = await rows(`SELECT * FROM spans WHERE project_id = $1`, [p.project.id]);
    expect(span).toMatchObject({ trace_id: trace, parent_span_id: "aaaa000000000000", kind: "server", duration_ms: 25, status: "ok" });

    const metrics = await rows(`SELECT * FROM metric_points WHERE project_id = $1 ORDER BY name`, [p.project.id]);
    expect(metrics).toMatchObject([
      { name: "latency", kind: "histogram", count: "4", sum: 10, min: 1, max: 4, buckets: { bounds: [2], counts: [1, 3] } },
      { name: "queue.depth", kind: "gauge", value: 17, unit: "{item}", attributes: { queue: "mail" } },
    ]);

    const [event] = await rows(`SELECT * FROM product_events WHERE project_id = $1`, [p.project.id]);
    expect(event).toMatchObject({ name: "report.exported", user_id: "u-1", session_id: "s-1", properties: { format: "csv" } });
  });

  it("accepts gzip bodies and gives a missing timestamp the receive time", async () => {
    const before = Date.now();
    const message = `gz-${uniq()}`;
    const res = await post(server.baseUrl, p.ingestKey.secret, gzipSync(JSON.stringify({ batch: [{ type: "log", message }] })), {
      "content-encoding": "gzip",
    });
    expect(res.status).toBe(200);
    const [log] = await rows<{ time: Date }>(`SELECT time FROM logs WHERE project_id = $1 AND message = $2`, [p.project.id, message]);
    expect(log!.time.getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  it("stores an event with a client id once, across retries and within a batch", async () => {
    const id = `dup-${uniq()}`;
    const batch = [
      { type: "log", id, message: "once" },
      { type: "log", id, message: "once" },
    ];
    expect((await sendBatch(server.baseUrl, p.ingestKey.secret, batch)).json).toEqual({ accepted: 2, rejected: [] });
    expect((await sendBatch(server.baseUrl, p.ingestKey.secret, batch)).json).toEqual({ accepted: 2, rejected: [] });
    const errId = `err-${uniq()}`;
    const err = { type: "error", id: errId, message: `retry safe ${errId}`, fingerprint: [errId] };
    await sendBatch(server.baseUrl, p.ingestKey.secret, [err]);
    await sendBatch(server.baseUrl, p.ingestKey.secret, [err]);
    expect(await rows(`SELECT 1 FROM logs WHERE project_id = $1 AND client_id = $2`, [p.project.id, id])).toHaveLength(1);
    const groups = await rows<{ count: string }>(`SELECT count FROM error_groups g WHERE project_id = $1 AND title = $2`, [
      p.project.id,
      `retry safe ${errId}`,
    ]);
    expect(groups).toEqual([{ count: "1" }]);
  });
});

describe("POST /api/v1/ingest — bad input", () => {
  it("rejects bad events with reasons and stores their good neighbours (207)", async () => {
    const q = await makeIngestProject();
    const res = await sendBatch(server.baseUrl, q.ingestKey.secret, [
      { type: "log", message: "good one" },
      { type: "log", id: "bad-1", message: 42 },
      { type: "request", method: "GET", path: "/", status: "ok", durationMs: -1 },
      { type: "nope" },
      "not even an object",
      { type: "log", message: "future", timestamp: iso(24 * 3600_000) },
      { type: "llm", model: "gpt-4o", inputTokens: 10, cachedInputTokens: 20 },
      { type: "log", message: "deep", attributes: JSON.parse('{"a":'.repeat(50) + "1" + "}".repeat(50)) },
      { type: "metric", name: "m", kind: "counter" },
      { type: "span", traceId: "t", spanId: "s", name: "x", startTime: iso(), endTime: iso(-10_000) },
    ]);
    expect(res.status).toBe(207);
    expect(res.json.accepted).toBe(1);
    const byIndex = Object.fromEntries(res.json.rejected!.map((r) => [r.index, r]));
    expect(Object.keys(byIndex).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(byIndex[1]).toMatchObject({ id: "bad-1", errors: [{ path: "message" }] });
    expect(byIndex[2]!.errors.map((e) => e.path).sort()).toEqual(["durationMs", "status"]);
    expect(byIndex[3]!.errors[0]!.path).toBe("type");
    expect(byIndex[5]!.errors[0]).toMatchObject({ path: "timestamp", message: expect.stringContaining("future") });
    expect(byIndex[6]!.errors[0]!.path).toBe("cachedInputTokens");
    expect(byIndex[7]!.errors[0]).toMatchObject({ path: "attributes", message: expect.stringContaining("nested deeper") });
    expect(byIndex[8]!.errors[0]!.path).toBe("value");
    expect(byIndex[9]!.errors[0]!.path).toBe("endTime");
    expect(await countAll(q.project.id)).toMatchObject({ logs: 1, requests: 0, llm_calls: 0, metric_points: 0, spans: 0 });
  });

  it("answers unusable bodies with 400 and stores nothing", async () => {
    const q = await makeIngestProject();
    for (const body of ["{not json", "[]", JSON.stringify({ batch: "x" }), JSON.stringify({ batch: [] }), "null"]) {
      const res = await post(server.baseUrl, q.ingestKey.secret, body);
      expect(res.status, body).toBe(400);
      expect(res.json.error!.code).toMatch(/invalid_json|invalid_body|empty_batch/);
      expect(JSON.stringify(res.json)).not.toMatch(/at .*\.ts:\d+/);
    }
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect((await post(server.baseUrl, q.ingestKey.secret, `{"batch":${deep}}`)).status).toBe(207);
    expect((await post(server.baseUrl, q.ingestKey.secret, `{"batch":[${deep}`)).status).toBe(400);
    expect(Object.values(await countAll(q.project.id)).every((n) => n === 0)).toBe(true);
  });

  it("401 for a missing, unknown or revoked key; 403 for a read key", async () => {
    const q = await makeIngestProject();
    const body = JSON.stringify({ batch: [{ type: "log", message: "x" }] });
    expect((await post(server.baseUrl, null, body)).status).toBe(401);
    expect((await post(server.baseUrl, "sl_ingest_notarealkey000000000000000000000000000", body)).status).toBe(401);
    const read = await post(server.baseUrl, q.readKey.secret, body);
    expect(read.status).toBe(403);
    expect(read.json.error!.code).toBe("insufficient_scope");
    await revokeApiKey({ project: q.project, keyId: q.ingestKey.id, actor: q.actor });
    expect((await post(server.baseUrl, q.ingestKey.secret, body)).status).toBe(401);
    expect(Object.values(await countAll(q.project.id)).every((n) => n === 0)).toBe(true);
  });

  it("413 for a body over the limit, too many events, and a gzip bomb (without inflating it)", async () => {
    const q = await makeIngestProject();
    const big = JSON.stringify({ batch: [{ type: "log", message: "x".repeat(5 * 1024 * 1024) }] });
    const tooBig = await post(server.baseUrl, q.ingestKey.secret, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error!.code).toBe("body_too_large");

    const many = JSON.stringify({ batch: Array.from({ length: 1001 }, () => ({ type: "log", message: "m" })) });
    const tooMany = await post(server.baseUrl, q.ingestKey.secret, many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error!.code).toBe("too_many_events");

    const bomb = gzipSync(Buffer.concat([Buffer.from('{"batch":[{"type":"log","message":"'), Buffer.alloc(200 * 1024 * 1024, 0x61), Buffer.from('"}]}')]));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const bombed = await post(server.baseUrl, q.ingestKey.secret, bomb, { "content-encoding": "gzip" });
    expect(bombed.status).toBe(413);
    expect(bombed.json.error!.message).toMatch(/decompressed/);

    const badGzip = await post(server.baseUrl, q.ingestKey.secret, Buffer.from("definitely not gzip"), { "content-encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    expect(Object.values(await countAll(q.project.id)).every((n) => n === 0)).toBe(true);
  });

  it("a failed write stores nothing and claims nothing (503, retryable)", async () => {
    const q = await makeIngestProject();
    const poison = `explode-${uniq()}`;
    await pool.query(`CREATE OR REPLACE FUNCTION h3_test_explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name LIKE 'explode-%' THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$`);
    await pool.query(
      `CREATE TRIGGER h3_test_explode_${poison.replace(/-/g, "_")} BEFORE INSERT ON metric_points FOR EACH ROW EXECUTE FUNCTION h3_test_explode()`,
    );
    try {
      const res = await sendBatch(server.baseUrl, q.ingestKey.secret, [
        { type: "log", message: "would be lost" },
        { type: "error", message: "boom" },
        { type: "llm", model: "gpt-4o", inputTokens: 1 },
        { type: "metric", name: poison, kind: "counter", value: 1 },
      ]);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(res.json.error!.code).toBe("storage_unavailable");
      expect(res.json).not.toHaveProperty("accepted");
    } finally {
      await pool.query(`DROP TRIGGER h3_test_explode_${poison.replace(/-/g, "_")} ON metric_points`);
    }
    expect(Object.values(await countAll(q.project.id)).every((n) => n === 0)).toBe(true);
  });
});
