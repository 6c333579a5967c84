/**
 * The bulk writer: every table's rows of one batch in ONE statement (data-modifying CTEs, one
 * `unnest` insert per table, error-group upsert fed by the error events actually inserted), so
 * the batch commits or fails as a whole and the response never claims what was not stored.
 * Client ids make retries idempotent. The event tables are partitioned by day, so their own unique key
 * is (project_id, client_id, time) and cannot see a retry whose time differs (one without a timestamp
 * gets a new server time, maybe in another day): each client id is therefore first claimed in
 * `ingest_client_ids` in the same statement, and a row is written only if its claim is new. That
 * table forgets after a week (lifecycle/kinds.ts DEDUPE_WINDOW_DAYS, pruned by the retention job);
 * after that only a retry with the same timestamp is still caught, by the table's unique key.
 */
import type { Fingerprint } from "../errors/fingerprint";
import type { PricedCost } from "../llm/price-call";
import { appendAppAudit, type AppAuditRow } from "../audit/app-trail";
import { SqlParams, type DbPool } from "@/server/db/sql";
import { json, textArrayLiteral, unnestInsert, type Column } from "./bulk-sql";
import type { MetricRowExtras } from "./metric-deltas";
import type { ErrorEvent, LlmEvent, LogEvent, MetricEvent, ProductEvent, RequestEvent, SpanEvent } from "./schemas";

type Base<E> = { e: E; time: Date; redactions: string[] };
export type LogRow = Base<LogEvent>;
type RequestRow = Base<RequestEvent>;
type ErrorRow = Base<ErrorEvent> & { fp: Fingerprint; groupId: string };
type LlmRow = Base<LlmEvent> & { cost: PricedCost };
/** `of`: the request event a derived server span stands for (see server-span.ts). */
type SpanRow = Base<SpanEvent> & { endTime: Date; of?: object };
export type MetricRow = Base<MetricEvent> & {
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
} & MetricRowExtras;
type ProductRow = Base<ProductEvent>;

export type PreparedBatch = {
  logs: LogRow[];
  requests: RequestRow[];
  errors: ErrorRow[];
  llm: LlmRow[];
  spans: SpanRow[];
  metrics: MetricRow[];
  events: ProductRow[];
  audit: AppAuditRow[];
};

type Common = { e: { id?: string; service?: string; environment?: string; release?: string }; time: Date; redactions: string[] };
const head = <R extends Common>(): Column<R>[] => [
  { name: "client_id", type: "text", value: (r) => r.e.id ?? null },
  { name: "time", type: "timestamptz", value: (r) => r.time.toISOString() },
];
const tail = <R extends Common>(): Column<R>[] => [
  { name: "service", type: "text", value: (r) => r.e.service ?? null },
  { name: "environment", type: "text", value: (r) => r.e.environment ?? null },
  { name: "release", type: "text", value: (r) => r.e.release ?? null },
  { name: "redactions", type: "text", value: (r) => textArrayLiteral(r.redactions), select: "$::text[]" },
];
const trace = <R extends { e: { traceId?: string; spanId?: string } }>(): Column<R>[] => [
  { name: "trace_id", type: "text", value: (r) => r.e.traceId ?? null },
  { name: "span_id", type: "text", value: (r) => r.e.spanId ?? null },
];
const jsonb = <R>(name: string, get: (r: R) => unknown, fallback: string): Column<R> => ({
  name,
  type: "jsonb",
  value: (r) => json(get(r)) ?? fallback,
});

const LOG_COLUMNS: Column<LogRow>[] = [
  ...head<LogRow>(),
  ...trace<LogRow>(),
  ...tail<LogRow>(),
  { name: "level", type: "text", value: (r) => r.e.level },
  { name: "message", type: "text", value: (r) => r.e.message },
  { name: "logger", type: "text", value: (r) => r.e.logger ?? null },
  { name: "user_id", type: "text", value: (r) => r.e.userId ?? null },
  { name: "request_id", type: "text", value: (r) => r.e.requestId ?? null },
  jsonb<LogRow>("attributes", (r) => r.e.attributes, "{}"),
];

const REQUEST_COLUMNS: Column<RequestRow>[] = [
  ...head<RequestRow>(),
  ...trace<RequestRow>(),
  ...tail<RequestRow>(),
  { name: "method", type: "text", value: (r) => r.e.method },
  { name: "route", type: "text", value: (r) => r.e.route ?? null },
  { name: "path", type: "text", value: (r) => r.e.path },
  { name: "status", type: "int4", value: (r) => r.e.status },
  { name: "duration_ms", type: "float8", value: (r) => r.e.durationMs },
  { name: "request_size", type: "int8", value: (r) => r.e.requestSize ?? null },
  { name: "response_size", type: "int8", value: (r) => r.e.responseSize ?? null },
  { name: "user_agent", type: "text", value: (r) => r.e.userAgent ?? null },
  { name: "client_ip", type: "text", value: (r) => r.e.clientIp ?? null },
  { name: "user_id", type: "text", value: (r) => r.e.userId ?? null },
  { name: "request_id", type: "text", value: (r) => r.e.requestId ?? null },
  jsonb<RequestRow>("request_headers", (r) => r.e.requestHeaders, "{}"),
  jsonb<RequestRow>("response_headers", (r) => r.e.responseHeaders, "{}"),
];

