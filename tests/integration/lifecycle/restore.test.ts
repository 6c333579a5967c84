import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { prisma } from "@/server/db/prisma";
import { dayPrefix, readParts } from "@/server/lifecycle/archive-format";
import { restoreArchives } from "@/server/lifecycle/restore";
import { runRetention } from "@/server/lifecycle/retention";
import { makeProject, orgWithRoles } from "../tenancy-fixtures";
import { counts, daysAgo, errorGroup, insertRows, NOW, rowsOf, tempStore } from "./fixtures";

const DAY = 86_400_000;

describe("archive:restore", () => {
  it("brings back exactly the archived rows, idempotently, holds them for --keep-days, then retention removes them again without a second copy", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    const other = await makeProject(org.id);
    await insertRows(project.id, "logs", daysAgo(40), 4);
    await insertRows(project.id, "logs", daysAgo(39), 3);
    await insertRows(project.id, "logs", daysAgo(2), 2);
    await insertRows(other.id, "logs", daysAgo(40), 5);
    const before = await rowsOf(project.id, "logs");
    const store = await tempStore();
    await runRetention(pool, { now: NOW, projectIds: [project.id, other.id], store });
    expect((await counts(project.id)).logs).toBe(2);

    const input = { projectId: project.id, kind: "logs" as const, from: "2026-10-25", to: "2026-10-26", keepDays: 7 };
    const restored = await restoreArchives(pool, store, input, NOW);
    expect(restored).toMatchObject({
      inserted: 7,
      days: [
        { day: "2026-10-25", archived: 4, inserted: 4 },
        { day: "2026-10-26", archived: 3, inserted: 3 },
      ],
    });
    expect(await rowsOf(project.id, "logs")).toEqual(before);
    expect((await counts(other.id)).logs).toBe(0);
    expect((await restoreArchives(pool, store, input, NOW)).inserted).toBe(0);
    expect(await rowsOf(project.id, "logs")).toEqual(before);
    expect(await prisma.auditLog.count({ where: { orgId: org.id, action: "archive.restored", targetId: project.id } })).toBe(2);

    // Held: a run within --keep-days leaves the restored days alone (and its dry run says so).
    const soon = new Date(NOW.getTime() + 3 * DAY);
    expect((await runRetention(pool, { now: soon, projectIds: [project.id], store, dryRun: true })).plan[0]!.kinds[0]!.rows).toBe(0);
    await runRetention(pool, { now: soon, projectIds: [project.id], store });
    expect((await counts(project.id)).logs).toBe(9);

    // After the hold: deleted again, and the archive still holds each row once.
    const later = new Date(NOW.getTime() + 8 * DAY);
    const run = await runRetention(pool, { now: later, projectIds: [project.id], store });
    expect(run.projects[0]!.kinds[0]).toMatchObject({ kind: "logs", deleted: 7, archived: 0 });
    for (const [day, n] of [
      ["2026-10-25", 4],
      ["2026-10-26", 3],
    ] as const) {
      const parts = await readParts(store, dayPrefix({ orgId: org.id, projectId: project.id, kind: "logs", day }));
      expect(parts.flatMap((p) => p.lines)).toHaveLength(n);
    }
  });

  it("restored error events come back even when retention already removed their group (the group is not recreated)", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    const group = await errorGroup(project.id, daysAgo(40));
    await insertRows(project.id, "error_events", daysAgo(40), 2, { groupId: group });
    const store = await tempStore();
    await runRetention(pool, { now: NOW, projectIds: [project.id], store });
    expect(await counts(project.id)).toMatchObject({ error_events: 0, error_groups: 0 });
    await restoreArchives(pool, store, { projectId: project.id, kind: "error_events", from: "2026-10-25", to: "2026-10-25" }, NOW);
    expect((await counts(project.id)).error_events).toBe(2);
  });

  it("the CLI refuses bad arguments naming them", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/archive-restore.ts", "--project", "nope", "--kind", "audit", "--from", "2026-11-02", "--to", "2026-11-01"],
      {
        env: process.env,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("project: project must be a project id");
    expect(r.stderr).toContain("kind: kind must be one of logs");
  }, 120_000);
});
