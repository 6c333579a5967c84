import { describe, expect, it } from "vitest";
import { at, baseMinute, startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, alertsCaller, sendErrors, ingestForFile } = await import("./harness");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { callerFor, makeProject } = await import("../tenancy-fixtures");
const { createApiKey } = await import("@/server/keys/create");
const { pool } = await import("@/server/db/pool");

const ingest = ingestForFile(fakes);

const PROJECT_TABLES = ["alert_channels", "alert_rules", "alert_silences", "alert_states", "alert_incidents", "alert_deliveries"] as const;

/** Rows per alert table for one project (incident events counted through their incident). */
async function alertRows(projectId: string) {
  const counts: Record<string, number> = {};
  for (const table of PROJECT_TABLES) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1`, [projectId]);
    counts[table] = rows[0]!.n;
  }
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM alert_incident_events e JOIN alert_incidents i ON i.id = e.incident_id WHERE i.project_id = $1`,
    [projectId],
  );
  counts.alert_incident_events = rows[0]!.n;
  return counts;
}

type Scope = { orgSlug: string; projectSlug: string };

/** A channel, a firing rule (state, incident, timeline, delivery) and a silenced second rule. */
async function populate(caller: ReturnType<typeof alertsCaller>, scope: Scope, ownerId: string, ingestKey: string, base: Date, projectId: string) {
  const channel = await caller.alerts.createChannel({ ...scope, name: "mail", config: { kind: "email", userIds: [ownerId] } });
  await caller.alerts.createRule({
    ...scope,
    name: "errors",
    severity: "critical",
    channelIds: [channel.id],
    config: { kind: "metric", metric: "error_count", threshold: 5, windowMinutes: 10 },
  });
  const quiet = await caller.alerts.createRule({ ...scope, name: "quiet", config: { kind: "new_group" } });
  await caller.alerts.createSilence({ ...scope, ruleId: quiet.id, endsAt: new Date(Date.now() + 3_600_000) });
  await sendErrors(ingest.baseUrl, ingestKey, at(base, 1), 10);
  await evaluateAlerts(pool, { now: at(base, 2), projectIds: [projectId] });
}

describe("alert rows belong to their project", () => {
  it("deleting a project removes its channels, rules, silences, states, incidents and deliveries; a sibling project keeps its own", async () => {
    const a = await alertProject();
    const sibling = await makeProject(a.org.id);
    const siblingKey = await createApiKey({ seesSpend: true, project: sibling, input: { name: "ingest", scope: "ingest" }, actor: a.actor });
    const siblingScope = { orgSlug: a.org.slug, projectSlug: sibling.slug };
    const base = baseMinute();
    await populate(a.caller, a.scope, a.owner.id, a.ingestKey.secret, base, a.project.id);
    await populate(a.caller, siblingScope, a.owner.id, siblingKey.secret, base, sibling.id);

    const before = await alertRows(a.project.id);
    for (const [table, n] of Object.entries(before)) expect(n, `${table} rows before the delete`).toBeGreaterThan(0);
    const siblingBefore = await alertRows(sibling.id);
    expect(siblingBefore).toEqual(before);

    await callerFor(a.owner).project.delete({ ...a.scope });

    expect(await alertRows(a.project.id)).toEqual(Object.fromEntries(Object.keys(before).map((t) => [t, 0])));
    expect(await alertRows(sibling.id)).toEqual(siblingBefore);
    expect((await a.caller.alerts.listRules({ ...siblingScope })).map((r) => r.name).sort()).toEqual(["errors", "quiet"]);
  });

  it("deleting an organisation removes its stored weekly reports and report opt-outs", async () => {
    const a = await alertProject();
    const b = await alertProject();
    for (const p of [a, b]) {
      await pool.query(
        `INSERT INTO weekly_reports (org_id, week_start, time_zone, content, html, text) VALUES ($1, '2026-11-16', 'UTC', '{}', '<p>r</p>', 'r')`,
        [p.org.id],
      );
      await p.caller.reports.setSubscription({ orgSlug: p.org.slug, subscribed: false });
    }
    const count = async (orgId: string) => {
      const { rows } = await pool.query<{ reports: number; opt_outs: number }>(
        `SELECT (SELECT count(*)::int FROM weekly_reports WHERE org_id = $1) AS reports, (SELECT count(*)::int FROM report_opt_outs WHERE org_id = $1) AS opt_outs`,
        [orgId],
      );
      return rows[0]!;
    };
    expect(await count(a.org.id)).toEqual({ reports: 1, opt_outs: 1 });
    await pool.query(`DELETE FROM organizations WHERE id = $1`, [a.org.id]);
    expect(await count(a.org.id)).toEqual({ reports: 0, opt_outs: 0 });
    expect(await count(b.org.id)).toEqual({ reports: 1, opt_outs: 1 });
  });
});
