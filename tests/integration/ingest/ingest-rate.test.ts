import { afterAll, beforeAll, expect, it } from "vitest";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";

// Must be set before env.ts is evaluated, so the route and its modules are imported below.
process.env.INGEST_RATE_LIMIT_REQUESTS = "2";
process.env.INGEST_RATE_LIMIT_WINDOW_SECONDS = "120";

let server: Awaited<ReturnType<typeof startRouteServer>>;
let fixtures: typeof import("./fixtures");

beforeAll(async () => {
  const route = (await import("@/app/api/v1/ingest/route")) as RouteModule;
  fixtures = await import("./fixtures");
  server = await startRouteServer({ "/api/v1/ingest": route });
});
afterAll(async () => {
  await server.close();
});

it("answers 429 with Retry-After once a key exceeds its rate, other keys unaffected", async () => {
  const p = await fixtures.makeIngestProject();
  const q = await fixtures.makeIngestProject();
  const batch = [{ type: "log", message: "x" }];
  expect((await fixtures.sendBatch(server.baseUrl, p.ingestKey.secret, batch)).status).toBe(200);
  expect((await fixtures.sendBatch(server.baseUrl, p.ingestKey.secret, batch)).status).toBe(200);
  const limited = await fixtures.sendBatch(server.baseUrl, p.ingestKey.secret, batch);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(limited.json.error!.code).toBe("rate_limited");
  expect((await fixtures.sendBatch(server.baseUrl, q.ingestKey.secret, batch)).status).toBe(200);
  expect((await fixtures.countAll(p.project.id)).logs).toBe(2);
});
