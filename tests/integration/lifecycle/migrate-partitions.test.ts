import { randomBytes, randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { baseDatabaseUrl } from "../../../scripts/lib/test-database";

// The partitioning migration converts a database filled at the previous schema in place: every row of
// every event table survives with its id, the id sequences go on from where they were, and the keys
// still make a retry with the same client id and time a no-op.
const MIGRATION = "20261205000000_event_partitions";
const DAY = 86_400_000;
const TABLES = ["logs", "requests", "error_events", "llm_calls", "spans", "metric_points", "product_events"] as const;

let url: string;
let name: string;
let db: pg.Client;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: baseDatabaseUrl });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** Rows of each kind at these times, with client ids (every NOT NULL column filled). */
async function fill(projectId: string, times: Date[], tag: string) {
  const group = randomUUID();
  await db.query(
    `INSERT INTO error_groups (project_id, id, fingerprint, title, level, first_seen, last_seen) VALUES ($1, $2, $3, 'Boom', 'error', now(), now())`,
    [projectId, group, group.replace(/-/g, "").padEnd(64, "0")],
  );
  const from = `FROM unnest($2::timestamptz[]) WITH ORDINALITY AS u(t, n)`;
  const cid = `'${tag}-' || n`;
  const sql = [
    `INSERT INTO logs (project_id, client_id, time, level, message) SELECT $1, ${cid}, t, 'info', 'hello ' || n ${from}`,
    `INSERT INTO requests (project_id, client_id, time, method, path, status, duration_ms) SELECT $1, ${cid}, t, 'GET', '/x', 200, n ${from}`,
    `INSERT INTO error_events (project_id, client_id, group_id, time, level, title) SELECT $1, ${cid}, '${group}', t, 'error', 'Boom' ${from}`,
    `INSERT INTO llm_calls (project_id, client_id, time, model, operation, status, cost_source) SELECT $1, ${cid}, t, 'gpt-4o', 'chat', 'ok', 'none' ${from}`,
    `INSERT INTO spans (project_id, client_id, trace_id, span_id, name, kind, start_time, end_time, duration_ms, status)
       SELECT $1, ${cid}, md5(${cid}), md5(n::text), 'op', 'server', t, t, 1, 'ok' ${from}`,
    `INSERT INTO metric_points (project_id, client_id, time, name, kind, value) SELECT $1, ${cid}, t, 'cpu', 'gauge', n ${from}`,
    `INSERT INTO product_events (project_id, client_id, time, name, user_id) SELECT $1, ${cid}, t, 'signup', 'u' || n ${from}`,
  ];
  for (const q of sql) await db.query(q, [projectId, times]);
}

const snapshot = async () => {
  const out: Record<string, string[]> = {};
  for (const t of TABLES)
    out[t] = (await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x ORDER BY project_id, id`)).rows.map((r) => r.j);
  return out;
};

beforeAll(async () => {
  name = `sightline_migparts_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  const u = new URL(baseDatabaseUrl);
  u.pathname = `/${name}`;
  url = u.toString();
  // The migrations up to the one before partitioning.
  const dir = await mkdtemp(path.join(tmpdir(), "sightline-migrations-"));
  for (const m of (await readdir("prisma/migrations")).filter((m) => m < MIGRATION && !m.endsWith(".toml"))) {
    await cp(path.join("prisma/migrations", m), path.join(dir, m), { recursive: true });
  }
  const before = await migrate(url, dir);
  expect(before.applied).not.toContain(MIGRATION);
  db = new pg.Client({ connectionString: url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe(`migration ${MIGRATION}`, () => {
  it("keeps every row of every event table, partitions them by day, and ingest-style writes still work", async () => {
    const now = Date.now();
    const a = randomUUID();
    const b = randomUUID();
    // 40 and 2 days ago, now, 3 days ahead, and over ten years ago (left to the default partition).
    const times = [new Date(now - 40 * DAY), new Date(now - 2 * DAY), new Date(now), new Date(now + 3 * DAY), new Date(now - 4000 * DAY)];
    await fill(a, times, "a");
    await fill(b, times.slice(0, 3), "b");
    const before = await snapshot();
    expect(before.logs).toHaveLength(8);

    const result = await migrate(url);
    expect(result.applied[0]).toBe(MIGRATION);
    expect(await snapshot()).toEqual(before);

    for (const t of TABLES) {
      const { rows: kind } = await db.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = $1::regclass`, [t]);
      expect(kind[0]!.relkind, t).toBe("p");
      const { rows } = await db.query<{ part: string; n: string }>(`SELECT tableoid::regclass::text AS part, count(*) AS n FROM "${t}" GROUP BY 1 ORDER BY 1`);
      const day = (ms: number) => `${t}_p${new Date(ms).toISOString().slice(0, 10).replaceAll("-", "")}`;
      expect(Object.fromEntries(rows.map((r) => [r.part, Number(r.n)])), t).toEqual({
        [day(now - 40 * DAY)]: 2,
        [day(now - 2 * DAY)]: 2,
        [day(now)]: 2,
        [day(now + 3 * DAY)]: 1,
        [`${t}_default`]: 1,
      });
      // The id sequence goes on from the old table's and still belongs to the column.
      const { rows: seq } = await db.query<{ s: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS s`, [t]);
      expect(seq[0]!.s).toBe(`public.${t}_id_seq`);
      const dup = await db.query(`INSERT INTO "${t}" SELECT * FROM "${t}" WHERE project_id = $1 AND client_id = 'a-2' ON CONFLICT DO NOTHING`, [a]);
      expect(dup.rowCount, `${t}: a retry with the same client id and time`).toBe(0);
    }
    const fresh = await db.query<{ id: string }>(
      `INSERT INTO logs (project_id, client_id, time, level, message) VALUES ($1, 'a-new', now(), 'info', 'x') RETURNING id`,
      [a],
    );
    expect(BigInt(fresh.rows[0]!.id)).toBeGreaterThan(BigInt(JSON.parse(before.logs!.at(-1)!).id));
    const { rows: claims } = await db.query(`SELECT count(*)::int AS n FROM ingest_client_ids`);
    expect(claims[0].n).toBe(0);
  });
});
