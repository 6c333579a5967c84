/**
 * SQL building blocks for dashboard reads: watermarks, and
 * the two generic sources every metric is written on — measure rows and sketch rows — each a
 * UNION ALL of rollup rows for closed buckets and raw rows (aggregated per minute) for the rest.
 * Column and table names come only from the specs in this folder; every value is a `$n` parameter.
 */
import type { Db, SqlParams } from "@/server/db/sql";
import { bucketOf, bucketStarts, coverRange, isSliding, type Grain, type Segment, type Watermarks } from "../rollup/buckets";
import { binSql } from "../rollup/sketch";
import type { RollupSpec } from "../rollup/specs";

export async function loadWatermarks(db: Db, projectId: string): Promise<Watermarks> {
  const { rows } = await db.query<{ grain: Grain; folded_until: Date }>(`SELECT grain, folded_until FROM rollup_watermarks WHERE project_id = $1`, [projectId]);
  return Object.fromEntries(rows.map((r) => [r.grain, r.folded_until]));
}

/** Dimension filters: only dims of the spec apply; others are ignored by this source. */
export type DimFilters = Record<string, string | string[] | undefined>;

function filterSql(p: SqlParams, spec: RollupSpec, filters: DimFilters, alias: string): string[] {
  const out: string[] = [];
  for (const [dim, value] of Object.entries(filters)) {
    if (value === undefined || !spec.dims.includes(dim)) continue;
    // A single value: no cast on the column, so the comparison can use the key. A list is kept out of
    // the index condition on purpose (`|| ''` is no index expression): on a column behind the bucket
    // range in the key, `= ANY` re-walks the whole range once per value (bench:queries --explain:
    // 8 users, 64 ms; as a filter over one walk, 21 ms).
    // Dims with an index of their own (spec.listIndexed) are the exception: there a list is an index seek per value.
    if (Array.isArray(value)) {
      out.push(spec.listIndexed?.includes(dim) ? `${alias}.${dim} = ANY(${p.add(value)}::text[])` : `(${alias}.${dim} || '') = ANY(${p.add(value)}::text[])`);
    } else out.push(`${alias}.${dim} = ${p.add(value)}`);
  }
  return out;
}

type SourceOptions = {
  projectId: string;
  from: Date;
  to: Date;
  filters: DimFilters;
  /** Grains the read may use (see grainsForStep); [] reads raw rows only. */
  grains: readonly Grain[];
  watermarks: Watermarks;
};

function segmentsOf(spec: RollupSpec, o: SourceOptions): Segment[] {
  const grains = o.grains.filter((g) => spec.grains.includes(g));
  return coverRange(o.from, o.to, grains, o.watermarks);
}

function rawWhere(p: SqlParams, projectId: string, raws: Segment[]) {
  const project = p.add(projectId);
  const ranges = raws.map((s) => `(%t >= ${p.add(s.from)} AND %t < ${p.add(s.to)})`).join(" OR ");
  return (col: string) => `project_id = ${project}::uuid AND (${ranges.replaceAll("%t", col)})`;
}

function rollupWhere(p: SqlParams, projectId: string, s: Segment) {
  const scope = `t.project_id = ${p.add(projectId)}::uuid AND t.grain = '${s.grain}'`;
  // Sliding windows overlap: read exactly the back-to-back windows that tile the segment.
  if (isSliding(s.grain!)) return `${scope} AND t.bucket_start = ANY(${p.add(bucketStarts(s))}::timestamptz[])`;
  return `${scope} AND t.bucket_start >= ${p.add(s.from)} AND t.bucket_start < ${p.add(s.to)}`;
}

/**
 * Rows (bucket_start, dims…, measures…): rollup rows as stored plus raw rows grouped per minute.
 * Merge them with SUM (or MAX for `merge: "max"` measures).
 */
