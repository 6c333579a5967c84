import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { getJson, ingest, makeProjectWithKeys, startApiServer } from "./fixtures";

let server: Awaited<ReturnType<typeof startApiServer>>;
let a: Awaited<ReturnType<typeof makeProjectWithKeys>>;
let b: Awaited<ReturnType<typeof makeProjectWithKeys>>;
const traceId = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const now = Date.now();
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();

beforeAll(async () => {
  server = await startApiServer();
  [a, b] = await Promise.all([makeProjectWithKeys(), makeProjectWithKeys()]);
  const batch = [
    ...Array.from({ length: 5 }, (_, i) => ({ type: "log", timestamp: at(100 - i), message: `line ${i}`, traceId })),
    { type: "request", timestamp: at(90), method: "GET", path: "/a", status: 200, durationMs: 3, traceId },
    { type: "error", timestamp: at(89), message: "only project A sees this", traceId },
    { type: "llm", timestamp: at(88), model: "gpt-4o", inputTokens: 10, traceId },
    { type: "span", traceId, spanId: "1111111111111111", name: "root", startTime: at(88), endTime: at(87) },
    { type: "metric", timestamp: at(86), name: "a.metric", kind: "gauge", value: 1 },
    { type: "event", timestamp: at(85), name: "a.event" },
  ];
  const res = await ingest(server.baseUrl, a.ingestKey, batch);
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

const LISTS = ["/api/v1/logs", "/api/v1/errors", "/api/v1/llm-calls", "/api/v1/requests", "/api/v1/metrics/summary", "/api/v1/events"];

describe("tenancy", () => {
  it("another project's read key sees none of this project's data, traces by id included", async () => {
    for (const path of LISTS) {
      const mine = await getJson(server.baseUrl, a.readKey, path);
      expect(mine.status, path).toBe(200);
      expect(mine.body.items.length, path).toBeGreaterThan(0);
      const theirs = await getJson(server.baseUrl, b.readKey, path);
      expect(theirs.status, path).toBe(200);
      expect(theirs.body.items, path).toEqual([]);
    }
    expect((await getJson(server.baseUrl, a.readKey, `/api/v1/traces/${traceId}`)).status).toBe(200);
    const trace = await getJson(server.baseUrl, b.readKey, `/api/v1/traces/${traceId}`);
    expect(trace.status).toBe(404);
    expect(JSON.stringify(trace.body)).not.toContain("only project A");
    const group = (await getJson(server.baseUrl, a.readKey, "/api/v1/errors")).body.items[0];
    expect((await getJson(server.baseUrl, a.readKey, `/api/v1/errors/${group.id}/events`)).body.items).toHaveLength(1);
    expect((await getJson(server.baseUrl, b.readKey, `/api/v1/errors/${group.id}/events`)).status).toBe(404);
  });

  it("asks for a read key: none → 401, an ingest key → 403, a made-up key → 401", async () => {
    for (const path of [...LISTS, `/api/v1/traces/${traceId}`]) {
      expect((await getJson(server.baseUrl, null, path)).status, path).toBe(401);
      const ingestKey = await getJson(server.baseUrl, a.ingestKey, path);
      expect(ingestKey.status, path).toBe(403);
      expect(ingestKey.body.error.code).toBe("insufficient_scope");
      expect((await getJson(server.baseUrl, "sl_read_NotARealKeyNotARealKeyNotARealKey00", path)).status, path).toBe(401);
    }
  });
});

describe("query parameters", () => {
  const bad: [string, string][] = [
    ["/api/v1/logs?from=yesterday", "from"],
    ["/api/v1/logs?limit=501", "limit"],
    ["/api/v1/logs?limit=0", "limit"],
    ["/api/v1/logs?limit=ten", "limit"],
    ["/api/v1/logs?level=loud", "level"],
    ["/api/v1/logs?cursor=not-a-cursor", "cursor"],
    ["/api/v1/logs?levle=error", "levle"],
    [`/api/v1/logs?from=${encodeURIComponent(at(1))}&to=${encodeURIComponent(at(10))}`, "to"],
    ["/api/v1/errors?status=open", "status"],
    ["/api/v1/llm-calls?status=maybe", "status"],
    ["/api/v1/requests?status=6xx", "status"],
    ["/api/v1/requests?minDurationMs=-1", "minDurationMs"],
    ["/api/v1/metrics/summary?kind=timer", "kind"],
    ["/api/v1/events?limit=1000", "limit"],
    [`/api/v1/traces/${traceId}?expand=all`, "expand"],
  ];
  it.each(bad)("%s → 400 naming %s", async (path, field) => {
    const { status, body } = await getJson(server.baseUrl, a.readKey, path);
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_query");
    expect(Object.keys(body.error.fields)).toContain(field);
    expect(body.error.message).toContain(field);
  });

  it("pages with an opaque cursor: newest first, no repeats, no gaps, a null cursor at the end", async () => {
    const seen: string[] = [];
    let path = "/api/v1/logs?limit=2";
    for (let pageNo = 0; pageNo < 5; pageNo++) {
      const { status, body } = await getJson(server.baseUrl, a.readKey, path);
      expect(status).toBe(200);
      seen.push(...body.items.map((l: { message: string }) => l.message));
      if (!body.nextCursor) break;
      path = `/api/v1/logs?limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual(["line 4", "line 3", "line 2", "line 1", "line 0"]);
  });

  it("pages rows with the same time by numeric id, across a power of ten (9…, 10…)", async () => {
    const c = await makeProjectWithKeys();
    const ids = Array.from({ length: 7 }, (_, i) => 999_999_999_997n + BigInt(i)).map(String);
    await pool.query(`INSERT INTO logs (project_id, id, time, level, message) SELECT $1, unnest($2::bigint[]), $3, 'info', 'same instant'`, [
      c.projectId,
      ids,
      new Date(now - 5000),
    ]);
    const seen: string[] = [];
    let path = "/api/v1/logs?limit=3";
    for (let pageNo = 0; pageNo < 5; pageNo++) {
      const { body } = await getJson(server.baseUrl, c.readKey, path);
      seen.push(...body.items.map((l: { id: string }) => l.id));
      if (!body.nextCursor) break;
      path = `/api/v1/logs?limit=3&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it("a cursor from one list is refused by a list with another key shape", async () => {
    const logs = await getJson(server.baseUrl, a.readKey, "/api/v1/logs?limit=1");
    const groups = await getJson(server.baseUrl, a.readKey, `/api/v1/errors?cursor=${encodeURIComponent(logs.body.nextCursor)}`);
    expect(groups.status).toBe(400);
    expect(Object.keys(groups.body.error.fields)).toEqual(["cursor"]);
  });
});
