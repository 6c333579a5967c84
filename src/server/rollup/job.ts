/**
 * The rollup job: folds CLOSED buckets (end ≤ now) of every grain into the rollup tables.
 *
 * - Idempotent: a bucket is always recomputed from raw rows and replaced (DELETE + INSERT in the
 *   same transaction), never incremented, so running twice changes nothing.
 * - Concurrency: one transaction per project under `pg_try_advisory_xact_lock`; a run that finds
 *   the project locked skips it (the holder is doing the same work) and reports it as skipped.
 * - Late data: a watermark per (project, grain) says "every bucket before this is folded" and
 *   remembers the newest `received_at` seen. Rows received since then (minus LATE_MARGIN_MS, for
 *   ingest transactions that were still open) mark their buckets dirty, and dirty buckets are
 *   re-folded however old they are — a week of history sent today is folded on the next run.
 *   Between a late row's arrival and the next run (≤ 1 minute on the schedule), the closed bucket
 *   it belongs to does not show it yet.
 * - Deleted data: spans queued in `rollup_refolds` (an end user's rows erased) dirty the buckets they
 *   touch the same way, and are removed once folded.
 * - Retention: minute buckets are folded and kept only for RETENTION_MS.minute before now (see
 *   buckets.ts); older minute buckets are deleted, and reads use raw rows for them.
 * - Minute and hour buckets are folded from raw rows; longer ones are merged from the finer rollup rows
 *   folded just before them in the same run (see foldWindows). Ranges of a grain are ranges of bucket
 *   STARTS; a late row dirties every bucket containing it, of every grain.
 */
import type pg from "pg";
import { log } from "@/server/log";
import { ALIGN_MS, floorTo, GRAIN_MS, GRAINS, isSliding, MERGED_FROM, RETENTION_MS, type Grain } from "./buckets";
import { binSql } from "./sketch";
import { SqlParams, type DbPool } from "@/server/db/sql";
import { bucketOf } from "../rollup/buckets";
import { foldMetrics, pruneMetrics } from "./metrics";
import { SOURCE_TABLES, SPECS, type RollupSpec } from "./specs";

const LATE_MARGIN_MS = 5 * 60_000;
/** More dirty ranges than this are folded as one span (cheaper than a huge OR). */
const MAX_RANGES = 50;

type Range = { from: number; to: number };
type RollupResult = {
  projects: Array<{ projectId: string; skipped: boolean; folded: Partial<Record<Grain, number>> }>;
};

function mergeRanges(ranges: Range[], grain: Grain): Range[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  if (out.length <= MAX_RANGES) return out;
  return [{ from: out[0]!.from, to: out[out.length - 1]!.to }].map((r) => ({ from: floorTo(r.from, grain), to: r.to }));
}

const leadingKeySql = (spec: RollupSpec, alias = "") =>
  spec.leadingKey ? ` AND ${alias}${spec.leadingKey.column} IN (${spec.leadingKey.values.map((v) => `'${v}'`).join(", ")})` : "";

async function foldSpec(client: pg.PoolClient, spec: RollupSpec, projectId: string, grain: Grain, ranges: Range[]) {
  const p = new SqlParams();
  const project = p.add(projectId);
  const bounds = ranges.map((r) => [p.add(new Date(r.from)), p.add(new Date(r.to))] as const);
  const deleteWhere = bounds.map(([a, b]) => `(bucket_start >= ${a} AND bucket_start < ${b})`).join(" OR ");
  await client.query(
    `DELETE FROM ${spec.table} WHERE project_id = ${project}::uuid${leadingKeySql(spec)} AND grain = '${grain}' AND (${deleteWhere})`,
    p.values,
  );
  if (isSliding(grain)) return foldWindows(client, spec, grain, projectId, ranges);
  const finer = MERGED_FROM[grain];
  if (finer) return foldFromFiner(client, spec, grain, finer, projectId, ranges);

  const where = (col: string) => `project_id = ${project}::uuid AND (${bounds.map(([a, b]) => `(${col} >= ${a} AND ${col} < ${b})`).join(" OR ")})`;
  const dims = spec.dims.join(", ");
  const bucket = bucketOf(grain, "time");
  const measures = Object.entries(spec.measures);
  const sketches = Object.entries(spec.sketches);
  const ctes = [
    `r AS MATERIALIZED (${spec.raw(where)})`,
    `m AS (SELECT ${bucket} AS bucket_start, ${dims}, ${measures.map(([n, m]) => `${m.raw} AS ${n}`).join(", ")} FROM r GROUP BY 1, ${dims})`,
    ...sketches.map(
      ([name, column]) => `s_${name} AS (
        SELECT bucket_start, ${dims}, array_agg(bin ORDER BY bin) AS bins, array_agg(cnt ORDER BY bin) AS counts
        FROM (SELECT ${bucket} AS bucket_start, ${dims}, ${binSql(column)} AS bin, count(*) AS cnt
              FROM r WHERE ${column} IS NOT NULL GROUP BY 1, ${dims}, ${spec.dims.length + 2}) x
        GROUP BY bucket_start, ${dims})`,
    ),
  ];
  return insertFolded(client, spec, grain, p, project, ctes);
}

