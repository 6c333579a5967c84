import { z } from "zod";
import { page, timeWindow } from "./cursor";
import { traceIdIn } from "./trace-id";
import { ZCursor, ZLimit, ZList, ZSearch, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";

export const ZListLlmCallsQuery = z
  .strictObject({
    ...ZTimeRange,
    service: ZText().optional(),
    environment: ZText(64).optional(),
    provider: ZText().optional(),
    model: ZText().optional(),
    operation: ZText(64).optional(),
    status: ZList(["ok", "error"] as const),
    costSource: ZList(["client", "table", "none"] as const),
    userId: ZText().optional(),
    feature: ZText().optional(),
    traceId: ZText(64).optional(),
    q: ZSearch,
    limit: ZLimit,
    cursor: ZCursor("bigint"),
  })
  .superRefine(ZTimeRangeCheck);
type ListLlmCallsQuery = z.output<typeof ZListLlmCallsQuery>;

type LlmCallItem = { id: string; time: Date; costUsd: number | null; [key: string]: unknown };

export const LLM_CALL_COLUMNS = `id::text AS id, time, provider, model, operation,
  input_tokens AS "inputTokens", cached_input_tokens AS "cachedInputTokens", cache_write_tokens AS "cacheWriteTokens",
  output_tokens AS "outputTokens", reasoning_tokens AS "reasoningTokens", latency_ms AS "latencyMs",
  ttft_ms AS "timeToFirstTokenMs", status, error_type AS "errorType", cost_usd::float8 AS "costUsd",
  cost_source AS "costSource", price_id AS "priceId", price_version AS "priceVersion", user_id AS "userId",
  feature, prompt, completion, service, environment, release, trace_id AS "traceId", span_id AS "spanId",
  attributes, redactions`;

/** LLM calls of one project, newest first, with tokens, cost and the price entry that priced them; `q` matches the model name. */
export function listLlmCallsSql(options: { projectId: string; query: ListLlmCallsQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, ...timeWindow(p, "time", "id", query)];
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  if (query.provider) where.push(`provider = ${p.add(query.provider)}`);
  if (query.model) where.push(`model = ${p.add(query.model)}`);
  if (query.operation) where.push(`operation = ${p.add(query.operation)}`);
  if (query.status) where.push(`status = ANY(${p.add(query.status)}::text[])`);
  if (query.costSource) where.push(`cost_source::text = ANY(${p.add(query.costSource)}::text[])`);
  if (query.userId) where.push(`user_id = ${p.add(query.userId)}`);
  if (query.feature) where.push(`feature = ${p.add(query.feature)}`);
  if (query.traceId) where.push(traceIdIn(p, "trace_id", query.traceId));
  if (query.q) where.push(`model ILIKE ${p.add(containsPattern(query.q))}`);
  return {
    text: `SELECT ${LLM_CALL_COLUMNS} FROM llm_calls WHERE ${where.join(" AND ")} ORDER BY llm_calls.time DESC, llm_calls.id DESC LIMIT ${p.add(query.limit + 1)}`,
    values: p.values,
  };
}

/** Runs `listLlmCallsSql` and pages the rows (`limit` + 1 fetched to know whether there is a next page). */
export async function listLlmCalls(db: Db, options: { projectId: string; query: ListLlmCallsQuery }) {
  const { rows } = await db.query<LlmCallItem>(listLlmCallsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.time.toISOString(), id: r.id }));
}
