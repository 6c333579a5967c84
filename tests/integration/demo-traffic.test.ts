import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { pool } from "@/server/db/pool";
import { generateTraffic, sendDemoTraffic } from "@/server/demo/traffic";
import { createApiKey } from "@/server/keys/create";
import { getOverview } from "@/server/metrics/overview";
import { startRouteServer, type RouteModule } from "../http-harness";
import { actorOf, makeOrg, makeProject, makeUser } from "./tenancy-fixtures";

describe("demo traffic through the real ingest route", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  beforeAll(async () => {
    server = await startRouteServer({ "/api/v1/ingest": ingestRoute as unknown as RouteModule });
  });
  afterAll(() => server.close());

  it("sends every event of the window, accepted, linked and priced; re-sending stores nothing twice", async () => {
    const owner = await makeUser("demo");
    const org = await makeOrg(owner);
    const project = await makeProject(org.id);
    const key = await createApiKey({ project, input: { name: "demo", scope: "ingest" }, actor: { ...actorOf(owner), userId: owner.id } });
    const now = new Date();
    const windowMs = 6 * 3_600_000;
    const expected = [...generateTraffic({ windowMs, now })];
    const first = await sendDemoTraffic({ baseUrl: server.baseUrl, ingestKey: key.secret, windowMs, now });
    expect(first).toMatchObject({ sent: expected.length, accepted: expected.length, rejected: 0 });
    const requests = expected.filter((e) => e.type === "request").length;
    const counts = async () => (await pool.query(
      `SELECT (SELECT count(*) FROM requests WHERE project_id = $1)::int AS requests,
              (SELECT count(*) FROM llm_calls WHERE project_id = $1 AND cost_usd > 0)::int AS priced,
              (SELECT count(*) FROM llm_calls WHERE project_id = $1)::int AS llm,
              (SELECT count(DISTINCT l.trace_id) FROM llm_calls l JOIN spans s ON s.project_id = l.project_id AND s.trace_id = l.trace_id AND s.parent_span_id IS NULL WHERE l.project_id = $1)::int AS linked,
              (SELECT count(*) FROM error_groups WHERE project_id = $1)::int AS groups`, [project.id])).rows[0];
    const stored = await counts();
    expect(stored.requests).toBe(requests);
    expect(stored.priced).toBe(stored.llm);
    expect(stored.linked).toBe(stored.llm);
    expect(stored.groups).toBeGreaterThanOrEqual(1);
    expect(stored.groups).toBeLessThanOrEqual(5);
    const overview = await getOverview(pool, { projectId: project.id, from: new Date(now.getTime() - windowMs - 3_600_000), to: now, timeZone: "UTC", filters: {} });
    expect(overview.requests.value).toBe(requests);

    await sendDemoTraffic({ baseUrl: server.baseUrl, ingestKey: key.secret, windowMs, now });
    expect(await counts()).toEqual(stored);
  });
});
