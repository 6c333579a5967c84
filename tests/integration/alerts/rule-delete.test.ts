import { describe, expect, it } from "vitest";
import { at, baseMinute, startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, sendErrors, ingestForFile } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { prisma } = await import("@/server/db/prisma");

const ingest = ingestForFile(fakes);

describe("deleting an alert rule", () => {
  it("resolves the rule's firing incidents with a timeline event; other rules' incidents keep firing", async () => {
    const p = await alertProject();
    const rule = (name: string) =>
      p.caller.alerts.createRule({
        ...p.scope,
        name,
        severity: "critical",
        channelIds: [],
        repeatIntervalMinutes: null,
        config: { kind: "metric", metric: "error_count", threshold: 5, windowMinutes: 10 },
      });
    const doomed = await rule("doomed errors");
    const kept = await rule("kept errors");
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    await evaluateAlerts(pool, { now: at(base, 2), projectIds: [p.project.id] });
    const firing = await p.caller.alerts.listIncidents({ ...p.scope, status: "firing" });
    const incidentOf = (ruleId: string) => firing.find((i) => i.rule?.id === ruleId)!;
    expect(firing.map((i) => i.rule?.name).sort()).toEqual(["doomed errors", "kept errors"]);

    const before = Date.now();
    await p.caller.alerts.deleteRule({ ...p.scope, id: doomed.id });

    const resolved = await p.caller.alerts.getIncident({ ...p.scope, id: incidentOf(doomed.id).id });
    expect(resolved.status).toBe("resolved");
    expect(resolved.rule).toBeNull();
    expect(resolved.resolvedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const ended = resolved.events.filter((e) => e.kind === "resolved");
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ message: "Resolved: the alert rule was deleted", detail: { reason: "rule_deleted" } });
    expect(ended[0]!.at.getTime()).toBe(resolved.resolvedAt!.getTime());
    expect((await p.caller.alerts.getIncident({ ...p.scope, id: incidentOf(kept.id).id })).status).toBe("firing");
    expect(await prisma.alertIncident.count({ where: { projectId: p.project.id, status: "firing", ruleId: null } })).toBe(0);
  });
});
