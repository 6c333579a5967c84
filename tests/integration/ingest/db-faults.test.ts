/**
 * Ingest while the database connection fails: a TCP proxy between the portal's pool and Postgres
 * cuts, stalls and resets connections while a client sends batches with client ids and retries
 * 503s as the SDK does. Every batch answered 2xx is stored exactly once, the failures were 503s
 * with Retry-After, no request outlived the pool's timeouts, and the pool recovers by itself.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../scripts/lib/test-database";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";
import { startTcpProxy } from "../../fakes/tcp-proxy";

const db = await createTestDatabase("dbfaults");
const proxy = await startTcpProxy({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port || 5432) });
process.env.DATABASE_URL = proxy.url(db.url);
process.env.LOG_LEVEL = "fatal"; // the faults below are logged as errors by design
const CONNECT_TIMEOUT_MS = 1_000;
const QUERY_TIMEOUT_MS = 2_000;
process.env.DATABASE_CONNECT_TIMEOUT_MS = String(CONNECT_TIMEOUT_MS);
process.env.DATABASE_QUERY_TIMEOUT_MS = String(QUERY_TIMEOUT_MS);
const { pool } = await import("@/server/db/pool");
const { makeIngestProject, post } = await import("./fixtures");
const ingestRoute = (await import("@/app/api/v1/ingest/route")) as RouteModule;
const otlpLogsRoute = (await import("@/app/api/v1/otlp/v1/logs/route")) as RouteModule;

const direct = new pg.Pool({ connectionString: db.url, max: 2 });
let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute, "/api/v1/otlp/v1/logs": otlpLogsRoute });
});
afterAll(async () => {
  await server.close();
  await pool.end().catch(() => {});
  await direct.end();
  await proxy.close();
  await db.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What one request took, and what it answered: the worst case is a connect timeout, then a query timeout. */
const LONGEST_MS = CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 1_500;

describe("ingest through database faults", () => {
  it("stores every acknowledged batch exactly once across cuts, stalls and resets; failures are 503 + Retry-After; the pool recovers", {
    timeout: 120_000,
  }, async () => {
    const p = await makeIngestProject();
    const batches: Array<Array<{ type: string; id: string; message: string }>> = [];
    const nextBatch = () => {
      const b = batches.length;
      batches.push(Array.from({ length: 20 }, (_, i) => ({ type: "log", id: `b${b}-e${i}-${randomUUID()}`, message: `batch ${b} event ${i}` })));
      return b;
    };
    const answers: Array<{ status: number; retryAfter: string | null; ms: number }> = [];
    const acknowledged = new Set<number>();

    /** A client as the SDK behaves: resend the same batch (same ids) after a 503, 429 or a dropped connection. */
    async function deliver(b: number) {
      for (let attempt = 0; attempt < 200; attempt++) {
        const started = performance.now();
        const res = await post(server.baseUrl, p.ingestKey.secret, JSON.stringify({ batch: batches[b] })).catch(() => null);
        const ms = performance.now() - started;
        if (res) answers.push({ status: res.status, retryAfter: res.headers.get("retry-after"), ms });
        if (res && res.status >= 200 && res.status < 300) {
          expect(res.json).toMatchObject({ accepted: 20, rejected: [] });
          acknowledged.add(b);
          return;
        }
        if (res) expect([429, 503], JSON.stringify(res.json)).toContain(res.status);
        await sleep(100); // Retry-After says 5 s; the test shortens the wait, not the semantics
      }
      throw new Error(`batch ${b} never got through`);
    }

    let faultsOver = false;
    const faults = (async () => {
      const steps: Array<[string, () => unknown, number]> = [
        ["flow", () => {}, 400],
        ["cut", () => proxy.cut(), 300],
        ["stall", () => proxy.stall(), QUERY_TIMEOUT_MS + 800],
        ["flow", () => proxy.flow(), 400],
        ["down (reset, refuse)", () => proxy.down(), 700],
        ["up", () => proxy.up(), 400],
        ["stall", () => proxy.stall(), 1_200],
        ["flow", () => proxy.flow(), 300],
        ["cut", () => proxy.cut(), 300],
      ];
      for (const [, act, hold] of steps) {
        await act();
        await sleep(hold);
      }
      faultsOver = true;
    })();
    // Clients keep sending new batches for as long as the faults go on.
    const workers = Array.from({ length: 4 }, async () => {
      while (!faultsOver) await deliver(nextBatch());
    });
    await Promise.all([faults, ...workers]);

    expect(acknowledged.size).toBe(batches.length);
    const failures = answers.filter((a) => a.status === 503);
    expect(failures.length, "the faults were felt").toBeGreaterThan(0);
    expect(failures.every((a) => a.retryAfter && Number(a.retryAfter) > 0)).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms)), "no request outlived the connect + query timeouts").toBeLessThan(LONGEST_MS);

    const { rows } = await direct.query<{ n: string; distinct_ids: string }>(
      `SELECT count(*)::text AS n, count(DISTINCT client_id)::text AS distinct_ids FROM logs WHERE project_id = $1`,
      [p.project.id],
    );
    expect(batches.length).toBeGreaterThan(20);
    expect(rows[0]).toEqual({ n: String(batches.length * 20), distinct_ids: String(batches.length * 20) });

    // Recovered without a restart: a new batch and an OTLP export go straight through.
    const after = await post(server.baseUrl, p.ingestKey.secret, JSON.stringify({ batch: [{ type: "log", id: randomUUID(), message: "after the storm" }] }));
    expect(after.status).toBe(200);
    expect(pool.totalCount).toBeLessThanOrEqual(Number(process.env.DATABASE_POOL_MAX ?? 4));
  });

  it("a database that is down answers 503 with Retry-After on the batch API and OTLP alike, never 500", { timeout: 60_000 }, async () => {
    const p = await makeIngestProject();
    await proxy.down();
    try {
      // The key was never seen by this process: its lookup is what fails.
      const batch = await post(server.baseUrl, p.ingestKey.secret, JSON.stringify({ batch: [{ type: "log", message: "x" }] }));
      expect(batch.status).toBe(503);
      expect(batch.headers.get("retry-after")).toBe("5");
      expect(batch.json).toMatchObject({ error: { code: "database_unavailable" } });
      const otlp = await fetch(`${server.baseUrl}/api/v1/otlp/v1/logs`, {
        method: "POST",
        headers: { authorization: `Bearer ${p.ingestKey.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ resourceLogs: [] }),
      });
      expect(otlp.status).toBe(503);
      expect(otlp.headers.get("retry-after")).toBe("5");
    } finally {
      await proxy.up();
    }
    const ok = await post(server.baseUrl, p.ingestKey.secret, JSON.stringify({ batch: [{ type: "log", message: "back" }] }));
    expect(ok.status).toBe(200);
  });
});
