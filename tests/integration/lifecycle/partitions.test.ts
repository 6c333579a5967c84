import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { RAW_KINDS, RAW_TABLES, type RawKind } from "@/server/lifecycle/kinds";
import { dayPrefix, idsOf, readParts } from "@/server/lifecycle/archive-format";
import { ensureDayPartition, partitionName } from "@/server/lifecycle/partitions";
import { runRetention } from "@/server/lifecycle/retention";
import { makeProject, orgWithRoles } from "../tenancy-fixtures";
import { counts, insertRows, tempStore } from "./fixtures";

// Event tables hold one partition per UTC day. The retention job creates days ahead and drops whole
// expired days (after archiving them); a project with a shorter retention than its neighbours in a
// shared partition gets row deletes instead. Dates are in 2020, where no other test keeps rows, so
// the partitions made and dropped here are this file's alone.
const NOW = new Date("2020-06-15T12:00:00Z");
const day = (d: number, hour = 6) => new Date(Date.UTC(2020, 5, d, hour));
const may = (d: number, hour = 6) => new Date(Date.UTC(2020, 4, d, hour));

const exists = async (name: string) => (await pool.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`public.${name}`])).rows[0]!.ok;
const partitionOf = async (kind: RawKind, projectId: string) => {
  const { table } = RAW_TABLES[kind];
  const { rows } = await pool.query<{ p: string }>(`SELECT DISTINCT tableoid::regclass::text AS p FROM "${table}" WHERE project_id = $1`, [projectId]);
  return rows.map((r) => r.p);
};
const ensureAll = async (d: Date) => {
  for (const kind of RAW_KINDS) await ensureDayPartition(pool, kind, d);
};

