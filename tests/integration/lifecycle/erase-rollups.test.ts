/**
 * Erasing an end user also takes their rows out of the aggregate rollups (request counts, LLM spend):
 * the erase queues the hours their rows lay in, and the next rollup run refolds those buckets from
 * what is left, so dashboards read from rollups agree with the raw rows again.
 */
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { runRollup } from "@/server/rollup/job";
import { callerFor, makeProject, orgWithRoles } from "../tenancy-fixtures";

const HOUR = 3_600_000;

async function totals(projectId: string) {
  const {
    rows: [r],
  } = await pool.query<{ requests: number; llm_calls: number; cost: string }>(
    `SELECT (SELECT coalesce(sum(count), 0)::int FROM rollup_request_totals WHERE project_id = $1 AND grain = 'hour') AS requests,
            (SELECT coalesce(sum(calls), 0)::int FROM rollup_llm WHERE project_id = $1 AND grain = 'hour') AS llm_calls,
            (SELECT coalesce(sum(cost_usd), 0)::text FROM rollup_llm WHERE project_id = $1 AND grain = 'hour') AS cost`,
    [projectId],
  );
  return r!;
}

describe("erasing an end user", () => {
  it("refolds the buckets their rows lay in on the next rollup run, so aggregates drop them; other projects are untouched", async () => {
    const { org, admin } = await orgWithRoles();
    const project = await makeProject(org.id);
    const other = await makeProject(org.id);
    // Received long before the runs, so no late-data rule refolds their bucket by itself.
    const hourAgo = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + 60_000);
    for (const p of [project, other]) {
      for (const [user, n] of [
        ["end-user-7", 3],
        ["someone-else", 2],
      ] as const) {
        for (let i = 0; i < n; i++) {
          await pool.query(
            `INSERT INTO requests (project_id, time, received_at, method, path, status, duration_ms, user_id) VALUES ($1, $2, $2, 'GET', '/a', 200, 5, $3)`,
            [p.id, hourAgo, user],
          );
          await pool.query(
            `INSERT INTO llm_calls (project_id, time, received_at, model, operation, status, cost_source, cost_usd, user_id) VALUES ($1, $2, $2, 'gpt-4o', 'chat', 'ok', 'table', 0.25, $3)`,
            [p.id, hourAgo, user],
          );
        }
      }
    }
    await runRollup(pool, { projectIds: [project.id, other.id] });
    expect(await totals(project.id)).toEqual({ requests: 5, llm_calls: 5, cost: "1.2500000000" });

    await callerFor(admin).lifecycle.eraseEndUser({ orgSlug: org.slug, projectSlug: project.slug, userId: "end-user-7" });
    const queued = await pool.query(`SELECT time_from, time_to, reason FROM rollup_refolds WHERE project_id = $1`, [project.id]);
    expect(queued.rows).toEqual([
      { time_from: new Date(hourAgo.getTime() - 60_000), time_to: new Date(hourAgo.getTime() - 60_000 + HOUR), reason: "end_user_erased" },
    ]);

    await runRollup(pool, { projectIds: [project.id, other.id] });
    expect(await totals(project.id)).toEqual({ requests: 2, llm_calls: 2, cost: "0.5000000000" });
    expect(await totals(other.id)).toEqual({ requests: 5, llm_calls: 5, cost: "1.2500000000" });
    expect((await pool.query(`SELECT 1 FROM rollup_refolds WHERE project_id = $1`, [project.id])).rows).toEqual([]);
  });
});