const ERROR_COLUMNS: Column<ErrorRow>[] = [
  ...head<ErrorRow>(),
  ...trace<ErrorRow>(),
  ...tail<ErrorRow>(),
  { name: "group_id", type: "uuid", value: (r) => r.groupId },
  { name: "level", type: "text", value: (r) => r.e.level },
  { name: "type", type: "text", value: (r) => r.fp.type },
  { name: "message", type: "text", value: (r) => r.e.message ?? r.e.exception?.values.at(-1)?.value ?? null },
  { name: "title", type: "text", value: (r) => r.fp.title },
  { name: "culprit", type: "text", value: (r) => r.fp.culprit },
  { name: "logger", type: "text", value: (r) => r.e.logger ?? null },
  { name: "user_id", type: "text", value: (r) => r.e.user?.id ?? r.e.user?.email ?? null },
  { name: "exception", type: "jsonb", value: (r) => json(r.e.exception) },
  jsonb<ErrorRow>("tags", (r) => r.e.tags, "{}"),
  { name: "user", type: "jsonb", value: (r) => json(r.e.user) },
  jsonb<ErrorRow>("extra", (r) => r.e.extra, "{}"),
  { name: "fingerprint_parts", type: "text", value: (r) => textArrayLiteral(r.fp.parts), select: "$::text[]" },
];

const LLM_COLUMNS: Column<LlmRow>[] = [
  ...head<LlmRow>(),
  ...trace<LlmRow>(),
  ...tail<LlmRow>(),
  { name: "provider", type: "text", value: (r) => r.e.provider ?? null },
  { name: "model", type: "text", value: (r) => r.e.model },
  { name: "operation", type: "text", value: (r) => r.e.operation },
  { name: "input_tokens", type: "int4", value: (r) => r.e.inputTokens },
  { name: "cached_input_tokens", type: "int4", value: (r) => r.e.cachedInputTokens },
  { name: "cache_write_tokens", type: "int4", value: (r) => r.e.cacheWriteTokens },
  { name: "output_tokens", type: "int4", value: (r) => r.e.outputTokens },
  { name: "reasoning_tokens", type: "int4", value: (r) => r.e.reasoningTokens },
  { name: "latency_ms", type: "float8", value: (r) => r.e.latencyMs ?? null },
  { name: "ttft_ms", type: "float8", value: (r) => r.e.timeToFirstTokenMs ?? null },
  { name: "status", type: "text", value: (r) => r.e.status },
  { name: "error_type", type: "text", value: (r) => r.e.errorType ?? null },
  { name: "cost_usd", type: "numeric", value: (r) => r.cost.costUsd },
  { name: "cost_source", type: "text", value: (r) => r.cost.costSource, select: `$::"CostSource"` },
  { name: "price_id", type: "uuid", value: (r) => r.cost.priceId },
  { name: "price_version", type: "int4", value: (r) => r.cost.priceVersion },
  { name: "user_id", type: "text", value: (r) => r.e.userId ?? null },
  { name: "feature", type: "text", value: (r) => r.e.feature ?? null },
  { name: "prompt", type: "text", value: (r) => r.e.prompt ?? null },
  { name: "completion", type: "text", value: (r) => r.e.completion ?? null },
  jsonb<LlmRow>("attributes", (r) => r.e.attributes, "{}"),
];

const SPAN_COLUMNS: Column<SpanRow>[] = [
  { name: "client_id", type: "text", value: (r) => r.e.id ?? null },
  ...tail<SpanRow>(),
  { name: "trace_id", type: "text", value: (r) => r.e.traceId },
  { name: "span_id", type: "text", value: (r) => r.e.spanId },
  { name: "parent_span_id", type: "text", value: (r) => r.e.parentSpanId ?? null },
  { name: "name", type: "text", value: (r) => r.e.name },
  { name: "kind", type: "text", value: (r) => r.e.kind },
  { name: "start_time", type: "timestamptz", value: (r) => r.time.toISOString() },
  { name: "end_time", type: "timestamptz", value: (r) => r.endTime.toISOString() },
  { name: "duration_ms", type: "float8", value: (r) => r.endTime.getTime() - r.time.getTime() },
  { name: "status", type: "text", value: (r) => r.e.status },
  { name: "status_message", type: "text", value: (r) => r.e.statusMessage ?? null },
  jsonb<SpanRow>("attributes", (r) => r.e.attributes, "{}"),
  jsonb<SpanRow>("events", (r) => r.e.events, "[]"),
];

