import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as archiveRoute from "@/app/api/archives/[org]/[project]/route";
import { pool } from "@/server/db/pool";
import { prisma } from "@/server/db/prisma";
import { env } from "@/server/env";
import { archiveStoreFromEnv } from "@/server/lifecycle/store-from-env";
import { runRetention } from "@/server/lifecycle/retention";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";
import { callerFor, expectTRPCError, makeProject, orgWithRoles, type TestUser } from "../tenancy-fixtures";
import { insertRows } from "./fixtures";

await vi.hoisted(async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  process.env.ARCHIVE_DIR = mkdtempSync(`${tmpdir()}/sightline-archive-route-`);
});

const DAY = 86_400_000;
const cookieFor = async (u: TestUser) =>
  `next-auth.session-token=${await encode({ token: { sub: u.id, email: u.email, name: u.name }, secret: env.NEXTAUTH_SECRET, maxAge: 3600 })}`;

describe("Settings → Data", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  beforeAll(async () => {
    server = await startRouteServer({ "/api/archives/[org]/[project]": archiveRoute as RouteModule });
  });
  afterAll(() => server.close());

  it("shows rows, oldest event, size, policy and the next run's estimate; admins list and download archives, others cannot", async () => {
    const { org, admin, viewer, member } = await orgWithRoles();
    const other = await orgWithRoles();
    const project = await makeProject(org.id);
    const ids = { orgSlug: org.slug, projectSlug: project.slug };
    const now = Date.now();
    await insertRows(project.id, "logs", new Date(now - 45 * DAY), 3);
    await insertRows(project.id, "logs", new Date(now - DAY), 2);

    const overview = await callerFor(viewer).lifecycle.overview(ids);
    const logs = overview.kinds.find((k) => k.kind === "logs")!;
    expect(logs).toMatchObject({ rows: 5, days: 30, source: "instance", expiringRows: 3 });
    expect(logs.oldest).toEqual(new Date(now - 45 * DAY));
    expect(logs.bytes).toBeGreaterThan(0);
    expect(overview.nextRunAt!.getTime()).toBeGreaterThan(now);
    expect(overview.auditDays).toBe(365);
    expect(overview.kinds.find((k) => k.kind === "requests")).toMatchObject({ rows: 0, expiringRows: 0, oldest: null });

    // Archives: owners and admins only.
    await runRetention(pool, { projectIds: [project.id], store: archiveStoreFromEnv() });
    for (const user of [viewer, member]) await expectTRPCError(callerFor(user).lifecycle.archives(ids), "FORBIDDEN");
    const archives = await callerFor(admin).lifecycle.archives(ids);
    expect(archiveStoreFromEnv().location).toContain("sightline-archive-route-");
    expect(archives).toHaveLength(1);
    expect(archives[0]).toMatchObject({ kind: "logs", rowCount: 3, projectId: project.id });

    const url = (file: string, slugs = ids) => `${server.baseUrl}/api/archives/${slugs.orgSlug}/${slugs.projectSlug}?file=${encodeURIComponent(file)}`;
    const ok = await fetch(url(archives[0]!.file), { headers: { cookie: await cookieFor(admin) } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/gzip");
    const { sha256 } = await import("@/server/lifecycle/archive-format");
    expect(sha256(Buffer.from(await ok.arrayBuffer()))).toBe(archives[0]!.sha256);
    expect(await prisma.auditLog.count({ where: { orgId: org.id, action: "archive.downloaded" } })).toBe(1);

    expect((await fetch(url(archives[0]!.file), { headers: { cookie: await cookieFor(viewer) } })).status).toBe(403);
    expect((await fetch(url(archives[0]!.file))).status).toBe(401);
    // Another organisation's owner, naming this project or smuggling its key through their own project: not found.
    const theirs = await makeProject(other.org.id);
    const otherCookie = { headers: { cookie: await cookieFor(other.owner) } };
    expect((await fetch(url(archives[0]!.file), otherCookie)).status).toBe(404);
    const smuggled = await fetch(url(archives[0]!.file, { orgSlug: other.org.slug, projectSlug: theirs.slug }), otherCookie);
    expect(smuggled.status).toBe(404);
    expect(await smuggled.text()).not.toContain(project.id);
    const bad = await fetch(url(""), { headers: { cookie: await cookieFor(admin) } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { fields: { file: ["file is required"] } } });
  });
});
