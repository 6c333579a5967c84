import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { pool } from "@/server/db/pool";
import { generateTraffic, liveTail, REGRESSION, sendDemoTraffic } from "../../scripts/demo/traffic";
import { resolveRegressionWhenFixed } from "../../scripts/demo/triage";
import { createApiKey } from "@/server/keys/create";
import { getOverview } from "@/server/dashboards/overview";
import { startRouteServer, type RouteModule } from "../../scripts/lib/http-harness";
import { actorOf, auditCount, callerFor, makeOrg, makeProject, makeUser } from "./tenancy-fixtures";

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
    const key = await createApiKey({ seesSpend: true, project, input: { name: "demo", scope: "ingest" }, actor: { ...actorOf(owner), userId: owner.id } });
    const now = new Date();
    const windowMs = 6 * 3_600_000;
    // The window's history, then the live tail (one request failing with the regressed error, sent last).
    const expected = [...generateTraffic({ windowMs, now }), ...liveTail({ now, at: now })];
    const first = await sendDemoTraffic({ baseUrl: server.baseUrl, ingestKey: key.secret, windowMs, now });
    expect(first).toMatchObject({ sent: expected.length, accepted: expected.length, rejected: 0 });
    const requests = expected.filter((e) => e.type === "request").length;
    const counts = async () =>
      (
        await pool.query(
          `SELECT (SELECT count(*) FROM requests WHERE project_id = $1)::int AS requests,
              (SELECT count(*) FROM llm_calls WHERE project_id = $1 AND cost_usd > 0)::int AS priced,
              (SELECT count(*) FROM llm_calls WHERE project_id = $1)::int AS llm,
              (SELECT count(DISTINCT l.trace_id) FROM llm_calls l JOIN spans s ON s.project_id = l.project_id AND s.trace_id = l.trace_id AND s.parent_span_id IS NULL WHERE l.project_id = $1)::int AS linked,
              (SELECT count(*) FROM error_groups WHERE project_id = $1)::int AS groups`,
          [project.id],
        )
      ).rows[0];
    const stored = await counts();
    expect(stored.requests).toBe(requests);
    expect(stored.priced).toBe(stored.llm);
    expect(stored.linked).toBe(stored.llm);
    expect(stored.groups).toBeGreaterThanOrEqual(1);
    expect(stored.groups).toBeLessThanOrEqual(5);
    const overview = await getOverview(pool, {
      projectId: project.id,
      from: new Date(now.getTime() - windowMs - 3_600_000),
      to: now,
      timeZone: "UTC",
      filters: {},
    });
    expect(overview.requests.value).toBe(requests - 1); // the live tail is timestamped after `now`

    await sendDemoTraffic({ baseUrl: server.baseUrl, ingestKey: key.secret, windowMs, now });
    expect(await counts()).toEqual(stored);
  });

  it("tells the regression story: PaymentError resolved by a user when 1.3.0 ships comes back in 1.4.0 and is marked regressed", async () => {
    const owner = await makeUser("demo-regression");
    const org = await makeOrg(owner);
    const project = await makeProject(org.id);
    const key = await createApiKey({ seesSpend: true, project, input: { name: "demo", scope: "ingest" }, actor: { ...actorOf(owner), userId: owner.id } });
    const releases: string[] = [];
    const resolve = resolveRegressionWhenFixed(callerFor(owner), { orgSlug: org.slug, projectSlug: project.slug });
    await sendDemoTraffic({
      baseUrl: server.baseUrl,
      ingestKey: key.secret,
      windowMs: 24 * 3_600_000,
      onRelease: async (release) => {
        releases.push(release);
        await resolve(release);
      },
    });
    expect(releases).toEqual(["1.3.0", "1.4.0"]);
    const { rows: groups } = await pool.query<{ id: string; type: string; status: string; substatus: string; resolved_at: Date | null }>(
      `SELECT id, type, status::text, substatus::text, resolved_at FROM error_groups WHERE project_id = $1 ORDER BY type`,
      [project.id],
    );
    const regressed = groups.filter((g) => g.substatus === "regressed");
    expect(regressed.map((g) => g.type)).toEqual([REGRESSION.type]);
    expect(regressed[0]).toMatchObject({ status: "unresolved", resolved_at: null });
    // Resolved once, through the triage path, by that user and audited.
    expect(await auditCount(org.id, "error_group.resolved", regressed[0]!.id)).toBe(1);
    expect(groups.filter((g) => g.type !== REGRESSION.type).every((g) => g.status === "unresolved" && g.substatus !== "regressed")).toBe(true);

    const {
      rows: [usage],
    } = await pool.query<{ cached: string; reasoning: string; users: number }>(
      `SELECT (SELECT sum(cached_input_tokens) FROM llm_calls WHERE project_id = $1) AS cached,
              (SELECT sum(reasoning_tokens) FROM llm_calls WHERE project_id = $1) AS reasoning,
              (SELECT count(DISTINCT user_id) FROM (SELECT user_id FROM requests WHERE project_id = $1
                 UNION ALL SELECT user_id FROM product_events WHERE project_id = $1) u)::int AS users`,
      [project.id],
    );
    expect(Number(usage!.cached)).toBeGreaterThan(0);
    expect(Number(usage!.reasoning)).toBeGreaterThan(0);
    expect(usage!.users).toBeGreaterThanOrEqual(200); // a few hundred (of 300)
    expect(usage!.users).toBeLessThanOrEqual(300);
  });
});