const METRIC_COLUMNS: Column<MetricRow>[] = [
  ...head<MetricRow>(),
  ...tail<MetricRow>(),
  { name: "name", type: "text", value: (r) => r.e.name },
  { name: "kind", type: "text", value: (r) => r.e.kind },
  { name: "unit", type: "text", value: (r) => r.e.unit ?? null },
  { name: "value", type: "float8", value: (r) => r.value },
  { name: "count", type: "int8", value: (r) => r.count },
  { name: "sum", type: "float8", value: (r) => r.sum },
  { name: "min", type: "float8", value: (r) => r.min },
  { name: "max", type: "float8", value: (r) => r.max },
  { name: "buckets", type: "jsonb", value: (r) => json(r.buckets) },
  jsonb<MetricRow>("attributes", (r) => r.e.attributes, "{}"),
  { name: "metric_type", type: "text", value: (r) => r.metricType },
  { name: "temporality", type: "text", value: (r) => r.temporality },
  { name: "monotonic", type: "bool", value: (r) => r.monotonic },
  { name: "start_time", type: "timestamptz", value: (r) => r.startTime?.toISOString() ?? null },
  { name: "series_id", type: "text", value: (r) => r.seriesId },
  { name: "delta", type: "float8", value: (r) => r.delta },
  { name: "delta_count", type: "int8", value: (r) => r.deltaCount },
  { name: "delta_sum", type: "float8", value: (r) => r.deltaSum },
  { name: "delta_buckets", type: "jsonb", value: (r) => json(r.deltaBuckets) },
];

const PRODUCT_COLUMNS: Column<ProductRow>[] = [
  ...head<ProductRow>(),
  ...trace<ProductRow>(),
  ...tail<ProductRow>(),
  { name: "name", type: "text", value: (r) => r.e.name },
  { name: "user_id", type: "text", value: (r) => r.e.userId ?? null },
  { name: "session_id", type: "text", value: (r) => r.e.sessionId ?? null },
  jsonb<ProductRow>("properties", (r) => r.e.properties, "{}"),
];

const NOTHING = "ON CONFLICT DO NOTHING";

type Keyed = { e: { id?: string } };

/**
 * A table's rows with each client id once (the first, as ON CONFLICT kept before), the CTE claiming
 * those ids in ingest_client_ids (null when none has one), and the insert's WHERE … ON CONFLICT
 * suffix writing only rows whose claim is new. `u.c0` is the client_id column.
 */
function dedupe<R extends Keyed>(table: string, columns: Column<R>[], all: R[], params: SqlParams, project: string) {
  const seen = new Set<string>();
  const rows = all.filter((r) => r.e.id === undefined || (!seen.has(r.e.id) && Boolean(seen.add(r.e.id))));
  if (!seen.size) return { rows, claim: null, suffix: NOTHING };
  if (columns[0]?.name !== "client_id") throw new Error(`${table}: client_id must be the first column`);
  const claim = `claim_${table} AS (INSERT INTO "ingest_client_ids" ("project_id", "kind", "client_id")
      SELECT ${project}::uuid, '${table}', c FROM unnest(${params.add([...seen])}::text[]) AS c ${NOTHING} RETURNING client_id)`;
  return { rows, claim, suffix: `WHERE u.c0 IS NULL OR u.c0 IN (SELECT client_id FROM claim_${table}) ${NOTHING}` };
}

/**
 * Error events, then their groups: counts only what was really inserted (retries count once).
 * The DO UPDATE SET reads the statement's now() through EXCLUDED.updated_at and compares ages as
 * intervals (timestamptz - timestamptz): Citus refuses non-immutable functions there (now(),
 * timestamptz - interval), and both mean the same here.
 */
