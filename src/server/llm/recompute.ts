import type { Db } from "../db/sql";
import { priceLlmCall } from "./price-call";
import { invalidatePriceCache, loadPriceTable } from "./prices";

const PAGE = 5000;

type CallRow = {
  id: string;
  time: Date;
  model: string;
  provider: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: string | null;
  price_id: string | null;
  price_version: number | null;
};

type RecomputeResult = { examined: number; changed: number; previousTotalUsd: string; newTotalUsd: string };

/**
 * Re-prices a project's LLM calls in [from, to) with the current price table, after a price
 * change. Client-sent costs are kept (they are the client's word). Set-based: one UPDATE per page
 * of calls, each page in its own transaction, so a long range never holds one huge lock. The
 * enum cast sits on the parameter, not the column: Citus refuses STABLE casts of column values
 * in an UPDATE.
 */
export async function recomputeCosts(
  db: Db,
  {
    projectId,
    from,
    to,
    pageSize = PAGE,
  }: {
    projectId: string;
    from: Date;
    to: Date;
    pageSize?: number;
  },
): Promise<RecomputeResult> {
  invalidatePriceCache(projectId);
  const table = await loadPriceTable(db, { projectId });
  let examined = 0;
  let changed = 0;
  let previous = 0;
  let next = 0;
  let afterId = "0";
  for (;;) {
    const { rows } = await db.query<CallRow>(
      `SELECT id::text, time, model, provider, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,
              reasoning_tokens, cost_usd::text, price_id, price_version
         FROM llm_calls
        WHERE project_id = $1 AND time >= $2 AND time < $3 AND cost_source <> 'client' AND id > $4::bigint
        ORDER BY llm_calls.id LIMIT $5`,
      [projectId, from, to, afterId, pageSize],
    );
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    examined += rows.length;
    const updates = rows
      .map((r) => {
        const priced = priceLlmCall(table, {
          model: r.model,
          provider: r.provider,
          at: r.time,
          inputTokens: r.input_tokens,
          cachedInputTokens: r.cached_input_tokens,
          cacheWriteTokens: r.cache_write_tokens,
          outputTokens: r.output_tokens,
          reasoningTokens: r.reasoning_tokens,
        });
        previous += Number(r.cost_usd ?? 0);
        next += Number(priced.costUsd ?? 0);
        const same = priced.costUsd === r.cost_usd && priced.priceId === r.price_id && priced.priceVersion === r.price_version;
        return same ? null : { id: r.id, ...priced };
      })
      .filter((u) => u !== null);
    if (updates.length === 0) continue;
    changed += updates.length;
    await db.query(
      `UPDATE llm_calls AS c
          SET cost_usd = u.cost_usd, cost_source = u.cost_source, price_id = u.price_id, price_version = u.price_version
         FROM unnest($2::bigint[], $3::numeric[], $4::"CostSource"[], $5::uuid[], $6::int[]) AS u(id, cost_usd, cost_source, price_id, price_version)
        WHERE c.project_id = $1 AND c.id = u.id`,
      [
        projectId,
        updates.map((u) => u.id),
        updates.map((u) => u.costUsd),
        updates.map((u) => u.costSource),
        updates.map((u) => u.priceId),
        updates.map((u) => u.priceVersion),
      ],
    );
  }
  return { examined, changed, previousTotalUsd: previous.toFixed(6), newTotalUsd: next.toFixed(6) };
}
