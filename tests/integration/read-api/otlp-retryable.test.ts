import { randomBytes } from "node:crypto";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteModule } from "../../../scripts/lib/http-harness";

// The two answers OTLP clients retry — 429 (rate) and 503 (storage failed, nothing stored) — both
// with Retry-After and a google.rpc.Status body in the request's format.

// Must be set before env.ts is evaluated, so the route and its modules are imported below.
process.env.INGEST_RATE_LIMIT_REQUESTS = "3";
process.env.INGEST_RATE_LIMIT_WINDOW_SECONDS = "120";

let server: { baseUrl: string; close: () => Promise<void> };
let fixtures: typeof import("./fixtures");
let pool: typeof import("@/server/db/pool").pool;

beforeAll(async () => {
  const { startRouteServer } = await import("../../../scripts/lib/http-harness");
  const route = (await import("@/app/api/v1/otlp/v1/traces/route")) as RouteModule;
  fixtures = await import("./fixtures");
  ({ pool } = await import("@/server/db/pool"));
  server = await startRouteServer({ "/api/v1/otlp/v1/traces": route });
});
afterAll(async () => {
  await server.close();
});

const Status = protobuf.Root.fromJSON({
  nested: { Status: { fields: { code: { type: "int32", id: 1 }, message: { type: "string", id: 2 } } } },
}).lookupType("Status");

async function spansNamed(name: string) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.getTracer("t").startSpan(name).end();
  await provider.forceFlush();
  return ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
}

const send = (key: string, body: Uint8Array) =>
  fetch(`${server.baseUrl}/api/v1/otlp/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${key}` },
    body: new Uint8Array(body),
  });

describe("retryable OTLP answers", () => {
  it("429 with Retry-After once a key is over its rate", async () => {
    const p = await fixtures.makeProjectWithKeys();
    const body = await spansNamed("rated");
    for (let i = 0; i < 3; i++) expect((await send(p.ingestKey, body)).status).toBe(200);
    const limited = await send(p.ingestKey, body);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("content-type")).toBe("application/x-protobuf");
    expect(Status.toObject(Status.decode(new Uint8Array(await limited.arrayBuffer())))).toMatchObject({ code: 8 });
  });

  it("503 with Retry-After when the write fails, and nothing of the request is stored", async () => {
    const p = await fixtures.makeProjectWithKeys();
    const poison = `explode_${randomBytes(4).toString("hex")}`;
    await pool.query(`CREATE OR REPLACE FUNCTION h4_test_explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name LIKE 'explode_%' THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$`);
    await pool.query(`CREATE TRIGGER h4_${poison} BEFORE INSERT ON spans FOR EACH ROW EXECUTE FUNCTION h4_test_explode()`);
    try {
      const res = await send(p.ingestKey, await spansNamed(poison));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(Status.toObject(Status.decode(new Uint8Array(await res.arrayBuffer())))).toMatchObject({ code: 14 });
    } finally {
      await pool.query(`DROP TRIGGER h4_${poison} ON spans`);
    }
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM spans WHERE project_id = $1`, [p.projectId]);
    expect(rows[0].n).toBe(0);
  });
});