/** INSERTs the rows of CTE `m` (bucket_start, dims, measures) joined to the `s_<sketch>` CTEs (bins, counts). */
async function insertFolded(client: pg.PoolClient, spec: RollupSpec, grain: Grain, p: SqlParams, project: string, ctes: string[]) {
  const measures = Object.keys(spec.measures);
  const sketches = Object.keys(spec.sketches);
  const joins = sketches
    .map((name) => `LEFT JOIN s_${name} ON s_${name}.bucket_start = m.bucket_start AND ${spec.dims.map((d) => `s_${name}.${d} = m.${d}`).join(" AND ")}`)
    .join("\n");
  const columns = ["project_id", "grain", "bucket_start", ...spec.dims, ...measures, ...sketches.flatMap((n) => [`${n}_bins`, `${n}_counts`])];
  const values = [
    `${project}::uuid`,
    `'${grain}'`,
    "m.bucket_start",
    ...spec.dims.map((d) => `m.${d}`),
    ...measures.map((n) => `m.${n}`),
    ...sketches.flatMap((n) => [`coalesce(s_${n}.bins, '{}')`, `coalesce(s_${n}.counts, '{}')`]),
  ];
  const result = await client.query(
    `WITH ${ctes.join(",\n")} INSERT INTO ${spec.table} (${columns.join(", ")}) SELECT ${values.join(", ")} FROM m ${joins}`,
    p.values,
  );
  return result.rowCount ?? 0;
}

/**
 * Long buckets are merged from the rollup rows inside them (measures by their merge, sketches by
 * summing counts per bin), so no raw row is read again: six-hour and day buckets from hour rows,
 * weeks from day rows (a week of raw rows took 15 s per busy project to fold), and sliding windows
 * from the day rows of the whole UTC days in them plus the hour rows before the first and after the
 * last. A window is one statement; fixed buckets go a week of buckets at a time, so the merged rows
 * in memory stay bounded.
 */
async function foldWindows(client: pg.PoolClient, spec: RollupSpec, grain: Grain, projectId: string, ranges: Range[]) {
  let rows = 0;
  for (const range of ranges) {
    for (let start = range.from; start < range.to; start += ALIGN_MS[grain]) {
      const p = new SqlParams();
      const project = p.add(projectId);
      const ws = `${p.add(new Date(start))}::timestamptz`;
      // In hours: a session zone with daylight saving would stretch or shrink "N days".
      const we = `(${ws} + interval '${GRAIN_MS[grain] / 3_600_000} hours')`;
      // The first and last UTC midnight inside the window (windows start on whole hours).
      const firstDay = bucketOf("day", `${ws} + interval '23 hours'`);
      const lastDay = bucketOf("day", we);
      const rowsOf = (source: Grain, from: string, to: string) => finerRows(spec, project, source, ws, from, to);
      const source = [
        rowsOf("day", firstDay, lastDay),
        rowsOf("hour", ws, `least(${firstDay}, ${we})`),
        rowsOf("hour", `greatest(${lastDay}, ${firstDay})`, we),
      ].join("\nUNION ALL\n");
      rows += await insertFolded(client, spec, grain, p, project, mergeCtes(spec, source));
    }
  }
  return rows;
}

