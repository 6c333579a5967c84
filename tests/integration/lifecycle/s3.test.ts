/**
 * The same retention, listing and restore against a real S3-protocol server on loopback (s3rver),
 * through the AWS SDK v3 — no mock of the SDK.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { dayPrefix, readParts, sha256 } from "@/server/lifecycle/archive-format";
import { listArchives } from "@/server/lifecycle/archives";
import { restoreArchives } from "@/server/lifecycle/restore";
import { runRetention } from "@/server/lifecycle/retention";
import { S3ArchiveStore } from "@/server/lifecycle/s3-store";
import { makeProject, orgWithRoles } from "../tenancy-fixtures";
import { counts, daysAgo, insertRows, NOW, rowsOf } from "./fixtures";

describe("archives in an S3-compatible bucket", () => {
  let server: S3rver;
  let endpoint: string;
  beforeAll(async () => {
    server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory: await mkdtemp(path.join(tmpdir(), "s3rver-")),
      configureBuckets: [{ name: "archives", configs: [] }],
    });
    const { port } = (await server.run()) as unknown as { port: number };
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.close());

  const store = (bucket = "archives") =>
    new S3ArchiveStore({ bucket, endpoint, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true });

  it("archives, verifies, deletes, lists and restores exactly the expired rows", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await insertRows(project.id, "requests", daysAgo(40), 6);
    await insertRows(project.id, "requests", daysAgo(3), 2);
    const before = await rowsOf(project.id, "requests");
    const s3 = store();

    const run = await runRetention(pool, { now: NOW, projectIds: [project.id], store: s3, limits: { partRows: 4 } });
    expect(run.location).toBe(`s3://archives at ${endpoint}`);
    expect(run.projects[0]!.kinds[0]).toMatchObject({ kind: "requests", archived: 6, deleted: 6 });
    expect((await counts(project.id)).requests).toBe(2);
    const parts = await readParts(s3, dayPrefix({ orgId: org.id, projectId: project.id, kind: "requests", day: "2026-10-25" }));
    expect(parts.map((p) => p.manifest.rowCount)).toEqual([4, 2]);
    expect((await listArchives(s3, project)).map((m) => m.part)).toEqual([1, 2]);
    const streamed = (await s3.stream(parts[0]!.manifest.file))!;
    const bytes = Buffer.from(await new Response(streamed.body).arrayBuffer());
    expect(streamed.length).toBe(bytes.length);
    expect(sha256(bytes)).toBe(parts[0]!.manifest.sha256);
    expect(await s3.stream(`${parts[0]!.manifest.file}.missing.gz`)).toBeNull();

    await restoreArchives(pool, s3, { projectId: project.id, kind: "requests", from: "2026-10-25", to: "2026-10-25" }, NOW);
    expect(await rowsOf(project.id, "requests")).toEqual(before);
  });

  it("a bucket that does not exist fails the run before anything is deleted", async () => {
    const { org } = await orgWithRoles();
    const project = await makeProject(org.id);
    await insertRows(project.id, "logs", daysAgo(40), 3);
    await expect(runRetention(pool, { now: NOW, projectIds: [project.id], store: store("no-such-bucket") })).rejects.toThrow(
      /archive storage s3:\/\/no-such-bucket .* is not usable: NoSuchBucket/,
    );
    const refused = new S3ArchiveStore({
      bucket: "archives",
      endpoint: "http://127.0.0.1:1",
      region: "us-east-1",
      accessKeyId: "x",
      secretAccessKey: "y",
      forcePathStyle: true,
    });
    await expect(runRetention(pool, { now: NOW, projectIds: [project.id], store: refused })).rejects.toThrow(
      /archive storage s3:\/\/archives at http:\/\/127\.0\.0\.1:1 is not usable/,
    );
    expect((await counts(project.id)).logs).toBe(3);
  });
});