export function measureSource(p: SqlParams, spec: RollupSpec, o: SourceOptions): string {
  const segments = segmentsOf(spec, o);
  const dims = spec.dims.join(", ");
  const measureNames = Object.keys(spec.measures);
  const parts: string[] = [];
  for (const s of segments.filter((x) => x.grain)) {
    const where = [rollupWhere(p, o.projectId, s), ...filterSql(p, spec, o.filters, "t")];
    parts.push(`SELECT t.bucket_start, ${spec.dims.map((d) => `t.${d}`).join(", ")}, ${measureNames.map((m) => `t.${m}`).join(", ")}
      FROM ${spec.table} t WHERE ${where.join(" AND ")}`);
  }
  const raws = segments.filter((x) => !x.grain);
  if (raws.length) {
    const where = rawWhere(p, o.projectId, raws);
    const filters = filterSql(p, spec, o.filters, "r");
    parts.push(`SELECT ${bucketOf("minute", "r.time")} AS bucket_start, ${dims},
      ${measureNames.map((m) => `${spec.measures[m]!.raw} AS ${m}`).join(", ")}
      FROM (${spec.raw(where)}) r ${filters.length ? `WHERE ${filters.join(" AND ")}` : ""} GROUP BY 1, ${dims}`);
  }
  return parts.join("\nUNION ALL\n");
}

/**
 * One sketch's rows in either shape: rollup rows (from `fromRollup`, over alias t) for closed buckets,
 * and the raw rows' histogram per minute and dims (bin, cnt, as `fromRaw` shapes it) for the rest.
 */
function sketchRows(
  p: SqlParams,
  spec: RollupSpec,
  sketch: string,
  o: SourceOptions,
  shape: { fromRollup: string; fromRaw: (binRows: string) => string },
): string {
  const segments = segmentsOf(spec, o);
  const dims = spec.dims.join(", ");
  const parts: string[] = [];
  for (const s of segments.filter((x) => x.grain)) {
    const where = [rollupWhere(p, o.projectId, s), ...filterSql(p, spec, o.filters, "t")];
    parts.push(`SELECT t.bucket_start, ${spec.dims.map((d) => `t.${d}`).join(", ")}, ${shape.fromRollup} FROM ${spec.table} t WHERE ${where.join(" AND ")}`);
  }
  const raws = segments.filter((x) => !x.grain);
  if (raws.length) {
    const where = rawWhere(p, o.projectId, raws);
    const value = `r.${spec.sketches[sketch]}`;
    const filters = [`${value} IS NOT NULL`, ...filterSql(p, spec, o.filters, "r")];
    parts.push(
      shape.fromRaw(`SELECT ${bucketOf("minute", "r.time")} AS bucket_start, ${dims}, ${binSql(value)} AS bin, count(*) AS cnt
      FROM (${spec.raw(where)}) r WHERE ${filters.join(" AND ")} GROUP BY 1, ${dims}, ${spec.dims.length + 2}`),
    );
  }
  return parts.join("\nUNION ALL\n");
}

/**
 * Rows (bucket_start, dims…, bins, counts) of one sketch: each rollup row's arrays as stored, and the
 * raw rows' histogram per minute and dims. Merged by the caller (mergeSketches, see read.ts).
 */
export function sketchArraySource(p: SqlParams, spec: RollupSpec, sketch: string, o: SourceOptions): string {
  const dims = spec.dims.join(", ");
  return sketchRows(p, spec, sketch, o, {
    fromRollup: `t.${sketch}_bins AS bins, t.${sketch}_counts AS counts`,
    fromRaw: (binRows) => `SELECT bucket_start, ${dims}, array_agg(bin) AS bins, array_agg(cnt) AS counts FROM (${binRows}) x GROUP BY bucket_start, ${dims}`,
  });
}

/** Rows (bucket_start, dims…, bin, cnt) of one sketch, one per bin; merge with SUM(cnt) GROUP BY bin. */
export function sketchSource(p: SqlParams, spec: RollupSpec, sketch: string, o: SourceOptions): string {
  return sketchRows(p, spec, sketch, o, {
    // unnest() in the select list (a ProjectSet, arrays of equal length walked in lockstep) is 3–5× faster
    // here than a LATERAL unnest, which materialises each row's arrays (bench:queries --explain).
    fromRollup: `unnest(t.${sketch}_bins) AS bin, unnest(t.${sketch}_counts)::bigint AS cnt`,
    fromRaw: (binRows) => binRows,
  });
}