const MERGE_CHUNK_MS = 7 * 86_400_000;

async function foldFromFiner(client: pg.PoolClient, spec: RollupSpec, grain: Grain, finer: Grain, projectId: string, ranges: Range[]) {
  let rows = 0;
  for (const range of ranges) {
    const chunk = Math.max(GRAIN_MS[grain], MERGE_CHUNK_MS - (MERGE_CHUNK_MS % GRAIN_MS[grain]));
    for (let from = range.from; from < range.to; from += chunk) {
      const p = new SqlParams();
      const project = p.add(projectId);
      const to = Math.min(range.to, from + chunk);
      const source = finerRows(spec, project, finer, bucketOf(grain, "t.bucket_start"), p.add(new Date(from)), p.add(new Date(to)));
      rows += await insertFolded(client, spec, grain, p, project, mergeCtes(spec, source));
    }
  }
  return rows;
}

/** Rollup rows of grain `source` starting in [from, to), as (bucket_start = `bucket`, dims, measures, sketch arrays). */
function finerRows(spec: RollupSpec, project: string, source: Grain, bucket: string, from: string, to: string) {
  const columns = [...spec.dims, ...Object.keys(spec.measures), ...Object.keys(spec.sketches).flatMap((n) => [`${n}_bins`, `${n}_counts`])];
  return `SELECT ${bucket} AS bucket_start, ${columns.map((c) => `t.${c}`).join(", ")} FROM ${spec.table} t
     WHERE t.project_id = ${project}::uuid${leadingKeySql(spec, "t.")} AND t.grain = '${source}' AND t.bucket_start >= ${from} AND t.bucket_start < ${to}`;
}

/** CTEs m (bucket_start, dims, merged measures) and s_<sketch> (bucket_start, dims, bins, counts) over rows of finerRows. */
function mergeCtes(spec: RollupSpec, source: string): string[] {
  const dims = spec.dims.join(", ");
  return [
    `h AS MATERIALIZED (${source})`,
    `m AS (SELECT bucket_start, ${dims}, ${Object.entries(spec.measures)
      .map(([n, m]) => `${m.merge}(${n}) AS ${n}`)
      .join(", ")} FROM h GROUP BY bucket_start, ${dims})`,
    ...Object.keys(spec.sketches).map(
      (name) => `s_${name} AS (
        SELECT bucket_start, ${dims}, array_agg(bin ORDER BY bin) AS bins, array_agg(cnt ORDER BY bin) AS counts
        FROM (SELECT bucket_start, ${dims}, bin, sum(cnt)::bigint AS cnt
              FROM (SELECT bucket_start, ${dims}, unnest(${name}_bins) AS bin, unnest(${name}_counts) AS cnt FROM h) u
              GROUP BY bucket_start, ${dims}, bin) x
        GROUP BY bucket_start, ${dims})`,
    ),
  ];
}

/**
 * Deletes a retained grain's buckets older than `before`. The slack (an hour, or one alignment step
 * of the grain when longer: a day for 29d windows) keeps rows a reader that loaded the previous
 * watermark may still use.
 */
const PRUNE_SLACK_MS = 3_600_000;
async function prune(client: pg.PoolClient, projectId: string, grain: Grain, before: Date) {
  for (const spec of SPECS.filter((s) => s.grains.includes(grain))) {
    await client.query(`DELETE FROM ${spec.table} WHERE project_id = $1::uuid${leadingKeySql(spec)} AND grain = $2 AND bucket_start < $3`, [
      projectId,
      grain,
      before,
    ]);
  }
  await pruneMetrics(client, projectId, grain, before);
}

/** Minutes (bucket starts) holding rows received since `since`, with the newest receipt in each: one pass for every grain. */
type LateMinute = { minute: number; received: number };
async function lateMinutes(client: pg.PoolClient, projectId: string, since: Date): Promise<LateMinute[]> {
  const union = SOURCE_TABLES.map(
    (t) => `SELECT ${bucketOf("minute", "time")} AS b, max(received_at) AS r FROM ${t} WHERE project_id = $1::uuid AND received_at >= $2 GROUP BY 1`,
  ).join(" UNION ALL ");
  const { rows } = await client.query<{ b: Date; r: Date }>(`SELECT b, max(r) AS r FROM (${union}) x GROUP BY b`, [projectId, since]);
  return rows.map((row) => ({ minute: row.b.getTime(), received: row.r.getTime() }));
}