function errorStatements(all: ErrorRow[], params: SqlParams, project: string): string[] {
  const { rows, claim, suffix } = dedupe("error_events", ERROR_COLUMNS, all, params, project);
  const inserted = unnestInsert(
    "error_events",
    ERROR_COLUMNS,
    rows,
    params,
    project,
    `${suffix} RETURNING id, group_id, time, level, title, culprit, type, release`,
  );
  const groups = new Map<string, string>();
  for (const r of rows) groups.set(r.groupId, r.fp.hash);
  const ids = params.add([...groups.keys()]);
  const hashes = params.add([...groups.values()]);
  const upsert = `INSERT INTO "error_groups" ("project_id", "id", "fingerprint", "title", "culprit", "type", "level", "count",
        "first_seen", "last_seen", "first_release", "last_release", "updated_at")
      SELECT ${project}::uuid, a.group_id, fp.fingerprint, a.title, a.culprit, a.type, a.level, a.n, a.first_seen, a.last_seen,
             a.first_release, a.last_release, now()
        FROM (SELECT group_id, count(*) AS n, min(time) AS first_seen, max(time) AS last_seen,
                     (array_agg(title ORDER BY time DESC, id DESC))[1] AS title, (array_agg(culprit ORDER BY time DESC, id DESC))[1] AS culprit,
                     (array_agg(type ORDER BY time DESC, id DESC))[1] AS type, (array_agg(level ORDER BY time DESC, id DESC))[1] AS level,
                     (array_agg(release ORDER BY time ASC, id ASC) FILTER (WHERE release IS NOT NULL))[1] AS first_release,
                     (array_agg(release ORDER BY time DESC, id DESC) FILTER (WHERE release IS NOT NULL))[1] AS last_release
                FROM ins_error_events GROUP BY group_id) a
        JOIN unnest(${ids}::uuid[], ${hashes}::text[]) AS fp(group_id, fingerprint) ON fp.group_id = a.group_id
       ORDER BY a.group_id
      ON CONFLICT ("project_id", "id") DO UPDATE SET
        count = error_groups.count + EXCLUDED.count,
        first_seen = LEAST(error_groups.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(error_groups.last_seen, EXCLUDED.last_seen),
        title = CASE WHEN EXCLUDED.last_seen >= error_groups.last_seen THEN EXCLUDED.title ELSE error_groups.title END,
        culprit = CASE WHEN EXCLUDED.last_seen >= error_groups.last_seen THEN EXCLUDED.culprit ELSE error_groups.culprit END,
        level = CASE WHEN EXCLUDED.last_seen >= error_groups.last_seen THEN EXCLUDED.level ELSE error_groups.level END,
        first_release = COALESCE(error_groups.first_release, EXCLUDED.first_release),
        last_release = COALESCE(EXCLUDED.last_release, error_groups.last_release),
        status = CASE WHEN error_groups.status = 'resolved' AND EXCLUDED.last_seen > COALESCE(error_groups.resolved_at, '-infinity')
                      THEN 'unresolved'::"ErrorGroupStatus" ELSE error_groups.status END,
        substatus = CASE WHEN error_groups.status = 'resolved' AND EXCLUDED.last_seen > COALESCE(error_groups.resolved_at, '-infinity')
                         THEN 'regressed'::"ErrorGroupSubstatus"
                         WHEN error_groups.substatus = 'new' AND EXCLUDED.updated_at - error_groups.first_seen > interval '7 days'
                         THEN 'ongoing'::"ErrorGroupSubstatus" ELSE error_groups.substatus END,
        resolved_at = CASE WHEN error_groups.status = 'resolved' AND EXCLUDED.last_seen > COALESCE(error_groups.resolved_at, '-infinity')
                           THEN NULL ELSE error_groups.resolved_at END,
        updated_at = EXCLUDED.updated_at`;
  return [...(claim ? [claim] : []), `ins_error_events AS (${inserted})`, `upsert_error_groups AS (${upsert} RETURNING 1)`];
}

/** Builds the single statement for a prepared batch; null when there is nothing to write. */
function buildBatchStatement(projectId: string, batch: PreparedBatch): { text: string; values: unknown[] } | null {
  const params = new SqlParams();
  const project = params.add(projectId);
  const ctes: string[] = [];
  const add = <R extends Keyed>(table: string, columns: Column<R>[], all: R[]) => {
    if (!all.length) return;
    const { rows, claim, suffix } = dedupe(table, columns, all, params, project);
    if (claim) ctes.push(claim);
    ctes.push(`ins_${table} AS (${unnestInsert(table, columns, rows, params, project, suffix)})`);
  };
  add("logs", LOG_COLUMNS, batch.logs);
  add("requests", REQUEST_COLUMNS, batch.requests);
  add("llm_calls", LLM_COLUMNS, batch.llm);
  add("spans", SPAN_COLUMNS, batch.spans);
  add("metric_points", METRIC_COLUMNS, batch.metrics);
  add("product_events", PRODUCT_COLUMNS, batch.events);
  if (batch.errors.length) ctes.push(...errorStatements(batch.errors, params, project));
  if (ctes.length === 0) return null;
  return { text: `WITH ${ctes.join(",\n")} SELECT 1`, values: params.values };
}

/**
 * Writes the batch atomically: one statement, which is one transaction; a batch with audit events
 * appends them to the project's audit chain in the same explicit transaction. Throws if nothing was stored.
 */
export async function writeBatch(db: DbPool, projectId: string, batch: PreparedBatch): Promise<void> {
  const statement = buildBatchStatement(projectId, batch);
  if (!batch.audit.length) {
    if (statement) await db.query(statement);
    return;
  }
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    if (statement) await client.query(statement);
    await appendAppAudit(client, projectId, batch.audit);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
