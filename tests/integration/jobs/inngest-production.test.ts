import { describe, expect, it } from "vitest";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";

// A production install where someone left INNGEST_DEV=1 in the environment.
process.env.INNGEST_SIGNING_KEY = "signkey-prod-" + "cd34".repeat(16);
process.env.INNGEST_DEV = "1";
const env = process.env as Record<string, string>;
env.NODE_ENV = "production";
const route = (await import("@/app/api/inngest/route")) as unknown as RouteModule;

describe("/api/inngest in production with INNGEST_DEV=1 set by mistake", () => {
  it("still refuses unsigned calls: introspection and invocation", async () => {
    const server = await startRouteServer({ "/api/inngest": route });
    try {
      const introspect = await fetch(`${server.baseUrl}/api/inngest`);
      expect(introspect.status).toBe(401);
      const invoke = await fetch(`${server.baseUrl}/api/inngest?fnId=sightline-rollup&stepId=step`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ event: { name: "inngest/scheduled.timer", data: {} }, steps: {}, ctx: {} }),
      });
      expect(invoke.status).toBe(401);
    } finally {
      await server.close();
      env.NODE_ENV = "test";
    }
  });
});
