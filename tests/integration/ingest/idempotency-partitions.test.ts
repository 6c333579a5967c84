import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { ingestBatch } from "@/server/ingest/pipeline";
import { makeIngestProject, uniq } from "./fixtures";

// Event tables are partitioned by UTC day and their unique key holds the time, so a retry of an event
// sent WITHOUT a timestamp (the server stamps it) across midnight would land in another partition.
// The batch's claim of the client id in ingest_client_ids keeps it stored once.

const DAY = 86_400_000;
const midnight = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
const before = new Date(midnight.getTime() - 100);
const after = new Date(midnight.getTime() + 100);

const TABLES = ["logs", "requests", "error_events", "llm_calls", "spans", "metric_points", "product_events"] as const;

function events(tag: string, timestamp?: string) {
  const t = timestamp ? { timestamp } : {};
  return [
    { type: "log", id: `${tag}-log`, message: "retry me", ...t },
    { type: "request", id: `${tag}-req`, method: "GET", path: "/", status: 200, durationMs: 1, ...t },
    { type: "error", id: `${tag}-err`, message: "boom", ...t },
    { type: "llm", id: `${tag}-llm`, model: "gpt-4o", inputTokens: 1, outputTokens: 1, ...t },
    { type: "metric", id: `${tag}-metric`, name: "queue.depth", kind: "gauge", value: 3, ...t },
    { type: "event", id: `${tag}-event`, name: "signup", ...t },
  ];
}

async function stored(projectId: string, tag: string) {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const { rows } = await pool.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM "${table}" WHERE project_id = $1 AND client_id LIKE $2 ORDER BY 1`,
      [projectId, `${tag}-%`],
    );
    // On Citus the row's table is a shard of the partition (`logs_p20261204_102072`).
    out[table] = rows.map((r) => r.part.replace(/_\d+$/, ""));
  }
  return out;
}

const day = (d: Date) => d.toISOString().slice(0, 10).replaceAll("-", "");

describe("client-id idempotency across daily partitions", () => {
  it("stores an event without a timestamp once when its retry arrives after midnight", async () => {
    const { project } = await makeIngestProject();
    const scope = { projectId: project.id, orgId: project.orgId };
    const tag = uniq();
    const first = await ingestBatch(pool, scope, events(tag), { receivedAt: before });
    const retry = await ingestBatch(pool, scope, events(tag), { receivedAt: after });
    expect(first.accepted).toBe(6);
    expect(retry.accepted).toBe(6);
    const rows = await stored(project.id, tag);
    for (const table of TABLES.filter((t) => t !== "spans")) expect(rows[table], table).toEqual([`${table}_p${day(before)}`]);
    const { rows: groups } = await pool.query(`SELECT count FROM error_groups WHERE project_id = $1`, [project.id]);
    expect(groups.map((g) => Number(g.count))).toEqual([1]);
  });

  it("stores an event with a timestamp once however often it is retried", async () => {
    const { project } = await makeIngestProject();
    const scope = { projectId: project.id, orgId: project.orgId };
    const tag = uniq();
    const ts = before.toISOString();
    const span = {
      type: "span",
      id: `${tag}-span`,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      name: "GET /",
      kind: "server",
      startTime: ts,
      endTime: after.toISOString(),
    };
    await ingestBatch(pool, scope, [...events(tag, ts), span], { receivedAt: before });
    await ingestBatch(pool, scope, [...events(tag, ts), span], { receivedAt: after });
    const rows = await stored(project.id, tag);
    for (const table of TABLES) expect(rows[table], table).toEqual([`${table}_p${day(before)}`]);
    const { rows: claims } = await pool.query(`SELECT kind FROM ingest_client_ids WHERE project_id = $1 ORDER BY 1`, [project.id]);
    expect(claims.map((c) => c.kind)).toEqual([...TABLES].sort());
  });

  it("still stores distinct events without client ids, and repeated ids inside one batch once", async () => {
    const { project } = await makeIngestProject();
    const scope = { projectId: project.id, orgId: project.orgId };
    const tag = uniq();
    await ingestBatch(pool, scope, [
      { type: "log", message: "a" },
      { type: "log", message: "a" },
      { type: "log", id: `${tag}-x`, message: "b" },
      { type: "log", id: `${tag}-x`, message: "b" },
    ]);
    const { rows } = await pool.query(`SELECT client_id FROM logs WHERE project_id = $1 ORDER BY client_id NULLS FIRST`, [project.id]);
    expect(rows.map((r) => r.client_id)).toEqual([null, null, `${tag}-x`]);
  });
});
