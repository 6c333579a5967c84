import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { listErrorGroupsInRange } from "@/server/dashboards/errors";
import { logErrorGroups } from "@/server/dashboards/traces";
import { getJson, ingest, makeProjectWithKeys, startApiServer } from "./fixtures";

// The REST read API and the pages read each data set through one function: the same window rule
// for error groups, the same trace-id matching everywhere.

let server: Awaited<ReturnType<typeof startApiServer>>;
let p: Awaited<ReturnType<typeof makeProjectWithKeys>>;
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const error = (message: string, minutesAgo: number, environment = "prod") => ({
  type: "error",
  timestamp: at(minutesAgo),
  level: "error",
  message,
  environment,
  exception: { values: [{ type: message, value: message }] },
  traceId,
});

beforeAll(async () => {
  server = await startApiServer();
  p = await makeProjectWithKeys();
  const res = await ingest(server.baseUrl, p.ingestKey, [
    // "Straddles" occurs before and after the window [90, 30) minutes ago, never inside it.
    error("Straddles", 120),
    error("Straddles", 10),
    error("Inside", 60),
    error("Inside", 50, "staging"),
    { type: "request", timestamp: at(5), method: "GET", route: "/r", path: "/r", status: 200, durationMs: 3, traceId },
    { type: "llm", timestamp: at(5), provider: "openai", model: "gpt-4o", inputTokens: 1, outputTokens: 1, traceId },
    { type: "log", timestamp: at(5), level: "info", message: "hello", traceId },
  ]);
  expect(res.body.rejected).toEqual([]);
});
afterAll(async () => {
  await server.close();
});

const read = (path: string) => getJson(server.baseUrl, p.readKey, path);
const titles = (groups: Array<{ title: string }>) => groups.map((g) => g.title.split(":")[0]).sort();

describe("error groups: one list for the read API and the errors page", () => {
  const from = new Date(now - 90 * 60_000);
  const to = new Date(now - 30 * 60_000);
  const page = (filters: Record<string, string> = {}) => listErrorGroupsInRange(pool, { projectId: p.projectId, from, to, timeZone: "UTC", filters });

  it("lists a group only when it has an event in the window, whichever the caller", async () => {
    const api = await read(`/api/v1/errors?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(api.status).toBe(200);
    expect(titles(api.body.items)).toEqual(["Inside"]);
    expect(titles((await page()).groups)).toEqual(["Inside"]);
    // Without a window the read API lists every group.
    expect(titles((await read("/api/v1/errors")).body.items)).toEqual(["Inside", "Straddles"]);
  });

  it("applies an event filter to the events in the window, whichever the caller", async () => {
    const window = `from=${from.toISOString()}&to=${to.toISOString()}`;
    expect(titles((await read(`/api/v1/errors?${window}&environment=staging`)).body.items)).toEqual(["Inside"]);
    expect(titles((await page({ environment: "staging" })).groups)).toEqual(["Inside"]);
    expect((await read(`/api/v1/errors?${window}&environment=qa`)).body.items).toEqual([]);
    expect((await page({ environment: "qa" })).groups).toEqual([]);
  });
});

describe("trace ids match as sent or in lower case, in every read", () => {
  const upper = traceId.toUpperCase();

  it.each(["logs", "requests", "llm-calls"])("GET /api/v1/%s?traceId=<upper case>", async (path) => {
    const { status, body } = await read(`/api/v1/${path}?traceId=${upper}`);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(1);
  });

  it("the log drawer's error groups of a trace", async () => {
    expect(titles(await logErrorGroups(pool, { projectId: p.projectId, traceId: upper }))).toEqual(["Inside", "Straddles"]);
  });
});