/**
 * Buckets of `grain` holding rows received since `since` whose time is before `before` (aligned to the
 * grain, so to the minute). A row at time t lies in the buckets starting in (t − length, t]: one for
 * fixed grains, several for sliding ones.
 */
function dirtyRanges(late: LateMinute[], grain: Grain, since: number, before: number): Range[] {
  const units = new Set<number>();
  for (const m of late) if (m.received >= since && m.minute < before) units.add(floorTo(m.minute, grain));
  return [...units].map((u) => ({ from: u - GRAIN_MS[grain] + ALIGN_MS[grain], to: u + ALIGN_MS[grain] }));
}

type Refold = { id: string; from: number; to: number };

/** Raw time spans queued for refolding (rows deleted from them), read under the project's lock. */
async function pendingRefolds(client: pg.PoolClient, projectId: string): Promise<Refold[]> {
  const { rows } = await client.query<{ id: string; time_from: Date; time_to: Date }>(
    `SELECT id, time_from, time_to FROM rollup_refolds WHERE project_id = $1::uuid`,
    [projectId],
  );
  return rows.map((r) => ({ id: r.id, from: r.time_from.getTime(), to: r.time_to.getTime() }));
}

/** The buckets of `grain` that contain any instant of a span: starts in (from − length, to). */
const refoldRanges = (refolds: Refold[], grain: Grain): Range[] =>
  refolds.map((r) => ({ from: floorTo(r.from, grain) - GRAIN_MS[grain] + ALIGN_MS[grain], to: floorTo(r.to - 1, grain) + ALIGN_MS[grain] }));

async function earliestTime(client: pg.PoolClient, projectId: string): Promise<Date | null> {
  const union = SOURCE_TABLES.map((t) => `(SELECT min(time) AS t FROM ${t} WHERE project_id = $1::uuid)`).join(" UNION ALL ");
  const { rows } = await client.query<{ t: Date | null }>(`SELECT min(t) AS t FROM (${union}) x`, [projectId]);
  return rows[0]?.t ?? null;
}