describe("daily partitions", () => {
  it("moves rows that waited in the default partition into their day when it is created", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await insertRows(project.id, "logs", may(3), 2);
    expect(await partitionOf("logs", project.id)).toEqual(["logs_default"]);
    expect(await ensureDayPartition(pool, "logs", may(3))).toBe(true);
    expect(await partitionOf("logs", project.id)).toEqual(["logs_p20200503"]);
    expect(await counts(project.id)).toMatchObject({ logs: 2 });
    expect(await ensureDayPartition(pool, "logs", may(3))).toBe(false);
  });

  it("creates days ahead, archives an expired day and drops it whole, drops empty expired days, keeps the rest", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    for (const d of [may(1), may(2), day(1)]) await ensureAll(d);
    for (const kind of RAW_KINDS) {
      await insertRows(project.id, kind, may(1), 3);
      await insertRows(project.id, kind, day(1), 2);
    }
    const store = await tempStore();
    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], store });

    for (const kind of RAW_KINDS) {
      const { table } = RAW_TABLES[kind];
      // Yesterday to a week ahead exist now.
      for (let d = 14; d <= 22; d++) expect(await exists(partitionName(table, day(d))), `${table} 2020-06-${d}`).toBe(true);
      expect(run.partitions.dropped).toEqual(expect.arrayContaining([`${table}_p20200501`, `${table}_p20200502`]));
      expect(await exists(`${table}_p20200501`)).toBe(false);
      expect(await exists(`${table}_p20200502`)).toBe(false);
      expect(await exists(`${table}_p20200601`)).toBe(true);
      const parts = await readParts(store, dayPrefix({ orgId: org.id, projectId: project.id, kind, day: "2020-05-01" }));
      expect(parts.flatMap((p) => idsOf(p.lines))).toHaveLength(3);
    }
    expect(await counts(project.id)).toMatchObject({ logs: 2, requests: 2, error_events: 2, llm_calls: 2, spans: 2, metrics: 2, product_events: 2 });
    const outcome = run.projects.find((p) => p.projectId === project.id)!;
    expect(Object.fromEntries(outcome.kinds.filter((k) => k.kind !== "rollups").map((k) => [k.kind, [k.archived, k.deleted]]))).toEqual(
      Object.fromEntries(RAW_KINDS.map((k) => [k, [3, 3]])),
    );
  });

  it("a crash between archive and drop loses nothing and archives nothing twice", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await ensureDayPartition(pool, "logs", may(5));
    await insertRows(project.id, "logs", may(5), 4);
    const store = await tempStore();
    const limits = { partRows: 3, deleteBatch: 2 };
    await expect(
      runRetention(pool, {
        now: NOW,
        projectIds: [project.id],
        store,
        limits,
        afterArchive: () => {
          throw new Error("crash");
        },
      }),
    ).rejects.toThrow("crash");
    expect(await exists("logs_p20200505")).toBe(true);
    expect(await counts(project.id)).toMatchObject({ logs: 4 });
    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], store, limits });
    expect(run.partitions.dropped).toContain("logs_p20200505");
    const ids = (await readParts(store, dayPrefix({ orgId: org.id, projectId: project.id, kind: "logs", day: "2020-05-05" }))).flatMap((p) => idsOf(p.lines));
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(await counts(project.id)).toMatchObject({ logs: 0 });
  });

  it("tenancy: a shorter retention deletes that project's rows in batches and never touches a neighbour's in the shared partition", async () => {
    const { org } = await orgWithRoles();
    const short = await makeProject(org.id);
    const long = await makeProject(org.id);
    await pool.query(`INSERT INTO retention_policies (project_id, kind, days) VALUES ($1, 'logs', 2)`, [short.id]);
    await ensureDayPartition(pool, "logs", day(10));
    await insertRows(short.id, "logs", day(10), 3);
    await insertRows(long.id, "logs", day(10), 4);
    const store = await tempStore();
    const run = await runRetention(pool, { now: NOW, projectIds: [short.id, long.id], store });
    expect(run.partitions.dropped).not.toContain("logs_p20200610");
    expect(await exists("logs_p20200610")).toBe(true);
    expect(await counts(short.id)).toMatchObject({ logs: 0 });
    expect(await counts(long.id)).toMatchObject({ logs: 4 });
    expect(run.projects.find((p) => p.projectId === short.id)!.kinds.find((k) => k.kind === "logs")).toMatchObject({ archived: 3, deleted: 3 });
    expect(run.projects.find((p) => p.projectId === long.id)).toBeUndefined();
  });

  it("without archiving, an expired day is dropped whole and counted", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await ensureDayPartition(pool, "requests", may(7));
    await insertRows(project.id, "requests", may(7), 5);
    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], archive: false });
    expect(run.partitions.dropped).toContain("requests_p20200507");
    expect(run.projects[0]!.kinds.find((k) => k.kind === "requests")).toMatchObject({ archived: 0, deleted: 5 });
    expect(await counts(project.id)).toMatchObject({ requests: 0 });
  });

  it("keeps a day a restore holds, and forgets ingest's client-id claims older than the dedupe window", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await ensureDayPartition(pool, "logs", may(9));
    await insertRows(project.id, "logs", may(9), 2);
    await pool.query(`INSERT INTO restore_holds (project_id, kind, day, until, rows) VALUES ($1, 'logs', '2020-05-09', $2, 2)`, [project.id, day(20)]);
    await pool.query(`INSERT INTO ingest_client_ids (project_id, kind, client_id, seen_at) VALUES ($1, 'logs', 'old', $2), ($1, 'logs', 'fresh', $3)`, [
      project.id,
      new Date(NOW.getTime() - 8 * 86_400_000),
      new Date(NOW.getTime() - 86_400_000),
    ]);
    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], archive: false });
    expect(run.partitions.dropped).not.toContain("logs_p20200509");
    expect(await counts(project.id)).toMatchObject({ logs: 2 });
    const { rows } = await pool.query(`SELECT client_id FROM ingest_client_ids WHERE project_id = $1`, [project.id]);
    expect(rows.map((r) => r.client_id)).toEqual(["fresh"]);
  });
});
