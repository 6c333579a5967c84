import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastifyPlugin, flush, logger, onRequestError, routeFromParams, withSightline } from "@sightline/node";
import { flushAndStop, initSdk, rows, startPortal, waitFor } from "./harness";

let portal: Awaited<ReturnType<typeof startPortal>>;

beforeAll(async () => {
  portal = await startPortal();
  initSdk(portal.baseUrl, portal.key, { service: "multi" });
});
afterAll(async () => {
  await flushAndStop();
  await portal.close();
});

const requestsFor = (prefix: string) =>
  rows<Record<string, any>>(`SELECT * FROM requests WHERE project_id = $1 AND path LIKE $2 ORDER BY time, id`, [portal.projectId, `${prefix}%`]);

describe("fastify plugin", () => {
  it("records route templates, request ids and errors; logs inside handlers (also after body parsing) carry the ids", async () => {
    const app = Fastify();
    await app.register(fastifyPlugin, { userId: (req: { headers: Record<string, unknown> }) => req.headers["x-user"] as string | undefined });
    app.get("/fy/items/:id", async (req) => {
      logger.info("fastify item {id}", { id: (req.params as { id: string }).id });
      return { ok: true };
    });
    app.post("/fy/orders", async (req) => {
      await new Promise((r) => setTimeout(r, 2));
      logger.info("order body {n}", { n: (req.body as { n: number }).n });
      return { created: true };
    });
    app.get("/fy/fail/:id", async () => {
      throw new RangeError("fastify handler broke");
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const r = await fetch(`${base}/fy/items/7`, { headers: { "x-user": "fy-user" } });
    expect(r.headers.get("x-request-id")).toBeTruthy();
    await fetch(`${base}/fy/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: 5 }) });
    expect((await fetch(`${base}/fy/fail/1`)).status).toBe(500);
    await app.close();
    await flush();

    const requests = await waitFor(
      () => requestsFor("/fy/"),
      (x) => x.length >= 3,
    );
    expect(requests.map((q) => [q.method, q.route, q.status])).toEqual([
      ["GET", "/fy/items/:id", 200],
      ["POST", "/fy/orders", 200],
      ["GET", "/fy/fail/:id", 500],
    ]);
    expect(requests[0]).toMatchObject({ user_id: "fy-user", request_id: r.headers.get("x-request-id") });
    const logs = await rows<Record<string, any>>(
      `SELECT * FROM logs WHERE project_id = $1 AND (message LIKE 'fastify item%' OR message LIKE 'order body%') ORDER BY time`,
      [portal.projectId],
    );
    expect(logs.map((l) => [l.message, l.request_id])).toEqual([
      ["fastify item 7", requests[0]!.request_id],
      ["order body 5", requests[1]!.request_id],
    ]);
    const errors = await rows<Record<string, any>>(`SELECT * FROM error_events WHERE project_id = $1 AND type = 'RangeError'`, [portal.projectId]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ trace_id: requests[2]!.trace_id });
    expect(errors[0]!.exception.values.at(-1).mechanism.type).toBe("fastify");
  });
});

describe("Next.js: withSightline and onRequestError", () => {
  it("wraps App Router handlers: route template from params, x-request-id, errors once even if onRequestError sees them too", async () => {
    const GET = withSightline(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
      const { id } = await ctx.params;
      logger.info("next item {id}", { id });
      return Response.json({ id, via: new URL(req.url).pathname });
    });
    const POST = withSightline(
      async () => {
        throw new Error("next handler failed");
      },
      { route: "/nx/jobs" },
    );
    const res = await GET(new Request("http://app.test/nx/items/99", { headers: { traceparent: "00-11111111111111111111111111111111-2222222222222222-01" } }), {
      params: Promise.resolve({ id: "99" }),
    });
    expect(res.headers.get("x-request-id")).toBeTruthy();
    let thrown: unknown;
    await POST(new Request("http://app.test/nx/jobs", { method: "POST" }), undefined).catch((e: unknown) => (thrown = e));
    expect(thrown).toBeInstanceOf(Error);
    // Next.js calls onRequestError for the same error: it must not be sent twice.
    onRequestError(thrown, { path: "/nx/jobs", method: "POST", headers: {} }, { routerKind: "App Router", routePath: "/nx/jobs", routeType: "route" });
    onRequestError(
      new Error("render failed"),
      { path: "/nx/page", method: "GET", headers: {} },
      { routerKind: "App Router", routePath: "/nx/page", routeType: "render" },
    );
    await flush();

    const requests = await waitFor(
      () => requestsFor("/nx/"),
      (x) => x.length >= 2,
    );
    expect(requests.map((q) => [q.route, q.status])).toEqual([
      ["/nx/items/[id]", 200],
      ["/nx/jobs", 500],
    ]);
    expect(requests[0]!.trace_id).toBe("11111111111111111111111111111111");
    const [log] = await rows<Record<string, any>>(`SELECT * FROM logs WHERE project_id = $1 AND message = 'next item 99'`, [portal.projectId]);
    expect(log).toMatchObject({ trace_id: requests[0]!.trace_id, request_id: res.headers.get("x-request-id") });
    const errors = await rows<Record<string, any>>(
      `SELECT message, tags FROM error_events WHERE project_id = $1 AND message IN ('next handler failed', 'render failed') ORDER BY time`,
      [portal.projectId],
    );
    expect(errors.map((e) => e.message)).toEqual(["next handler failed", "render failed"]);
    expect(errors[1]!.tags).toMatchObject({ "http.route": "/nx/page", "next.route_type": "render" });
  });

  it("rebuilds templates from params, including catch-alls", () => {
    expect(routeFromParams("/shop/42/reviews/7", { id: "42", review: "7" })).toBe("/shop/[id]/reviews/[review]");
    expect(routeFromParams("/docs/a/b/c", { slug: ["a", "b", "c"] })).toBe("/docs/[...slug]");
    expect(routeFromParams("/plain", {})).toBe("/plain");
  });
});
