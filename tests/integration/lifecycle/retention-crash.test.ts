import { writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { dayPrefix, readParts } from "@/server/lifecycle/archive-format";
import { DirectoryArchiveStore, type ArchiveStore } from "@/server/lifecycle/archive-store";
import { runRetention } from "@/server/lifecycle/retention";
import { runWithLease } from "@/server/jobs/runner";
import { finishRun, listRuns, openRun } from "@/server/jobs/runs";
import { makeProject, orgWithRoles } from "../tenancy-fixtures";
import { counts, daysAgo, insertRows, NOW, rowsOf, tempStore } from "./fixtures";

async function setup() {
  const { org } = await orgWithRoles();
  const project = await makeProject(org.id);
  await insertRows(project.id, "logs", daysAgo(40), 7);
  await insertRows(project.id, "logs", daysAgo(5), 2);
  return { org, project, expired: (await rowsOf(project.id, "logs")).slice(0, 7) };
}

async function archivedLines(store: ArchiveStore, orgId: string, projectId: string) {
  return (await readParts(store, dayPrefix({ orgId, projectId, kind: "logs", day: "2026-10-25" }))).flatMap((p) => p.lines);
}

describe("retention crash safety", () => {
  it("a crash between archive and delete, then a rerun: nothing lost, nothing archived twice", async () => {
    const { org, project, expired } = await setup();
    const store = await tempStore();
    const limits = { partRows: 3, deleteBatch: 2 };
    let committed = 0;
    const crash = async () => {
      committed += 1;
      if (committed === 2) throw new Error("injected crash after the second part was committed");
    };
    await expect(runRetention(pool, { now: NOW, projectIds: [project.id], store, limits, afterArchive: crash })).rejects.toThrow("injected crash");
    // Part 1 was deleted; part 2 is archived but its rows are still in the table.
    expect((await counts(project.id)).logs).toBe(9 - 3);
    expect(await archivedLines(store, org.id, project.id)).toHaveLength(6);

    const rerun = await runRetention(pool, { now: NOW, projectIds: [project.id], store, limits });
    expect(rerun.projects[0]!.kinds[0]).toMatchObject({ kind: "logs", deleted: 4, archived: 1 });
    expect((await counts(project.id)).logs).toBe(2);
    const lines = await archivedLines(store, org.id, project.id);
    expect(lines).toHaveLength(7);
    expect(new Set(lines).size).toBe(7);
    expect([...lines].sort()).toEqual([...expired].sort());
  });

  it("a crash after the file but before its manifest leaves no archive; the rerun rewrites that part once", async () => {
    const { org, project, expired } = await setup();
    const inner = await tempStore();
    let manifests = 0;
    const flaky: ArchiveStore = {
      location: inner.location,
      get: (k) => inner.get(k),
      stream: (k) => inner.stream(k),
      list: (p) => inner.list(p),
      probe: () => inner.probe(),
      put: async (key, body) => {
        if (key.endsWith(".manifest.json") && ++manifests === 1) {
          throw new Error("injected crash before the manifest");
        }
        return inner.put(key, body);
      },
    };
    await expect(runRetention(pool, { now: NOW, projectIds: [project.id], store: flaky })).rejects.toThrow("before the manifest");
    expect((await counts(project.id)).logs).toBe(9);
    expect(await archivedLines(inner, org.id, project.id)).toEqual([]);
    await runRetention(pool, { now: NOW, projectIds: [project.id], store: inner });
    expect([...(await archivedLines(inner, org.id, project.id))].sort()).toEqual([...expired].sort());
    expect((await counts(project.id)).logs).toBe(2);
  });

  it("a tampered archive stops the run before it deletes anything of that day", async () => {
    const { org, project } = await setup();
    const store = await tempStore();
    await runRetention(pool, {
      now: NOW,
      projectIds: [project.id],
      store,
      limits: { partRows: 100 },
      afterArchive: () => {
        throw new Error("stop");
      },
    }).catch(() => {});
    const [part] = await readParts(store, dayPrefix({ orgId: org.id, projectId: project.id, kind: "logs", day: "2026-10-25" }));
    await writeFile(path.join(store.location, part!.manifest.file), "not gzip");
    await expect(runRetention(pool, { now: NOW, projectIds: [project.id], store })).rejects.toThrow("does not match its manifest's sha256");
    expect((await counts(project.id)).logs).toBe(9);
  });

  it("unreachable archive storage fails the run before any delete, and the job history records why", async () => {
    const { project } = await setup();
    // A regular file where the archive directory should be: every write fails (ENOTDIR).
    const blocker = path.join((await tempStore()).location, "not-a-directory");
    await writeFile(blocker, "x");
    const broken = new DirectoryArchiveStore(path.join(blocker, "archive"));
    const job = {
      name: `t-retention-${project.id.slice(0, 8)}`,
      cron: "30 3 * * *",
      run: () => runRetention(pool, { now: NOW, projectIds: [project.id], store: broken }),
    };
    const opts = { pool, log: pino({ level: "silent" }), leaseMs: 5_000 };
    const run = await openRun(pool, { job: job.name, instance: "test", leaseMs: 5_000 });
    const outcome = await runWithLease(opts, job, run);
    await finishRun(pool, run, outcome);
    expect(outcome.status).toBe("failed");
    const [row] = await listRuns(pool, job.name);
    expect(row).toMatchObject({ status: "failed" });
    expect(row!.error).toContain(`archive storage ${blocker}/archive is not usable: ENOTDIR`);
    expect((await counts(project.id)).logs).toBe(9);
  });
});
