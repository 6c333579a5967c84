import { createHmac, randomUUID } from "node:crypto";
import canonicalize from "canonicalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";

// The route runs in Inngest's cloud mode, where every request must carry a signature made with this key.
const SIGNING_KEY = "signkey-test-" + "ab12".repeat(16);
process.env.INNGEST_SIGNING_KEY = SIGNING_KEY;
process.env.INNGEST_DEV = "0";

const { pool } = await import("@/server/db/pool");
const { rollupFunction } = await import("@/server/jobs/client");
const route = await import("@/app/api/inngest/route");
const { InngestTestEngine } = await import("@inngest/test");
const { insertRows } = await import("../metrics-fixtures");
const { JOBS } = await import("@/server/jobs/registry");
const { makeOrg, makeProject, makeUser } = await import("../tenancy-fixtures");

/** The X-Inngest-Signature the executor sends: HMAC-SHA256(key without prefix, canonical JSON body + ts). */
function sign(body: unknown, ts = Math.round(Date.now() / 1000)) {
  const key = SIGNING_KEY.replace(/^signkey-[\w]+-/, "");
  const payload = body === "" ? "" : canonicalize(body)!;
  return `t=${ts}&s=${createHmac("sha256", key)
    .update(payload + ts)
    .digest("hex")}`;
}

async function projectWithTraffic() {
  const org = await makeOrg(await makeUser("jobs"));
  const project = await makeProject(org.id);
  const base = Date.now() - 3 * 3_600_000;
  await insertRows(
    "requests",
    Array.from({ length: 20 }, (_, i) => ({
      project_id: project.id,
      time: new Date(base + i * 60_000),
      method: "GET",
      route: "/x",
      path: "/x",
      status: 200,
      duration_ms: 10 + i,
    })),
  );
  return project.id;
}

const watermark = async (projectId: string) =>
  (await pool.query(`SELECT grain, folded_until FROM rollup_watermarks WHERE project_id = $1 ORDER BY grain`, [projectId])).rows;
const folded = async (projectId: string) =>
  Number((await pool.query(`SELECT coalesce(sum(count), 0) AS n FROM rollup_requests WHERE project_id = $1 AND grain = 'minute'`, [projectId])).rows[0].n);

/** Both runs fold every project of the suite's shared database (hundreds by then): their time grows with the suite. */
const EVERY_PROJECT_MS = 120_000;

describe("rollup Inngest function (@inngest/test, real Postgres)", () => {
  it("folds closed buckets of every project", { timeout: EVERY_PROJECT_MS }, async () => {
    const projectId = await projectWithTraffic();
    const t = new InngestTestEngine({ function: rollupFunction });
    const { result, error } = await t.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ projects: expect.any(Number), skipped: 0 });
    expect(await folded(projectId)).toBe(20);
    // Recorded like the embedded runner's runs, so /api/health sees jobs that Inngest runs.
    const { rows } = await pool.query(`SELECT status, result FROM job_runs WHERE job = 'rollup' AND instance = 'inngest' ORDER BY tick DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ status: "succeeded", result: { projects: expect.any(Number), skipped: 0 } });
    expect((await watermark(projectId)).map((w) => w.grain)).toEqual(["24h", "29d", "6h", "day", "hour", "minute", "week"]);
  });
});

describe("/api/inngest as the Inngest executor calls it", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  beforeAll(async () => {
    // serve() types its handlers for NextRequest; at runtime they take any Request, as Next passes them.
    server = await startRouteServer({ "/api/inngest": route as unknown as RouteModule });
  });
  afterAll(() => server.close());

  it("introspection (GET): signed → authenticated with our function; unsigned → 401", async () => {
    const signed = await fetch(`${server.baseUrl}/api/inngest`, { headers: { "X-Inngest-Signature": sign("") } });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({
      mode: "cloud",
      function_count: Object.keys(JOBS).length,
      has_signing_key: true,
      authentication_succeeded: true,
      app_id: "sightline",
    });
    const unsigned = await fetch(`${server.baseUrl}/api/inngest`);
    expect(unsigned.status).toBe(401);
  });

  it("invocation (POST): a signed call runs the rollup; a forged or stale signature runs nothing", { timeout: EVERY_PROJECT_MS }, async () => {
    const projectId = await projectWithTraffic();
    const body = {
      event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" }, id: randomUUID(), ts: Date.now() },
      events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }],
      steps: {},
      version: 1,
      ctx: { run_id: `run-${randomUUID()}`, attempt: 0, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } },
    };
    const url = `${server.baseUrl}/api/inngest?fnId=sightline-rollup&stepId=step`;
    const post = (signature: string) =>
      fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-Inngest-Signature": signature }, body: JSON.stringify(body) });

    const forged = await post(sign({ ...body, steps: { x: 1 } }));
    expect(forged.status).toBe(401);
    const stale = await post(sign(body, Math.round(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);
    expect(await folded(projectId)).toBe(0);

    const ok = await post(sign(body));
    expect([200, 206]).toContain(ok.status);
    expect(ok.headers.get("x-inngest-signature")).toMatch(/^t=\d+&s=[0-9a-f]{64}$/);
    expect(await folded(projectId)).toBe(20);
    // Recorded like the embedded runner's runs, so /api/health sees jobs that Inngest runs.
    const { rows } = await pool.query(`SELECT status, result FROM job_runs WHERE job = 'rollup' AND instance = 'inngest' ORDER BY tick DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ status: "succeeded", result: { projects: expect.any(Number), skipped: 0 } });
  });
});