async function rollupProject(client: pg.PoolClient, projectId: string, now: Date) {
  const folded: Partial<Record<Grain, number>> = {};
  const {
    rows: [locked],
  } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended('rollup:' || $1, 0)) AS ok`, [projectId]);
  if (!locked?.ok) return { projectId, skipped: true, folded };
  // Folding groups many buckets × dimensions × sketch bins at once; keep those hashes in memory.
  await client.query(`SET LOCAL work_mem = '64MB'`);
  const {
    rows: [clock],
  } = await client.query<{ now: Date }>(`SELECT now() AS now`);
  const refolds = await pendingRefolds(client, projectId);
  const { rows: marks } = await client.query<{ grain: Grain; folded_until: Date; received_seen: Date }>(
    `SELECT grain, folded_until, received_seen FROM rollup_watermarks WHERE project_id = $1::uuid`,
    [projectId],
  );
  const markOf = new Map(marks.map((m) => [m.grain, m]));
  const sinceOf = (m: { received_seen: Date }) => m.received_seen.getTime() - LATE_MARGIN_MS;
  // Rows received since the oldest watermark's receipt, read once for all grains.
  const late = marks.length ? await lateMinutes(client, projectId, new Date(Math.min(...marks.map(sinceOf)))) : [];
  for (const grain of GRAINS) {
    // Watermarks bound bucket starts: a bucket is closed once it has ended (start + length ≤ now).
    const closedUntil = floorTo(now.getTime() - GRAIN_MS[grain], grain) + ALIGN_MS[grain];
    const mark = markOf.get(grain);
    // Grains with a retention (minute, 24h, 29d) are only folded, and kept, that far back: reads never use older ones.
    const retention = RETENTION_MS[grain];
    const keepFrom = retention === undefined ? -Infinity : floorTo(closedUntil - retention, grain);
    const ranges: Range[] = [];
    let foldedUntil: number;
    if (mark) {
      foldedUntil = Math.max(mark.folded_until.getTime(), keepFrom);
      const foldedDataEnd = floorTo(mark.folded_until.getTime(), grain) - ALIGN_MS[grain] + GRAIN_MS[grain];
      const dirty = [...dirtyRanges(late, grain, sinceOf(mark), foldedDataEnd), ...refoldRanges(refolds, grain)];
      // Only buckets already folded and still kept: later ones are folded as new below.
      const clip = (r: Range) => ({ from: Math.max(r.from, keepFrom), to: Math.min(r.to, mark.folded_until.getTime()) });
      ranges.push(...dirty.map(clip).filter((r) => r.from < r.to));
    } else {
      const first = await earliestTime(client, projectId);
      foldedUntil = first ? Math.max(floorTo(first.getTime(), grain) - GRAIN_MS[grain] + ALIGN_MS[grain], keepFrom) : closedUntil;
    }
    if (closedUntil > foldedUntil) ranges.push({ from: foldedUntil, to: closedUntil });
    const merged = mergeRanges(ranges, grain);
    if (retention !== undefined) await prune(client, projectId, grain, new Date(keepFrom - Math.max(PRUNE_SLACK_MS, ALIGN_MS[grain])));
    let rows = 0;
    if (merged.length) {
      for (const spec of SPECS.filter((s) => s.grains.includes(grain))) {
        const started = performance.now();
        const n = await foldSpec(client, spec, projectId, grain, merged);
        log.debug({ projectId, table: spec.table, grain, rows: n, ms: Math.round(performance.now() - started) }, "rollup folded");
        rows += n;
      }
      rows += await foldMetrics(client, projectId, grain, merged);
    }
    folded[grain] = rows;
    await client.query(
      `INSERT INTO rollup_watermarks (project_id, grain, folded_until, received_seen, updated_at)
       VALUES ($1::uuid, $2, $3, $4, now())
       ON CONFLICT (project_id, grain) DO UPDATE SET folded_until = GREATEST(rollup_watermarks.folded_until, EXCLUDED.folded_until),
         received_seen = EXCLUDED.received_seen, updated_at = EXCLUDED.updated_at`,
      [projectId, grain, new Date(Math.max(foldedUntil, closedUntil)), clock!.now],
    );
  }
  if (refolds.length)
    await client.query(`DELETE FROM rollup_refolds WHERE project_id = $1::uuid AND id = ANY($2::bigint[])`, [projectId, refolds.map((r) => r.id)]);
  return { projectId, skipped: false, folded };
}

/**
 * Folds closed buckets for one project, the listed ones, or every project. Safe to run concurrently
 * and repeatedly. A project whose fold fails is rolled back and logged, and the others are still
 * folded; the run then throws, naming the failed projects, so the scheduler reports it and retries.
 */
/** `db`: the job pool — folding a large backlog is one long statement, which the web pool's query timeout would cut. */
export async function runRollup(db: DbPool, options: { now?: Date; projectId?: string; projectIds?: string[] } = {}): Promise<RollupResult> {
  const now = options.now ?? new Date();
  const only = options.projectIds ?? (options.projectId ? [options.projectId] : null);
  const { rows } = await db.query<{ id: string }>(
    only ? `SELECT id FROM projects WHERE id = ANY($1::uuid[]) ORDER BY id` : `SELECT id FROM projects ORDER BY id`,
    only ? [only] : [],
  );
  const projects: RollupResult["projects"] = [];
  const failed: string[] = [];
  for (const { id } of rows) {
    const client = await db.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      projects.push(await rollupProject(client, id, now));
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      log.error({ err, projectId: id }, "rollup failed for a project; its buckets stay unfolded and reads use raw rows");
      failed.push(id);
    } finally {
      client.release(broken); // a connection that cannot even roll back is dropped, not reused
    }
  }
  log.info({ projects: projects.length, skipped: projects.filter((p) => p.skipped).length, failed: failed.length }, "rollup done");
  if (failed.length) throw new Error(`rollup failed for ${failed.length} project(s): ${failed.join(", ")}; the others were folded`);
  return { projects };
}
