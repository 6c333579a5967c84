/**
 * The model price table: built-in rows (project_id NULL, seeded from published prices) plus a
 * project's own overrides. Matching is by case-insensitive regular expression on the model name
 * (also tried as "provider/model"), so dated variants such as gpt-4o-2024-08-06 resolve to their
 * family. Precedence: a matching project override beats any built-in; among the rows of that
 * level, the newest `effective_from` not after the call's time wins; a call older than every
 * matching row uses the oldest one.
 */
import type { Db } from "../db/sql";
import { safeCompile, type PriceEntry } from "./match";

export { compilePricePattern, matchPrice, type PriceEntry } from "./match";

type PriceRow = {
  id: string;
  project_id: string | null;
  provider: string;
  model: string;
  match_pattern: string;
  effective_from: Date;
  input_per_1m: string;
  cached_input_per_1m: string | null;
  cache_write_per_1m: string | null;
  output_per_1m: string;
  reasoning_per_1m: string | null;
  version: number;
};

export async function loadPriceTable(db: Db, { projectId }: { projectId: string }): Promise<PriceEntry[]> {
  const { rows } = await db.query<PriceRow>(
    `SELECT id, project_id, provider, model, match_pattern, effective_from, input_per_1m, cached_input_per_1m,
            cache_write_per_1m, output_per_1m, reasoning_per_1m, version
       FROM model_prices WHERE project_id IS NULL OR project_id = $1`,
    [projectId],
  );
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    provider: r.provider,
    model: r.model,
    matchPattern: r.match_pattern,
    effectiveFrom: r.effective_from,
    version: r.version,
    inputPer1m: r.input_per_1m,
    cachedInputPer1m: r.cached_input_per_1m,
    cacheWritePer1m: r.cache_write_per_1m,
    outputPer1m: r.output_per_1m,
    reasoningPer1m: r.reasoning_per_1m,
    regex: safeCompile(r.match_pattern),
  }));
}

const CACHE_TTL_MS = 30_000;
const cache = new Map<string, { at: number; table: Promise<PriceEntry[]> }>();

/** The table for a project, cached briefly per process (ingest is hot; prices change rarely). */
export function cachedPriceTable(db: Db, projectId: string): Promise<PriceEntry[]> {
  const hit = cache.get(projectId);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.table;
  const table = loadPriceTable(db, { projectId });
  cache.set(projectId, { at: Date.now(), table });
  table.catch(() => cache.delete(projectId));
  return table;
}

/** Drops cached tables after a price edit (this process; others expire within CACHE_TTL_MS). */
export function invalidatePriceCache(projectId?: string): void {
  if (projectId) cache.delete(projectId);
  else cache.clear();
}
