import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureException, expressErrorHandler, expressMiddleware, flush, logger } from "@sightline/node";
import { flushAndStop, initSdk, rows, startPortal, waitFor } from "./harness";

let portal: Awaited<ReturnType<typeof startPortal>>;
let app: { url: string; close: () => void };

beforeAll(async () => {
  portal = await startPortal();
  initSdk(portal.baseUrl, portal.key, { service: "shop-api" });
  const a = express();
  a.use(expressMiddleware({ userId: (req) => req.headers["x-user"] as string | undefined }));
  a.get("/health", (_req, res) => void res.send("ok"));
  a.get("/items/:id", async (req, res) => {
    logger.info("loading item {id}", { id: req.params.id });
    await new Promise((r) => setTimeout(r, 5));
    logger.contextualize({ step: "render" }, () => logger.warn("item {id} is low on stock", { id: req.params.id }));
    res.json({ id: req.params.id });
  });
  const orders = express.Router();
  orders.post("/:orderId/pay", (req, res) => void res.status(201).json({ paid: req.params.orderId }));
  a.use("/api/orders", orders);
  a.get("/boom/:n", () => {
    throw new TypeError("inventory lookup failed");
  });
  a.get("/handled", (_req, res) => {
    captureException(new Error("payment provider slow"), { level: "warning", tags: { provider: "acme" } });
    res.send("fine");
  });
  a.use(expressErrorHandler());
  a.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).json({ error: err.message }));
  const server = a.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  app = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
});

afterAll(async () => {
  await flushAndStop();
  app.close();
  await portal.close();
});

describe("express middleware → the real portal", () => {
  it("records one request per call with its route template, status, sizes, user and request id; logs carry the ids", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const r1 = await fetch(`${app.url}/items/42?color=red`, { headers: { traceparent, "x-user": "u-7", authorization: "Bearer secret-token-value" } });
    expect(r1.status).toBe(200);
    const requestId = r1.headers.get("x-request-id")!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const r2 = await fetch(`${app.url}/api/orders/o-9/pay`, {
      method: "POST",
      headers: { "x-request-id": "req-from-lb-1", "content-type": "application/json" },
      body: '{"amount":12}',
    });
    expect(r2.headers.get("x-request-id")).toBe("req-from-lb-1");
    await fetch(`${app.url}/health`);
    await flush();

    const requests = await waitFor(
      () => rows<Record<string, any>>(`SELECT * FROM requests WHERE project_id = $1 ORDER BY time`, [portal.projectId]),
      (r) => r.length >= 2,
    );
    expect(requests.map((r) => [r.method, r.route, r.path, r.status])).toEqual([
      ["GET", "/items/:id", "/items/42", 200],
      ["POST", "/api/orders/:orderId/pay", "/api/orders/o-9/pay", 201],
    ]);
    const item = requests[0]!;
    const pay = requests[1]!;
    expect(item).toMatchObject({
      trace_id: "0af7651916cd43dd8448eb211c80319c",
      user_id: "u-7",
      request_id: requestId,
      service: "shop-api",
      environment: "test",
      release: "1.0.0",
    });
    expect(item.request_headers.authorization).toBe("[REDACTED]");
    expect(Number(item.response_size)).toBeGreaterThan(0);
    expect(item.duration_ms).toBeGreaterThan(4);
    expect(pay).toMatchObject({ request_id: "req-from-lb-1" });
    expect(Number(pay.request_size)).toBe(13);

    const logs = await rows<Record<string, any>>(`SELECT * FROM logs WHERE project_id = $1 ORDER BY time`, [portal.projectId]);
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ["info", "loading item 42"],
      ["warn", "item 42 is low on stock"],
    ]);
    for (const l of logs) expect(l).toMatchObject({ trace_id: item.trace_id, span_id: item.span_id, request_id: requestId });
    expect(logs[1]!.attributes).toMatchObject({ id: "42", step: "render" });

    const spans = await rows<Record<string, any>>(`SELECT * FROM spans WHERE project_id = $1 AND trace_id = $2`, [portal.projectId, item.trace_id]);
    expect(spans).toHaveLength(1);
    expect(spans[0]!).toMatchObject({ name: "GET /items/:id", kind: "server", span_id: item.span_id, parent_span_id: "b7ad6b7169203331" });
    expect(spans[0]!.attributes).toMatchObject({ "http.route": "/items/:id", "http.response.status_code": 200 });
  });

  it("thrown errors become error events with parsed frames and the request's trace, grouped across requests", async () => {
    await fetch(`${app.url}/boom/1`);
    const second = await fetch(`${app.url}/boom/2`);
    expect(second.status).toBe(500);
    await fetch(`${app.url}/handled`);
    await flush();
    const errors = await waitFor(
      () =>
        rows<Record<string, any>>(
          `SELECT e.*, g.count AS group_count FROM error_events e JOIN error_groups g ON g.project_id = e.project_id AND g.id = e.group_id WHERE e.project_id = $1 ORDER BY e.time`,
          [portal.projectId],
        ),
      (r) => r.length >= 3,
    );
    const boom = errors.filter((e) => e.type === "TypeError");
    expect(boom).toHaveLength(2);
    expect(boom[0]!.group_id).toBe(boom[1]!.group_id);
    expect(Number(boom[0]!.group_count)).toBe(2);
    const frames = boom[0]!.exception.values.at(-1).stacktrace.frames as Array<Record<string, any>>;
    expect(frames.at(-1)).toMatchObject({ filename: "tests/integration/sdk/express.test.ts", in_app: true });
    expect(frames.some((f) => f.in_app === false && String(f.filename).includes("node_modules"))).toBe(true);
    expect(boom[0]!.exception.values.at(-1).mechanism).toEqual({ type: "express", handled: false });

    const requests = await rows<Record<string, any>>(`SELECT * FROM requests WHERE project_id = $1 AND route = '/boom/:n' ORDER BY time`, [portal.projectId]);
    expect(requests.map((r) => r.status)).toEqual([500, 500]);
    expect(boom.map((e) => e.trace_id)).toEqual(requests.map((r) => r.trace_id));
    expect(boom[0]!.tags).toMatchObject({ request_id: requests[0]!.request_id, "http.request.method": "GET", "url.path": "/boom/1" });

    const handled = errors.find((e) => e.message === "payment provider slow")!;
    expect(handled).toMatchObject({ level: "warning" });
    expect(handled.tags).toMatchObject({ provider: "acme" });
    const span = await rows<Record<string, any>>(`SELECT status FROM spans WHERE project_id = $1 AND trace_id = $2`, [portal.projectId, boom[0]!.trace_id]);
    expect(span.map((s) => s.status)).toEqual(["error"]);
  });
});
