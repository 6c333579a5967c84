import { gunzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as exportRoute from "@/app/api/end-users/[org]/[project]/route";
import { pool } from "@/server/db/pool";
import { prisma } from "@/server/db/prisma";
import { env } from "@/server/env";
import { restoreArchives } from "@/server/lifecycle/restore";
import { runRetention } from "@/server/lifecycle/retention";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";
import { callerFor, expectTRPCError, makeProject, orgWithRoles, type TestUser } from "../tenancy-fixtures";
import { daysAgo, errorGroup, NOW, tempStore } from "./fixtures";

const cookieFor = async (u: TestUser) =>
  `next-auth.session-token=${await encode({ token: { sub: u.id, email: u.email, name: u.name }, secret: env.NEXTAUTH_SECRET, maxAge: 3600 })}`;

async function seedUser(projectId: string, userId: string, time: Date) {
  await pool.query(
    `INSERT INTO logs (project_id, time, level, message, user_id) VALUES ($1, $2, 'info', 'hi', $3), ($1, $2, 'info', 'other', 'someone-else')`,
    [projectId, time, userId],
  );
  await pool.query(`INSERT INTO requests (project_id, time, method, path, status, duration_ms, user_id) VALUES ($1, $2, 'GET', '/a', 200, 1, $3)`, [
    projectId,
    time,
    userId,
  ]);
  await pool.query(
    `INSERT INTO llm_calls (project_id, time, model, operation, status, cost_source, user_id) VALUES ($1, $2, 'gpt-4o', 'chat', 'ok', 'none', $3)`,
    [projectId, time, userId],
  );
  await pool.query(`INSERT INTO product_events (project_id, time, name, user_id) VALUES ($1, $2, 'signup', $3)`, [projectId, time, userId]);
  const group = await errorGroup(projectId, time);
  await pool.query(`INSERT INTO error_events (project_id, group_id, time, level, title, "user") VALUES ($1, $2, $3, 'error', 'Boom', $4)`, [
    projectId,
    group,
    time,
    { id: userId, email: "x@example.test" },
  ]);
  await pool.query(
    `INSERT INTO rollup_users (project_id, kind, grain, bucket_start, key, environment, release, user_id, count, cost_usd) VALUES ($1, 'event', 'day', date_trunc('day', $2::timestamptz, 'UTC'), 'signup', '', '', $3, 1, 0)`,
    [projectId, time, userId],
  );
}

describe("one end user's data", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  beforeAll(async () => {
    server = await startRouteServer({ "/api/end-users/[org]/[project]": exportRoute as RouteModule });
  });
  afterAll(() => server.close());

  it("exports every row about the user, erases them (and per-user rollups), and restore never brings them back", async () => {
    const { org, admin, viewer } = await orgWithRoles();
    const project = await makeProject(org.id);
    const ids = { orgSlug: org.slug, projectSlug: project.slug };
    const userId = "end-user-42";
    await seedUser(project.id, userId, daysAgo(40));
    await seedUser(project.id, userId, daysAgo(2));

    expect(await callerFor(admin).lifecycle.endUser({ ...ids, userId })).toEqual({ logs: 2, requests: 2, error_events: 2, llm_calls: 2, product_events: 2 });
    await expectTRPCError(callerFor(viewer).lifecycle.endUser({ ...ids, userId }), "FORBIDDEN");
    await expectTRPCError(callerFor(admin).lifecycle.eraseEndUser({ ...ids, userId: " " }), "BAD_REQUEST", "userId");

    const url = `${server.baseUrl}/api/end-users/${org.slug}/${project.slug}?userId=${userId}`;
    const res = await fetch(url, { headers: { cookie: await cookieFor(admin) } });
    expect(res.status).toBe(200);
    const lines = gunzipSync(Buffer.from(await res.arrayBuffer()))
      .toString()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; row: Record<string, unknown> });
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.row.user_id === userId || (l.row.user as { id: string }).id === userId)).toBe(true);
    expect((await fetch(url, { headers: { cookie: await cookieFor(viewer) } })).status).toBe(403);
    const stranger = await orgWithRoles();
    const foreign = await fetch(url, { headers: { cookie: await cookieFor(stranger.owner) } });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain(userId);

    // The 40-day-old rows go to an archive first, so restore is put to the test.
    const store = await tempStore();
    await runRetention(pool, { now: NOW, projectIds: [project.id], store });
    const erased = await callerFor(admin).lifecycle.eraseEndUser({ ...ids, userId });
    expect(erased.deleted).toEqual({ logs: 1, requests: 1, error_events: 1, llm_calls: 1, product_events: 1, rollup_users: 2 });
    expect(await callerFor(admin).lifecycle.endUser({ ...ids, userId })).toEqual({ logs: 0, requests: 0, error_events: 0, llm_calls: 0, product_events: 0 });
    const others = await pool.query(`SELECT count(*)::int AS n FROM logs WHERE project_id = $1 AND user_id = 'someone-else'`, [project.id]);
    expect(others.rows[0].n).toBe(1);

    for (const kind of ["logs", "error_events"] as const) {
      await restoreArchives(pool, store, { projectId: project.id, kind, from: "2026-10-25", to: "2026-10-25" }, NOW);
    }
    expect(await callerFor(admin).lifecycle.endUser({ ...ids, userId })).toMatchObject({ logs: 0, error_events: 0 });
    expect((await pool.query(`SELECT count(*)::int AS n FROM logs WHERE project_id = $1 AND user_id = 'someone-else'`, [project.id])).rows[0].n).toBe(2);

    const audit = await prisma.auditLog.findMany({ where: { orgId: org.id, action: { in: ["end_user.exported", "end_user.erased"] } } });
    expect(audit).toHaveLength(2);
    const text = JSON.stringify(audit, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(text).not.toContain(userId);
    expect(text).not.toContain("x@example.test");
  });
});
