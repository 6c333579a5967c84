import { gunzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { prisma } from "@/server/db/prisma";
import { RAW_KINDS } from "@/server/lifecycle/kinds";
import { readParts, dayPrefix } from "@/server/lifecycle/archive-format";
import { runRetention } from "@/server/lifecycle/retention";
import { callerFor, makeProject, orgWithRoles } from "../tenancy-fixtures";
import { counts, daysAgo, errorGroup, insertRollup, insertRows, NOW, rowsOf, tempStore } from "./fixtures";

/** Per kind: 3 rows 40 days ago, 2 rows 35 days ago (expired at 30 days), 4 rows 10 days ago (kept). */
async function seed(projectId: string) {
  for (const kind of RAW_KINDS) {
    if (kind === "error_events") continue;
    await insertRows(projectId, kind, daysAgo(40), 3);
    await insertRows(projectId, kind, daysAgo(35), 2);
    await insertRows(projectId, kind, daysAgo(10), 4);
  }
  const oldGroup = await errorGroup(projectId, daysAgo(35));
  const liveGroup = await errorGroup(projectId, daysAgo(10));
  await insertRows(projectId, "error_events", daysAgo(40), 3, { groupId: oldGroup });
  await insertRows(projectId, "error_events", daysAgo(35), 2, { groupId: liveGroup });
  await insertRows(projectId, "error_events", daysAgo(10), 4, { groupId: liveGroup });
  await insertRollup(projectId, "hour", daysAgo(500));
  await insertRollup(projectId, "day", daysAgo(450));
  await insertRollup(projectId, "day", daysAgo(100));
}

const expired = { logs: 5, requests: 5, error_events: 5, llm_calls: 5, spans: 5, metrics: 5, product_events: 5 };

describe("retention job", () => {
  it("dry run equals the run: exact rows per kind archived then deleted, error groups and rollups pruned, receipt audited", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await seed(project.id);
    const before = Object.fromEntries(await Promise.all(RAW_KINDS.map(async (k) => [k, await rowsOf(project.id, k)] as const)));
    const store = await tempStore();

    const dry = await runRetention(pool, { now: NOW, dryRun: true, projectIds: [project.id], store });
    const planned = Object.fromEntries(dry.plan[0]!.kinds.map((k) => [k.kind, k.rows]));
    expect(planned).toEqual({ ...expired, rollups: 2 });
    expect(dry.plan[0]!.errorGroups).toBe(1);
    expect(dry.plan[0]!.kinds.find((k) => k.kind === "logs")!.cutoff.toISOString()).toBe("2026-11-04T00:00:00.000Z");
    expect(dry.plan[0]!.kinds.every((k) => k.rows === 0 || k.bytes > 0)).toBe(true);
    expect(await counts(project.id)).toMatchObject({ logs: 9, error_groups: 2, rollups: 3 });

    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], store });
    const outcome = run.projects[0]!;
    expect(Object.fromEntries(outcome.kinds.map((k) => [k.kind, k.deleted]))).toEqual(planned);
    expect(Object.fromEntries(outcome.kinds.filter((k) => k.kind !== "rollups").map((k) => [k.kind, k.archived]))).toEqual(expired);
    expect(outcome.errorGroupsDeleted).toBe(1);
    expect(await counts(project.id)).toEqual({
      logs: 4,
      requests: 4,
      error_events: 4,
      llm_calls: 4,
      spans: 4,
      metrics: 4,
      product_events: 4,
      error_groups: 1,
      rollups: 1,
    });

    // The archives hold exactly the deleted rows, one gzip NDJSON + manifest per UTC day.
    for (const kind of RAW_KINDS) {
      const after = new Set(await rowsOf(project.id, kind));
      const gone = before[kind]!.filter((r) => !after.has(r));
      const archived: string[] = [];
      for (const day of ["2026-10-25", "2026-10-30"]) {
        const parts = await readParts(store, dayPrefix({ orgId: org.id, projectId: project.id, kind, day }));
        expect(parts.map((p) => p.manifest.rowCount)).toEqual([day === "2026-10-25" ? 3 : 2]);
        expect(parts[0]!.manifest).toMatchObject({ schemaVersion: 1, kind, day, projectId: project.id, orgId: org.id });
        const file = await readFile(path.join(store.location, parts[0]!.manifest.file));
        expect(gunzipSync(file).toString().trim().split("\n")).toEqual(parts[0]!.lines);
        archived.push(...parts.flatMap((p) => p.lines));
      }
      expect(archived.map((l) => JSON.parse(l)).sort((a, b) => a.id - b.id)).toEqual(gone.map((l) => JSON.parse(l)));
    }

    const receipt = await prisma.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "retention.applied", targetId: project.id } });
    const meta = receipt.metadata as { kinds: Array<{ kind: string; deleted: number; archives: Array<{ sha256: string }> }> };
    expect(meta.kinds.find((k) => k.kind === "logs")).toMatchObject({
      deleted: 5,
      archives: [{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, expect.anything()],
    });

    // A second run finds nothing and writes no receipt.
    const again = await runRetention(pool, { now: NOW, projectIds: [project.id], store });
    expect(again.projects).toEqual([]);
    expect(await prisma.auditLog.count({ where: { orgId: org.id, action: "retention.applied" } })).toBe(1);
  });

  it("applies a project's override (logs kept 7 days) and never touches another project's rows", async () => {
    const a = await orgWithRoles();
    const b = await orgWithRoles();
    const pa = await makeProject(a.org.id);
    const pb = await makeProject(b.org.id);
    await seed(pa.id);
    await seed(pb.id);
    await callerFor(a.owner).lifecycle.setPolicy({ orgSlug: a.org.slug, projectSlug: pa.slug, kind: "logs", days: 7 });
    const pbBefore = await Promise.all(RAW_KINDS.map((k) => rowsOf(pb.id, k)));
    const store = await tempStore();

    await runRetention(pool, { now: NOW, projectIds: [pa.id], store });
    expect(await counts(pa.id)).toMatchObject({ logs: 0, requests: 4 });
    expect(await Promise.all(RAW_KINDS.map((k) => rowsOf(pb.id, k)))).toEqual(pbBefore);
    expect(await store.list(`org=${b.org.id}/`)).toEqual([]);
    for (const key of (await store.list("")).filter((k) => k.endsWith(".gz"))) expect(key).toContain(`project=${pa.id}/`);
  });

  it("with ARCHIVE_BEFORE_DELETE off it deletes the same rows without writing archives", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await seed(project.id);
    const store = await tempStore();
    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], store, archive: false, limits: { deleteBatch: 2 } });
    expect(Object.fromEntries(run.projects[0]!.kinds.map((k) => [k.kind, k.deleted]))).toEqual({ ...expired, rollups: 2 });
    expect(await counts(project.id)).toMatchObject({ logs: 4, spans: 4 });
    expect(await store.list("")).toEqual([]);
  });
});
