/**
 * Daily partitions of the raw event tables (migration 20261205000000_event_partitions): one per UTC
 * day, `<table>_pYYYYMMDD`, plus `<table>_default` for rows outside every day partition (older than
 * the oldest, or further ahead than the newest). The retention job creates days ahead and drops
 * expired ones (partition-drop.ts); ingest never runs DDL, so a row always has somewhere to go.
 * Plain DDL on the parent: on Citus it propagates to the shards of a distributed partitioned table.
 */
import type pg from "pg";
import type { Db, DbPool } from "../db/sql";
import { RAW_KINDS, RAW_TABLES, type RawKind } from "./kinds";

const DAY_MS = 86_400_000;
/** Days created ahead of today: a week of slack if the daily job stops running. */
export const PARTITION_AHEAD_DAYS = 7;

export type DayPartition = { kind: RawKind; table: string; name: string; day: Date };

const stamp = (day: Date) => day.toISOString().slice(0, 10).replaceAll("-", "");
export const partitionName = (table: string, day: Date) => `${table}_p${stamp(day)}`;
export const startOfDay = (t: Date) => new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);

/** The day partitions of a kind's table, oldest first. */
export async function dayPartitions(db: Db, kind: RawKind): Promise<DayPartition[]> {
  const { table } = RAW_TABLES[kind];
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1) ORDER BY 1`,
    [`public.${table}`],
  );
  const pattern = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`);
  return rows.flatMap(({ name }) => {
    const m = pattern.exec(name);
    return m ? [{ kind, table, name, day: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) }] : [];
  });
}

async function inTransaction<T>(pool: DbPool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await body(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Creates the day partition unless it exists. Rows of that day already in the default partition (it
 * was not there when they arrived) are moved into it: PostgreSQL refuses a new partition whose range
 * the default holds rows of, so the default is detached for the move and attached again.
 */
export async function ensureDayPartition(pool: DbPool, kind: RawKind, day: Date): Promise<boolean> {
  const { table, time } = RAW_TABLES[kind];
  const name = partitionName(table, day);
  const from = startOfDay(day);
  const to = new Date(from.getTime() + DAY_MS);
  // Most days exist already: no lock for them (checked again under the lock below).
  const { rows: known } = await pool.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${name}`]);
  if (known[0]!.exists) return false;
  return inTransaction(pool, async (client) => {
    // Holds off inserts (and a concurrent job) between the checks and the DDL.
    await client.query(`LOCK TABLE "${table}" IN SHARE ROW EXCLUSIVE MODE`);
    const { rows } = await client.query<{ exists: boolean; stray: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS exists,
              EXISTS (SELECT 1 FROM "${table}_default" WHERE "${time}" >= $2 AND "${time}" < $3) AS stray`,
      [`public.${name}`, from, to],
    );
    if (rows[0]!.exists) return false;
    const range = `FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
    if (!rows[0]!.stray) {
      await client.query(`CREATE TABLE "${name}" PARTITION OF "${table}" ${range}`);
      return true;
    }
    await client.query(`ALTER TABLE "${table}" DETACH PARTITION "${table}_default"`);
    await client.query(`CREATE TABLE "${name}" PARTITION OF "${table}" ${range}`);
    await client.query(`INSERT INTO "${table}" SELECT * FROM "${table}_default" WHERE "${time}" >= $1 AND "${time}" < $2`, [from, to]);
    await client.query(`DELETE FROM "${table}_default" WHERE "${time}" >= $1 AND "${time}" < $2`, [from, to]);
    await client.query(`ALTER TABLE "${table}" ATTACH PARTITION "${table}_default" DEFAULT`);
    return true;
  });
}

/** Day partitions from yesterday to PARTITION_AHEAD_DAYS ahead of `now`, for every raw kind; returns the ones created. */
export async function ensurePartitionsAhead(pool: DbPool, now: Date, ahead = PARTITION_AHEAD_DAYS): Promise<string[]> {
  const created: string[] = [];
  const today = startOfDay(now).getTime();
  for (const kind of RAW_KINDS) {
    for (let d = -1; d <= ahead; d++) {
      const day = new Date(today + d * DAY_MS);
      if (await ensureDayPartition(pool, kind, day)) created.push(partitionName(RAW_TABLES[kind].table, day));
    }
  }
  return created;
}

/**
 * Detaches and drops a day partition if, under a lock that holds off inserts, it holds exactly the
 * rows `expected` accounts for per project (what was archived, or planned). Anything else, e.g. a
 * late event that arrived after the archive was written, leaves it in place (null) for row deletes.
 */
export async function dropDayPartition(pool: DbPool, p: DayPartition, expected: Map<string, number>): Promise<Map<string, number> | null> {
  return inTransaction(pool, async (client) => {
    await client.query(`LOCK TABLE "${p.name}" IN SHARE MODE`);
    const { rows } = await client.query<{ project_id: string; n: string }>(`SELECT project_id, count(*) AS n FROM "${p.name}" GROUP BY 1`);
    const held = new Map(rows.map((r) => [r.project_id, Number(r.n)]));
    if ([...held].some(([project, n]) => expected.get(project) !== n)) return null;
    await client.query(`ALTER TABLE "${p.table}" DETACH PARTITION "${p.name}"`);
    await client.query(`DROP TABLE "${p.name}"`);
    return held;
  });
}
