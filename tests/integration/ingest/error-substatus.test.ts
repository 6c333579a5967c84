import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { pool } from "@/server/db/pool";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, rows, sendBatch } from "./fixtures";

// The error-group upsert moves a `new` group to `ongoing` once it was first seen more than 7 days
// before the write (ingest's ON CONFLICT … DO UPDATE, written without now() so Citus accepts it).

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute });
});
afterAll(async () => {
  await server.close();
});

describe("error group substatus on repeat events", () => {
  it("turns `new` into `ongoing` after 7 days, keeps `new` before, and stamps updated_at with the write's time", async () => {
    const p = await makeIngestProject();
    const send = (message: string) => sendBatch(server.baseUrl, p.ingestKey.secret, [{ type: "error", message }]);
    expect((await send("old failure")).status).toBe(200);
    expect((await send("young failure")).status).toBe(200);
    await pool.query(
      `UPDATE error_groups SET first_seen = now() - CASE WHEN title LIKE 'old%' THEN interval '8 days' ELSE interval '6 days' END,
              substatus = 'new', updated_at = '2000-01-01' WHERE project_id = $1`,
      [p.project.id],
    );
    const before = Date.now();
    expect((await send("old failure")).status).toBe(200);
    expect((await send("young failure")).status).toBe(200);
    const groups = await rows<{ title: string; substatus: string; count: string; updated_at: Date }>(
      `SELECT title, substatus::text, count::text, updated_at FROM error_groups WHERE project_id = $1 ORDER BY title`,
      [p.project.id],
    );
    expect(groups.map((g) => [g.title, g.substatus, g.count])).toEqual([
      ["old failure", "ongoing", "2"],
      ["young failure", "new", "2"],
    ]);
    for (const g of groups) expect(g.updated_at.getTime()).toBeGreaterThan(before - 60_000);
  });
});
