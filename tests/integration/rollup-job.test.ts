import { describe, expect, it } from "vitest";
import { jobPool, pool } from "@/server/db/pool";
import { runRollup } from "@/server/rollup/job";
import { insertRows } from "./metrics-fixtures";
import { makeOrg, makeProject, makeUser } from "./tenancy-fixtures";

/** The rollup job's own guarantees, beyond "answers equal raw rows" (metrics.test.ts). */

async function projectWithRequests(label: string, times: Date[]) {
  const project = await makeProject((await makeOrg(await makeUser(label))).id);
  await insertRows(
    "requests",
    times.map((time, i) => ({
      project_id: project.id,
      time,
      method: "GET",
      route: "/r",
      path: "/r",
      status: 200,
      duration_ms: 5 + i,
    })),
  );
  return project.id;
}

const count = async (table: string, projectId: string, grain: string) =>
  Number((await pool.query(`SELECT coalesce(sum(count), 0) AS n FROM ${table} WHERE project_id = $1 AND grain = $2`, [projectId, grain])).rows[0].n);

describe("rollup job", () => {
  it("folds the other projects when one project's fold fails, then names the failed one", async () => {
    // Requests in 2095, folded with "now" in 2095: other test files run the job at today's date and never fold them.
    const times = Array.from({ length: 5 }, (_, i) => new Date(Date.UTC(2095, 0, 10, 12, i)));
    const failing = await projectWithRequests("rollup-fails", times);
    const healthy = await projectWithRequests("rollup-ok", times);
    await pool.query(`CREATE OR REPLACE FUNCTION test_fail_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test: refusing rollup rows'; END $$`);
    await pool.query(`CREATE TRIGGER test_fail_rollup BEFORE INSERT ON rollup_request_totals
      FOR EACH ROW WHEN (NEW.project_id = '${failing}'::uuid) EXECUTE FUNCTION test_fail_rollup()`);
    try {
      const now = new Date(Date.UTC(2095, 0, 12));
      await expect(runRollup(jobPool, { now, projectIds: [failing, healthy] })).rejects.toThrow(`rollup failed for 1 project(s): ${failing}`);
      expect(await count("rollup_request_totals", healthy, "hour")).toBe(5);
      // Nothing half-written for the failed project: its transaction rolled back, watermarks included.
      expect(await count("rollup_requests", failing, "hour")).toBe(0);
      expect((await pool.query(`SELECT count(*)::int AS n FROM rollup_watermarks WHERE project_id = $1`, [failing])).rows[0].n).toBe(0);
      await pool.query(`DROP TRIGGER test_fail_rollup ON rollup_request_totals`);
      await runRollup(jobPool, { now, projectIds: [failing, healthy] });
      expect(await count("rollup_request_totals", failing, "hour")).toBe(5);
    } finally {
      await pool.query(`DROP TRIGGER IF EXISTS test_fail_rollup ON rollup_request_totals`);
    }
  });

  it("keeps the 29-day window a reader with the previous watermark may still choose, one day past its retention", async () => {
    const projectId = await projectWithRequests("rollup-prune", [new Date("2026-11-20T10:00:00Z")]);
    const windows = async () =>
      (
        await pool.query<{ start: Date }>(
          `SELECT DISTINCT bucket_start AS start FROM rollup_request_totals WHERE project_id = $1 AND grain = '29d' ORDER BY 1`,
          [projectId],
        )
      ).rows.map((r) => r.start.toISOString().slice(0, 10));
    await runRollup(jobPool, { now: new Date("2026-11-24T23:59:30Z"), projectId });
    expect(await windows()).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
    // Just after midnight the watermark moves a day: 10-24 is past retention, but a reader that loaded the
    // watermark a second earlier may still read it, so it is pruned a day later, not an hour later.
    await runRollup(jobPool, { now: new Date("2026-11-25T00:00:30Z"), projectId });
    expect(await windows()).toEqual(["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]);
    await runRollup(jobPool, { now: new Date("2026-11-26T00:00:30Z"), projectId });
    expect(await windows()).toEqual(["2026-10-25", "2026-10-26", "2026-10-27", "2026-10-28"]);
  });

  it("merges sketch bins whose counts pass 2^31 (a day of a busy endpoint's constant-time health check)", async () => {
    const projectId = await projectWithRequests("rollup-bigcount", [new Date("2026-11-20T01:00:00Z")]);
    await runRollup(jobPool, { now: new Date("2026-11-20T12:00:00Z"), projectId });
    // Two already-folded hours that each hold 2 000 000 000 requests in one bin (as a busy service would).
    await insertRows(
      "rollup_request_totals",
      ["2026-11-20T03:00:00Z", "2026-11-20T04:00:00Z"].map((hour) => ({
        project_id: projectId,
        grain: "hour",
        bucket_start: new Date(hour),
        service: "",
        environment: "",
        count: 2_000_000_000,
        error_count: 0,
        duration_sum: "2000000000",
        duration_max: 1,
        duration_bins: [0],
        duration_counts: [2_000_000_000],
      })),
    );
    await runRollup(jobPool, { now: new Date("2026-11-21T00:30:00Z"), projectId });
    const {
      rows: [day],
    } = await pool.query(
      `SELECT count::text AS count, duration_counts::text AS counts FROM rollup_request_totals
        WHERE project_id = $1 AND grain = 'day' AND bucket_start = '2026-11-20T00:00:00Z' AND service = ''`,
      [projectId],
    );
    expect(day).toEqual({ count: "4000000001", counts: expect.stringContaining("4000000000") });
  });

  it("folds a request with an absurd but accepted duration (1e21 ms) without overflowing the exact sums", async () => {
    const projectId = await projectWithRequests("rollup-huge", [new Date("2026-11-20T01:00:00Z")]);
    await insertRows("requests", [
      { project_id: projectId, time: new Date("2026-11-20T01:30:00Z"), method: "GET", route: "/r", path: "/r", status: 200, duration_ms: 1e21 },
    ]);
    await runRollup(jobPool, { now: new Date("2026-11-22T00:30:00Z"), projectId });
    const {
      rows: [day],
    } = await pool.query(
      `SELECT count::int AS count, duration_sum::text AS sum FROM rollup_request_totals WHERE project_id = $1 AND grain = 'day' AND bucket_start = '2026-11-20T00:00:00Z'`,
      [projectId],
    );
    expect(day).toEqual({ count: 2, sum: "1000000000000000000005.000" });
  });
});
